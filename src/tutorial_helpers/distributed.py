"""Run one data-parallel training step on several processes of this machine.

Data parallelism keeps a full copy of the model in every process (a *rank*),
gives each rank its own slice of the batch, and averages the gradients across
ranks before the optimizer step, so every copy takes the same step.

:func:`run_data_parallel` launches the ranks the way ``torchrun`` does: it
starts ``python -m tutorial_helpers.distributed`` once per rank with the
environment variables ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``
and ``MASTER_PORT`` set, and each process runs :func:`data_parallel_worker`.
Separate interpreters are used instead of :func:`torch.multiprocessing.spawn`
because spawn re-imports the launching script in every child: a tutorial
script without an ``if __name__ == "__main__":`` guard would start again.
The same worker runs unchanged under ``torchrun``::

    torchrun --standalone --nproc-per-node=2 -m tutorial_helpers.distributed OUTPUT_DIR
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import torch
from torch import nn

__all__ = [
    "N_FEATURES",
    "N_SAMPLES",
    "DataParallelError",
    "data_parallel_worker",
    "find_free_port",
    "make_model",
    "make_regression_batch",
    "run_data_parallel",
    "training_step",
]

#: Samples in the whole batch; :func:`run_data_parallel` splits them evenly across ranks.
N_SAMPLES = 8

#: Input features of the regression problem.
N_FEATURES = 3

_LEARNING_RATE = 0.1


class DataParallelError(RuntimeError):
    """A rank failed, or the ranks did not finish in time."""


def find_free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that is free now.

    Binding to port 0 lets the operating system pick an unused port; the socket
    is closed at once, so another program could take the port before it is
    used, which is unlikely on a development machine.

    Parameters
    ----------
    host : str, optional
        The address to bind, the loopback interface by default.

    Returns
    -------
    int
        A port number between 1 and 65535.

    Examples
    --------
    >>> from tutorial_helpers.distributed import find_free_port
    >>> 0 < find_free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def make_regression_batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Return a fixed batch of a linear regression problem: inputs and targets.

    Parameters
    ----------
    seed : int, optional
        Seed of the private generator that draws the batch; the global RNG is untouched.

    Returns
    -------
    tuple of torch.Tensor
        Inputs of shape ``(N_SAMPLES, N_FEATURES)`` and targets of shape ``(N_SAMPLES, 1)``.

    Examples
    --------
    >>> from tutorial_helpers.distributed import make_regression_batch
    >>> inputs, targets = make_regression_batch()
    >>> tuple(inputs.shape), tuple(targets.shape)
    ((8, 3), (8, 1))
    """
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.randn(N_SAMPLES, N_FEATURES, generator=generator)
    true_weights = torch.tensor([[2.0], [-1.0], [0.5]])
    targets = inputs @ true_weights + 0.1 * torch.randn(N_SAMPLES, 1, generator=generator)
    return inputs, targets


