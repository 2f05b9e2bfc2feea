"""Descriptions, link-preview cards, the sitemap and robots.txt (conf/_ext/page_meta.py)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from site_paths import CONF

sys.path.insert(0, str(CONF / "_ext"))
from page_meta import first_figure, meta_tags, shorten, write_sitemap


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


def test_the_first_figure_is_a_gallery_or_notebook_figure() -> None:
    body = (
        '<img src="../_static/logo.png" alt="logo">'
        '<img alt="a plot" class="sphx-glr-single-img" src="../_images/plot_1.png">'
    )
    assert first_figure(body) == "../_images/plot_1.png"
    notebook = '<div class="cell_output docutils container"><img src="../_images/x.png"></div>'
    assert first_figure(notebook) == "../_images/x.png"
    assert first_figure("<p>no figure</p>") is None


def fake_app(outdir: Path, base_url: str) -> SimpleNamespace:
    return SimpleNamespace(
        config=SimpleNamespace(torchlight_base_url=base_url),
        builder=SimpleNamespace(format="html"),
        outdir=str(outdir),
        env=SimpleNamespace(found_docs={"index", "guides/errors", "search", "404"}),
    )


def test_sitemap_and_robots_only_with_a_base_url(tmp_path: Path) -> None:
    write_sitemap(fake_app(tmp_path, ""), None)
    assert not (tmp_path / "sitemap.xml").exists()
    write_sitemap(fake_app(tmp_path, "https://example.github.io/torchlight/"), None)
    urls = [
        loc.text
        for loc in ET.parse(tmp_path / "sitemap.xml").iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert urls == [
        "https://example.github.io/torchlight/guides/errors.html",
        "https://example.github.io/torchlight/index.html",
    ]
    robots = (tmp_path / "robots.txt").read_text()
    assert "Sitemap: https://example.github.io/torchlight/sitemap.xml" in robots


@pytest.mark.site
def test_every_page_has_a_description_and_a_card(built_site: Path) -> None:
    missing = []
    for page in sorted(built_site.rglob("*.html")):
        if page.relative_to(built_site).parts[0][0] in "_.":
            continue
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        assert head is not None
        description = head.find("meta", attrs={"name": "description"})
        title = head.find("meta", attrs={"property": "og:title"})
        if description is None or len(description["content"]) < 20 or title is None:
            missing.append(str(page.relative_to(built_site)))
    assert not missing, f"pages without a description or a card: {missing}"
