"""The reading path of the built site: exercises on it, times and prerequisites, the cards.

Read from build/html (``nox -s docs``). The sections and their exercises come
from the gallery's READMEs, the pages from the gallery's scripts and
docs/exercises/: a new section, tutorial or exercise is covered without
editing this file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import pickle
import re
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
from bs4 import BeautifulSoup
from exercise_path import TITLE, declared_exercises
from reading_time import CODE_LINES_PER_MINUTE, WORDS_PER_MINUTE, format_minutes
from site_paths import DOCS, GALLERY
from test_built_site import soup

pytestmark = pytest.mark.site

SECTIONS = sorted(p.parent.name for p in GALLERY.glob("*/README.rst"))
TUTORIALS = sorted(f"tutorials/{p.parent.name}/{p.stem}" for p in GALLERY.glob("*/*.py"))
EXERCISES = sorted(
    f"exercises/{p.stem}" for p in (DOCS / "exercises").glob("*.md") if p.stem != "index"
)


def section_exercises(section: str) -> list[str]:
    return declared_exercises((GALLERY / section / "README.rst").read_text(encoding="utf-8"))


def section_title(section: str) -> str:
    found = TITLE.search((GALLERY / section / "README.rst").read_text(encoding="utf-8"))
    assert found, f"gallery/{section}/README.rst has no title"
    return found.group(1).strip()


def page(site: Path, docname: str) -> BeautifulSoup:
    return soup(site / f"{docname}.html")


def target(site: Path, docname: str, href: str) -> str:
    """The docname a link on ``docname`` leads to."""
    path, _ = urldefrag(href)
    resolved = (site / docname).parent.joinpath(unquote(path)).resolve()
    return str(resolved.relative_to(site.resolve())).removesuffix(".html")


@functools.cache
def reading_order(site: Path) -> list[str]:
    """The pages met by following "next" from the landing page."""
    order: list[str] = []
    name: str | None = "index"
    while name is not None and name not in order:
        order.append(name)
        link = page(site, name).select_one("a.right-next")
        name = target(site, name, link["href"]) if link else None
    return order


def test_every_exercise_belongs_to_one_section() -> None:
    declared = [name for section in SECTIONS for name in section_exercises(section)]
    assert sorted(declared) == EXERCISES, "an exercise is in no section, or in two"
    for section in SECTIONS:
        assert section_exercises(section), f"gallery/{section} has no exercise"


def test_next_reaches_each_sections_exercises_before_the_next_section(built_site: Path) -> None:
    order = reading_order(built_site)
    position = {name: index for index, name in enumerate(order)}
    missing = sorted(set(TUTORIALS + EXERCISES) - set(position))
    assert not missing, f"not reached by following next from the landing page: {missing}"
    for current, following in zip(SECTIONS, [*SECTIONS[1:], None], strict=True):
        tutorials = [t for t in TUTORIALS if t.startswith(f"tutorials/{current}/")]
        last = max(position[t] for t in tutorials)
        exercises = section_exercises(current)
        # Right after the section's last tutorial, in the order the README gives.
        assert [position[e] for e in exercises] == list(
            range(last + 1, last + 1 + len(exercises))
        ), f"{current}: {order[last : last + 1 + len(exercises)]}"
        if following is not None:
            assert position[f"tutorials/{following}/index"] == last + 1 + len(exercises)


def test_no_page_is_in_two_tables_of_contents(built_site: Path) -> None:
    """One place in the sidebar and the breadcrumbs for every page (Sphinx only logs this)."""
    with (built_site / ".doctrees" / "environment.pickle").open("rb") as file:
        env = pickle.load(file)
    parents: dict[str, list[str]] = {}
    for parent, children in env.toctree_includes.items():
        for child in children:
            parents.setdefault(child, []).append(parent)
    assert {doc: p for doc, p in parents.items() if len(p) > 1} == {}
    for exercise in EXERCISES:
        section = next(s for s in SECTIONS if exercise in section_exercises(s))
        assert parents[exercise] == [f"tutorials/{section}/index"]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_an_exercise_sits_under_its_section(built_site: Path, exercise: str) -> None:
    html = page(built_site, exercise)
    section = next(s for s in SECTIONS if exercise in section_exercises(s))
    crumbs = [li.get_text(strip=True) for li in html.select(".bd-breadcrumbs li")]
    assert crumbs[-2] == section_title(section), crumbs
    current = [a.get_text(strip=True) for a in html.select("nav.bd-docs-nav li.current > a")]
    assert current[0] == section_title(section), current


def test_the_last_tutorial_of_each_section_says_practise(built_site: Path) -> None:
    for section in SECTIONS:
        tutorials = [t for t in TUTORIALS if t.startswith(f"tutorials/{section}/")]
        for tutorial in tutorials:
            box = page(built_site, tutorial).select_one("div.tl-practise")
            if tutorial != tutorials[-1]:
                assert box is None, f"{tutorial} is not its section's last page"
                continue
            assert box is not None, f"{tutorial} does not link its section's exercises"
            assert box.get_text(" ", strip=True).startswith("Practise:")
            # After the page's last words, before sphinx-gallery's timing and downloads.
            assert box.find_next(class_="sphx-glr-timing") is not None, tutorial
            linked = [target(built_site, tutorial, a["href"]) for a in box.find_all("a")]
            assert linked == section_exercises(section)


def shown_minutes(text: str) -> int:
    """``85`` for "1 h 25 min read"."""
    found = re.fullmatch(r"(?:(\d+) h)? ?(?:(\d+) min)?(?: read)?", text.strip())
    assert found, text
    return int(found[1] or 0) * 60 + int(found[2] or 0)


def pages_with_times() -> list[str]:
    return TUTORIALS + EXERCISES


def code_lines_shown(html: BeautifulSoup) -> int:
    """Non-blank lines of the page's code: every code block, but outputs and the run box."""
    blocks = [
        block
        for block in html.select("article div[class*='highlight-'] pre")
        if not block.find_parent(class_=["sphx-glr-script-out", "cell_output", "tl-take-home"])
    ]
    return sum(1 for block in blocks for line in block.get_text().splitlines() if line.strip())


