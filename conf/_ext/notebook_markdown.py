"""Notebook text as Markdown: every Sphinx role a link to the page the site links.

Jupyter renders Markdown and math, and prints Sphinx's markup literally: a
downloaded notebook that says ``:meth:`~torch.Tensor.untyped_storage``` teaches
the markup, not the method. Before a notebook is served, its text is rewritten:

- a cross-reference role (``:func:``, ``:meth:``, ``:class:``, ``:mod:``,
  ``:attr:``, ``:doc:``, ``:ref:`` ..., in reST as in MyST's ``{func}`...```)
  becomes a Markdown link to the page Sphinx resolved it to for the site, with
  the text the site shows (``~`` keeps the last name, functions get ``()``); a
  name no page documents (the standard library's) stays plain code;
- a link to a page of this site is absolute when ``torchlight_base_url`` is
  set, and otherwise names the page;
- ``:math:`...``` becomes ``$...$`` and a ``.. math::`` directive ``$$...$$``;
- ``:hardware:`nvidia``` (``hardware_notes.py``) becomes the note the page shows,
  in parentheses.

The links are resolved by Sphinx itself (the Python and standard domains, then
the ``missing-reference`` handlers: intersphinx, reading the inventories in
``conf/inventories``), so a notebook links exactly where the page does.
:func:`rst_roles_to_markdown` and :func:`myst_roles_to_markdown` take any
resolver, which is how ``tests/test_notebook_markdown.py`` tests them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri


@dataclass(frozen=True)
class Resolved:
    """Where a cross-reference points: a URL, or a page of this site by name."""

    url: str | None  # None: no page documents it
    title: str  # the text the site shows for the reference
    site_page: str | None = None  # the page's title, for a page of this site without a base URL
    code: bool = True  # an API name is code; a page's title is prose


#: Resolves ``(role, target, explicit title or None)``; ``role`` is ``"func"``, ``"py:meth"``, ...
Resolver = Callable[[str, str, str | None], Resolved]

# :role:`content` in reST; the role may carry a domain (:py:func:). Content has no backquote.
_RST_ROLE = re.compile(r"(?<![\w`]):(?P<role>[a-z]+(?::[a-z]+)?):`(?P<content>[^`]+)`(?!`)")
# {role}`content` in MyST.
_MYST_ROLE = re.compile(r"\{(?P<role>[a-z]+(?::[a-z]+)?)\}`(?P<content>[^`]+)`")
# "title <target>" inside a role.
_EXPLICIT = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
# .. math:: on one line or with an indented body (reST, in a gallery text block).
_MATH_DIRECTIVE = re.compile(
    r"^\.\. math::[ \t]*(?P<first>.*)\n(?P<body>(?:[ \t]*\n|[ \t]+.*\n)*)", re.M
)

#: Roles whose text is code (API names); :doc: and :ref: show a page's or section's title.
PROSE_ROLES = {"doc", "ref", "std:doc", "std:ref", "term", "std:term"}


def split_role_content(content: str) -> tuple[str, str | None]:
    """``(target, explicit title or None)`` of a role's content: ``"text <target>"`` or a target.

    >>> split_role_content("torch.stack")
    ('torch.stack', None)
    >>> split_role_content("the loop <sphx_glr_x.py>")
    ('sphx_glr_x.py', 'the loop')
    """
    content = " ".join(content.split())
    match = _EXPLICIT.match(content)
    if match:
        return match["target"].strip(), match["title"].strip()
    return content, None


def python_title(role: str, target: str, add_parentheses: bool = True) -> tuple[str, str]:
    """The text Sphinx shows for a Python role without an explicit title, and the bare target.

    ``~`` keeps the last component; functions and methods get ``()`` (Sphinx's
    ``add_function_parentheses``).

    >>> python_title("meth", "~torch.Tensor.untyped_storage")
    ('untyped_storage()', 'torch.Tensor.untyped_storage')
    >>> python_title("class", "torch.nn.Linear")
    ('torch.nn.Linear', 'torch.nn.Linear')
    """
    bare = target.lstrip("~").lstrip(".")
    title = bare.rsplit(".", 1)[-1] if target.startswith("~") else bare
    if role.rsplit(":", 1)[-1] in {"func", "meth"} and add_parentheses and not title.endswith(")"):
        title += "()"
    return title, bare


def markdown_link(resolved: Resolved) -> str:
    """The Markdown for a resolved reference.

    >>> markdown_link(Resolved("https://x.org/stack.html", "torch.stack()"))
    '[`torch.stack()`](https://x.org/stack.html)'
    >>> markdown_link(Resolved(None, "pathlib.Path"))
    '`pathlib.Path`'
    >>> markdown_link(Resolved(None, "Checkpoints", site_page="Checkpoints", code=False))
    '*Checkpoints* (a page of this site)'
    """
    text = f"`{resolved.title}`" if resolved.code else resolved.title
    if resolved.url:
        return f"[{text}]({resolved.url})"
    if resolved.site_page is not None:
        if not resolved.code and resolved.title == resolved.site_page:
            return f"*{resolved.title}* (a page of this site)"
        shown = text if resolved.code else f"*{resolved.title}*"
        return f"{shown} (see *{resolved.site_page}* on this site)"
    return text


def _role_to_text(
    role: str, content: str, resolve: Resolver, link: Callable[[Resolved], str] = markdown_link
) -> str:
    """One role as text: math between ``$``, a reference as ``link`` writes it."""
    if role in {"math", "std:math"}:
        return f"${content.strip()}$"
    target, title = split_role_content(content)
    return link(resolve(role, target, title))


def math_directives_to_markdown(text: str) -> str:
    """``.. math::`` blocks as ``$$`` display math, one per equation (blank-line separated).

    >>> math_directives_to_markdown(".. math:: y = 2x\\n\\nText.\\n")
    '$$y = 2x$$\\n\\nText.\\n'
    """

    def display(match: re.Match[str]) -> str:
        lines = [match["first"], *match["body"].split("\n")]
        equations, current = [], []
        for line in lines:
            if line.strip():
                current.append(line.strip())
            elif current:
                equations.append(" ".join(current))
                current = []
        if current:
            equations.append(" ".join(current))
        return "\n\n".join(f"$${equation}$$" for equation in equations) + "\n\n"

    return _MATH_DIRECTIVE.sub(display, text).replace("\n\n\n", "\n\n")


def rst_roles_to_markdown(text: str, resolve: Resolver) -> str:
    """Rewrite the roles and math of a reST text block as Markdown (other markup is left).

    >>> def resolve(role, target, title):
    ...     return Resolved(f"https://docs/{target}", title or target)
    >>> rst_roles_to_markdown("See :func:`torch.stack` and :math:`x^2`.", resolve)
    'See [`torch.stack`](https://docs/torch.stack) and $x^2$.'
    """
    text = math_directives_to_markdown(text)
    return _RST_ROLE.sub(lambda m: _role_to_text(m["role"], m["content"], resolve), text)


def myst_roles_to_markdown(text: str, resolve: Resolver) -> str:
    """Rewrite MyST roles (``{doc}`...```, ``{mod}`...```) as Markdown; ``$`` math stays.

    >>> def resolve(role, target, title):
    ...     return Resolved(None, title or target, site_page=target, code=False)
    >>> myst_roles_to_markdown("Read {doc}`../x`.", resolve)
    'Read *../x* (a page of this site).'
    """
    return _MYST_ROLE.sub(lambda m: _role_to_text(m["role"], m["content"], resolve), text)


def plain_link(resolved: Resolved) -> str:
    """A reference as plain text, for a script's comments: the name, or the page and its URL.

    >>> plain_link(Resolved("https://x.org/stack.html", "torch.stack()"))
    '`torch.stack()`'
    >>> plain_link(Resolved("https://site/x.html", "Checkpoints", code=False))
    '"Checkpoints" (https://site/x.html)'
    >>> plain_link(Resolved(None, "Checkpoints", site_page="Checkpoints", code=False))
    '"Checkpoints" (a page of this site)'
    """
    if resolved.code:
        return f"`{resolved.title}`"
    if resolved.url:
        return f'"{resolved.title}" ({resolved.url})'
    if resolved.site_page is None:  # a role that only writes text (:hardware:)
        return resolved.title
    if resolved.site_page != resolved.title:
        return f'"{resolved.title}" (on the page "{resolved.site_page}" of this site)'
    return f'"{resolved.title}" (a page of this site)'


# .. code-block:: lang, and the blank line after it: its indented body stays, as code.
_CODE_BLOCK_DIRECTIVE = re.compile(r"^[ \t]*\.\. code-block::[^\n]*\n(?:[ \t]*\n)?", re.M)


def rst_roles_to_plain(text: str, resolve: Resolver) -> str:
    """Rewrite the roles and directives of a reST text as plain text, for a script's comments.

    Roles become the text the page shows (API names in backquotes), ``:math:`` its
    formula between ``$``; a ``.. math::`` block becomes ``$$`` display math and a
    ``.. code-block::`` its indented code.

    >>> def resolve(role, target, title):
    ...     return Resolved(f"https://docs/{target}", title or target)
    >>> rst_roles_to_plain("Use :func:`torch.stack`, :math:`x^2`.", resolve)
    'Use `torch.stack`, $x^2$.'
    """
    text = _CODE_BLOCK_DIRECTIVE.sub("", math_directives_to_markdown(text))
    return _RST_ROLE.sub(
        lambda m: _role_to_text(m["role"], m["content"], resolve, plain_link), text
    )


#: What a Sphinx role left in a notebook would look like: reST or MyST roles and directives.
LEFTOVER_MARKUP = re.compile(
    r":[a-z]+(?::[a-z]+)?:`"  # :func:`
    r"|\{[a-z]+(?::[a-z]+)?\}`"  # {doc}`
    r"|^[ \t]*\.\. [a-z][\w-]*::"  # .. note::
    r"|^[ \t]*(?:```|:::)\{[a-z][\w-]*\}",  # ```{note}
    re.M,
)


def leftover_markup(text: str) -> list[str]:
    """The Sphinx markup still in ``text`` (empty when it is all Markdown).

    >>> leftover_markup("[`torch.stack`](u) and $x$")
    []
    >>> leftover_markup(".. note::\\n   :meth:`x`")
    ['.. note::', ':meth:`']
    """
    return [match.group().strip() for match in LEFTOVER_MARKUP.finditer(text)]


# -- Resolving with Sphinx -------------------------------------------------------------


def _domain_and_type(role: str) -> tuple[str, str]:
    if ":" in role:
        domain, typ = role.split(":", 1)
        return domain, typ
    return ("std", role) if role in {"doc", "ref", "term", "numref"} else ("py", role)


def site_page_url(app: Sphinx, fromdocname: str, refuri: str) -> tuple[str, str]:
    """``(docname, URL)`` of an internal ``refuri`` written from ``fromdocname``'s page.

    The URL is absolute under ``torchlight_base_url``, else the path inside the site.
    """
    path, _, anchor = refuri.partition("#")
    if path:
        inside = posixpath.normpath(posixpath.join(posixpath.dirname(fromdocname), path))
    else:  # a target on the same page
        inside = app.builder.get_target_uri(fromdocname)
    docname = inside.removesuffix(app.builder.out_suffix)
    base_url = app.config.torchlight_base_url
    url = (
        (base_url.rstrip("/") + "/" if base_url else "") + inside + (f"#{anchor}" if anchor else "")
    )
    return docname, url


def sphinx_resolver(app: Sphinx, docname: str) -> Resolver:
    """Resolve roles as the page ``docname`` resolved them: the same domains and inventories."""
    env = app.env
    add_parentheses = app.config.add_function_parentheses

    def resolve(role: str, target: str, title: str | None) -> Resolved:
        if role == "hardware":  # hardware_notes.py: the same sentence as on the page
            from hardware_notes import note

            text = note(target.strip(), set(app.config.torchlight_build_hardware)).astext()
            return Resolved(None, f"({text})", code=False)
        domain_name, typ = _domain_and_type(role)
        if domain_name == "py":
            shown, bare = python_title(typ, target, add_parentheses)
        else:
            shown, bare = target, target.lower() if typ == "ref" else target
        node = addnodes.pending_xref(
            "",
            refdomain=domain_name,
            reftype=typ,
            reftarget=bare,
            refexplicit=title is not None,
            refdoc=docname,
            refwarn=False,
        )
        contnode = nodes.literal(title or shown, title or shown)
        node += contnode
        domain = env.domains[domain_name]
        result: nodes.Node | None
        try:
            result = domain.resolve_xref(env, docname, app.builder, typ, bare, node, contnode)
            if result is None:
                result = app.events.emit_firstresult(
                    "missing-reference", env, node, contnode, allowed_exceptions=(NoUri,)
                )
        except NoUri:
            result = None
        code = role not in PROSE_ROLES
        if not isinstance(result, nodes.reference):
            return Resolved(None, title or shown, code=code)
        text = title or (shown if code else result.astext())
        if "refuri" in result and re.match(r"^[a-z]+://", result["refuri"]):
            return Resolved(result["refuri"], text, code=code)
        refuri = result.get("refuri") or "#" + result.get("refid", "")
        page, url = site_page_url(app, docname, refuri)
        if app.config.torchlight_base_url:
            return Resolved(url, text, code=code)
        page_title = env.titles[page].astext() if page in env.titles else page
        return Resolved(None, text, site_page=page_title, code=code)

    return resolve
