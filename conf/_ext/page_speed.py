"""Fast pages on a slow phone: what the theme and extensions load, trimmed after the fact.

Measured with Lighthouse (``nox -s bench``), the pages were slow to first paint
because of what blocks rendering. This extension, without touching any
package:

- loads every script with ``defer`` (they run in order after the page is
  parsed, before ``DOMContentLoaded``), except ``documentation_options.js``,
  which inline scripts of the theme extend as soon as they run;
- joins the stylesheets a page links (eleven, one of which imports another)
  into one file, in the same order: one request instead of twelve before the
  first paint;
- cuts the theme's icon fonts (Font Awesome, about 240 KB) down to the icons
  the site's pages, styles and scripts can show, and lets text and icons
  paint at once (``font-display: swap`` instead of ``block``).

The search index and search scripts load only on the search page (the
``layout.html`` template); math is MathML (``mathml.py``); images are palette
PNGs, sized, the first fetched first (``images.py``).

:func:`site_pages` says which files of a built site are its pages, for this
pass and for the tests.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

#: Scripts that must run before the theme's inline scripts (they extend its object).
RUN_AT_ONCE = {"_static/documentation_options.js"}


def defer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    scripts = context.get("script_files")
    if not scripts or pagename == "search":
        return  # the search page's own scripts run at once and need these first
    deferred = []
    for script in scripts:
        if (
            isinstance(script, _JavaScript)
            and script.filename
            and str(script.filename) not in RUN_AT_ONCE
            and "async" not in script.attributes
        ):
            attributes = {k: v for k, v in script.attributes.items() if k != "priority"}
            script = _JavaScript(
                script.filename, priority=script.priority, **{**attributes, "defer": "defer"}
            )
        deferred.append(script)
    context["script_files"] = deferred


# -- one stylesheet ----------------------------------------------------------------

_STYLESHEET = re.compile(r'<link\b(?=[^>]*\brel="stylesheet")(?![^>]*\bmedia=)[^>]*>\n?')
_HREF = re.compile(r'\bhref="([^"]+)"')
_IMPORT = re.compile(r'@import\s+(?:url\()?["\']?([^"\')]+)["\']?\)?\s*;')
_URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
#: Where the joined stylesheets go: beside the theme's, so its font URLs stay as they are.
BUNDLE_DIR = "_static/styles"


def inline_css(path: Path, outdir: Path, seen: frozenset[Path] = frozenset()) -> str:
    """``path``'s CSS with its ``@import``s inlined and its URLs made relative to BUNDLE_DIR."""
    css = path.read_text(encoding="utf-8")
    here = path.parent.relative_to(outdir).as_posix()

    def rebase(match: re.Match[str]) -> str:
        quote, url = match.groups()
        if re.match(r"^(data:|[a-z]+:|/|#)", url):
            return match.group()
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(here, url)), BUNDLE_DIR)
        return f"url({quote}{moved}{quote})"

    def include(match: re.Match[str]) -> str:
        target = (path.parent / match.group(1)).resolve()
        if target in seen or not target.is_file():
            return match.group()
        return inline_css(target, outdir, seen | {path})

    return _URL.sub(rebase, _IMPORT.sub(include, css))


_JOINED = re.compile(
    r'<link rel="stylesheet" href="[^"]+" data-joins="([^"]+)" />\n?'
    r'(?:<link rel="preload" href="[^"]+" as="font" type="font/woff2" crossorigin />\n)?'
)
#: The one icon font the pages use (the theme's solid icons), cut to its icons below.
ICON_FONT = "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"


