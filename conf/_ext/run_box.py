"""The "Run this page yourself" steps, written from what the build knows.

Every fact in them comes from the build, none is typed per page:

- the Python it needs: ``requires-python`` of ``pyproject.toml`` (the wheel's
  ``Requires-Python``);
- PyTorch, NumPy and matplotlib, and their oldest versions:
  :data:`tutorial_helpers.versions.MINIMUM_VERSIONS`;
- the page's other third-party packages: the modules its own code imports
  (:func:`page_imports`), less the standard library, the helpers and their
  dependencies, named by the distribution that installs each module in the
  build's environment (:func:`page_requirements`), with the oldest version
  from :data:`tutorial_helpers.versions.PAGE_PACKAGES`;
- the device switch, :data:`tutorial_helpers.devices.DEVICE_ENV_VAR`.

:func:`steps_html` writes them for a page (``take_home.py`` puts them in the
box at its top) and :func:`steps_text` for the archive's README. The commands
are given for a POSIX shell (macOS, Linux) and for Windows PowerShell.
"""

from __future__ import annotations

import ast
import functools
import html
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from sphinx.errors import ExtensionError

from tutorial_helpers.devices import DEVICE_ENV_VAR
from tutorial_helpers.versions import (
    DISPLAY_NAMES,
    INSTALL_SELECTOR,
    MINIMUM_VERSIONS,
    PAGE_PACKAGES,
)

#: The helper package itself: the wheel installs it.
HELPERS = "tutorial_helpers"


def required_python(pyproject: Path) -> str:
    """The oldest Python, ``"3.11"``, from ``requires-python = ">=3.11"`` in ``pyproject``."""
    with pyproject.open("rb") as file:
        spec = tomllib.load(file)["project"]["requires-python"]
    match = re.fullmatch(r"\s*>=\s*(\d+\.\d+)\s*", spec)
    if match is None:
        raise ExtensionError(
            f"requires-python = {spec!r} in {pyproject}: the run instructions need a plain "
            'lower bound such as ">=3.11".'
        )
    return match.group(1)


def page_imports(code: str) -> set[str]:
    """The top-level modules that ``code`` imports (absolute imports; IPython magics skipped).

    >>> sorted(page_imports("import torch.nn as nn\\nfrom sklearn.datasets import load_digits"))
    ['sklearn', 'torch']
    """
    plain = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()
    )
    modules = set()
    for node in ast.walk(ast.parse(plain)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module.split(".")[0])
    return modules


@functools.cache
def _installed_modules() -> Mapping[str, list[str]]:
    """Top-level module to distributions, read once: it walks every installed file."""
    return metadata.packages_distributions()


def _distributions_of(module: str) -> list[str]:
    return _installed_modules().get(module, [])


def page_requirements(page: str, modules: Iterable[str]) -> list[tuple[str, str]]:
    """``(distribution, oldest version)`` of each third-party package ``modules`` needs.

    The standard library, the helpers and what the helpers' wheel already
    installs (PyTorch, NumPy, matplotlib) are left out.

    Raises
    ------
    sphinx.errors.ExtensionError
        For a module no installed distribution provides, or a package without
        a stated oldest version in ``PAGE_PACKAGES``.
    """
    needed: dict[str, str] = {}
    for module in sorted(set(modules)):
        if module in sys.stdlib_module_names or module in {HELPERS, "__future__"}:
            continue
        distributions = _distributions_of(module)
        if not distributions:
            raise ExtensionError(
                f"{page} imports {module!r}, which no installed distribution provides: install "
                "it in the docs environment (a dependency group of pyproject.toml)."
            )
        for distribution in distributions:
            if distribution in MINIMUM_VERSIONS:
                continue
            if distribution not in PAGE_PACKAGES:
                raise ExtensionError(
                    f"{page} imports {module!r} (from {distribution}), which has no stated oldest "
                    "version: add it to PAGE_PACKAGES in src/tutorial_helpers/versions.py, and "
                    "the same bound to pyproject.toml."
                )
            needed[distribution] = PAGE_PACKAGES[distribution]
    return sorted(needed.items())