def words_shown(html: BeautifulSoup) -> int:
    """The words of the page's prose, roughly as the build counts them."""
    article = html.select_one("article")
    assert article is not None
    for unread in article.select(
        "pre, .sphx-glr-script-out, .cell_output, .tl-take-home, .tl-page-facts, .tl-practise, "
        ".sphx-glr-footer, .sphx-glr-timing, img, .headerlink, .tl-provenance, "
        "summary"  # the solutions' toggles: the theme's words, not the page's
    ):
        unread.decompose()
    for formula in article.select("math"):  # MathML spells a formula out symbol by symbol
        formula.replace_with(" formula ")
    return len(article.get_text(" ").split())


@pytest.mark.parametrize("docname", pages_with_times())
def test_every_tutorial_and_exercise_shows_a_reading_time_the_build_counted(
    built_site: Path, docname: str
) -> None:
    html = page(built_site, docname)
    time = html.select_one("p.tl-page-facts .tl-reading-time")
    assert time is not None, f"{docname} shows no reading time"
    words, code_lines = int(time["data-words"]), int(time["data-code-lines"])
    minutes = max(1, math.ceil(words / WORDS_PER_MINUTE + code_lines / CODE_LINES_PER_MINUTE))
    assert time.get_text() == f"{format_minutes(minutes)} read"
    # The counts are the page's: its code cells line for line, its prose within 15 % (the
    # build counts a formula by the words of its source; here, MathML, it counts as one).
    assert code_lines == code_lines_shown(html)
    shown = words_shown(html)
    assert abs(words - shown) <= max(15, shown * 0.15), (words, shown)


@pytest.mark.parametrize("docname", pages_with_times())
def test_every_tutorial_and_exercise_links_the_pages_it_assumes(
    built_site: Path, docname: str
) -> None:
    facts = page(built_site, docname).select_one("p.tl-page-facts")
    assert facts is not None
    text = facts.get_text(" ", strip=True)
    assert "Assumes:" in text
    order = {name: index for index, name in enumerate(reading_order(built_site))}
    links = [target(built_site, docname, a["href"]) for a in facts.find_all("a")]
    if not links:
        assert "only Python" in text
    for linked in links:
        assert (built_site / f"{linked}.html").is_file()
        later = order[linked] > order[docname]
        title = page(built_site, linked).select_one("article h1").get_text(strip=True)
        marked = f"{title.rstrip('#')} (later on the path)" in text
        assert marked == later, f"{docname} -> {linked}: later={later}, marked={marked}"


