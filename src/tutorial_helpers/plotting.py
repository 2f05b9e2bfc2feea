"""Draw tensors from their real values, so a figure can never disagree with the code.

A tensor is drawn as a grid of cells, one per element, each showing its value;
a 3-D tensor is drawn as its slices ``t[0], t[1], ...`` side by side.
:func:`draw_broadcast` draws how broadcasting stretches two operands to one shape,
and :func:`draw_strided_view` draws a tensor's memory (its storage) and how the
tensor's shape, strides and offset read it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import torch

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "BROADCAST_OPS",
    "MAX_CELLS_PER_SIDE",
    "MAX_FIGURE_WIDTH",
    "MAX_STORAGE_CELLS",
    "draw_broadcast",
    "draw_strided_view",
    "draw_tensor",
    "draw_tensors",
]

#: The longest side drawn; longer sides make unreadable cells, so slice the tensor first.
MAX_CELLS_PER_SIDE = 12

#: The most storage elements :func:`draw_strided_view` draws (in rows of at most 12).
MAX_STORAGE_CELLS = 24

#: The widest figure these functions draw, in inches. A page on a phone shrinks a
#: figure to the screen's width, and its text with it: the smallest text here is 10
#: points, which at this width reads 8.9 CSS px on a 390-px phone, and 8.3 px in a
#: folded solution of an exercise, which is 336 px wide
#: (:func:`tutorial_helpers.figure_text.legible_width` of 10 points is 6.2 inches
#: for the page's 358 px). Wider drawings get smaller cells, and panels that do not
#: fit in a row wrap.
MAX_FIGURE_WIDTH = 5.6

_CELL = 0.55  # inches per cell, where the figure is narrow enough
_PANEL_PAD = 0.9  # inches of room around each panel of a row
_ROW_TITLES = 1.0  # inches above each row of panels, for their two-line titles
_SUPTITLE_ROOM = 0.6  # inches for the figure's title
_SLICE_GAP = 0.6  # blank cells between the slices of a 3-D tensor
_SLICE_LABEL = 0.6  # room above a 3-D tensor's slices for their "[i]" labels
_MARGIN = 0.1
_TITLE_PAD = 0.1  # inches between a figure's suptitle and its panel titles
_TITLE_SIZE = 11  # points: panel titles and the values in the cells
_SUPTITLE_SIZE = 12  # points: the figure's title
_SMALL_SIZE = 10  # points: the smallest text (storage indices, slice labels, captions)
_GRID_STEPS = 10  # grid columns per cell, where panels are placed in rows
_STORAGE_ROW = 12  # the most storage cells draw_strided_view draws in one row


def _as_numpy(tensor: object, what: str = "tensor") -> np.ndarray:
    """Return a drawable NumPy copy of ``tensor`` or raise a clear error."""
    if isinstance(tensor, torch.Tensor):
        if tensor.is_complex():
            raise TypeError(f"Cannot draw a complex {what} ({tensor.dtype}); draw .real or .abs().")
        values = tensor.detach().to("cpu")
        if values.dtype == torch.bool:
            values = values.to(torch.int64)
        elif values.is_floating_point() and values.dtype != torch.float64:
            values = values.to(torch.float64)  # NumPy has no bfloat16
        array = values.numpy()
    elif isinstance(tensor, np.ndarray):
        if np.iscomplexobj(tensor):
            raise TypeError(f"Cannot draw a complex {what} ({tensor.dtype}); draw .real first.")
        if not (np.issubdtype(tensor.dtype, np.number) or tensor.dtype == np.bool_):
            raise TypeError(f"Cannot draw a {what} of dtype {tensor.dtype}; it must hold numbers.")
        array = tensor.astype(np.int64) if tensor.dtype == np.bool_ else tensor
    else:
        raise TypeError(
            f"draw_tensor expects a torch.Tensor or a numpy.ndarray, got {type(tensor).__name__}; "
            "convert it first, e.g. torch.tensor(values)."
        )
    if array.ndim > 3:
        raise ValueError(
            f"Cannot draw a {array.ndim}-D {what} of shape {tuple(array.shape)}: at most 3-D. "
            "Draw a slice, e.g. t[0]."
        )
    if array.size == 0:
        raise ValueError(f"Cannot draw an empty {what} of shape {tuple(array.shape)}.")
    if max(array.shape, default=1) > MAX_CELLS_PER_SIDE:
        raise ValueError(
            f"Cannot draw a {what} of shape {tuple(array.shape)} legibly: every side must be at "
            f"most {MAX_CELLS_PER_SIDE}. Draw a slice, e.g. t[:{MAX_CELLS_PER_SIDE}]."
        )
    return array


def _as_slices(array: np.ndarray) -> list[np.ndarray]:
    """Return the 2-D grids to draw: one for 0/1/2-D arrays, one per slice for 3-D."""
    if array.ndim == 3:
        return list(array)
    return [array.reshape((1,) * (2 - array.ndim) + array.shape)]


def _drawn_width(array: np.ndarray) -> float:
    """Width of the drawing of ``array`` in cell units."""
    slices = _as_slices(array)
    return sum(int(s.shape[1]) for s in slices) + _SLICE_GAP * (len(slices) - 1)


def _drawn_height(array: np.ndarray) -> float:
    """Height of the drawing of ``array`` in cell units, slice labels included."""
    slices = _as_slices(array)
    return max(int(s.shape[0]) for s in slices) + (_SLICE_LABEL if len(slices) > 1 else 0.0)


def _text_width(text: str, size: float, family: str = "sans-serif") -> float:
    """Width in inches of ``text`` (its widest line) set in ``size`` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()
    font = FontProperties(size=size, family=family)
    return max(
        measure.get_text_width_height_descent(line, font, ismath=False)[0] / 72
        for line in text.split("\n")
    )


