"""A table of how long each executed page took, for the page "About this build".

``{execution-times}`` in a page is replaced, when the site is written, by one
table: every sphinx-gallery example with the time its script ran, and every
executed myst-nb notebook with the time its cells ran. sphinx-gallery caches
an example's last measured time beside it (``<example>.cost.json``), so an
example its MD5 check skipped still shows when it last ran; myst-nb's times
come from its execution records (the cache's, for a notebook it did not
re-run). sphinx-gallery's own timing pages are off in conf.py: they load
scripts from CDNs, and this site works offline.

``{build-versions}`` prints the device and the versions of the packages that
ran the examples: the gallery runs inside the Sphinx process and the notebooks
in a kernel of the same environment, so this process's versions are theirs.

Pages holding either are re-read and re-written on every build, so the times
and versions are never those of an earlier build. (An executed notebook would
not do: myst-nb's cache keys on a notebook's code alone and would go on showing
the versions of the build that first ran it, and re-running it on every build
costs a kernel start-up in every no-op rebuild.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

ENV_KEY = "torchlight_execution_time_pages"


class execution_times(nodes.General, nodes.Element):  # lower case, as docutils names nodes
    """Placeholder for the table, filled once every page has been read."""


class ExecutionTimes(SphinxDirective):
    """``{execution-times}``: the table of execution times of every executed page."""

    def run(self) -> list[nodes.Node]:
        pages: set[str] = getattr(self.env, ENV_KEY, set())
        pages.add(self.env.docname)
        setattr(self.env, ENV_KEY, pages)
        return [execution_times()]


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def gallery_times(app: Sphinx) -> list[tuple[str, float | None]]:
    """``(docname, seconds)`` of every gallery example, in the gallery's order."""
    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    rows = []
    for examples, gallery in zip(
        _as_list(conf["examples_dirs"]), _as_list(conf["gallery_dirs"]), strict=True
    ):
        examples_dir = (srcdir / examples).resolve()
        for script in sorted(examples_dir.rglob("*.py")):
            relative = script.relative_to(examples_dir)
            cost = srcdir / gallery / relative.with_suffix(".cost.json")
            seconds = json.loads(cost.read_text())["time"] if cost.is_file() else None
            rows.append((f"{gallery}/{relative.with_suffix('').as_posix()}", seconds))
    return rows


def notebook_times(env: BuildEnvironment) -> list[tuple[str, float | None]]:
    """``(docname, seconds)`` of every notebook myst-nb executed or took from its cache."""
    from myst_nb.sphinx_ import NbMetadataCollector

    rows = []
    for docname, data in sorted(NbMetadataCollector.get_doc_data(env).items()):
        executed = data.get("exec_data")
        if executed:
            rows.append((docname, executed.get("runtime")))
    return rows


def _cell(*children: nodes.Node) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


def make_table(app: Sphinx, env: BuildEnvironment, parent: str) -> nodes.table:
    table = nodes.table(classes=["colwidths-auto", "tl-execution-times"])
    group = nodes.tgroup(cols=3)
    table += group
    group += [nodes.colspec(colwidth=1) for _ in range(3)]
    head = nodes.thead()
    group += head
    head += nodes.row("", *(_cell(nodes.Text(h)) for h in ["Page", "Kind", "Seconds"]))
    body = nodes.tbody()
    group += body
    total = 0.0
    for kind, rows in [
        ("script", gallery_times(app)),
        ("notebook", notebook_times(env)),
    ]:
        for docname, seconds in rows:
            link = pending_xref(
                "",
                refdoc=parent,
                reftarget="/" + docname,
                reftype="doc",
                refdomain="std",
                refexplicit=False,
                refwarn=True,
            )
            link += nodes.inline(text=docname)
            shown = "not run" if seconds is None else f"{seconds:.2f}"
            total += seconds or 0.0
            body += nodes.row("", _cell(link), _cell(nodes.Text(kind)), _cell(nodes.Text(shown)))
    body += nodes.row(
        "",
        _cell(nodes.strong(text="Total")),
        _cell(nodes.Text("")),
        _cell(nodes.strong(text=f"{total:.2f}")),
    )
    return table


class FillExecutionTimes(SphinxPostTransform):
    default_priority = 8  # before references are resolved (10), so the links resolve

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(execution_times):
            node.replace_self(make_table(self.app, self.env, self.env.docname))


#: The packages whose versions "About this build" lists.
VERSIONED_PACKAGES = (
    "torch",
    "numpy",
    "matplotlib",
    "sphinx",
    "sphinx-gallery",
    "myst-nb",
    "pydata-sphinx-theme",
)


class BuildVersions(SphinxDirective):
    """``{build-versions}``: the device and package versions behind this build's outputs."""

    def run(self) -> list[nodes.Node]:
        from importlib import metadata

        from tutorial_helpers.provenance import collect_provenance

        pages: set[str] = getattr(self.env, ENV_KEY, set())
        pages.add(self.env.docname)
        setattr(self.env, ENV_KEY, pages)
        summary = collect_provenance().summary()
        lines = [f"{name:<20} {metadata.version(name)}" for name in VERSIONED_PACKAGES]
        text = "\n".join(lines)
        return [
            nodes.paragraph(summary, summary),
            nodes.literal_block(text, text, language="text"),
        ]


def always_reread(app: Sphinx, env: BuildEnvironment, *_: object) -> list[str]:
    """The times change on every build: re-read (and so re-write) the pages showing them."""
    return sorted(getattr(env, ENV_KEY, set()))


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, ENV_KEY, set()).discard(docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    setattr(env, ENV_KEY, getattr(env, ENV_KEY, set()) | getattr(other, ENV_KEY, set()))


def setup(app: Sphinx) -> dict[str, object]:
    app.add_node(execution_times)
    app.add_directive("execution-times", ExecutionTimes)
    app.add_directive("build-versions", BuildVersions)
    app.add_post_transform(FillExecutionTimes)
    app.connect("env-get-outdated", always_reread)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
