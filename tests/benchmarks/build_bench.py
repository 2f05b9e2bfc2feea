"""Benchmark the site's builds: ``nox -s bench`` runs this script.

It copies the sources to a scratch directory, so the working tree and its
``build/`` are never touched, and measures there:

* a cold full build, and a cold build with execution off;
* the sum of the examples' own execution times (gallery scripts and notebooks);
* a no-op rebuild;
* a rebuild after editing one gallery script, and after editing one helper
  module, with how many examples each re-executed;
* the doctest session (the doctest builder and the helpers' docstring examples);
* the weight of the heaviest page, as Chromium fetches it on a 2x display (its
  HTML and every image, stylesheet, script and font it loads), and of the site.

Short measurements are repeated and their median reported. The results are
printed as a table and written as JSON (``build/bench.json`` by default).
This is a benchmark, not a test: it asserts nothing about speed, it reports
each target as met or not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The test helpers and the extensions, importable as pytest's `pythonpath` makes them.
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "conf" / "_ext")]

from browsing import CHROMIUM, CHROMIUM_ARGS, serving
from lighthouse import (
    largest_contentful_paint_s,
    lighthouse,
    missing_tools,
    nginx_serving,
    pages,
    scores,
)
from site_paths import SPHINX_OPTIONS

SPHINX = [sys.executable, "-m", "sphinx", "-c", "conf", *SPHINX_OPTIONS]
NO_EXECUTION = ["-D", "plot_gallery=0", "-D", "nb_execution_mode=off"]
MB = 1024 * 1024


# -- running builds -----------------------------------------------------------------


def copy_sources(target: Path) -> None:
    """Copy the files git would commit (tracked and new, not ignored) to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def build(site: Path, builder: str = "html", *extra: str) -> tuple[float, str]:
    """Run one Sphinx build in ``site``; return its wall time and its log."""
    out = "build/html" if builder == "html" else f"build/{builder}"
    start = time.perf_counter()
    result = subprocess.run(
        [*SPHINX, "-b", builder, *extra, "docs", out],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed in {site}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, result.stdout + result.stderr


def clean(site: Path) -> None:
    for path in [site / "build", site / "docs" / "tutorials"]:
        shutil.rmtree(path, ignore_errors=True)


def executed_counts(log: str) -> tuple[int, int]:
    """(gallery scripts, notebooks) that a build's log says were executed."""
    match = re.search(r"Sphinx-Gallery successfully executed (\d+) out of", log)
    scripts = int(match.group(1)) if match else 0
    notebooks = len(re.findall(r"Executed notebook in [\d.]+ seconds", log))
    return scripts, notebooks


def executed_names(site: Path, since: float) -> list[str]:
    """Gallery examples whose MD5 file was written after ``since``: those that ran."""
    tutorials = site / "docs" / "tutorials"
    return sorted(
        md5.name.removesuffix(".py.md5")
        for md5 in tutorials.rglob("*.py.md5")
        if md5.stat().st_mtime >= since
    )


def example_seconds(site: Path) -> tuple[float, float]:
    """Sum of (gallery, notebook) execution times recorded by the last builds."""
    gallery = sum(
        json.loads(cost.read_text())["time"]
        for cost in (site / "docs" / "tutorials").rglob("*.cost.json")
    )
    from jupyter_cache import get_cache

    cache_dir = site / "build" / ".jupyter_cache"
    notebooks = 0.0
    if cache_dir.exists():
        notebooks = sum(
            float(r.data.get("execution_seconds") or 0.0)
            for r in get_cache(str(cache_dir)).list_cache_records()
        )
    return gallery, notebooks


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


# -- page weight ----------------------------------------------------------------------
# Measured in Chromium: what a browser really fetches for a page (the one srcset
# candidate it picks, only the fonts the page uses), at 1x and at 2x pixel density.


def site_weights(html: Path) -> dict[str, object]:
    """Bytes fetched for every page at 1x and 2x, the heaviest page, and the site's size."""
    from playwright.sync_api import sync_playwright

    names = pages(html)
    weights: dict[int, dict[str, int]] = {}
    with serving(html) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for scale in (1, 2):
            weights[scale] = {}
            for name in names:
                # A fresh context per page: an empty cache, as on a first visit.
                context = browser.new_context(
                    device_scale_factor=scale, viewport={"width": 1280, "height": 900}
                )
                page = context.new_page()
                fetched: list[int] = []
                page.on(
                    "requestfinished",
                    lambda r, f=fetched: f.append(r.sizes()["responseBodySize"]),
                )
                page.goto(base + name, wait_until="networkidle")
                # Scroll to the end so lazily loaded images are fetched too.
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                page.wait_for_load_state("networkidle")
                weights[scale][name] = sum(fetched)
                context.close()
        browser.close()
    heaviest = max(pages, key=lambda p: weights[2][p])
    images = [p for p in (html / "_images").glob("*") if p.is_file()]
    thumbs = [p for p in images if "_thumb" in p.name]
    return {
        "heaviest_page": heaviest,
        "heaviest_page_mb": weights[2][heaviest] / MB,
        "heaviest_page_1x_mb": weights[1][heaviest] / MB,
        "median_page_mb": statistics.median(weights[2].values()) / MB,
        # What is served: GitHub Pages' upload leaves out the hidden .doctrees and .buildinfo.
        "site_mb": sum(
            f.stat().st_size
            for f in html.rglob("*")
            if f.is_file() and not any(part.startswith(".") for part in f.relative_to(html).parts)
        )
        / MB,
        "images_mb": sum(p.stat().st_size for p in images) / MB,
        "largest_thumbnail_kb": max((p.stat().st_size for p in thumbs), default=0) / 1024,
        "pages": len(pages),
    }


# -- the benchmark ----------------------------------------------------------------------


def helper_importers(site: Path, module: str) -> list[str]:
    from helper_dependencies import imported_helper_modules

    package = site / "src" / "tutorial_helpers"
    return sorted(
        script.stem
        for script in (site / "gallery").rglob("*.py")
        if module in imported_helper_modules(script.read_text(), package)
    )


def edit_and_rebuild(site: Path, path: Path, runs: int) -> tuple[float, list[str]]:
    """Append a comment to ``path`` and rebuild, ``runs`` times.

    Returns the median rebuild time and the examples that re-executed, which
    must be the same set in every run (else the benchmark stops: it would be
    measuring something else).
    """
    times, executed = [], []
    for i in range(runs):
        with path.open("a") as f:
            f.write(f"\n# benchmark edit {i}\n")
        since = time.time() - 0.01
        times.append(build(site)[0])
        executed.append(executed_names(site, since))
    if any(names != executed[0] for names in executed):
        sys.exit(f"editing {path.name} re-executed different examples each time: {executed}")
    return statistics.median(times), executed[0]


# -- Lighthouse -------------------------------------------------------------------------
# Every page, Lighthouse's default mobile settings (simulated slow 4G, a mid-range
# phone), served by nginx with gzip as a static host serves it (tests/lighthouse.py).

LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def lighthouse_scores(html: Path, limit: int | None = None) -> dict[str, object]:
    """Each page's Lighthouse scores and largest contentful paint."""
    missing = missing_tools()
    if missing:
        print(f"Lighthouse skipped: it needs {', '.join(missing)}", file=sys.stderr)
        return {}
    measured = {}
    with nginx_serving(html) as url:
        for page in pages(html)[:limit]:
            report = lighthouse(url + page, categories=tuple(LIGHTHOUSE_TARGETS))
            measured[page] = {**scores(report), "lcp_s": largest_contentful_paint_s(report)}
            print(f"lighthouse {page}: {measured[page]}", file=sys.stderr)
    return {"lighthouse": measured}


def run(runs: int, helper: str, script: str, lighthouse_pages: int | None) -> dict[str, object]:
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {platform.system()}, "
        f"{len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}",
        "runs_for_medians": runs,
    }
    with tempfile.TemporaryDirectory(prefix="torchlight-bench-") as scratch:
        site = Path(scratch)
        copy_sources(site)
        # The helpers are imported from the scratch copy, so editing one there
        # is what the build sees.
        os.environ["PYTHONPATH"] = f"{site / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"

        clean(site)
        results["cold_no_execution_s"], _ = build(site, "html", *NO_EXECUTION)
        clean(site)
        results["cold_full_s"], log = build(site)
        scripts, notebooks = executed_counts(log)
        gallery_s, notebook_s = example_seconds(site)
        results.update(
            cold_scripts_executed=scripts,
            cold_notebooks_executed=notebooks,
            example_seconds_gallery=gallery_s,
            example_seconds_notebooks=notebook_s,
        )

        results["noop_rebuild_s"] = median_of(runs, lambda: build(site)[0])

        target = next((site / "gallery").rglob(script))
        elapsed, ran = edit_and_rebuild(site, target, runs)
        results.update(
            edit_script=str(target.relative_to(site)),
            edit_script_rebuild_s=elapsed,
            edit_script_reexecuted=ran,
        )

        module_path = site / "src" / "tutorial_helpers" / f"{helper}.py"
        elapsed, ran = edit_and_rebuild(site, module_path, runs)
        results.update(
            edit_helper=str(module_path.relative_to(site)),
            edit_helper_rebuild_s=elapsed,
            edit_helper_reexecuted=ran,
            edit_helper_importers=helper_importers(site, f"tutorial_helpers.{helper}"),
        )

        def doctest_session() -> float:
            start = time.perf_counter()
            build(site, "doctest", *NO_EXECUTION)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "--doctest-modules",
                    "src/tutorial_helpers",
                ],
                cwd=site,
                capture_output=True,
                check=True,
            )
            return time.perf_counter() - start

        results["doctest_session_s"] = median_of(runs, doctest_session)
        results.update(site_weights(site / "build" / "html"))
        if lighthouse_pages != 0:
            results.update(lighthouse_scores(site / "build" / "html", lighthouse_pages))
    return results


