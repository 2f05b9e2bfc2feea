"""
Reproducible training
=====================

Run a training script twice and you would like the same numbers twice: to
compare two ideas fairly, to find a bug, to let a reader check a result. In
this tutorial you will:

* seed PyTorch's random number generator, and give each source of randomness
  its own :class:`torch.Generator`;
* see what :func:`torch.use_deterministic_algorithms` does, what it costs, and
  how to switch it on for a while and back off;
* find out why the same program can give different last digits on a
  different device: floating-point addition depends on the order, and
  training amplifies the difference.
"""

# %%
# Seeding
# -------
# Random numbers in PyTorch come from a *generator*: a deterministic sequence
# that only looks random, started from a number, the **seed**.
# :func:`torch.manual_seed` seeds the default generator (and those of every
# accelerator), so that everything random after it repeats exactly: initial
# weights, dropout masks, shuffles.
#
# One environment variable first. PyTorch 2.9 and older refuse a
# deterministic matrix product (below) on an NVIDIA GPU unless
# ``CUBLAS_WORKSPACE_CONFIG`` was set before the first CUDA operation;
# PyTorch 2.10 dropped that requirement. :hardware:`nvidia` Set it anyway while
# your code must run on older releases: the CPU does not read it.

# sphinx_gallery_card = "Seeds, generators, deterministic algorithms."
# sphinx_gallery_assumes = "plot_04_training_loop"
# sphinx_gallery_assumes = "../01_tensors/plot_07_creating_and_reducing"
# sphinx_gallery_thumbnail_number = 2
import os

os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")

import torch
from torch import nn

from tutorial_helpers import choose_device

device = choose_device()

# sphinx_gallery_start_ignore
# The requirement is gone from this release's documentation (and its check
# from the library: PyTorch PR 161749, first released in 2.10).
assert (
    "CUBLAS_WORKSPACE_CONFIG" not in torch.use_deterministic_algorithms.__doc__
)
# sphinx_gallery_end_ignore

torch.manual_seed(42)
first = nn.Linear(3, 2)
torch.manual_seed(42)
second = nn.Linear(3, 2)
print(first.weight)
print(
    "same weights after the same seed:",
    torch.equal(first.weight, second.weight),
)

# sphinx_gallery_start_ignore
assert torch.equal(first.weight, second.weight)
assert torch.equal(first.bias, second.bias)
torch.manual_seed(43)
assert not torch.equal(nn.Linear(3, 2).weight, first.weight)
# sphinx_gallery_end_ignore

# %%
# A whole training run, then, is reproducible if it seeds before it starts.
# This small network learns a wavy function of 16 inputs from 256 examples
# with :class:`torch.optim.Adam`; ``train`` returns the loss after every
# step. The data come from their own seeded generator, so they are the same
# for every run below.
data_generator = torch.Generator().manual_seed(0)
inputs = torch.randn(256, 16, generator=data_generator)
targets = torch.sin(inputs.sum(dim=1, keepdim=True))


