"""Shared fixtures: paths of the project and of the built site, and a browser to read it with."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import AXE_JS, CHROMIUM, CHROMIUM_ARGS, serving, skip_or_fail
from scratch_site import build_small_site
from site_paths import HTML


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site built by ``nox -s docs`` (``nox -s tests`` builds it first)."""
    if not (HTML / "index.html").is_file():
        pytest.fail(f"No built site at {HTML}: run `nox -s docs` (or `nox -s tests`) first.")
    return HTML


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """build/html of a small site built with the project's configuration, base URL set.

    Built once per test run: pytest-xdist's workers share it (one builds, the others
    wait on the lock), as pytest-xdist's documentation does for a session fixture.
    """
    if worker_id == "master":  # one process, no workers
        return build_small_site(tmp_path_factory.mktemp("small-site"))
    from filelock import FileLock  # a dependency of torch

    shared = tmp_path_factory.getbasetemp().parent  # this run's, common to its workers
    with FileLock(str(shared / "small-site.lock")):
        html = shared / "small-site" / "build" / "html"
        if not (html / "index.html").is_file():
            shutil.rmtree(shared / "small-site", ignore_errors=True)
            build_small_site(shared / "small-site")
    return html


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve build/html on a free localhost port for the session; stop the server after."""
    with serving(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a browser Playwright downloads).

    Skips with the reason when Playwright or Chromium is missing; under ``CI=true`` fails.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright is not installed: `pip install playwright` (tests group)")
    if not Path(CHROMIUM).is_file():
        skip_or_fail(
            f"no Chromium at {CHROMIUM}: `apt-get install chromium` (or set CHROMIUM_PATH)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core script, to inject into a page."""
    if not AXE_JS.is_file():
        skip_or_fail(f"axe-core is not installed at {AXE_JS}: run `npm ci --prefix tests/browser`")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Tests draw figures; close them so they do not pile up."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
