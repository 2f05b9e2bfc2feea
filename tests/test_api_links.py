"""Every PyTorch, NumPy and matplotlib name links to its reference, from inventories kept here.

The inventories in conf/inventories/ are checked against the installed packages
and against the script that makes them; the built pages are checked for what a
reader gets: names in code are links, every role in the text resolved, every
link to those sites comes from an inventory, opens in the same tab and carries
no tracking, and the "PyTorch API used on this site" page links both ways.
"""

from __future__ import annotations

import builtins
import io
import re
import textwrap
import tokenize
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
import torch
from api_inventories import (
    INVENTORIES,
    PROJECTS,
    build_inventory,
    extract,
    inventory_bytes,
    read_pages,
    resolve,
    role,
)
from api_links import imported_names, is_method, link_builtin_methods
from bs4 import BeautifulSoup, Tag
from page_speed import site_pages
from site_paths import CONF
from sphinx.util.inventory import InventoryFile

#: The share of the distinct torch/numpy/matplotlib names in the tutorials' code
#: cells that must be links to their reference.
MIN_LINKED_SHARE = 0.95

#: Links to these sites that are not API references, and so come from no inventory.
NOT_API_PAGES = {"https://numpy.org"}  # NumPy's home page, in the NumPy tutorial's intro

HOSTS = {urlsplit(project.base_url).hostname for project in PROJECTS.values()}
LIBRARIES = tuple(project.package for project in PROJECTS.values())


def entries(data: bytes) -> dict[tuple[str, str], str]:
    """``{(name, role): URI relative to the project's root}`` of an objects.inv, read by Sphinx."""
    loaded = InventoryFile.loads(data, uri="")
    return {
        (name, role): item.uri
        for role, items in loaded.data.items()
        for name, item in items.items()
    }


@cache
def inventory(name: str) -> dict[tuple[str, str], str]:
    return entries((INVENTORIES / f"{name}.inv").read_bytes())


@cache
def inventory_urls() -> dict[str, str]:
    """Every URL the inventories hold: {absolute URL: object name}."""
    return {
        PROJECTS[project].base_url + uri: name
        for project in PROJECTS
        for (name, _), uri in inventory(project).items()
    }


@cache
def documented_names() -> frozenset[str]:
    return frozenset(name for project in PROJECTS for name, _ in inventory(project))


# -- The inventories -------------------------------------------------------------------


@pytest.mark.parametrize("project", PROJECTS)
def test_every_inventory_entry_names_an_object_of_the_installed_package(project: str) -> None:
    entries = inventory(project)
    assert len(entries) > 100, f"{project}.inv is nearly empty"
    wrong = []
    for (name, object_role), uri in sorted(entries.items()):
        found = resolve(name, attribute=object_role != "py:module")
        if found is None:
            wrong.append(f"{name}: not importable from the installed {project}")
        elif role(found) != object_role:
            wrong.append(f"{name}: a {role(found)}, listed as {object_role}")
        if urlsplit(uri).scheme or "#" not in uri:
            wrong.append(f"{name}: {uri!r} is not a page and anchor of the documentation")
    assert not wrong, "\n".join(wrong[:50])


@pytest.mark.parametrize("project", PROJECTS)
def test_inventories_are_what_nox_s_inventories_makes(project: str, tmp_path: Path) -> None:
    """The committed inventory is remade from its page list and the installed package."""
    made = build_inventory(PROJECTS[project], read_pages(INVENTORIES / f"{project}.pages"))
    made_bytes = inventory_bytes(made)
    committed = INVENTORIES / f"{project}.inv"
    # compared decompressed: another zlib may compress the same text differently
    assert entries(made_bytes) == inventory(project), (
        f"{committed.relative_to(CONF.parent)} is out of date: run `nox -s inventories`"
    )
    header = committed.read_bytes().split(b"\n")[:4]
    assert made_bytes.split(b"\n")[:4] == header


def test_sphinx_reads_the_inventories_as_the_conf_hands_them_over() -> None:
    import runpy

    mapping = runpy.run_path(str(CONF / "conf.py"))["intersphinx_mapping"]
    assert mapping == {
        name: (project.base_url, str(INVENTORIES / f"{name}.inv"))
        for name, project in PROJECTS.items()
    }
    for project in PROJECTS.values():
        loaded = InventoryFile.loads(
            (INVENTORIES / f"{project.name}.inv").read_bytes(), uri=project.base_url
        )
        modules = loaded.data["py:module"]
        assert any(module.split(".")[0] == project.package for module in modules)


