"""Tensor drawings: the geometry is checked from the drawn artists, not by eye."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import torch
from matplotlib.patches import Rectangle

from tutorial_helpers.figure_text import PHONE_COLUMN_PX, SMALLEST_TEXT_PX, smallest_text
from tutorial_helpers.plotting import (
    MAX_CELLS_PER_SIDE,
    MAX_FIGURE_WIDTH,
    MAX_STORAGE_CELLS,
    draw_broadcast,
    draw_strided_view,
    draw_tensor,
    draw_tensors,
)


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
    # Each panel spans its drawing's width of grid columns (a tenth of a cell each).
    spans = [len(ax.get_subplotspec().colspan) / 10 for ax in fig.axes]
    assert spans == pytest.approx([4.2, 8.8])
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


# -- draw_broadcast -------------------------------------------------------------


def hatched(ax) -> list[bool]:
    return [bool(p.get_hatch()) for p in ax.patches if isinstance(p, Rectangle)]


def test_broadcast_draws_operands_stretched_copies_and_result() -> None:
    column = torch.tensor([[0], [10], [20]])
    row = torch.tensor([1, 2, 3, 4])
    fig = draw_broadcast(column, row)
    stored_a, stored_b, shapes, stretched_a, stretched_b, result = fig.axes
    assert [ax.get_title() for ax in fig.axes] == [
        "a as stored\nshape (3, 1)",
        "b as stored\nshape (4,)",
        "shapes, aligned from the right",
        "a stretched\nshape (3, 4)",
        "b stretched\nshape (3, 4)",
        "a + b\nshape (3, 4)",
    ]
    assert fig.get_suptitle() == "Broadcasting a + b: shapes (3, 1) and (4,) give (3, 4)"
    assert cells(stored_a) == [(0, 2), (0, 1), (0, 0)]
    assert len(cells(stored_b)) == 4
    # The result is what PyTorch computes, row-major from the top.
    assert [t.get_text() for t in result.texts] == [
        str(v) for v in (column + row).flatten().tolist()
    ]
    # Stretched a repeats its column: only column 0 is stored, the rest is hatched.
    assert [t.get_text() for t in stretched_a.texts] == ["0"] * 4 + ["10"] * 4 + ["20"] * 4
    assert hatched(stretched_a) == [c != 0 for _ in range(3) for c in range(4)]
    # Stretched b repeats its row: only row 0 is stored.
    assert hatched(stretched_b) == [r != 0 for r in range(3) for _ in range(4)]
    assert not any(hatched(stored_a))
    assert not any(hatched(result))
    # The aligned shapes line up the last dimension of every operand.
    lines = shapes.texts[0].get_text().splitlines()
    assert [line[-1] for line in lines[1:]] == ["1", "4", "4"]
    assert len({len(line) for line in lines}) == 1


def test_broadcast_panels_share_one_cell_size() -> None:
    fig = draw_broadcast(torch.ones(2, 1), torch.arange(5.0), op="*")
    fig.canvas.draw()
    drawn = [ax for i, ax in enumerate(fig.axes) if i != 2]
    scales = [ax.transData.transform((1, 1)) - ax.transData.transform((0, 0)) for ax in drawn]
    for scale in scales:
        assert scale == pytest.approx(scales[0], rel=1e-3)
    assert scales[0][0] == pytest.approx(scales[0][1], rel=1e-3)


def test_broadcast_scalar_and_arrays_and_operations() -> None:
    fig = draw_broadcast(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array(2.0), op="/")
    assert [t.get_text() for t in fig.axes[5].texts] == ["0.5", "1", "1.5", "2"]
    assert sum(hatched(fig.axes[4])) == 3  # one stored value, three repeats
    fig = draw_broadcast(torch.tensor([5]), torch.tensor([[1], [2]]), op="-", names=("x", "y"))
    assert [t.get_text() for t in fig.axes[5].texts] == ["4", "3"]
    assert fig.axes[5].get_title() == "x - y\nshape (2, 1)"
    # Colours of both operands come from one scale: equal values, equal colours.
    fig = draw_broadcast(torch.tensor([[3]]), torch.tensor([3, 9]))
    a_colour = fig.axes[0].patches[0].get_facecolor()
    b_colour = fig.axes[1].patches[0].get_facecolor()
    assert a_colour == pytest.approx(b_colour)


@pytest.mark.parametrize(
    ("left", "right", "kwargs", "message"),
    [
        (
            torch.ones(2, 3),
            torch.ones(2),
            {},
            r"Cannot broadcast a of shape \(2, 3\) with b of shape \(2,\): aligned from the right, "
            r"dimension -1 has sizes 3 and 2.*t\[:, None\]",
        ),
        (torch.ones(2), torch.ones(2), {"op": "@"}, r"Unknown operation '@'; use one of '\+'"),
        (torch.ones(2), torch.ones(2), {"names": ("a",)}, r"names must be a tuple of two strings"),
        (torch.ones(2), torch.ones(2), {"names": "ab"}, r"names must be a tuple of two strings"),
        (torch.ones(7, 1), torch.ones(13), {}, r"tensor 'b' of shape \(13,\) legibly"),
        (torch.ones(12, 1), torch.ones(12), {}, None),
        (torch.ones(1, 1, 1, 1), torch.ones(1), {}, r"tensor 'a'.*at most 3-D"),
    ],
)
def test_broadcast_bad_input_is_named(left, right, kwargs, message) -> None:
    if message is None:  # the largest drawable result still draws
        assert len(draw_broadcast(left, right, **kwargs).axes) == 6
        return
    with pytest.raises(ValueError, match=message):
        draw_broadcast(left, right, **kwargs)


def test_broadcast_rejects_non_tensors() -> None:
    with pytest.raises(TypeError, match="got list"):
        draw_broadcast([1, 2], torch.ones(2))  # type: ignore[arg-type]


def test_draw_tensors_panels_are_at_least_as_wide_as_their_titles() -> None:
    long_name = "matrix[0, :, None]"
    fig = draw_tensors({long_name: torch.zeros(4, 1), "v": torch.zeros(2)}, suptitle="titles")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer)
        box = ax.get_window_extent(renderer)
        assert title.x0 >= box.x0 - 1
        assert title.x1 <= box.x1 + 1
        assert title.x1 <= fig.bbox.x1


def test_draw_tensors_share_one_colour_scale() -> None:
    fig = draw_tensors(
        {"low": torch.tensor([1, 2]), "high": torch.tensor([2, 9])}, suptitle="one scale"
    )
    low, high = fig.axes
    # The 2 in each panel has the same colour; 1 is lightest and 9 darkest overall.
    assert low.patches[1].get_facecolor() == pytest.approx(high.patches[0].get_facecolor())
    darkness = [1 - np.mean(p.get_facecolor()[:3]) for ax in fig.axes for p in ax.patches]
    assert darkness[0] == min(darkness)
    assert darkness[-1] == max(darkness)


def test_draw_tensor_value_range_fixes_the_shading() -> None:
    alone = draw_tensor(torch.tensor([5.0]))
    scaled = draw_tensor(torch.tensor([5.0]), value_range=(0.0, 10.0))
    assert alone.patches[0].get_facecolor() != pytest.approx(scaled.patches[0].get_facecolor())
    middle = draw_tensor(torch.tensor([0.0, 5.0, 10.0])).patches[1].get_facecolor()
    assert scaled.patches[0].get_facecolor() == pytest.approx(middle)


@pytest.mark.parametrize(
    "tensors",
    [
        {"matrix": torch.zeros(3, 4), "reshape(4, 3)": torch.zeros(4, 3)},
        {"scalar": torch.tensor(7), "vector": torch.zeros(4), "matrix": torch.zeros(3, 4)},
        {"3-D": torch.zeros(3, 2, 2)},
        {"long": torch.zeros(12)},
    ],
)
def test_suptitle_stays_clear_of_the_panel_titles(tensors) -> None:
    fig = draw_tensors(tensors, suptitle="A figure title")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    suptitle = fig.get_suptitle()
    assert suptitle
    bottom_of_suptitle = fig._suptitle.get_window_extent(renderer).y0
    for ax in fig.axes:
        assert ax.title.get_window_extent(renderer).y1 < bottom_of_suptitle


def test_broadcast_suptitle_stays_clear_of_the_panel_titles() -> None:
    for left, right in [(torch.ones(3, 1), torch.ones(4)), (torch.ones(5, 1), torch.ones(2))]:
        fig = draw_broadcast(left, right)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        bottom_of_suptitle = fig._suptitle.get_window_extent(renderer).y0
        for ax in fig.axes:
            assert ax.title.get_window_extent(renderer).y1 < bottom_of_suptitle - 5


# -- draw_strided_view ------------------------------------------------------------


def storage_cells(ax) -> list[tuple[str, bool]]:
    """(value label, read by the view) for each storage cell, left to right."""
    patches = [p for p in ax.patches if isinstance(p, Rectangle)]
    values = [t for t in ax.texts if t.get_fontsize() == 11]
    return [
        (text.get_text(), patch.get_linestyle() == "-")
        for patch, text in zip(patches, values, strict=True)
    ]


def corner_indices(ax) -> list[int]:
    """The storage index written in the corner of each cell of the view, row by row."""
    return [int(t.get_text()) for t in ax.texts if t.get_bbox_patch() is not None]


MATRIX = torch.tensor([[10, 11, 12], [13, 14, 15]])


def test_strided_view_of_a_contiguous_matrix_reads_its_storage_in_order() -> None:
    fig = draw_strided_view(MATRIX, name="matrix")
    storage, view = fig.axes
    assert fig.get_suptitle() == "matrix: shape (2, 3), stride (3, 1), offset 0"
    assert storage_cells(storage) == [(str(v), True) for v in range(10, 16)]
    assert storage.get_title() == "storage: 6 int64 elements, 48 bytes"
    assert corner_indices(view) == [0, 1, 2, 3, 4, 5]
    assert view.texts[-1].get_text() == (
        "row by row it reads storage 0, 1, 2, 3, 4, 5\n(one after another: contiguous)"
    )


def test_strided_view_of_a_transpose_jumps_through_the_storage() -> None:
    fig = draw_strided_view(MATRIX.T, name="matrix.T")
    storage, view = fig.axes
    assert fig.get_suptitle() == "matrix.T: shape (3, 2), stride (1, 3), offset 0"
    # The storage is the matrix's own, in its order; the view reads it column by column.
    assert [v for v, _ in storage_cells(storage)] == [str(v) for v in range(10, 16)]
    assert corner_indices(view) == [0, 3, 1, 4, 2, 5]
    values = [t.get_text() for t in view.texts if t.get_fontsize() == 11]
    assert values == [str(v) for v in MATRIX.T.flatten().tolist()]
    assert "not one after another" in view.texts[-1].get_text()


def test_strided_view_of_a_slice_marks_the_cells_it_skips() -> None:
    fig = draw_strided_view(MATRIX[:, 1:], name="matrix[:, 1:]")
    storage, view = fig.axes
    assert "offset 1" in fig.get_suptitle()
    assert [read for _, read in storage_cells(storage)] == [False, True, True, False, True, True]
    assert storage.get_title().endswith("; white: not read")
    assert corner_indices(view) == [1, 2, 4, 5]


def test_strided_view_counts_the_reads_of_an_expanded_tensor() -> None:
    column = torch.tensor([[1.5], [2.5], [3.5]])
    fig = draw_strided_view(column.expand(3, 4))
    storage, view = fig.axes
    assert "stride (1, 0)" in fig.get_suptitle()
    assert [t.get_text() for t in storage.texts if "reads" in t.get_text()] == ["4 reads"] * 3
    assert corner_indices(view) == [0] * 4 + [1] * 4 + [2] * 4
    assert storage.get_title() == "storage: 3 float32 elements, 12 bytes"


def test_strided_view_shares_one_colour_scale_and_one_cell_size() -> None:
    fig = draw_strided_view(MATRIX.T)
    storage, view = fig.axes
    storage_colour = {
        t.get_text(): p.get_facecolor()
        for p, t in zip(
            storage.patches, [t for t in storage.texts if t.get_fontsize() == 11], strict=True
        )
    }
    view_values = [t for t in view.texts if t.get_fontsize() == 11]
    for patch, text in zip(view.patches, view_values, strict=False):
        assert patch.get_facecolor() == pytest.approx(storage_colour[text.get_text()])
    fig.canvas.draw()
    scales = [ax.transData.transform((1, 1)) - ax.transData.transform((0, 0)) for ax in fig.axes]
    assert scales[0] == pytest.approx(scales[1], rel=1e-3)


def test_strided_view_of_3d_scalars_bools_and_tensors_that_require_grad() -> None:
    permuted = torch.arange(12.0).reshape(2, 2, 3).permute(2, 0, 1)
    fig = draw_strided_view(permuted)
    assert corner_indices(fig.axes[1]) == [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]
    assert corner_indices(draw_strided_view(torch.tensor(2.0)).axes[1]) == [0]
    flags = draw_strided_view(torch.tensor([True, False]))
    assert [v for v, _ in storage_cells(flags.axes[0])] == ["1", "0"]
    weights = torch.ones(2, requires_grad=True)
    assert len(draw_strided_view(weights).axes) == 2


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (np.arange(4), TypeError, r"expects a torch.Tensor, got ndarray.*torch.from_numpy"),
        ([1, 2], TypeError, r"expects a torch.Tensor, got list"),
        (torch.eye(2).to_sparse(), TypeError, r"layout torch.sparse_coo.*to_dense\(\)"),
        (torch.ones(2, dtype=torch.complex64), TypeError, r"complex tensor 'view'.*\.real"),
        (torch.ones(2, device="meta"), ValueError, r"meta device.*device='cpu'"),
        (torch.ones(0), ValueError, r"empty tensor"),
        (torch.ones(1, 1, 1, 1), ValueError, r"at most 3-D.*Draw a slice"),
        (torch.ones(2, MAX_CELLS_PER_SIDE + 1), ValueError, r"legibly.*Draw a slice"),
        (
            torch.arange(MAX_STORAGE_CELLS + 1)[:3],
            ValueError,
            rf"holds {MAX_STORAGE_CELLS + 1} elements.*\.clone\(\) of a small slice",
        ),
    ],
)
def test_strided_view_bad_input_is_named(bad: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        draw_strided_view(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("view", "name"),
    [
        (MATRIX.T.contiguous(), "matrix.T.contiguous()"),
        (torch.tensor(1), "a rather long name for a scalar tensor of one element"),
        (torch.arange(MAX_STORAGE_CELLS).reshape(2, -1).T[:2], "wide[:2]"),
    ],
)
def test_strided_view_titles_stay_inside_the_figure(view: torch.Tensor, name: str) -> None:
    fig = draw_strided_view(view, name=name)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for text in [fig._suptitle, *(ax.title for ax in fig.axes)]:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0, text.get_text()
        assert box.x1 <= fig.bbox.x1, text.get_text()


def test_a_clone_of_a_slice_has_a_storage_of_its_own() -> None:
    # The fix the storage-length error suggests really works.
    small = torch.arange(MAX_STORAGE_CELLS + 1)[:3].clone()
    assert len(storage_cells(draw_strided_view(small).axes[0])) == 3


# -- legible on a phone -------------------------------------------------------------

LEGIBILITY_CASES = {
    "four matrices": lambda: draw_tensors(
        {f"matrix{i}": torch.arange(4).reshape(2, 2) + i for i in range(4)}, suptitle="four"
    ),
    "a long vector": lambda: draw_tensors({"long": torch.arange(12)}, suptitle="one long vector"),
    "wide 3-D": lambda: draw_tensors({"3-D": torch.zeros(3, 4, 4)}, suptitle="slices"),
    "one tensor": lambda: draw_tensor(torch.arange(12).reshape(2, 6)).figure,
    "small broadcast": lambda: draw_broadcast(torch.ones(3, 1), torch.ones(4)),
    "wide broadcast": lambda: draw_broadcast(torch.ones(3, 1), torch.arange(12.0)),
    "12-cell storage": lambda: draw_strided_view(torch.arange(12).reshape(3, 4).T, name="m.T"),
    "24-cell storage": lambda: draw_strided_view(torch.arange(24).reshape(4, 6)[:, ::2]),
    "long names": lambda: draw_strided_view(
        torch.arange(6).reshape(2, 3).T.contiguous(), name="matrix.T.contiguous().reshape(3, 2)"
    ),
}


@pytest.mark.parametrize("case", LEGIBILITY_CASES)
def test_every_drawing_reads_at_least_8_px_on_a_phone(case: str) -> None:
    """No wider than MAX_FIGURE_WIDTH, and no text under 8 px when shrunk to a phone's width."""
    fig = LEGIBILITY_CASES[case]()
    fig.canvas.draw()
    width = fig.get_figwidth()
    assert width <= MAX_FIGURE_WIDTH + 1e-6
    smallest = smallest_text(fig)
    shown = min(PHONE_COLUMN_PX, width * 100)  # the site saves figures at 100 dpi
    assert smallest.points / 72 * 100 * shown / (width * 100) >= SMALLEST_TEXT_PX, smallest
    renderer = fig.canvas.get_renderer()
    texts = [fig._suptitle, *fig.texts] + [t for ax in fig.axes for t in [ax.title, *ax.texts]]
    for text in [t for t in texts if t is not None and t.get_text()]:
        box = text.get_window_extent(renderer)
        assert box.x0 >= -1, f"{text.get_text()!r} is cut off on the left"
        assert box.x1 <= fig.bbox.x1 + 1, f"{text.get_text()!r} is cut off on the right"


def test_panels_that_do_not_fit_wrap_in_order() -> None:
    fig = draw_tensors({f"m{i}": torch.arange(6).reshape(2, 3) for i in range(4)}, suptitle="rows")
    rows = [ax.get_subplotspec().rowspan.start for ax in fig.axes]
    columns = [ax.get_subplotspec().colspan.start for ax in fig.axes]
    assert rows == sorted(rows), "panels continue on the rows below, in order"
    assert rows[-1] > 0, "four 2-by-3 matrices do not fit in one row"
    for row in set(rows):
        starts = [c for r, c in zip(rows, columns, strict=True) if r == row]
        assert starts == sorted(starts)
    fig.canvas.draw()
    scales = [ax.transData.transform((1, 1)) - ax.transData.transform((0, 0)) for ax in fig.axes]
    for scale in scales:  # one cell size in every row
        assert scale == pytest.approx(scales[0], rel=1e-3)


def test_a_long_suptitle_wraps_inside_the_figure() -> None:
    title = "a figure title long enough that it cannot fit on one line of a narrow figure"
    fig = draw_tensors({"v": torch.zeros(2)}, suptitle=title)
    assert "\n" in fig.get_suptitle()
    assert fig.get_suptitle().replace("\n", " ") == title