def _title_width(name: str, shape: tuple[int, ...]) -> float:
    """Width, in inches, of the two-line panel title ``name`` / ``shape (...)``."""
    return _text_width(f"{name}\nshape {tuple(shape)}", _TITLE_SIZE) + 0.1


def _wrapped(text: str, size: float, width: float) -> str:
    """``text`` broken at spaces into as few lines as fit ``width`` inches at ``size`` points."""
    import textwrap

    if _text_width(text, size) <= width:
        return text
    for columns in range(len(text) - 1, 10, -1):
        lines = textwrap.wrap(text, columns)
        if all(_text_width(line, size) <= width for line in lines):
            return "\n".join(lines)
    return "\n".join(textwrap.wrap(text, 10))


def _cell_size(
    width: float, pad: float, room: float = MAX_FIGURE_WIDTH, largest: float = _CELL
) -> float:
    """Inches per cell: ``largest``, or less, so ``width`` cells and ``pad`` inches fit ``room``."""
    return min(largest, (room - pad) / width)


def _centre(ax: Axes, drawn: np.ndarray, width: float, height: float) -> None:
    """Set the limits of ``ax`` to ``width`` by ``height`` cells, ``drawn`` in their middle."""
    pad_x = (width - _drawn_width(drawn)) / 2
    pad_y = (height - _drawn_height(drawn)) / 2
    ax.set_xlim(-pad_x, _drawn_width(drawn) + pad_x)
    ax.set_ylim(-pad_y, _drawn_height(drawn) + pad_y)


def _rows(widths: list[float], gap: float, budget: float) -> list[list[int]]:
    """Indices of panels of ``widths`` (cells), in rows no wider than ``budget`` with gaps."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for index, width in enumerate(widths):
        if rows[-1] and used + width + gap > budget + 1e-9:
            rows.append([])
            used = 0.0
        rows[-1].append(index)
        used += width + gap
    return rows


def _pad_titles(fig: Figure) -> None:
    """Keep a constrained-layout figure's suptitle clear of its panel titles.

    With equal-aspect axes, the default padding lets the tallest panel's title
    touch the suptitle.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(h_pad=_TITLE_PAD)


def _format_value(value: float | int, is_integer: bool) -> str:
    if is_integer:
        return str(int(value))
    return f"{value:.3g}"


