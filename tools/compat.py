"""Run what a reader downloads on the oldest and the newest versions the site allows.

``nox -s compat`` runs this. It reads the built site (``build/html``): the
served wheel and ``downloads/torchlight-code.zip``, exactly what a reader
gets. For each end of the range it makes a fresh virtual environment with
uv, installs the wheel and the packages the pages import, then runs every
downloaded script and notebook, each from an empty folder:

- ``oldest``: the minimums the site states (``tutorial_helpers.versions``),
  resolved with ``uv pip install --resolution lowest-direct`` (torch 2.7.0,
  NumPy 2.0.0, matplotlib 3.8.4, scikit-learn 1.5.0; what they depend on at
  its newest), on one CPU thread (``OMP_NUM_THREADS=1``), with the oldest
  Python the wheel allows;
- ``newest``: the newest release of each that the index serves.

The Jupyter kernel is installed in a second, ordinary step, so that its own
requirements do not move the versions under test.

A second mode, ``upgrade``, is for maintainers: it runs the original gallery
scripts, hidden checks included, in the newest environment, and lists every
check that fails, by page and line (a failing check does not stop the
script: each hidden block is wrapped so that the next one still runs). It is
the work to do before moving the pin in ``conf/constraints.txt``.

The results go to ``docs/about/compatibility.json`` (committed; the About
page shows it, every executed page names the tested range), dated.

Usage::

    python tools/compat.py [--ends oldest newest] [--upgrade/--no-upgrade]
        [--newest-python PATH] [--torch-index URL] [--report PATH]

``--torch-index`` installs torch from another index (the GitHub workflow
gives PyTorch's CPU index: PyPI's Linux wheels are the CUDA builds).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tutorial_helpers.versions import MINIMUM_VERSIONS, PAGE_PACKAGES

HTML = ROOT / "build" / "html"
GALLERY = ROOT / "gallery"
REPORT = ROOT / "docs" / "about" / "compatibility.json"
#: The venvs and the unzipped downloads: git-ignored, removed by `nox -s clean`. Two runs at
#: once (``--ends oldest`` beside ``--ends newest``) each need their own (COMPAT_WORK).
WORK = Path(os.environ.get("COMPAT_WORK", ROOT / "build" / "compat"))
#: uv's download cache: kept between runs (the torch wheels and their CUDA libraries are
#: gigabytes), and never in the site or the repository's tracked files.
UV_CACHE = ROOT / ".nox" / "compat-cache"
#: The distributions whose versions the report records.
RECORDED = ["torch", "numpy", "matplotlib", *PAGE_PACKAGES, "scipy"]
#: Python versions tried, newest first, for the newest end.
PYTHONS = ["3.14", "3.13", "3.12", "3.11"]
SCRIPT_TIMEOUT = 1200  # seconds; the training pages on one thread take a few minutes


#: Runs one original gallery script in the environment under test (written to a file there).
CHECK_RUNNER = """
import json, sys, traceback, types
script, report = sys.argv[1], sys.argv[2]
sys.path.insert(0, {tools!r})
from hidden_checks import checked_module  # no project import: the helpers come from the wheel
from tutorial_helpers.sphinx_hooks import reset_state

failures = []

def line_in_script(error):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == script]
    return frames[-1].lineno if frames else None

def _compat_record(error, block):
    failures.append({{"line": line_in_script(error), "block": block,
                     "error": f"{{type(error).__name__}}: {{error}}"[:600]}})

source = open(script, encoding="utf-8").read()
# A module of its own as __main__, as sphinx-gallery gives each example: classes the
# script defines are then found by pickle (torch.save of a whole module).
main = types.ModuleType("__main__")
main.__file__ = script
main._compat_record = _compat_record
sys.modules["__main__"] = main
namespace = main.__dict__
sys.argv = [script]
reset_state()  # as sphinx-gallery's reset hook does before every example
try:
    exec(checked_module(source, script), namespace)
except Exception as error:
    failures.append({{"line": line_in_script(error), "block": None, "visible_code": True,
                     "error": f"{{type(error).__name__}}: {{error}}"[:600]}})
with open(report, "w", encoding="utf-8") as file:
    json.dump(failures, file)
