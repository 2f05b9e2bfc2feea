"""Build the wheel of ``tutorial_helpers`` that the site serves, byte for byte reproducibly.

A reader with only the hosted site installs the helpers with
``pip install <this wheel's URL>``. The wheel is written here rather than by a
build backend so that it needs no network (no isolated build environment to
fetch), leaves nothing behind in the source tree (no ``build/lib``, no
``*.egg-info``) and comes out the same, byte for byte, from the same sources:
entries in name order, a fixed time, fixed permissions.

Everything in it comes from ``pyproject.toml`` (name, version, summary,
license, ``requires-python``, dependencies) and from the package directory
(its ``*.py`` files and ``py.typed``); nothing else goes in.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
import zipfile
from pathlib import Path

from reproducible import write_zip

#: The files of the package that the wheel ships (what setuptools' package-data lists).
PACKAGE_FILES = ("*.py", "py.typed")


def project_metadata(root: Path) -> dict[str, object]:
    """The ``[project]`` table of ``root/pyproject.toml``."""
    with (root / "pyproject.toml").open("rb") as file:
        return dict(tomllib.load(file)["project"])


def wheel_name(root: Path) -> str:
    """The wheel's file name: ``tutorial_helpers-0.1.0-py3-none-any.whl``."""
    project = project_metadata(root)
    distribution = re.sub(r"[-_.]+", "_", str(project["name"])).lower()
    return f"{distribution}-{project['version']}-py3-none-any.whl"


def _metadata_file(project: dict[str, object]) -> str:
    lines = [
        "Metadata-Version: 2.4",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"License-Expression: {project['license']}",
        f"Requires-Python: {project['requires-python']}",
    ]
    lines += [f"Requires-Dist: {requirement}" for requirement in project["dependencies"]]  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def package_files(root: Path, package: str = "tutorial_helpers") -> list[tuple[str, bytes]]:
    """``(path in the wheel, bytes)`` of every file the package ships, in name order."""
    package_dir = root / "src" / package
    files = {
        path.relative_to(package_dir.parent).as_posix(): path.read_bytes()
        for pattern in PACKAGE_FILES
        for path in package_dir.rglob(pattern)
        if "__pycache__" not in path.parts
    }
    return sorted(files.items())


def build_wheel(root: Path, destination: Path) -> Path:
    """Write the wheel of the package in ``root/src`` into ``destination``; return its path."""
    project = project_metadata(root)
    name = wheel_name(root)
    dist_info = f"{name.split('-')[0]}-{project['version']}.dist-info"
    entries = package_files(root)
    entries += [
        (f"{dist_info}/METADATA", _metadata_file(project).encode()),
        (
            f"{dist_info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: torchlight (conf/_ext/helper_wheel.py)\n"
            b"Root-Is-Purelib: true\nTag: py3-none-any\n",
        ),
    ]
    record = [_record_line(path, data) for path, data in entries] + [f"{dist_info}/RECORD,,"]
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    destination.mkdir(parents=True, exist_ok=True)
    wheel = destination / name
    write_zip(wheel, entries, compression=zipfile.ZIP_DEFLATED)
    return wheel
