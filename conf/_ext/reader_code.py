"""What a reader downloads is the page's visible code: no hidden check, no Sphinx markup.

A gallery script carries the checks that prove its page's claims, between
``# sphinx_gallery_start_ignore`` and ``# sphinx_gallery_end_ignore``: they run
in the build (sphinx-gallery executes the whole script) and are hidden from
the page. The download must be the page, not the build's test harness, so:

- :func:`visible_code` removes those blocks (found by sphinx-gallery's own
  flags and parser) and the in-file ``# sphinx_gallery_...`` settings, and
  closes the gap each block leaves; the script's text (its docstring and
  comments) is reST, so its roles and directives are written as plain text
  (:func:`script_text_as_plain`);
- :func:`gallery_notebook` makes the notebook from the same visible code,
  cell by cell as sphinx-gallery does (``sphinx_gallery.notebook``), with the
  text's Sphinx roles turned into Markdown links (``notebook_markdown.py``);
- :func:`replace_served_downloads`, after the build, writes both over the
  copies Sphinx put in ``_downloads/``, which are what every page links (the
  files in ``docs/tutorials/`` stay sphinx-gallery's: its change detection
  reads them), and into sphinx-gallery's per-page ``.zip``. ``take_home.py``
  puts the same bytes into the site's archive.

The build itself is unchanged: sphinx-gallery executes the original script,
checks included.
"""

from __future__ import annotations

import copy
import json
import re
import textwrap
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from notebook_markdown import (
    leftover_markup,
    rst_roles_to_markdown,
    rst_roles_to_plain,
    sphinx_resolver,
)
from reproducible import write_zip
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx_gallery import py_source_parser
from sphinx_gallery.notebook import jupyter_notebook

#: A hidden block with the blank lines around it (sphinx-gallery's ``IGNORE_BLOCK_PATTERN``,
#: from the start of the flag's line, widened to the blank lines before and after).
_HIDDEN_BLOCK = re.compile(
    r"(?P<before>(?:^[ \t]*\n)*)^[ \t]*"
    + py_source_parser.IGNORE_BLOCK_PATTERN.pattern
    + r"(?P<after>(?:[ \t]*\n)*)",
    re.MULTILINE,
)
#: The two flags, as sphinx-gallery recognises them, to find any left behind.
HIDDEN_FLAGS = re.compile(
    f"{py_source_parser.START_IGNORE_FLAG}|{py_source_parser.END_IGNORE_FLAG}", re.MULTILINE
)


def visible_code(source: str) -> str:
    """``source`` without its hidden blocks and in-file settings, as the page shows it.

    A hidden block and the blank lines around it become the larger of the two
    gaps, so the code keeps the spacing its author gave it.

    Examples
    --------
    >>> source = (
    ...     "x = 1\\n\\n"
    ...     "# sphinx_gallery_start_ignore\\nassert x == 1\\n# sphinx_gallery_end_ignore\\n\\n"
    ...     "# %%\\n# Next\\nprint(x)\\n"
    ... )
    >>> print(visible_code(source))
    x = 1
    <BLANKLINE>
    # %%
    # Next
    print(x)
    <BLANKLINE>
    """
    # sphinx-gallery's own check: every start flag has an end flag.
    py_source_parser.remove_ignore_blocks(source)
    code = _HIDDEN_BLOCK.sub(
        lambda block: "\n" * max(block["before"].count("\n"), block["after"].count("\n")), source
    )
    code = py_source_parser.remove_config_comments(code)
    if HIDDEN_FLAGS.search(code):
        raise ValueError("a sphinx_gallery_start_ignore/end_ignore flag is left unmatched")
    return code.rstrip("\n") + "\n"


_COMMENT_RUN = re.compile(r"(?:^[ \t]*#(?: |$).*\n?)+", re.MULTILINE)
_DOCSTRING = re.compile(r'\A(?P<open>[ \t]*""")(?P<text>.*?)(?P<close>""")', re.DOTALL)


#: The gallery's line length (gallery/ruff.toml): comments made longer by the conversion
#: are filled again to it.
LINE_LENGTH = 79


def refill(text: str, width: int) -> str:
    r"""Fill again each paragraph or ``* `` list item of ``text`` that has a line over ``width``.

    Blocks with other indented lines (code, equations) are left as they are.

    >>> refill("a b c d e f\n\n    code stays", 5)
    'a b c\nd e f\n\n    code stays'
    >>> print(refill("* one two three\n* four", 9))
    * one two
      three
    * four
    """

    def fill(block: list[str]) -> list[str]:
        bullet = block[0].startswith("* ") and all(line.startswith("  ") for line in block[1:])
        plain = not any(line.startswith((" ", "\t")) for line in block)
        if max(map(len, block)) <= width or not (plain or bullet):
            return block
        words = " ".join(line.strip() for line in block)
        return textwrap.wrap(
            words.removeprefix("* ") if bullet else words,
            width,
            initial_indent="* " if bullet else "",
            subsequent_indent="  " if bullet else "",
            break_long_words=False,
            break_on_hyphens=False,
        )

    paragraphs = []
    for paragraph in text.rstrip("\n").split("\n\n"):
        blocks: list[list[str]] = []
        for line in paragraph.split("\n"):
            if not blocks or line.startswith("* "):
                blocks.append([line])
            else:
                blocks[-1].append(line)
        paragraphs.append("\n".join(line for block in blocks for line in fill(block)))
    return "\n\n".join(paragraphs)


