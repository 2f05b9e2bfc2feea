"""No broken internal link or anchor anywhere in the built site.

Sphinx's nitpicky mode already fails the build on a cross-reference it cannot
resolve; this walks the HTML it wrote, so a link Sphinx does not check (raw
HTML, a theme template, a hand-written ``#anchor``, a download) is checked too.
Every ``href`` and ``src`` of every page that points inside the site must name
a file that exists and, with a ``#fragment``, an element with that id.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from page_speed import site_pages

#: Attributes that point at another file: links, images, scripts, stylesheets, sources.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}


@cache
def ids_in(page: Path) -> frozenset[str]:
    """The ids (and old-style ``name`` anchors) a fragment can point at in ``page``."""
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return frozenset(
        [tag["id"] for tag in html.find_all(id=True)]
        + [tag["name"] for tag in html.find_all("a", attrs={"name": True})]
    )


def broken_links(page: Path, site: Path) -> list[str]:
    """Describe every internal link of ``page`` whose file or anchor does not exist."""
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    broken = []
    for tag_name, attribute in LINK_ATTRIBUTES.items():
        for tag in html.find_all(tag_name, attrs={attribute: True}):
            url = tag[attribute].strip()
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not url or url.startswith("javascript:"):
                continue  # another site (which the browser tests forbid loading), or none
            if parts.path.startswith("/"):  # the 404 page's links start at the site's root
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(site)}: {tag_name} {attribute}={url!r}"
            if site.resolve() not in [target, *target.parents]:
                broken.append(f"{where} points outside the site")
            elif not target.is_file():
                broken.append(f"{where}: no file {target.relative_to(site.resolve())}")
            elif parts.fragment and target.suffix == ".html":
                anchor = unquote(parts.fragment)
                if anchor not in ids_in(target):
                    broken.append(f"{where}: no id {anchor!r} in {target.name}")
    return broken


@pytest.mark.site
def test_no_broken_internal_link_or_anchor(built_site: Path) -> None:
    broken = [
        problem for page in site_pages(built_site) for problem in broken_links(page, built_site)
    ]
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])


def test_the_link_walk_finds_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "site.css").write_text("")
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="_static/site.css">'
        '<h1 id="top">Top</h1><a href="#top">here</a><a href="guide/page.html#usage">ok</a>'
        '<a href="https://example.org/">elsewhere</a><a href="mailto:a@b.c">mail</a>'
        '<a href="guide/gone.html">gone</a><a href="guide/page.html#nowhere">bad anchor</a>'
        '<img src="_images/missing.png" alt="missing">'
        '<a href="/guide/page.html">from the root</a><a href="/guide/none.html">root, gone</a>'
    )
    (tmp_path / "guide" / "page.html").write_text(
        '<section id="usage"></section><a href="../index.html#top">back</a><a href="#">top</a>'
    )
    problems = [p for page in site_pages(tmp_path) for p in broken_links(page, tmp_path)]
    assert len(problems) == 4, problems
    assert any("guide/gone.html" in p for p in problems)
    assert any(re.search(r"no id 'nowhere' in page\.html", p) for p in problems)
    assert any("_images/missing.png" in p for p in problems)
    assert any("guide/none.html" in p for p in problems)
