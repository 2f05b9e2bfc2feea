"""Shared fixtures: paths of the project and of the built site, and a browser to read it with."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from site_paths import HTML, ROOT

#: Where the browser tests find Chromium: Debian's package (``apt-get install chromium``).
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

#: Flags for a headless Chromium that reaches nothing but the site under test: no
#: background connections to Google's services, which this network refuses anyway.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]

#: axe-core, installed from the npm registry by ``nox -s tests`` (``npm ci`` in tests/browser).
AXE_JS = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip a test that needs a tool this machine lacks; in CI a missing tool is a failure."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the tool must be installed, see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site built by ``nox -s docs`` (``nox -s tests`` builds it first)."""
    if not (HTML / "index.html").is_file():
        pytest.fail(f"No built site at {HTML}: run `nox -s docs` (or `nox -s tests`) first.")
    return HTML


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the base class defines it as a class attribute)
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve build/html on a free localhost port for the session; stop the server after."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


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