def script_text_as_plain(code: str, convert: Callable[[str], str]) -> str:
    r"""``code`` with ``convert`` applied to its module docstring and to each run of comments.

    A run of ``#`` lines is converted as one text (a role may span two lines), then
    commented again line by line. The code itself is left as it is.

    >>> print(script_text_as_plain("# a :x:\n# b\nx = 1  # :x:\n",
    ...       lambda text: text.replace(":x:", "X")), end="")
    # a X
    # b
    x = 1  # :x:
    """

    def comments(match: re.Match[str]) -> str:
        lines = match.group().rstrip("\n").split("\n")
        indent = re.match(r"[ \t]*", lines[0]).group()  # type: ignore[union-attr]
        text = "\n".join(re.sub(r"^[ \t]*# ?", "", line) for line in lines)
        converted = refill(convert(text), LINE_LENGTH - len(indent) - 2).split("\n")
        ending = "\n" if match.group().endswith("\n") else ""
        return "\n".join(f"{indent}# {line}".rstrip() for line in converted) + ending

    docstring = _DOCSTRING.match(code)
    head, rest = "", code
    if docstring:
        head = docstring["open"] + convert(docstring["text"]) + docstring["close"]
        rest = code[docstring.end() :]
    return head + _COMMENT_RUN.sub(comments, rest)


def visible_blocks(source_file: Path) -> list[py_source_parser.Block]:
    """The text and code blocks of a gallery script as sphinx-gallery splits them, code visible."""
    _, blocks = py_source_parser.split_code_and_text_blocks(str(source_file))
    visible = []
    for block in blocks:
        content = block.content
        if block.type == "code":
            content = visible_code(content).strip("\n")
            if not content.strip():
                continue
        visible.append(py_source_parser.Block(block.type, content, block.lineno))
    return visible


def gallery_notebook(app: Sphinx, docname: str) -> dict[str, Any]:
    """The notebook of the gallery page ``docname``: its visible code, its text in Markdown."""
    source_file = Path(app.srcdir) / f"{docname}.py"
    resolve = sphinx_resolver(app, docname)
    blocks = [
        block._replace(content=rst_roles_to_markdown(block.content, resolve))
        if block.type == "text"
        else block._replace(
            content=script_text_as_plain(
                block.content, lambda text: rst_roles_to_plain(text, resolve)
            )
        )
        for block in visible_blocks(source_file)
    ]
    gallery_conf = copy.copy(app.config.sphinx_gallery_conf)
    notebook: dict[str, Any] = jupyter_notebook(blocks, gallery_conf, source_file.parent)
    return notebook


def notebook_bytes(notebook: dict[str, Any]) -> bytes:
    """The notebook as sphinx-gallery writes one (``save_notebook``): JSON, indented by 2."""
    return json.dumps(notebook, indent=2).encode()


#: Per build: what each gallery page's downloads hold, computed once for the page links
#: and the archive.
_BUILT: weakref.WeakKeyDictionary[Sphinx, dict[str, dict[str, bytes]]] = weakref.WeakKeyDictionary()


def example_downloads(app: Sphinx, docname: str) -> dict[str, bytes]:
    """``{".py": script, ".ipynb": notebook}``: the bytes a reader gets for a gallery page."""
    cached = _BUILT.setdefault(app, {})
    if docname not in cached:
        source = (Path(app.srcdir) / f"{docname}.py").read_text(encoding="utf-8")
        resolve = sphinx_resolver(app, docname)
        script = script_text_as_plain(
            visible_code(source), lambda text: rst_roles_to_plain(text, resolve)
        )
        notebook = gallery_notebook(app, docname)
        markdown = "\n".join(
            "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
        )
        for name, text in [("script", script), ("notebook", markdown)]:
            left = leftover_markup(text)
            if left:
                raise ExtensionError(
                    f"{docname}: its downloaded {name} would show Sphinx markup {left[:3]}: "
                    "teach conf/_ext/notebook_markdown.py to write it as plain text."
                )
        cached[docname] = {".py": script.encode(), ".ipynb": notebook_bytes(notebook)}
    return cached[docname]


def replace_served_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Write each gallery page's visible script and Markdown notebook over Sphinx's copies.

    sphinx-gallery's per-page archive (``plot_x.zip``, in the page's footer) is
    rewritten with the same two files.
    """
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for source, (_pages, destination) in sorted(app.env.dlfiles.items()):
        path = Path(source)
        docname = path.with_suffix("").as_posix()
        if not (
            docname.startswith("tutorials/") and (Path(app.srcdir) / f"{docname}.py").is_file()
        ):
            continue
        downloads = example_downloads(app, docname)
        target = outdir / "_downloads" / destination
        if path.suffix == ".zip":
            stem = path.stem
            write_zip(
                target, [(f"{stem}{suffix}", downloads[suffix]) for suffix in (".ipynb", ".py")]
            )
        elif path.suffix in downloads:
            data = downloads[path.suffix]
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)


def setup(app: Sphinx) -> dict[str, Any]:
    # Before take_home's archive (priority 500), which reads the same bytes.
    app.connect("build-finished", replace_served_downloads, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
