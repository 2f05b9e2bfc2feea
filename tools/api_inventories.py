"""Sphinx inventories for PyTorch, NumPy and matplotlib, made without a network.

Intersphinx links a name to its page in another project's documentation by
looking it up in that project's ``objects.inv``. An offline build cannot download
one, so this site keeps its own in ``conf/inventories/``, made by this module from
two sources:

* ``<project>.pages``: which page of the project's documentation documents each
  object, one ``name uri [options]`` line per object. It is extracted from the
  project's own documentation sources (their ``autosummary`` lists, whose
  ``:toctree:`` gives each object a page of its own, and their autodoc and
  ``py`` directives, which document an object at an anchor of the page they are
  on) by ``--docs PROJECT=PATH``.
* the installed package: every name is imported; an object that no longer exists
  is dropped and reported; the object's kind (function, class, method, attribute,
  module, data) is read from the object itself; the members that autodoc's
  ``:members:`` documents on a class's or module's page are added; and where a
  parent package re-exports the very same object under a shorter public name
  (``torch.set_grad_enabled`` is ``torch.autograd.grad_mode.set_grad_enabled``),
  that name points to the same page, and so does the name of the module that
  defines a class (``torch.nn.modules.linear.Linear``), as autodoc's
  ``:canonical:`` does in the project's own inventory.

Run it with ``nox -s inventories`` (``conf/inventories/README.md`` says when and
how). The projects, their documentation pages and base URLs are in
``conf/inventories/projects.toml``, which ``conf.py`` reads to hand the
inventories to intersphinx.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
import tomllib
import types
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Where the inventories, their page lists and the table of projects live.
INVENTORIES = Path(__file__).resolve().parents[1] / "conf" / "inventories"


@dataclass(frozen=True)
class Project:
    """A documented package and the shape of its documentation sources (``projects.toml``)."""

    name: str  # also the inventory's file name and the intersphinx key
    title: str  # the project name written into the inventory header
    package: str  # the import name
    base_url: str  # the root of its documentation; the page lists are relative to it
    #: The documentation sources to read, relative to the documentation root,
    #: as ``Path.glob`` patterns (a page outside them documents nothing here).
    pages: tuple[str, ...]
    #: autosummary templates that document a class's members on the class's own page.
    member_templates: frozenset[str] = frozenset()


def read_projects(path: Path = INVENTORIES / "projects.toml") -> dict[str, Project]:
    """The projects of ``projects.toml``, which conf.py reads too, by name."""
    with path.open("rb") as file:
        table = tomllib.load(file)
    return {
        name: Project(
            name=name,
            title=entry["title"],
            package=entry["package"],
            base_url=entry["base-url"],
            pages=tuple(entry["pages"]),
            member_templates=frozenset(entry.get("member-templates", [])),
        )
        for name, entry in table.items()
    }


PROJECTS = read_projects()


# -- Reading documentation sources ----------------------------------------------------


@dataclass(frozen=True)
class Documented:
    """An object a documentation page documents: its full name, URI and autodoc options."""

    name: str
    uri: str  # relative to the project's documentation root, with a #fragment
    options: frozenset[str] = frozenset()  # members, undoc-members, inherited-members

    def line(self) -> str:
        uri = self.uri
        if uri.endswith("#" + self.name):
            uri = uri[: -len(self.name)] + "$"  # objects.inv's own shorthand
        return " ".join([self.name, uri, *sorted(self.options)])

    @classmethod
    def parse(cls, line: str) -> Documented:
        name, uri, *options = line.split()
        if uri.endswith("$"):
            uri = uri[:-1] + name
        return cls(name, uri, frozenset(options))


DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?:py:)?(?P<kind>[a-z]+)::\s*(?P<arg>.*?)\s*$")
OPTION = re.compile(r"^\s+:(?P<name>[a-z-]+):\s*(?P<value>.*?)\s*$")
OBJECT_DIRECTIVES = {
    "function",
    "class",
    "exception",
    "method",
    "classmethod",
    "staticmethod",
    "attribute",
    "property",
    "data",
    "decorator",
}
AUTO_DIRECTIVES = {"auto" + kind for kind in OBJECT_DIRECTIVES}
MEMBER_OPTIONS = {"members", "undoc-members", "inherited-members"}


def rst_of(path: Path) -> str:
    """The reStructuredText of a page: all of a .rst file, the eval-rst blocks of MyST."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".md":
        return text
    blocks = re.findall(r"^(`{3,}|:{3,})\{eval-rst\}[^\n]*\n(.*?)^\1\s*$", text, re.M | re.S)
    return "\n\n".join(body for _, body in blocks)


