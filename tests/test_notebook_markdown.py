"""Sphinx roles become Markdown links in the notebooks: the conversion, and where it links.

The conversion is tested on text with a resolver that records what it is asked;
where the links point is tested on a small real Sphinx build, which must link
each role exactly where its own page links it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from notebook_markdown import (
    Resolved,
    leftover_markup,
    markdown_link,
    math_directives_to_markdown,
    myst_roles_to_markdown,
    plain_link,
    python_title,
    rst_roles_to_markdown,
    split_role_content,
)
from site_paths import CONF

DOCS = "https://docs.example.org/"


def fake_resolve(role: str, target: str, title: str | None) -> Resolved:
    """Links API names to DOCS, pages of this site by name; ``missing.*`` has no page."""
    if role in {"doc", "ref"}:
        return Resolved(None, title or f"Page {target}", site_page=f"Page {target}", code=False)
    shown, bare = python_title(role, target)
    if bare.startswith("missing."):
        return Resolved(None, title or shown)
    return Resolved(f"{DOCS}{bare}", title or shown)


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        (":func:`torch.stack`", f"[`torch.stack()`]({DOCS}torch.stack)"),
        (
            ":meth:`~torch.Tensor.untyped_storage`",
            f"[`untyped_storage()`]({DOCS}torch.Tensor.untyped_storage)",
        ),
        (":class:`torch.nn.Linear`", f"[`torch.nn.Linear`]({DOCS}torch.nn.Linear)"),
        (":class:`~torch.nn.Linear`", f"[`Linear`]({DOCS}torch.nn.Linear)"),
        (":mod:`torch.nn`", f"[`torch.nn`]({DOCS}torch.nn)"),
        (":attr:`torch.Tensor.grad`", f"[`torch.Tensor.grad`]({DOCS}torch.Tensor.grad)"),
        (":py:func:`torch.cat`", f"[`torch.cat()`]({DOCS}torch.cat)"),
        (":func:`stack them <torch.stack>`", f"[`stack them`]({DOCS}torch.stack)"),
        (":class:`missing.Thing`", "`missing.Thing`"),
        (":doc:`../guides/devices`", "*Page ../guides/devices* (a page of this site)"),
        (":ref:`the loop <sphx_glr_x.py>`", "*the loop* (see *Page sphx_glr_x.py* on this site)"),
        (":math:`e^{-m}`", "$e^{-m}$"),
        # A role's title may run over two lines of a text block.
        (":func:`stack\nthem <torch.stack>`", f"[`stack them`]({DOCS}torch.stack)"),
    ],
)
def test_each_rst_role_becomes_markdown(text: str, markdown: str) -> None:
    converted = rst_roles_to_markdown(f"Before {text} after.", fake_resolve)
    assert converted == f"Before {markdown} after."
    assert leftover_markup(converted) == []


def test_text_around_roles_is_left_as_it_was() -> None:
    text = "``literal``, *emphasis*, **bold**, a `link <https://x.org>`_ and ``:func:`` alone."
    assert rst_roles_to_markdown(text, fake_resolve) == text


def test_the_myst_roles_of_the_exercises_become_markdown() -> None:
    text = "See {doc}`../tutorials/x`, {doc}`that page <../y>` and {mod}`torch.nn`; $x = 3$."
    assert myst_roles_to_markdown(text, fake_resolve) == (
        "See *Page ../tutorials/x* (a page of this site), *that page* (see *Page ../y* on this "
        "site) "
        f"and [`torch.nn`]({DOCS}torch.nn); $x = 3$."
    )


def test_math_directives_become_display_math() -> None:
    text = ".. math::\n\n   Y = X W^\\top + b\n\nThe transpose.\n"
    assert math_directives_to_markdown(text) == "$$Y = X W^\\top + b$$\n\nThe transpose.\n"
    two = ".. math::\n\n   a = 1\n\n   b = 2\n\nEnd.\n"
    assert math_directives_to_markdown(two) == "$$a = 1$$\n\n$$b = 2$$\n\nEnd.\n"
    inline = ".. math:: u = w x, \\qquad v = u + b.\n\nText"
    assert math_directives_to_markdown(inline) == "$$u = w x, \\qquad v = u + b.$$\n\nText"


def test_explicit_titles_and_targets_are_told_apart() -> None:
    assert split_role_content("torch.stack") == ("torch.stack", None)
    assert split_role_content("two\n words <target>") == ("target", "two words")


def test_python_titles_follow_sphinx() -> None:
    assert python_title("func", "torch.stack") == ("torch.stack()", "torch.stack")
    assert python_title("func", "torch.stack", add_parentheses=False) == (
        "torch.stack",
        "torch.stack",
    )
    assert python_title("class", "~torch.nn.Module") == ("Module", "torch.nn.Module")


def test_a_role_that_only_writes_text_stays_text() -> None:
    note = Resolved(None, "(Not run by this build: needs an NVIDIA GPU.)", code=False)
    assert markdown_link(note) == "(Not run by this build: needs an NVIDIA GPU.)"
    assert plain_link(note) == "(Not run by this build: needs an NVIDIA GPU.)"


def test_a_site_page_without_base_url_is_named() -> None:
    api = Resolved(None, "save_checkpoint()", site_page="Reference")
    assert markdown_link(api) == "`save_checkpoint()` (see *Reference* on this site)"


@pytest.mark.parametrize(
    "text",
    [
        ":func:`x`",
        ":py:meth:`x`",
        "{doc}`x`",
        ".. note::",
        "   .. code-block:: python",
        "```{note}",
    ],
)
def test_leftover_markup_is_found(text: str) -> None:
    assert leftover_markup(f"Some text\n{text}\nmore") != []


# -- On a real build ----------------------------------------------------------------------

CONF_PY = """
import json, sys, tomllib
from pathlib import Path
sys.path.insert(0, {ext!r})
extensions = ["sphinx.ext.intersphinx", "hardware_notes"]
torchlight_build_hardware = ""
INVENTORIES = Path({ext!r}).parent / "inventories"
intersphinx_mapping = {{  # as the project's conf.py makes it
    name: (project["base-url"], str(INVENTORIES / f"{{name}}.inv"))
    for name, project in tomllib.loads((INVENTORIES / "projects.toml").read_text()).items()
}}
torchlight_base_url = {base_url!r}

