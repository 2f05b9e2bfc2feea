"""Each section's exercises sit right after the section on the reading path.

A section of the gallery names its exercises, in order, in its README.rst::

    .. section-exercises::

       /exercises/tensor-shapes
       /exercises/tensor-views

From that one declaration:

- The section's index lists the exercises in its table of contents after its
  tutorials, so the sidebar shows them under the section and "next" leads from
  the section's last tutorial through its exercises to the next section.
  sphinx-gallery writes each section's index from the README, thumbnails, then
  a hidden toctree of the tutorials; the exercises' toctree is appended to that
  page's source when Sphinx reads it. The tutorials' index repeats every README
  but gets no toctree, so no exercise is in two tables of contents and each
  page keeps one place in the sidebar and the breadcrumbs. The exercises keep
  their addresses, ``exercises/<name>.html``.
- Where the README shows (the section's index, the tutorials' index), the
  directive shows the exercises as links.
- The section's last tutorial ends with "Practise: <the exercises>".
- ``{exercises-by-section}``, on the exercises' index, lists them under a
  heading per section, each with its reading time and the pages it assumes
  (``reading_time.py``, ``prerequisites.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from prerequisites import assumed_links, page_link
from reading_time import format_minutes, minutes_of, note_reader
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

DIRECTIVE = "section-exercises"
#: The directive and its indented lines, as written in a README.
DECLARATION = re.compile(
    rf"^\.\. {DIRECTIVE}::[ \t]*\n((?:[ \t]*\n|[ \t]+\S[^\n]*\n?)*)", re.MULTILINE
)
#: A reStructuredText title: a line, then a line of = - ~ under it.
TITLE = re.compile(r"^(\S[^\n]*)\n([=\-~^\"'`#*+])\2*[ \t]*$", re.MULTILINE)


def declared_exercises(source: str) -> list[str]:
    """The docnames a ``section-exercises`` directive in ``source`` names, in order."""
    names: list[str] = []
    for block in DECLARATION.findall(source):
        names += [line.strip().lstrip("/") for line in block.splitlines() if line.strip()]
    return names


@dataclass
class GallerySection:
    index: str  # the docname of the section's index, e.g. tutorials/01_tensors/index
    title: str
    readme: Path
    exercises: list[str]


def _gallery_dirs(app: Sphinx) -> list[tuple[Path, str]]:
    conf = app.config.sphinx_gallery_conf
    examples, galleries = conf["examples_dirs"], conf["gallery_dirs"]
    examples = [examples] if isinstance(examples, str) else examples
    galleries = [galleries] if isinstance(galleries, str) else galleries
    return [(Path(app.srcdir, e).resolve(), g) for e, g in zip(examples, galleries, strict=True)]


def gallery_sections(app: Sphinx) -> list[GallerySection]:
    """The gallery's sections in reading order (sphinx-gallery sorts them by folder name)."""
    sections = []
    for examples, gallery in _gallery_dirs(app):
        for readme in sorted(examples.glob("*/README.rst")):
            source = readme.read_text(encoding="utf-8")
            title = TITLE.search(source)
            sections.append(
                GallerySection(
                    index=f"{gallery}/{readme.parent.name}/index",
                    title=title.group(1).strip() if title else readme.parent.name,
                    readme=readme,
                    exercises=declared_exercises(source),
                )
            )
    return sections


def is_section_index(app: Sphinx, docname: str) -> bool:
    return any(
        docname.startswith(f"{gallery}/") and docname.count("/") == gallery.count("/") + 2
        for _, gallery in _gallery_dirs(app)
    ) and docname.endswith("/index")


def append_exercise_toctree(app: Sphinx, docname: str, source: list[str]) -> None:
    """A section's index gets, after sphinx-gallery's toctree, one of its exercises."""
    if not is_section_index(app, docname):
        return
    exercises = declared_exercises(source[0])
    if exercises:
        entries = "".join(f"   /{name}\n" for name in exercises)
        source[0] += f"\n\n.. toctree::\n   :hidden:\n\n{entries}"


def doc_link(docname: str, target: str, text: str | None = None) -> addnodes.pending_xref:
    """A ``{doc}`` link from ``docname``; without ``text``, it shows the page's title."""
    reference = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="doc",
        reftarget=target,
        refexplicit=text is not None,
        refwarn=True,
        refdoc=docname,
    )
    reference += nodes.inline(text or target, text or target, classes=["xref", "std", "std-doc"])
    return reference


