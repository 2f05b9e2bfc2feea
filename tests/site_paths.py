"""Where the project's sources and its built site are, and how Sphinx builds it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "build" / "html"
GALLERY = ROOT / "gallery"
DOCS = ROOT / "docs"
CONF = ROOT / "conf"


def tutorial_pages(html: Path = HTML) -> list[Path]:
    """The built tutorials (the gallery's ``plot_*`` pages), in path order."""
    return sorted(html.glob("tutorials/*/plot_*.html"))


def exercise_pages(html: Path = HTML) -> list[Path]:
    """The built exercises (not their index), in path order."""
    return sorted(p for p in html.glob("exercises/*.html") if p.name != "index.html")


def teaching_pages(html: Path = HTML) -> list[Path]:
    """The pages that teach and that a reader downloads: the tutorials, then the exercises."""
    return tutorial_pages(html) + exercise_pages(html)


with (ROOT / "pyproject.toml").open("rb") as _pyproject:
    #: The options of every build of the site but ``-c``, as ``nox -s docs`` gives them.
    SPHINX_OPTIONS: list[str] = tomllib.load(_pyproject)["tool"]["torchlight"]["sphinx-options"]
