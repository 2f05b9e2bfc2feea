"""Time matrix multiplication on a device and draw the timings against size.

Timing code on an accelerator needs care: its kernels run asynchronously, so a
clock read right after ``a @ b`` returns measures only the launch.
:class:`torch.utils.benchmark.Timer` synchronises the accelerator around each
measurement, warms up before it measures, and repeats until a minimum time has
passed; :func:`time_matmul` uses it with every CPU thread PyTorch would use
unless told otherwise (the Timer's own default is one thread).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import torch
from torch.utils.benchmark import Timer

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["matmul_flops", "plot_matmul_timings", "time_matmul"]


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    checked = list(sizes)
    if not checked:
        raise ValueError("sizes is empty: give at least one matrix size, e.g. [64, 128].")
    for n in checked:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"Matrix sizes must be positive integers, got {n!r}.")
    if checked != sorted(set(checked)):
        raise ValueError(f"Matrix sizes must increase strictly, got {checked}; sort them first.")
    return checked


def matmul_flops(n: int) -> int:
    """Return the floating-point operations of one ``n``-by-``n`` matrix product.

    Each of the ``n * n`` results takes ``n`` multiplications and ``n - 1``
    additions; the usual count rounds that to ``2 * n**3``.

    Parameters
    ----------
    n : int
        The size of both square matrices.

    Returns
    -------
    int
        ``2 * n**3``.

    Examples
    --------
    >>> from tutorial_helpers.benchmarks import matmul_flops
    >>> matmul_flops(1000)
    2000000000
    """
    _check_sizes([n])
    return 2 * n**3


def time_matmul(
    sizes: Sequence[int],
    device: torch.device,
    *,
    dtype: torch.dtype = torch.float32,
    min_run_time: float = 0.05,
    num_threads: int | None = None,
) -> list[float]:
    """Measure the median time of ``a @ b`` for square matrices of each size.

    Parameters
    ----------
    sizes : list of int
        Matrix sizes ``n``, strictly increasing.
    device : torch.device
        Where the matrices live and the product runs.
    dtype : torch.dtype, optional
        The type of the matrices' elements.
    min_run_time : float, optional
        Seconds to keep repeating each measurement; more gives steadier medians.
    num_threads : int, optional
        CPU threads to compute with; by default as many as PyTorch uses
        (:func:`torch.get_num_threads`).

    Returns
    -------
    list of float
        The median seconds of one product, one per size.

    Raises
    ------
    ValueError
        If ``sizes`` is empty, not strictly increasing, or holds a non-positive
        size, or if ``min_run_time`` or ``num_threads`` is not positive.
    TypeError
        If ``device`` is not a :class:`torch.device`.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.benchmarks import time_matmul
    >>> [seconds] = time_matmul([32], torch.device("cpu"), min_run_time=0.01)
    >>> 0 < seconds < 1
    True
    """
    checked = _check_sizes(sizes)
    if not isinstance(device, torch.device):
        raise TypeError(
            f"device must be a torch.device, got {type(device).__name__}; "
            "wrap a name first, e.g. torch.device('cpu')."
        )
    if not min_run_time > 0:
        raise ValueError(f"min_run_time must be positive seconds, got {min_run_time!r}.")
    if num_threads is None:
        num_threads = torch.get_num_threads()
    if isinstance(num_threads, bool) or not isinstance(num_threads, int) or num_threads < 1:
        raise ValueError(f"num_threads must be a positive integer, got {num_threads!r}.")
    generator = torch.Generator().manual_seed(0)  # leaves the global RNG alone
    medians = []
    for n in checked:
        a = torch.randn(n, n, generator=generator, dtype=dtype).to(device)
        b = torch.randn(n, n, generator=generator, dtype=dtype).to(device)
        timer = Timer(
            stmt="a @ b",
            globals={"a": a, "b": b},
            num_threads=num_threads,
            label="matmul",
            sub_label=f"{n}x{n}",
            description=str(device),
        )
        medians.append(timer.blocked_autorange(min_run_time=min_run_time).median)
    return medians


def plot_matmul_timings(
    sizes: Sequence[int],
    timings: Mapping[str, Sequence[float]],
    *,
    title: str = "Matrix multiplication: time and throughput against size",
) -> Figure:
    """Draw measured matmul times and the throughput they imply, on log-log axes.

    Parameters
    ----------
    sizes : list of int
        The matrix sizes, strictly increasing.
    timings : mapping
        From each device's label (a str) to its seconds per product, one per size.
    title : str, optional
        The figure's title (also its alt text on the site).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels, one above the other (legible on a phone): seconds per
        product, with a dashed reference line proportional to ``n**3``
        through the first device's largest product, and below it billions of
        floating-point operations per second (GFLOP/s), both against the size.

    Raises
    ------
    ValueError
        If there are no timings, a device has a different number of timings
        than there are sizes, or a timing is not positive.

    Examples
    --------
    >>> from tutorial_helpers.benchmarks import plot_matmul_timings
    >>> fig = plot_matmul_timings([64, 128], {"cpu": [1e-5, 4e-5]})
    >>> [ax.get_xscale() for ax in fig.axes]
    ['log', 'log']
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, NullLocator

    checked = _check_sizes(sizes)
    if not timings:
        raise ValueError("timings is empty: give at least one device's measurements.")
    for label, seconds in timings.items():
        if len(seconds) != len(checked):
            raise ValueError(
                f"{label!r} has {len(seconds)} timings for {len(checked)} sizes; "
                "measure every size on every device."
            )
        if any(not s > 0 for s in seconds):
            raise ValueError(f"{label!r} has a timing that is not positive: {list(seconds)}.")

    fig, (ax_time, ax_rate) = plt.subplots(
        2, 1, figsize=(6.4, 8.0), layout="constrained", facecolor="white"
    )
    markers = "os^Dv"
    for index, (label, seconds) in enumerate(timings.items()):
        style = {"marker": markers[index % len(markers)], "linewidth": 1.8, "label": label}
        ax_time.plot(checked, seconds, **style)
        rates = [matmul_flops(n) / s / 1e9 for n, s in zip(checked, seconds, strict=True)]
        ax_rate.plot(checked, rates, **style)
    # A line of slope 3 through the first device's largest product: time in
    # proportion to the work, the limit that large products approach.
    first_seconds = next(iter(timings.values()))
    reference = [first_seconds[-1] * (n / checked[-1]) ** 3 for n in checked]
    ax_time.plot(
        checked, reference, linestyle="--", color="0.45", linewidth=1.2, label="∝ n³ (reference)"
    )

    for ax in (ax_time, ax_rate):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(FixedLocator(checked))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticklabels([str(n) for n in checked])
        ax.set_xlabel("matrix size n (two n-by-n matrices)", fontsize=11)
        ax.grid(True, which="major", alpha=0.35)
        ax.tick_params(labelsize=11)
        ax.legend(fontsize=11)
    ax_time.set_ylabel("time per product (seconds)", fontsize=11)
    ax_time.set_title("Median time of a @ b", fontsize=12)
    ax_rate.set_ylabel("throughput (GFLOP/s, 2n³ operations)", fontsize=11)
    ax_rate.set_title("Work done per second", fontsize=12)
    fig.suptitle(title, fontsize=13)
    return fig