def test_page_lists_are_read_from_autosummary_toctrees_and_directives(tmp_path: Path) -> None:
    """Which page documents which object, the way Sphinx lays out the project's docs."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "torch.md").write_text(
        textwrap.dedent(
            """\
            # torch
            ```{eval-rst}
            .. automodule:: torch
            .. currentmodule:: torch
            ```
            ```{eval-rst}
            .. autosummary::
                :toctree: generated
                :nosignatures:

                stack
                ~nn.parameter.Parameter
                autograd.grad_mode.set_grad_enabled
            ```
            ```{eval-rst}
            .. autosummary::
                :nosignatures:

                torch.cat
            ```
            """
        )
    )
    (tmp_path / "notes" / "serialization.rst").write_text(
        textwrap.dedent(
            """\
            .. currentmodule:: torch.serialization

            .. autofunction:: add_safe_globals
            .. autoclass:: torch.utils.benchmark.Timer
               :members:

            .. class:: SpawnContext

               .. automethod:: join
            """
        )
    )
    project = PROJECTS["torch"].__class__(
        name="torch",
        title="PyTorch",
        package="torch",
        base_url="https://example.org/",
        pages=("torch.md", "notes/*.rst"),
    )
    lines = [documented.line() for documented in extract(project, tmp_path)]
    assert lines == [
        "torch torch.html#module-torch",
        "torch.stack generated/torch.stack.html#$",
        "torch.nn.parameter.Parameter generated/torch.nn.parameter.Parameter.html#$",
        "torch.autograd.grad_mode.set_grad_enabled "
        "generated/torch.autograd.grad_mode.set_grad_enabled.html#$",
        # torch.cat: an autosummary without a toctree only links to where it is documented
        "torch.serialization.add_safe_globals notes/serialization.html#$",
        "torch.utils.benchmark.Timer notes/serialization.html#$ members",
        "torch.serialization.SpawnContext notes/serialization.html#$",
        "torch.serialization.SpawnContext.join notes/serialization.html#$",
    ]


def test_members_aliases_and_canonical_names_point_to_the_documented_page() -> None:
    torch_inventory = {name: uri for (name, _), uri in inventory("torch").items()}
    # torch.nn.Module is documented with :members: on its own page (classtemplate.rst)
    assert torch_inventory["torch.nn.Module.zero_grad"] == (
        "generated/torch.nn.Module.html#torch.nn.Module.zero_grad"
    )
    # the same object under a shorter public name
    assert (
        torch_inventory["torch.set_grad_enabled"]
        == (torch_inventory["torch.autograd.grad_mode.set_grad_enabled"])
    )
    assert torch_inventory["torch.nn.Parameter"] == (
        "generated/torch.nn.parameter.Parameter.html#torch.nn.parameter.Parameter"
    )
    # where a class is defined, as autodoc's :canonical: records it
    assert torch_inventory["torch.nn.modules.linear.Linear"] == (
        "generated/torch.nn.Linear.html#torch.nn.Linear"
    )
    assert ("torch.not_a_function", "py:function") not in inventory("torch")


def test_a_c_method_bound_to_an_instance_counts_as_a_method() -> None:
    assert is_method(torch.ones(2).view)
    assert is_method(np.ones(2).reshape)
    assert not is_method(torch.tensor)  # a function of the torch module
    assert not is_method(np.zeros)
    assert not is_method(dict.fromkeys)  # a class method
    assert not is_method(torch.Tensor.view)  # not bound to an instance


def test_sphinx_gallery_resolves_c_methods_through_the_instance_class() -> None:
    """The patched name finder maps ``t.view`` to ``torch.Tensor.view``."""
    import ast

    from sphinx_gallery.backreferences import NameFinder

    link_builtin_methods()
    finder = NameFinder({"t": torch.ones(2)})
    finder.visit(ast.parse("t.view(2, 1)"))
    assert ("t.view", "torch.Tensor.view", True, False, False) in finder.get_mapping()


# -- The built site ----------------------------------------------------------------------


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def code_blocks(page: BeautifulSoup, language: str | None = None) -> Iterator[Tag]:
    """The ``<pre>`` of each highlighted code block, outputs excluded."""
    for block in page.select("div[class*=highlight-]"):
        classes = " ".join(block.get("class", []))
        if language and f"highlight-{language}" not in classes:
            continue
        if any(f"highlight-{lang}" in classes for lang in ("none", "text", "console")):
            continue
        if block.find_parent(class_=["sphx-glr-script-out", "cell_output"]):
            continue
        pre = block.find("pre")
        if pre is not None:
            yield pre


def dotted_names(code: str) -> Iterator[str]:
    """Each dotted name as written (``np.random.seed``), calls and indexing cut off."""
    for line in code.splitlines():
        try:
            tokens = [
                token
                for token in tokenize.generate_tokens(io.StringIO(line.strip()).readline)
                if token.type in (tokenize.NAME, tokenize.OP)
            ]
        except (tokenize.TokenError, IndentationError, SyntaxError):
            continue
        i = 0
        while i < len(tokens):
            if tokens[i].type != tokenize.NAME or (i and tokens[i - 1].string == "."):
                i += 1
                continue
            parts, i = [tokens[i].string], i + 1
            while (
                i + 1 < len(tokens)
                and tokens[i].string == "."
                and tokens[i + 1].type == tokenize.NAME
            ):
                parts.append(tokens[i + 1].string)
                i += 2
            yield ".".join(parts)


def typed_code(pre: Tag) -> str:
    """The code of a block as typed: a doctest's prompted lines without prompts or output."""
    text = pre.get_text()
    if not text.lstrip().startswith(">>>"):
        return text
    return "\n".join(line[4:] for line in text.splitlines() if line.startswith((">>> ", "... ")))