def lighthouse_targets(r: dict[str, object]) -> list[tuple[str, str, bool]]:
    measured: dict[str, dict[str, float]] = r.get("lighthouse") or {}  # type: ignore[assignment]
    if not measured:
        return []
    found = []
    for category, target in LIGHTHOUSE_TARGETS.items():
        worst_page = min(measured, key=lambda page: measured[page].get(category, 0))
        worst = measured[worst_page].get(category, 0)
        found.append(
            (
                f"Lighthouse {category} >= {target} on every page: lowest {worst} ({worst_page})",
                f"lighthouse_{category}",
                worst >= target,
            )
        )
    return found


def targets(r: dict[str, object]) -> list[tuple[str, str, bool]]:
    cold, noop = float(r["cold_full_s"]), float(r["noop_rebuild_s"])
    budget = (
        float(r["cold_no_execution_s"])
        + float(r["example_seconds_gallery"])
        + float(r["example_seconds_notebooks"])
    )
    script = Path(str(r["edit_script"])).stem
    return [
        (f"no-op rebuild <= 15% of cold build ({noop / cold:.1%})", "noop", noop <= 0.15 * cold),
        (
            f"editing {script} re-executes exactly it (ran: {r['edit_script_reexecuted']})",
            "script",
            r["edit_script_reexecuted"] == [script],
        ),
        (
            f"editing {r['edit_helper']} re-executes exactly its importers "
            f"({len(r['edit_helper_importers'])}; ran {len(r['edit_helper_reexecuted'])})",
            "helper",
            r["edit_helper_reexecuted"] == r["edit_helper_importers"],
        ),
        (
            f"cold build <= 1.15 x (no-execution build + example times) ({cold / budget:.2f} x)",
            "cold",
            cold <= 1.15 * budget,
        ),
        (
            f"heaviest page <= 1.5 MB ({r['heaviest_page']}: {r['heaviest_page_mb']:.2f} MB)",
            "weight",
            float(r["heaviest_page_mb"]) <= 1.5,
        ),
        *lighthouse_targets(r),
    ]


