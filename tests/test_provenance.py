"""The provenance note names the real versions and device."""

from __future__ import annotations

import platform

import numpy as np
import pytest
import torch

from tutorial_helpers.devices import DEVICE_ENV_VAR, DeviceNotAvailableError
from tutorial_helpers.provenance import collect_provenance


def test_collects_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEVICE_ENV_VAR, "cpu")
    info = collect_provenance()
    assert info.torch_version == torch.__version__
    assert info.numpy_version == np.__version__
    assert info.python_version == platform.python_version()
    assert info.device == "cpu"
    assert info.summary().startswith(f"Outputs produced by PyTorch {torch.__version__} ")


def test_absent_device_fails_the_build_early(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.xpu, "is_available", lambda: False)
    monkeypatch.setenv(DEVICE_ENV_VAR, "xpu")
    with pytest.raises(DeviceNotAvailableError, match="TUTORIAL_DEVICE=auto"):
        collect_provenance()
