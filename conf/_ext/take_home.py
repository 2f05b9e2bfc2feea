"""Everything a reader needs to run the site's code at home, served by the site itself.

- ``downloads/tutorial_helpers-<version>-py3-none-any.whl``: the helper package
  the scripts import, built reproducibly (``helper_wheel.py``).
- ``downloads/exercises/<page>.ipynb``: each exercise as a notebook, its
  solution cells folded (``jupyter.source_hidden``) and marked.
- ``downloads/torchlight-code.zip``: every script and notebook of the site and
  the wheel, with a README that says how to run them.
- On every tutorial and exercise page, at the top: the page's downloads and a
  folded "Run this page yourself" box with the exact commands, written by
  ``run_box.py`` from what the build knows (Python, the page's own packages
  from its imports, ...). It replaces sphinx-gallery's "Go to the end to
  download" note.
- ``{run-locally}``: the same instructions for the landing page, with the
  minimum versions from :mod:`tutorial_helpers.versions`.

What the scripts and tutorial notebooks hold (their visible code, the text in
Markdown) is ``reader_code.py``'s; the exercise notebooks' text goes through
the same role-to-Markdown conversion (``notebook_markdown.py``).

Every link is relative, so the site works from any host and from a local
``build/html``. Where ``torchlight_base_url`` is set the install command shows
the wheel's absolute URL; elsewhere a line of script fills it in from the
page's own address.
"""

from __future__ import annotations

import html
import posixpath
import zipfile
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from helper_wheel import build_wheel, wheel_name
from notebook_markdown import myst_roles_to_markdown, sphinx_resolver
from reader_code import example_downloads, visible_code
from reproducible import write_zip
from run_box import (
    RunFacts,
    page_imports,
    page_requirements,
    required_python,
    steps_html,
    steps_text,
)
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

DOWNLOADS = "downloads"
ARCHIVE = f"{DOWNLOADS}/torchlight-code.zip"
EXERCISES = "exercises"
#: Marks a solution cell in a downloaded notebook (its first line).
SOLUTION_MARK = "# Solution: try the exercise first. (This cell is folded in JupyterLab.)"


def project_root(app: Sphinx) -> Path:
    return Path(app.confdir).parent


def relative(docname: str, target: str) -> str:
    """The URL of ``target`` (a path inside the built site) from the page ``docname``."""
    return posixpath.relpath(target, posixpath.dirname(docname) or ".")


def wheel_path(app: Sphinx) -> str:
    return f"{DOWNLOADS}/{wheel_name(project_root(app))}"


def is_example(app: Sphinx, docname: str) -> bool:
    """A sphinx-gallery example page (its script sits beside its generated page)."""
    return docname.startswith("tutorials/") and (Path(app.srcdir) / f"{docname}.py").is_file()


def is_exercise(docname: str) -> bool:
    return docname.startswith(f"{EXERCISES}/") and docname != f"{EXERCISES}/index"


def page_downloads(app: Sphinx, docname: str) -> list[tuple[str, str]]:
    """``(file name, path inside the site)`` of the files a page offers, script first."""
    if is_exercise(docname):
        name = f"{posixpath.basename(docname)}.ipynb"
        return [(name, f"{DOWNLOADS}/{EXERCISES}/{name}")]
    # sphinx-gallery's footer offers them: Sphinx has them under _downloads/<hash>/.
    offered = {
        Path(source).as_posix(): str(destination)
        for source, (pages, destination) in app.env.dlfiles.items()
        if docname in pages
    }
    return [
        (posixpath.basename(offered[key]), f"_downloads/{offered[key]}")
        for key in (f"{docname}.py", f"{docname}.ipynb")
        if key in offered
    ]


def page_code(app: Sphinx, docname: str) -> str:
    """The code a reader downloads for a page: the visible script, or the notebook's cells."""
    if is_example(app, docname):
        return visible_code((Path(app.srcdir) / f"{docname}.py").read_text(encoding="utf-8"))
    from myst_nb.core.read import read_myst_markdown_notebook

    source = (Path(app.srcdir) / f"{docname}.md").read_text(encoding="utf-8")
    notebook = read_myst_markdown_notebook(source)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def run_facts(
    app: Sphinx, docname: str, downloads: list[tuple[str, str]] | None = None
) -> RunFacts:
    """What the run steps of ``docname`` say; for the landing page (no downloads), the site's."""
    wheel = wheel_path(app)
    base_url = app.config.torchlight_base_url
    if downloads:
        extras = run_facts_extras(app, docname)
    else:  # the landing page: what any page imports, and the first page as the example
        pages = reader_pages(app)
        extras = sorted({extra for page in pages for extra in run_facts_extras(app, page)})
        downloads = [
            (f"{posixpath.basename(pages[0])}{suffix}", "") for suffix in (".py", ".ipynb")
        ]
    names = [name for name, _ in downloads]
    return RunFacts(
        python=required_python(project_root(app) / "pyproject.toml"),
        wheel_name=posixpath.basename(wheel),
        wheel_href=relative(docname, wheel),
        wheel_shown=base_url.rstrip("/") + "/" + wheel if base_url else posixpath.basename(wheel),
        extras=extras,
        script=next((name for name in names if name.endswith(".py")), None),
        notebook=next((name for name in names if name.endswith(".ipynb")), None),
        site_wide=docname not in reader_pages(app),
    )


def reader_pages(app: Sphinx) -> list[str]:
    """Every page a reader can download, tutorials first."""
    found = sorted(app.env.found_docs)
    return [d for d in found if is_example(app, d)] + [d for d in found if is_exercise(d)]


def run_facts_extras(app: Sphinx, docname: str) -> list[tuple[str, str]]:
    return page_requirements(docname, page_imports(page_code(app, docname)))


