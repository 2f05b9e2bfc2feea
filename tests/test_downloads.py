"""From build/html alone, a reader can run every page: the take-home promise, tested.

A fresh virtual environment plays the reader's machine: it has torch, numpy and
matplotlib (the packages of the environment running these tests, put on its
path by a ``.pth`` line, which does not activate this repository's editable
install) and NOT this repository. Into it goes the wheel the built site
serves, with ``pip install --no-index``: no network. Then, each in an empty
temporary directory:

- every tutorial's downloaded script runs, prints what its page shows, and
  shows every figure its page shows (``plt.show()``, recorded by a stand-in
  for a window backend that closes each figure as a reader would);
- every downloaded notebook, tutorials' and exercises', executes top to bottom
  in a Jupyter kernel of that environment;
- in an exercise notebook run as served, every check says "Not answered yet"
  on the untouched attempt and "Correct!" after the solution; with the
  solution cells taken out (a reader who opens none), every check says "Not
  answered yet" and nothing raises.

And every download (script, notebook, archive) is what the page shows: no
hidden check, no Sphinx role or directive; the notebook's links go where the
page's do; the run box names Python, and every package the page imports.

Each test names the page whose download fails. The site is the one the tests
session built; nothing here rebuilds it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from compat import served_wheel, write_kernel_spec
from notebook_markdown import leftover_markup
from reader_code import HIDDEN_FLAGS, visible_code
from run_box import page_imports, page_requirements, required_python
from site_paths import GALLERY, HTML, ROOT, exercise_pages, tutorial_pages
from test_built_site import OUTPUT_VARIES_BETWEEN_RUNS, soup

pytestmark = pytest.mark.site

EXAMPLE_PAGES = tutorial_pages()
EXERCISE_PAGES = exercise_pages()
GALLERY_SCRIPTS = sorted(GALLERY.glob("*/*.py"))


def page_id(page: Path) -> str:
    return page.relative_to(HTML).as_posix()


def offered(page: Path, suffix: str) -> Path:
    """The file with ``suffix`` that the box at the top of ``page`` offers for download."""
    box = soup(page).select_one("div.tl-take-home")
    assert box is not None, f"{page_id(page)} has no downloads box at the top"
    links = [
        a["href"] for a in box.select("p.tl-downloads a.download") if a["href"].endswith(suffix)
    ]
    assert len(links) == 1, f"{page_id(page)} offers {len(links)} {suffix} downloads: {links}"
    target = (page.parent / unquote(links[0])).resolve()
    assert target.is_file(), f"{page_id(page)} links a {suffix} that is not in the site: {links[0]}"
    return target


def reader_env(**extra: str) -> dict[str, str]:
    """This process's environment, less anything that points back into the repository."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return {**env, "PYTHONHASHSEED": "0", **extra}


@pytest.fixture(scope="session")
def reader_python(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with torch, numpy and matplotlib, and the site's wheel installed."""
    venv = tmp_path_factory.mktemp("reader") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # A bare path line: the directory joins sys.path, but its own .pth files (among them
    # this repository's editable install) are not processed.
    (Path(site_packages) / "reader_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    # --no-deps: torch, numpy and matplotlib are there, but pip would also re-check
    # torch's own requirements against this bare environment. Whether the helpers'
    # requirements are met is what `import tutorial_helpers` itself checks, below.
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--no-cache-dir",
         "--disable-pip-version-check", str(served_wheel())],
        capture_output=True, text=True, timeout=300, env=reader_env(), check=False,
    )  # fmt: skip
    assert install.returncode == 0, f"the served wheel does not install offline:\n{install.stderr}"
    where = subprocess.run(
        [str(python), "-c", "import tutorial_helpers; print(tutorial_helpers.__file__)"],
        capture_output=True, text=True, check=True, cwd=venv, env=reader_env(),
    ).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(venv), f"tutorial_helpers came from {where}, not the wheel"
    return python