def _directives(lines: list[str]) -> Iterator[tuple[int, str, str, dict[str, str], list[str]]]:
    """Each directive as (indent, kind, argument, options, content lines)."""
    i = 0
    while i < len(lines):
        found = DIRECTIVE.match(lines[i])
        i += 1
        if not found:
            continue
        indent = len(found["indent"])
        options: dict[str, str] = {}
        while i < len(lines) and (option := OPTION.match(lines[i])):
            options[option["name"]] = option["value"]
            i += 1
        content = []
        j = i
        while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > indent):
            content.append(lines[j])
            j += 1
        # Nested directives (a method inside a class) are read by the outer loop too.
        yield indent, found["kind"], found["arg"], options, content


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def extract(project: Project, root: Path) -> list[Documented]:
    """Every object the project's documentation sources under ``root`` document, in order."""
    found: list[Documented] = []
    seen: set[str] = set()
    for pattern in project.pages:
        matched = sorted(root.glob(pattern))
        if not matched:
            raise SystemExit(f"{project.name}: no documentation page matches {root / pattern}")
        for path in matched:
            page = path.relative_to(root).with_suffix("").as_posix()
            for documented in _extract_page(project, page, rst_of(path)):
                if documented.name not in seen:  # Sphinx keeps the first description
                    seen.add(documented.name)
                    found.append(documented)
    return found


def _full_name(project: Project, module: str | None, name: str) -> str:
    # numpy writes "numpy::ma.MaskedArray" to say which part is the module
    name = name.lstrip("~").replace("::", ".")
    if name == project.package or name.startswith(project.package + "."):
        return name  # already absolute
    return f"{module}.{name}" if module else name


def _extract_page(project: Project, page: str, rst: str) -> Iterator[Documented]:
    module: str | None = None
    classes: list[tuple[int, str]] = []  # enclosing class directives: (indent, full name)
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""
    for indent, kind, arg, options, content in _directives(rst.splitlines()):
        while classes and classes[-1][0] >= indent:
            classes.pop()
        if kind == "currentmodule":
            module = None if arg == "None" else arg
        elif kind in {"module", "automodule"}:
            module = arg
            if "no-index" not in options and "noindex" not in options:
                member_options = MEMBER_OPTIONS & options.keys() if kind == "automodule" else set()
                yield Documented(arg, f"{page}.html#module-{arg}", frozenset(member_options))
        elif kind == "autosummary":
            toctree = options.get("toctree")
            if toctree is None:
                continue  # a table of links to objects documented elsewhere
            toctree = toctree.strip().strip("/") or "."
            members = options.get("template", "") in project.member_templates
            for line in content:
                entry = line.strip()
                if not entry or entry.startswith(("..", ":")):
                    continue
                name = _full_name(project, module, entry.split()[0])
                yield Documented(
                    name,
                    f"{folder}{toctree}/{name}.html#{name}".replace("/./", "/"),
                    frozenset({"members"}) if members else frozenset(),
                )
        elif kind in OBJECT_DIRECTIVES or kind in AUTO_DIRECTIVES:
            if "no-index" in options or "noindex" in options or not arg:
                continue
            written = arg.split("(")[0].strip()
            if classes and "." not in written:
                name = f"{classes[-1][1]}.{written}"
            else:
                name = _full_name(project, module, written)
            if written.split(".")[-1].startswith("__"):
                continue  # __init__ and friends: part of the class's entry
            if kind.removeprefix("auto") in {"class", "exception"}:
                classes.append((indent, name))
            yield Documented(
                name, f"{page}.html#{name}", frozenset(MEMBER_OPTIONS & options.keys())
            )


# -- The installed packages -----------------------------------------------------------


@dataclass
class Found:
    """A name resolved in the installed package."""

    obj: Any
    owner: Any = None  # the class, when the object is a class member
    static: Any = None  # the member as the class stores it (property, staticmethod ...)


def resolve(name: str, *, attribute: bool = False) -> Found | None:
    """The object ``name`` names in the installed packages, or None.

    With ``attribute``, the attribute of the parent module even where a module of
    that name exists: ``torch.autograd.gradcheck`` is also the function.
    """
    with warnings.catch_warnings():  # deprecated names warn when looked up
        warnings.simplefilter("ignore")
        return _resolve(name.split("."), attribute)


