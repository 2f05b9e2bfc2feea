"""Images (conf/_ext/images.py): palette PNGs that look the same and weigh less, every one sized."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from bs4 import BeautifulSoup
from images import optimized_png
from page_speed import site_pages
from PIL import Image


def figure_png(transparent: bool = False) -> bytes:
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    x = np.linspace(-2, 2, 200)
    ax.plot(x, x**2, label="x²")
    ax.imshow(np.outer(x, x), extent=(-2, 2, 0, 4), alpha=0.5)
    ax.legend()
    out = io.BytesIO()
    fig.savefig(out, format="png", transparent=transparent)
    return out.getvalue()


def test_a_figure_gets_smaller_and_looks_the_same() -> None:
    original = figure_png()
    smaller = optimized_png(original)
    assert smaller is not None
    assert len(smaller) < 0.7 * len(original)
    before = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"), dtype=float)
    after = np.asarray(Image.open(io.BytesIO(smaller)).convert("RGB"), dtype=float)
    assert before.shape == after.shape
    assert np.abs(before - after).mean() < 2.0  # of 255: invisible at page size


def test_transparency_is_left_alone_and_output_is_deterministic() -> None:
    assert optimized_png(figure_png(transparent=True)) is None
    original = figure_png()
    assert optimized_png(original) == optimized_png(original)


@pytest.mark.slow
def test_every_image_is_sized_and_only_the_first_is_fetched_first(small_site: Path) -> None:
    pages = 0
    for page in site_pages(small_site):
        images = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("img")
        for index, img in enumerate(images):
            with Image.open(page.parent / img["src"]) as file:
                assert (int(img["width"]), int(img["height"])) == file.size, (page, img)
            if index == 0:
                assert img.get("fetchpriority") == "high", (page, img)
                assert "loading" not in img.attrs, (page, img)
            else:
                assert (img.get("loading"), img.get("decoding")) == ("lazy", "async"), (page, img)
        pages += bool(images)
    assert pages >= 3, "the small site's tutorial, notebook and gallery index show images"