def _draw_cells(
    ax: Axes,
    array: np.ndarray,
    *,
    cmap: str,
    repeated: np.ndarray | None = None,
    value_range: tuple[float, float] | None = None,
) -> None:
    """Draw one labelled cell per element of ``array`` (0-D to 3-D) on ``ax``.

    Cells where ``repeated`` is true are drawn hatched and faded: values that
    broadcasting repeats rather than values stored in the operand.
    ``value_range`` fixes the colour scale, so several drawings can share it.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    is_integer = not np.issubdtype(array.dtype, np.floating)
    low, high = value_range or (float(array.min()), float(array.max()))
    span = high - low or 1.0
    colormap = plt.get_cmap(cmap)
    repeated_slices = _as_slices(repeated) if repeated is not None else None

    left = 0.0
    slices = _as_slices(array)
    for index, grid in enumerate(slices):
        rows, cols = grid.shape
        for r in range(rows):
            for c in range(cols):
                value = grid[r, c]
                shade = 0.15 + 0.6 * (float(value) - low) / span
                is_copy = repeated_slices is not None and bool(repeated_slices[index][r, c])
                ax.add_patch(
                    Rectangle(
                        (left + c, rows - 1 - r),
                        1,
                        1,
                        facecolor=colormap(shade),
                        edgecolor="black",
                        linewidth=1.0,
                        alpha=0.35 if is_copy else 1.0,
                        hatch="///" if is_copy else None,
                        linestyle="--" if is_copy else "-",
                    )
                )
                ax.text(
                    left + c + 0.5,
                    rows - 0.5 - r,
                    _format_value(value, is_integer),
                    ha="center",
                    va="center",
                    fontsize=11,
                    color="white" if shade > 0.55 and not is_copy else "black",
                )
        if len(slices) > 1:
            ax.text(
                left + cols / 2,
                rows + 0.15,
                f"[{index}]",
                ha="center",
                va="bottom",
                fontsize=10,
                family="monospace",
            )
        left += cols + _SLICE_GAP


def draw_tensor(
    tensor: torch.Tensor | np.ndarray,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    cmap: str = "Blues",
    value_range: tuple[float, float] | None = None,
) -> Axes:
    """Draw ``tensor`` as a grid of labelled cells.

    Parameters
    ----------
    tensor : torch.Tensor or numpy.ndarray
        0-D to 3-D, real or boolean, at most :data:`MAX_CELLS_PER_SIDE` elements
        along each dimension. It may live on any device and may require grad.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        Drawn above the grid, followed by the shape.
    cmap : str
        Matplotlib colormap that shades the cells by value.
    value_range : tuple of float, optional
        The values shaded lightest and darkest; by default the tensor's own
        minimum and maximum. Give several drawings one range to compare them.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, holding one :class:`~matplotlib.patches.Rectangle` and one text
        per element.

    Raises
    ------
    TypeError
        If ``tensor`` is not a tensor or array of real numbers or booleans.
    ValueError
        If it is empty, has more than 3 dimensions or a side too long to read.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.plotting import draw_tensor
    >>> ax = draw_tensor(torch.arange(6).reshape(2, 3), title="matrix")
    >>> len(ax.patches), [t.get_text() for t in ax.texts]
    (6, ['0', '1', '2', '3', '4', '5'])
    >>> ax.get_title()
    'matrix\\nshape (2, 3)'
    """
    import matplotlib.pyplot as plt

    array = _as_numpy(tensor)
    if ax is None:
        width = _drawn_width(array) + 2 * _MARGIN
        cell = _cell_size(width, 0.6, largest=0.6)
        _, ax = plt.subplots(figsize=(cell * width + 0.6, cell * _drawn_height(array) + 1))

    _draw_cells(ax, array, cmap=cmap, value_range=value_range)
    ax.set_xlim(-_MARGIN, _drawn_width(array) + _MARGIN)
    ax.set_ylim(-_MARGIN, _drawn_height(array) + _MARGIN)
    ax.set_aspect("equal")
    ax.set_axis_off()
    shape_text = f"shape {tuple(array.shape)}"
    ax.set_title(f"{title}\n{shape_text}" if title else shape_text, fontsize=_TITLE_SIZE)
    return ax


def draw_tensors(tensors: Mapping[str, torch.Tensor | np.ndarray], *, suptitle: str) -> Figure:
    """Draw several tensors side by side, each with its name, at one cell size and colour scale.

    Equal values get equal colours in every panel, so the reader can follow an
    element from one tensor to another. The panels sit in one row, in order;
    those that do not fit in :data:`MAX_FIGURE_WIDTH` continue on a row below.

    Parameters
    ----------
    tensors : mapping of str to tensor
        Titles and tensors, drawn left to right; see :func:`draw_tensor`.
    suptitle : str
        The figure title; it is also the figure's alt text on the site.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``tensors`` is empty.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.plotting import draw_tensors
    >>> fig = draw_tensors({"a": torch.zeros(2), "b": torch.ones(2, 2)}, suptitle="two")
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes]
    ['a', 'b']
    """
    import matplotlib.pyplot as plt

    if not tensors:
        raise ValueError("draw_tensors needs at least one tensor to draw.")
    arrays = {name: _as_numpy(t, f"tensor {name!r}") for name, t in tensors.items()}
    value_range = (
        min(float(a.min()) for a in arrays.values()),
        max(float(a.max()) for a in arrays.values()),
    )
    drawings = list(arrays.items())
    # A panel is at least as wide as its title, so titles never overlap or get cut
    # off; a title keeps its size in inches, so with smaller cells it spans more.
    cell = _CELL
    for _ in range(3):
        widths = [
            max(_drawn_width(a), 1.5, _title_width(name, a.shape) / cell) + 2 * _MARGIN
            for name, a in drawings
        ]
        cell = min(cell, _cell_size(max(widths), _PANEL_PAD))
    gap = _PANEL_PAD / cell
    rows = _rows(widths, gap, MAX_FIGURE_WIDTH / cell)
    row_widths = [sum(widths[i] for i in row) + gap * len(row) for row in rows]
    row_heights = [max(_drawn_height(drawings[i][1]) for i in row) + 2 * _MARGIN for row in rows]
    total = max(row_widths)
    fig = plt.figure(
        figsize=(
            cell * total,
            cell * sum(row_heights) + _ROW_TITLES * len(rows) + _SUPTITLE_ROOM,
        ),
        layout="constrained",
    )
    _pad_titles(fig)
    # One grid of narrow columns for every row: one cell is the same width in every
    # panel, and with equal aspect the same height. The gaps between panels are
    # empty columns, so the columns themselves need no padding.
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(w_pad=0, wspace=0)
    grid = fig.add_gridspec(len(rows), round(total * _GRID_STEPS), height_ratios=row_heights)
    for r, row in enumerate(rows):
        left = (total - row_widths[r] + gap) / 2
        for i in row:
            name, array = drawings[i]
            start, stop = round(left * _GRID_STEPS), round((left + widths[i]) * _GRID_STEPS)
            ax = fig.add_subplot(grid[r, start:stop])
            left += widths[i] + gap
            draw_tensor(array, ax, title=name, value_range=value_range)
            _centre(ax, array, (stop - start) / _GRID_STEPS, row_heights[r])
    fig.suptitle(_wrapped(suptitle, _SUPTITLE_SIZE, cell * total), fontsize=_SUPTITLE_SIZE)
    return fig


#: The element-wise operations :func:`draw_broadcast` can draw, by symbol.
BROADCAST_OPS: tuple[str, ...] = ("+", "-", "*", "/")

_OPERATIONS: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "+": torch.add,
    "-": torch.sub,
    "*": torch.mul,
    "/": torch.div,
}


def _broadcast_shape(
    left: tuple[int, ...], right: tuple[int, ...], names: tuple[str, str]
) -> tuple[int, ...]:
    """The shape two operands broadcast to, or a ValueError that says which sizes clash."""
    ndim = max(len(left), len(right))
    padded_left = (1,) * (ndim - len(left)) + left
    padded_right = (1,) * (ndim - len(right)) + right
    shape = []
    for dim, (a, b) in enumerate(zip(padded_left, padded_right, strict=True)):
        if a != b and 1 not in (a, b):
            raise ValueError(
                f"Cannot broadcast {names[0]} of shape {left} with {names[1]} of shape {right}: "
                f"aligned from the right, dimension {dim - ndim} has sizes {a} and {b}, and "
                "broadcasting needs them equal or one of them 1. Add a dimension of size 1 "
                "(e.g. t[:, None]) or reshape one operand."
            )
        shape.append(max(a, b))
    return tuple(shape)


def _aligned_shapes(rows: list[tuple[str, tuple[int, ...]]], ndim: int) -> str:
    """Shapes one per line, their sizes aligned from the right, dimension by dimension."""
    labels = [f"{label} {shape}" for label, shape in rows]
    width = max(len(text) for text in labels)
    lines = [f"{'dim':>{width}}" + "".join(f"{d:>4}" for d in range(-ndim, 0))]
    for text, (_, shape) in zip(labels, rows, strict=True):
        sizes = [""] * (ndim - len(shape)) + [str(n) for n in shape]
        lines.append(f"{text:<{width}}" + "".join(f"{n:>4}" for n in sizes))
    return "\n".join(lines)


def draw_broadcast(
    left: torch.Tensor | np.ndarray,
    right: torch.Tensor | np.ndarray,
    *,
    op: str = "+",
    names: tuple[str, str] = ("a", "b"),
    suptitle: str | None = None,
) -> Figure:
    """Draw how broadcasting stretches two operands to one shape, and the result.

    The top row shows the operands as stored, and their shapes aligned from the
    right (the rule broadcasting follows). The bottom row shows each operand
    stretched to the common shape, the repeated values hatched and faded, then
    the element-wise result computed by PyTorch. Every panel has the same cell
    size, and operands and result share one colour scale.

    Parameters
    ----------
    left, right : torch.Tensor or numpy.ndarray
        The operands, real or boolean; each, and their broadcast shape, must be
        drawable by :func:`draw_tensor` (at most 3-D, at most
        :data:`MAX_CELLS_PER_SIDE` along each dimension).
    op : str
        One of :data:`BROADCAST_OPS`: ``"+"``, ``"-"``, ``"*"``, ``"/"``.
    names : tuple of str
        What to call the two operands in titles.
    suptitle : str, optional
        The figure title (also its alt text on the site); by default it names
        the operation and the shapes.

    Returns
    -------
    matplotlib.figure.Figure
        Six axes: ``left``, ``right``, the aligned shapes, ``left`` stretched,
        ``right`` stretched, and the result.

    Raises
    ------
    TypeError
        If an operand is not a tensor or array of real numbers or booleans.
    ValueError
        If ``op`` is unknown, ``names`` is not two strings, the shapes do not
        broadcast (the message names the clashing dimension), or an operand or
        the broadcast shape is too large to draw.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.plotting import draw_broadcast
    >>> column = torch.tensor([[0], [10], [20]])
    >>> row = torch.tensor([1, 2, 3, 4])
    >>> fig = draw_broadcast(column, row)
    >>> fig.get_suptitle()
    'Broadcasting a + b: shapes (3, 1) and (4,) give (3, 4)'
    >>> [t.get_text() for t in fig.axes[5].texts][:4]
    ['1', '2', '3', '4']
    >>> draw_broadcast(torch.ones(2, 3), torch.ones(2))
    Traceback (most recent call last):
        ...
    ValueError: Cannot broadcast a of shape (2, 3) with b of shape (2,): aligned from the right, ...
    """
    import matplotlib.pyplot as plt

    if op not in BROADCAST_OPS:
        raise ValueError(
            f"Unknown operation {op!r}; use one of {', '.join(map(repr, BROADCAST_OPS))}."
        )
    if (
        not isinstance(names, tuple)
        or len(names) != 2
        or not all(isinstance(name, str) for name in names)
    ):
        raise ValueError(f"names must be a tuple of two strings such as ('a', 'b'), got {names!r}.")
    arrays = (_as_numpy(left, f"tensor {names[0]!r}"), _as_numpy(right, f"tensor {names[1]!r}"))
    shapes = (tuple(arrays[0].shape), tuple(arrays[1].shape))
    shape = _broadcast_shape(shapes[0], shapes[1], names)
    result_name = f"{names[0]} {op} {names[1]}"
    result = _as_numpy(
        _OPERATIONS[op](torch.from_numpy(arrays[0]), torch.from_numpy(arrays[1])),
        f"result {result_name!r} of shape {shape}",
    )
    stretched = [np.broadcast_to(a, shape) for a in arrays]
    # A stretched cell is stored in the operand only where every stretched
    # dimension's index is 0; everywhere else broadcasting repeats a value.
    repeated = []
    for original in arrays:
        padded = (1,) * (len(shape) - original.ndim) + original.shape
        stored = np.ones(shape, dtype=bool)
        for dim, (size, target) in enumerate(zip(padded, shape, strict=True)):
            if size == 1 and target > 1:
                index = np.arange(target).reshape(
                    [-1 if d == dim else 1 for d in range(len(shape))]
                )
                stored &= index == 0
        repeated.append(~stored)

    operands_range = [float(a.min()) for a in arrays] + [float(a.max()) for a in arrays]
    value_range = (min(operands_range), max(operands_range))
    width = max(_drawn_width(result), 1.5) + 2 * _MARGIN
    height = _drawn_height(result) + 2 * _MARGIN
    aligned = _aligned_shapes(
        [(names[0], shapes[0]), (names[1], shapes[1]), ("result", shape)], len(shape)
    )
    rule = (
        "rule: in each dim the sizes are\nequal, or one of them is 1\n\n"
        "hatched: a value repeated by\nbroadcasting, not stored"
    )
    text_width = max(_text_width(aligned, _TITLE_SIZE, "monospace"), _text_width(rule, _SMALL_SIZE))
    # Two columns (operands, stretched operands, then the shapes and the result),
    # or, for a result too wide for half the figure, one column of six panels.
    pad = 0.1  # inches the layout leaves beside each panel
    cell = _cell_size(width, pad, MAX_FIGURE_WIDTH / 2)
    columns = 2 if cell >= 0.4 and text_width + 0.3 <= MAX_FIGURE_WIDTH / 2 else 1
    if columns == 1:
        cell = _cell_size(width, pad)
    column_width = max(cell * width + pad, text_width + 0.3)
    # Each panel's data fills its column, so one cell is `cell` inches wide in
    # every panel, and (equal aspect) as tall.
    width = (column_width - pad) / cell
    # Where each panel goes, in the order of fig.axes: the operands as stored, the
    # shapes, the operands stretched, the result.
    places = (
        [(0, 0), (0, 1), (2, 0), (1, 0), (1, 1), (2, 1)]
        if columns == 2
        else [(0, 0), (1, 0), (4, 0), (2, 0), (3, 0), (5, 0)]
    )
    rows = 3 if columns == 2 else 6
    text_row = places[2][0]
    heights = [max(cell * height, 1.9) if r == text_row else cell * height for r in range(rows)]
    fig = plt.figure(
        figsize=(columns * column_width, sum(heights) + 0.8 * rows + _SUPTITLE_ROOM),
        layout="constrained",
    )
    _pad_titles(fig)
    grid = fig.add_gridspec(rows, columns, height_ratios=heights)
    axes = [fig.add_subplot(grid[r, c]) for r, c in places]
    stored_axes, text_ax, stretched_axes, result_ax = axes[:2], axes[2], axes[3:5], axes[5]

    def place(ax: Axes, drawn: np.ndarray, title: str) -> None:
        _centre(ax, drawn, width, height)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(f"{title}\nshape {tuple(drawn.shape)}", fontsize=_TITLE_SIZE)

    for ax, array, name in zip(stored_axes, arrays, names, strict=True):
        _draw_cells(ax, array, cmap="Blues", value_range=value_range)
        place(ax, array, f"{name} as stored")
    for ax, array, mask, name in zip(stretched_axes, stretched, repeated, names, strict=True):
        _draw_cells(ax, array, cmap="Blues", repeated=mask, value_range=value_range)
        place(ax, array, f"{name} stretched")
    _draw_cells(result_ax, result, cmap="Oranges")
    place(result_ax, result, result_name)

    text_ax.set_axis_off()
    text_ax.set_xlim(0, 1)
    text_ax.set_ylim(0, 1)
    text_ax.set_title("shapes, aligned from the right", fontsize=_TITLE_SIZE)
    text_ax.text(0.0, 0.97, aligned, family="monospace", fontsize=_TITLE_SIZE, va="top", ha="left")
    text_ax.text(0.0, 0.03, rule, fontsize=_SMALL_SIZE, va="bottom", ha="left")
    title = suptitle or (
        f"Broadcasting {result_name}: shapes {shapes[0]} and {shapes[1]} give {shape}"
    )
    fig.suptitle(_wrapped(title, _SUPTITLE_SIZE, columns * column_width), fontsize=_SUPTITLE_SIZE)
    return fig


# -- draw_strided_view ------------------------------------------------------------


def _check_strided(view: object, name: str) -> torch.Tensor:
    """Return ``view`` if it is a dense real tensor with values, or raise a clear error."""
    if not isinstance(view, torch.Tensor):
        raise TypeError(
            f"draw_strided_view expects a torch.Tensor, got {type(view).__name__}; only a tensor "
            "has a storage and strides (a NumPy array's strides count bytes): convert it first, "
            "e.g. torch.from_numpy(array)."
        )
    if view.layout != torch.strided:
        raise TypeError(
            f"Cannot draw the storage of a tensor with layout {view.layout}: only dense "
            "(torch.strided) tensors have strides. Convert it first, e.g. t.to_dense()."
        )
    if view.is_complex():
        raise TypeError(f"Cannot draw a complex tensor {name!r} ({view.dtype}); draw .real first.")
    if view.device.type == "meta":
        raise ValueError(
            f"Cannot draw tensor {name!r}: it is on the meta device, which has shapes and strides "
            "but no values. Create it on a real device, e.g. device='cpu'."
        )
    return view


def _storage_of(view: torch.Tensor, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The whole storage of ``view`` as a 1-D CPU tensor of its dtype, and the storage
    index of each element of ``view`` (a tensor of ``view``'s shape)."""
    length = view.untyped_storage().nbytes() // view.element_size()
    if length > MAX_STORAGE_CELLS:
        raise ValueError(
            f"Cannot draw the storage of tensor {name!r} legibly: it holds {length} elements, "
            f"and at most {MAX_STORAGE_CELLS} fit in the drawing. Draw a smaller example, e.g. "
            "torch.arange(12).reshape(3, 4), or take .clone() of a small slice, which gets a "
            "storage of its own."
        )
    values = view.detach().as_strided((length,), (1,), 0).to("cpu")
    positions = torch.arange(length).as_strided(view.shape, view.stride(), view.storage_offset())
    return values, positions