def train(
    seed: int, order: torch.Tensor | None = None, steps: int = 300
) -> tuple[list[float], torch.Tensor]:
    """Train a fresh network from ``seed``.

    Return the loss after each step, and the weights after each step
    (one row per step). ``order`` lists the examples in another order:
    the same batch, shuffled.
    """
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(16, 64), nn.Tanh(), nn.Linear(64, 1)).to(
        device
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    x, y = (
        (inputs, targets) if order is None else (inputs[order], targets[order])
    )
    x, y = x.to(device), y.to(device)
    losses, weights = [], []
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        weights.append(
            nn.utils.parameters_to_vector(model.parameters()).detach().cpu()
        )
    return losses, torch.stack(weights)


(run_a, weights_a), (run_b, weights_b) = train(seed=0), train(seed=0)
run_c, _ = train(seed=1)
print(f"seed 0: final loss {run_a[-1]:.4e}")
identical = torch.equal(weights_a, weights_b)
print(f"seed 0: final loss {run_b[-1]:.4e}  same weights: {identical}")
print(f"seed 1: final loss {run_c[-1]:.4e}")

# sphinx_gallery_start_ignore
assert run_a == run_b
assert torch.equal(weights_a, weights_b)
assert run_a[0] != run_c[0]
assert run_a[-1] != run_c[-1]
assert run_a[-1] < run_a[0] / 5  # it does learn
# sphinx_gallery_end_ignore

# %%
# One generator per purpose
# -------------------------
# Seeding the default generator once makes a run repeatable, but fragile:
# every random draw shifts all later ones. Add dropout, or create one more
# layer, and the data loader shuffles differently too (the tutorial on data
# loaders shows it). Giving a source of randomness its own seeded
# :class:`torch.Generator` isolates it: the split, the shuffle and the data
# above each have one, and stay the same whatever the model does.
#
# Python's ``random`` module and NumPy have generators of their own, which
# ``torch.manual_seed`` does not touch: seed them too if your code uses them.
import random

import numpy as np

random.seed(0)
rng = np.random.default_rng(0)  # NumPy's recommended way: a generator object
print(random.random(), rng.random())

# sphinx_gallery_start_ignore
random.seed(0)
before = random.random()
torch.manual_seed(0)
after_torch_seed = random.random()
assert (
    before != after_torch_seed
)  # torch.manual_seed did not reset Python's generator
assert np.random.default_rng(0).random() == np.random.default_rng(0).random()
# sphinx_gallery_end_ignore

# %%
# Deterministic algorithms
# ------------------------
# Seeds fix the random numbers, but some operations are not deterministic even
# with identical inputs, mostly on GPUs: their parallel threads add into the
# same memory in whatever order they finish, or they pick the fastest of
# several algorithms by timing them. :hardware:`gpu`
# :func:`torch.use_deterministic_algorithms` tells PyTorch to use a
# deterministic implementation where it has one, and to **raise an error** for
# the operations known to have none, rather than silently being
# non-deterministic. Its documentation lists both kinds, and warns that the
# setting alone is not always enough: it does not catch every source of
# variation (an in-place operation on a tensor whose elements overlap in
# memory, for one), and it does not make two machines agree, as the rest of
# this page shows.
#
# It is a global setting, off by default. Switch it on for a block of code,
# and restore what was there before even if the block fails:
was_enabled = torch.are_deterministic_algorithms_enabled()
was_warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
print("enabled by default:", was_enabled)

torch.use_deterministic_algorithms(True)
try:
    print("enabled now:", torch.are_deterministic_algorithms_enabled())
    target = torch.zeros(4, device=device)
    try:
        # put_ writes values at flat positions; with a repeated position,
        # which value lands is undefined, so it has no deterministic version
        target.put_(
            torch.tensor([0, 0], device=device),
            torch.tensor([1.0, 2.0], device=device),
        )
    except RuntimeError as error:
        print(f"RuntimeError: {str(error).split('. ')[0]}.")
    # Memory from torch.empty is normally whatever was there before; now it
    # is filled with NaN, so a bug that reads it shows up every time.
    print("torch.empty(3):", torch.empty(3, device=device))
    deterministic_run, deterministic_weights = train(seed=0)
finally:
    torch.use_deterministic_algorithms(was_enabled, warn_only=was_warn_only)
print("restored:", torch.are_deterministic_algorithms_enabled())

# sphinx_gallery_start_ignore
assert not was_enabled
assert torch.backends.cudnn.benchmark is False  # the default
assert not was_warn_only
assert not torch.are_deterministic_algorithms_enabled()
torch.use_deterministic_algorithms(True)
try:
    try:
        torch.zeros(4).put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0]))
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("put_ ran under deterministic algorithms")
    assert "put_ does not have a deterministic implementation" in message
    assert torch.isnan(torch.empty(3)).all()
finally:
    torch.use_deterministic_algorithms(False)
_documentation = " ".join(torch.use_deterministic_algorithms.__doc__.split())
assert "This setting alone is not always enough" in _documentation
assert "if only nondeterministic algorithms are available" in _documentation
assert "internal memory overlap" in _documentation
# sphinx_gallery_end_ignore

# %%
# ``warn_only=True`` turns the error into a warning, to find every such
# operation in a program in one run. On the CPU, where nearly every
# operation is deterministic anyway, switching the mode on changed nothing in
# the training run above:
print(
    "same weights with deterministic algorithms:",
    torch.equal(deterministic_weights, weights_a),
)