def card_pages(site: Path) -> dict[str, Path]:
    """Each card of the tutorials' index: the page it opens, and its thumbnail file."""
    html = page(site, "tutorials/index")
    cards = {}
    for card in html.select("div.sphx-glr-thumbcontainer"):
        opened = target(site, "tutorials/index", card.select_one("a")["href"])
        cards[opened] = (site / "tutorials" / unquote(card.img["src"])).resolve()
    return cards


def test_no_two_pages_share_a_thumbnail(built_site: Path) -> None:
    cards = card_pages(built_site)
    assert sorted(cards) == TUTORIALS
    by_image: dict[str, list[str]] = {}
    for docname, image in cards.items():
        by_image.setdefault(hashlib.sha256(image.read_bytes()).hexdigest(), []).append(docname)
    shared = [pages for pages in by_image.values() if len(pages) > 1]
    assert not shared, f"pages that share a thumbnail: {shared}"


def test_every_card_has_a_line_and_the_pages_reading_time(built_site: Path) -> None:
    html = page(built_site, "tutorials/index")
    for card in html.select("div.sphx-glr-thumbcontainer"):
        opened = target(built_site, "tutorials/index", card.select_one("a")["href"])
        description = card.select_one(".tl-card-description")
        assert description is not None
        assert description.get_text(strip=True), f"{opened}: no description on its card"
        own = page(built_site, opened).select_one(".tl-reading-time").get_text()
        assert card.select_one(".tl-card-time").get_text() == own


def test_the_exercise_index_groups_them_by_section(built_site: Path) -> None:
    html = page(built_site, "exercises/index")
    sections = html.select("article section section")
    assert [s.h2.get_text(strip=True).rstrip("#") for s in sections] == [
        section_title(s) for s in SECTIONS if section_exercises(s)
    ]
    for section, listed in zip(SECTIONS, sections, strict=True):
        items = listed.select("ul.tl-exercise-list > li")
        assert [target(built_site, "exercises/index", li.a["href"]) for li in items] == (
            section_exercises(section)
        )
        for item in items:
            text = item.get_text(" ", strip=True)
            assert re.search(r"· (\d+ h )?\d+ min · Assumes: ", text), text
            assert len(item.find_all("a")) >= 2, f"{text}: no tutorial it assumes"


def test_the_landing_page_starts_you(built_site: Path) -> None:
    html = page(built_site, "index")
    start = html.select_one(".tl-start-here a")
    assert start is not None
    assert start.get_text(strip=True).startswith("Start here")
    first = next(name for name in reading_order(built_site) if name in TUTORIALS)
    assert target(built_site, "index", start["href"]) == first
    text = html.select_one("article").get_text(" ", strip=True)
    assert "Python" in text
    assert "NumPy" in text
    # Every section is a link, followed by its time: its tutorials and exercises together.
    for section in SECTIONS:
        link = next(
            (a for a in html.select("article ol a") if a["href"].endswith(f"{section}/index.html")),
            None,
        )
        assert link is not None, f"the landing page does not link the section {section}"
        time = link.find_next("span", class_="tl-reading-time")
        pages = [t for t in TUTORIALS if t.startswith(f"tutorials/{section}/")]
        pages += section_exercises(section)
        total = sum(
            shown_minutes(page(built_site, p).select_one(".tl-reading-time").text) for p in pages
        )
        assert time.get_text() == format_minutes(total), section
    # The pages that need calculus, each a link.
    calculus = html.select("ul.tl-calculus-pages a")
    assert any("Autograd" in a.get_text() for a in calculus)
    assert len(calculus) > len(SECTIONS)


def test_the_computation_graph_page_draws_its_graph(built_site: Path) -> None:
    html = page(built_site, "tutorials/06_autograd/plot_05_computation_graph")
    figures = html.select("img.sphx-glr-single-img")
    assert any("graph" in img.get("alt", "") for img in figures), [i.get("alt") for i in figures]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_a_downloaded_exercise_keeps_no_build_declarations(built_site: Path, exercise: str) -> None:
    """The front matter the build reads stays out of the reader's notebook."""
    notebook = json.loads(
        (built_site / "downloads" / f"{exercise}.ipynb").read_text(encoding="utf-8")
    )
    assert "torchlight" not in notebook["metadata"]
