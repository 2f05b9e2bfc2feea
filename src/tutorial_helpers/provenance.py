"""Describe the software and hardware that produced a build's outputs.

Every executed page of the site states where its outputs came from; this module
is the one place that knows how to say it.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

import torch

from tutorial_helpers.devices import choose_device, describe_device

__all__ = ["BuildProvenance", "collect_provenance"]


@dataclass(frozen=True)
class BuildProvenance:
    """Versions and device behind a build's outputs.

    Attributes
    ----------
    torch_version, numpy_version, python_version : str
        Versions of the packages that executed the examples.
    device : str
        The device the examples ran on, described by
        :func:`tutorial_helpers.devices.describe_device`.
    """

    torch_version: str
    numpy_version: str
    python_version: str
    device: str

    def summary(self) -> str:
        """One sentence for the top of an executed page.

        Examples
        --------
        >>> from tutorial_helpers.provenance import BuildProvenance
        >>> BuildProvenance("2.13.0+cpu", "2.4.6", "3.11.7", "cpu").summary()
        'Outputs produced by PyTorch 2.13.0+cpu (NumPy 2.4.6, Python 3.11.7) on cpu.'
        """
        return (
            f"Outputs produced by PyTorch {self.torch_version} (NumPy {self.numpy_version}, "
            f"Python {self.python_version}) on {self.device}."
        )


def collect_provenance(device_name: str | None = None) -> BuildProvenance:
    """Collect the provenance of outputs computed in this process.

    Parameters
    ----------
    device_name : str, optional
        Passed to :func:`tutorial_helpers.devices.choose_device`; by default the
        device comes from ``TUTORIAL_DEVICE``.

    Returns
    -------
    BuildProvenance

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.provenance import collect_provenance
    >>> info = collect_provenance("cpu")
    >>> info.torch_version == torch.__version__, info.device
    (True, 'cpu')
    """
    return BuildProvenance(
        torch_version=torch.__version__,
        numpy_version=metadata.version("numpy"),
        python_version=platform.python_version(),
        device=describe_device(choose_device(device_name)),
    )