"""


# -- Environments ---------------------------------------------------------------------


@dataclass
class End:
    """One end of the tested range, and what ran there."""

    name: str
    date: str = ""
    python: str = ""
    resolution: str = ""
    threads: str = "all"
    versions: dict[str, str] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [p["page"] for p in self.pages if p["result"] != "pass"]


def uv_binary() -> str:
    """uv, from the compat session's environment (beside this Python) or from PATH."""
    beside = Path(sys.executable).parent / "uv"
    return str(beside) if beside.is_file() else shutil.which("uv") or "uv"


def uv(
    *args: str, venv: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(UV_CACHE))}
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
    command = [uv_binary(), *args]
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, env=env, text=True, check=check)


def find_python(versions: Sequence[str]) -> str:
    """The first interpreter that uv finds for ``versions``, newest first."""
    for version in versions:
        found = subprocess.run(
            [uv_binary(), "python", "find", "--system", "--no-python-downloads", version],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    raise SystemExit(f"compat: no Python {' or '.join(versions)} found (uv python find)")


def requires_python() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        spec = tomllib.load(file)["project"]["requires-python"]
    return spec.removeprefix(">=").strip()


def make_environment(end: End, python: str, wheel: Path, torch_index: str | None) -> Path:
    """A fresh venv for ``end`` with the wheel, the pages' packages and a Jupyter kernel."""
    venv = WORK / end.name / "venv"
    if venv.exists():
        shutil.rmtree(venv)
    uv("venv", "--quiet", "--python", python, str(venv))
    oldest = end.name == "oldest"
    resolution = ["--resolution", end.resolution]

    def bound(name: str, minimum: str) -> str:
        return f"{name}>={minimum}" if oldest else name

    # torch first, alone, from its own index when one is given: the rest then keeps it.
    torch_source = ["--index-url", torch_index] if torch_index else []
    uv("pip", "install", *resolution, *torch_source, bound("torch", MINIMUM_VERSIONS["torch"]),
       venv=venv)  # fmt: skip
    packages = [
        str(wheel),
        *(bound(name, minimum) for name, minimum in MINIMUM_VERSIONS.items() if name != "torch"),
        *(bound(name, minimum) for name, minimum in PAGE_PACKAGES.items()),
    ]
    uv("pip", "install", *resolution, *packages, venv=venv)
    # The notebooks' kernel, in a second and ordinary step: it must not move the versions.
    uv("pip", "install", "ipykernel", venv=venv)
    python_bin = venv / "bin" / "python"
    end.python = subprocess.run(
        [str(python_bin), "-c", "import platform; print(platform.python_version())"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    end.versions = installed_versions(python_bin)
    return python_bin


def installed_versions(python: Path) -> dict[str, str]:
    code = (
        "import json, importlib.metadata as m\n"
        f"names = {RECORDED!r}\n"
        "print(json.dumps({n: m.version(n) for n in names}))"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    versions: dict[str, str] = json.loads(out.stdout)
    return versions


# -- Running the downloads -------------------------------------------------------------


def unpack_downloads() -> Path:
    """The site's archive, unzipped: what a reader runs."""
    archive = HTML / "downloads" / "torchlight-code.zip"
    if not archive.is_file():
        raise SystemExit(f"compat: no {archive}: build the site first (nox -s docs)")
    target = WORK / "downloads"
    if target.exists():
        shutil.rmtree(target)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(target)
    return target / "torchlight-code"


def served_wheel() -> Path:
    wheels = sorted((HTML / "downloads").glob("tutorial_helpers-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"compat: the site serves {len(wheels)} helper wheels: {wheels}")
    return wheels[0]


def reader_env(end: End) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(PYTHONHASHSEED="0", MPLBACKEND="Agg")
    env.pop("DISPLAY", None)
    if end.threads == "1":
        env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return env


def page_output(script: Path) -> str | None:
    """What the script's page shows it printing (``None``: the site has no such page)."""
    from bs4 import BeautifulSoup

    page = HTML / "tutorials" / script.parent.name / f"{script.stem}.html"
    if not page.is_file():
        return None
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return "\n".join(pre.get_text() for pre in html.select("div.sphx-glr-script-out pre"))


def run_script(python: Path, script: Path, end: End) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="compat-") as empty:
        started = time.monotonic()
        try:
            run = subprocess.run(
                [str(python), str(script)], cwd=empty, capture_output=True, text=True,
                timeout=SCRIPT_TIMEOUT, env=reader_env(end), check=False,
            )  # fmt: skip
            returncode, stdout, stderr = run.returncode, run.stdout, run.stderr
        except subprocess.TimeoutExpired:
            returncode, stdout, stderr = -1, "", f"timed out after {SCRIPT_TIMEOUT} s"
        seconds = time.monotonic() - started
    shown = page_output(script)
    result: dict[str, Any] = {
        "result": "pass" if returncode == 0 else "fail",
        "seconds": round(seconds, 1),
        "prints_what_the_page_shows": shown is not None and shown.split() == stdout.split(),
    }
    if returncode != 0:
        result["error"] = stderr.strip().splitlines()[-1][:600] if stderr.strip() else "no output"
    return result


def write_kernel_spec(jupyter: Path, python: Path, env: dict[str, str]) -> str:
    """Write a Jupyter kernel that runs ``python``, under ``jupyter``; return its name.

    With ``JUPYTER_PATH`` set to ``jupyter``, nbclient finds it by that name.
    """
    spec = jupyter / "kernels" / "reader"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "reader",
                "language": "python",
                "env": env,
            }
        ),
        encoding="utf-8",
    )
    return spec.name


def run_notebook(python: Path, notebook: Path, end: End) -> dict[str, Any]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory(prefix="compat-") as empty:
        env = {k: v for k, v in reader_env(end).items() if k != "MPLBACKEND"}
        write_kernel_spec(Path(empty) / "jupyter", python, env)
        workdir = Path(empty) / "work"
        workdir.mkdir()
        os.environ["JUPYTER_PATH"] = str(Path(empty) / "jupyter")
        document = nbformat.read(notebook, as_version=4)
        client = NotebookClient(
            document, kernel_name="reader", timeout=SCRIPT_TIMEOUT,
            resources={"metadata": {"path": str(workdir)}},
        )  # fmt: skip
        started = time.monotonic()
        try:
            client.execute()
            result: dict[str, Any] = {"result": "pass"}
        except CellExecutionError as error:
            plain = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # the traceback's colours
            lines = [line for line in plain.splitlines() if line.strip()]
            result = {"result": "fail", "error": (lines[-1] if lines else "")[:600]}
        except Exception as error:  # a kernel that died, a timeout: the page failed
            result = {"result": "fail", "error": f"{type(error).__name__}: {error}"[:600]}
        result["seconds"] = round(time.monotonic() - started, 1)
    return result


def downloads(code: Path) -> Iterator[Path]:
    """Every downloaded script, then every notebook: tutorials' and exercises'."""
    yield from sorted(code.glob("tutorials/*/*.py"))
    yield from sorted(code.glob("tutorials/*/*.ipynb"))
    yield from sorted(code.glob("exercises/*.ipynb"))


def run_end(end: End, python: Path, code: Path, only: set[str] | None = None) -> None:
    for path in downloads(code):
        name = path.relative_to(code).as_posix()
        if only is not None and name not in only:
            continue
        run = run_script if path.suffix == ".py" else run_notebook
        result = {"page": name, **run(python, path, end)}
        end.pages.append(result)
        print(f"compat [{end.name}] {result['result']:4} {result['seconds']:7.1f} s  {name}"
              + (f"\n    {result['error']}" if "error" in result else ""), flush=True)  # fmt: skip


def run_upgrade_checks(
    python: Path, end: End, only: set[str] | None = None
) -> list[dict[str, Any]]:
    """Every hidden check of the original scripts that fails in ``python``'s environment."""
    env = reader_env(end)
    failures = []
    runner = WORK / "check_runner.py"
    runner.write_text(CHECK_RUNNER.format(tools=str(Path(__file__).parent)), encoding="utf-8")
    for script in sorted(GALLERY.glob("*/*.py")):
        page = script.relative_to(GALLERY).as_posix()
        if only is not None and f"tutorials/{page}" not in only:
            continue
        with tempfile.TemporaryDirectory(prefix="compat-") as empty:
            report = Path(empty) / "failures.json"
            work = Path(empty) / "work"
            work.mkdir()
            try:
                subprocess.run(
                    [str(python), str(runner), str(script.resolve()), str(report)], cwd=work,
                    env=env, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT, check=False,
                )  # fmt: skip
                found = (
                    json.loads(report.read_text())
                    if report.is_file()
                    else [{"line": None, "block": None, "error": "the script did not finish"}]
                )
            except subprocess.TimeoutExpired:
                found = [{"line": None, "block": None, "error": f"timed out ({SCRIPT_TIMEOUT} s)"}]
        for failure in found:
            failures.append({"page": f"gallery/{page}", **failure})
        print(f"compat [upgrade] {len(found):3} failing checks  gallery/{page}", flush=True)
    return failures


# -- The report ---------------------------------------------------------------------


def merge_pages(end: End, previous: dict[str, Any] | None) -> None:
    """Put the pages of an earlier run of ``end`` around the ones just run again."""
    if previous is None:  # a report of these pages alone
        return
    if previous["versions"] != end.versions or previous["python"] != end.python:
        raise SystemExit(
            f"compat: the {end.name} end now resolves to {end.versions} (Python {end.python}), "
            f"the report's to {previous['versions']} (Python {previous['python']}): run the "
            "whole end again, without --pages"
        )
    again = {page["page"]: page for page in end.pages}
    end.pages = [again.pop(page["page"], page) for page in previous["pages"]] + list(again.values())
    end.date = max(end.date, previous["date"])


def summary(end: End) -> dict[str, Any]:
    data = asdict(end)
    data["passed"] = sum(p["result"] == "pass" for p in end.pages)
    data["failed"] = len(end.failed)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ends", nargs="+", choices=["oldest", "newest"], default=["oldest", "newest"]
    )
    parser.add_argument(
        "--upgrade",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the original scripts' hidden checks on the newest end",
    )
    parser.add_argument("--newest-python", help="the interpreter of the newest end")
    parser.add_argument("--torch-index", default=os.environ.get("COMPAT_TORCH_INDEX"))
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument(
        "--pages",
        nargs="+",
        help="run only these downloads (as the report names them, e.g. "
        "tutorials/07_training/plot_03_data.py) in fresh environments, and replace their "
        "results in the report; the environments must resolve to the same versions",
    )
    args = parser.parse_args(argv)
    only = set(args.pages) if args.pages else None

    wheel = served_wheel()
    code = unpack_downloads()
    previous = json.loads(args.report.read_text()) if args.report.is_file() else {}
    report: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "command": "nox -s compat",
        "machine": {
            "system": f"{platform.system()} {platform.machine()}",
            "cpus": os.cpu_count(),
            "device": "cpu (TUTORIAL_DEVICE=auto found no accelerator)",
        },
        "wheel": wheel.name,
        "ends": dict(previous.get("ends", {})),
        "upgrade": previous.get("upgrade"),
    }
    for name in args.ends:
        oldest = name == "oldest"
        end = End(
            name,
            resolution="lowest-direct" if oldest else "highest",
            threads="1" if oldest else "all",
        )
        end.date = datetime.date.today().isoformat()
        if name == "oldest":
            python = find_python([requires_python()])
        else:
            python = args.newest_python or find_python(PYTHONS)
        reader_python = make_environment(end, python, wheel, args.torch_index)
        run_end(end, reader_python, code, only)
        if only is not None:
            merge_pages(end, report["ends"].get(name))
        report["ends"][name] = summary(end)
        if name == "newest" and args.upgrade:
            failures = run_upgrade_checks(reader_python, end, only)
            if only is not None and report.get("upgrade"):
                rerun = {f"gallery/{page.removeprefix('tutorials/')}" for page in only}
                kept = [f for f in report["upgrade"]["failing_checks"] if f["page"] not in rerun]
                failures = sorted(kept + failures, key=lambda f: (f["page"], f["line"] or 0))
            report["upgrade"] = {
                "torch": end.versions["torch"],
                "scripts": len(list(GALLERY.glob("*/*.py"))),
                "failing_checks": failures,
            }
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    failed = {name: end["failed"] for name, end in report["ends"].items() if end["failed"]}
    print(f"compat: report written to {args.report}")
    for name, end in report["ends"].items():
        print(f"compat: {name}: {end['passed']} passed, {end['failed']} failed "
              f"(torch {end['versions'].get('torch')}, Python {end['python']})")  # fmt: skip
    if report.get("upgrade"):
        print(f"compat: upgrade: {len(report['upgrade']['failing_checks'])} failing hidden checks "
              f"on torch {report['upgrade']['torch']}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
