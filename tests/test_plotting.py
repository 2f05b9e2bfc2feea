"""Tensor drawings: the geometry is checked from the drawn artists, not by eye."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch
from matplotlib.patches import Rectangle

from tutorial_helpers.plotting import MAX_CELLS_PER_SIDE, draw_tensor, draw_tensors


def cells(ax) -> list[tuple[float, float]]:
    return [(p.get_x(), p.get_y()) for p in ax.patches if isinstance(p, Rectangle)]


def test_matrix_cells_are_laid_out_row_major_from_the_top() -> None:
    ax = draw_tensor(torch.tensor([[1, 2, 3], [4, 5, 6]]))
    # Row 0 is drawn on top (y = 1), row 1 below it (y = 0).
    assert cells(ax) == [(0, 1), (1, 1), (2, 1), (0, 0), (1, 0), (2, 0)]
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["1", "2", "3", "4", "5", "6"]
    # Each label sits in the centre of its cell.
    for (x, y), text in zip(cells(ax), ax.texts, strict=True):
        assert text.get_position() == (x + 0.5, y + 0.5)


def test_scalar_and_vector() -> None:
    assert cells(draw_tensor(torch.tensor(3.5))) == [(0, 0)]
    ax = draw_tensor(torch.tensor([1.0, 0.25]))
    assert cells(ax) == [(0, 0), (1, 0)]
    assert [t.get_text() for t in ax.texts] == ["1", "0.25"]
    assert ax.get_title() == "shape (2,)"


def test_three_d_is_drawn_as_labelled_slices() -> None:
    tensor = torch.arange(12).reshape(2, 2, 3)
    ax = draw_tensor(tensor, title="t")
    xs = sorted({x for x, _ in cells(ax)})
    assert len(cells(ax)) == 12
    assert xs == [0, 1, 2, 3.6, 4.6, 5.6]  # two slices, 0.6 cells apart
    texts = [t.get_text() for t in ax.texts]
    assert "[0]" in texts
    assert "[1]" in texts
    assert [t for t in texts if not t.startswith("[")] == [str(i) for i in range(12)]
    assert ax.get_title() == "t\nshape (2, 2, 3)"


def test_shading_follows_values() -> None:
    ax = draw_tensor(torch.tensor([0.0, 5.0, 10.0]))
    darkness = [1 - np.mean(p.get_facecolor()[:3]) for p in ax.patches]
    assert darkness[0] < darkness[1] < darkness[2]


def test_accepts_arrays_bools_and_tensors_that_require_grad() -> None:
    assert len(draw_tensor(np.eye(2)).patches) == 4
    bools = draw_tensor(torch.tensor([True, False]))
    assert [t.get_text() for t in bools.texts] == ["1", "0"]
    weights = torch.ones(2, requires_grad=True) * 2
    assert [t.get_text() for t in draw_tensor(weights).texts] == ["2", "2"]
    assert len(draw_tensor(torch.ones(2, dtype=torch.bfloat16)).patches) == 2


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ([1, 2], TypeError, r"expects a torch.Tensor or a numpy.ndarray, got list"),
        (torch.ones(2, dtype=torch.complex64), TypeError, r"complex tensor .* draw .real"),
        (np.array(["a", "b"]), TypeError, r"must hold numbers"),
        (torch.ones(1, 1, 1, 1), ValueError, r"4-D tensor of shape \(1, 1, 1, 1\): at most 3-D"),
        (torch.ones(0), ValueError, r"empty tensor"),
        (torch.ones(MAX_CELLS_PER_SIDE + 1), ValueError, r"legibly.*Draw a slice"),
    ],
)
def test_bad_input_is_named(bad: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        draw_tensor(bad)  # type: ignore[arg-type]


def test_draw_tensors_one_axes_each_with_matching_widths() -> None:
    fig = draw_tensors({"vector": torch.zeros(4), "3-D": torch.zeros(2, 3, 4)}, suptitle="Shapes")
    assert [ax.get_title().splitlines()[0] for ax in fig.axes] == ["vector", "3-D"]
    assert fig.get_suptitle() == "Shapes"
    ratios = fig.axes[0].get_gridspec().get_width_ratios()
    assert ratios == pytest.approx([4.2, 8.8])
    # Same cell size in every panel: one data unit spans the same pixels.
    fig.canvas.draw()
    scales = [ax.transData.transform((1, 1)) - ax.transData.transform((0, 0)) for ax in fig.axes]
    assert scales[0] == pytest.approx(scales[1], rel=1e-3)
    assert scales[0][0] == pytest.approx(scales[0][1], rel=1e-3)


def test_draw_tensors_names_the_bad_tensor() -> None:
    with pytest.raises(ValueError, match="at least one"):
        draw_tensors({}, suptitle="nothing")
    with pytest.raises(ValueError, match="tensor 'big'"):
        draw_tensors({"ok": torch.ones(2), "big": torch.ones(2, 2, 2, 2)}, suptitle="x")
