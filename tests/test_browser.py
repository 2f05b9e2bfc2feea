"""Every page of the built site, read in a real browser as a reader would read it.

Debian's Chromium, driven by Playwright, loads each page of build/html from a
server on localhost (the ``site_url`` fixture in conftest.py). The pages are
found by walking build/html, so new tutorials, guides and exercises are covered
as they land. Where Chromium or Playwright is missing the tests skip, saying
why; under ``CI=true`` that is a failure.

Each page is loaded once and audited in its light theme at desktop width, then
in its dark theme, then at a phone's width (and, with every folded solution
opened, what scrolls sideways at both widths and how large each figure is
shown); the tests below each check one part of that audit, so a failure names
the page and the property.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from browsing import AXE_JS
from page_speed import site_pages
from PIL import Image
from site_paths import HTML, teaching_pages

from tutorial_helpers.figure_text import read_mark

pytestmark = pytest.mark.browser

#: Every page of the site, Sphinx's own (search, indices) included; not its assets.
PAGES = [str(p.relative_to(HTML)) for p in site_pages(HTML)] or [
    "index.html"  # no site built: the built_site fixture says so
]

#: The pages that teach: every tutorial and every exercise.
TEACHING = [str(p.relative_to(HTML)) for p in teaching_pages()] or [
    "tutorials/01_tensors/plot_01_creating_tensors.html"
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WHITE = "rgb(255, 255, 255)"

#: Serious and critical only: moderate and minor findings are reported by axe as
#: advice, not as barriers.
BLOCKING_IMPACTS = {"serious", "critical"}

#: Each image, once it has loaded. Lazy images are made eager first: a reader who
#: scrolls sees them all.
IMAGES_JS = """async () => Promise.all([...document.images].map(async (img) => {
  img.loading = "eager";
  try { await img.decode(); } catch (error) {}
  return {src: img.getAttribute("src"), width: img.naturalWidth, alt: img.getAttribute("alt")};
}))"""

#: The figures the build drew (sphinx-gallery's, notebook outputs, gallery thumbnails)
#: and the colour behind each: the first opaque background from the image up.
FIGURES_JS = """() => [...document.querySelectorAll(
    "img.sphx-glr-single-img, img.sphx-glr-multi-img, .cell_output img, "
    + ".sphx-glr-thumbcontainer img"
  )].map((img) => {
    let node = img, color = "";
    for (; node; node = node.parentElement) {
      color = getComputedStyle(node).backgroundColor;
      if (color !== "transparent" && !/^rgba\\(.*, 0\\)$/.test(color)) break;
    }
    const style = getComputedStyle(img);
    return {src: img.getAttribute("src"), behind: color, own: style.backgroundColor,
            filter: style.filter};
  })"""

#: Whether the page is wider than the window, and which elements stick out.
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
    .filter((el) => !el.parentElement.closest(".sticking-out"))
    .map((el) => { el.classList.add("sticking-out"); return el; })
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + [...el.classList].filter((c) => c !== "sticking-out")
                 .map((c) => "." + c).join(""));
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide};
}"""


#: Outputs: sphinx-gallery's, the notebooks' cell outputs, the guides' doctest blocks.
OUTPUTS = ".sphx-glr-script-out pre, .cell_output pre, div.highlight-pycon pre"
#: The tutorials' code: sphinx-gallery's code blocks.
TUTORIAL_CODE = "div.highlight-Python pre"
#: The figures the build drew (not the gallery's thumbnails, which link to their page).
FIGURES = "img.sphx-glr-single-img, img.sphx-glr-multi-img, .cell_output img"
#: The smallest text a figure may draw, in CSS pixels, at a phone's width.
SMALLEST_TEXT_PX = 8.0

