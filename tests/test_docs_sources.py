"""Rules for docs/ sources that no Sphinx warning would catch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_paths import DOCS

MD_PAGES = sorted(p for p in DOCS.rglob("*.md") if "tutorials" not in p.relative_to(DOCS).parts)

# Fences whose content a doctest runner executes.
TESTED_FENCE = re.compile(r"^(`{3,}|:{3,})\{(doctest|testcode|testoutput)\}")
FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})")


def untested_prompts(text: str) -> list[int]:
    """Line numbers of ``>>>`` prompts outside {doctest}/{testcode}/{testoutput} fences."""
    found, stack = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        fence = FENCE.match(stripped)
        if fence:
            if stack and stripped == stack[-1][0]:
                stack.pop()
                continue
            if stripped != fence.group(1):  # an opening fence carries a language/directive
                stack.append((fence.group(1), bool(TESTED_FENCE.match(stripped))))
                continue
        if stripped.startswith(">>>") and not any(tested for _, tested in stack):
            found.append(number)
    return found


@pytest.mark.parametrize("page", MD_PAGES, ids=[str(p.relative_to(DOCS)) for p in MD_PAGES])
def test_every_prompt_is_executed_by_a_doctest_runner(page: Path) -> None:
    lines = untested_prompts(page.read_text(encoding="utf-8"))
    assert not lines, (
        f"{page.relative_to(DOCS)}: '>>>' on line(s) {lines} is not inside a {{doctest}} block, "
        "so no doctest runner executes it. Use ```{doctest} instead of ```python."
    )


def test_the_prompt_check_itself() -> None:
    text = "```python\n>>> 1 + 1\n2\n```\n```{doctest}\n>>> 1 + 1\n2\n```\n>>> bare\n"
    assert untested_prompts(text) == [2, 9]
    nested = "::::{tab-set}\n:::{tab-item} A\n```{doctest}\n>>> 1\n1\n```\n:::\n::::\n"
    assert untested_prompts(nested) == []
