"""Fill the gaps that axe-core finds in what sphinx-gallery and the theme write.

- sphinx-gallery writes each thumbnail on a section's index page with an empty
  ``alt``: it gets the title of the example it stands for.
- The theme's sidebar opens a section with a ``<summary>`` that holds only a
  chevron icon, so a screen reader announces a control with no name: it gets a
  visually hidden name, "Toggle navigation of <section>".
- myst-nb labels the toggle of a folded cell "Toggle hidden content" whatever it
  shows ("Show the solution"): a name that differs from the visible text fails
  WCAG 2.5.3, label in name. The label goes; the visible text names it.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bs4 import BeautifulSoup, Tag
from docutils import nodes
from sphinx.application import Sphinx

THUMBNAIL = re.compile(r"/images/thumb/sphx_glr_.*_thumb\.(png|svg|gif|jpe?g)$")
THUMBNAIL_TITLE = re.compile(r'<div class="sphx-glr-thumbnail-title">(.*?)</div>', re.DOTALL)


def label_thumbnails(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        if image.get("alt", "").strip() or not THUMBNAIL.search(image.get("uri", "")):
            continue
        # sphinx-gallery's template: raw <div>, only(image, link), raw <div>title</div></div>.
        following = image.parent.next_node(nodes.raw, siblings=True, descend=False)
        found = THUMBNAIL_TITLE.search(following.astext()) if following is not None else None
        if found:
            title = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()
            image["alt"] = f"Thumbnail of the example “{title}”"


def name_toggles(toctree: Any) -> Any:
    """Give each nameless ``<summary>`` of a navigation tree the name of its section."""
    soup = BeautifulSoup(toctree, "html.parser") if isinstance(toctree, str) else toctree
    if not isinstance(soup, Tag):
        return toctree
    for summary in soup.find_all("summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        item = summary.find_parent("li")
        link = item.find("a", recursive=False) if item is not None else None
        section = link.get_text(" ", strip=True) if link is not None else "this section"
        hidden = soup.new_tag("span", attrs={"class": "visually-hidden"})
        hidden.string = f"Toggle navigation of {section}"
        summary.append(hidden)
    return str(soup) if isinstance(toctree, str) else soup


#: What myst-nb writes for the toggle of a folded (hide-input, hide-cell ...) cell.
MYST_NB_TOGGLE = '<summary aria-label="Toggle hidden content">'


def name_folded_cells_by_their_text(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if MYST_NB_TOGGLE in context.get("body", ""):
        context["body"] = context["body"].replace(MYST_NB_TOGGLE, "<summary>")


def wrap_theme_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "names_toggles", False):
        return

    def generate_named(*args: Any, **kwargs: Any) -> Any:
        return name_toggles(generate(*args, **kwargs))

    generate_named.names_toggles = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = generate_named


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("doctree-read", label_thumbnails)
    # After the theme (priority 500) has put its toctree function in the context.
    app.connect("html-page-context", wrap_theme_toctree, priority=900)
    app.connect("html-page-context", name_folded_cells_by_their_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