def _resolve(parts: list[str], attribute: bool) -> Found | None:
    for split in range(len(parts) - attribute, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except Exception:  # not a module (ImportError), or one that fails to import here
            continue
        found = Found(obj)
        for attribute in parts[split:]:
            try:
                static = (
                    inspect.getattr_static(found.obj, attribute)
                    if inspect.isclass(found.obj)
                    else None
                )
                found = Found(getattr(found.obj, attribute), found.obj, static)
            except AttributeError:
                return None
        if split < len(parts) and not inspect.isclass(found.owner):
            found.owner = None  # an attribute of a module, not a class member
        return found
    return None


def role(found: Found) -> str:
    """The py domain object type Sphinx would give the object."""
    obj, static = found.obj, found.static
    if inspect.ismodule(obj):
        return "py:module"
    if found.owner is not None:
        if isinstance(static, staticmethod):
            return "py:staticmethod"
        if isinstance(static, (classmethod, types.ClassMethodDescriptorType)):
            return "py:classmethod"
        if isinstance(static, property):
            return "py:property"
        if inspect.isclass(obj):
            return "py:class"
        if inspect.isdatadescriptor(static) or not callable(obj):
            return "py:attribute"
        return "py:method"
    if inspect.isclass(obj):
        return "py:exception" if issubclass(obj, BaseException) else "py:class"
    return "py:function" if callable(obj) else "py:data"


def _documented_members(found: Found, options: frozenset[str]) -> Iterator[str]:
    """The members autodoc's ``:members:`` documents on a class's or module's page."""
    obj = found.obj
    undocumented = "undoc-members" in options
    if inspect.ismodule(obj):
        names = getattr(obj, "__all__", None)
        if names is None:
            names = [
                name
                for name, value in vars(obj).items()
                if getattr(value, "__module__", None) == obj.__name__
            ]
        candidates = [(name, getattr(obj, name, None)) for name in names]
    else:
        namespace = dir(obj) if "inherited-members" in options else vars(obj)
        candidates = [(name, getattr(obj, name, None)) for name in namespace]
        # A plain class attribute (a default value) has no docstring of its own.
        candidates = [
            (name, value)
            for name, value in candidates
            if callable(value) or inspect.isdatadescriptor(inspect.getattr_static(obj, name))
        ]
    for name, value in sorted(candidates, key=lambda item: item[0]):
        if name.startswith("_") or value is None:
            continue
        if undocumented or inspect.getdoc(value):
            yield name


@dataclass
class Inventory:
    """What a project's inventory holds, and what was left out of it and why."""

    project: Project
    version: str
    entries: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, role) -> uri
    missing: list[str] = field(default_factory=list)  # documented, absent from the package
    aliases: int = 0
    members: int = 0
    _roles: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def add(self, name: str, found: Found, uri: str, *, alias: bool = False) -> bool:
        key = (name, role(found))
        taken = self._roles.setdefault(name, set())
        # An entry read from the pages wins over a member or an alias of the same name;
        # a module and a function may share a name (torch.autograd.gradcheck is both).
        if key in self.entries or (alias and taken - {"py:module"}):
            return False
        self.entries[key] = uri
        taken.add(key[1])
        return True


def build_inventory(project: Project, documented: Iterable[Documented]) -> Inventory:
    """Resolve every documented name in the installed package; add members and aliases."""
    package = importlib.import_module(project.package)
    inventory = Inventory(project, str(getattr(package, "__version__", "")).split("+")[0])
    resolved: list[tuple[Documented, Found]] = []
    for entry in documented:
        found = resolve(entry.name)
        if found is None:
            inventory.missing.append(entry.name)
            continue
        inventory.add(entry.name, found, entry.uri)
        resolved.append((entry, found))
    for entry, found in resolved:
        if "members" not in entry.options:
            continue
        page = entry.uri.split("#")[0]
        for member in _documented_members(found, entry.options):
            name = f"{entry.name}.{member}"
            member_found = resolve(name)
            if member_found is not None and inventory.add(name, member_found, f"{page}#{name}"):
                inventory.members += 1
    for entry, found in resolved:
        for alias in [*public_aliases(entry.name, found), *canonical_name(entry.name, found)]:
            if inventory.add(alias, found, entry.uri, alias=True):
                inventory.aliases += 1
    return inventory


