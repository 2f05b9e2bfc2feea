"""Serve lighter figures: each PNG the site ships is reduced to a 256-colour palette.

Matplotlib writes 24-bit RGBA PNGs; plots have few distinct colours, so a
palette image (what pngquant does) is typically a third of the size and looks
the same at the size it is shown. An image with real transparency, or one the
palette would not make smaller, is left as it is. Quantizing is deterministic,
so two builds still give identical bytes.

Sphinx copies images into ``_images`` again on later builds, so the optimized
bytes are cached by the hash of the original (``build/.image-cache``): a no-op
rebuild copies, it does not quantize again.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

from PIL import Image
from sphinx.application import Sphinx


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
        out = io.BytesIO()
        palette.save(out, "PNG", optimize=True)
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
    app.connect("build-finished", optimize_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
