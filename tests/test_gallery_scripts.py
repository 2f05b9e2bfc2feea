"""Rules every gallery script follows.

That each one runs on its own, outside this repository, as a reader runs the
download, and prints what its page shows, is tests/test_downloads.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_paths import GALLERY

SCRIPTS = sorted(GALLERY.glob("*/*.py"))


def test_every_section_has_a_header() -> None:
    sections = sorted(p for p in GALLERY.iterdir() if p.is_dir())
    assert [p.name for p in sections] == [
        "01_tensors",
        "02_numpy",
        "03_devices",
        "04_modules",
        "05_save_load",
        "06_autograd",
        "07_training",
    ]
    for section in sections:
        assert (section / "README.rst").is_file(), f"{section} has no README.rst header"


@pytest.mark.parametrize("script", SCRIPTS, ids=[str(p.relative_to(GALLERY)) for p in SCRIPTS])
def test_script_has_a_title_and_hidden_checks(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    assert text.startswith('"""\n'), f"{script.name} must open with its docstring title"
    title = text.split("\n")[1]
    assert text.split("\n")[2] == "=" * len(title), f"{script.name}: underline the title exactly"
    assert text.count("# sphinx_gallery_start_ignore") == text.count("# sphinx_gallery_end_ignore")
    assert "# sphinx_gallery_start_ignore" in text, f"{script.name} checks none of its claims"