def join_stylesheets(
    html: str, page: Path, outdir: Path, bundles: dict[tuple[str, ...], str]
) -> str:
    """Replace a page's stylesheet links with one link to their concatenation.

    The joined link keeps the list it replaces (``data-joins``), so that a
    later build, which rewrites only the pages whose sources changed, joins
    every page again from the stylesheets as they are then.
    """
    joined = _JOINED.search(html)
    if joined is not None:
        links, hrefs = [joined.group()], joined.group(1).split()
    else:
        links = _STYLESHEET.findall(html)
        found = [_HREF.search(link) for link in links]
        if len(links) < 2 or any(h is None or re.match(r"^(/|[a-z]+:)", h.group(1)) for h in found):
            return html  # nothing to join, a stylesheet from elsewhere, or the 404 page
        hrefs = [h.group(1).split("?")[0] for h in found if h is not None]
    files = [(page.parent / href).resolve() for href in hrefs]
    key = tuple(f.relative_to(outdir).as_posix() for f in files)
    if key not in bundles:
        css = "\n".join(
            f"/* {name} */\n{inline_css(f, outdir)}" for name, f in zip(key, files, strict=True)
        )
        name = f"{BUNDLE_DIR}/site-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        (outdir / name).write_text(css, encoding="utf-8")
        bundles[key] = name
    here = page.parent.relative_to(outdir).as_posix() or "."
    href = posixpath.relpath(bundles[key], here)
    link = f'<link rel="stylesheet" href="{href}" data-joins="{" ".join(hrefs)}" />\n'
    if (outdir / ICON_FONT).is_file():
        # Fetched with the stylesheet, not after it: the icons then paint with the text
        # instead of moving it when the font arrives (a layout shift).
        font = posixpath.relpath(ICON_FONT, here)
        link += f'<link rel="preload" href="{font}" as="font" type="font/woff2" crossorigin />\n'
    result = html.replace(links[0], link, 1)
    for other in links[1:]:
        result = result.replace(other, "", 1)
    return result


# -- icon fonts --------------------------------------------------------------------

_ICON_CLASS = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
#: An icon in a CSS string: escaped (``"\\f019"``) or the character itself (minified CSS).
_CODEPOINT = re.compile(r'"(?:\\([0-9a-f]{4,5})|([\ue000-\uf8ff]))"')
_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")


def used_codepoints(css: str, texts: list[str]) -> set[int]:
    """The icon code points that ``css`` can show for the class names used in ``texts``.

    Every icon written in a rule counts (``--fa: "\\f002"``, the theme's
    ``--pst-icon-download``, a ``content``; escaped or as the character itself),
    except in a rule whose
    selector is a list of plain icon classes (``.fa-search``): that one counts
    when one of its classes appears in a page or script.
    """
    used_classes = {name for text in texts for name in _ICON_CLASS.findall(text)}
    points = set()
    for selectors, body in _RULE.findall(css):
        found = [
            int(escaped, 16) if escaped else ord(char) for escaped, char in _CODEPOINT.findall(body)
        ]
        if not found:
            continue
        names = [s.strip() for s in selectors.split(",")]
        plain = all(re.fullmatch(r"\.fa-[a-z0-9-]+", name) for name in names)
        if not plain or any(name[1:] in used_classes for name in names):
            points.update(found)
    return points


def subset_fonts(outdir: Path, pages: list[str]) -> None:
    """Keep in each Font Awesome font only the icons the site can show; paint text at once.

    ``pages`` are the HTML of the site's pages; its scripts are read here.
    """
    from fontTools import subset  # fonttools (docs group), with brotli for WOFF2

    css_path = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    fonts = sorted((outdir / "_static" / "vendor" / "fontawesome" / "webfonts").glob("*.woff2"))
    if not css_path.is_file() or not fonts:
        return
    css = css_path.read_text(encoding="utf-8")
    texts = pages + [p.read_text(encoding="utf-8") for p in (outdir / "_static").rglob("*.js")]
    points = used_codepoints(css, texts)
    for font_path in fonts:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(io.BytesIO(font_path.read_bytes()), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points & set(font.getBestCmap() or {}))
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
        font_path.write_bytes(buffer.getvalue())
    css_path.write_text(
        _FONT_FACE.sub(
            lambda face: face.group().replace("font-display:block", "font-display:swap"), css
        ),
        encoding="utf-8",
    )


def site_pages(site: Path) -> list[Path]:
    """The pages of the built site ``site``: every ``.html`` file, in path order, but those
    under a folder whose name starts with ``_`` or ``.`` (the theme templates copied with
    the static files, ``_static/*.html``, are not pages).
    """
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0][0] not in "_.")


def finish_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = {page: page.read_text(encoding="utf-8") for page in site_pages(outdir)}
    subset_fonts(outdir, list(pages.values()))  # first: it rewrites the stylesheet joined next
    bundles: dict[tuple[str, ...], str] = {}
    for old in (outdir / BUNDLE_DIR).glob("site-*.css"):
        old.unlink()  # written again below, for every page
    for page, html in pages.items():
        fast = join_stylesheets(html, page, outdir, bundles)
        if fast != html:
            page.write_text(fast, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", defer_scripts, priority=900)  # after the theme's
    # Last: after the theme rewrites pygments.css (its own build-finished handler).
    app.connect("build-finished", finish_pages, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