def _read_order(positions: np.ndarray, limit: int = 12) -> str:
    """The storage indices of a view's elements in row-major order, for a caption."""
    flat = [str(int(i)) for i in positions.reshape(-1)]
    shown = ", ".join(flat[:limit]) + (", ..." if len(flat) > limit else "")
    start = int(positions.reshape(-1)[0])
    in_order = flat == [str(start + i) for i in range(len(flat))]
    verdict = "one after another: contiguous" if in_order else "not one after another"
    return f"row by row it reads storage {shown}\n({verdict})"


def draw_strided_view(
    view: torch.Tensor,
    *,
    name: str = "view",
    suptitle: str | None = None,
    cmap: str = "Blues",
) -> Figure:
    """Draw a tensor's storage as a flat block of memory, and the tensor as a view of it.

    A tensor's elements live in a flat block of memory, its **storage**. Its
    shape, :meth:`~torch.Tensor.stride` and
    :meth:`~torch.Tensor.storage_offset` say where each element is: element
    ``[i, j]`` is storage element ``offset + i * stride[0] + j * stride[1]``.
    The top panel draws the storage, one cell per element with its index
    below, in rows of at most 12 cells as a memory dump shows them; cells
    the tensor reads are shaded by value, the others left white with a
    dashed edge, and a cell read by several elements (a stride of 0,
    as :meth:`~torch.Tensor.expand` makes) is marked with its number of
    reads. The bottom panel draws the tensor itself, with the storage index
    of each element in the corner of its cell, and the order in which
    reading it row by row visits the storage. Both panels share one colour
    scale, so an element has the same colour in both.

    Parameters
    ----------
    view : torch.Tensor
        A dense tensor, 0-D to 3-D, real or boolean, on any device except
        ``meta``, at most :data:`MAX_CELLS_PER_SIDE` elements along each
        dimension and with a storage of at most :data:`MAX_STORAGE_CELLS`
        elements. It may require grad.
    name : str
        What to call the tensor in the title of its panel.
    suptitle : str, optional
        The figure title (also its alt text on the site); by default it names
        the shape, the strides and the offset.
    cmap : str
        Matplotlib colormap that shades the cells by value.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: the storage, then the view.

    Raises
    ------
    TypeError
        If ``view`` is not a tensor, not dense (a sparse layout), or complex.
    ValueError
        If it is on the meta device, empty, has more than 3 dimensions, a side
        longer than :data:`MAX_CELLS_PER_SIDE`, or a storage longer than
        :data:`MAX_STORAGE_CELLS` elements.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.plotting import draw_strided_view
    >>> matrix = torch.tensor([[0, 1, 2], [3, 4, 5]])
    >>> fig = draw_strided_view(matrix.T, name="matrix.T")
    >>> fig.get_suptitle()
    'matrix.T: shape (3, 2), stride (1, 3), offset 0'
    >>> storage, view = fig.axes
    >>> view.texts[-1].get_text()
    'row by row it reads storage 0, 3, 1, 4, 2, 5\\n(not one after another)'
    >>> draw_strided_view(torch.arange(30)[:4])  # a slice still views all 30
    Traceback (most recent call last):
        ...
    ValueError: Cannot draw the storage of tensor 'view' legibly: it holds 30 elements, ...
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    array = _as_numpy(_check_strided(view, name), f"tensor {name!r}")
    storage, positions = _storage_of(view, name)
    stored = _as_numpy_unchecked(storage)
    index_grid = positions.numpy()
    reads = np.bincount(index_grid.reshape(-1), minlength=len(stored))
    is_integer = not np.issubdtype(stored.dtype, np.floating)
    low, high = float(stored.min()), float(stored.max())
    span = high - low or 1.0
    colormap = plt.get_cmap(cmap)

    shape = tuple(view.shape)
    title = f"{name}: shape {shape}, stride {tuple(view.stride())}, "
    title += f"offset {view.storage_offset()}"
    suptitle = suptitle or title
    storage_title = (
        f"storage: {len(stored)} {str(view.dtype).removeprefix('torch.')} elements, "
        f"{view.untyped_storage().nbytes()} bytes"
    )
    if (reads == 0).any():
        storage_title += "; white: not read"
    view_title = f"{name}: small number = storage index"
    caption = _read_order(index_grid)
    # The storage in rows of at most _STORAGE_ROW cells, as a memory dump shows it:
    # a longer row would need cells too small for their text on a phone.
    storage_rows = -(-len(stored) // _STORAGE_ROW)
    per_row = -(-len(stored) // storage_rows)
    # As wide as the storage, the view and every title, so nothing is cut off; no
    # wider than MAX_FIGURE_WIDTH (a title that does not fit wraps).
    width = max(per_row + 2 * _MARGIN, max(_drawn_width(array), 1.5) + 2 * _MARGIN, 7.0)
    pad = 0.2  # inches the layout leaves beside the panels
    cell = _cell_size(width, pad)
    titles = max(
        _text_width(suptitle, _SUPTITLE_SIZE),
        _text_width(storage_title, _TITLE_SIZE),
        _text_width(view_title, _TITLE_SIZE),
        _text_width(caption, _SMALL_SIZE),
    )
    fig_width = min(max(cell * width, titles + 0.1) + pad, MAX_FIGURE_WIDTH)
    width = (fig_width - pad) / cell  # the panels' data fills the figure's width
    row_pitch = 2.35  # a row of cells, their indices below and "n reads" above
    storage_height = row_pitch * storage_rows
    view_height = _drawn_height(array) + _MARGIN + 1.2  # and two lines of caption below
    fig, (storage_ax, view_ax) = plt.subplots(
        2,
        1,
        figsize=(fig_width, cell * (storage_height + view_height) + 1.4),
        gridspec_kw={"height_ratios": [storage_height, view_height]},
        layout="constrained",
    )
    _pad_titles(fig)

    # The storage: rows of cells, its index below each.
    for index, value in enumerate(stored):
        row, column = divmod(index, per_row)
        left = (width - per_row) / 2 + column
        bottom = -row * row_pitch
        read = reads[index] > 0
        shade = 0.15 + 0.6 * (float(value) - low) / span
        storage_ax.add_patch(
            Rectangle(
                (left, bottom),
                1,
                1,
                facecolor=colormap(shade) if read else "white",
                edgecolor="black" if read else "0.45",
                linewidth=1.0,
                linestyle="-" if read else "--",
            )
        )
        storage_ax.text(
            left + 0.5,
            bottom + 0.5,
            _format_value(value, is_integer),
            ha="center",
            va="center",
            fontsize=_TITLE_SIZE,
            color=("white" if shade > 0.55 else "black") if read else "0.35",
        )
        storage_ax.text(
            left + 0.5,
            bottom - 0.12,
            str(index),
            ha="center",
            va="top",
            fontsize=_SMALL_SIZE,
            color="0.3",
        )
        if reads[index] > 1:
            storage_ax.text(
                left + 0.5,
                bottom + 1.1,
                f"{reads[index]} reads",
                ha="center",
                va="bottom",
                fontsize=_SMALL_SIZE,
            )
    storage_ax.set_xlim(0, width)
    storage_ax.set_ylim(-0.75 - (storage_rows - 1) * row_pitch, 1.6)
    storage_ax.set_aspect("equal")
    storage_ax.set_axis_off()
    storage_ax.set_title(
        _wrapped(storage_title, _TITLE_SIZE, fig_width - 0.1), fontsize=_TITLE_SIZE
    )

    # The view: its cells in the storage's colours, each with its storage index.
    _draw_cells(view_ax, array, cmap=cmap, value_range=(low, high))
    for value_text in [t for t in view_ax.texts if t.get_fontsize() == _TITLE_SIZE]:
        x, y = value_text.get_position()  # the value, clear of the index in the corner
        value_text.set_position((x, y - 0.14))
    pad_x = (width - _drawn_width(array)) / 2
    view_ax.set_xlim(-pad_x, _drawn_width(array) + pad_x)
    view_ax.set_ylim(-1.2, _drawn_height(array) + _MARGIN)
    view_ax.set_aspect("equal")
    view_ax.set_axis_off()
    left_edge = 0.0
    for grid in _as_slices(index_grid):
        rows, cols = grid.shape
        for r in range(rows):
            for c in range(cols):
                view_ax.text(
                    left_edge + c + 0.05,
                    rows - r - 0.04,
                    str(int(grid[r, c])),
                    ha="left",
                    va="top",
                    fontsize=_SMALL_SIZE,
                    color="0.2",
                    bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "linewidth": 0},
                )
        left_edge += cols + _SLICE_GAP
    view_ax.set_title(_wrapped(view_title, _TITLE_SIZE, fig_width - 0.1), fontsize=_TITLE_SIZE)
    view_ax.text(
        _drawn_width(array) / 2,
        -0.25,
        caption,
        ha="center",
        va="top",
        fontsize=_SMALL_SIZE,
    )
    fig.suptitle(_wrapped(suptitle, _SUPTITLE_SIZE, fig_width - 0.1), fontsize=_SUPTITLE_SIZE)
    return fig


def _as_numpy_unchecked(values: torch.Tensor) -> np.ndarray:
    """A NumPy copy of a real or boolean CPU tensor, with no limits on its size."""
    if values.dtype == torch.bool:
        values = values.to(torch.int64)
    elif values.is_floating_point() and values.dtype != torch.float64:
        values = values.to(torch.float64)
    return values.numpy()