#: Which boxes scroll sideways: each one's first line and by how much it sticks out.
SIDEWAYS_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => ({
    line: box.innerText.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), ""),
    by: box.scrollWidth - box.clientWidth, width: box.clientWidth}))"""

#: The previous/next links and what of them does not fit: their box, or their title.
PREV_NEXT_JS = """() => {
  const area = document.querySelector(".prev-next-area");
  if (!area) return [];
  const box = area.getBoundingClientRect();
  return [...area.querySelectorAll("a")].map((link) => {
    const rect = link.getBoundingClientRect();
    const title = link.querySelector(".prev-next-title");
    return {title: title ? title.textContent : link.textContent.trim(),
            clipped: link.scrollWidth > link.clientWidth + 1
                     || (title !== null && title.scrollWidth > title.clientWidth + 1),
            outside: rect.left < box.left - 1 || rect.right > box.right + 1};
  });
}"""

#: Each figure as shown: its file, its width on the page and the link around it.
FIGURE_SIZES_JS = """(selector) => [...document.querySelectorAll(selector)].map((img) => ({
  src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
  shown: img.getBoundingClientRect().width,
  link: img.closest("a") ? img.closest("a").getAttribute("href") : null,
  linkClass: img.closest("a") ? img.closest("a").className : null}))"""


def axe_violations(page: Any, axe_source: str, options: str = "{}") -> list[str]:
    """Run axe-core on the page; describe each serious or critical violation."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    results = page.evaluate(f"async () => await axe.run(document, {options})")
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        where = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        more = f" and {len(where) - 5} more" if len(where) > 5 else ""
        found.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}: "
            + "; ".join(where[:5])
            + more
        )
    return found


#: Resolves once the page has drawn two frames (so a change's resize handlers have
#: run and its CSS transitions have started) and every animation that ends has ended.
SETTLE_JS = """async () => {
  for (let frame = 0; frame < 2; frame++) await new Promise(requestAnimationFrame);
  const ending = document.getAnimations().filter(
    (a) => a.effect === null || a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(ending.map((a) => a.finished.catch(() => null)));
}"""


def settle(page: Any) -> None:
    """Wait until the page has finished moving after a change of theme, width or content.

    The theme eases its colours and, after a resize, its navigation column's width
    (CSS transitions): a box measured mid-way is up to 40 px narrower than where
    it ends, and a busy machine measures mid-way after any fixed wait.
    """
    page.evaluate(SETTLE_JS)


class Audit:
    """What a reader's browser met on one page."""

    def __init__(self, browser: Any, url: str, axe_source: str | None) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        context = browser.new_context(viewport=DESKTOP, color_scheme="light")
        try:
            context.route("**/*", self._route)
            page = context.new_page()
            page.on("console", self._console)
            page.on("pageerror", lambda error: self.errors.append(f"uncaught error: {error}"))
            page.on("requestfailed", self._failed)
            page.on("response", self._response)
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")  # fonts, the search index
            self.images = page.evaluate(IMAGES_JS)
            self.theme = {"light": page.evaluate("document.documentElement.dataset.theme")}
            self.axe: dict[str, list[str]] = {}
            if axe_source:
                self.axe["light"] = axe_violations(page, axe_source)
            self.figures = {"light": page.evaluate(FIGURES_JS)}

            # The dark theme changes colours only: the colour rules are what can change.
            page.emulate_media(color_scheme="dark")
            page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
            # Colours ease into the dark theme (CSS transitions): measure where they end.
            settle(page)
            self.theme["dark"] = page.evaluate("document.documentElement.dataset.theme")
            if axe_source:
                self.axe["dark"] = axe_violations(
                    page, axe_source, "{runOnly: ['color-contrast', 'link-in-text-block']}"
                )
            self.figures["dark"] = page.evaluate(FIGURES_JS)

            page.set_viewport_size(PHONE)
            settle(page)
            self.phone = page.evaluate(OVERFLOW_JS)

            # With every folded solution open: what scrolls sideways, at both widths,
            # and how wide each figure is shown on a phone.
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            settle(page)
            self.outputs_sideways = {"phone": page.evaluate(SIDEWAYS_JS, OUTPUTS)}
            self.prev_next = page.evaluate(PREV_NEXT_JS)
            self.figure_sizes = page.evaluate(FIGURE_SIZES_JS, FIGURES)
            page.set_viewport_size(DESKTOP)
            settle(page)
            self.outputs_sideways["desktop"] = page.evaluate(SIDEWAYS_JS, OUTPUTS)
            self.code_sideways = page.evaluate(SIDEWAYS_JS, TUTORIAL_CODE)
        finally:
            context.close()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text} ({message.location.get('url')})")

    def _failed(self, request: Any) -> None:
        if request.url not in self.foreign:
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture(scope="module")
def audit(browser: Any, site_url: str) -> Callable[[str], Audit]:
    """``audit(page)``: the audit of a page, made once and shared by the tests below."""
    done: dict[str, Audit] = {}
    axe_source = AXE_JS.read_text(encoding="utf-8") if AXE_JS.is_file() else None

    def audited(page: str) -> Audit:
        if page not in done:
            done[page] = Audit(browser, site_url + page, axe_source)
        return done[page]

    return audited


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_no_error_and_nothing_from_elsewhere(audit: Any, page: str) -> None:
    result = audit(page)
    assert not result.foreign, f"{page} asks hosts other than this site for {result.foreign}"
    assert not result.errors, f"{page}:\n" + "\n".join(result.errors)


