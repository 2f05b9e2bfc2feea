"""Shared fixtures: paths of the project and of the built site."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_paths import HTML


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site built by ``nox -s docs`` (``nox -s tests`` builds it first)."""
    if not (HTML / "index.html").is_file():
        pytest.fail(f"No built site at {HTML}: run `nox -s docs` (or `nox -s tests`) first.")
    return HTML


@pytest.fixture(autouse=True)
def _close_figures():
    """Tests draw figures; close them so they do not pile up."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