@pytest.fixture(scope="session")
def reader_kernel(reader_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Jupyter kernel that runs in the reader's environment."""
    jupyter = tmp_path_factory.mktemp("jupyter")
    name = write_kernel_spec(jupyter, reader_python, {"PYTHONHASHSEED": "0"})
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(jupyter)
    try:
        yield name
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old


def test_every_gallery_script_has_a_page() -> None:
    pages = {f"{p.parent.name}/{p.stem}" for p in EXAMPLE_PAGES}
    scripts = {f"{p.parent.name}/{p.stem}" for p in GALLERY_SCRIPTS}
    assert scripts == pages, f"scripts without a page: {scripts - pages}"


#: A matplotlib backend standing in for a window: ``show()`` records how many figures it
#: showed and closes them, as a reader closing the windows does; at exit it records what
#: was never shown.
SHOW_RECORDER = textwrap.dedent(
    """\
    import atexit, json, os
    import matplotlib.pyplot as plt
    from matplotlib.backend_bases import FigureManagerBase
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvas = FigureCanvasAgg
    FigureManager = FigureManagerBase
    record = {"shows": 0, "figures_shown": 0}

    def show(*args, **kwargs):
        record["shows"] += 1
        record["figures_shown"] += len(plt.get_fignums())
        plt.close("all")

    def write():
        record["never_shown"] = len(plt.get_fignums())
        with open(os.environ["SHOW_RECORD"], "w") as file:
            json.dump(record, file)

    atexit.register(write)
    """
)


def same_code(first: str, second: str) -> bool:
    """Whether two scripts are the same code: their comments and docstrings may differ."""

    def code(text: str) -> str:
        tree = ast.parse(text)
        if tree.body and isinstance(tree.body[0], ast.Expr):
            tree.body = tree.body[1:]  # the docstring: reST on the page, plain in the download
        return ast.dump(tree)

    return code(first) == code(second)


def page_figures(page: Path) -> int:
    return len(soup(page).select("img.sphx-glr-single-img, img.sphx-glr-multi-img"))


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=page_id)
def test_downloaded_script_runs_and_prints_what_the_page_shows(
    page: Path, reader_python: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    script = offered(page, ".py")
    source = GALLERY / page.parent.name / f"{page.stem}.py"
    assert same_code(script.read_text(encoding="utf-8"), visible_code(source.read_text("utf-8"))), (
        f"{page_id(page)}: the download is not the script's visible code"
    )
    backend = tmp_path_factory.mktemp("backend")
    (backend / "show_recorder.py").write_text(SHOW_RECORDER, encoding="utf-8")
    record = backend / "record.json"
    run = subprocess.run(
        [str(reader_python), str(script)],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
        env=reader_env(
            MPLBACKEND="module://show_recorder", PYTHONPATH=str(backend), SHOW_RECORD=str(record)
        ),
    )  # fmt: skip
    assert run.returncode == 0, (
        f"{page_id(page)}: its downloaded script fails on a reader's machine:\n{run.stderr[-3000:]}"
    )
    shown = "\n".join(pre.get_text() for pre in soup(page).select("div.sphx-glr-script-out pre"))
    if page.stem in OUTPUT_VARIES_BETWEEN_RUNS:
        assert shown.strip(), f"{page_id(page)} shows no output"
    else:
        assert shown.split() == run.stdout.split(), (
            f"{page_id(page)} shows output its downloaded script does not print"
        )
    assert not list(tmp_path.iterdir()), f"{page_id(page)}: the script left files behind"
    shown = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    figures = page_figures(page)
    assert shown.get("figures_shown", 0) == figures, (
        f"{page_id(page)} shows {figures} figures; run at home it shows {shown}: "
        "call plt.show() after each figure"
    )
    assert shown.get("never_shown", 0) == 0, f"{page_id(page)}: figures never shown: {shown}"
    if figures:
        assert "plt.show()" in script.read_text(encoding="utf-8")


def execute(
    notebook: nbformat.NotebookNode, page: Path, kernel: str, folder: Path, what: str
) -> None:
    """Run ``notebook`` top to bottom in the reader's kernel; fail naming the page."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(
        notebook, kernel_name=kernel, timeout=600, resources={"metadata": {"path": str(folder)}}
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{page_id(page)}: {what} fails:\n{str(error)[-3000:]}")
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells, f"{page_id(page)}: its notebook has no code"
    assert all(cell.get("execution_count") for cell in code_cells)


@pytest.mark.parametrize("page", EXAMPLE_PAGES + EXERCISE_PAGES, ids=page_id)
def test_downloaded_notebook_executes(page: Path, reader_kernel: str, tmp_path: Path) -> None:
    notebook = nbformat.read(offered(page, ".ipynb"), as_version=4)
    execute(notebook, page, reader_kernel, tmp_path, "its downloaded notebook")
    if page in EXERCISE_PAGES:
        said = check_answers(notebook, page)
        expected = ["Not answered yet.", "Correct!"] * (len(said) // 2)
        assert said == expected, f"{page_id(page)}: the checks answered {said}"


#: A check cell: one call of tutorial_helpers.exercises.check.
CHECK_CELL = re.compile(r'^check\("[a-z-]+", (?:\d+|"further")\b.*\)$')


def check_answers(notebook: nbformat.NotebookNode, page: Path) -> list[str]:
    """The first words of what each check cell of an executed notebook answered."""
    said = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or not CHECK_CELL.match(cell.source.strip()):
            continue
        shown = [
            output["data"]["text/plain"]
            for output in cell.outputs
            if output.get("output_type") == "execute_result"
        ]
        assert len(shown) == 1, f"{page_id(page)}: {cell.source!r} showed {cell.outputs}"
        status = re.match(r"Not answered yet\.|Correct!|Not right yet\.", shown[0])
        assert status, f"{page_id(page)}: {cell.source!r} answered {shown[0]!r}"
        said.append(status[0])
    assert said, f"{page_id(page)}: its notebook has no check"
    return said


@pytest.mark.parametrize("page", EXERCISE_PAGES, ids=page_id)
def test_exercise_notebook_without_its_solutions_says_not_answered(
    page: Path, reader_kernel: str, tmp_path: Path
) -> None:
    """A reader who runs every cell but opens no solution: each check answers, none raises."""
    notebook = nbformat.read(offered(page, ".ipynb"), as_version=4)
    notebook.cells = [
        cell for cell in notebook.cells if "hide-cell" not in cell.metadata.get("tags", [])
    ]
    execute(notebook, page, reader_kernel, tmp_path, "its notebook without the solutions")
    said = check_answers(notebook, page)
    assert set(said) == {"Not answered yet."}, f"{page_id(page)}: the checks answered {said}"


@pytest.mark.parametrize("page", EXERCISE_PAGES, ids=page_id)
def test_exercise_notebook_keeps_its_solutions_folded(page: Path) -> None:
    notebook = nbformat.read(offered(page, ".ipynb"), as_version=4)
    solutions = [cell for cell in notebook.cells if "hide-cell" in cell.metadata.get("tags", [])]
    assert solutions, f"{page_id(page)}: the notebook has no solution cells"
    for cell in solutions:
        assert cell.metadata["jupyter"]["source_hidden"] is True
        assert cell.source.startswith("# Solution"), cell.source[:80]
    text = "\n".join(cell.source for cell in notebook.cells)
    assert not leftover_markup(text), f"{page_id(page)}: MyST markup is left in the notebook"


def test_archive_holds_every_script_notebook_and_the_wheel(built_site: Path) -> None:
    import zipfile

    archive = built_site / "downloads" / "torchlight-code.zip"
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        readme = zipped.read("torchlight-code/README.txt").decode()
    expected = {f"torchlight-code/{served_wheel().name}", "torchlight-code/README.txt"}
    for script in GALLERY_SCRIPTS:
        stem = f"torchlight-code/tutorials/{script.parent.name}/{script.stem}"
        expected |= {f"{stem}.py", f"{stem}.ipynb"}
    expected |= {f"torchlight-code/exercises/{p.stem}.ipynb" for p in EXERCISE_PAGES}
    assert names == expected
    assert f"pip install {served_wheel().name}" in readme
    for page in [*EXAMPLE_PAGES, *EXERCISE_PAGES, built_site / "index.html"]:
        links = [a["href"] for a in soup(page).select("div.tl-take-home a[download]")]
        assert any(link.endswith("downloads/torchlight-code.zip") for link in links), page_id(page)


def test_every_box_installs_the_served_wheel(built_site: Path) -> None:
    wheel = served_wheel()
    for page in [*EXAMPLE_PAGES, *EXERCISE_PAGES, built_site / "index.html"]:
        commands = soup(page).select("div.tl-take-home span.tl-wheel-url")
        assert len(commands) == 1, f"{page_id(page)}: {len(commands)} install commands"
        target = (page.parent / unquote(commands[0]["data-tl-href"])).resolve()
        assert target == wheel.resolve(), f"{page_id(page)} installs {target}"


def test_nothing_of_the_repository_is_needed(reader_python: Path) -> None:
    """The reader's environment finds no file of this checkout but the installed packages."""
    paths = subprocess.run(
        [str(reader_python), "-c", "import sys; print('\\n'.join(sys.path))"],
        capture_output=True, text=True, check=True, env=reader_env(), cwd=reader_python.parent,
    ).stdout.split()  # fmt: skip
    inside = [p for p in paths if Path(p).resolve().is_relative_to(ROOT)]
    assert not [p for p in inside if not Path(p).resolve().is_relative_to(ROOT / ".nox")], paths


# -- What the downloads hold --------------------------------------------------------------


def served_downloads(built_site: Path) -> Iterator[tuple[str, str]]:
    """``(name, text)`` of every script, notebook and README the site serves, zips opened."""
    for path in sorted([*built_site.glob("_downloads/*/*"), *built_site.rglob("downloads/**/*")]):
        name = path.relative_to(built_site).as_posix()
        if path.suffix in {".py", ".ipynb"}:
            yield name, path.read_text(encoding="utf-8")
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as zipped:
                for member in zipped.namelist():
                    if member.endswith((".py", ".ipynb", ".txt")):
                        yield f"{name}:{member}", zipped.read(member).decode()


def notebook_text(text: str) -> tuple[str, str]:
    """The Markdown and the code of a notebook."""
    cells = nbformat.reads(text, as_version=4).cells

    def join(kind: str) -> str:
        return "\n".join(cell.source for cell in cells if cell.cell_type == kind)

    return join("markdown"), join("code")


def test_no_download_holds_a_hidden_check_or_sphinx_markup(built_site: Path) -> None:
    names = []
    for name, text in served_downloads(built_site):
        names.append(name)
        assert not HIDDEN_FLAGS.search(text), f"{name} holds a hidden-check marker"
        assert "sphinx_gallery_" not in text, f"{name} holds a sphinx-gallery setting"
        if name.endswith(".ipynb"):
            markdown, _ = notebook_text(text)
            assert not leftover_markup(markdown), f"{name}: {leftover_markup(markdown)[:5]}"
        else:
            assert not leftover_markup(text), f"{name}: {leftover_markup(text)[:5]}"
    # The page links, sphinx-gallery's per-page zips and the site's archive: three of each.
    scripts = [n for n in names if n.endswith(".py")]
    notebooks = [n for n in names if n.endswith(".ipynb")]
    assert len(scripts) == 3 * len(GALLERY_SCRIPTS), scripts
    assert len(notebooks) == 3 * len(GALLERY_SCRIPTS) + 2 * len(EXERCISE_PAGES), notebooks


def test_notebook_code_is_the_script_code(built_site: Path) -> None:
    """The two downloads of a page are the same code, as the archive's README says."""
    for page in EXAMPLE_PAGES:
        script = offered(page, ".py").read_text(encoding="utf-8")
        position = 0
        for cell in nbformat.read(offered(page, ".ipynb"), as_version=4).cells:
            if cell.cell_type != "code":
                continue
            source = cell.source.strip()
            found = script.find(source, position)
            assert found >= 0, f"{page_id(page)}: a notebook cell is not in the script:\n{source}"
            position = found + len(source)


def test_notebook_links_go_where_the_page_links(built_site: Path) -> None:
    """Every link out of the site in a tutorial's notebook is a link its page has too."""
    for page in EXAMPLE_PAGES:
        markdown, _ = notebook_text(offered(page, ".ipynb").read_text(encoding="utf-8"))
        links = set(re.findall(r"\]\((https?://[^)\s]+)\)", markdown))
        base_url = os.environ.get("TORCHLIGHT_BASE_URL", "").rstrip("/")
        ours = {link for link in links if base_url and link.startswith(f"{base_url}/")}
        for link in ours:  # a page of this site, by its absolute address
            path = link.removeprefix(f"{base_url}/").split("#")[0]
            assert (built_site / path).is_file(), f"{page_id(page)} links {link}: no such page"
        page_links = {a["href"] for a in soup(page).select("a[href]")}
        outside = links - ours
        assert outside <= page_links, f"{page_id(page)}: {sorted(outside - page_links)[:5]}"
        roles = len(re.findall(r"\[`[^`]+`\]\(", markdown))
        if ":func:" in (GALLERY / page.parent.name / f"{page.stem}.py").read_text("utf-8"):
            assert roles, f"{page_id(page)}: its notebook links no API name"


def box_text(page: Path) -> str:
    box = soup(page).select_one("div.tl-take-home details.tl-run-yourself")
    assert box is not None, f"{page_id(page)} has no run box"
    return box.get_text(" ")


@pytest.mark.parametrize("page", EXAMPLE_PAGES + EXERCISE_PAGES, ids=page_id)
def test_run_box_names_python_and_every_package_the_page_imports(page: Path) -> None:
    text = box_text(page)
    python = required_python(ROOT / "pyproject.toml")
    assert python == "3.11"
    assert f"Python {python} or newer" in text
    download = offered(page, ".py" if page in EXAMPLE_PAGES else ".ipynb")
    code = download.read_text(encoding="utf-8")
    if download.suffix == ".ipynb":
        code = notebook_text(code)[1]
    modules = page_imports(code)
    third_party = {m for m in modules if m not in sys.stdlib_module_names} - {"tutorial_helpers"}
    for module in third_party:
        named = {"torch": "PyTorch", "numpy": "NumPy", "matplotlib": "matplotlib"}
        if module in named:
            assert named[module] in text, f"{page_id(page)} imports {module}: not in its box"
    for distribution, minimum in page_requirements(page_id(page), modules):
        assert f'pip install "{distribution}>={minimum}"' in text, (
            f"{page_id(page)} imports {distribution}, which its run box does not install"
        )
    words_of_every_box = [
        "python3 -m venv .venv",
        "source .venv/bin/activate",
        ".venv\\Scripts\\Activate.ps1",
        "TUTORIAL_DEVICE",
        "PyTorch's install page",
    ]
    for words in words_of_every_box:
        assert words in text, f"{page_id(page)}: the run box does not say {words!r}"


def test_training_pages_ask_for_scikit_learn() -> None:
    """The derivation finds what the issue found by hand: three pages import scikit-learn."""
    pages = [p for p in EXAMPLE_PAGES + EXERCISE_PAGES if "scikit-learn" in box_text(p)]
    assert {page_id(p) for p in pages} >= {
        "tutorials/07_training/plot_03_data.html",
        "tutorials/07_training/plot_04_training_loop.html",
        "exercises/training-loop-bugs.html",
    }


def test_archive_readme_says_how_to_run_from_unzipping(built_site: Path) -> None:
    with zipfile.ZipFile(built_site / "downloads" / "torchlight-code.zip") as zipped:
        readme = zipped.read("torchlight-code/README.txt").decode()
    for words in ["Python 3.11 or newer", "unzip torchlight-code.zip", "cd torchlight-code",
                  "python3 -m venv .venv", "Activate.ps1", 'pip install "scikit-learn>=1.5"',
                  "tutorials/07_training/plot_04_training_loop.py", "TUTORIAL_DEVICE",
                  "the same code"]:  # fmt: skip
        assert words in readme, f"the archive's README does not say {words!r}"
