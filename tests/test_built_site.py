"""Checks on the site that ``nox -s docs`` built into build/html.

These read the built pages; they never rebuild them.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
import torch
from bs4 import BeautifulSoup
from page_speed import site_pages
from site_paths import GALLERY, ROOT, teaching_pages

pytestmark = pytest.mark.site

# Pages Sphinx writes for itself, not reached through the table of contents.
UTILITY_PAGES = {"genindex.html", "search.html", "404.html"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def internal_links(page: Path) -> set[Path]:
    targets = set()
    for anchor in soup(page).find_all("a", href=True):
        href, _ = urldefrag(anchor["href"])
        if not href or re.match(r"^[a-z]+:", href):
            continue
        target = (page.parent / unquote(href)).resolve()
        if target.suffix == ".html":
            targets.add(target)
    return targets


def test_every_page_is_reachable_from_the_landing_page(built_site: Path) -> None:
    pages = {p.resolve() for p in site_pages(built_site) if p.name not in UTILITY_PAGES}
    seen, todo = set(), [(built_site / "index.html").resolve()]
    while todo:
        page = todo.pop()
        if page in seen or not page.is_file():
            continue
        seen.add(page)
        todo.extend(internal_links(page))
    unreachable = sorted(str(p.relative_to(built_site.resolve())) for p in pages - seen)
    assert not unreachable, f"pages not linked from index.html: {unreachable}"


def test_landing_page_links_every_section(built_site: Path) -> None:
    links = {
        str(p.relative_to(built_site.resolve())) for p in internal_links(built_site / "index.html")
    }
    for section in [
        "tutorials/index.html",
        "guides/index.html",
        "exercises/index.html",
        "reference/index.html",
        "about/index.html",
    ]:
        assert section in links, f"index.html does not link {section}"


GALLERY_PAGES = sorted(GALLERY.glob("*/*.py"))

#: Scripts whose printed output legitimately differs from run to run (measured
#: timings), with the reason. Every other script must print exactly what its
#: page shows.
OUTPUT_VARIES_BETWEEN_RUNS: dict[str, str] = {}

#: Scripts whose figures legitimately differ from build to build (they plot
#: measurements), with the reason. tests/test_reproducibility.py requires every
#: other figure, and every thumbnail, to come out byte for byte the same.
FIGURES_VARY_BETWEEN_RUNS: dict[str, str] = {
    "plot_02_timing_matmul": "plots matrix-multiply times measured while the site is built",
}

#: Scripts whose outputs and figures depend on how many threads PyTorch uses, with
#: the reason. tests/test_reproducibility.py builds a second time on one thread
#: (OMP_NUM_THREADS=1), so every other page is shown to print and draw the same
#: whatever the thread count, and every hidden check to hold on one thread.
OUTPUT_DEPENDS_ON_THREADS: dict[str, str] = {
    "plot_02_timing_matmul": "times the CPU on one thread and on all: one series on one thread",
    "plot_05_reproducibility": "shows that the thread count changes a float32 sum's rounding",
}


@pytest.mark.parametrize("script", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_every_example_page_says_what_produced_it(built_site: Path, script: Path) -> None:
    """Every executed page names the torch that produced it and offers its downloads.

    That its outputs are what its downloaded script prints is checked, on a
    reader's machine, by tests/test_downloads.py.
    """
    page = built_site / "tutorials" / script.parent.name / f"{script.stem}.html"
    assert page.is_file(), f"{script.relative_to(ROOT)} has no page at {page}"
    html = soup(page)
    note = html.select_one("p.tl-provenance")
    assert note is not None
    assert f"PyTorch {torch.__version__}" in note.get_text()
    assert html.select_one("div.sphx-glr-footer"), (
        f"{page.name}: no download footer (was the .ipynb read instead?)"
    )


def test_gallery_figures_are_embedded_with_alt_text(built_site: Path) -> None:
    page = built_site / "tutorials" / "01_tensors" / "plot_01_creating_tensors.html"
    images = soup(page).select("img.sphx-glr-single-img, img.sphx-glr-multi-img")
    assert images, "the tensors page has no figure"
    for img in images:
        assert (page.parent / img["src"]).is_file()
        assert img.get("alt", "").strip(), f"figure {img['src']} has no alt text"
        assert re.search(r"\s2(\.0+)?x$", img.get("srcset", "")), "figures need a high-dpi variant"


def test_every_image_file_exists(built_site: Path) -> None:
    missing = []
    for page in site_pages(built_site):
        for img in soup(page).find_all("img", src=True):
            if (
                not re.match(r"^[a-z]+:", img["src"])
                and not (page.parent / unquote(img["src"])).is_file()
            ):
                missing.append(f"{page.relative_to(built_site)}: {img['src']}")
    assert not missing, missing


def test_notebooks_were_executed(built_site: Path) -> None:
    page = soup(built_site / "exercises" / "tensor-shapes.html")
    outputs = [o.get_text() for o in page.select("div.cell_output")]
    assert any("torch.Size([3, 1]) torch.float32" in o for o in outputs), outputs
    # Solutions are folded away behind a toggle.
    assert page.select("details.hide"), "solutions are not folded"


EXERCISE_PAGES = sorted(
    p.stem for p in (ROOT / "docs" / "exercises").glob("*.md") if p.stem != "index"
)


@pytest.mark.parametrize("name", EXERCISE_PAGES)
def test_every_check_is_shown_on_the_attempt_then_on_the_solution(
    built_site: Path, name: str
) -> None:
    """Each question's check ran twice in the build: "not answered yet" with a hint, then
    after the folded solution "correct"; every answer reads on a phone (it wraps)."""
    page = soup(built_site / "exercises" / f"{name}.html")
    boxes = page.select("div.cell_output div.tl-check")
    kinds = [next(c for c in box["class"] if c != "tl-check") for box in boxes]
    assert kinds, f"{name}: no check answered on the page"
    assert kinds == ["tl-check-not-answered", "tl-check-correct"] * (len(kinds) // 2), kinds
    for box in boxes:
        text = box.get_text(" ", strip=True)
        if "tl-check-not-answered" in box["class"]:
            assert text.startswith("Not answered yet."), text
            assert "Hint:" in text, text
        else:
            assert text.startswith("Correct!"), text
            cell = box.find_parent("div", class_="cell")
            solution = cell.find_previous_sibling("div", class_="cell")
            assert solution is not None, f"{name}: nothing before a check on the solution"
            assert "tag_hide-cell" in solution["class"], (
                f"{name}: a check on the solution does not follow a folded solution"
            )


def test_about_page_reports_this_build(built_site: Path) -> None:
    text = soup(built_site / "about" / "index.html").get_text()
    assert f"PyTorch {torch.__version__}" in text
    assert "sphinx-gallery" in text


def test_math_is_mathml_and_scripts_are_served_locally(built_site: Path) -> None:
    for page in site_pages(built_site):
        for tag in soup(page).find_all(["script", "link"]):
            url = tag.get("src") or tag.get("href") or ""
            if tag.name == "link" and "stylesheet" not in (tag.get("rel") or []):
                continue
            assert not re.match(r"^(https?:)?//", url), (
                f"{page.relative_to(built_site)} loads {url}"
            )
    # Math is rendered to MathML at build time (conf/_ext/mathml.py): no MathJax at all.
    page = soup(built_site / "tutorials" / "06_autograd" / "plot_03_partial_derivatives.html")
    formulas = page.find_all("math")
    assert formulas, "the partial-derivatives page shows no MathML"
    assert any(f.get("display") == "block" for f in formulas)
    assert not list(built_site.rglob("*mathjax*")), "MathJax is shipped but no longer used"


def test_nothing_generated_outside_build() -> None:
    for name in ["jupyter_execute", ".jupyter_cache"]:
        assert not (ROOT / name).exists(), f"the build wrote {name}/ into the repository root"


def test_no_empty_code_box(built_site: Path) -> None:
    """A cell whose code is all hidden (sphinx_gallery_start_ignore) renders as an empty box."""
    empty = [
        str(page.relative_to(built_site))
        for page in site_pages(built_site)
        for block in soup(page).select("div.highlight pre")
        if not block.get_text().strip()
    ]
    assert not empty, f"empty code boxes (a cell with only hidden code?) on: {empty}"


def test_no_output_shows_a_warning_nobody_caught(built_site: Path) -> None:
    """A warning a page shows on purpose is caught and printed; a stray one names its file.

    Python prints an uncaught warning as ``path/to/script.py:85: UserWarning: ...``:
    a hidden check that warns, or a deprecation, would put the build's paths on the page.
    """
    stray = re.compile(r"\.(py|ipynb):\d+: \w*Warning\b")
    found = [
        f"{page.relative_to(built_site)}: {match.group(0)}"
        for page in site_pages(built_site)
        for block in soup(page).select("div.sphx-glr-script-out pre, div.cell_output pre")
        for match in [stray.search(block.get_text())]
        if match
    ]
    assert not found, "outputs that show an uncaught warning:\n" + "\n".join(found)


def test_a_cells_printed_output_is_one_block(built_site: Path) -> None:
    """How the kernel splits a cell's prints into stream messages varies from build to
    build; unmerged, one cell's output shows as several boxes, a different number each time.
    """
    split = []
    for page in site_pages(built_site):
        for cell in soup(page).select("div.cell_output"):
            kinds = [
                " ".join(div.get("class", [])) for div in cell.find_all("div", recursive=False)
            ]
            split += [
                f"{page.relative_to(built_site)}: {a}"
                for a, b in itertools.pairwise(kinds)
                if "stream" in a and a == b
            ]
    assert not split, "cell outputs split into several boxes:\n" + "\n".join(split)


def test_alt_text_describes_the_image_not_its_file(built_site: Path) -> None:
    bad = [
        f"{page.relative_to(built_site)}: alt={img.get('alt')!r}"
        for page in site_pages(built_site)
        for img in soup(page).find_all("img")
        if re.search(r"(^|/)[^ ]+\.(png|svg|jpe?g|gif|webp)$", img.get("alt", "").strip())
    ]
    assert not bad, f"images whose alt text is a file name: {bad}"


@pytest.mark.parametrize("guide", ["errors", "devices"])
def test_conditional_doctests_say_whether_this_build_ran_them(built_site: Path, guide: str) -> None:
    """Every ``:skipif:`` box carries a line that says whether this build ran it."""
    source = (ROOT / "docs" / "guides" / f"{guide}.md").read_text(encoding="utf-8")
    conditions = re.findall(r"^:skipif: (.+)$", source, flags=re.MULTILINE)
    assert conditions, f"{guide}.md has no conditional doctest any more: drop it from this test"
    labels = soup(built_site / "guides" / f"{guide}.html").select("p.tl-conditional-doctest")
    assert [label.code.get_text() for label in labels] == conditions
    for label, condition in zip(labels, conditions, strict=True):
        skipped = bool(eval(condition, {"torch": torch}))
        assert ("skipped" in label["class"]) is skipped, (condition, label.get_text())
        expected = "Not run by this build." if skipped else "Run by this build."
        assert label.get_text().startswith(expected), label.get_text()
        box = label.find_next_sibling()
        assert box is not None, f"nothing after {label}"
        assert box.select_one("pre"), f"no code box after {label}"


#: A sentence that places a page's downloads somewhere on it.
_WHERE_DOWNLOADS_ARE = re.compile(
    r"[^.]*\b(?:download|script or notebook|script and (?:its )?notebook)[^.]*"
    r"\bat the (?:top|bottom)\b[^.]*",
    re.IGNORECASE,
)


def test_pages_say_truly_where_the_downloads_are(built_site: Path) -> None:
    """The downloads box is at the top of every executed page: no page says the bottom."""
    for page in teaching_pages(built_site):
        title = soup(page).select_one("article h1")
        first = title.find_next_sibling(
            lambda tag: (
                tag.name not in {"script", "span"} and "tl-page-facts" not in tag.get("class", [])
            )  # "8 min read · Assumes ..."
        )
        assert first is not None, f"{page.relative_to(built_site)}: nothing under the title"
        assert "tl-take-home" in first.get("class", []), (
            f"{page.relative_to(built_site)}: the downloads box is not first under the title"
        )
    said = {}
    for page in site_pages(built_site):
        article = soup(page).select_one("article")
        if article is None:
            continue
        text = " ".join(article.get_text(" ").split())
        for sentence in _WHERE_DOWNLOADS_ARE.findall(text):
            said[f"{page.relative_to(built_site)}: {sentence.strip()}"] = "bottom" in sentence
    wrong = [where for where, bottom in said.items() if bottom]
    assert not wrong, "pages that put the downloads at the bottom:\n" + "\n".join(wrong)
    assert any(where.startswith("tutorials/index.html") for where in said), (
        f"the tutorials index no longer says where the downloads are: {sorted(said)}"
    )