# sphinx_gallery_start_ignore
if device.type == "cpu":
    assert deterministic_run == run_a
    assert torch.equal(deterministic_weights, weights_a)
# sphinx_gallery_end_ignore

# %%
# What it costs: every ``torch.empty`` costs a fill, and an operation with no
# deterministic version stops your program until you replace it or use
# ``warn_only``. On a GPU, deterministic versions of some operations are also
# slower: they sort or serialise work that threads would otherwise do at
# once. :hardware:`gpu` On NVIDIA GPUs, PyTorch 2.9 and older also need the
# environment variable set at the top of this script for matrix products,
# and convolutions need ``torch.backends.cudnn.benchmark = False`` (the
# default), which stops cuDNN choosing its algorithm by timing.
# :hardware:`nvidia` Turn the mode on to debug or to check a result; many
# projects leave it off for speed.
#
# Floating-point addition depends on the order
# --------------------------------------------
# Even with every operation deterministic, two *different* machines can
# disagree, because a float32 sum depends on the order of its terms. Each
# addition rounds its result to 24 significant bits, so
# :math:`(a + b) + c` need not equal :math:`(a + c) + b`:
a, b, c = torch.tensor([1e8, 1.0, -1e8])
print("(1e8 + 1) - 1e8 =", ((a + b) + c).item())
print("(1e8 - 1e8) + 1 =", ((a + c) + b).item())

# sphinx_gallery_start_ignore
assert ((a + b) + c).item() == 0.0
assert ((a + c) + b).item() == 1.0
assert (torch.nextafter(a, a + 100) - a).item() == 8.0  # 8 apart
# sphinx_gallery_end_ignore

# %%
# In float32, :math:`10^8 + 1` rounds back to :math:`10^8` (neighbouring
# float32 numbers there are 8 apart), so the 1 is lost in the first order
# and kept in the second.
#
# A large sum is split differently on different hardware: a CPU adds with
# vector instructions, 8 or 16 lanes at a time; a GPU gives each of
# thousands of threads a share and then combines the partial results.
# :hardware:`gpu` Below, the same :math:`2^{20}` (about a million) float32
# numbers are summed as PyTorch does on this CPU, as NumPy does, and split into
# :math:`k` interleaved partial sums (as :math:`k` threads would each add every
# :math:`k`-th number), against a float64 sum as the reference.
numbers = torch.randn(2**20, generator=torch.Generator().manual_seed(0))
reference = numbers.double().sum().item()
sums = {
    "torch.sum": numbers.sum().item(),
    "numpy.sum": float(np.sum(numbers.numpy())),
}
for k in (8, 1024, 65536):
    sums[f"{k} partial sums"] = numbers.view(-1, k).sum(dim=0).sum().item()
print(f"{'float64 reference':18} {reference:.6f}")
for name, total in sums.items():
    print(f"{name:18} {total:.6f}   off by {total - reference:+.1e}")
print(f"{len(set(sums.values()))} different results from {len(sums)} orders")

# sphinx_gallery_start_ignore
# Which orders happen to agree depends on the machine and its threads: only
# "not all the same" holds everywhere.
assert len(set(sums.values())) >= 2, sums
assert all(
    abs(t - reference) < 1e-6 * numbers.abs().sum().item()
    for t in sums.values()
)
assert float(np.float32(reference)) != reference  # no float32 can equal it
assert all(t != reference for t in sums.values())
# sphinx_gallery_end_ignore

# %%
# Every float32 sum is off in its last digits, and they do not all agree.
# Two orders can still group the rounding alike and land on the same float
# (count the results above): none is wrong, they round differently. Drawn:
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
names = list(sums)
ax.barh(names, [(sums[n] - reference) * 1e4 for n in names], color="tab:blue")
ax.axvline(0, color="black", lw=1)
ax.invert_yaxis()
ax.set(
    xlabel="float32 sum minus float64 sum (in units of 10⁻⁴)",
    ylabel="how the sum was split",
)
ax.set_title("The same float32 numbers, summed in 5 orders")
ax.grid(True, axis="x", alpha=0.3)
plt.show()

# sphinx_gallery_start_ignore
assert len(ax.patches) == len(sums)
# sphinx_gallery_end_ignore