def make_model(seed: int = 0) -> nn.Linear:
    """Return a linear model ``N_FEATURES -> 1`` whose initial weights depend on ``seed``.

    Parameters
    ----------
    seed : int, optional
        Seed for the initial weights (the global RNG is restored afterwards).

    Returns
    -------
    torch.nn.Linear
        A fresh model on the CPU.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.distributed import make_model
    >>> torch.equal(make_model(0).weight, make_model(0).weight)
    True
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Linear(N_FEATURES, 1)


def training_step(
    model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor, lr: float = _LEARNING_RATE
) -> float:
    """Take one step of plain gradient descent on the mean squared error.

    Parameters
    ----------
    model : torch.nn.Module
        The model to train, changed in place (a
        :class:`~torch.nn.parallel.DistributedDataParallel` wrapper works too).
    inputs, targets : torch.Tensor
        A batch and its targets, on the model's device.
    lr : float, optional
        The learning rate.

    Returns
    -------
    float
        The loss on this batch before the step.

    Examples
    --------
    >>> from tutorial_helpers.distributed import make_model, make_regression_batch, training_step
    >>> model = make_model()
    >>> inputs, targets = make_regression_batch()
    >>> first = training_step(model, inputs, targets)
    >>> training_step(model, inputs, targets) < first
    True
    """
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(inputs), targets)
    loss.backward()  # under DistributedDataParallel, this also averages gradients across ranks
    optimizer.step()
    return loss.item()


def _snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in model.named_parameters()}


def _gradients(model: nn.Module) -> dict[str, torch.Tensor]:
    return {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.grad is not None}


def data_parallel_worker(output_dir: str) -> None:
    """Run one rank of a data-parallel training step and save what it saw.

    Reads ``RANK`` and ``WORLD_SIZE`` from the environment (set by
    :func:`run_data_parallel` or by ``torchrun``), joins the process group with
    the ``gloo`` back end, builds a model with a rank-dependent seed, wraps it
    in :class:`~torch.nn.parallel.DistributedDataParallel` and takes one
    :func:`training_step` on the rank's share of the batch. Writes
    ``rank<RANK>.pt`` into ``output_dir`` with the parameters before and after
    wrapping, the gradients, the parameters after the step and the local loss.

    Parameters
    ----------
    output_dir : str
        The path of an existing directory for the results.
    """
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel

    rank, world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    dist.init_process_group(backend="gloo", timeout=timedelta(seconds=60))
    try:
        model = make_model(seed=rank)  # different on purpose: DDP copies rank 0's weights
        before_wrapping = _snapshot(model)
        ddp_model = DistributedDataParallel(model)
        after_wrapping = _snapshot(model)

        inputs, targets = make_regression_batch()
        my_inputs, my_targets = inputs[rank::world_size], targets[rank::world_size]
        loss = training_step(ddp_model, my_inputs, my_targets)

        result = {
            "rank": torch.tensor(rank),
            "samples": torch.tensor(len(my_inputs)),
            "loss": torch.tensor(loss),
            **{f"before_wrapping.{k}": v for k, v in before_wrapping.items()},
            **{f"after_wrapping.{k}": v for k, v in after_wrapping.items()},
            **{f"grad.{k}": v for k, v in _gradients(model).items()},
            **{f"after_step.{k}": v for k, v in _snapshot(model).items()},
        }
        # Write then rename, so the launcher never reads a half-written file.
        partial = Path(output_dir, f"rank{rank}.pt.partial")
        torch.save(result, partial)
        partial.replace(Path(output_dir, f"rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Terminate, then kill, every process still running, and reap them all."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_data_parallel(world_size: int = 2, timeout: float = 120.0) -> list[dict[str, torch.Tensor]]:
    """Launch ``world_size`` processes that take one data-parallel step together.

    Parameters
    ----------
    world_size : int, optional
        The number of processes (ranks); it must divide :data:`N_SAMPLES`.
    timeout : float, optional
        Seconds to wait for all ranks; then every process is stopped.

    Returns
    -------
    list of dict
        One dictionary of tensors per rank, in rank order, as written by
        :func:`data_parallel_worker`.

    Raises
    ------
    ValueError
        If ``world_size`` is not a positive divisor of :data:`N_SAMPLES`.
    DataParallelError
        If a rank exits with an error (its output is in the message) or the
        ranks do not finish within ``timeout`` seconds. No process is left running.

    Examples
    --------
    >>> from tutorial_helpers.distributed import run_data_parallel
    >>> run_data_parallel(world_size=3)
    Traceback (most recent call last):
        ...
    ValueError: world_size must be a positive divisor of 8 ...
    """
    if not isinstance(world_size, int) or world_size < 1 or N_SAMPLES % world_size:
        raise ValueError(
            f"world_size must be a positive divisor of {N_SAMPLES} (the batch is split evenly), "
            f"got {world_size!r}; use 1, 2, 4 or 8."
        )
    port = find_free_port()
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="ddp-") as tmp:
        output_dir = Path(tmp)
        try:
            for rank in range(world_size):
                env = {
                    **os.environ,
                    "RANK": str(rank),
                    "LOCAL_RANK": str(rank),
                    "WORLD_SIZE": str(world_size),
                    "LOCAL_WORLD_SIZE": str(world_size),
                    "MASTER_ADDR": "127.0.0.1",
                    "MASTER_PORT": str(port),
                    "OMP_NUM_THREADS": "1",  # the ranks share this machine's cores
                }
                # A log file, not a pipe: a chatty rank can never block on a full pipe.
                with (output_dir / f"rank{rank}.log").open("wb") as log:
                    processes.append(
                        subprocess.Popen(
                            [sys.executable, "-m", "tutorial_helpers.distributed", tmp],
                            env=env,
                            stdout=log,
                            stderr=subprocess.STDOUT,
                        )
                    )
            deadline = time.monotonic() + timeout
            # Poll every rank: one that fails makes the others wait for it forever.
            while not all(process.poll() == 0 for process in processes):
                for rank, process in enumerate(processes):
                    if process.poll() not in (None, 0):
                        log_text = (output_dir / f"rank{rank}.log").read_text(errors="replace")
                        raise DataParallelError(
                            f"Rank {rank} exited with code {process.returncode}:\n"
                            f"{log_text[-3000:]}"
                        )
                if time.monotonic() > deadline:
                    raise DataParallelError(
                        f"The {world_size} ranks did not finish within {timeout} s and were "
                        "stopped. Is something blocking connections to 127.0.0.1?"
                    )
                time.sleep(0.05)
        finally:
            _stop(processes)
        return [
            torch.load(output_dir / f"rank{rank}.pt", weights_only=True)
            for rank in range(world_size)
        ]


def _main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tutorial_helpers.distributed OUTPUT_DIR", file=sys.stderr)
        return 2
    data_parallel_worker(argv[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
