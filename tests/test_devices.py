"""The device chooser: names, the environment variable, and every failure message.

Accelerators are simulated by patching torch's availability checks, so the
accelerator code paths run on a CPU-only machine too.
"""

from __future__ import annotations

import pytest
import torch

from tutorial_helpers import devices
from tutorial_helpers.devices import (
    DEVICE_ENV_VAR,
    DeviceNotAvailableError,
    UnknownDeviceError,
    available_devices,
    choose_device,
    describe_device,
)


@pytest.fixture
def no_accelerator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        torch.accelerator, "current_accelerator", lambda check_available=False: None
    )
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    monkeypatch.setattr(torch.xpu, "is_available", lambda: False)


@pytest.fixture
def two_cuda_gpus(monkeypatch: pytest.MonkeyPatch, no_accelerator: None) -> None:
    monkeypatch.setattr(
        torch.accelerator,
        "current_accelerator",
        lambda check_available=False: torch.device("cuda"),
    )
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: "Simulated GPU")


@pytest.fixture
def apple_mps(monkeypatch: pytest.MonkeyPatch, no_accelerator: None) -> None:
    monkeypatch.setattr(
        torch.accelerator, "current_accelerator", lambda check_available=False: torch.device("mps")
    )
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEVICE_ENV_VAR, raising=False)


def test_auto_without_accelerator_is_cpu(no_accelerator: None) -> None:
    assert choose_device() == torch.device("cpu")
    assert choose_device("auto") == torch.device("cpu")
    assert available_devices() == ["cpu"]


def test_auto_picks_the_current_accelerator(two_cuda_gpus: None) -> None:
    assert choose_device() == torch.device("cuda")
    assert available_devices() == ["cpu", "cuda:0", "cuda:1"]


def test_auto_on_apple_silicon(apple_mps: None) -> None:
    assert choose_device() == torch.device("mps")
    assert choose_device("mps") == torch.device("mps", 0)
    assert available_devices() == ["cpu", "mps"]
    assert describe_device(torch.device("mps")) == "mps (Apple silicon GPU)"


@pytest.mark.parametrize(
    ("name", "expected"), [("cuda", "cuda:0"), ("CUDA:1", "cuda:1"), (" cpu ", "cpu")]
)
def test_explicit_names(two_cuda_gpus: None, name: str, expected: str) -> None:
    assert choose_device(name) == torch.device(expected)


def test_environment_variable_is_read(monkeypatch: pytest.MonkeyPatch, two_cuda_gpus: None) -> None:
    monkeypatch.setenv(DEVICE_ENV_VAR, "cpu")
    assert choose_device() == torch.device("cpu")
    monkeypatch.setenv(DEVICE_ENV_VAR, "cuda:1")
    assert choose_device() == torch.device("cuda", 1)
    monkeypatch.setenv(DEVICE_ENV_VAR, "")
    assert choose_device() == torch.device("cuda")


def test_argument_wins_over_environment(
    monkeypatch: pytest.MonkeyPatch, no_accelerator: None
) -> None:
    monkeypatch.setenv(DEVICE_ENV_VAR, "cuda")
    assert choose_device("cpu") == torch.device("cpu")


@pytest.mark.parametrize("name", ["gpu", "tpu", "cuda:", "cuda:x", "cuda:-1", "metal"])
def test_unknown_name_lists_valid_names(no_accelerator: None, name: str) -> None:
    with pytest.raises(UnknownDeviceError) as excinfo:
        choose_device(name)
    message = str(excinfo.value)
    assert repr(name.strip().lower()) in message
    assert "'auto' or one of 'cpu', 'cuda', 'mps', 'xpu'" in message
    assert "Devices on this machine: cpu." in message


def test_absent_device_from_env_says_how_to_fix(
    monkeypatch: pytest.MonkeyPatch, no_accelerator: None
) -> None:
    monkeypatch.setenv(DEVICE_ENV_VAR, "cuda")
    with pytest.raises(DeviceNotAvailableError) as excinfo:
        choose_device()
    assert str(excinfo.value) == (
        "Device 'cuda' (from the TUTORIAL_DEVICE) is not available on this machine. "
        "Devices on this machine: cpu. To run anyway, set TUTORIAL_DEVICE=auto (or cpu)."
    )


@pytest.mark.parametrize("name", ["mps", "xpu", "cuda"])
def test_absent_device_types(no_accelerator: None, name: str) -> None:
    with pytest.raises(DeviceNotAvailableError, match=rf"Device '{name}' \(from the argument\)"):
        choose_device(name)


def test_index_beyond_count(two_cuda_gpus: None) -> None:
    with pytest.raises(DeviceNotAvailableError) as excinfo:
        choose_device("cuda:2")
    assert "Device 'cuda:2'" in str(excinfo.value)
    assert "Devices on this machine: cpu, cuda:0, cuda:1." in str(excinfo.value)


def test_non_string_name_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be a string such as 'cpu', got int"):
        choose_device(0)  # type: ignore[arg-type]


def test_describe_device(two_cuda_gpus: None) -> None:
    assert describe_device(torch.device("cpu")) == "cpu"
    assert describe_device(torch.device("cuda", 1)) == "cuda:1 (Simulated GPU)"
    with pytest.raises(TypeError, match=r"torch.device\('cuda'\)"):
        describe_device("cuda")  # type: ignore[arg-type]


def test_real_machine_is_consistent() -> None:
    """Unpatched: whatever this machine is, auto and the listing agree."""
    chosen = choose_device()
    assert available_devices()[0] == "cpu"
    if chosen.type == "cpu":
        assert not torch.accelerator.is_available()
    else:
        assert any(name.startswith(chosen.type) for name in available_devices())
    assert devices.KNOWN_DEVICE_TYPES[0] == "cpu"