#: Replaces the wheel's file name with its absolute URL, resolved against the page's own
#: address, so the command works wherever the site is served (or opened from disk).
_FILL_URLS = (
    "<script>document.querySelectorAll('.tl-wheel-url').forEach("
    "e=>{e.textContent=new URL(e.dataset.tlHref,document.baseURI).href});</script>"
)


def take_home_box(app: Sphinx, docname: str) -> str:
    """The HTML of the box at the top of a tutorial or exercise page."""
    downloads = page_downloads(app, docname)
    links = " ".join(
        f'<a class="reference download" href="{relative(docname, path)}" download>'
        f"{html.escape(name)}</a>"
        for name, path in downloads
    )
    return (
        '<div class="tl-take-home">'
        '<p class="tl-downloads"><span class="tl-downloads-label">Download this page:</span>'
        f" {links}"
        f' · <a class="reference internal" href="{relative(docname, ARCHIVE)}" download>'
        "all pages (.zip)</a></p>"
        '<details class="tl-run-yourself"><summary>Run this page yourself</summary>'
        f"{steps_html(run_facts(app, docname, downloads))}</details></div>" + _FILL_URLS
    )


def add_take_home_boxes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not (is_example(app, docname) or is_exercise(docname)):
        return
    # sphinx-gallery's "Go to the end to download the full example code": the box replaces it.
    for note in list(doctree.findall(nodes.note)):
        if "sphx-glr-download-link-note" in note["classes"]:
            note.parent.remove(note)
    section = next(iter(doctree.findall(nodes.section)))
    title = next(iter(section.findall(nodes.title)))
    box = nodes.raw("", take_home_box(app, docname), format="html")
    section.insert(section.index(title) + 1, box)


class RunLocally(SphinxDirective):
    """``{run-locally}``: how to run every page at home, for the landing page."""

    def run(self) -> list[nodes.Node]:
        docname = self.env.docname
        # The steps name what any page imports: read again when a page changes.
        for page in reader_pages(self.env.app):
            suffix = ".py" if is_example(self.env.app, page) else ".md"
            self.env.note_dependency(str(Path(self.env.srcdir) / f"{page}{suffix}"))
        text = (
            '<div class="tl-take-home">'
            "<p>Download a page's script or notebook from the top of the page, or "
            f'<a class="reference internal" href="{relative(docname, ARCHIVE)}" download>'
            "all of them in one archive</a>, then:</p>"
            f"{steps_html(run_facts(self.env.app, docname))}</div>" + _FILL_URLS
        )
        return [nodes.raw("", text, format="html")]


# -- notebooks of the exercise pages -------------------------------------------


def exercise_notebook(app: Sphinx, docname: str) -> nbformat.NotebookNode:
    """The exercise page ``docname`` as a plain Jupyter notebook, solutions folded and marked."""
    from myst_nb.core.read import read_myst_markdown_notebook

    source = (Path(app.srcdir) / f"{docname}.md").read_text(encoding="utf-8")
    notebook = read_myst_markdown_notebook(source)
    resolve = sphinx_resolver(app, docname)

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = myst_roles_to_markdown(cell.source, resolve)
        elif "hide-cell" in cell.metadata.get("tags", []):
            cell.source = f"{SOLUTION_MARK}\n{cell.source}"
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        cell.metadata.pop("mystnb", None)  # the site's own rendering options
    notebook.metadata.pop("mystnb", None)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata.pop("torchlight", None)  # the page's prerequisites (prerequisites.py)
    return notebook


def _notebook_bytes(notebook: nbformat.NotebookNode) -> bytes:
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"  # stable ids: the same bytes build after build
    return (nbformat.writes(notebook) + "\n").encode()


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Write the wheel, the exercise notebooks and the archive into the built site."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    root = project_root(app)
    wheel = build_wheel(root, outdir / DOWNLOADS)
    archive: list[tuple[str, bytes]] = [(f"torchlight-code/{wheel.name}", wheel.read_bytes())]

    exercises = sorted(name for name in app.env.found_docs if is_exercise(name))
    for docname in exercises:
        data = _notebook_bytes(exercise_notebook(app, docname))
        target = outdir / DOWNLOADS / EXERCISES / f"{posixpath.basename(docname)}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        archive.append((f"torchlight-code/{docname}.ipynb", data))

    examples = sorted(name for name in app.env.found_docs if is_example(app, name))
    for docname in examples:
        for suffix, data in sorted(example_downloads(app, docname).items()):
            archive.append((f"torchlight-code/{docname}{suffix}", data))

    extras = {
        f"{docname}{'.py' if is_example(app, docname) else '.ipynb'}": run_facts_extras(
            app, docname
        )
        for docname in reader_pages(app)
    }
    readme = ARCHIVE_README.format(
        wheel=wheel.name,
        steps=steps_text(required_python(root / "pyproject.toml"), wheel.name, extras),
    )
    archive.append(("torchlight-code/README.txt", readme.encode()))
    write_zip(outdir / ARCHIVE, sorted(archive), compression=zipfile.ZIP_DEFLATED)


ARCHIVE_README = """\
Torchlight: every script and notebook of the site, ready to run
===============================================================

tutorials/  one folder per section: each tutorial as a script (.py) and as a
            Jupyter notebook (.ipynb), the same code: what its page shows
exercises/  the exercises as notebooks; each solution cell is folded, and
            marked "# Solution" on its first line
{wheel}
            the helper package the scripts import (tutorial_helpers)

To run them:

{steps}"""


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("torchlight_base_url", "", "html", types=[str])
    app.add_directive("run-locally", RunLocally)
    app.connect("doctree-resolved", add_take_home_boxes)
    app.connect("build-finished", write_downloads)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
