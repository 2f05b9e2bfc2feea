"""Two clean builds of the site give the same outputs, figures and downloads on every page.

The sources are copied to a scratch directory and built from nothing there,
with the command ``nox -s docs`` runs; the result is compared with build/html,
page by page:

- the text of every executed output: sphinx-gallery's output blocks and the
  outputs of notebook cells;
- the bytes of every image a page shows (figures, thumbnails) and of every
  file it offers for download (scripts, notebooks, zips).

The second build runs on one thread (``OMP_NUM_THREADS=1``), the first on as
many as the machine gives PyTorch: so the comparison also shows that what a page
prints and draws does not depend on the thread count, and the second build that
every hidden check holds on one thread.

Nothing else is compared. Times are not outputs: sphinx-gallery's "Total
running time" line and the table of execution times on "About this build"
differ from build to build by nature, and neither is an output block. Scripts in
``OUTPUT_VARIES_BETWEEN_RUNS`` (their printed text measures something) are
exempt from text equality, those in ``FIGURES_VARY_BETWEEN_RUNS`` (their
figures plot measurements) from figure equality, and those in
``OUTPUT_DEPENDS_ON_THREADS`` from both, each for the reason given there.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from page_speed import site_pages
from site_paths import ROOT, SPHINX_OPTIONS
from test_built_site import (
    FIGURES_VARY_BETWEEN_RUNS,
    OUTPUT_DEPENDS_ON_THREADS,
    OUTPUT_VARIES_BETWEEN_RUNS,
)

pytestmark = [pytest.mark.slow, pytest.mark.site]

#: What a clean checkout does not have: generated files, caches, environments.
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".nox",
    ".venv",
    "build",
    "node_modules",
    "__pycache__",
    ".*_cache",
    "jupyter_execute",
    "*.egg-info",
)

#: What ``nox -s docs`` runs (noxfile.py: SPHINX_BASE), from the repository root.
BUILD_COMMAND = ["-m", "sphinx", "-b", "html", "-c", "conf", *SPHINX_OPTIONS]


def copy_sources(destination: Path) -> Path:
    shutil.copytree(ROOT, destination, ignore=NOT_SOURCES)
    shutil.rmtree(destination / "docs" / "tutorials", ignore_errors=True)  # generated
    return destination


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def page_record(page: Path) -> dict[str, list[str]]:
    """What must come out the same on ``page``, build after build."""
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    files: list[str] = []
    links = [("img", element["src"]) for element in html.select("article img[src]")]
    links += [  # the high-resolution variants of figures
        ("img", candidate.split()[0])
        for element in html.select("article img[srcset]")
        for candidate in element["srcset"].split(",")
        if candidate.strip()
    ]
    links += [("a", element["href"]) for element in html.select("article a[href]")]
    for tag, link in links:
        url = urlsplit(link)
        if url.scheme or url.netloc or not url.path:
            continue
        if tag == "a" and not re.search(r"(^|/)_?downloads/", url.path):
            continue  # a link to a page: pages are compared one by one
        # _downloads/: sphinx-gallery's; downloads/: the wheel, exercise notebooks, archive
        target = (page.parent / unquote(url.path)).resolve()
        files.append(f"{unquote(url.path)} sha256={digest(target)}")
    return {
        "gallery output": [pre.get_text() for pre in html.select("div.sphx-glr-script-out pre")],
        "notebook output": [cell.get_text() for cell in html.select("div.cell_output")],
        "figure or download": files,
    }


def exempt(page: str, kind: str) -> str | None:
    """The reason ``kind`` may differ on ``page``, if one is recorded."""
    stem = Path(page).stem
    if kind == "gallery output":
        return OUTPUT_VARIES_BETWEEN_RUNS.get(stem) or OUTPUT_DEPENDS_ON_THREADS.get(stem)
    return None


def file_exempt(line: str) -> str | None:
    """The reason an image or download may differ: it belongs to a listed script."""
    name = Path(line.split(" sha256=")[0]).name
    for stem, reason in {**FIGURES_VARY_BETWEEN_RUNS, **OUTPUT_DEPENDS_ON_THREADS}.items():
        if name.startswith((f"sphx_glr_{stem}_", f"{stem}.")):
            return reason
    return None


def differences(first: Path, second: Path) -> list[str]:
    """Describe, page by page, what differs between two built sites."""
    found = []
    first_pages = {str(p.relative_to(first)) for p in site_pages(first)}
    second_pages = {str(p.relative_to(second)) for p in site_pages(second)}
    if first_pages != second_pages:
        found.append(f"pages only in one build: {sorted(first_pages ^ second_pages)}")
    for page in sorted(first_pages & second_pages):
        before, after = page_record(first / page), page_record(second / page)
        for kind in before:
            if kind == "figure or download":
                changed = [
                    line
                    for line in sorted(set(before[kind]) ^ set(after[kind]))
                    if not file_exempt(line)
                ]
                if changed:
                    found.append(f"{page}: {kind} differs: {changed}")
            elif before[kind] != after[kind] and not exempt(page, kind):
                index = next(
                    (
                        i
                        for i, (a, b) in enumerate(zip(before[kind], after[kind], strict=False))
                        if a != b
                    ),
                    min(len(before[kind]), len(after[kind])),
                )
                shown = [
                    block[index][:300] if index < len(block) else None
                    for block in (before[kind], after[kind])
                ]
                found.append(
                    f"{page}: {kind} block {index + 1} differs: {shown[0]!r} != {shown[1]!r}"
                )
    return found


def test_a_second_clean_build_gives_the_same_outputs_and_figures(
    built_site: Path, tmp_path: Path
) -> None:
    scratch = copy_sources(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, *BUILD_COMMAND, "docs", "build/html"],
        cwd=scratch,
        env={
            **os.environ,
            "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0"),
            "OMP_NUM_THREADS": "1",  # the first build used the machine's threads
        },
        capture_output=True,
        text=True,
        timeout=3000,
        check=False,
    )
    assert result.returncode == 0, f"the second build failed:\n{result.stderr[-5000:]}"
    found = differences(built_site, scratch / "build" / "html")
    assert not found, "two clean builds differ:\n" + "\n".join(found)


def test_the_comparison_names_the_page_that_differs(tmp_path: Path) -> None:
    for build, output in [("one", "tensor([1., 2.])"), ("two", "tensor([1., 3.])")]:
        page = tmp_path / build / "tutorials" / "plot_x.html"
        page.parent.mkdir(parents=True)
        (tmp_path / build / "_images").mkdir()
        (tmp_path / build / "_images" / "sphx_glr_plot_x_001.png").write_bytes(build.encode())
        page.write_text(
            '<article><div class="sphx-glr-script-out"><pre>'
            f"{output}</pre></div>"
            '<img src="../_images/sphx_glr_plot_x_001.png" alt="x"></article>'
        )
    found = differences(tmp_path / "one", tmp_path / "two")
    assert len(found) == 2, found
    assert found[0].startswith("tutorials/plot_x.html: gallery output block 1 differs")
    assert found[1].startswith("tutorials/plot_x.html: figure or download differs")
