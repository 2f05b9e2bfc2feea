"""The helper wheel the site serves: reproducible, only the package, honest metadata.

It is built by the build backend that pyproject.toml declares (conf/_ext/helper_wheel.py),
offline, and leaves nothing behind in the source tree.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helper_wheel import build_wheel, project_metadata, wheel_name
from site_paths import HTML, ROOT

import tutorial_helpers
from tutorial_helpers.versions import DISPLAY_NAMES, MINIMUM_VERSIONS


def metadata_of(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as zipped:
        name = next(n for n in zipped.namelist() if n.endswith(".dist-info/METADATA"))
        return zipped.read(name).decode()


def lower_bounds(metadata: str) -> dict[str, str]:
    return dict(re.findall(r"^Requires-Dist: ([\w-]+)>=([\d.]+)$", metadata, flags=re.MULTILINE))


def tree() -> set[str]:
    """Where a build backend could leave something behind: the checkout's top level and
    build/ (setuptools' build/lib, dist/, *.egg-info), and src/ but its bytecode caches.
    """
    top = {path.relative_to(ROOT).as_posix() for path in ROOT.glob("*")}
    top |= {path.relative_to(ROOT).as_posix() for path in ROOT.glob("build/*")}
    source = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "src").rglob("*")
        if "__pycache__" not in path.parts
    }
    return top | source


def test_the_same_sources_give_the_same_bytes(tmp_path: Path) -> None:
    first = build_wheel(ROOT, tmp_path / "first")
    second = build_wheel(ROOT, tmp_path / "second")
    assert first.name == second.name == wheel_name(ROOT)
    assert first.read_bytes() == second.read_bytes()


def test_building_leaves_nothing_in_the_source_tree(tmp_path: Path) -> None:
    before = tree()
    build_wheel(ROOT, tmp_path)
    written = sorted(tree() - before)
    assert not written, f"building the wheel wrote into the checkout: {written}"


def test_the_wheel_holds_only_the_package(tmp_path: Path) -> None:
    wheel = build_wheel(ROOT, tmp_path)
    with zipfile.ZipFile(wheel) as zipped:
        names = zipped.namelist()
        assert zipped.testzip() is None
    source = ROOT / "src"
    package = sorted(
        p.relative_to(source).as_posix()
        for p in (source / "tutorial_helpers").rglob("*")
        if (p.suffix == ".py" or p.name == "py.typed") and "__pycache__" not in p.parts
    )
    assert "tutorial_helpers/exercise_checks/tensor_views.py" in package  # subpackages too
    dist_info = f"tutorial_helpers-{tutorial_helpers.__version__}.dist-info"
    # in the backend's order (hatchling: a folder's files before its subfolders)
    assert sorted(names) == sorted(
        [*package, f"{dist_info}/METADATA", f"{dist_info}/WHEEL", f"{dist_info}/RECORD"]
    )


def test_metadata_matches_the_project_and_the_version_check(tmp_path: Path) -> None:
    project = project_metadata(ROOT)
    metadata = metadata_of(build_wheel(ROOT, tmp_path))
    assert f"Name: {project['name']}\n" in metadata
    assert f"Version: {tutorial_helpers.__version__}\n" in metadata
    assert project["version"] == tutorial_helpers.__version__
    assert f"Requires-Python: {project['requires-python']}\n" in metadata
    assert lower_bounds(metadata) == MINIMUM_VERSIONS


@pytest.mark.site
def test_the_site_serves_this_wheel_and_states_its_versions(
    built_site: Path, tmp_path: Path
) -> None:
    served = HTML / "downloads" / wheel_name(ROOT)
    assert served.read_bytes() == build_wheel(ROOT, tmp_path).read_bytes()
    landing = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    box = landing.select_one("div.tl-take-home")
    assert box is not None, "the landing page does not say how to run the tutorials"
    for name, minimum in lower_bounds(metadata_of(served)).items():
        assert f"{DISPLAY_NAMES[name]} {minimum} or newer" in box.get_text(), name
