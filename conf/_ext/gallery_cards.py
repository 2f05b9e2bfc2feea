"""The cards of the tutorials' indexes: a picture of each page, a line on it, its reading time.

sphinx-gallery shows each tutorial on its section's index (and on the
tutorials' index) as a card: a thumbnail and the title. This extension adds:

- a one-line description, declared once in the tutorial's script as a
  sphinx-gallery configuration comment (removed from the page and the
  notebook)::

      # sphinx_gallery_card = "Make tensors; read their shape and dtype."

  A tutorial without one fails the build, naming the line to add;
- the page's reading time (``reading_time.py``);
- a real thumbnail for every page. A page with figures shows one of them
  (the first, or the one ``# sphinx_gallery_thumbnail_number = N`` chooses);
  for a page without a figure, where sphinx-gallery would show the same
  placeholder everywhere, this extension draws a card when the site is built:
  the section's name on its colour and the page's title. Drawn with matplotlib
  and saved without a timestamp, it is the same bytes build after build;
  nothing is committed.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import textwrap
from pathlib import Path
from typing import Any

from docutils import nodes
from exercise_path import gallery_sections
from prerequisites import config_comments, where
from reading_time import format_minutes, minutes_of, note_reader
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: ``env`` attribute: each tutorial's one-line description.
DESCRIPTIONS = "tl_card_descriptions"
#: Longer than this, a description no longer reads as one line on a card.
MAX_DESCRIPTION = 70
#: One colour per section, in order; white text on each has a contrast of 7:1 or more.
SECTION_COLOURS = [
    "#0b4f8a",
    "#8a3b00",
    "#1b5e34",
    "#5b3392",
    "#005a5e",
    "#8f1d1d",
    "#5c4a12",
]
THUMB = re.compile(r"/images/thumb/sphx_glr_(?P<stem>.+)_thumb\.(png|svg|gif|jpe?g)$")
TITLE_DIV = re.compile(r'(<div class="sphx-glr-thumbnail-title">.*?</div>)', re.DOTALL)


# -- thumbnails for pages without a figure ------------------------------------------------


def card_png(section: str, colour: str, title: str) -> bytes:
    """A 400 by 280 PNG: the section's name on its colour, the page's title below."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(4, 2.8), dpi=100, facecolor="white")
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 400)
    ax.set_ylim(280, 0)
    ax.set_axis_off()
    ax.add_patch(Rectangle((0, 0), 400, 64, color=colour))
    ax.add_patch(Rectangle((0, 270), 400, 10, color=colour))
    ax.text(24, 32, section, color="white", fontsize=17, fontweight="bold", va="center")
    # The largest size at which the title fits the card, wrapped at words.
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    text = ax.text(24, 167, "", color="#1a1a1a", fontweight="bold", va="center")
    for size, width in itertools.product((21, 19, 17, 15, 13), range(24, 7, -1)):
        text.set_text("\n".join(textwrap.wrap(title, width=width)))
        text.set_fontsize(size)
        text.set_linespacing(1.25)
        box = text.get_window_extent(renderer)
        if box.width <= 400 - 2 * 24 and box.height <= 280 - 64 - 10 - 2 * 16:
            break
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=100, metadata={"Software": None})
    return out.getvalue()


def has_figures(page: Path, stem: str) -> bool:
    """Whether sphinx-gallery's page for ``stem`` shows a figure of its own."""
    return page.is_file() and f"images/sphx_glr_{stem}_0" in page.read_text(encoding="utf-8")


def draw_missing_thumbnails(app: Sphinx) -> None:
    """After sphinx-gallery ran: a drawn card for every page with no figure."""
    if not app.config.sphinx_gallery_conf["plot_gallery"]:
        return  # the examples did not run: no page shows its figures to tell them apart
    titles = {Path(k).resolve(): v for k, v in app.config.sphinx_gallery_conf["titles"].items()}
    for position, section in enumerate(gallery_sections(app)):
        colour = SECTION_COLOURS[position % len(SECTION_COLOURS)]
        target = Path(app.srcdir) / section.index.rpartition("/")[0]
        for script in sorted(section.readme.parent.glob("*.py")):
            if has_figures(target / f"{script.stem}.rst", script.stem):
                continue
            thumb = target / "images" / "thumb" / f"sphx_glr_{script.stem}_thumb.png"
            title = titles.get(script.resolve(), script.stem)
            data = card_png(section.title, colour, title)
            if thumb.parent.is_dir() and (not thumb.is_file() or thumb.read_bytes() != data):
                thumb.write_bytes(data)


# -- the description and the reading time on each card ---------------------------------------


def _descriptions(env: BuildEnvironment) -> dict[str, str]:
    if not hasattr(env, DESCRIPTIONS):
        setattr(env, DESCRIPTIONS, {})
    return getattr(env, DESCRIPTIONS)


def is_gallery_index(app: Sphinx, docname: str) -> bool:
    conf = app.config.sphinx_gallery_conf
    galleries = conf["gallery_dirs"]
    galleries = [galleries] if isinstance(galleries, str) else galleries
    return docname.endswith("/index") and docname.split("/")[0] in galleries


def record(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    if is_gallery_index(app, docname):
        note_reader(env, docname)  # its cards show other pages' times
        return
    script = Path(app.srcdir) / f"{docname}.py"
    if not docname.startswith("tutorials/") or not script.is_file():
        return
    values = config_comments(script.read_text(encoding="utf-8"), "card")
    if not values or not isinstance(values[-1], str) or not values[-1].strip():
        logger.warning(
            "%s: no card description: add one line to the script, "
            '# sphinx_gallery_card = "What the page teaches, in a line."',
            where(app, docname),
        )
        return
    description = values[-1].strip()
    if len(description) > MAX_DESCRIPTION:
        logger.warning(
            "%s: the card description has %d characters; keep it to %d, one line on a card.",
            where(app, docname),
            len(description),
            MAX_DESCRIPTION,
        )
    _descriptions(env)[docname] = description


def forget(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _descriptions(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Any, other: BuildEnvironment) -> None:
    _descriptions(env).update(
        {name: text for name, text in _descriptions(other).items() if name in docnames}
    )


def fill_cards(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not is_gallery_index(app, docname):
        return
    env = app.env
    stem_section: tuple[str, str] | None = None
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.image | nodes.raw))):
        if isinstance(node, nodes.image):
            found = THUMB.search(node.get("uri", ""))
            if found:
                section = node["uri"].lstrip("/").split("/images/thumb/")[0]
                stem_section = (found.group("stem"), section)
            continue
        if stem_section is None or "sphx-glr-thumbnail-title" not in node.astext():
            continue
        stem, section = stem_section
        stem_section = None
        page = f"{section}/{stem}"
        description = html.escape(_descriptions(env).get(page, ""))
        time = format_minutes(minutes_of(env, page)) if page in env.found_docs else ""
        extra = (
            f'<div class="tl-card-description">{description}</div>'
            f'<div class="tl-card-time">{time} read</div>'
        )
        title = TITLE_DIV.search(node.astext())
        if title is None:
            continue
        text = node.astext().replace(title.group(1), title.group(1) + extra, 1)
        node.replace_self(nodes.raw(text, text, format="html"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.setup_extension("reading_time")
    # After sphinx-gallery (500) has run the examples and written their thumbnails.
    app.connect("builder-inited", draw_missing_thumbnails, priority=900)
    app.connect("doctree-read", record)
    app.connect("env-purge-doc", forget)
    app.connect("env-merge-info", merge)
    app.connect("doctree-resolved", fill_cards)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
