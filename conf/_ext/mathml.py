"""Render math as MathML when the site is built: no JavaScript, works offline.

Sphinx's default renders math in the browser with MathJax, 1.2 MB of script
(from a CDN, unless the site ships it). Every browser now renders MathML
natively, and screen readers read it, so each ``:math:`` role, ``.. math::``
block and MyST ``$...$`` becomes a ``<math>`` element at build time, converted
by ``latex2mathml`` (PyPI). A formula it cannot convert fails the build, naming
the page and the formula.
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.writers.html5 import HTML5Translator


def to_mathml(latex: str, display: str, where: str) -> str:
    try:
        return convert(latex.strip(), display=display)
    except Exception as error:  # latex2mathml raises several unrelated types
        raise ExtensionError(
            f"{where}: cannot convert the formula {latex!r} to MathML: {error}"
        ) from error


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    where = f"{self.builder.current_docname}:{node.line or '?'}"
    self.body.append(to_mathml(node.astext(), "inline", where))
    raise nodes.SkipNode


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    where = f"{self.builder.current_docname}:{node.line or '?'}"
    ids = f' id="{node["ids"][0]}"' if node.get("ids") else ""
    # Focusable, so a keyboard user can scroll a formula wider than the screen.
    self.body.append(f'<div class="math-display" tabindex="0"{ids}>')
    if node.get("number"):
        self.body.append(f'<span class="eqno">({node["number"]})</span>')
    for formula in node.astext().split("\n\n"):  # blank-line separated equations
        if formula.strip():
            self.body.append(to_mathml(formula, "block", where))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, object]:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.config.html_math_renderer = "mathml"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