def library_names(code_cells: list[str]) -> dict[str, set[str]]:
    """{full name: the ways it is written} for every name the imports bind to the libraries.

    ``torch.stack``, ``np.stack``, ``nn.Linear`` (``from torch import nn``), ``jacobian``
    (``from torch.autograd.functional import jacobian``) and the module paths of the
    import statements themselves; not the bare package names (``torch``, ``np``).
    """
    bound, modules = imported_names("\n".join(code_cells))
    names: dict[str, set[str]] = defaultdict(set)
    for module in modules:
        if module.startswith(LIBRARIES) and "." in module:
            names[module].add(module)
    for code in code_cells:
        lines = [
            line for line in code.splitlines() if not line.lstrip().startswith(("import ", "from "))
        ]
        for written in dotted_names("\n".join(lines)):
            head, _, rest = written.partition(".")
            full = bound.get(head, "") + ("." + rest if rest else "")
            if full.startswith(LIBRARIES) and "." in full:
                names[full].add(written)
    return names


def linked_texts(pres: list[Tag]) -> set[str]:
    return {a.get_text() for pre in pres for a in pre.find_all("a", href=True)}


def starts_with_link(written: str, links: set[str]) -> bool:
    """Whether the written name, or a leading part of it, is a link."""
    parts = written.split(".")
    return any(".".join(parts[:end]) in links for end in range(len(parts), 0, -1))


@pytest.mark.site
def test_names_in_the_tutorials_code_are_links(built_site: Path) -> None:
    """Every library name in the tutorials' code cells links to its reference.

    A name that its project documents links to its own page, everywhere it is
    written. A name that no project documents (``torch.__version__``,
    ``torch.version.cuda``, ``torch.pi``) has no page of its own; its documented
    part links (``torch.version``, ``torch``), so a reader still lands on the
    nearest reference. At least MIN_LINKED_SHARE of the distinct names must link
    to their own page or, undocumented, through their documented part; the share
    that links to a page of its own is reported.
    """
    pages = []
    for path in site_pages(built_site):
        if path.relative_to(built_site).parts[0] != "tutorials":
            continue
        pres = list(code_blocks(soup(path), "Python"))  # sphinx-gallery's code cells
        if pres:
            pages.append((library_names([pre.get_text() for pre in pres]), linked_texts(pres)))
    used = {name for names, _ in pages for name in names}
    # a name counts only if it is a link on every page that writes it
    own_page = used - {n for names, links in pages for n, w in names.items() if not w <= links}
    reachable = used - {
        n
        for names, links in pages
        for n, written in names.items()
        if not all(starts_with_link(w, links) for w in written)
    }
    assert len(used) > 50, f"only {len(used)} library names found in the tutorials"
    report = (
        f"{len(own_page)} of {len(used)} names link to their own page "
        f"({len(own_page) / len(used):.1%}), {len(reachable)} start with a link"
    )
    not_own = sorted(used - own_page)
    documented = [name for name in not_own if name in documented_names()]
    assert not documented, f"{report}; documented but not linked: {documented}"
    unreachable = [name for name in not_own if name not in reachable]
    assert not unreachable, f"{report}; no part of these links: {unreachable}"
    assert len(reachable) / len(used) >= MIN_LINKED_SHARE, report
    print(f"{report}; not documented by their project: {not_own}")


