"""Re-run exactly the examples whose ``tutorial_helpers`` code changed.

sphinx-gallery decides whether to re-run an example from the MD5 of the script
alone, and myst-nb's cache from a notebook's code cells alone: a change in a
helper module the code imports would leave stale outputs on the site. Before
sphinx-gallery generates the gallery, this extension fingerprints, for every
gallery script and every executed notebook, the source of each helper module
it imports (directly or through other helper modules). When a fingerprint
changed, it deletes that example's MD5 file (or that notebook's cache record),
so exactly those examples execute again and no others.

The modules the build itself runs with every example count as imported by it:
sphinx-gallery's hooks (the state reset before each script, the scraper that
marks its figures) and the notebooks' kernel extension (which marks theirs).
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PACKAGE = "tutorial_helpers"
NOTEBOOK_MARKER = "jupytext:"  # the front matter of a myst-nb text notebook
#: What the build runs with every gallery script (conf.py's reset_modules and
#: image_scrapers) and in every notebook's kernel (conf/jupyter), as if imported.
GALLERY_HOOKS = "import tutorial_helpers.sphinx_hooks"
NOTEBOOK_HOOKS = "import tutorial_helpers.figure_text"


def imported_helper_modules(source: str, package_dir: Path, current: str | None = None) -> set[str]:
    """Return the ``tutorial_helpers`` modules that ``source`` imports, transitively.

    Parameters
    ----------
    source : str
        Python source code.
    package_dir : pathlib.Path
        The directory of the ``tutorial_helpers`` package.
    current : str, optional
        The dotted name of the module ``source`` belongs to, for relative imports.

    Returns
    -------
    set of str
        Dotted module names such as ``{"tutorial_helpers", "tutorial_helpers.devices"}``.
    """
    found: set[str] = set()
    todo = _direct_imports(source, package_dir, current)
    while todo:
        module = todo.pop()
        if module in found:
            continue
        found.add(module)
        path = _module_path(module, package_dir)
        if path is not None:
            todo |= _direct_imports(path.read_text(encoding="utf-8"), package_dir, module)
    return found


def _module_path(module: str, package_dir: Path) -> Path | None:
    parts = module.split(".")[1:]
    candidate = package_dir.joinpath(*parts)
    if candidate.is_dir() and (candidate / "__init__.py").is_file():
        return candidate / "__init__.py"
    if candidate.with_suffix(".py").is_file():
        return candidate.with_suffix(".py")
    return None


def _direct_imports(source: str, package_dir: Path, current: str | None) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level and current:  # relative import inside the package
                anchor = current.split(".")
                if _module_path(current, package_dir) != package_dir / "__init__.py":
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != PACKAGE:
                continue
            names.add(base)
            # `from tutorial_helpers import devices` imports a submodule too.
            names |= {
                f"{base}.{a.name}"
                for a in node.names
                if _module_path(f"{base}.{a.name}", package_dir) is not None
            }
    # Importing a submodule runs its parent packages' __init__ first.
    for name in list(names):
        parts = name.split(".")
        names |= {".".join(parts[:i]) for i in range(1, len(parts))}
    return {n for n in names if _module_path(n, package_dir) is not None}


def fingerprint(modules: Iterable[str], package_dir: Path) -> str:
    """Hash the sources of ``modules`` (order-independent)."""
    digest = hashlib.sha256()
    for module in sorted(modules):
        path = _module_path(module, package_dir)
        assert path is not None
        digest.update(module.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _package_dir() -> Path:
    import tutorial_helpers

    return Path(tutorial_helpers.__file__).parent


def _notebook_code(path: Path) -> str:
    """The code cells of a MyST text notebook, joined.

    A cell's options come first: ``:key: value`` lines, or a YAML block
    between two ``---`` lines; neither is code.
    """
    code, inside, in_options, first = [], False, False, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```{code-cell}"):
            inside, first = True, True
            continue
        if inside and in_options:
            in_options = line.strip() != "---"
        elif inside and first and line.strip() == "---":
            in_options = True
        elif inside and line.startswith("```"):
            inside = False
        elif inside and not (first and line.startswith(":")):
            code.append(line)
            first = False
    return "\n".join(code)


def invalidate_stale_examples(app: Sphinx) -> None:
    package_dir = _package_dir()
    state_file = Path(app.outdir).parent / ".helper-fingerprints.json"
    try:
        previous: dict[str, str] = json.loads(state_file.read_text())
    except (FileNotFoundError, ValueError):
        previous = {}
    current: dict[str, str] = {}
    stale_notebooks: list[Path] = []

    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    for examples, gallery in zip(
        _as_list(conf["examples_dirs"]), _as_list(conf["gallery_dirs"]), strict=True
    ):
        examples_dir = (srcdir / examples).resolve()
        for script in sorted(examples_dir.rglob("*.py")):
            code = script.read_text(encoding="utf-8") + "\n" + GALLERY_HOOKS
            modules = imported_helper_modules(code, package_dir)
            key = f"gallery:{script.relative_to(examples_dir)}"
            current[key] = fingerprint(modules, package_dir)
            if key in previous and previous[key] != current[key]:
                md5 = srcdir / gallery / script.relative_to(examples_dir)
                md5 = md5.with_name(md5.name + ".md5")
                if md5.exists():
                    md5.unlink()
                    logger.info(f"[helpers] {script.name}: a helper it imports changed; re-running")

    for page in sorted(srcdir.rglob("*.md")):
        if not page.read_text(encoding="utf-8").lstrip("-\n").startswith(NOTEBOOK_MARKER):
            continue
        modules = imported_helper_modules(_notebook_code(page) + "\n" + NOTEBOOK_HOOKS, package_dir)
        key = f"notebook:{page.relative_to(srcdir)}"
        current[key] = fingerprint(modules, package_dir)
        if key in previous and previous[key] != current[key]:
            stale_notebooks.append(page)

    if stale_notebooks and app.config.nb_execution_mode == "cache":
        _drop_cache_records(app, stale_notebooks)
    # Sphinx must re-read those pages for myst-nb to execute them again.
    app.helper_stale_notebooks = {  # type: ignore[attr-defined]
        str(p.relative_to(srcdir).with_suffix("")) for p in stale_notebooks
    }
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(current, indent=1, sort_keys=True))


def _drop_cache_records(app: Sphinx, notebooks: list[Path]) -> None:
    from jupyter_cache import get_cache

    cache_path = app.config.nb_execution_cache_path or str(
        Path(app.outdir).parent / ".jupyter_cache"
    )
    if not Path(cache_path).exists():
        return
    cache = get_cache(cache_path)
    wanted = {str(p.resolve()) for p in notebooks}
    for record in cache.list_cache_records():
        if record.uri and str(Path(record.uri).resolve()) in wanted:
            cache.remove_cache(record.pk)
            logger.info(f"[helpers] {record.uri}: a helper it imports changed; re-executing")


def reread_stale_notebooks(app: Sphinx, env: object, *_: object) -> list[str]:
    return sorted(getattr(app, "helper_stale_notebooks", set()))


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def setup(app: Sphinx) -> dict[str, object]:
    # Before sphinx-gallery's own builder-inited handler (priority 500).
    app.connect("builder-inited", invalidate_stale_examples, priority=400)
    app.connect("env-get-outdated", reread_stale_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
