"""How small a figure draws its text, written into the figure's PNG.

A figure is read at the size the page shows it: on a phone, shrunk to the
width of the screen. Text of ``s`` points in a PNG saved at ``dpi`` dots per
inch has an em of ``s * dpi / 72`` image pixels, and a page that shows the
image ``w`` CSS pixels wide, of its ``W`` pixels, draws that text
``s * dpi / 72 * w / W`` CSS pixels tall. :func:`smallest_text` finds the
smallest text a figure really draws (titles, labels, tick labels, legends,
annotations: every string matplotlib renders), and :func:`mark_png` writes it,
in the image's own pixels, into the PNG, where a test of the built site reads
it back (:func:`read_mark`) with the displayed width.

The site's build marks every figure: sphinx-gallery's scraper
(:func:`tutorial_helpers.sphinx_hooks.matplotlib_scraper`) and, in the
notebooks' kernel, the IPython extension this module is
(:func:`load_ipython_extension`). A mark is a PNG text chunk, which changes no
pixel.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from tutorial_helpers.figure_text import smallest_text
>>> fig, ax = plt.subplots()
>>> _ = ax.set_title("loss", fontsize=14)
>>> _ = ax.set_xticks([0, 1], ["a", "b"], fontsize=9)
>>> smallest_text(fig)
DrawnText(points=9.0, text='a')
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "PHONE_COLUMN_PX",
    "PNG_KEY",
    "SITE_FONT_SIZE",
    "SMALLEST_TEXT_PX",
    "DrawnText",
    "legible_width",
    "load_ipython_extension",
    "mark_png",
    "png_dpi",
    "read_mark",
    "smallest_text",
    "use_site_style",
]

#: The keyword of the PNG text chunk that holds the mark.
PNG_KEY = "torchlight:smallest-text"

#: The smallest text, in CSS pixels, that a figure may draw on a phone.
SMALLEST_TEXT_PX = 8.0

#: How wide, in CSS pixels, the site shows a figure on a 390-px phone (the page less
#: its 16-px margins).
PHONE_COLUMN_PX = 358

#: The site's figures draw their text one point larger than matplotlib's 10:
#: a figure of matplotlib's default 6.4 inches then reads 8.5 px on a phone.
SITE_FONT_SIZE = 11.0

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_INCHES_PER_METRE = 39.3701


@dataclass(frozen=True)
class DrawnText:
    """One string a figure draws, and the size of its font in points."""

    points: float
    text: str


def smallest_text(fig: Figure) -> DrawnText | None:
    """The smallest text ``fig`` draws, or None if it draws none.

    The figure is drawn once, as saving it draws it, and every non-blank
    string handed to the renderer counts, with its font size: hidden artists,
    empty labels and tick labels outside the axes' limits are not drawn, so
    they do not count. A string in mathtext counts at its font size.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    DrawnText or None
        The smallest; of equal sizes, the first drawn.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    class TextRecorder(RendererAgg):
        """Draws nothing, and notes the size of every string it is asked to draw."""

        def __init__(self, width: int, height: int, dpi: float) -> None:
            super().__init__(width, height, dpi)  # type: ignore[no-untyped-call]
            self.drawn: list[DrawnText] = []

        def draw_text(  # matplotlib's signature
            self,
            gc: Any,
            x: float,
            y: float,
            s: str,
            prop: Any,
            angle: float,
            ismath: Any = False,
            mtext: Any = None,
        ) -> None:
            if s.strip():
                self.drawn.append(DrawnText(float(prop.get_size_in_points()), s))

        def draw_tex(
            self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, *, mtext: Any = None
        ) -> None:
            self.draw_text(gc, x, y, s, prop, angle)

    width, height = fig.canvas.get_width_height()
    recorder = TextRecorder(width, height, fig.dpi)
    fig.draw(recorder)
    return min(recorder.drawn, key=lambda drawn: drawn.points, default=None)


def legible_width(points: float) -> float:
    """The widest figure, in inches, whose text of ``points`` reads at least 8 px on a phone.

    A figure wider than :data:`PHONE_COLUMN_PX` CSS pixels is shrunk to it, so
    its text of ``points`` is drawn ``points / 72 * PHONE_COLUMN_PX / width``
    pixels tall, whatever its dpi.

    Examples
    --------
    >>> from tutorial_helpers.figure_text import legible_width
    >>> round(legible_width(10), 2), round(legible_width(11), 2)
    (6.22, 6.84)
    """
    return points / 72 * PHONE_COLUMN_PX / SMALLEST_TEXT_PX