# %%
# The number of threads is part of the order
# -------------------------------------------
# On a CPU, PyTorch shares a large sum among its threads: each adds a piece,
# then the pieces are added. So the number of threads changes the order,
# and deterministic algorithms do not fix that (they fix the algorithm, not
# the machine it runs on). The same sum, with the mode on, on 1, 2 and 4
# threads:
threads_before = torch.get_num_threads()
torch.use_deterministic_algorithms(True)
try:
    by_threads = {}
    for threads in (1, 2, 4):
        torch.set_num_threads(threads)
        by_threads[threads] = numbers.sum().item()
finally:
    torch.set_num_threads(threads_before)
    torch.use_deterministic_algorithms(was_enabled, warn_only=was_warn_only)
for threads, total in by_threads.items():
    print(f"{threads} thread(s): {total!r}")
print("this page was built with", threads_before, "thread(s)")

# sphinx_gallery_start_ignore
assert len(set(by_threads.values())) >= 2, by_threads
assert torch.get_num_threads() == threads_before
assert not torch.are_deterministic_algorithms_enabled()
torch.set_num_threads(1)
try:
    assert numbers.sum().item() == numbers.sum().item()  # the same, again
finally:
    torch.set_num_threads(threads_before)
# sphinx_gallery_end_ignore

# %%
# Training amplifies the last digits
# ----------------------------------
# Matrix products and gradients are sums like these. On another device the
# sums are split differently, so after one step the weights differ in their
# last bits, and every later step starts from slightly different weights.
# To see it on one machine, change only the order of the rows of the batch:
# the loss is a mean over the examples, so mathematically nothing changes,
# but the gradient's sums run in another order.
shuffled_order = torch.randperm(
    256, generator=torch.Generator().manual_seed(1)
)
run_shuffled, weights_shuffled = train(seed=0, order=shuffled_order)
gap = (weights_a - weights_shuffled).abs().max(dim=1).values  # per step
for step in (1, 10, 100, 300):
    print(f"after step {step:3}: weights differ by {gap[step - 1]:.1e}")
print(f"final loss {run_a[-1]:.4e} and {run_shuffled[-1]:.4e}")

# sphinx_gallery_start_ignore
assert not torch.equal(weights_a, weights_shuffled)
assert gap[:10].max() < 1e-5
assert gap[-50:].median() > 10 * gap[:10].max()
assert run_a[-1] < 1e-3  # both fit the data
assert run_shuffled[-1] < 1e-3
assert 0.1 < weights_a[-1].abs().median() < 0.4
assert gap[0] / weights_a[-1].abs().median() < 1e-4
assert run_a[-1] != run_shuffled[-1]
# sphinx_gallery_end_ignore

# %%
# After the first step the weights (of size about 0.2) still agree to five
# digits or more; then they drift apart as the differences compound. Both
# runs fit the data, but they do not end with the same numbers. This is
# why results from a GPU and from a CPU, from two GPU models, or from two
# PyTorch versions are compared with a tolerance
# (:func:`torch.testing.assert_close`, :func:`torch.allclose`), never with
# ``==``. Only the same program with the same inputs, on the same hardware
# and software, with the same number of threads, and with deterministic
# algorithms where the device needs them, can be expected to repeat to the
# last bit.
fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
ax.semilogy(range(1, len(gap) + 1), gap, lw=2)
ax.set(xlabel="training step", ylabel="largest weight difference (log scale)")
ax.set_title("Two runs that differ only in the order of the batch's rows")
ax.grid(True, alpha=0.3)
plt.show()

# sphinx_gallery_start_ignore
assert len(ax.lines) == 1
assert (gap > 0).all()  # a log scale needs no zeros
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``torch.manual_seed(seed)`` at the start makes a run repeatable; give the
#   data split and the loader their own seeded ``torch.Generator``, and seed
#   Python's and NumPy's generators if you use them.
# * ``torch.use_deterministic_algorithms(True)`` picks deterministic
#   implementations where PyTorch has them and raises an error for the
#   operations known to have none; it is not always enough on its own, and
#   it can cost speed on GPUs. :hardware:`gpu` Restore the previous setting
#   when done.
# * Float32 sums depend on their order, and devices and thread counts order
#   them differently, so the same training on two machines differs in the
#   last digits, and training lets the difference grow. Compare results with
#   a tolerance.