class SectionExercises(SphinxDirective):
    """``section-exercises``: declares a section's exercises, and links them."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        paragraph = nodes.paragraph(classes=["tl-section-exercises"])
        paragraph += nodes.strong("Exercises:", "Exercises:")
        paragraph += nodes.Text(" ")
        names = [line.strip() for line in self.content if line.strip()]
        if not names:
            raise self.error(
                f"{DIRECTIVE} lists no exercise: name each one on its own indented line, "
                "e.g. /exercises/tensor-shapes."
            )
        for index, name in enumerate(names):
            if index:
                paragraph += nodes.Text(", " if index < len(names) - 1 else " and ")
            paragraph += doc_link(self.env.docname, name)
        self.set_source_info(paragraph)
        return [paragraph]


# -- the section's last tutorial: "Practise: ..." ----------------------------------------


def exercises_after(app: Sphinx, docname: str) -> list[str]:
    """The exercises that follow ``docname``, when it is its section's last tutorial."""
    parent = docname.rpartition("/")[0] + "/index"
    if not is_section_index(app, parent):
        return []
    entries = app.env.toctree_includes.get(parent, [])
    tutorials = [name for name in entries if not name.startswith("exercises/")]
    if not tutorials or tutorials[-1] != docname:
        return []
    return [name for name in entries if name.startswith("exercises/")]


def add_practise_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    exercises = exercises_after(app, docname)
    if not exercises or app.builder.format != "html":
        return
    paragraph = nodes.paragraph()
    paragraph += nodes.strong("Practise:", "Practise:")
    paragraph += nodes.Text(" ")
    for index, name in enumerate(exercises):
        if index:
            paragraph += nodes.Text(", " if index < len(exercises) - 1 else " and ")
        paragraph += page_link(app, docname, name)
    count = "the exercise" if len(exercises) == 1 else f"the {len(exercises)} exercises"
    paragraph += nodes.Text(f", {count} of this section.")
    box = nodes.container("", paragraph, classes=["tl-practise"])
    # After the page's last words: before sphinx-gallery's "Total running time" line and
    # its downloads, which sit inside the page's last section.
    timing = next(
        (n for n in doctree.findall(nodes.paragraph) if "sphx-glr-timing" in n["classes"]),
        None,
    )
    if timing is not None:
        timing.parent.insert(timing.parent.index(timing), box)
    else:
        list(doctree.findall(nodes.section))[-1].append(box)


# -- the exercises' index -------------------------------------------------------------------


class exercise_facts(nodes.Inline, nodes.Element):
    """An exercise's reading time and prerequisites, filled in when the index is written."""


class ExercisesBySection(SphinxDirective):
    """``{exercises-by-section}``: a heading per gallery section, its exercises below it."""

    def run(self) -> list[nodes.Node]:
        note_reader(self.env, self.env.docname)
        result: list[nodes.Node] = []
        for section in gallery_sections(self.env.app):
            self.env.note_dependency(str(section.readme))
            if not section.exercises:
                continue
            heading = nodes.section(ids=[nodes.make_id(f"exercises-{section.title}")])
            heading += nodes.title(section.title, section.title)
            intro = nodes.paragraph()
            intro += nodes.Text("After the tutorials of ")
            intro += doc_link(self.env.docname, f"/{section.index}", section.title)
            intro += nodes.Text(":")
            heading += intro
            items = nodes.bullet_list(classes=["tl-exercise-list"])
            for name in section.exercises:
                paragraph = nodes.paragraph()
                paragraph += doc_link(self.env.docname, f"/{name}")
                paragraph += exercise_facts(exercise=name)
                items += nodes.list_item("", paragraph)
            heading += items
            self.state.document.note_implicit_target(heading, heading)
            result.append(heading)
        return result


def fill_exercise_facts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(exercise_facts)):
        name = node["exercise"]
        if name not in app.env.found_docs:
            node.replace_self(nodes.Text(""))
            continue
        text = f" · {format_minutes(minutes_of(app.env, name))} · Assumes: "
        node.replace_self([nodes.Text(text), *assumed_links(app, name)])


def check(app: Sphinx, env: Any) -> None:
    """Every exercise a README names exists, and belongs to one section only."""
    owner: dict[str, str] = {}
    for section in gallery_sections(app):
        for name in section.exercises:
            if name not in env.found_docs:
                logger.warning(
                    "%s names the exercise %r, which is not a page; name it as a toctree "
                    "would, e.g. /exercises/tensor-shapes.",
                    section.readme,
                    name,
                )
            if name in owner:
                logger.warning(
                    "the exercise %r is named by two sections (%s and %s); keep it in one.",
                    name,
                    owner[name],
                    section.index,
                )
            owner[name] = section.index


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("reading_time")
    app.setup_extension("prerequisites")
    app.add_node(exercise_facts)
    app.add_directive(DIRECTIVE, SectionExercises)
    app.add_directive("exercises-by-section", ExercisesBySection)
    app.connect("source-read", append_exercise_toctree)
    app.connect("env-check-consistency", check)
    app.connect("doctree-resolved", add_practise_box)
    app.connect("doctree-resolved", fill_exercise_facts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
