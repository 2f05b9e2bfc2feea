"""Lighthouse on the built site, served the way a static host serves it.

The site is served by nginx (Debian's ``nginx-light``) with gzip on and a
short cache lifetime, as GitHub Pages serves it; Python's ``http.server``
compresses nothing and would measure a slower site than readers get.
Lighthouse and the Node.js it needs (22 or newer) come from the npm registry,
pinned by ``tests/browser/package-lock.json``; the browser is Debian's
Chromium. Nothing is downloaded while it runs.

Used by ``tests/test_lighthouse.py`` (accessibility, best practices and SEO,
which do not depend on the machine's speed) and by ``nox -s bench`` (every
page, performance included).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browsing import CHROMIUM
from page_speed import site_pages
from site_paths import ROOT

BROWSER_JS = ROOT / "tests" / "browser"
#: Node.js from the npm package ``node`` (Lighthouse 13 needs Node 22 or newer).
NODE = BROWSER_JS / "node_modules" / ".bin" / "node"
LIGHTHOUSE = BROWSER_JS / "node_modules" / "lighthouse" / "cli" / "index.js"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: The categories that do not depend on how fast the machine is.
MACHINE_INDEPENDENT = ("accessibility", "best-practices", "seo")

NGINX_CONF = """\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  types {{ text/javascript js mjs; font/woff2 woff2; }}
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  gzip on;
  gzip_comp_level 6;
  gzip_min_length 256;
  gzip_types text/css text/javascript application/javascript application/json
             image/svg+xml text/plain application/xml;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    expires 10m;
    error_page 404 /404.html;
  }}
}}
"""


def missing_tools() -> list[str]:
    """What this machine lacks to run Lighthouse, each with the command that installs it."""
    missing = []
    if not Path(NGINX).is_file():
        missing.append("nginx (`apt-get install nginx-light`)")
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium at {CHROMIUM} (`apt-get install chromium`)")
    if not (NODE.is_file() and LIGHTHOUSE.is_file()):
        missing.append("Lighthouse and Node.js 22 (`npm ci --prefix tests/browser`)")
    return missing


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def nginx_serving(root: Path) -> Iterator[str]:
    """Serve ``root`` with nginx on a free localhost port; yield its base URL."""
    with tempfile.TemporaryDirectory(prefix="torchlight-nginx-") as tmp:
        port = _free_port()
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=root.resolve()))
        server = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", tmp],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {server.stderr.read()}")  # type: ignore[union-attr]
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=20)
            server.stderr.close()  # type: ignore[union-attr]


def lighthouse(url: str, categories: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Lighthouse's report on ``url``: mobile, simulated slow 4G, its default settings."""
    command = [
        str(NODE),
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if categories:
        command.append(f"--only-categories={','.join(categories)}")
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if run.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(run.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not load {url}: {report['runtimeError']}")
    return report


def scores(report: dict[str, Any]) -> dict[str, int]:
    """Each category's score, 0 to 100."""
    return {
        name: round(100 * category["score"])
        for name, category in report["categories"].items()
        if category.get("score") is not None
    }


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """The audits that cost ``category`` points, each with Lighthouse's title."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            failing.append(f"{ref['id']} ({audit['title']})")
    return failing


def largest_contentful_paint_s(report: dict[str, Any]) -> float | None:
    value = report["audits"].get("largest-contentful-paint", {}).get("numericValue")
    return None if value is None else value / 1000


def pages(html: Path) -> list[str]:
    """Every page of the built site, as paths relative to its root."""
    return [p.relative_to(html).as_posix() for p in site_pages(html)]
