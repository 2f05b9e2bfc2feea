"""The pages each tutorial and exercise assumes, declared once on the page and shown as links.

Every tutorial and exercise says which pages a reader should have read first,
and whether it needs calculus, in a form the build reads:

- a tutorial, in its script, as sphinx-gallery configuration comments (which
  sphinx-gallery removes from the page and the notebook), one line per page::

      # sphinx_gallery_assumes = "plot_01_creating_tensors"
      # sphinx_gallery_assumes = "../02_numpy/plot_01_numpy_arrays"
      # sphinx_gallery_calculus = "derivatives of one variable"

  (``# sphinx_gallery_assumes = None`` for a page that assumes only Python);
- an exercise, in its MyST front matter::

      torchlight:
        assumes: [../tutorials/01_tensors/plot_01_creating_tensors]
        calculus: derivatives of one variable

A page is named as ``{doc}`` names it: relative to the page, or from the
source root with a leading ``/``. A tutorial or exercise that declares
nothing, or names a page that does not exist, fails the build with the line to
write.

Under the page's title, after its reading time (``reading_time.py``), the page
shows "Assumes: <links>" and what calculus it needs; an assumed page that comes
later in the reading order is marked so. ``{calculus-pages}`` (a directive)
lists the pages that need calculus, by section, for the landing page.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from reading_time import add_separator, is_timed_page, note_reader, page_facts
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: ``env`` attribute: what each page declared.
DECLARED = "tl_prerequisites"
#: The front-matter key of an exercise page.
FRONT_MATTER_KEY = "torchlight"


@dataclass
class Prerequisites:
    assumes: list[str] = field(default_factory=list)  # docnames, in the order declared
    calculus: str | None = None
    declared: bool = False  # False: the page said nothing (an error for a timed page)
    problems: list[str] = field(default_factory=list)


def config_comments(source: str, name: str) -> list[Any]:
    """The values of every ``# sphinx_gallery_<name> = <literal>`` line of a script."""
    pattern = re.compile(rf"^[ \t]*#\s*sphinx_gallery_{name}\s*=\s*(.+?)[ \t]*$", re.MULTILINE)
    return [ast.literal_eval(value) for value in pattern.findall(source)]


def resolve(docname: str, reference: str) -> str:
    """The docname that ``reference`` names from the page ``docname``, as ``{doc}`` resolves it."""
    if reference.startswith("/"):
        return reference.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), reference))


def script_of(app: Sphinx, docname: str) -> Path | None:
    """The gallery script a tutorial page is made from (sphinx-gallery copies it beside)."""
    conf = app.config.sphinx_gallery_conf
    examples, galleries = conf["examples_dirs"], conf["gallery_dirs"]
    examples = [examples] if isinstance(examples, str) else examples
    galleries = [galleries] if isinstance(galleries, str) else galleries
    for example, gallery in zip(examples, galleries, strict=True):
        if docname.startswith(f"{gallery}/"):
            script = Path(app.srcdir, example, docname[len(gallery) + 1 :] + ".py").resolve()
            if script.is_file():
                return script
    return None


def where(app: Sphinx, docname: str) -> str:
    """The file to edit for ``docname``, for error messages."""
    script = script_of(app, docname)
    return str(script) if script is not None else str(app.env.doc2path(docname))


def _from_script(docname: str, source: str) -> Prerequisites:
    found = Prerequisites()
    try:
        assumes = config_comments(source, "assumes")
        calculus = config_comments(source, "calculus")
    except (SyntaxError, ValueError) as error:
        found.problems.append(
            f"a sphinx_gallery_assumes or _calculus line is not a literal: {error}"
        )
        return found
    found.declared = bool(assumes)
    for value in assumes:
        if value is None:
            continue
        if not isinstance(value, str):
            found.problems.append(f"sphinx_gallery_assumes = {value!r} is not a string")
            continue
        found.assumes.append(resolve(docname, value))
    if calculus:
        found.calculus = calculus[-1]
    return found


def _from_front_matter(docname: str, metadata: dict[str, Any]) -> Prerequisites:
    found = Prerequisites()
    data = metadata.get(FRONT_MATTER_KEY)
    if isinstance(data, str):  # myst-parser keeps a nested mapping as JSON
        data = json.loads(data)
    if data is None:
        return found
    if not isinstance(data, dict) or not isinstance(data.get("assumes", []), list):
        found.problems.append(f"{FRONT_MATTER_KEY}: must hold `assumes: [pages]`, got {data!r}")
        return found
    found.declared = "assumes" in data
    found.assumes = [resolve(docname, str(value)) for value in data.get("assumes", [])]
    found.calculus = data.get("calculus")
    return found


def _declared(env: BuildEnvironment) -> dict[str, Prerequisites]:
    if not hasattr(env, DECLARED):
        setattr(env, DECLARED, {})
    return getattr(env, DECLARED)


def of(env: BuildEnvironment, docname: str) -> Prerequisites:
    """What ``docname`` declared (nothing, for a page that is not a tutorial or exercise)."""
    return _declared(env).get(docname, Prerequisites())


