"""Figures light to send and sized before they arrive: everything the site does to its images.

- Every ``<img>`` of a page gets the ``width`` and ``height`` of its file (the
  1x image), so the layout does not jump when figures arrive (CSS keeps them
  fluid). The first image of a page may be what it paints largest, so it is
  fetched first (``fetchpriority="high"``); every other one loads when it nears
  the screen (``loading="lazy"``), not competing with it for bandwidth.
- Matplotlib writes 24-bit RGBA PNGs; plots have few distinct colours, so a
  256-colour palette image (what pngquant does) is typically a third of the
  size and looks the same at the size it is shown. Every PNG the site ships is
  reduced so, unless it has real transparency or the palette would not make it
  smaller. Quantizing is deterministic, so two builds still give identical
  bytes. The image's text chunks are kept: a figure's says how small its text
  is drawn (``tutorial_helpers.figure_text``), which the browser tests read.
  Sphinx copies images into ``_images`` again on later builds, so the
  smaller bytes are cached by the hash of the original (``build/.image-cache``):
  a no-op rebuild copies, it does not quantize again.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

from PIL import Image
from PIL.PngImagePlugin import PngInfo
from sphinx.application import Sphinx

_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]+)"')
SIZED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}


def size_images(html: str, find: Any) -> str:
    """Add ``width``/``height`` to each ``<img>`` of ``html`` whose file ``find(src)`` returns.

    ``find`` maps an ``src`` to the image file on disk, or ``None`` (not a local image).
    """

    def add_size(match: re.Match[str]) -> str:
        tag = match.group()
        source = _SRC.search(tag)
        if " width=" in tag or " height=" in tag or source is None or ":" in source.group(1):
            return tag
        path = find(source.group(1).split("?")[0])
        if path is None or not path.is_file() or path.suffix.lower() not in SIZED_SUFFIXES:
            return tag
        with Image.open(path) as image:
            width, height = image.size
        lazy = ' loading="lazy" decoding="async"' if seen else ' fetchpriority="high"'
        seen.append(path)
        return tag.replace("<img", f'<img width="{width}" height="{height}"{lazy}', 1)

    seen: list[Path] = []
    return _IMG.sub(add_size, html)


def image_file(app: Sphinx, pagename: str, src: str) -> Path | None:
    """The file behind ``src`` on the page ``pagename``, as it is now or will be in the site.

    sphinx-gallery has already copied its figures into the site when a page is
    written; Sphinx copies every other image when the build finishes, so those
    are read where Sphinx copies them from.
    """
    in_site = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), src))
    written = Path(app.outdir) / in_site
    if written.is_file():
        return written
    folder, _, name = in_site.partition("/")
    if folder == app.builder.imagedir:
        sources = {dest: source for source, dest in app.builder.images.items()}
        if name in sources:
            return Path(app.srcdir) / sources[name]
    return None


def size_page_images(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # Every image of a page is in its body (the theme's templates show none).
    if "body" in context:
        context["body"] = size_images(context["body"], lambda src: image_file(app, pagename, src))


def optimized_png(data: bytes) -> bytes | None:
    """The palette version of a PNG, or None when it would not help."""
    with Image.open(io.BytesIO(data)) as image:
        if image.mode == "RGBA" and image.getchannel("A").getextrema() != (255, 255):
            return None  # real transparency: a palette would lose it
        if image.mode not in {"RGB", "RGBA"}:
            return None
        palette = image.convert("RGB").quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        texts = PngInfo()
        for key, value in getattr(image, "text", {}).items():
            texts.add_text(key, value)
        out = io.BytesIO()
        palette.save(out, "PNG", optimize=True, pnginfo=texts)
    smaller = out.getvalue()
    return smaller if len(smaller) < len(data) else None


def optimize_images(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    cache = Path(app.outdir).parent / ".image-cache"
    cache.mkdir(parents=True, exist_ok=True)
    for png in sorted((Path(app.outdir) / "_images").glob("*.png")):
        data = png.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        done = cache / f"{digest}.png"  # optimized version of this original
        kept = cache / f"{digest}.keep"  # this file is already as small as it gets
        if kept.exists():
            continue
        if not done.exists():
            smaller = optimized_png(data)
            if smaller is None:
                kept.touch()
                continue
            done.write_bytes(smaller)
            (cache / f"{hashlib.sha256(smaller).hexdigest()}.keep").touch()
        shutil.copyfile(done, png)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("html-page-context", size_page_images)
    app.connect("build-finished", optimize_images)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
