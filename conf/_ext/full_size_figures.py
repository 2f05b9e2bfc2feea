"""Every figure opens at full size: a tap or click on it shows the image alone.

On a phone a figure is shrunk to the width of the screen. Each figure the
build drew, sphinx-gallery's (its ``image-sg`` nodes, with a 2x variant) and
the notebooks' cell outputs, is wrapped in a link to its largest image file,
which the browser shows at its own size, to zoom and pan. The link is named by
the figure's alt text and says that it opens the full-size image.

Gallery thumbnails are not figures: they link to their page, and are left
alone, as is an image that already is a link.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

#: The class of the link, styled in conf/_static/torchlight.css.
LINK_CLASS = "tl-full-size"
#: Said after the alt text, to a screen reader, of what the link does.
LINK_HINT = "(opens the full-size image)"


class full_size_link(nodes.General, nodes.Element):  # docutils names its nodes so
    """A link around one figure to its full-size image (``refuri``)."""


def visit_full_size_link(translator: Any, node: full_size_link) -> None:
    href = translator.attval(node["refuri"])
    translator.body.append(f'<a class="{LINK_CLASS}" href="{href}">')


def depart_full_size_link(translator: Any, node: full_size_link) -> None:
    translator.body.append(f'<span class="tl-visually-hidden"> {LINK_HINT}</span></a>')


def _gallery_image(node: nodes.Node) -> str | None:
    """The file name of a sphinx-gallery figure's largest variant, or None."""
    from sphinx_gallery.directives import _parse_srcset, imgsgnode

    if not isinstance(node, imgsgnode):
        return None
    if not node.get("srcset"):  # one size only
        return str(node["uri"]).rsplit("/", 1)[-1]
    srcset = _parse_srcset(node["srcset"])
    return srcset[max(srcset)].rsplit("/", 1)[-1]


def _notebook_image(node: nodes.Node, env: Any) -> str | None:
    """The file name, in ``_images``, of an image in a notebook's cell output, or None."""
    if not isinstance(node, nodes.image) or "*" not in node.get("candidates", {}):
        return None
    parent = node.parent
    while parent is not None and "cell_output" not in parent.get("classes", []):
        parent = parent.parent
    if parent is None or node["candidates"]["*"] not in env.images:
        return None
    return str(env.images[node["candidates"]["*"]][1])


def link_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    page = app.builder.get_target_uri(docname)
    images = app.builder.imagedir
    for node in list(doctree.findall(nodes.Element)):
        if isinstance(node.parent, (nodes.reference, full_size_link)):
            continue
        name = _gallery_image(node) or _notebook_image(node, app.env)
        if name is None:
            continue
        link = full_size_link(refuri=relative_uri(page, f"{images}/{name}"))
        node.replace_self(link)
        link.append(node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(full_size_link, html=(visit_full_size_link, depart_full_size_link))
    app.connect("doctree-resolved", link_figures)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