def record(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    if not is_timed_page(docname):
        return
    script = Path(app.srcdir) / f"{docname}.py"
    if script.is_file():
        found = _from_script(docname, script.read_text(encoding="utf-8"))
    else:
        found = _from_front_matter(docname, env.metadata.get(docname, {}))
    _declared(env)[docname] = found


def forget(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _declared(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Any, other: BuildEnvironment) -> None:
    _declared(env).update(
        {name: value for name, value in _declared(other).items() if name in docnames}
    )


HOW_TO_DECLARE = (
    "declare the pages it assumes: in a tutorial's script, one line "
    '`# sphinx_gallery_assumes = "plot_01_x"` per page (or `= None` for none); in an '
    "exercise's front matter, `torchlight: {assumes: [../tutorials/01_x/plot_01_y]}`"
)


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Every tutorial and exercise declares what it assumes, and names real pages."""
    for docname in sorted(name for name in env.found_docs if is_timed_page(name)):
        found = of(env, docname)
        for problem in found.problems:
            logger.warning("%s: %s; %s.", where(app, docname), problem, HOW_TO_DECLARE)
        if not found.declared and not found.problems:
            logger.warning(
                "%s: no prerequisites declared: %s.", where(app, docname), HOW_TO_DECLARE
            )
        for target in found.assumes:
            if target == docname:
                logger.warning("%s: names itself as a prerequisite.", where(app, docname))
            elif target not in env.found_docs:
                logger.warning(
                    "%s: assumes %r, which is not a page of this site; name the page as "
                    "{doc} would, relative to this page.",
                    where(app, docname),
                    target,
                )


# -- writing ---------------------------------------------------------------------------


def reading_order(env: BuildEnvironment) -> dict[str, int]:
    """Each page's position when following "next" from the landing page."""
    relations = env.collect_relations()
    order: dict[str, int] = {}
    page: str | None = env.config.root_doc
    while page is not None and page not in order:
        order[page] = len(order)
        page = relations.get(page, [None, None, None])[2]
    return order


def page_link(app: Sphinx, fromdoc: str, target: str) -> nodes.reference:
    title = app.env.titles[target].astext()
    uri = app.builder.get_relative_uri(fromdoc, target)
    return nodes.reference(title, title, internal=True, refuri=uri, classes=["internal"])


def assumed_links(app: Sphinx, docname: str) -> list[nodes.Node]:
    """The links to the pages ``docname`` assumes, each later page marked so."""
    env = app.env
    targets = [t for t in of(env, docname).assumes if t in env.found_docs and t != docname]
    if not targets:
        return [nodes.Text("only Python")]
    order = reading_order(env)
    here = order.get(docname, -1)
    result: list[nodes.Node] = []
    for index, target in enumerate(targets):
        if index:
            result.append(nodes.Text(", "))
        result.append(page_link(app, docname, target))
        if order.get(target, -1) > here >= 0:
            result.append(nodes.emphasis(" (later on the path)", " (later on the path)"))
    return result


class calculus_pages(nodes.General, nodes.Element):
    """Where ``{calculus-pages}`` lists the pages that need calculus, filled in when written."""


class CalculusPages(SphinxDirective):
    """``{calculus-pages}``: the pages that need calculus, by section, with what each needs."""

    def run(self) -> list[nodes.Node]:
        note_reader(self.env, self.env.docname)  # written again whenever a page changes
        return [calculus_pages()]


def calculus_list(app: Sphinx, docname: str) -> nodes.bullet_list:
    """One item per section: its pages that need calculus (what each needs, in its tooltip)."""
    env = app.env
    order = reading_order(env)
    relations = env.collect_relations()
    pages = sorted(
        (name for name, found in _declared(env).items() if found.calculus),
        key=lambda name: order.get(name, len(order)),
    )
    by_section: dict[str, list[str]] = {}
    for name in pages:
        by_section.setdefault(relations.get(name, [name])[0] or name, []).append(name)
    items = nodes.bullet_list(classes=["tl-calculus-pages"])
    for section, names in by_section.items():
        paragraph = nodes.paragraph()
        paragraph += page_link(app, docname, section)
        paragraph += nodes.Text(": ")
        for index, name in enumerate(names):
            if index:
                paragraph += nodes.Text(", ")
            link = page_link(app, docname, name)
            link["reftitle"] = f"Calculus: {of(env, name).calculus}"
            paragraph += link
        items += nodes.list_item("", paragraph)
    return items


def show(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    env = app.env
    for placeholder in list(doctree.findall(calculus_pages)):
        placeholder.replace_self(calculus_list(app, docname))
    if app.builder.format != "html" or not is_timed_page(docname):
        return
    facts = page_facts(doctree)
    if facts is None:
        return
    add_separator(facts)
    facts += nodes.Text("Assumes: ")
    facts.extend(assumed_links(app, docname))
    calculus = of(env, docname).calculus
    if calculus:
        facts += nodes.Text(f" · Calculus: {calculus}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("reading_time")
    app.add_node(calculus_pages)
    app.add_directive("calculus-pages", CalculusPages)
    app.connect("doctree-read", record)
    app.connect("env-purge-doc", forget)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", check)
    # After reading_time.py (600) has put the time under the title.
    app.connect("doctree-resolved", show, priority=610)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
