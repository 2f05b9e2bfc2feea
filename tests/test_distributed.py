"""The data-parallel helpers: the problem, the step, the launcher and its failures.

The launcher's failure paths run against a stand-in ``tutorial_helpers`` package
put first on the children's ``PYTHONPATH``, so a rank can be made to fail or
hang on purpose; every test then checks that no child process is left running.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from tutorial_helpers import distributed
from tutorial_helpers.distributed import (
    N_FEATURES,
    N_SAMPLES,
    DataParallelError,
    find_free_port,
    make_model,
    make_regression_batch,
    run_data_parallel,
    training_step,
)


def test_free_port_can_be_bound() -> None:
    port = find_free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))


def test_batch_is_fixed_and_leaves_the_global_rng_alone() -> None:
    torch.manual_seed(123)
    expected_next = torch.rand(1)
    torch.manual_seed(123)
    inputs, targets = make_regression_batch()
    model = make_model(seed=5)
    assert torch.equal(torch.rand(1), expected_next)
    again_inputs, again_targets = make_regression_batch()
    assert torch.equal(inputs, again_inputs)
    assert torch.equal(targets, again_targets)
    assert inputs.shape == (N_SAMPLES, N_FEATURES)
    assert targets.shape == (N_SAMPLES, 1)
    assert isinstance(model, torch.nn.Linear)
    assert not torch.equal(make_model(seed=0).weight, make_model(seed=1).weight)


def test_training_step_is_one_gradient_descent_step() -> None:
    inputs, targets = make_regression_batch()
    model = make_model()
    weight, bias = model.weight.detach().clone(), model.bias.detach().clone()
    # The gradient of the mean squared error, by hand.
    residual = inputs @ weight.T + bias - targets
    grad_weight = 2 * (residual * inputs).mean(dim=0, keepdim=True)
    grad_bias = 2 * residual.mean(dim=0)

    loss = training_step(model, inputs, targets, lr=0.1)

    assert loss == pytest.approx((residual**2).mean().item())
    torch.testing.assert_close(model.weight.detach(), weight - 0.1 * grad_weight)
    torch.testing.assert_close(model.bias.detach(), bias - 0.1 * grad_bias)


@pytest.mark.parametrize("world_size", [0, 3, -2, 16, 2.0, "2"])
def test_world_size_must_divide_the_batch(world_size: object) -> None:
    with pytest.raises(ValueError, match=r"world_size must be a positive divisor of 8"):
        run_data_parallel(world_size=world_size)  # type: ignore[arg-type]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_two_ranks_take_the_single_process_step() -> None:
    """What the tutorial claims, checked here too: equal on both ranks, equal to one process."""
    rank0, rank1 = run_data_parallel(world_size=2, timeout=300)
    inputs, targets = make_regression_batch()
    single = make_model(seed=0)
    training_step(single, inputs, targets)
    assert not torch.equal(rank0["before_wrapping.weight"], rank1["before_wrapping.weight"])
    for name, parameter in single.named_parameters():
        assert torch.equal(rank0[f"after_wrapping.{name}"], rank1[f"after_wrapping.{name}"])
        assert torch.equal(rank0[f"grad.{name}"], rank1[f"grad.{name}"])
        assert torch.equal(rank0[f"after_step.{name}"], rank1[f"after_step.{name}"])
        torch.testing.assert_close(rank0[f"after_step.{name}"], parameter.detach())
    assert [rank0["samples"].item(), rank1["samples"].item()] == [4, 4]


def test_the_worker_runs_unchanged_under_torchrun(tmp_path: Path) -> None:
    """The tutorial says ``torchrun ... -m tutorial_helpers.distributed OUTPUT_DIR`` works."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc-per-node=2",
            "-m",
            "tutorial_helpers.distributed",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in (0, 1)]
    assert [r["rank"].item() for r in ranks] == [0, 1]
    assert torch.equal(ranks[0]["after_step.weight"], ranks[1]["after_step.weight"])


@pytest.fixture
def fake_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Children import a stand-in ``tutorial_helpers.distributed`` that obeys FAKE_RANK_<r>."""
    package = tmp_path / "fake" / "tutorial_helpers"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "distributed.py").write_text(
        "import os, sys, time\n"
        "rank = os.environ['RANK']\n"
        "open(os.path.join(os.environ['FAKE_PIDS'], rank), 'w').write(str(os.getpid()))\n"
        "action = os.environ['FAKE_RANK_' + rank]\n"
        "if action == 'fail':\n"
        "    deadline = time.time() + 20\n"  # let the other rank start first
        "    while len(os.listdir(os.environ['FAKE_PIDS'])) < 2 and time.time() < deadline:\n"
        "        time.sleep(0.05)\n"
        "    print('rank ' + rank + ' broke on purpose', flush=True)\n"
        "    sys.exit(3)\n"
        "time.sleep(120)\n"
    )
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "fake"))
    monkeypatch.setenv("FAKE_PIDS", str(pids))
    return pids


def _started_pids(pids: Path, expected: int) -> list[int]:
    deadline = time.monotonic() + 5
    while len(list(pids.iterdir())) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return [int(p.read_text()) for p in pids.iterdir()]


def test_a_failing_rank_stops_all_and_shows_its_output(
    fake_workers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RANK_0", "hang")
    monkeypatch.setenv("FAKE_RANK_1", "fail")
    start = time.monotonic()
    with pytest.raises(DataParallelError, match=r"Rank 1 exited with code 3") as excinfo:
        run_data_parallel(world_size=2, timeout=60)
    assert time.monotonic() - start < 30, "a failed rank must not wait for the timeout"
    assert "rank 1 broke on purpose" in str(excinfo.value)
    pids = _started_pids(fake_workers, 2)
    assert len(pids) == 2
    assert not any(_alive(pid) for pid in pids), "a rank was left running"


def test_ranks_that_hang_are_stopped_at_the_timeout(
    fake_workers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RANK_0", "hang")
    monkeypatch.setenv("FAKE_RANK_1", "hang")
    with pytest.raises(DataParallelError, match=r"did not finish within 3 s"):
        run_data_parallel(world_size=2, timeout=3)
    pids = _started_pids(fake_workers, 2)
    assert not any(_alive(pid) for pid in pids), "a rank was left running"


def test_module_entry_point_needs_an_output_dir(capsys: pytest.CaptureFixture[str]) -> None:
    assert distributed._main([]) == 2
    assert "usage: python -m tutorial_helpers.distributed OUTPUT_DIR" in capsys.readouterr().err
