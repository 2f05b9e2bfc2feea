"""Helpers used by the tutorials of Torchlight.

The package is small on purpose: each module has one job.

:mod:`tutorial_helpers.devices`
    Choose the device the examples run on (``TUTORIAL_DEVICE``).
:mod:`tutorial_helpers.benchmarks`
    Time matrix multiplication on a device and plot the timings.
:mod:`tutorial_helpers.distributed`
    Run a data-parallel training step on several local processes.
:mod:`tutorial_helpers.provenance`
    Describe the software and hardware that produced a build's outputs.
:mod:`tutorial_helpers.plotting`
    Draw tensors, broadcasting, and storage read through strides, from real values.
:mod:`tutorial_helpers.calculus`
    Slopes, tangent lines and tangent planes from autograd, and their plots.
:mod:`tutorial_helpers.graphs`
    Draw small computation graphs with a label on every edge.
:mod:`tutorial_helpers.exercises`
    Check a reader's answer to an exercise and answer back with a hint (the
    checkers of the questions are in ``tutorial_helpers.exercise_checks``).
:mod:`tutorial_helpers.training_plots`
    Draw a training run: learning curves and a confusion matrix.
:mod:`tutorial_helpers.terminal`
    Make text written for a terminal plain (no ANSI bold or colours).
:mod:`tutorial_helpers.checkpoints`
    Save checkpoints atomically; load them with ``weights_only=True`` and clear errors.
:mod:`tutorial_helpers.figure_text`
    The smallest text a figure draws, marked in its PNG, to check it legible on a phone.
:mod:`tutorial_helpers.sphinx_hooks`
    The sphinx-gallery hooks: reset global state before every example, mark its figures.
:mod:`tutorial_helpers.versions`
    The oldest PyTorch, NumPy and matplotlib that work, checked on import.
"""

# First, before anything imports torch: an old PyTorch stops here with a clear message.
from tutorial_helpers.versions import check_versions as _check_versions

_check_versions()

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
