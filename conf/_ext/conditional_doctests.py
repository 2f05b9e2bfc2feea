"""Say on the page whether each conditional doctest box ran in this build.

A ``{doctest}`` block with ``:skipif:`` runs only on some machines (one with a
CUDA GPU, say). The page shows the box either way, so without a word a reader
would take a skipped box for one this build checked. Each such box gets a line
above it, decided exactly as ``sphinx.ext.doctest`` decides (the same
``doctest_global_setup``, the same condition): "Run by this build" or
"Not run by this build", with the condition.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: The CSS class of the line (conf/_static/torchlight.css), also read by the tests.
CSS_CLASS = "tl-conditional-doctest"


def is_skipped(app: Sphinx, condition: str) -> bool:
    """Evaluate a ``:skipif:`` condition as ``sphinx.ext.doctest`` does."""
    context: dict[str, Any] = {}
    if app.config.doctest_global_setup:
        exec(app.config.doctest_global_setup, context)
    skipped = bool(eval(condition, context))
    if app.config.doctest_global_cleanup:
        exec(app.config.doctest_global_cleanup, context)
    return skipped


def label(skipped: bool, condition: str) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=[CSS_CLASS, "skipped" if skipped else "ran"])
    if skipped:
        paragraph += nodes.strong(text="Not run by this build. ")
        paragraph += nodes.Text("This box is skipped where ")
        paragraph += nodes.literal(text=condition)
        paragraph += nodes.Text(", as on the machine that built this site.")
    else:
        paragraph += nodes.strong(text="Run by this build. ")
        paragraph += nodes.Text("This box is skipped only where ")
        paragraph += nodes.literal(text=condition)
        paragraph += nodes.Text(".")
    return paragraph


def mark_conditional_doctests(app: Sphinx, doctree: nodes.document) -> None:
    if app.builder.name == "doctest":
        return
    for block in list(doctree.findall(nodes.Element)):
        condition = block.get("skipif") if block.get("testnodetype") else None
        if condition and block.parent is not None:
            block.parent.insert(
                block.parent.index(block), label(is_skipped(app, condition), condition)
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.doctest")
    # When the page is read: later transforms (the code links of api_links.py) rebuild
    # code blocks without the doctest's attributes.
    app.connect("doctree-read", mark_conditional_doctests)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
