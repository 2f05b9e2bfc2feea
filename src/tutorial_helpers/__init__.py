"""Helpers used by the tutorials of Torchlight.

The package is small on purpose: each module has one job.

:mod:`tutorial_helpers.devices`
    Choose the device the examples run on (``TUTORIAL_DEVICE``).
:mod:`tutorial_helpers.provenance`
    Describe the software and hardware that produced a build's outputs.
:mod:`tutorial_helpers.plotting`
    Draw tensors and functions from real values.
:mod:`tutorial_helpers.sphinx_hooks`
    The sphinx-gallery hook that resets global state before every example.
"""

from tutorial_helpers.devices import (
    DEVICE_ENV_VAR,
    DeviceNotAvailableError,
    UnknownDeviceError,
    available_devices,
    choose_device,
)

__all__ = [
    "DEVICE_ENV_VAR",
    "DeviceNotAvailableError",
    "UnknownDeviceError",
    "available_devices",
    "choose_device",
]
__version__ = "0.1.0"