@pytest.mark.parametrize("page", PAGES)
def test_every_image_decodes_and_has_alt_text(audit: Any, page: str) -> None:
    images = audit(page).images
    broken = [image["src"] for image in images if image["width"] == 0]
    assert not broken, f"{page}: images that do not decode: {broken}"
    no_alt = [image["src"] for image in images if not (image["alt"] or "").strip()]
    assert not no_alt, f"{page}: images without alt text: {no_alt}"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violation(
    audit: Any, axe_source: str, page: str, theme: str
) -> None:
    """axe-core: no serious or critical violation, in the light and the dark theme."""
    result = audit(page)  # the axe_source fixture has skipped (or failed) if axe is missing
    assert result.theme[theme] == theme
    assert not result.axe[theme], f"{page} ({theme} theme):\n" + "\n".join(result.axe[theme])


@pytest.mark.parametrize("page", PAGES)
def test_figures_stay_on_white_in_the_dark_theme(audit: Any, page: str) -> None:
    """Figures are drawn on white; in the dark theme they sit on a white card, undimmed."""
    figures = audit(page).figures["dark"]
    dark = [f"{f['src']} on {f['behind']}" for f in figures if f["behind"] != WHITE]
    assert not dark, f"{page}: figures on a background that is not white: {dark}"
    dimmed = [f"{f['src']} ({f['filter']})" for f in figures if f["filter"] != "none"]
    assert not dimmed, f"{page}: figures dimmed by a CSS filter: {dimmed}"


@pytest.mark.parametrize("page", PAGES)
def test_page_fits_a_phone_screen(audit: Any, page: str) -> None:
    """At 390 px nothing scrolls sideways but wide code and tables, inside themselves."""
    phone = audit(page).phone
    assert phone["scroll"] <= phone["client"], (
        f"{page} scrolls sideways at 390 px ({phone['scroll']} > {phone['client']} px); "
        f"sticking out: {phone['wide']}"
    )


