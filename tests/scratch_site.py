"""A tiny site in the project's layout, built by Sphinx with the project's configuration.

Tests of the site's extensions build one (as sphinx-gallery's ``tinybuild`` and
pydata-sphinx-theme's ``tests/sites`` do) instead of feeding them HTML written by
hand: what they prove is what ``nox -s docs`` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from site_paths import CONF, SPHINX_OPTIONS

#: The front matter that makes a MyST page a notebook myst-nb executes.
NOTEBOOK_HEADER = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""


def scratch_site(
    root: Path,
    *,
    index: str,
    pages: dict[str, str] | None = None,
    scripts: dict[str, str] | None = None,
) -> Path:
    """Write docs/ and gallery/ under ``root`` in the project's layout; return docs/."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(index)
    for name, text in (pages or {}).items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text)
    section = root / "gallery" / "01_section"
    section.mkdir(parents=True)
    (root / "gallery" / "README.rst").write_text("Tutorials\n=========\n")
    (section / "README.rst").write_text("Section\n-------\n")
    for name, text in (scripts or {}).items():
        (section / name).write_text(textwrap.dedent(text))
    return docs


def sphinx(
    docs: Path, builder: str, *options: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Build ``docs`` into ``build/<builder>`` beside it, as ``nox -s docs`` builds the site."""
    out = docs.parent / "build" / builder
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(CONF), *SPHINX_OPTIONS,
         *options, str(docs), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0", **(env or {})},
    )  # fmt: skip


#: Where the small site says it is served, and its repository.
SMALL_SITE_BASE_URL = "https://example.github.io/torchlight/"
SMALL_SITE_REPOSITORY_URL = "https://github.com/example/torchlight"

_FIGURE_SCRIPT = '''\
"""
A figure
========

A tutorial whose code draws one figure, which its card shows.
"""

# sphinx_gallery_card = "A tutorial that draws one figure."
# sphinx_gallery_assumes = None
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1], [1, 0])
ax.set_title("A falling line")
'''

_FIGURE_NOTEBOOK = (
    NOTEBOOK_HEADER
    + """\
# A notebook

A notebook page whose first cell draws a figure, which its card shows.

```{code-cell} ipython3
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1], [0, 1])
ax.set_title("A rising line")
plt.show()
```
"""
)


def build_small_site(root: Path) -> Path:
    """Build, under ``root``, a site with a tutorial and a notebook that draw a figure
    and a guide that draws none, told its address and its repository; return build/html.
    """
    docs = scratch_site(
        root,
        index="# Small site\n\n```{toctree}\ntutorials/index\nguide\nnotebook\n```\n",
        pages={
            "guide.md": "# A guide\n\nThis guide shows no figure, so its card is a summary card "
            "and its description is this sentence.\n",
            "notebook.md": _FIGURE_NOTEBOOK,
        },
        scripts={"plot_figure.py": _FIGURE_SCRIPT},
    )
    result = sphinx(
        docs,
        "html",
        env={
            "TORCHLIGHT_BASE_URL": SMALL_SITE_BASE_URL,
            "TORCHLIGHT_REPOSITORY_URL": SMALL_SITE_REPOSITORY_URL,
        },
    )
    if result.returncode != 0:
        raise RuntimeError(f"the small site did not build:\n{result.stdout}\n{result.stderr}")
    return docs.parent / "build" / "html"
