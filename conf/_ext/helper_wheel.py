"""The wheel of ``tutorial_helpers`` that the site serves, made by the project's build backend.

A reader with only the hosted site installs the helpers with
``pip install <this wheel's URL>``. The wheel is built by the backend that
``pyproject.toml`` declares (hatchling, which ``pip install -e .`` uses too),
through pypa/build, without build isolation: the backend is pinned in
``conf/constraints.txt`` and installed in the build's environment, so nothing is
fetched. hatchling writes nothing into the source tree and writes reproducible
wheels (fixed times and permissions, ``SOURCE_DATE_EPOCH`` when set), so the
same sources give the same bytes, build after build.

``take_home.py`` calls :func:`build_wheel` when the site is written; this
extension stops the build at its start, naming the fix, when the backend is
missing, rather than after every example has run.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError


def project_metadata(root: Path) -> dict[str, object]:
    """The ``[project]`` table of ``root/pyproject.toml``."""
    with (root / "pyproject.toml").open("rb") as file:
        return dict(tomllib.load(file)["project"])


def wheel_name(root: Path) -> str:
    """The wheel's file name: ``tutorial_helpers-0.1.0-py3-none-any.whl``."""
    project = project_metadata(root)
    distribution = re.sub(r"[-_.]+", "_", str(project["name"])).lower()
    return f"{distribution}-{project['version']}-py3-none-any.whl"


def missing_backend(root: Path) -> list[str]:
    """The build requirements of ``root`` that this environment lacks (none: it can build)."""
    from build import ProjectBuilder, check_dependency

    requires = ProjectBuilder(root).build_system_requires
    return sorted({unmet[0] for required in requires for unmet in check_dependency(required)})


def build_wheel(root: Path, destination: Path) -> Path:
    """Build the wheel of the package in ``root`` into ``destination``; return its path.

    The file is replaced only when its bytes change, so its modification time
    stays put in a rebuild that changed nothing.
    """
    from pyproject_hooks import quiet_subprocess_runner

    from build import BuildBackendException, ProjectBuilder

    missing = missing_backend(root)
    if missing:
        raise ExtensionError(_missing_message(missing))
    builder = ProjectBuilder(root, runner=quiet_subprocess_runner)
    with tempfile.TemporaryDirectory(prefix="torchlight-wheel-") as scratch:
        try:
            built = Path(builder.build("wheel", scratch))
        except BuildBackendException as error:
            output = getattr(error.exception, "output", b"") or b""
            raise ExtensionError(
                f"building the helpers' wheel failed: {error}\n{output.decode(errors='replace')}"
            ) from error
        if built.name != wheel_name(root):
            raise ExtensionError(
                f"the build backend wrote {built.name}, but the pages link "
                f"{wheel_name(root)}: see wheel_name in {__file__}"
            )
        destination.mkdir(parents=True, exist_ok=True)
        wheel = destination / built.name
        if not wheel.is_file() or wheel.read_bytes() != built.read_bytes():
            shutil.copyfile(built, wheel)
    return wheel


def _missing_message(missing: list[str]) -> str:
    return (
        f"the helpers' wheel cannot be built: {', '.join(missing)} not installed. "
        "Install the build backend pinned for the site: "
        "`pip install -c conf/constraints.txt hatchling build` (`nox -s docs` does it)."
    )


def check_backend(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    missing = missing_backend(Path(app.confdir).parent)
    if missing:
        raise ExtensionError(_missing_message(missing))


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("builder-inited", check_backend)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
