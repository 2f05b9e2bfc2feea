"""An old or missing dependency stops ``import tutorial_helpers``, saying how to fix it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest
from site_paths import ROOT

from tutorial_helpers.versions import (
    INSTALL_SELECTOR,
    MINIMUM_VERSIONS,
    PAGE_PACKAGES,
    UnsupportedVersionError,
    check_versions,
    installed_versions,
)

CURRENT = {"torch": "2.13.0+cpu", "numpy": "2.4.6", "matplotlib": "3.11.2"}


def test_this_environment_passes() -> None:
    assert all(installed_versions().values())
    check_versions()


def test_recent_versions_pass_including_exactly_the_minimum() -> None:
    check_versions(CURRENT)
    check_versions({"torch": "2.7.0", "numpy": "2.0.0", "matplotlib": "3.8.4"})
    check_versions({"torch": "2.14.0a0+git1234", "numpy": "2.5.0.dev0", "matplotlib": "3.12"})


def test_an_old_pytorch_names_found_needed_and_the_fix() -> None:
    with pytest.raises(UnsupportedVersionError) as raised:
        check_versions({**CURRENT, "torch": "2.6.0+cu124"})
    message = str(raised.value)
    assert "needs PyTorch 2.7 or newer, but PyTorch 2.6.0+cu124 is installed" in message
    assert "check_available" in message  # why
    assert 'pip install --upgrade "torch>=2.7"' in message
    assert INSTALL_SELECTOR in message


def test_every_problem_is_listed() -> None:
    with pytest.raises(UnsupportedVersionError) as raised:
        check_versions({"torch": "2.13.0", "numpy": None, "matplotlib": "3.7.5"})
    lines = str(raised.value).splitlines()
    assert len(lines) == 2
    assert "NumPy is not installed" in lines[0]
    assert "matplotlib 3.7.5 is installed" in lines[1]


def test_an_old_pytorch_stops_the_import_at_once() -> None:
    """Simulated: the package metadata reports torch 2.6.0 to a fresh interpreter."""
    code = (
        "import importlib.metadata as m\n"
        "real = m.version\n"
        "m.version = lambda name: '2.6.0' if name == 'torch' else real(name)\n"
        "import tutorial_helpers\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("tutorial_helpers.versions.UnsupportedVersionError: "), last
    assert "PyTorch 2.6.0 is installed" in last
    assert "AttributeError" not in run.stderr


def test_pyproject_states_the_same_minimums() -> None:
    with (ROOT / "pyproject.toml").open("rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    bounds = dict(re.fullmatch(r"([\w-]+)>=([\d.]+)", d).groups() for d in dependencies)  # type: ignore[union-attr]
    assert bounds == MINIMUM_VERSIONS


def test_matplotlib_before_3_8_4_is_refused() -> None:
    """3.8.0 to 3.8.3 declare numpy<2: with NumPy 2.0, 3.8.4 is the oldest that installs."""
    with pytest.raises(UnsupportedVersionError, match=r"matplotlib 3\.8\.3 is installed"):
        check_versions({**CURRENT, "matplotlib": "3.8.3"})


def test_pyproject_states_the_pages_packages_minimums() -> None:
    with (ROOT / "pyproject.toml").open("rb") as file:
        groups = tomllib.load(file)["dependency-groups"]
    for name, minimum in PAGE_PACKAGES.items():
        bounds = {
            match.group(1)
            for group in groups.values()
            for requirement in group
            if isinstance(requirement, str)
            and (match := re.fullmatch(rf"{re.escape(name)}>=([\d.]+)", requirement))
        }
        assert bounds == {minimum}, f"{name}: pyproject.toml says {bounds}, versions.py {minimum}"
