"""Serve MathJax 3 from the site itself, so math renders offline.

Sphinx loads MathJax from a CDN by default, which an offline reader cannot
reach. The files come from the ``sphinx-mathjax-offline`` distribution on PyPI
(its own extension cannot be imported: its package directory has a hyphen in
its name), and only what the CommonHTML TeX renderer can load is copied.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset

#: Relative to MathJax's root: the entry point and what it loads lazily
#: (fonts, the context menu, and the accessibility tools it offers).
NEEDED = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "ui", "a11y", "sre")


def mathjax_root() -> Path:
    """Return the MathJax directory shipped by ``sphinx-mathjax-offline``."""
    dist = metadata.distribution("sphinx-mathjax-offline")
    root = Path(str(dist.locate_file("sphinx-mathjax-offline/static/mathjax")))
    if not (root / NEEDED[0]).is_file():
        raise ExtensionError(f"MathJax not found at {root}; reinstall sphinx-mathjax-offline.")
    return root


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = mathjax_root()
    target = Path(app.outdir) / "_static" / "mathjax"
    for relative in NEEDED:
        source = root / relative
        destination = target / relative
        if source.is_dir():
            copy_asset(source, destination)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            copy_asset(source, destination.parent)


def setup(app: Sphinx) -> dict[str, object]:
    mathjax_root()  # fail at start-up, not after a long build
    app.config.mathjax_path = "mathjax/tex-chtml.js"
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
