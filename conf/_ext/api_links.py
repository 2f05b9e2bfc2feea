"""Links between the code on this site and the PyTorch, NumPy and matplotlib references.

The links come from the inventories in ``conf/inventories/`` (made by
``tools/api_inventories.py``): intersphinx resolves the roles in the prose
(:func:`torch.stack`), and the names in code are resolved against the same
inventories. This extension

- links the names in every code block of the site, with sphinx-gallery's own
  machinery: in the tutorials from what sphinx-gallery learned by running them
  (``x.backward()`` links to ``torch.Tensor.backward`` because ``x`` was a
  tensor), completed with what the code's import statements say statically
  (``import torch.distributed as dist``, ``np.random.seed``: the module paths that
  sphinx-gallery leaves out); in the guides' doctests, the helpers' docstring
  examples and the notebooks, from the import statements alone;
- teaches sphinx-gallery that a method implemented in C and bound to an instance
  (``t.view``, most of ``torch.Tensor``'s and ``numpy.ndarray``'s) is a method: to
  :mod:`inspect` it is a "builtin", so ``t.view()`` stayed a plain word while
  ``t.backward()``, written in Python, was linked;
- links the library names that the prose writes as inline code (````torch.load````,
  ````np.float32````, ````nn.Linear()````), so that a name is a link whether it is
  written as a role or as code: to its own page, else to the page of its class
  (``torch.float32`` to ``torch.dtype``), else to its longest documented parent,
  as in code blocks;
- adds the ``api-used`` directive: ``{api-used} torch`` lists every object of the
  package that the tutorials use, each linked to its reference and to the
  tutorials that use it.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import types
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from pygments.lexers import get_lexer_by_name
from pygments.token import Name, Operator
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

# sphinx-gallery's code link machinery (private, but sphinx-gallery is pinned in
# conf/constraints.txt; tests/test_api_links.py fails if it changes shape).
from sphinx_gallery._doctree_links import (
    _add_linenos,
    _lexer_name,
    _load_code_obj,
    _tokenize_and_link,
    code_links_block,
)
from sphinx_gallery._doctree_links import _Resolver as _GalleryResolver


def is_method(obj: Any) -> bool:
    """``inspect.ismethod``, also true for a C method bound to an instance (``t.view``)."""
    if inspect.ismethod(obj):
        return True
    owner = getattr(obj, "__self__", None)
    return (
        isinstance(obj, types.BuiltinMethodType)
        and owner is not None
        and not inspect.ismodule(owner)  # np.zeros: a function of a C module
        and not inspect.isclass(owner)  # dict.fromkeys: a class method
    )


class _InspectWithBoundBuiltins(types.ModuleType):
    """The :mod:`inspect` module, but for :func:`is_method` as ``ismethod``."""

    ismethod = staticmethod(is_method)

    def __getattr__(self, name: str) -> Any:
        return getattr(inspect, name)


def link_builtin_methods() -> None:
    """Let sphinx-gallery's name finder resolve C methods through the instance's class."""
    from sphinx_gallery import backreferences

    if backreferences.inspect is inspect:  # not already patched in this process
        backreferences.inspect = _InspectWithBoundBuiltins("inspect")


# -- Names in code blocks ----------------------------------------------------------------

#: An import statement on a line of its own, with or without a doctest prompt.
IMPORT_LINE = re.compile(r"^\s*(?:>>>\s+|\.\.\.\s+)?((?:from\s+\S+\s+)?import\s+.+)$", re.M)


def imported_names(code: str) -> tuple[dict[str, str], set[str]]:
    """What the import statements in ``code`` bind: {local name: full name}, module paths."""
    bound: dict[str, str] = {}
    modules: set[str] = set()
    for line in IMPORT_LINE.findall(code):
        try:
            statements = ast.parse(line.strip()).body
        except SyntaxError:
            continue
        for statement in statements:
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    modules.add(alias.name)
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
                modules.add(statement.module)
                for alias in statement.names:
                    bound[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
    return bound, modules


def written_chains(code: str, lexer_name: str) -> Iterator[str]:
    """Every dotted name as written (``np.random.seed``), and each of its prefixes."""
    tokens = [t for t in get_lexer_by_name(lexer_name).get_tokens(code) if t[1].strip()]
    for i, (ttype, text) in enumerate(tokens):
        if ttype not in Name or (i and tokens[i - 1] == (Operator, ".")):
            continue
        parts = [text]
        for j in range(i + 1, len(tokens) - 1, 2):
            if tokens[j] != (Operator, ".") or tokens[j + 1][0] not in Name:
                break
            parts.append(tokens[j + 1][1])
        for k in range(1, len(parts) + 1):
            yield ".".join(parts[:k])


def candidate(full_name: str) -> dict[str, Any]:
    """A sphinx-gallery code object candidate for a full dotted name."""
    module, _, name = full_name.rpartition(".")
    return {
        "name": name,
        "module": module or "builtins",
        "module_short": module or "builtins",
        "is_class": False,
        "is_explicit": False,
    }


def static_code_obj(
    blocks: list[tuple[str, str]], bound: dict[str, str], modules: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """Code objects for the names that the imports alone resolve, as sphinx-gallery writes them."""
    code_obj: dict[str, list[dict[str, Any]]] = {}
    for module in modules:  # ``import torch.distributed``: pygments keeps the path one token
        if "." in module:
            code_obj[module] = [candidate(module)]
    for code, lexer_name in blocks:
        for written in written_chains(code, lexer_name):
            head, _, rest = written.partition(".")
            if head in bound and written not in code_obj:
                # a bare ``torch`` too: the longest documented part of torch.__version__
                code_obj[written] = [candidate(bound[head] + ("." + rest if rest else ""))]
    return code_obj


def code_blocks(document: nodes.document) -> Iterator[tuple[nodes.Element, str, str]]:
    """Each Python code block of a page: (node, code, pygments lexer name)."""
    for node in list(document.findall(nodes.literal_block)):
        code = node.rawsource
        if code != node.astext():
            continue  # a parsed literal holds markup of its own
        lexer_name = _lexer_name(node.get("language") or "default", code)
        if lexer_name is not None:
            yield node, code, lexer_name
    for node in list(document.findall(nodes.doctest_block)):  # docstring examples
        yield node, node.rawsource, "pycon"


class _Resolver(_GalleryResolver):
    """sphinx-gallery's resolver, preferring what code calls to a module of the same name.

    ``torch.autograd.gradcheck`` is a module and the function it defines, which
    ``torch.autograd`` re-exports under the module's name: code that calls it means
    the function.
    """

    def _lookup(self, target: str) -> Any:
        found = super()._lookup(target)
        if found.objtype == "py:module":
            for objtype, objects in self.inventory.items():
                if objtype.startswith("py:") and objtype != "py:module" and target in objects:
                    item = objects[target]
                    return found._replace(
                        uri=str(getattr(item, "uri", None) or item[2]), objtype=objtype
                    )
        return found


def link_import_paths(children: list[nodes.Node], resolver: _Resolver) -> list[nodes.Node]:
    """Link the module paths of import statements, which pygments splits into pieces."""
    linked: list[nodes.Node] = []
    run: list[nodes.Node] = []

    def flush() -> None:
        path = "".join(node.astext() for node in run)
        link = resolver.resolve([candidate(path)]) if re.fullmatch(r"\w+(\.\w+)*", path) else None
        linked.extend([resolver.reference(link, run)] if link else run)
        run.clear()

    def is_path_piece(node: nodes.Node) -> bool:
        return isinstance(node, nodes.inline) and node["classes"] == ["nn"]

    for child in children:
        if is_path_piece(child):
            run.append(child)
            continue
        if isinstance(child, nodes.reference) and all(map(is_path_piece, child.children)):
            run.extend(child.children)  # ``torch`` of ``import torch.nn``, linked on its own
            continue
        if run:
            flush()
        linked.append(child)
    if run:
        flush()
    return linked


class CodeLinks(SphinxPostTransform):
    """Link the names in every code block, the way sphinx-gallery links its examples'.

    It runs just before sphinx-gallery's own transform, which then finds no code
    block left to link.
    """

    default_priority = 4  # sphinx_gallery._doctree_links.CodeLinksTransform: 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        docname = self.env.path2doc(self.document["source"])
        if docname is None:
            return
        blocks = list(code_blocks(self.document))
        if not blocks:
            return
        # The doctests' setup imports torch and numpy for every doctest of the site.
        setup = getattr(self.config, "doctest_global_setup", "")
        bound, modules = imported_names(setup + "\n" + "\n".join(code for _, code, _ in blocks))
        # What sphinx-gallery learned by running the example wins over the imports.
        code_obj = static_code_obj([(c, lexer) for _, c, lexer in blocks], bound, modules)
        code_obj.update(_load_code_obj(self.env, docname) or {})
        app = getattr(self.env, "_app", None) or self.app  # env._app since Sphinx 9
        resolver = _Resolver(self.env, app.builder, docname, self.config.sphinx_gallery_conf)
        for block, code, lexer_name in blocks:
            children = link_import_paths(
                list(_tokenize_and_link(code, lexer_name, code_obj, resolver)), resolver
            )
            if not any(isinstance(child, nodes.reference) for child in children):
                continue  # nothing to link: Sphinx highlights it as usual
            if block.get("linenos"):
                start = block.get("highlight_args", {}).get("linenostart", 1)
                children = _add_linenos(children, start)
            language = "pycon" if isinstance(block, nodes.doctest_block) else block.get("language")
            linked = code_links_block(lang=language or "default")
            linked["classes"] = block.get("classes", [])
            linked += children
            block.replace_self(linked)


# -- Names in the prose ------------------------------------------------------------------

#: How the prose abbreviates the libraries, as the code does (``np.float32``).
PROSE_ABBREVIATIONS = {
    "np": "numpy",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "plt": "matplotlib.pyplot",
}
LIBRARIES = ("torch", "numpy", "matplotlib")
#: A dotted name, called with no arguments or not at all: ``torch.no_grad()``.
API_LITERAL = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?")
#: Inline code that is not prose: already a link, a heading, a signature, code.
NOT_PROSE = (
    nodes.reference,
    addnodes.pending_xref,
    nodes.title,
    nodes.literal_block,
    addnodes.desc_signature,
)


def prose_api_name(text: str) -> str | None:
    """The full name of the library object an inline literal names, or ``None``.

    >>> prose_api_name("nn.Linear()"), prose_api_name("torch.load(path)")
    ('torch.nn.Linear', None)
    """
    match = API_LITERAL.fullmatch(text.strip())
    if match is None:
        return None
    head, _, rest = match.group(1).partition(".")
    head = PROSE_ABBREVIATIONS.get(head, head)
    return f"{head}.{rest}" if head.split(".")[0] in LIBRARIES else None


def _import(name: str) -> Any:
    """The object a dotted name refers to in the installed packages, or ``None``."""
    import importlib

    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            found = getattr(found, part, None)
            if found is None:
                return None
        return found
    return None


def prose_target(name: str, known: KnownObjects) -> str:
    """The documented object a name in the prose links to."""
    if name in known.roles:
        return name
    found = _import(name)
    if found is not None and not (
        inspect.ismodule(found) or inspect.isroutine(found) or inspect.isclass(found)
    ):
        kind = type(found)  # a value: torch.float32 is a torch.dtype
        for module in (kind.__module__, kind.__module__.split(".")[0]):
            if f"{module}.{kind.__qualname__}" in known.roles:
                return f"{module}.{kind.__qualname__}"
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):  # torch.__version__: the torch module
        if ".".join(parts[:split]) in known.roles:
            return ".".join(parts[:split])
    return parts[0]


class ProseLinks(SphinxPostTransform):
    """Link the library names written as inline code in the text (before references resolve)."""

    default_priority = 6  # sphinx.transforms.post_transforms.ReferencesResolver: 10
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        known: KnownObjects | None = None
        for literal in list(self.document.findall(nodes.literal)):
            name = prose_api_name(literal.astext())
            if name is None or _inside(literal, NOT_PROSE):
                continue
            if known is None:
                known = self.known_objects()
            xref = addnodes.pending_xref(
                "",
                refdomain="py",
                reftype="obj",
                reftarget=prose_target(name, known),
                refexplicit=True,
                refwarn=True,  # a library object with no page at all fails the build
                refdoc=self.env.docname,
            )
            literal.replace_self(xref)
            xref += literal

    def known_objects(self) -> KnownObjects:
        """The inventories' objects, read once per build (the inventories do not change)."""
        app = getattr(self.env, "_app", None) or self.app  # env._app since Sphinx 9
        if not hasattr(app, "tl_known_objects"):
            app.tl_known_objects = KnownObjects.of(self.env)
        known: KnownObjects = app.tl_known_objects
        return known


