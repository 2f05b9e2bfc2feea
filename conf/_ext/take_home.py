"""Everything a reader needs to run the site's code at home, served by the site itself.

- ``downloads/tutorial_helpers-<version>-py3-none-any.whl``: the helper package
  the scripts import, built reproducibly (``helper_wheel.py``).
- ``downloads/exercises/<page>.ipynb``: each exercise as a notebook, its
  solution cells folded (``jupyter.source_hidden``) and marked.
- ``downloads/torchlight-code.zip``: every script and notebook of the site and
  the wheel, with a README that says how to run them.
- On every tutorial and exercise page, at the top: the page's downloads and a
  folded "Run this page yourself" box with the exact commands. It replaces
  sphinx-gallery's "Go to the end to download" note.
- ``{run-locally}``: the same instructions for the landing page, with the
  minimum versions from :mod:`tutorial_helpers.versions`.

Every link is relative, so the site works from any host and from a local
``build/html``. Where ``torchlight_base_url`` is set the install command shows
the wheel's absolute URL; elsewhere a line of script fills it in from the
page's own address.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from helper_wheel import build_wheel, wheel_name
from reproducible import write_zip
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from tutorial_helpers.versions import DISPLAY_NAMES, INSTALL_SELECTOR, MINIMUM_VERSIONS

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


def _install_commands(app: Sphinx, docname: str) -> str:
    """The HTML of the two install steps: PyTorch, then this site's wheel."""
    wheel = wheel_path(app)
    base_url = app.config.torchlight_base_url
    shown = base_url.rstrip("/") + "/" + wheel if base_url else posixpath.basename(wheel)
    versions = ", ".join(
        f"{DISPLAY_NAMES[name]} {minimum} or newer" for name, minimum in MINIMUM_VERSIONS.items()
    )
    return (
        f"<li><p>Install {html.escape(versions)}. For PyTorch, pick the command for your"
        f' machine (CPU or GPU) on <a class="reference external" href="{INSTALL_SELECTOR}">'
        "PyTorch's install page</a>.</p></li>"
        "<li><p>Install this site's helper package, "
        f'<a class="reference download" href="{relative(docname, wheel)}" download>'
        f"{html.escape(posixpath.basename(wheel))}</a>:</p>"
        '<div class="highlight-console notranslate"><div class="highlight"><pre>'
        f'pip install <span class="tl-wheel-url" data-tl-href="{relative(docname, wheel)}">'
        f"{html.escape(shown)}</span></pre></div></div></li>"
    )


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
    script = next((name for name, _ in downloads if name.endswith(".py")), None)
    notebook = next(name for name, _ in downloads if name.endswith(".ipynb"))
    jupyter = (
        f"<code>pip install jupyterlab</code>, then <code>jupyter lab "
        f"{html.escape(notebook)}</code>"
    )
    run = (
        f"Run it: <code>python {html.escape(script)}</code>, or open the notebook in "
        f"Jupyter ({jupyter})."
        if script
        else f"Open the notebook in Jupyter: {jupyter}."
    )
    return (
        '<div class="tl-take-home">'
        '<p class="tl-downloads"><span class="tl-downloads-label">Download this page:</span>'
        f" {links}"
        f' · <a class="reference internal" href="{relative(docname, ARCHIVE)}" download>'
        "all pages (.zip)</a></p>"
        '<details class="tl-run-yourself"><summary>Run this page yourself</summary><ol>'
        f"{_install_commands(app, docname)}"
        f"<li><p>{run} Set <code>TUTORIAL_DEVICE=cpu</code> to stay on "
        "the CPU.</p></li></ol></details></div>" + _FILL_URLS
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
        text = (
            '<div class="tl-take-home"><ol>'
            f"{_install_commands(self.env.app, docname)}"
            "<li><p>Download a page's script or notebook from the top of the page, or "
            f'<a class="reference internal" href="{relative(docname, ARCHIVE)}" download>'
            "all of them in one archive</a>, and run it: <code>python "
            "plot_01_creating_tensors.py</code>, or open the notebook in Jupyter.</p></li>"
            "</ol></div>" + _FILL_URLS
        )
        return [nodes.raw("", text, format="html")]


# -- notebooks of the exercise pages -------------------------------------------

_DOC_ROLE = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")


def exercise_notebook(app: Sphinx, docname: str) -> nbformat.NotebookNode:
    """The exercise page ``docname`` as a plain Jupyter notebook, solutions folded and marked."""
    from myst_nb.core.read import read_myst_markdown_notebook

    source = (Path(app.srcdir) / f"{docname}.md").read_text(encoding="utf-8")
    notebook = read_myst_markdown_notebook(source)
    base_url = app.config.torchlight_base_url

    def link(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))
        )
        title = app.env.titles[target].astext()
        if base_url:
            return f"[{title}]({base_url.rstrip('/')}/{target}.html)"
        return f"*{title}* (a page of this site)"

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = _DOC_ROLE.sub(link, cell.source)
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
        for suffix in (".py", ".ipynb"):
            path = Path(app.srcdir) / f"{docname}{suffix}"
            archive.append((f"torchlight-code/{docname}{suffix}", path.read_bytes()))

    readme = ARCHIVE_README.format(
        wheel=wheel.name,
        versions=", ".join(f"{name}>={minimum}" for name, minimum in MINIMUM_VERSIONS.items()),
        selector=INSTALL_SELECTOR,
    )
    archive.append(("torchlight-code/README.txt", readme.encode()))
    write_zip(outdir / ARCHIVE, sorted(archive), compression=zipfile.ZIP_DEFLATED)


ARCHIVE_README = """\
Torchlight: every script and notebook of the site, ready to run
===============================================================

tutorials/  one folder per section: each tutorial as a script (.py) and as a
            Jupyter notebook (.ipynb); the scripts also carry the checks the
            site runs on every claim (blocks between "sphinx_gallery_start_ignore"
            and "sphinx_gallery_end_ignore" comments), the notebooks do not
exercises/  the exercises as notebooks; each solution cell is folded, and
            marked "# Solution" on its first line
{wheel}
            the helper package the scripts import (tutorial_helpers)

To run them:

1. Install PyTorch, NumPy and matplotlib ({versions}). For PyTorch,
   pick the command for your machine (CPU or GPU) at
   {selector}

2. Install the helpers from this folder:

       pip install {wheel}

3. Run a script, or open a notebook:

       python tutorials/01_tensors/plot_01_creating_tensors.py
       pip install jupyterlab && jupyter lab

The pages of the training section (tutorials/07_training and the training
exercises) also load scikit-learn's bundled digits: pip install scikit-learn.

The scripts use your accelerator (a CUDA, ROCm, Apple or Intel GPU) when
there is one; set TUTORIAL_DEVICE=cpu to stay on the CPU.
"""


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("torchlight_base_url", "", "html", types=[str])
    app.add_directive("run-locally", RunLocally)
    app.connect("doctree-resolved", add_take_home_boxes)
    app.connect("build-finished", write_downloads)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