def canonical_name(name: str, found: Found) -> Iterator[str]:
    """Where a class is defined, if not where it is documented (autodoc's ``:canonical:``).

    Sphinx records ``torch.nn.modules.linear.Linear`` for ``torch.nn.Linear`` in an
    inventory, so that an annotation naming the class by its defining module links too.
    """
    obj = found.obj
    if found.owner is None and inspect.isclass(obj):
        canonical = f"{obj.__module__}.{obj.__qualname__}"
        if canonical != name and "<" not in canonical:
            yield canonical


def public_aliases(name: str, found: Found) -> Iterator[str]:
    """Shorter public names under which parent packages re-export the same object."""
    if found.owner is not None or inspect.ismodule(found.obj):
        return
    parts = name.split(".")
    for split in range(len(parts) - 2, 0, -1):
        parent = ".".join(parts[:split])
        alias = f"{parent}.{parts[-1]}"
        if any(part.startswith("_") for part in alias.split(".")):
            continue
        module = sys.modules.get(parent)
        with warnings.catch_warnings():  # deprecated names warn when looked up
            warnings.simplefilter("ignore")
            same = module is not None and getattr(module, parts[-1], None) is found.obj
        if same:
            yield alias


# -- objects.inv -------------------------------------------------------------------------

HEADER = """\
# Sphinx inventory version 2
# Project: {title}
# Version: {version}
# The remainder of this file is compressed using zlib.
"""


def inventory_bytes(inventory: Inventory) -> bytes:
    """The inventory in Sphinx's objects.inv format (version 2), in a stable order."""
    lines = []
    for (name, object_role), uri in sorted(inventory.entries.items()):
        if uri.endswith("#" + name):
            uri = uri[: -len(name)] + "$"
        priority = 0 if object_role == "py:module" else 1
        lines.append(f"{name} {object_role} {priority} {uri} -\n")
    header = HEADER.format(title=inventory.project.title, version=inventory.version)
    return header.encode() + zlib.compress("".join(lines).encode(), 9)


# -- The command ---------------------------------------------------------------------------


def pages_path(project: Project, directory: Path = INVENTORIES) -> Path:
    return directory / f"{project.name}.pages"


def write_pages(project: Project, documented: list[Documented], source: str, path: Path) -> None:
    header = [
        f"# Where {project.title}'s documentation ({project.base_url}) documents each object.",
        f"# Extracted from {source} by tools/api_inventories.py.",
        "# One object a line: name, URI relative to the documentation root ($ = the name),",
        "# autodoc options that document its members on the same page. See README.md.",
    ]
    path.write_text("\n".join(header + [d.line() for d in documented]) + "\n", encoding="utf-8")


def read_pages(path: Path) -> list[Documented]:
    return [
        Documented.parse(line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs",
        action="append",
        default=[],
        metavar="PROJECT=PATH",
        help="first re-read PROJECT's page list from its documentation sources at PATH "
        "(pytorch/docs/source, numpy/doc/source, matplotlib/doc)",
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="PROJECT=TEXT",
        help="how to name those sources in the page list's header (e.g. a tag)",
    )
    parser.add_argument("--directory", type=Path, default=INVENTORIES, help=argparse.SUPPRESS)
    parser.add_argument("projects", nargs="*", help=f"some of {', '.join(PROJECTS)} (all)")
    args = parser.parse_args(argv)
    unknown = set(args.projects) - PROJECTS.keys()
    if unknown:
        parser.error(f"unknown projects {sorted(unknown)}: choose from {list(PROJECTS)}")
    sources = dict(item.split("=", 1) for item in args.source)
    for item in args.docs:
        name, _, root = item.partition("=")
        project = PROJECTS[name]
        documented = extract(project, Path(root))
        source = sources.get(name, f"{Path(root).resolve()}")
        write_pages(project, documented, source, pages_path(project, args.directory))
        print(f"{name}: {len(documented)} documented objects read from {root}")
    for name in args.projects or PROJECTS:
        project = PROJECTS[name]
        inventory = build_inventory(project, read_pages(pages_path(project, args.directory)))
        out = args.directory / f"{name}.inv"
        out.write_bytes(inventory_bytes(inventory))
        print(
            f"{out}: {project.package} {inventory.version}, {len(inventory.entries)} entries "
            f"({inventory.members} class or module members, {inventory.aliases} aliases "
            "and canonical names)"
        )
        if inventory.missing:
            print(
                f"  {len(inventory.missing)} documented names are not in the installed "
                f"{project.package} and were left out: " + ", ".join(inventory.missing)
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
