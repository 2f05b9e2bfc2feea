"""Descriptions, link-preview cards, the sitemap and robots.txt (conf/_ext/page_meta.py).

The cards, the sitemap and robots.txt are read from a small site built with the
project's configuration and a base URL (the ``small_site`` fixture): a tutorial
and a notebook that draw a figure, and a guide that draws none.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from page_meta import meta_tags, shorten
from page_speed import site_pages
from scratch_site import SMALL_SITE_BASE_URL


def test_a_long_first_paragraph_is_cut_at_a_word() -> None:
    text = "word " * 60
    short = shorten(text.strip())
    assert len(short) <= 160
    assert short.endswith("word…")
    assert shorten("A short one.") == "A short one."


def test_cards_name_an_image_and_a_url_only_when_given_them() -> None:
    without = dict((name, content) for _, name, content in meta_tags("T", "D", None, None))
    assert without["description"] == "D"
    assert without["twitter:card"] == "summary"
    assert "og:url" not in without
    assert "og:image" not in without
    with_both = dict(
        (name, content)
        for _, name, content in meta_tags("T", "D", "https://e.org/a.html", "https://e.org/f.png")
    )
    assert with_both["og:url"] == "https://e.org/a.html"
    assert with_both["og:image"] == "https://e.org/f.png"
    assert with_both["twitter:card"] == "summary_large_image"


def card(page: Path) -> dict[str, str]:
    """The ``<meta>`` tags of ``page`` that describe it: ``{name or property: content}``."""
    head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
    assert head is not None
    return {
        str(tag.get("name") or tag.get("property")): str(tag["content"])
        for tag in head.find_all("meta", content=True)
        if tag.get("name") or tag.get("property")
    }


def served_image(site: Path, url: str) -> Path:
    assert url.startswith(SMALL_SITE_BASE_URL), url
    return site / url.removeprefix(SMALL_SITE_BASE_URL)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "shown"),
    [
        # sphinx-gallery's figure: <img ... class = "sphx-glr-single-img"/>, its own node
        ("tutorials/01_section/plot_figure.html", "img.sphx-glr-single-img"),
        ("notebook.html", "div.cell_output img"),  # a notebook cell's output
    ],
)
def test_a_page_that_draws_a_figure_shows_it_on_its_card(
    small_site: Path, page: str, shown: str
) -> None:
    tags = card(small_site / page)
    assert tags["og:url"] == SMALL_SITE_BASE_URL + page
    assert tags["twitter:card"] == "summary_large_image"
    image = served_image(small_site, tags["og:image"])
    assert image.is_file(), f"the card of {page} names {tags['og:image']}, not in the site"
    figure = BeautifulSoup((small_site / page).read_text(encoding="utf-8"), "html.parser")
    first = figure.select_one(shown)
    assert first is not None, f"{page} shows no figure"
    assert (small_site / page).parent.joinpath(first["src"]).resolve() == image.resolve()


@pytest.mark.slow
def test_a_page_without_a_figure_gets_a_summary_card(small_site: Path) -> None:
    tags = card(small_site / "guide.html")
    assert tags["twitter:card"] == "summary"
    assert "og:image" not in tags
    assert tags["description"].startswith("This guide shows no figure, so its card")
    assert tags["og:description"] == tags["description"]


@pytest.mark.slow
def test_the_sitemap_lists_every_page_and_robots_txt_points_to_it(small_site: Path) -> None:
    urls = [
        loc.text
        for loc in ET.parse(small_site / "sitemap.xml").iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    pages = [
        str(page.relative_to(small_site))
        for page in site_pages(small_site)
        if page.name not in {"genindex.html", "search.html", "404.html"}
    ]
    assert sorted(urls) == sorted(SMALL_SITE_BASE_URL + page for page in pages)
    robots = (small_site / "robots.txt").read_text()
    assert f"Sitemap: {SMALL_SITE_BASE_URL}sitemap.xml" in robots


@pytest.mark.site
def test_every_page_has_a_description_and_a_card(built_site: Path) -> None:
    missing = []
    for page in site_pages(built_site):
        tags = card(page)
        if len(tags.get("description", "")) < 20 or "og:title" not in tags:
            missing.append(str(page.relative_to(built_site)))
    assert not missing, f"pages without a description or a card: {missing}"


@pytest.mark.site
def test_the_site_has_a_sitemap_only_when_told_its_address(built_site: Path) -> None:
    told = bool(os.environ.get("TORCHLIGHT_BASE_URL"))
    assert (built_site / "sitemap.xml").is_file() is told
    assert (built_site / "robots.txt").is_file() is told
