"""Which examples a helper change re-runs: the import analysis behind it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helper_dependencies import _notebook_code, fingerprint, imported_helper_modules
from site_paths import CONF


@pytest.fixture
def package(tmp_path: Path) -> Path:
    root = tmp_path / "tutorial_helpers"
    root.mkdir()
    (root / "__init__.py").write_text("from tutorial_helpers.devices import choose_device\n")
    (root / "devices.py").write_text("import torch\n")
    (root / "plotting.py").write_text("from .devices import choose_device\nimport numpy\n")
    (root / "checkpoints.py").write_text("import os\n")
    return root


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import torch\n", set()),
        ("from tutorial_helpers import choose_device\n", {"", ".devices"}),
        ("from tutorial_helpers.checkpoints import save\n", {"", ".devices", ".checkpoints"}),
        ("import tutorial_helpers.plotting as p\n", {"", ".devices", ".plotting"}),
        ("from tutorial_helpers import plotting\n", {"", ".devices", ".plotting"}),
        (
            "def f():\n    from tutorial_helpers import checkpoints\n",
            {"", ".devices", ".checkpoints"},
        ),
    ],
)
def test_imports_are_followed_through_the_package(
    package: Path, source: str, expected: set[str]
) -> None:
    assert imported_helper_modules(source, package) == {f"tutorial_helpers{e}" for e in expected}


def test_fingerprint_changes_only_with_the_imported_sources(package: Path) -> None:
    modules = {"tutorial_helpers", "tutorial_helpers.devices"}
    before = fingerprint(modules, package)
    (package / "checkpoints.py").write_text("import os  # edited\n")
    assert fingerprint(modules, package) == before
    (package / "devices.py").write_text("import torch  # edited\n")
    assert fingerprint(modules, package) != before


def test_the_real_gallery_scripts_are_analysed() -> None:
    import tutorial_helpers

    package_dir = Path(tutorial_helpers.__file__).parent
    script = CONF.parent / "gallery" / "01_tensors" / "plot_01_creating_tensors.py"
    modules = imported_helper_modules(script.read_text(), package_dir)
    assert {"tutorial_helpers", "tutorial_helpers.plotting", "tutorial_helpers.devices"} <= modules


def test_notebook_code_leaves_out_cell_options(tmp_path: Path) -> None:
    notebook = tmp_path / "page.md"
    notebook.write_text(
        "# Title\n\n"
        "```{code-cell} ipython3\n:tags: [hide-cell]\n\nimport torch\n```\n\n"
        "```{code-cell} ipython3\n---\nmystnb:\n  image:\n    alt: f(x) = x³, drawn\n---\n"
        "from tutorial_helpers.plotting import draw\n```\n",
        encoding="utf-8",
    )
    code = _notebook_code(notebook)
    assert code.split() == [
        "import",
        "torch",
        "from",
        "tutorial_helpers.plotting",
        "import",
        "draw",
    ]
