"""
Timing a matrix multiply on each device
=======================================

An accelerator pays off when there is enough work to share among its many
cores; for small tensors, the fixed cost of starting each operation dominates.
In this tutorial you will measure how long a matrix product takes as the
matrices grow, on the CPU and on the accelerator when the machine has one, with
:class:`torch.utils.benchmark.Timer`, and read the result from a log-log plot.

The measured times belong to the machine that built this page and change from
run to run, so they appear only in the figure. If that machine was busy with
other work, some points jump: a thread that waits for a partner the operating
system has paused loses a whole time slice. Run the script yourself to measure
your own machine.
"""

# %%
# Why not ``time.perf_counter()``?
# --------------------------------
# Three things make naive timing wrong:
#
# * **Accelerators run asynchronously.** ``a @ b`` on a GPU returns as soon as
#   the work is queued, so a clock read right after it measures the launch, not
#   the product. :hardware:`gpu` The clock must be read after
#   :func:`torch.accelerator.synchronize`.
# * **The first call is slow.** It loads libraries and picks algorithms; warm
#   up before measuring.
# * **One measurement is noisy.** Repeat, and report the median.
#
# :class:`torch.utils.benchmark.Timer` does all three. One surprise: it runs
# the statement on **one CPU thread** unless told otherwise, while PyTorch
# itself uses several. For a fair comparison, pass
# ``num_threads=torch.get_num_threads()``.

# sphinx_gallery_card = "When an accelerator beats the CPU, measured."
# sphinx_gallery_assumes = "plot_01_choosing_a_device"
# sphinx_gallery_assumes = "../01_tensors/plot_02_arithmetic_and_broadcasting"
import torch
from torch.utils.benchmark import Timer

a = torch.randn(256, 256)
b = torch.randn(256, 256)
default_timer = Timer(stmt="a @ b", globals={"a": a, "b": b})
all_threads = Timer(
    stmt="a @ b", globals={"a": a, "b": b}, num_threads=torch.get_num_threads()
)
print(
    "threads used by default:",
    default_timer.blocked_autorange(min_run_time=0.01).num_threads,
)
print(
    "threads when asked:",
    all_threads.blocked_autorange(min_run_time=0.01).num_threads
    == torch.get_num_threads(),
)

# sphinx_gallery_start_ignore
assert default_timer.blocked_autorange(min_run_time=0.01).num_threads == 1
assert (
    all_threads.blocked_autorange(min_run_time=0.01).num_threads
    == torch.get_num_threads()
)
# sphinx_gallery_end_ignore

# %%
# Which devices to measure
# ------------------------
# The CPU is always measured, twice: on one thread, and on all the threads
# PyTorch uses. The accelerator is measured when :mod:`torch.accelerator`
# reports one; this line is printed from that check.
accelerator = torch.accelerator.current_accelerator(check_available=True)
devices = [torch.device("cpu")]
if accelerator is not None:
    devices.append(accelerator)
    print(f"Measuring the CPU and the accelerator ({accelerator.type}).")
else:
    print("No accelerator on this machine: only the CPU is measured.")

# sphinx_gallery_start_ignore
assert (len(devices) == 2) == torch.accelerator.is_available()
# sphinx_gallery_end_ignore

# %%
# Measure
# -------
# :func:`tutorial_helpers.benchmarks.time_matmul` multiplies two random
# ``n``-by-``n`` float32 matrices on a device for each size ``n``, with a
# :class:`~torch.utils.benchmark.Timer` as above, and returns the median
# seconds per product. Doubling ``n`` multiplies the work,
# :math:`2n^3` floating-point operations, by eight.
import matplotlib.pyplot as plt

from tutorial_helpers.benchmarks import plot_matmul_timings, time_matmul

sizes = [16, 32, 64, 128, 256, 512, 1024]
cpu = torch.device("cpu")
timings = {"cpu, 1 thread": time_matmul(sizes, cpu, num_threads=1)}
if torch.get_num_threads() > 1:
    timings[f"cpu, {torch.get_num_threads()} threads"] = time_matmul(
        sizes, cpu
    )
for device in devices[1:]:
    timings[str(device)] = time_matmul(sizes, device)
print("sizes measured:", sizes)
print("series measured:", len(timings))

# sphinx_gallery_start_ignore
assert len(timings) == 1 + (torch.get_num_threads() > 1) + (
    accelerator is not None
)
for _seconds in timings.values():
    assert len(_seconds) == len(sizes)
    assert all(s > 0 for s in _seconds)
# sphinx_gallery_end_ignore

# %%
# Read the plot
# -------------
# On log-log axes a power law is a straight line whose slope is the power. The
# work of a product grows like :math:`n^3`, the dashed line. Large products
# approach it: their time is spent on arithmetic. Small ones lie far above it
# and barely grow, because a fixed cost per call (checking arguments, choosing
# a kernel, on an accelerator launching it) outweighs the arithmetic. The lower
# panel shows the same data as work per second: small products leave the
# hardware idle, and only large ones approach its peak. Several threads help
# only once a product is large enough to split. That is why an
# accelerator helps with large batches and large layers, and can lose to the
# CPU on tiny tensors.
fig = plot_matmul_timings(
    sizes,
    timings,
    title="Matrix multiplication (float32): time and throughput against size",
)
plt.show()

# sphinx_gallery_start_ignore
# Loose bounds on purpose: timings on a busy machine are noisy, so only what no
# load can hide is checked (the largest product has 262144 times the work).
_cpu = timings["cpu, 1 thread"]
assert _cpu[-1] > 10 * _cpu[0], _cpu
_rates = [2 * n**3 / s for n, s in zip(sizes, _cpu, strict=True)]
assert _rates[-1] > 3 * _rates[0], _rates
if accelerator is not None:
    assert timings[str(accelerator)][-1] < _cpu[-1], timings
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Time accelerator code with :class:`torch.utils.benchmark.Timer`, which
#   synchronises, warms up and repeats; set ``num_threads`` for the CPU.
# * Small operations cost a roughly fixed overhead; large ones cost time in
#   proportion to their work (:math:`2n^3` for an ``n``-by-``n`` product).
# * Give an accelerator large operations; the CPU is often as fast on tiny
#   ones.