@dataclass(frozen=True)
class RunFacts:
    """What the steps say, for one page (or for the whole site)."""

    python: str  #: the oldest Python, "3.11"
    wheel_name: str  #: tutorial_helpers-<version>-py3-none-any.whl
    wheel_href: str  #: the wheel's URL from the page (relative)
    wheel_shown: str  #: what the install command shows: the absolute URL, or the file name
    extras: list[tuple[str, str]] = field(default_factory=list)  #: the page's other packages
    script: str | None = None  #: plot_x.py, when the page has a script
    notebook: str | None = None  #: plot_x.ipynb
    site_wide: bool = False  #: the steps for every page (the landing page), not for one


def core_versions(exclude: str = "torch") -> str:
    """``NumPy 2.0 or newer and matplotlib 3.8.4 or newer``: what the wheel brings."""
    return " and ".join(
        f"{DISPLAY_NAMES[name]} {minimum} or newer"
        for name, minimum in MINIMUM_VERSIONS.items()
        if name != exclude
    )


def requirement(distribution: str, minimum: str) -> str:
    """A pip requirement, quoted for both shells: ``"scikit-learn>=1.5"``."""
    return f'"{distribution}>={minimum}"'


def _console(lines: Iterable[str]) -> str:
    """A code block as the site's own: highlighted like console code, with a copy button."""
    body = "\n".join(lines)
    return (
        '<div class="highlight-console notranslate"><div class="highlight">'
        f"<pre>{body}</pre></div></div>"
    )


def _per_shell(posix: list[str], powershell: list[str]) -> str:
    return (
        '<p class="tl-shell">macOS, Linux (a POSIX shell: bash, zsh)</p>'
        + _console(posix)
        + '<p class="tl-shell">Windows (PowerShell)</p>'
        + _console(powershell)
    )


def steps_html(facts: RunFacts) -> str:
    """The ordered list of steps, as HTML (every command in a block with a copy button)."""
    e = html.escape
    folder = "the folder of the download"
    run_name = facts.script or facts.notebook or "plot_01_creating_tensors.py"
    wheel = (
        f'pip install <span class="tl-wheel-url" data-tl-href="{e(facts.wheel_href)}">'
        f"{e(facts.wheel_shown)}</span>"
    )
    install = [wheel, *(f"pip install {e(requirement(*extra))}" for extra in facts.extras)]
    extras = ", ".join(f"{e(name)} {e(minimum)} or newer" for name, minimum in facts.extras)
    if facts.script:
        run_posix = [f"python {e(facts.script)}", f"{DEVICE_ENV_VAR}=cpu python {e(facts.script)}"]
        run_windows = [
            f"python {e(facts.script)}",
            f'$env:{DEVICE_ENV_VAR} = "cpu"; python {e(facts.script)}',
        ]
        run_intro = (
            "<strong>Run it.</strong> Each figure opens in a window; the script goes on when you "
            "close it. The second line runs it on the CPU:"
        )
    else:
        run_posix = run_windows = []
        run_intro = ""
    notebook = (
        f"<p>Or open the notebook in Jupyter: <code>pip install jupyterlab</code>, then "
        f"<code>jupyter lab {e(facts.notebook)}</code>.</p>"
        if facts.notebook
        else ""
    )
    steps = [
        f"<p><strong>Python {e(facts.python)} or newer.</strong> Check with "
        "<code>python3 --version</code> (on Windows: <code>py --version</code>).</p>",
        f"<p><strong>Go to {folder}</strong> ({e(run_name)} is there"
        + (", or to the folder you unzipped the archive in" if facts.site_wide else "")
        + "), then make a virtual "
        "environment in it and activate it:</p>"
        + _per_shell(
            ["cd ~/Downloads", "python3 -m venv .venv", "source .venv/bin/activate"],
            ["cd $HOME\\Downloads", "py -m venv .venv", ".venv\\Scripts\\Activate.ps1"],
        )
        + "<p>(Use the folder your browser saved it in. Every later command runs in this "
        "activated environment.)</p>",
        f"<p><strong>Install PyTorch {e(MINIMUM_VERSIONS['torch'])} or newer</strong>: copy "
        "the command for your system and device (CPU, CUDA, ROCm) from "
        f'<a class="reference external" href="{e(INSTALL_SELECTOR)}">PyTorch\'s install '
        "page</a>.</p>",
        "<p><strong>Install this site's helpers</strong> "
        f'(<a class="reference download" href="{e(facts.wheel_href)}" download>'
        f"{e(facts.wheel_name)}</a>; they bring {e(core_versions())})"
        + (
            (
                f", and, for the pages that import it (their boxes say so): {extras}"
                if facts.site_wide
                else f", and what this page also imports: {extras}"
            )
            if extras
            else ""
        )
        + ":</p>"
        + _console(install),
        f"<p><strong>Choose the device</strong> with <code>{DEVICE_ENV_VAR}</code>: "
        "<code>auto</code> (the default) uses your accelerator if there is one; "
        "<code>cpu</code>, <code>cuda</code>, <code>mps</code> or <code>xpu</code> "
        "insist on one.</p>",
    ]
    if run_intro:
        steps.append(f"<p>{run_intro}</p>" + _per_shell(run_posix, run_windows) + notebook)
    else:
        steps.append(
            f"<p><strong>Open the notebook</strong> in Jupyter (on Windows, set the device with "
            f'<code>$env:{DEVICE_ENV_VAR} = "cpu"</code> first):</p>'
            + _console(
                [
                    "pip install jupyterlab",
                    f"{DEVICE_ENV_VAR}=cpu jupyter lab {e(facts.notebook or '')}",
                ]
            )
        )
    return '<ol class="tl-run-steps">' + "".join(f"<li>{step}</li>" for step in steps) + "</ol>"