def describe_sideways(boxes: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {box['by']} px past its {box['width']} px box: {box['line'][:100]!r}" for box in boxes
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("page", PAGES)
def test_outputs_wrap_inside_their_box(audit: Any, page: str, width: str) -> None:
    """An output or a traceback is read where it is: it wraps, at 1280 px and at 390 px."""
    sideways = audit(page).outputs_sideways[width]
    assert not sideways, f"{page}, at {width} width, outputs scroll sideways:\n" + (
        describe_sideways(sideways)
    )


@pytest.mark.parametrize("page", [p for p in TEACHING if p.startswith("tutorials/")])
def test_tutorial_code_fits_the_column_at_desktop_width(audit: Any, page: str) -> None:
    """The gallery's code (79 columns, gallery/ruff.toml) fits its box at 1280 px."""
    sideways = audit(page).code_sideways
    assert not sideways, f"{page}: code blocks scroll sideways at 1280 px:\n" + (
        describe_sideways(sideways)
    )


@pytest.mark.parametrize("page", PAGES)
def test_previous_and_next_fit_a_phone(audit: Any, page: str) -> None:
    bad = [
        f"{link['title']!r}" + (" is clipped" if link["clipped"] else " sticks out of its box")
        for link in audit(page).prev_next
        if link["clipped"] or link["outside"]
    ]
    assert not bad, f"{page}, at 390 px: previous/next {', '.join(bad)}"


def figure_file(page: str, src: str) -> Path:
    return (HTML / page).parent.joinpath(unquote(urlsplit(src).path)).resolve()


@pytest.mark.parametrize("page", TEACHING)
def test_every_figure_opens_at_full_size(audit: Any, page: str) -> None:
    """Each figure is a link to its largest image file, which the browser shows at full size."""
    figures = audit(page).figure_sizes
    for figure in figures:
        where = f"{page}: figure {figure['src'].rsplit('/', 1)[-1]}"
        assert figure["link"], f"{where} is not a link to its full-size image"
        assert "tl-full-size" in figure["linkClass"].split(), where
        target, shown = figure_file(page, figure["link"]), figure_file(page, figure["src"])
        assert target.is_file(), f"{where} links to {figure['link']}, which does not exist"
        with Image.open(target) as large, Image.open(shown) as small:
            assert large.width >= small.width, f"{where}: its link is to a smaller image"


@pytest.mark.parametrize("page", TEACHING)
def test_figure_text_is_at_least_8_px_on_a_phone(audit: Any, page: str) -> None:
    """No figure draws text smaller than 8 CSS px at 390 px.

    Each figure's PNG says, in its own pixels, the size of the smallest text it
    draws (tutorial_helpers.figure_text, written by the build); the page shows
    the PNG at some width: the text is that size times the shown width over the
    PNG's width.
    """
    too_small = []
    for figure in audit(page).figure_sizes:
        path = figure_file(page, figure["src"])
        mark = read_mark(path)
        name = f"{path.name} ({figure['alt'][:60]!r})"
        assert mark is not None, (
            f"{page}: figure {name} does not say how small its text is: it was not drawn by "
            "this build's scraper or notebook kernel (run `nox -s clean`, then build again)"
        )
        if mark["px"] is None:
            continue  # a figure without text
        with Image.open(path) as image:
            css_px = mark["px"] * figure["shown"] / image.width
        if css_px < SMALLEST_TEXT_PX:
            too_small.append(
                f"{name}: {mark['text']!r} is {css_px:.1f} px ({mark['points']} pt, the image "
                f"{image.width} px shown {figure['shown']:.0f} px wide)"
            )
    assert not too_small, (
        f"{page}, at 390 px, figure text smaller than {SMALLEST_TEXT_PX} px:\n  "
        + "\n  ".join(too_small)
    )


def test_the_white_card_is_the_dark_themes_doing(audit: Any) -> None:
    """A figure gets its white card from the dark theme's CSS, not by accident."""
    result = audit("tutorials/01_tensors/plot_01_creating_tensors.html")
    assert result.figures["dark"], "the tensors page has no figure"
    assert {f["own"] for f in result.figures["dark"]} == {WHITE}
    assert WHITE not in {f["own"] for f in result.figures["light"]}


@pytest.fixture
def open_page(browser: Any, site_url: str) -> Iterator[Callable[..., Any]]:
    """``open_page(path, **context_options)``: a loaded Playwright page, closed after the test."""
    contexts = []

    def opened(path: str, **options: Any) -> Any:
        contexts.append(browser.new_context(**{"viewport": DESKTOP, **options}))
        page = contexts[-1].new_page()
        page.goto(site_url + path, wait_until="load")
        return page

    yield opened
    for context in contexts:
        context.close()


def test_settle_waits_until_the_columns_stop_moving(open_page: Any) -> None:
    """After a phone-to-desktop resize, ``settle`` returns once the columns are where a
    page loaded at desktop width has them (the audit measures code boxes there)."""
    article = "document.querySelector('.bd-article').getBoundingClientRect().width"
    loaded_wide = open_page("tutorials/06_autograd/plot_03_partial_derivatives.html")
    expected = loaded_wide.evaluate(article)
    resized = open_page("tutorials/06_autograd/plot_03_partial_derivatives.html", viewport=PHONE)
    resized.set_viewport_size(DESKTOP)
    settle(resized)
    assert resized.evaluate(article) == pytest.approx(expected, abs=0.5)


def search(open_page: Any, query: str) -> list[str]:
    """The pages the site's search lists for ``query``."""
    page = open_page(f"search.html?q={quote(query)}")
    page.wait_for_function(
        "() => /found|did not match/.test("
        "document.querySelector('#search-results')?.textContent || '')",
        timeout=30_000,
    )
    return page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map((a) => a.getAttribute('href'))"
    )


def test_search_finds_the_tensors_tutorial_for_dtype(open_page: Any) -> None:
    hits = search(open_page, "dtype")
    assert any(hit.startswith("tutorials/01_tensors/plot_") for hit in hits), hits


def test_search_finds_the_autograd_tutorial_for_backward(open_page: Any) -> None:
    hits = search(open_page, "backward")
    assert any(hit.startswith("tutorials/06_autograd/plot_") for hit in hits), hits


def is_overview(hit: str) -> bool:
    """A section index, the landing page or "About this build": pages that name every topic."""
    path = hit.split("#")[0]
    return path == "index.html" or path.endswith("/index.html") or path.startswith("about/")