@pytest.mark.site
def test_names_in_doctests_docstrings_and_notebooks_are_links(built_site: Path) -> None:
    """Outside the tutorials the imports alone resolve a name, and every documented one links."""
    missing = []
    for path in site_pages(built_site):
        if path.relative_to(built_site).parts[0] == "tutorials":
            continue
        pres = list(code_blocks(soup(path)))
        # the doctests' global setup imports torch and numpy (conf.py)
        code = ["import numpy as np\nimport torch"] + [typed_code(pre) for pre in pres]
        links = linked_texts(pres)
        for name, written in library_names(code).items():
            if name in documented_names() and not written <= links:
                missing.append(f"{path.relative_to(built_site)}: {sorted(written - links)}")
    assert not missing, "documented names that are not links:\n" + "\n".join(missing)


@pytest.mark.site
def test_c_methods_called_on_a_variable_are_links(built_site: Path) -> None:
    page = soup(built_site / "tutorials" / "01_tensors" / "plot_03_indexing_and_reshaping.html")
    titles = {a.get("title") for pre in code_blocks(page, "Python") for a in pre.find_all("a")}
    # matrix.reshape(...), every_row.squeeze(...): Tensor methods implemented in C
    assert {"torch.Tensor.reshape", "torch.Tensor.squeeze"} <= titles, sorted(filter(None, titles))


#: What the site refers to without an inventory: Python's builtins (which Sphinx
#: never reports) and the standard library modules that conf.py's nitpick_ignore names
#: (enum's classes show as the bases of a helper's enums, written "Enum").
BUILTINS = "|".join(dir(builtins))
NO_INVENTORY = re.compile(rf"(collections\.abc|typing|pathlib|os|enum)\.|(Enum|{BUILTINS})(\(\))?$")


@pytest.mark.site
def test_every_library_role_in_the_text_resolves(built_site: Path) -> None:
    """A role Sphinx could not resolve is a bare ``code.xref``, with no link around it."""
    unresolved = [
        f"{path.relative_to(built_site)}: {code.get_text()}"
        for path in site_pages(built_site)
        for code in soup(path).select("code.xref.py")
        if code.find_parent("a") is None and not NO_INVENTORY.match(code.get_text())
    ]
    assert not unresolved, unresolved


@pytest.mark.site
def test_links_to_the_references_come_from_the_inventories(built_site: Path) -> None:
    known = inventory_urls()
    wrong = []
    count = 0
    for path in site_pages(built_site):
        for anchor in soup(path).find_all("a", href=True):
            url = anchor["href"]
            if urlsplit(url).hostname not in HOSTS:
                continue
            count += 1
            where = f"{path.relative_to(built_site)}: {url}"
            if url not in known and url not in NOT_API_PAGES:
                wrong.append(f"{where} is in no inventory (a hand-written URL?)")
            if urlsplit(url).query:
                wrong.append(f"{where} carries a query string")
            if anchor.get("target") not in (None, "_self"):
                wrong.append(f"{where} opens in {anchor['target']}, not the same tab")
    assert count > 1000, f"only {count} links to the references in the whole site"
    assert not wrong, "\n".join(wrong[:50])


@pytest.mark.site
def test_the_api_used_page_links_each_object_to_its_reference_and_its_tutorials(
    built_site: Path,
) -> None:
    page = built_site / "reference" / "api-used.html"
    items = soup(page).select("ul.tl-api-used > li")
    assert len(items) > 50, f"only {len(items)} objects listed"
    known = inventory_urls()
    entries: dict[str, list[str]] = {}
    for item in items:
        reference, *tutorials = item.find_all("a", href=True)
        assert known.get(reference["href"]), f"{reference['href']} is in no inventory"
        assert tutorials, f"{reference.get_text()} is listed with no tutorial"
        for tutorial in tutorials:
            assert tutorial["href"].startswith("../tutorials/"), tutorial["href"]
            assert (page.parent / tutorial["href"].split("#")[0]).is_file()
        entries[reference.get_text()] = [t["href"] for t in tutorials]
    assert any("plot_04_joining_tensors" in href for href in entries["torch.stack"])
    assert any("06_autograd" in href for href in entries["torch.Tensor.backward"])
    # used through a variable, implemented in C: found only by running the tutorials
    assert any("plot_03_indexing_and_reshaping" in h for h in entries["torch.Tensor.unsqueeze"])
    assert "torch.nn.Parameter" in entries  # the public name, not torch.nn.parameter.Parameter
    assert not [name for name in entries if not name.startswith("torch.")]
