"""A broken example, doctest, notebook cell or link fails the build and names its file.

Each test builds a tiny scratch site with the project's real configuration
(``-c conf``), so what is proven here is what ``nox -s docs`` does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scratch_site import NOTEBOOK_HEADER, scratch_site, sphinx

pytestmark = pytest.mark.slow

GOOD_SCRIPT = '''\
"""
Fine
====

Runs.
"""

print("fine")
'''


BROKEN_SCRIPT = '''\
"""
Broken
======

Raises.
"""

raise ZeroDivisionError("on purpose")
'''


def test_a_failing_gallery_script_fails_the_build(tmp_path: Path) -> None:
    docs = scratch_site(
        tmp_path,
        index="# Scratch\n\n```{toctree}\ntutorials/index\n```\n",
        scripts={
            "plot_fine.py": GOOD_SCRIPT,
            "plot_broken.py": BROKEN_SCRIPT,
        },
    )
    result = sphinx(docs, "html", "-D", "nb_execution_mode=off")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "plot_broken.py" in output
    assert "ZeroDivisionError: on purpose" in output
    assert "plot_fine.py failed" not in output


def test_a_wrong_doctest_fails_the_doctest_build(tmp_path: Path) -> None:
    docs = scratch_site(
        tmp_path,
        index="# Scratch\n\n```{toctree}\nwrong\n```\n",
        pages={
            "wrong.md": (
                "# Wrong\n\n```{doctest}\n>>> torch.tensor([1, 2]).dtype\ntorch.int32\n```\n"
            )
        },
    )
    result = sphinx(docs, "doctest", "-D", "plot_gallery=0", "-D", "nb_execution_mode=off")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert 'File "wrong.md"' in output
    assert "torch.int64" in output  # what it really is


def test_a_failing_notebook_cell_fails_the_build(tmp_path: Path) -> None:
    docs = scratch_site(
        tmp_path,
        index="# Scratch\n\n```{toctree}\nnotebook\n```\n",
        pages={
            "notebook.md": NOTEBOOK_HEADER + "# Notebook\n\n```{code-cell} ipython3\n"
            "import torch\ntorch.ones(2) @ torch.ones(3)\n```\n"
        },
    )
    result = sphinx(docs, "html", "-D", "plot_gallery=0")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "notebook.md" in output
    assert "size mismatch" in output or "RuntimeError" in output


def test_a_broken_internal_link_fails_the_build(tmp_path: Path) -> None:
    docs = scratch_site(
        tmp_path,
        index="# Scratch\n\n```{toctree}\nguide\n```\n",
        pages={
            "guide.md": (
                "# Guide\n\nSee {doc}`missing-page`, [the setup](setup.md) and "
                "{ref}`no-such-label`.\n"
            )
        },
    )
    result = sphinx(docs, "html", "-D", "plot_gallery=0", "-D", "nb_execution_mode=off")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for target in ["missing-page", "setup.md", "no-such-label"]:
        assert re.search(rf"guide\.md:\d+: WARNING: .*{re.escape(target)}", output), (
            f"no warning naming guide.md and {target}:\n{output}"
        )


def test_a_misspelled_api_name_fails_the_build(tmp_path: Path) -> None:
    """PyTorch's names resolve through conf/inventories: one that does not exist fails."""
    docs = scratch_site(
        tmp_path,
        index="# Scratch\n\n```{toctree}\nguide\n```\n",
        pages={
            "guide.md": (
                "# Guide\n\nJoin with {func}`torch.stack`, not {func}`torch.not_a_function`.\n"
            )
        },
    )
    result = sphinx(docs, "html", "-D", "plot_gallery=0", "-D", "nb_execution_mode=off")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(
        r"guide\.md:\d+: WARNING: py:func reference target not found: torch\.not_a_function",
        output,
    ), output
    assert "torch.stack" not in output, "the real name did not resolve"
    html = (docs.parent / "build" / "html" / "guide.html").read_text(encoding="utf-8")
    assert "https://docs.pytorch.org/docs/stable/generated/torch.stack.html#torch.stack" in html
