"""The tested version range, from the committed report of ``nox -s compat``.

``tools/compat.py`` runs every download at both ends of the range the site
states and writes ``docs/about/compatibility.json``. This extension shows it:

- ``{compatibility-report}``: on the About page, the date, the versions at each
  end, the result of every page at each end, and the upgrade report (the
  original scripts' hidden checks that fail on the newest PyTorch);
- ``tested_range`` in ``html_context``, every page's template context: one
  sentence, which the provenance line of each executed page carries. Being a
  setting of the HTML output, it is part of the configuration Sphinx records
  with the built pages (``.buildinfo``), so a new report writes every page again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

REPORT = "about/compatibility.json"  # in the source directory


def load_report(path: Path) -> dict[str, Any] | None:
    """The report; ``None`` before ``nox -s compat`` first wrote one (it builds the site first)."""
    if not path.is_file():
        return None
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for end in ("oldest", "newest"):
        if end not in report.get("ends", {}):
            raise ExtensionError(f"{path} has no {end!r} end: run `nox -s compat`.")
    return report


def _code(text: str) -> str:
    """``text`` as inline code in a Markdown table cell (no backquote or bar can end it)."""
    return "`" + " ".join(str(text).replace("`", "'").split()).replace("|", "\\|") + "`"


def _release(version: str) -> str:
    return version.split("+")[0]


def tested_range(report: dict[str, Any]) -> str:
    """One sentence: ``Downloads tested on PyTorch 2.7.0 to 2.15.0 (2026-12-01).``"""
    oldest, newest = report["ends"]["oldest"], report["ends"]["newest"]
    verdict = "tested" if not (oldest["failed"] or newest["failed"]) else "tested, with failures,"
    return (
        f"Downloads {verdict} on PyTorch {_release(oldest['versions']['torch'])} to "
        f"{_release(newest['versions']['torch'])} ({report['date']})."
    )


def report_markdown(report: dict[str, Any]) -> str:
    """The About page's section, in MyST Markdown."""
    ends = report["ends"]
    names = sorted({name for end in ends.values() for name in end["versions"]}, key=lambda n: (
        ["torch", "numpy", "matplotlib"].index(n) if n in {"torch", "numpy", "matplotlib"} else 3, n
    ))  # fmt: skip
    lines = [
        f"Run on {report['date']} with `{report['command']}` ({report['machine']['system']}, "
        f"{report['machine']['cpus']} CPUs, {report['machine']['device']}), from the wheel "
        f"`{report['wheel']}` and the site's archive, each script and notebook in a fresh "
        "virtual environment, from an empty folder.",
        "",
        "| | oldest | newest |",
        "| --- | --- | --- |",
        f"| how resolved | `{ends['oldest']['resolution']}`, at the stated minimums | "
        f"`{ends['newest']['resolution']}` |",
        f"| CPU threads | {ends['oldest']['threads']} | {ends['newest']['threads']} |",
        f"| Python | {ends['oldest']['python']} | {ends['newest']['python']} |",
    ]
    lines += [
        f"| {name} | {ends['oldest']['versions'].get(name, '')} | "
        f"{ends['newest']['versions'].get(name, '')} |"
        for name in names
    ]
    lines += [
        f"| pages passed | {ends['oldest']['passed']} of {len(ends['oldest']['pages'])} | "
        f"{ends['newest']['passed']} of {len(ends['newest']['pages'])} |",
        "",
        "Each page at each end: whether its download ran to the end, in how many seconds, and "
        "(scripts) whether it printed what its page shows, which at other versions it need "
        "not do to the digit.",
        "",
        # A container the stylesheet knows (torchlight.css): the page names may wrap.
        "```{container} tl-compat",
        "| download | oldest | newest |",
        "| --- | --- | --- |",
    ]
    newest_pages = {page["page"]: page for page in ends["newest"]["pages"]}

    def cell(page: dict[str, Any] | None) -> str:
        if page is None:
            return "not run"
        same = page.get("prints_what_the_page_shows")
        note = "" if same is None else (" (same output)" if same else " (other output)")
        text = f"{page['result']}, {page['seconds']:.0f} s{note}"
        return text + (f": {_code(page['error'])}" if page.get("error") else "")

    for page in ends["oldest"]["pages"]:
        name = page["page"].removeprefix("tutorials/")
        lines.append(f"| {name} | {cell(page)} | {cell(newest_pages.get(page['page']))} |")
    lines.append("```")
    upgrade = report.get("upgrade")
    lines += ["", "### Upgrade report", ""]
    if upgrade is None:
        lines.append("Not run.")
    elif not upgrade["failing_checks"]:
        lines.append(
            f"The original scripts, hidden checks included, on PyTorch {upgrade['torch']}: "
            f"every check of the {upgrade['scripts']} scripts passes. Moving the pin in "
            "`conf/constraints.txt` to that release needs no change to a page's checks."
        )
    else:
        lines += [
            f"The original scripts, hidden checks included, on PyTorch {upgrade['torch']}: "
            f"{len(upgrade['failing_checks'])} checks fail, the work to do before moving the pin:",
            "",
            "| script | line | what failed |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| `{failure['page']}` | {failure['line']} | {_code(failure['error'])} |"
            for failure in upgrade["failing_checks"]
        ]
    return "\n".join(lines) + "\n"


class CompatibilityReport(SphinxDirective):
    """``{compatibility-report}``: the committed report of ``nox -s compat``."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / REPORT
        self.env.note_dependency(str(path))
        report = load_report(path)
        if report is None:
            return self.parse_text_to_nodes("No report yet: `nox -s compat` writes one.\n")
        return self.parse_text_to_nodes(report_markdown(report))


def add_tested_range(app: Sphinx, config: Config) -> None:
    """Read the report once, and give every page its sentence through ``html_context``."""
    report = load_report(Path(app.srcdir) / REPORT)
    config.html_context = {
        **config.html_context,
        "tested_range": tested_range(report) if report else "",
    }


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("compatibility-report", CompatibilityReport)
    app.connect("config-inited", add_tested_range)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