def steps_text(python: str, wheel: str, extras_by_page: dict[str, list[tuple[str, str]]]) -> str:
    """The same steps for the archive's README, for every page it holds."""
    needs: dict[tuple[str, str], list[str]] = {}
    for page, extras in sorted(extras_by_page.items()):
        for extra in extras:
            needs.setdefault(extra, []).append(page)
    extra_lines = []
    for (name, minimum), pages in sorted(needs.items()):
        extra_lines.append(f"   These pages also import {name} ({minimum} or newer):\n")
        extra_lines += [f"       {page}" for page in pages]
        extra_lines.append(
            f"\n   so install it too:\n\n       pip install {requirement(name, minimum)}\n"
        )
    extra_text = "\n".join(extra_lines)
    return f"""\
1. You need Python {python} or newer: python3 --version (on Windows: py --version).

2. Unzip torchlight-code.zip, then cd into the folder it makes, and make a
   virtual environment there and activate it:

   macOS, Linux (a POSIX shell: bash, zsh):

       unzip torchlight-code.zip
       cd torchlight-code
       python3 -m venv .venv
       source .venv/bin/activate

   Windows (PowerShell):

       Expand-Archive torchlight-code.zip -DestinationPath .
       cd torchlight-code
       py -m venv .venv
       .venv\\Scripts\\Activate.ps1

3. Install PyTorch {MINIMUM_VERSIONS["torch"]} or newer: copy the command for your system and
   device (CPU, CUDA, ROCm) from {INSTALL_SELECTOR}

4. Install the helpers from this folder (they bring
   {core_versions()}):

       pip install {wheel}

{extra_text}
5. Choose the device with {DEVICE_ENV_VAR}: auto (the default) uses your
   accelerator if there is one; cpu, cuda, mps or xpu insist on one.

6. Run a script (each figure opens in a window; the script goes on when you
   close it), or open the notebooks in Jupyter:

       python tutorials/01_tensors/plot_01_creating_tensors.py
       {DEVICE_ENV_VAR}=cpu python tutorials/01_tensors/plot_01_creating_tensors.py
       pip install jupyterlab && jupyter lab

   In PowerShell, set the device first: $env:{DEVICE_ENV_VAR} = "cpu"
"""