def write_resolutions(app, exception):
    from notebook_markdown import rst_roles_to_markdown, sphinx_resolver
    resolve = sphinx_resolver(app, "tutorials/page")
    text = open(app.srcdir / "tutorials" / "page.rst").read().split("----\\n", 1)[1]
    (app.outdir / "converted.json").write_text(json.dumps(rst_roles_to_markdown(text, resolve)))

def setup(app):
    app.add_config_value("torchlight_base_url", "", "html")
    app.connect("build-finished", write_resolutions)
"""

PAGE = """
A page
======

.. _the-section:

Section
-------

:func:`torch.stack`, :meth:`~torch.Tensor.untyped_storage`, :class:`torch.nn.Linear`,
:mod:`numpy`, :class:`pathlib.Path`, :doc:`other`, :ref:`the-section`, :math:`x^2`.
On a GPU it differs. :hardware:`nvidia`
"""


def build_small_site(tmp_path: Path, base_url: str) -> tuple[str, BeautifulSoup]:
    source = tmp_path / "src"
    (source / "tutorials").mkdir(parents=True)
    (source / "conf.py").write_text(
        CONF_PY.format(ext=str(CONF / "_ext"), base_url=base_url), encoding="utf-8"
    )
    (source / "index.rst").write_text(
        "Home\n====\n\n.. toctree::\n\n   tutorials/page\n   tutorials/other\n", encoding="utf-8"
    )
    (source / "tutorials" / "page.rst").write_text(textwrap.dedent(PAGE), encoding="utf-8")
    (source / "tutorials" / "other.rst").write_text("Other page\n==========\n", encoding="utf-8")
    out = tmp_path / "html"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(source), str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    converted = json.loads((out / "converted.json").read_text(encoding="utf-8"))
    page = BeautifulSoup(
        (out / "tutorials" / "page.html").read_text(encoding="utf-8"), "html.parser"
    )
    return converted, page


@pytest.mark.slow
def test_notebook_links_go_where_the_page_links(tmp_path: Path) -> None:
    converted, page = build_small_site(tmp_path, "https://site.example.org/")
    hrefs = {a.get_text(): a["href"] for a in page.select("article a.reference, div.body a")}
    assert f"[`torch.stack()`]({hrefs['torch.stack()']})" in converted
    assert hrefs["torch.stack()"].startswith("https://docs.pytorch.org/")
    assert f"[`untyped_storage()`]({hrefs['untyped_storage()']})" in converted
    assert f"[`torch.nn.Linear`]({hrefs['torch.nn.Linear']})" in converted
    assert f"[`numpy`]({hrefs['numpy']})" in converted
    assert "`pathlib.Path`" in converted
    assert "[`pathlib.Path`]" not in converted  # no page documents it
    assert "[Other page](https://site.example.org/tutorials/other.html)" in converted
    assert "[Section](https://site.example.org/tutorials/page.html#the-section)" in converted
    assert "$x^2$" in converted
    assert "On a GPU it differs. (Not run by this build: needs an NVIDIA GPU.)" in converted
    assert page.get_text().count("Not run by this build: needs an NVIDIA GPU.") == 1
    assert leftover_markup(converted) == []


@pytest.mark.slow
def test_without_a_base_url_site_links_name_the_page(tmp_path: Path) -> None:
    converted, _ = build_small_site(tmp_path, "")
    assert "*Other page* (a page of this site)" in converted
    assert "*Section* (see *A page* on this site)" in converted