def _inside(node: nodes.Node, kinds: tuple[type[nodes.Node], ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False


# -- {api-used} ------------------------------------------------------------------------


def gallery_dirs(app: Sphinx) -> list[Path]:
    dirs = app.config.sphinx_gallery_conf.get("gallery_dirs", [])
    return [Path(app.srcdir, d) for d in ([dirs] if isinstance(dirs, str) else dirs)]


@dataclass
class KnownObjects:
    """The py objects of the intersphinx inventories: role and page of each name."""

    roles: dict[str, str] = field(default_factory=dict)
    uris: dict[str, str] = field(default_factory=dict)
    names_at: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, env: BuildEnvironment) -> KnownObjects:
        from sphinx.ext.intersphinx import InventoryAdapter

        known = cls()
        for role, objects in InventoryAdapter(env).main_inventory.items():
            if not role.startswith("py:"):
                continue
            for name, item in objects.items():
                uri = str(getattr(item, "uri", None) or item[2])  # a tuple before Sphinx 8.2
                # A module and a function can share a name: code means the function.
                if known.roles.get(name, "py:module") == "py:module":
                    known.roles[name] = role
                    known.uris[name] = uri
                known.names_at[uri].add(name)
        return known

    def public_name(self, name: str) -> str:
        """The name to show for an object: the shortest public name of its page."""
        names = self.names_at[self.uris[name]]
        return min(names, key=lambda n: ("._" in n or n.startswith("_"), n.count("."), n))


def resolved_target(candidates: list[dict[str, Any]], known: KnownObjects) -> str | None:
    """The name sphinx-gallery links a code name to: its first candidate that resolves."""
    for candidate in candidates:
        for module in dict.fromkeys([candidate["module_short"], candidate["module"]]):
            target = candidate["name"] if module == "builtins" else f"{module}.{candidate['name']}"
            if target in known.roles:
                return target
    return None


def api_uses(
    app: Sphinx, env: BuildEnvironment, package: str
) -> tuple[dict[str, set[str]], list[Path]]:
    """``{object: {tutorial docname}}`` for the package's objects, and the files read.

    An object is named by its shortest public name: ``torch.nn.Parameter``, not the
    ``torch.nn.parameter.Parameter`` that a tensor's type says.
    """
    known = KnownObjects.of(env)
    uses: dict[str, set[str]] = defaultdict(set)
    files = sorted(path for d in gallery_dirs(app) for path in d.rglob("*.codeobj.json"))
    for path in files:
        docname = path.relative_to(app.srcdir).as_posix().removesuffix(".codeobj.json")
        for candidates in json.loads(path.read_text(encoding="utf-8")).values():
            target = resolved_target(candidates, known)
            if target is None or known.roles[target] == "py:module":
                continue  # not linked, or an import statement rather than a use
            name = known.public_name(target)
            if name == package or name.startswith(package + "."):
                uses[name].add(docname)
    return uses, files


def group_of(name: str) -> str:
    """The class a member belongs to, else the module an object is in."""
    return name.rsplit(".", 1)[0] if "." in name else name


def tutorial_label(docname: str) -> str:
    """The label sphinx-gallery gives an example's page."""
    return f"sphx_glr_{docname.replace('/', '_')}.py"


class ApiUsedDirective(SphinxDirective):
    """``{api-used} torch``: the package's objects that the tutorials use, grouped."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        package = self.arguments[0]
        uses, files = api_uses(self.env.app, self.env, package)
        for path in files:
            self.env.note_dependency(str(path))
        self.env.tl_api_used_docs = getattr(self.env, "tl_api_used_docs", set()) | {
            self.env.docname
        }
        if not uses:
            return [nodes.paragraph(text="No tutorial was run in this build.")]
        groups: dict[str, list[str]] = defaultdict(list)
        for name in uses:
            groups[group_of(name)].append(name)
        sections = []
        for group in sorted(groups, key=lambda g: (g != package, g.lower())):
            groups[group].sort(key=str.lower)
            section = nodes.section(ids=[f"api-{group.replace('.', '-').lower()}"])
            section += nodes.title("", "", nodes.literal(text=group))
            items = nodes.bullet_list(classes=["tl-api-used"])
            for name in groups[group]:
                paragraph = nodes.paragraph()
                paragraph += self.xref("py", "obj", name, nodes.literal(text=name))
                paragraph += nodes.Text(": ")
                for index, docname in enumerate(sorted(uses[name])):
                    if index:
                        paragraph += nodes.Text(", ")
                    paragraph += self.xref("std", "ref", tutorial_label(docname))
                items += nodes.list_item("", paragraph)
            section += items
            sections.append(section)
        return sections

    def xref(self, domain: str, role: str, target: str, *content: nodes.Node) -> nodes.Node:
        node = addnodes.pending_xref(
            "",
            *content,
            refdomain=domain,
            reftype=role,
            reftarget=target,
            refexplicit=bool(content),
            refwarn=True,  # an object or tutorial that cannot be found fails the build
            refdoc=self.env.docname,
        )
        if not content:
            node += nodes.inline(text=target)
        self.set_source_info(node)
        return node


def reread_when_the_gallery_changes(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """A tutorial added, changed or removed changes the list: re-read the pages showing it."""
    tutorials = {d.relative_to(app.srcdir).as_posix() + "/" for d in gallery_dirs(app)}
    if any(doc.startswith(tuple(tutorials)) for doc in added | changed | removed):
        return sorted(getattr(env, "tl_api_used_docs", set()))
    return []


def forget(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "tl_api_used_docs", set()).discard(docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    env.tl_api_used_docs = getattr(env, "tl_api_used_docs", set()) | getattr(
        other, "tl_api_used_docs", set()
    )


def setup(app: Sphinx) -> dict[str, object]:
    link_builtin_methods()
    app.setup_extension("sphinx_gallery.gen_gallery")  # its code_links_block node
    app.add_post_transform(CodeLinks)
    app.add_post_transform(ProseLinks)
    app.add_directive("api-used", ApiUsedDirective)
    app.connect("env-get-outdated", reread_when_the_gallery_changes)
    app.connect("env-purge-doc", forget)
    app.connect("env-merge-info", merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
