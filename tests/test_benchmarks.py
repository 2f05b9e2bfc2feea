"""Matmul timing and its plot; the accelerator path runs with a simulated accelerator.

No test asserts a speed: timings depend on the machine and its load. They
check what is measured, that an accelerator is synchronised, and what is drawn.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import runpy

import pytest
import torch
from site_paths import GALLERY

from tutorial_helpers.benchmarks import matmul_flops, plot_matmul_timings, time_matmul

SIZES = [8, 16, 32]


def test_matmul_flops() -> None:
    assert matmul_flops(1) == 2
    assert matmul_flops(10) == 2000
    with pytest.raises(ValueError, match="positive integers"):
        matmul_flops(0)


def test_time_matmul_returns_one_positive_median_per_size() -> None:
    seconds = time_matmul(SIZES, torch.device("cpu"), min_run_time=0.01)
    assert len(seconds) == len(SIZES)
    assert all(0 < s < 1 for s in seconds)


def test_time_matmul_leaves_the_global_rng_alone() -> None:
    torch.manual_seed(7)
    expected = torch.rand(1)
    torch.manual_seed(7)
    time_matmul([4], torch.device("cpu"), min_run_time=0.01)
    assert torch.equal(torch.rand(1), expected)


def test_time_matmul_on_another_device_places_the_matrices_there() -> None:
    """The meta device stands in for an accelerator: the product is made there."""
    seconds = time_matmul([4, 8], torch.device("meta"), min_run_time=0.01)
    assert len(seconds) == 2


def test_the_timer_synchronises_an_accelerator(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the tutorial claims of torch.utils.benchmark.Timer, checked on a simulated GPU."""
    calls = []
    monkeypatch.setattr(torch.accelerator, "is_available", lambda: True)
    monkeypatch.setattr(torch.accelerator, "synchronize", lambda device=None: calls.append(1))
    time_matmul([4], torch.device("cpu"), min_run_time=0.01)
    assert calls, "Timer did not synchronise the accelerator"


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ([], "sizes is empty"),
        ([16, 8], "increase strictly"),
        ([8, 8], "increase strictly"),
        ([0, 8], "positive integers"),
        ([8.0], "positive integers"),
        ([True], "positive integers"),
    ],
)
def test_bad_sizes(sizes: list[object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        time_matmul(sizes, torch.device("cpu"))  # type: ignore[arg-type]


def test_bad_device_and_run_time() -> None:
    with pytest.raises(TypeError, match=r"torch.device\('cpu'\)"):
        time_matmul([8], "cpu")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_run_time must be positive"):
        time_matmul([8], torch.device("cpu"), min_run_time=0)
    for threads in [0, 1.5, True]:
        with pytest.raises(ValueError, match="num_threads must be a positive integer"):
            time_matmul([8], torch.device("cpu"), num_threads=threads)  # type: ignore[arg-type]


def test_time_matmul_uses_the_threads_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from tutorial_helpers import benchmarks

    seen = []
    real_timer = benchmarks.Timer

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(kwargs["num_threads"])
        return real_timer(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(benchmarks, "Timer", spy)
    time_matmul([4], torch.device("cpu"), min_run_time=0.01, num_threads=1)
    time_matmul([4], torch.device("cpu"), min_run_time=0.01)
    assert seen == [1, torch.get_num_threads()]


def test_plot_draws_each_device_and_the_reference_line() -> None:
    timings = {"cpu": [1e-5, 2e-5, 8e-5], "cuda:0": [2e-5, 2e-5, 3e-5]}
    fig = plot_matmul_timings(SIZES, timings, title="T")
    ax_time, ax_rate = fig.axes
    assert fig.get_suptitle() == "T"
    assert [line.get_label() for line in ax_time.lines] == ["cpu", "cuda:0", "∝ n³ (reference)"]
    assert [line.get_label() for line in ax_rate.lines] == ["cpu", "cuda:0"]
    for ax in fig.axes:
        assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
        assert all([ax.get_xlabel(), ax.get_ylabel(), ax.get_title()])
        assert list(ax.get_xticks()) == SIZES
    # The data drawn are the timings and the throughput they imply.
    assert list(ax_time.lines[0].get_ydata()) == timings["cpu"]
    rates = [2 * n**3 / s / 1e9 for n, s in zip(SIZES, timings["cuda:0"], strict=True)]
    assert list(ax_rate.lines[1].get_ydata()) == pytest.approx(rates)
    # The reference grows as n**3 and meets the first device at the largest size.
    reference = ax_time.lines[2].get_ydata()
    assert reference[-1] == timings["cpu"][-1]
    assert reference[-1] / reference[0] == pytest.approx((SIZES[-1] / SIZES[0]) ** 3)


@pytest.mark.parametrize(
    ("timings", "message"),
    [
        ({}, "timings is empty"),
        ({"cpu": [1.0, 2.0]}, "has 2 timings for 3 sizes"),
        ({"cpu": [1.0, 0.0, 2.0]}, "not positive"),
    ],
)
def test_plot_rejects_bad_timings(timings: dict[str, list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plot_matmul_timings(SIZES, timings)


def test_tutorial_measures_a_present_accelerator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The timing tutorial's accelerator branch, with the meta device as the accelerator."""
    meta = torch.device("meta")
    monkeypatch.setattr(torch.accelerator, "is_available", lambda: True)
    monkeypatch.setattr(
        torch.accelerator, "current_accelerator", lambda check_available=False: meta
    )
    monkeypatch.setattr(torch.accelerator, "synchronize", lambda device=None: None)
    namespace = runpy.run_path(str(GALLERY / "03_devices" / "plot_02_timing_matmul.py"))
    out = capsys.readouterr().out
    assert "Measuring the CPU and the accelerator (meta)." in out
    labels = [line.get_label() for line in namespace["fig"].axes[1].lines]
    assert labels[0] == "cpu, 1 thread"
    assert labels[-1] == "meta"
    assert f"series measured: {len(labels)}" in out
