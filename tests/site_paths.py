"""Where the project's sources and its built site are, and how Sphinx builds it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "build" / "html"
GALLERY = ROOT / "gallery"
DOCS = ROOT / "docs"
CONF = ROOT / "conf"

with (ROOT / "pyproject.toml").open("rb") as _pyproject:
    #: The options of every build of the site but ``-c``, as ``nox -s docs`` gives them.
    SPHINX_OPTIONS: list[str] = tomllib.load(_pyproject)["tool"]["torchlight"]["sphinx-options"]
