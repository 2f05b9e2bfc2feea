"""
Beyond one device: data-parallel training
=========================================

When one device is too slow, the most common remedy is **data parallelism**:
several processes (called *ranks*) each hold a full copy of the model, each
computes gradients on its own share of the batch, and the ranks average their
gradients before every optimizer step, so all copies take the same step and
stay identical.

In this tutorial you will take one training step on a single process, then
take the same step with two processes on this machine's CPU, using
:class:`torch.nn.parallel.DistributedDataParallel` and the ``gloo`` back end
of :mod:`torch.distributed`, and check that both ranks end with the same
parameters as the single process. Then you will see what changes for GPUs and
for several machines.
"""

# %%
# One step on one process
# -----------------------
# The model is a linear layer with three inputs and one output; the batch is
# eight samples of a noisy linear relation. The training step is plain
# gradient descent on the mean squared error. The helpers that build them live
# in :mod:`tutorial_helpers.distributed` so that the worker processes below
# can import them too.

# sphinx_gallery_card = "One training step on two processes with DDP."
# sphinx_gallery_assumes = "plot_01_choosing_a_device"
# sphinx_gallery_assumes = "../04_modules/plot_02_fitting_a_quadratic"
import ast
import inspect

import torch

from tutorial_helpers.distributed import (
    make_model,
    make_regression_batch,
    training_step,
)


def print_source(function) -> None:
    """Print the source code of ``function`` without its docstring."""
    lines = inspect.getsource(function).splitlines()
    docstring = ast.parse(inspect.getsource(function)).body[0].body[0]
    print(
        "\n".join(
            lines[: docstring.lineno - 1] + lines[docstring.end_lineno :]
        )
    )


print_source(training_step)

# %%
# The single process sees all eight samples:
inputs, targets = make_regression_batch()
single = make_model(seed=0)
loss = training_step(single, inputs, targets)
print(f"loss before the step: {loss:.4f}")
print("weight after the step:", single.weight.detach())
print("bias after the step:", single.bias.detach())

# sphinx_gallery_start_ignore
assert inputs.shape == (8, 3)
assert targets.shape == (8, 1)
# sphinx_gallery_end_ignore

# %%
# The same step on two processes
# ------------------------------
# Each rank is a separate Python process running the function below. It learns
# its rank and the number of ranks (the *world size*) from environment
# variables, joins the *process group* (the ranks that talk to each other) and
# wraps its model in ``DistributedDataParallel`` (DDP). Two details matter:
#
# * Each rank builds its model with a different seed on purpose: DDP copies
#   rank 0's parameters to every rank when it wraps the model, so the copies
#   start equal whatever each rank did before.
# * Each rank takes every second sample: rank 0 samples 0, 2, 4, 6 and rank 1
#   samples 1, 3, 5, 7. During ``loss.backward()``, DDP averages the gradients
#   of the ranks (an *all-reduce*) while they are computed.
from tutorial_helpers.distributed import (
    data_parallel_worker,
    run_data_parallel,
)

print_source(data_parallel_worker)

# %%
# :func:`tutorial_helpers.distributed.run_data_parallel` starts the ranks,
# each as ``python -m tutorial_helpers.distributed``, with the environment
# variables ``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR`` and ``MASTER_PORT`` set
# (the address and a free port on which rank 0 waits for the others). It
# waits for them with a timeout, stops any that are left, and returns what
# each rank saved. It takes a few seconds, mostly to start two Python
# interpreters and import PyTorch in each.
results = run_data_parallel(world_size=2)
for result in results:
    print(
        f"rank {result['rank'].item()}: {result['samples'].item()} samples, "
        f"local loss {result['loss'].item():.4f}"
    )

# sphinx_gallery_start_ignore
assert [r["rank"].item() for r in results] == [0, 1]
assert [r["samples"].item() for r in results] == [4, 4]
# sphinx_gallery_end_ignore

# %%
# Each rank's loss is the loss on its own four samples, so they differ. Before
# wrapping, the two models differed too; after wrapping, both hold rank 0's
# parameters:
rank0, rank1 = results
for stage in ["before_wrapping", "after_wrapping"]:
    same = torch.equal(rank0[f"{stage}.weight"], rank1[f"{stage}.weight"])
    print(f"{stage.replace('_', ' ')}: weights equal on both ranks: {same}")

# sphinx_gallery_start_ignore
assert not torch.equal(
    rank0["before_wrapping.weight"], rank1["before_wrapping.weight"]
)
assert torch.equal(
    rank0["after_wrapping.weight"], rank1["after_wrapping.weight"]
)
assert torch.equal(
    rank0["after_wrapping.weight"], make_model(seed=0).weight.detach()
)
assert torch.equal(
    rank1["after_wrapping.bias"], make_model(seed=0).bias.detach()
)
# sphinx_gallery_end_ignore

# %%
# The gradients, averaged by DDP, are identical on both ranks, and so are the
# parameters after the step, bit for bit:
for name in ["weight", "bias"]:
    same_grad = torch.equal(rank0[f"grad.{name}"], rank1[f"grad.{name}"])
    same_value = torch.equal(
        rank0[f"after_step.{name}"], rank1[f"after_step.{name}"]
    )
    print(
        f"{name}: gradients equal: {same_grad}, parameters equal: {same_value}"
    )
