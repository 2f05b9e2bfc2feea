"""Figures are shipped as palette PNGs that look the same and weigh less."""

from __future__ import annotations

import io
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image
from site_paths import CONF

sys.path.insert(0, str(CONF / "_ext"))
from optimized_images import optimized_png


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
