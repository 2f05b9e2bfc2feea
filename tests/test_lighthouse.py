"""Lighthouse finds nothing to fix in accessibility, best practices or SEO.

One page of each kind, served by nginx with compression (tests/lighthouse.py),
read by Lighthouse with its default mobile settings. These three categories do
not depend on the machine's speed, so they are tests; performance is measured
by ``nox -s bench``, a benchmark. A failure names the page and the audits that
cost it points.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import skip_or_fail
from lighthouse import (
    MACHINE_INDEPENDENT,
    failing_audits,
    lighthouse,
    missing_tools,
    nginx_serving,
    scores,
)

pytestmark = [pytest.mark.browser, pytest.mark.site]

#: One page of each kind the site has.
PAGES = {
    "landing": "index.html",
    "gallery index": "tutorials/index.html",
    "tutorial": "tutorials/06_autograd/plot_03_partial_derivatives.html",
    "guide": "guides/errors.html",
    "exercise": "exercises/autograd-zeroing.html",
    "API": "reference/plotting.html",
    "About": "about/index.html",
}


@pytest.fixture(scope="module")
def served(built_site: Path) -> Iterator[str]:
    missing = missing_tools()
    if missing:
        skip_or_fail(f"Lighthouse needs {', '.join(missing)}")
    with nginx_serving(built_site) as url:
        yield url


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_lighthouse_scores_100(served: str, page: str, built_site: Path) -> None:
    assert (built_site / page).is_file(), f"no page {page}: update PAGES"
    report = lighthouse(served + page, categories=MACHINE_INDEPENDENT)
    got = scores(report)
    problems = {
        category: failing_audits(report, category)
        for category in MACHINE_INDEPENDENT
        if got.get(category) != 100
    }
    assert not problems, f"{page}: {got}; audits that cost points: {problems}"


@pytest.mark.parametrize("missing", ["no-such-page.html", "tutorials/01_tensors/gone/deep.html"])
def test_a_missing_page_gets_the_404_page_styled_at_any_depth(
    served: str, browser: Any, missing: str
) -> None:
    page = browser.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and r.url != served + missing else None,
    )
    try:
        response = page.goto(served + missing)
        assert response is not None
        assert response.status == 404
        assert page.title().startswith("Page not found")
        # The theme's stylesheet and scripts load from the site's root, however deep.
        rules = page.evaluate(
            "[...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)"
        )
        assert rules > 1000, "the 404 page lost its stylesheets"
        start = page.get_by_role("link", name="start page")
        assert start.get_attribute("href") == "/index.html"
        assert not failed, f"requests that failed from the 404 page: {failed}"
    finally:
        page.close()