print("weight after the step on rank 0:", rank0["after_step.weight"])

# sphinx_gallery_start_ignore
for _name in ["weight", "bias"]:
    assert torch.equal(rank0[f"grad.{_name}"], rank1[f"grad.{_name}"])
    assert torch.equal(
        rank0[f"after_step.{_name}"], rank1[f"after_step.{_name}"]
    )
# sphinx_gallery_end_ignore

# %%
# And they match the single process's step on the whole batch. The mean of the
# two ranks' gradients, each the mean over four samples, is the mean over all
# eight. The match is up to rounding, because the sums are added in a
# different order:
for name, parameter in single.named_parameters():
    close = torch.allclose(
        rank0[f"after_step.{name}"], parameter.detach(), atol=1e-6
    )
    print(f"{name} matches the single-process step: {close}")

# sphinx_gallery_start_ignore
for _name, _parameter in single.named_parameters():
    assert torch.allclose(
        rank0[f"after_step.{_name}"], _parameter.detach(), atol=1e-6
    )
# Without averaging, a rank's own gradient would differ from the full-batch
# one.
_local = make_model(seed=0)
torch.nn.functional.mse_loss(_local(inputs[0::2]), targets[0::2]).backward()
assert not torch.allclose(_local.weight.grad, rank0["grad.weight"], atol=1e-3)
# sphinx_gallery_end_ignore

# %%
# So data parallelism changes *where* the work is done, not the result: with
# ``N`` ranks, each processes ``1/N`` of the batch, and communication keeps the
# copies in step. (The learning rate and batch size still interact as usual:
# the *global* batch is the sum of the ranks' batches.)
#
# On GPUs: the NCCL back end
# --------------------------
# The ``gloo`` back end runs on CPUs. On NVIDIA GPUs the back end is ``nccl``
# (on AMD GPUs the same name uses AMD's RCCL), and on Intel GPUs ``xccl``; each
# rank then drives one GPU. :hardware:`gpu` If you leave the back end out,
# :func:`torch.distributed.init_process_group` picks one per device type:
import torch.distributed as dist

print(dist.Backend.default_device_backend_map)
print("NCCL in this build:", dist.is_nccl_available())
print("gloo in this build:", dist.is_gloo_available())

# sphinx_gallery_start_ignore
assert dist.Backend.default_device_backend_map["cpu"] == "gloo"
assert dist.Backend.default_device_backend_map["cuda"] == "nccl"
assert dist.Backend.default_device_backend_map["xpu"] == "xccl"
assert dist.is_gloo_available()
if torch.version.cuda is None and torch.version.hip is None:
    assert not dist.is_nccl_available()
# sphinx_gallery_end_ignore

# %%
# The worker then changes in three lines: pick this process's GPU from
# ``LOCAL_RANK`` (its number on this machine), put the model there, and tell
# DDP which device it is on. The data must be moved to the same GPU:
#
# .. code-block:: python
#
#     local_rank = int(os.environ["LOCAL_RANK"])
#     torch.cuda.set_device(local_rank)
#     dist.init_process_group(backend="nccl")
#     model = make_model(seed=rank).to(local_rank)
#     ddp_model = DistributedDataParallel(model, device_ids=[local_rank])
#     loss = training_step(
#         ddp_model, my_inputs.to(local_rank), my_targets.to(local_rank)
#     )
#
# NCCL moves gradients directly between GPUs (over NVLink or the network),
# which is why it, not ``gloo``, is used there. :hardware:`multi-gpu`
#
# Several machines: ``torchrun``
# ------------------------------
# You rarely start the ranks yourself. ``torchrun``, installed with PyTorch,
# starts one process per GPU, sets ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``,
# ``MASTER_ADDR`` and ``MASTER_PORT`` exactly as above, and restarts them if
# asked. The worker of this page runs unchanged under it:
#
# .. code-block:: console
#
#     $ torchrun --standalone --nproc-per-node=2 \
#           -m tutorial_helpers.distributed OUTPUT_DIR
#
# On several machines, run the same command on each, saying how many machines
# take part and where to meet (a *rendezvous* on one of them):
#
# .. code-block:: console
#
#     $ torchrun --nnodes=2 --nproc-per-node=4 \
#           --rdzv-backend=c10d --rdzv-endpoint=node0.example.org:29500 \
#           --rdzv-id=my-job train.py
#
# This gives 2 x 4 = 8 ranks, numbered 0 to 7 across the machines, with
# ``LOCAL_RANK`` 0 to 3 on each. The program is the same as on one machine;
# only the launch differs. :hardware:`multi-machine`
#
# Summary
# -------
# * Data parallelism: every rank holds the whole model, processes its share of
#   each batch, and DDP averages gradients during ``backward()``, so all ranks
#   take the same step as one process would on the whole batch.
# * ``init_process_group`` joins the ranks; ``gloo`` works on CPUs, ``nccl`` on
#   NVIDIA and AMD GPUs, ``xccl`` on Intel GPUs. :hardware:`gpu`
# * ``torchrun`` launches the ranks, on one machine or many, and tells each its
#   rank through environment variables.
# * Workers must be importable: start processes that import a module, as
#   ``torchrun`` does. :func:`torch.multiprocessing.spawn` re-runs the
#   launching script in every child, so a script needs an
#   ``if __name__ == "__main__":`` guard to use it.
