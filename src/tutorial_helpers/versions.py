"""The oldest PyTorch, NumPy and matplotlib the tutorials and helpers work with.

Each minimum comes from the newest API that the helpers or the tutorials call,
named in :data:`WHY`. ``import tutorial_helpers`` checks the installed versions
first (from the packages' metadata, without importing them), so an older
PyTorch fails at once with a message that says what was found, what is needed
and how to fix it, instead of an ``AttributeError`` deep inside a tutorial.

The same minimums are the wheel's ``Requires-Dist`` lower bounds
(``pyproject.toml``) and are stated on the site's landing page; the tests keep
the three equal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import metadata

__all__ = [
    "DISPLAY_NAMES",
    "INSTALL_SELECTOR",
    "MINIMUM_VERSIONS",
    "PAGE_PACKAGES",
    "WHY",
    "UnsupportedVersionError",
    "check_versions",
    "installed_versions",
]

#: The oldest release of each distribution that the tutorials and helpers work with.
MINIMUM_VERSIONS: dict[str, str] = {"torch": "2.7", "numpy": "2.0", "matplotlib": "3.8.4"}

#: For each minimum, the newest API the code relies on that sets it.
WHY: dict[str, str] = {
    "torch": "torch.accelerator.current_accelerator(check_available=...) appeared in 2.7",
    "numpy": "the np.bool spelling of the boolean dtype returned in NumPy 2.0",
    "matplotlib": (
        "Figure.get_suptitle(), used in the plotting examples, appeared in 3.8, and 3.8.4 is "
        "the first 3.8 release that installs with NumPy 2 (3.8.0 to 3.8.3 declare numpy<2)"
    ),
    "scikit-learn": "1.5.0 is the oldest release tested (nox -s compat); load_digits is older",
}

#: The oldest release of each package that some pages import beyond the helpers' own
#: dependencies (``scikit-learn``: the training pages load its bundled digits). The build
#: finds which pages import which (``conf/_ext/run_box.py``); the minimum is stated here once,
#: is the bound in ``pyproject.toml``'s dependency groups, and is what ``nox -s compat``
#: installs at the oldest end.
PAGE_PACKAGES: dict[str, str] = {"scikit-learn": "1.5"}

#: Where PyTorch's own page picks the right build (CPU, CUDA, ROCm, ...) for a machine.
INSTALL_SELECTOR = "https://pytorch.org/get-started/locally/"

#: How each distribution is named in prose.
DISPLAY_NAMES = {"torch": "PyTorch", "numpy": "NumPy", "matplotlib": "matplotlib"}


class UnsupportedVersionError(ImportError):
    """An installed dependency is older than :data:`MINIMUM_VERSIONS` allows, or missing."""


def _release(version: str) -> tuple[int, ...]:
    """The leading numeric release of a version string: ``"2.13.0+cpu"`` -> ``(2, 13, 0)``."""
    match = re.match(r"\d+(\.\d+)*", version.strip())
    if match is None:
        raise ValueError(f"not a version number: {version!r}")
    return tuple(int(part) for part in match.group().split("."))


def installed_versions() -> dict[str, str | None]:
    """The installed version of each distribution in :data:`MINIMUM_VERSIONS` (``None``: absent)."""
    found: dict[str, str | None] = {}
    for name in MINIMUM_VERSIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def check_versions(found: Mapping[str, str | None] | None = None) -> None:
    """Raise :class:`UnsupportedVersionError` unless every dependency is recent enough.

    Parameters
    ----------
    found : dict, optional
        Distribution name to installed version (``None`` for not installed).
        Defaults to :func:`installed_versions`.

    Raises
    ------
    UnsupportedVersionError
        Naming each package that is missing or too old, the version found, the
        version needed, why, and the command that fixes it.

    Examples
    --------
    >>> from tutorial_helpers.versions import check_versions
    >>> check_versions({"torch": "2.13.0+cpu", "numpy": "2.4.6", "matplotlib": "3.11.2"})
    >>> check_versions({"torch": "2.6.0", "numpy": "2.4.6", "matplotlib": "3.11.2"})
    Traceback (most recent call last):
        ...
    tutorial_helpers.versions.UnsupportedVersionError: tutorial_helpers needs PyTorch 2.7 or newer, but PyTorch 2.6.0 is installed (torch.accelerator.current_accelerator(check_available=...) appeared in 2.7). Fix: pip install --upgrade "torch>=2.7" (for the build that fits your machine, CPU or GPU, see https://pytorch.org/get-started/locally/).
    """  # noqa: E501
    versions = installed_versions() if found is None else found
    problems = []
    for name, minimum in MINIMUM_VERSIONS.items():
        version = versions.get(name)
        display = DISPLAY_NAMES[name]
        fix = f'pip install --upgrade "{name}>={minimum}"'
        if name == "torch":
            fix += f" (for the build that fits your machine, CPU or GPU, see {INSTALL_SELECTOR})"
        if version is None:
            problems.append(
                f"tutorial_helpers needs {display} {minimum} or newer, but {display} is not "
                f"installed. Fix: {fix}."
            )
        elif _release(version) < _release(minimum):
            problems.append(
                f"tutorial_helpers needs {display} {minimum} or newer, but {display} {version} "
                f"is installed ({WHY[name]}). Fix: {fix}."
            )
    if problems:
        raise UnsupportedVersionError("\n".join(problems))
