"""Run a gallery script with its hidden checks reporting their failures instead of stopping it.

``tools/compat.py`` (its ``upgrade`` mode) runs each original gallery script
this way on the newest PyTorch: each hidden block (``# sphinx_gallery_start_ignore``
to ``# sphinx_gallery_end_ignore``) is wrapped in ``try``/``except``, so a check
that fails is recorded with its line and the script goes on to the next one.
This module imports nothing of the project: it runs in the reader's
environment, where the helpers come from the wheel.
"""

from __future__ import annotations

import ast
import re
from types import CodeType

START = re.compile(r"^\s*#\s*sphinx_gallery_start_ignore\b")
END = re.compile(r"^\s*#\s*sphinx_gallery_end_ignore\b")


def hidden_ranges(source: str) -> list[tuple[int, int]]:
    """The ``(first, last)`` line numbers (1-based) of each hidden block's flags."""
    ranges, start = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        if START.match(line):
            start = number
        elif END.match(line) and start is not None:
            ranges.append((start, number))
            start = None
    return ranges


def _wrap(body: list[ast.stmt], ranges: list[tuple[int, int]]) -> list[ast.stmt]:
    """``body`` with each run of statements of one hidden block inside ``try``/``except``."""

    def block_of(statement: ast.stmt) -> tuple[int, int] | None:
        end = statement.end_lineno or statement.lineno
        return next((r for r in ranges if r[0] < statement.lineno and end < r[1]), None)

    wrapped: list[ast.stmt] = []
    group: list[ast.stmt] = []
    group_block: tuple[int, int] | None = None

    def flush() -> None:
        nonlocal group
        if group:
            record = ast.parse(f"_compat_record(_compat_error, {group_block[0]})").body
            handler = ast.ExceptHandler(
                type=ast.Name("Exception", ast.Load()), name="_compat_error", body=record
            )
            trial = ast.Try(body=group, handlers=[handler], orelse=[], finalbody=[])
            wrapped.append(ast.copy_location(trial, group[0]))
            group = []

    for statement in body:
        block = block_of(statement)
        if block is not None:
            if block != group_block:
                flush()
                group_block = block
            group.append(statement)
            continue
        flush()
        group_block = None
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(statement, name, None)
            if isinstance(inner, list) and inner:
                setattr(statement, name, _wrap(inner, ranges))
        for handler in getattr(statement, "handlers", []):
            handler.body = _wrap(handler.body, ranges)
        wrapped.append(statement)
    flush()
    return wrapped


def checked_module(source: str, filename: str) -> CodeType:
    """``source`` compiled so that an exception in a hidden block is recorded, not raised.

    The compiled code calls ``_compat_record(error, first_line_of_block)``, which
    the caller puts in its globals. Line numbers are those of ``source``.
    """
    tree = ast.parse(source, filename)
    tree.body = _wrap(tree.body, hidden_ranges(source))
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec")