def report(r: dict[str, object]) -> str:
    rows = [
        ("cold full build", f"{r['cold_full_s']:.1f} s"),
        ("cold build, execution off", f"{r['cold_no_execution_s']:.1f} s"),
        (
            "example execution, gallery",
            f"{r['example_seconds_gallery']:.1f} s ({r['cold_scripts_executed']} scripts)",
        ),
        (
            "example execution, notebooks",
            f"{r['example_seconds_notebooks']:.1f} s ({r['cold_notebooks_executed']} notebooks)",
        ),
        ("no-op rebuild (median)", f"{r['noop_rebuild_s']:.1f} s"),
        (
            "rebuild after editing a script",
            f"{r['edit_script_rebuild_s']:.1f} s, {len(r['edit_script_reexecuted'])} re-executed",
        ),
        (
            "rebuild after editing a helper",
            f"{r['edit_helper_rebuild_s']:.1f} s, {len(r['edit_helper_reexecuted'])} re-executed",
        ),
        ("doctest session (median)", f"{r['doctest_session_s']:.1f} s"),
        (
            "heaviest page, 2x display",
            f"{r['heaviest_page_mb']:.2f} MB ({r['heaviest_page']}; "
            f"{r['heaviest_page_1x_mb']:.2f} MB at 1x)",
        ),
        ("median page, 2x display", f"{r['median_page_mb']:.2f} MB"),
        (
            "whole site",
            f"{r['site_mb']:.1f} MB ({r['pages']} pages, images {r['images_mb']:.1f} MB)",
        ),
        ("largest thumbnail", f"{r['largest_thumbnail_kb']:.0f} KB"),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"Machine: {r['machine']}", ""]
    lines += [f"{k:<{width}}  {v}" for k, v in rows]
    measured = r.get("lighthouse") or {}
    if measured:
        lines += ["", f"Lighthouse, mobile ({len(measured)} pages): performance, accessibility, "
                  "best practices, SEO; largest contentful paint"]  # fmt: skip
        for page, got in measured.items():  # type: ignore[attr-defined]
            row = " ".join(f"{got.get(c, '-'):>3}" for c in LIGHTHOUSE_TARGETS)
            lines.append(f"  {row}  {got['lcp_s']:.1f} s  {page}")
    lines += ["", "Targets:"]
    lines += [f"  [{'met' if ok else 'NOT met'}] {text}" for text, _, ok in targets(r)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repeats of short measurements")
    parser.add_argument("--helper", default="plotting", help="helper module to edit")
    parser.add_argument(
        "--script", default="plot_01_creating_tensors.py", help="gallery script to edit"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument(
        "--lighthouse-pages",
        type=int,
        default=None,
        help="read only the first N pages with Lighthouse (0: none; default: every page)",
    )
    args = parser.parse_args(argv)
    results = run(args.runs, args.helper, args.script, args.lighthouse_pages)
    results["targets"] = {key: ok for _, key, ok in targets(results)}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str))
    print(report(results))
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