@pytest.mark.parametrize("query", ["autograd", "device", "tensors"])
def test_search_ranks_the_pages_that_teach_above_indexes_and_about(
    open_page: Any, query: str
) -> None:
    hits = search(open_page, query)
    overviews = [i for i, hit in enumerate(hits) if is_overview(hit)]
    teaching = [i for i, hit in enumerate(hits) if hit.startswith(("tutorials/", "exercises/"))]
    teaching = [i for i in teaching if not is_overview(hits[i])]
    assert teaching, f"no tutorial or exercise found for {query!r}: {hits}"
    assert not overviews or max(teaching) < min(overviews), (
        f"for {query!r}, an index or About page ranks above a tutorial: {hits}"
    )


#: What every executed page starts with, which a search summary must not be.
BOILERPLATE = (
    "Outputs produced by",
    "Download this page:",  # the downloads box's label
    "Run this page yourself",
    "Tutorials Tensors",  # the breadcrumbs
)
#: Under the title of every tutorial and exercise (on a section index, each card has one).
READING_TIME = "min read"


@pytest.mark.parametrize("query", ["tensor", "broadcasting", "gradient"])
def test_search_summaries_show_page_text(open_page: Any, query: str) -> None:
    page = open_page(f"search.html?q={quote(query)}")
    # A page found by its text or title gets a summary; an API object, its description.
    pages_found = "#search-results ul.search li:is(.kind-text, .kind-title)"
    # Sphinx adds the results one at a time, then says "Search finished"; each page's
    # summary arrives later still, fetched from the page.
    page.wait_for_function(
        "() => { const status = document.querySelector('#search-results .search-summary');"
        " if (!/Search finished/.test(status?.textContent || '')) return false;"
        f" const items = document.querySelectorAll({pages_found!r});"
        " return items.length > 0 && [...items].every((li) => li.querySelector('p.context')); }",
        timeout=60_000,
    )
    summaries = page.eval_on_selector_all(
        pages_found,
        "items => items.map((li) => [li.querySelector('a').getAttribute('href'),"
        " li.querySelector('p.context').textContent])",
    )
    bad = [
        f"{href}: {text[:120]!r}"
        for href, text in summaries
        if any(words in text for words in BOILERPLATE)
        or (READING_TIME in text and not is_overview(href))
    ]
    assert not bad, f"search summaries for {query!r} show boilerplate:\n" + "\n".join(bad)
    teaching = [text for href, text in summaries if href.startswith("tutorials/")]
    stem = query.lower()[:7]  # the search matches word stems: "broadcast" for "broadcasting"
    assert any(stem in text.lower() for text in teaching), summaries[:5]


#: What a reader means to run from a block with prompts: the lines that start with
#: a prompt (">>> ", "... ", "$ "), without it; outputs have no prompt and stay behind.
EXPECTED_COPY_JS = """(block) => block.querySelector("pre").innerText.split("\\n")
  .filter((line) => /^(>>>|\\.\\.\\.|\\$) /.test(line))
  .map((line) => line.slice(line.indexOf(" ") + 1))
  .join("\\n")"""


def pages_with_prompts() -> list[str]:
    found = [
        page
        for page in PAGES
        if (HTML / page).is_file() and '<span class="gp">' in (HTML / page).read_text("utf-8")
    ]
    return found or ["reference/devices.html"]


@pytest.mark.parametrize("page", pages_with_prompts())
def test_copy_buttons_copy_code_without_prompts_or_output(open_page: Any, page: str) -> None:
    """Each copy button of a block with prompts puts just the typed code on the clipboard."""
    loaded = open_page(page, permissions=["clipboard-read", "clipboard-write"])
    blocks = loaded.locator("div.highlight:has(span.gp)")
    assert blocks.count(), f"{page} has no code block with prompts"
    for index in range(blocks.count()):
        block = blocks.nth(index)
        block.scroll_into_view_if_needed()
        block.hover()  # the button shows on hover
        block.locator("button.copybtn").click()
        copied = loaded.evaluate("navigator.clipboard.readText()")
        expected = block.evaluate(EXPECTED_COPY_JS)
        assert copied == expected, f"{page}, code block {index + 1} with prompts"
        assert not re.search(r"^(>>>|\.\.\.|\$) ", copied, re.MULTILINE)
