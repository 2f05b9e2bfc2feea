"""What search engines and link previews read: descriptions, cards, sitemap, robots.txt.

- Every page gets ``<meta name="description">`` from its first paragraph, and
  OpenGraph and Twitter card tags: title, description, type, and (when the build
  knows its address) the page's URL and its first figure as the card's image,
  found in the page's doctree: a figure a tutorial's code drew, or the output
  image of a notebook cell. An image needs an absolute URL, so without
  ``torchlight_base_url`` no card names one.
- With ``torchlight_base_url`` set, ``sitemap.xml`` lists every page and
  ``robots.txt`` points to it. Without it neither is written: a sitemap of
  relative URLs is invalid.

Sphinx itself writes ``<link rel="canonical">`` from ``html_baseurl``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx_gallery.directives import imgsgnode

#: Longest description, in characters: what search results show.
DESCRIPTION_LENGTH = 160
#: Pages search engines need not list.
NOT_IN_SITEMAP = {"genindex", "search", "404"}
#: Descriptions of the pages Sphinx generates without a source.
GENERATED_PAGES = {
    "search": "Search every tutorial, guide and exercise of Torchlight.",
    "404": "There is no page at this address; the start page lists every section.",
    "genindex": "Every name documented on Torchlight, in alphabetical order.",
}


def _skipped(node: nodes.Node) -> bool:
    """A paragraph that is not the page's own prose: a note, a box, a figure caption."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.Admonition, nodes.caption, nodes.legend, nodes.table)):
            return True
        if "tl-provenance" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def first_paragraph(doctree: nodes.document) -> str:
    for paragraph in doctree.findall(nodes.paragraph):
        if _skipped(paragraph):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) >= 40:  # a sentence, not a label
            return text
    return ""


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


#: The classes sphinx-gallery gives the figures a code cell draws.
GALLERY_FIGURES = {"sphx-glr-single-img", "sphx-glr-multi-img"}


def _in_cell_output(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if "cell_output" in parent.get("classes", []):  # a myst-nb notebook cell's output
            return True
        parent = parent.parent
    return False


def first_figure(app: Sphinx, doctree: nodes.document) -> str | None:
    """Where in the site the first figure a page shows is: a gallery or notebook figure.

    sphinx-gallery writes a figure with a 2x variant as a node of its own
    (``imgsgnode``), which it copies into the images folder itself; every other
    image is a docutils image, which Sphinx copies there under the name it chose.
    """
    for node in doctree.findall(lambda n: isinstance(n, (nodes.image, imgsgnode))):
        if isinstance(node, imgsgnode):
            if GALLERY_FIGURES & set(node["class"] or []):
                return f"{app.builder.imagedir}/{PurePosixPath(node['uri']).name}"
        elif GALLERY_FIGURES & set(node["classes"]) or _in_cell_output(node):
            source = node.get("candidates", {}).get("*")
            if source in app.builder.images:
                return f"{app.builder.imagedir}/{app.builder.images[source]}"
    return None


def meta_tags(
    title: str, description: str, page_url: str | None, image_url: str | None
) -> list[tuple[str, str, str]]:
    """``(attribute, name, content)`` of every tag for one page."""
    tags = [("name", "description", description)] if description else []
    tags += [("property", "og:title", title), ("property", "og:type", "article")]
    tags += [("property", "og:site_name", "Torchlight")]
    if description:
        tags.append(("property", "og:description", description))
    if page_url:
        tags.append(("property", "og:url", page_url))
    if image_url:
        tags.append(("property", "og:image", image_url))
    card = "summary_large_image" if image_url else "summary"
    tags += [("name", "twitter:card", card), ("name", "twitter:title", title)]
    if description:
        tags.append(("name", "twitter:description", description))
    return tags


def page_url(base_url: str, pagename: str) -> str:
    return f"{base_url.rstrip('/')}/{pagename}.html"


def add_meta_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is None and pagename not in GENERATED_PAGES:
        return
    base_url = app.config.torchlight_base_url
    title = re.sub(r"<[^>]+>", "", context.get("title") or "")
    title = html.unescape(title) or app.config.project
    if doctree is None or pagename in GENERATED_PAGES:
        description = GENERATED_PAGES[pagename]
    else:
        description = shorten(first_paragraph(doctree))
    url = page_url(base_url, pagename) if base_url else None
    figure = first_figure(app, doctree) if doctree is not None else None
    image = f"{base_url.rstrip('/')}/{figure}" if base_url and figure else None
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta {attribute}="{name}" content="{html.escape(content, quote=True)}" />'
        for attribute, name, content in meta_tags(title, description, url, image)
    )


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    base_url = app.config.torchlight_base_url
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    if not base_url:  # and none left from a build that knew an address: it would point there
        for name in ("sitemap.xml", "robots.txt"):
            (outdir / name).unlink(missing_ok=True)
        return
    pages = sorted(name for name in app.env.found_docs if name not in NOT_IN_SITEMAP)
    urls = "".join(
        f"  <url><loc>{html.escape(page_url(base_url, name))}</loc></url>\n" for name in pages
    )
    (outdir / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n",
        encoding="utf-8",
    )
    (outdir / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {base_url.rstrip('/')}/sitemap.xml\n",
        encoding="utf-8",
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", add_meta_tags)
    app.connect("build-finished", write_sitemap)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
