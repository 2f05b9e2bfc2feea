"""The compatibility run: its hidden-check runner, and the report it committed.

``nox -s compat`` itself installs gigabytes and runs for half an hour, so it is
not part of ``nox -s tests``; what it wrote (``docs/about/compatibility.json``)
is checked here against the site: every page covered, both ends passing, the
oldest end at the stated minimums, and the About page, every executed page's
provenance line and the README saying the same.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hidden_checks import checked_module, hidden_ranges
from site_paths import ROOT, teaching_pages

SCRIPT = textwrap.dedent(
    """\
    x = 1
    # sphinx_gallery_start_ignore
    assert x == 2, "first"
    assert False, "never reached: the block stops at its first failure"
    # sphinx_gallery_end_ignore
    y = x + 1
    for i in range(2):
        # sphinx_gallery_start_ignore
        assert i == 0, f"loop {i}"
        # sphinx_gallery_end_ignore
        pass
    # sphinx_gallery_start_ignore
    assert y == 2
    # sphinx_gallery_end_ignore
    print("done", y)
    """
)


def test_hidden_blocks_are_found_by_their_flags() -> None:
    assert hidden_ranges(SCRIPT) == [(2, 5), (8, 10), (12, 14)]


def test_every_failing_check_is_recorded_and_the_script_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    failures: list[tuple[int, str]] = []

    def record(error: Exception, block: int) -> None:
        failures.append((block, str(error)))

    exec(checked_module(SCRIPT, "script.py"), {"_compat_record": record})
    assert failures == [(2, "first"), (8, "loop 1")]
    assert capsys.readouterr().out == "done 2\n"


def test_visible_code_still_raises() -> None:
    code = checked_module(
        "# sphinx_gallery_start_ignore\npass\n# sphinx_gallery_end_ignore\n1 / 0\n", "s.py"
    )
    with pytest.raises(ZeroDivisionError):
        exec(code, {"_compat_record": lambda error, block: None})


# -- The committed report ----------------------------------------------------------------

REPORT = ROOT / "docs" / "about" / "compatibility.json"


def load_report() -> dict:
    assert REPORT.is_file(), f"{REPORT} is missing: run `nox -s compat` and commit it"
    report: dict = json.loads(REPORT.read_text(encoding="utf-8"))
    return report


def test_the_report_covers_every_download_and_both_ends_pass() -> None:
    from site_paths import DOCS, GALLERY

    report = load_report()
    expected = {f"tutorials/{p.parent.name}/{p.stem}{s}" for p in GALLERY.glob("*/*.py")
                for s in (".py", ".ipynb")}  # fmt: skip
    expected |= {
        f"exercises/{p.stem}.ipynb" for p in (DOCS / "exercises").glob("*.md") if p.stem != "index"
    }
    for name in ("oldest", "newest"):
        end = report["ends"][name]
        pages = {page["page"]: page for page in end["pages"]}
        assert set(pages) == expected, (
            f"the {name} end of the report does not cover the site's downloads: "
            f"missing {sorted(expected - set(pages))}: run `nox -s compat`"
        )
        failed = [page for page in end["pages"] if page["result"] != "pass"]
        assert not failed, f"downloads that fail at the {name} end: {failed}"
        assert end["failed"] == 0
        assert end["passed"] == len(expected)


def test_the_oldest_end_ran_the_stated_minimums_on_one_thread() -> None:
    from tutorial_helpers.versions import MINIMUM_VERSIONS, PAGE_PACKAGES

    oldest = load_report()["ends"]["oldest"]
    assert oldest["resolution"] == "lowest-direct"
    assert oldest["threads"] == "1"
    assert oldest["python"].startswith("3.11.")
    for name, minimum in {**MINIMUM_VERSIONS, **PAGE_PACKAGES}.items():
        installed = oldest["versions"][name].split("+")[0]
        padded = ".".join([*minimum.split("."), "0", "0"][:3])
        assert installed == padded, (
            f"the oldest end ran {name} {installed}, the site states {minimum}"
        )


def test_the_newest_end_is_newer_and_the_upgrade_report_ran_there() -> None:
    report = load_report()
    oldest, newest = report["ends"]["oldest"], report["ends"]["newest"]

    def release(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version.split("+")[0].split(".")[:3])

    for name in ("torch", "numpy", "matplotlib"):
        assert release(newest["versions"][name]) > release(oldest["versions"][name]), name
    upgrade = report["upgrade"]
    assert upgrade["torch"] == newest["versions"]["torch"]
    assert upgrade["scripts"] == len(list((ROOT / "gallery").glob("*/*.py")))
    for failure in upgrade["failing_checks"]:
        assert failure["page"].startswith("gallery/")
        assert {"line", "error"} <= failure.keys()


def test_readme_states_what_the_report_says() -> None:
    report = load_report()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert report["date"] in readme
    for name in ("oldest", "newest"):
        assert f"torch {report['ends'][name]['versions']['torch']}" in readme, name
    failing = len(report["upgrade"]["failing_checks"])
    assert f"{failing} failing hidden checks" in readme


@pytest.mark.site
def test_about_page_and_every_executed_page_name_the_tested_range(built_site: Path) -> None:
    from bs4 import BeautifulSoup
    from compat_report import tested_range

    sentence = tested_range(load_report())
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert load_report()["date"] in about
    assert "Upgrade report" in about
    for page in teaching_pages(built_site):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        line = html.select_one("p.tl-provenance")
        assert line is not None, page
        assert sentence in line.get_text(" ", strip=True), page


def test_the_about_section_shows_each_end_and_each_failing_check() -> None:
    from compat_report import report_markdown, tested_range

    def end(torch: str, result: str) -> dict:
        page = {"page": "tutorials/a/plot_x.py", "result": result, "seconds": 1.25}
        if result == "fail":
            page["error"] = "RuntimeError: a | b"
        return {
            "resolution": "highest", "threads": "all", "python": "3.13.0",
            "versions": {"torch": torch, "numpy": "2.5.5", "matplotlib": "3.11.2"},
            "pages": [page], "passed": int(result == "pass"), "failed": int(result == "fail"),
        }  # fmt: skip

    report = {
        "date": "2026-12-01", "command": "nox -s compat", "wheel": "w.whl",
        "machine": {"system": "Linux x86_64", "cpus": 2, "device": "cpu"},
        "ends": {"oldest": end("2.7.0+cu126", "pass"), "newest": end("2.15.0", "fail")},
        "upgrade": {"torch": "2.15.0", "scripts": 30, "failing_checks": [
            {"page": "gallery/a/plot_x.py", "line": 12, "error": "AssertionError: `x`"}]},
    }  # fmt: skip
    assert tested_range(report) == (
        "Downloads tested, with failures, on PyTorch 2.7.0 to 2.15.0 (2026-12-01)."
    )
    text = report_markdown(report)
    assert "| torch | 2.7.0+cu126 | 2.15.0 |" in text
    assert "| a/plot_x.py | pass, 1 s | fail, 1 s: `RuntimeError: a \\| b` |" in text
    assert "| `gallery/a/plot_x.py` | 12 | `AssertionError: 'x'` |" in text
    report["upgrade"]["failing_checks"] = []
    report["ends"]["newest"] = end("2.15.0", "pass")
    assert tested_range(report) == "Downloads tested on PyTorch 2.7.0 to 2.15.0 (2026-12-01)."
    assert "every check of the 30 scripts passes" in report_markdown(report)
