"""Every figure says how small its text is, and opens at full size: in a real scratch build.

A gallery script and a notebook each draw a figure whose smallest text is known;
the scratch site is built with the project's configuration (``-c conf``), so
what is proven is what ``nox -s docs`` does: sphinx-gallery's scraper
(``tutorial_helpers.sphinx_hooks.matplotlib_scraper``) and the notebooks'
kernel (``conf/jupyter``, the IPython extension ``tutorial_helpers.figure_text``)
mark each PNG, the palette optimization (``conf/_ext/images.py``)
keeps the mark, and ``conf/_ext/full_size_figures.py`` links each figure to
its largest file. How the marks read on a phone is tests/test_browser.py's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from scratch_site import NOTEBOOK_HEADER, scratch_site, sphinx

from tutorial_helpers.figure_text import read_mark

pytestmark = pytest.mark.slow

SCRIPT = '''\
"""
A figure
========

Its smallest text is the 7-point tick labels.
"""

# sphinx_gallery_card = "A figure whose smallest text is known."
# sphinx_gallery_assumes = None
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(4, 3), dpi=100, layout="constrained")
ax.plot([0, 1], [0, 1])
ax.set_title("a line", fontsize=14)
ax.tick_params(labelsize=7)
'''

NOTEBOOK = NOTEBOOK_HEADER + (
    "# A notebook\n\n```{code-cell} ipython3\n"
    "import matplotlib.pyplot as plt\n\n"
    "fig, ax = plt.subplots(figsize=(4, 3), dpi=100)\n"
    "ax.plot([0, 1], [1, 0])\n"
    'ax.set_ylabel("falls", fontsize=6)\n'
    "```\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = scratch_site(
        tmp_path_factory.mktemp("figures"),
        index="# Scratch\n\n```{toctree}\ntutorials/index\nnotebook\n```\n",
        pages={"notebook.md": NOTEBOOK},
        scripts={"plot_a_figure.py": SCRIPT},
    )
    result = sphinx(docs, "html")
    assert result.returncode == 0, result.stdout + result.stderr
    return docs.parent / "build" / "html"


def figures(page: Path) -> list[tuple[Path, Path, str]]:
    """Each figure of ``page``: its image file, the file it links to, the link's class."""
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for img in html.select("img.sphx-glr-single-img, .cell_output img"):
        link = img.find_parent("a")
        assert link is not None, f"{page.name}: {img['src']} is not a link"
        found.append(
            (page.parent / img["src"], page.parent / link["href"], " ".join(link["class"]))
        )
    return found


def test_a_gallery_figure_is_marked_and_opens_its_2x_image(site: Path) -> None:
    page = site / "tutorials" / "01_section" / "plot_a_figure.html"
    [(image, target, link_class)] = figures(page)
    assert link_class == "tl-full-size"
    assert target.resolve() == (site / "_images" / f"{image.stem}_2_00x.png").resolve()
    with Image.open(image) as small, Image.open(target) as large:
        assert large.width == 2 * small.width
        assert small.mode == "P", "the palette optimization ran"
    assert read_mark(image) == {"px": round(7 * 100 / 72, 2), "points": 7.0, "text": "0.0"}
    assert read_mark(target)["px"] == round(7 * 200 / 72, 2)


def test_a_notebook_figure_is_marked_by_the_kernel_and_opens_itself(site: Path) -> None:
    [(image, target, link_class)] = figures(site / "notebook.html")
    assert link_class == "tl-full-size"
    assert target.resolve() == image.resolve()  # the notebook saves one size only
    assert read_mark(image) == {"px": round(6 * 100 / 72, 2), "points": 6.0, "text": "falls"}


def test_the_link_names_the_figure_and_what_it_opens(site: Path) -> None:
    html = BeautifulSoup(
        (site / "tutorials" / "01_section" / "plot_a_figure.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    link = html.select_one("a.tl-full-size")
    assert link.img["alt"] == "a line"
    assert link.get_text(" ", strip=True) == "(opens the full-size image)"


def test_thumbnails_still_link_to_their_page(site: Path) -> None:
    html = BeautifulSoup(
        (site / "tutorials" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert html.select(".sphx-glr-thumbcontainer img")
    assert not html.select("a.tl-full-size")
