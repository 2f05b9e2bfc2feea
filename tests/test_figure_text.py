"""tutorial_helpers.figure_text: the smallest text a figure draws, marked in its PNG."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from images import optimized_png
from PIL import Image

from tutorial_helpers.figure_text import (
    PNG_KEY,
    DrawnText,
    load_ipython_extension,
    mark_png,
    png_dpi,
    read_mark,
    smallest_text,
)


def saved(fig: plt.Figure, dpi: float = 100) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, bbox_inches="tight")
    return out.getvalue()


def test_every_kind_of_text_counts() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], label="curve")
    ax.set_title("title", fontsize=20)
    ax.tick_params(labelsize=15)
    ax.set_xlabel("x", fontsize=16)
    ax.set_ylabel("y", fontsize=16)
    assert smallest_text(fig) == DrawnText(15.0, smallest_text(fig).text)
    ax.legend(fontsize=12)
    assert smallest_text(fig) == DrawnText(12.0, "curve")
    ax.annotate("note", (0.5, 0.5), fontsize=11)
    assert smallest_text(fig) == DrawnText(11.0, "note")
    fig.suptitle("all", fontsize=9)
    assert smallest_text(fig) == DrawnText(9.0, "all")


def test_only_drawn_text_counts() -> None:
    """Hidden, blank and out-of-view text draws nothing, so it counts for nothing."""
    fig, ax = plt.subplots()
    ax.set_axis_off()
    ax.set_title("shown", fontsize=12)
    ax.text(0.5, 0.5, "hidden", fontsize=3).set_visible(False)
    ax.text(0.5, 0.5, "   ", fontsize=2)
    ax.set_xlabel("off with the axis", fontsize=4)
    assert smallest_text(fig) == DrawnText(12.0, "shown")


def test_a_figure_without_text_has_none() -> None:
    fig, ax = plt.subplots()
    ax.imshow(np.eye(3))
    ax.set_axis_off()
    assert smallest_text(fig) is None
    assert read_mark(mark_png(saved(fig), None)) == {"px": None, "points": None, "text": None}


def test_lines_of_a_multiline_text_and_mathtext_count_each() -> None:
    fig, ax = plt.subplots()
    ax.set_axis_off()
    ax.text(0, 0, "first\nsecond", fontsize=10)
    ax.text(0, 1, r"$x^2$", fontsize=8)
    assert smallest_text(fig) == DrawnText(8.0, r"$x^2$")


@pytest.mark.parametrize("dpi", [72, 100, 200])
def test_the_mark_is_in_the_images_own_pixels(dpi: int) -> None:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_title("nine", fontsize=9)
    ax.set_axis_off()
    png = saved(fig, dpi)
    assert png_dpi(png) == pytest.approx(dpi, abs=0.01)
    marked = mark_png(png, smallest_text(fig))
    assert read_mark(marked) == {"px": round(9 * dpi / 72, 2), "points": 9.0, "text": "nine"}
    # Not a pixel changes, and marking again replaces the mark.
    with Image.open(io.BytesIO(png)) as before, Image.open(io.BytesIO(marked)) as after:
        assert np.array_equal(np.asarray(before), np.asarray(after))
    again = mark_png(marked, DrawnText(5.0, "five"))
    assert again.count(PNG_KEY.encode()) == 1
    assert read_mark(again)["text"] == "five"


def test_an_unmarked_or_foreign_image_says_so() -> None:
    fig, _ = plt.subplots()
    assert read_mark(saved(fig)) is None
    with pytest.raises(ValueError, match="Not a PNG"):
        read_mark(b"GIF89a")
    no_resolution = io.BytesIO()
    Image.new("RGB", (4, 4)).save(no_resolution, "PNG")
    with pytest.raises(ValueError, match="does not say its resolution"):
        mark_png(no_resolution.getvalue(), DrawnText(10.0, "x"))


def test_the_palette_optimization_keeps_the_mark() -> None:
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(np.linspace(0, 1, 50) ** 2)
    ax.set_title("kept", fontsize=8)
    marked = mark_png(saved(fig), smallest_text(fig))
    smaller = optimized_png(marked)
    assert smaller is not None
    assert read_mark(smaller) == read_mark(marked)


def test_the_ipython_extension_marks_each_figure_a_kernel_shows() -> None:
    """In IPython, with the PNG format the inline backend sets up, a figure shown is marked."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"}, bbox_inches="tight")
        load_ipython_extension(shell)
        published: list[dict[str, object]] = []
        shell.display_pub.publish = lambda data, *args, **kwargs: published.append(data)
        fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
        ax.set_ylabel("label", fontsize=7)
        from IPython.display import display

        display(fig)
        [data] = published
        assert set(data) == {"image/png", "text/plain"}
        png = base64.b64decode(data["image/png"])
        assert read_mark(png) == {"px": round(7 * 100 / 72, 2), "points": 7.0, "text": "label"}
    finally:
        InteractiveShell.clear_instance()