def use_site_style() -> None:
    """Set matplotlib's text size to the site's (:data:`SITE_FONT_SIZE`).

    The gallery's reset hook calls it before every example, and the
    notebooks' kernel when it starts; a downloaded script keeps matplotlib's
    own defaults.
    """
    import matplotlib

    matplotlib.rcParams["font.size"] = SITE_FONT_SIZE


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if not png.startswith(_SIGNATURE):
        raise ValueError("Not a PNG image: it does not start with the PNG signature.")
    chunks, at = [], len(_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        chunks.append((kind, png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_dpi(png: bytes) -> float:
    """The resolution matplotlib wrote into a PNG (its ``pHYs`` chunk), in dots per inch.

    Raises
    ------
    ValueError
        If the PNG says nothing of its resolution.
    """
    for kind, data in _chunks(png):
        if kind == b"pHYs":
            per_x, _, unit = struct.unpack(">IIB", data)
            if unit == 1:  # pixels per metre
                return float(per_x) / _INCHES_PER_METRE
    raise ValueError(
        "The PNG does not say its resolution (no pHYs chunk in metres); save it with "
        "Figure.savefig, which writes one."
    )


def mark_png(png: bytes, smallest: DrawnText | None) -> bytes:
    """``png`` with the size of its smallest text, in the image's pixels, in a text chunk.

    Parameters
    ----------
    png : bytes
        A PNG that matplotlib saved of the figure (it gives the resolution).
    smallest : DrawnText or None
        What :func:`smallest_text` found; None for a figure without text.

    Returns
    -------
    bytes
        The same image, the mark (a JSON object: ``px``, ``points``, ``text``)
        before its end; an earlier mark is replaced.

    Examples
    --------
    >>> import io
    >>> import matplotlib.pyplot as plt
    >>> from tutorial_helpers.figure_text import mark_png, read_mark, smallest_text
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> _ = ax.set_title("seven", fontsize=7)
    >>> ax.set_axis_off()
    >>> saved = io.BytesIO()
    >>> fig.savefig(saved, format="png", dpi=144)
    >>> read_mark(mark_png(saved.getvalue(), smallest_text(fig)))
    {'px': 14.0, 'points': 7.0, 'text': 'seven'}
    """
    if smallest is None:
        mark: dict[str, object] = {"px": None, "points": None, "text": None}
    else:
        px = round(smallest.points * png_dpi(png) / 72, 2)
        mark = {"px": px, "points": smallest.points, "text": smallest.text}
    value = json.dumps(mark, ensure_ascii=True)
    text = _chunk(b"tEXt", PNG_KEY.encode("latin-1") + b"\0" + value.encode("latin-1"))
    kept = [
        _chunk(kind, data)
        for kind, data in _chunks(png)
        if kind != b"IEND" and not (kind == b"tEXt" and data.startswith(PNG_KEY.encode() + b"\0"))
    ]
    return _SIGNATURE + b"".join(kept) + text + _chunk(b"IEND", b"")


def read_mark(png: bytes | Path) -> dict[str, Any] | None:
    """The mark :func:`mark_png` wrote into a PNG (given as bytes or a path), or None."""
    data = png.read_bytes() if isinstance(png, Path) else png
    for kind, chunk in _chunks(data):
        if kind == b"tEXt" and chunk.startswith(PNG_KEY.encode() + b"\0"):
            found: dict[str, Any] = json.loads(chunk.split(b"\0", 1)[1].decode("latin-1"))
            return found
    return None


# -- in a notebook's kernel -------------------------------------------------------


def _display_marked_figure(fig: Figure) -> None:
    """Show ``fig`` as the inline backend does, its PNG marked with its smallest text."""
    # IPython is there in a kernel, not where the helpers are type-checked.
    from IPython import get_ipython  # type: ignore[import-not-found,unused-ignore]
    from IPython.display import publish_display_data  # type: ignore[import-not-found,unused-ignore]

    formatters = get_ipython().display_formatter.formatters
    png = formatters["image/png"](fig)  # the inline backend's own, base64 text
    if png is None:
        return  # an empty figure: the inline backend shows nothing either
    raw = base64.b64decode(png) if isinstance(png, str) else png
    marked = mark_png(raw, smallest_text(fig))
    publish_display_data(
        {"image/png": base64.b64encode(marked).decode("ascii"), "text/plain": repr(fig)}
    )


def load_ipython_extension(ipython: Any) -> None:
    """In IPython (a notebook's kernel): every figure shown carries the mark in its PNG.

    The build's notebook kernel loads it (``conf/jupyter``); the downloaded
    notebooks do without. Registered as the figure's own display, the
    inline backend's choice of format and size is kept: only the mark is added.
    It also sets the site's text size (:func:`use_site_style`), as the
    gallery's reset hook does.
    """
    from matplotlib.figure import Figure

    use_site_style()
    ipython.display_formatter.ipython_display_formatter.for_type(Figure, _display_marked_figure)
