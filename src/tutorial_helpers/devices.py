"""Choose the device the tutorials run on, portably and with clear errors.

The choice comes from an argument or, when none is given, from the environment
variable ``TUTORIAL_DEVICE``:

``auto`` (the default)
    The current accelerator reported by :mod:`torch.accelerator` (CUDA or ROCm,
    Apple MPS, Intel XPU, ...) when one is present, otherwise the CPU.
``cpu``, ``cuda``, ``mps``, ``xpu``
    That device type; it must be present on this machine.
``cuda:1`` (a type with an index)
    That one device; the index must be below the number of devices of the type.
"""

from __future__ import annotations

import os

import torch

__all__ = [
    "DEVICE_ENV_VAR",
    "KNOWN_DEVICE_TYPES",
    "DeviceNotAvailableError",
    "UnknownDeviceError",
    "available_devices",
    "choose_device",
    "describe_device",
]

#: The environment variable read by :func:`choose_device` when no name is given.
DEVICE_ENV_VAR = "TUTORIAL_DEVICE"

#: The device types the tutorials know how to use (ROCm GPUs are named ``cuda``).
KNOWN_DEVICE_TYPES: tuple[str, ...] = ("cpu", "cuda", "mps", "xpu")


class UnknownDeviceError(ValueError):
    """A device name that is neither ``auto`` nor one of :data:`KNOWN_DEVICE_TYPES`."""


class DeviceNotAvailableError(RuntimeError):
    """A known device type (or index) that this machine does not have."""


def _device_count(device_type: str) -> int:
    """Return how many devices of ``device_type`` this machine has (the CPU counts as one)."""
    if device_type == "cpu":
        return 1
    if device_type == "cuda":
        return torch.cuda.device_count() if torch.cuda.is_available() else 0
    if device_type == "mps":
        return 1 if torch.backends.mps.is_available() else 0
    if device_type == "xpu":
        return torch.xpu.device_count() if torch.xpu.is_available() else 0
    return 0


def available_devices() -> list[str]:
    """List the devices this machine offers, CPU first.

    Returns
    -------
    list of str
        ``"cpu"`` followed by every accelerator device by name, e.g.
        ``["cpu", "cuda:0", "cuda:1"]`` or ``["cpu", "mps"]``.

    Examples
    --------
    >>> from tutorial_helpers import available_devices
    >>> available_devices()[0]
    'cpu'
    """
    names = ["cpu"]
    for device_type in KNOWN_DEVICE_TYPES[1:]:
        count = _device_count(device_type)
        if device_type == "mps":
            names += ["mps"] * count
        else:
            names += [f"{device_type}:{index}" for index in range(count)]
    return names


def _parse(name: str) -> tuple[str, int | None]:
    """Split ``"cuda:1"`` into ``("cuda", 1)``, rejecting names the tutorials don't know."""
    device_type, sep, index_text = name.partition(":")
    if device_type not in KNOWN_DEVICE_TYPES or (sep and not index_text.isdigit()):
        raise UnknownDeviceError(
            f"Unknown device name {name!r}. Use 'auto' or one of "
            f"{', '.join(repr(t) for t in KNOWN_DEVICE_TYPES)}, optionally with an index "
            f"such as 'cuda:0'. Devices on this machine: {', '.join(available_devices())}."
        )
    return device_type, int(index_text) if sep else None


def choose_device(name: str | None = None) -> torch.device:
    """Return the device the tutorials should run on.

    Parameters
    ----------
    name : str, optional
        ``"auto"``, a device type (``"cpu"``, ``"cuda"``, ``"mps"``, ``"xpu"``) or a
        type with an index (``"cuda:1"``). Case and surrounding spaces are ignored.
        When omitted, the value of the environment variable ``TUTORIAL_DEVICE`` is
        used, and ``"auto"`` when that is unset or empty.

    Returns
    -------
    torch.device
        For ``"auto"``, the current accelerator if one is available, else the CPU.

    Raises
    ------
    UnknownDeviceError
        If the name is not ``auto`` or a known device type; the message lists the
        valid names and the devices present.
    DeviceNotAvailableError
        If the device type, or that index, is not present on this machine; the
        message lists the devices present and how to pick another one.

    Examples
    --------
    >>> from tutorial_helpers import choose_device
    >>> choose_device("cpu")
    device(type='cpu')
    >>> choose_device(" CPU ")
    device(type='cpu')
    >>> choose_device("tpu")
    Traceback (most recent call last):
        ...
    tutorial_helpers.devices.UnknownDeviceError: Unknown device name 'tpu'. ...
    """
    source = "argument"
    if name is None:
        name, source = os.environ.get(DEVICE_ENV_VAR, ""), f"{DEVICE_ENV_VAR}"
    if not isinstance(name, str):
        raise TypeError(f"Device name must be a string such as 'cpu', got {type(name).__name__}.")
    normalized = name.strip().lower() or "auto"

    if normalized == "auto":
        accelerator = torch.accelerator.current_accelerator(check_available=True)
        return accelerator if accelerator is not None else torch.device("cpu")

    device_type, index = _parse(normalized)
    count = _device_count(device_type)
    if count == 0 or (index is not None and index >= count):
        what = f"{device_type!r}" if index is None else f"{normalized!r}"
        how = (
            f"set {DEVICE_ENV_VAR}=auto (or cpu)"
            if source == DEVICE_ENV_VAR
            else "pass 'auto' (or 'cpu')"
        )
        raise DeviceNotAvailableError(
            f"Device {what} (from the {source}) is not available on this machine. "
            f"Devices on this machine: {', '.join(available_devices())}. "
            f"To run anyway, {how}."
        )
    if device_type == "cpu":
        return torch.device("cpu")
    return torch.device(device_type, index if index is not None else 0)


def describe_device(device: torch.device) -> str:
    """Describe a device for a reader: its name and, for an accelerator, the hardware.

    Parameters
    ----------
    device : torch.device
        A device, usually from :func:`choose_device`.

    Returns
    -------
    str
        For example ``"cpu"`` or ``"cuda:0 (NVIDIA H100 80GB HBM3)"``.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.devices import describe_device
    >>> describe_device(torch.device("cpu"))
    'cpu'
    """
    if not isinstance(device, torch.device):
        raise TypeError(
            f"describe_device expects a torch.device, got {type(device).__name__}; "
            "wrap a name first, e.g. torch.device('cuda')."
        )
    if device.type == "cuda":
        return f"{device} ({torch.cuda.get_device_name(device)})"
    if device.type == "xpu":
        return f"{device} ({torch.xpu.get_device_name(device)})"
    if device.type == "mps":
        return f"{device} (Apple silicon GPU)"
    return str(device)
