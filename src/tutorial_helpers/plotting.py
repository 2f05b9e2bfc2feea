"""Draw tensors from their real values, so a figure can never disagree with the code.

A tensor is drawn as a grid of cells, one per element, each showing its value;
a 3-D tensor is drawn as its slices ``t[0], t[1], ...`` side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import torch

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["MAX_CELLS_PER_SIDE", "draw_tensor", "draw_tensors"]

#: The longest side drawn; longer sides make unreadable cells, so slice the tensor first.
MAX_CELLS_PER_SIDE = 12

_SLICE_GAP = 0.6  # blank cells between the slices of a 3-D tensor
_SLICE_LABEL = 0.6  # room above a 3-D tensor's slices for their "[i]" labels
_MARGIN = 0.1


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
    return sum(s.shape[1] for s in slices) + _SLICE_GAP * (len(slices) - 1)


def _drawn_height(array: np.ndarray) -> float:
    """Height of the drawing of ``array`` in cell units, slice labels included."""
    slices = _as_slices(array)
    return max(s.shape[0] for s in slices) + (_SLICE_LABEL if len(slices) > 1 else 0.0)


def _format_value(value: float | int, is_integer: bool) -> str:
    if is_integer:
        return str(int(value))
    return f"{value:.3g}"


def draw_tensor(
    tensor: torch.Tensor | np.ndarray,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    cmap: str = "Blues",
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
    from matplotlib.patches import Rectangle

    array = _as_numpy(tensor)
    if ax is None:
        width = _drawn_width(array)
        _, ax = plt.subplots(figsize=(0.6 * width + 0.6, 0.6 * _drawn_height(array) + 1))

    is_integer = not np.issubdtype(array.dtype, np.floating)
    low, high = float(array.min()), float(array.max())
    span = high - low or 1.0
    colormap = plt.get_cmap(cmap)

    left = 0.0
    slices = _as_slices(array)
    for index, grid in enumerate(slices):
        rows, cols = grid.shape
        for r in range(rows):
            for c in range(cols):
                value = grid[r, c]
                shade = 0.15 + 0.6 * (float(value) - low) / span
                ax.add_patch(
                    Rectangle(
                        (left + c, rows - 1 - r),
                        1,
                        1,
                        facecolor=colormap(shade),
                        edgecolor="black",
                        linewidth=1.0,
                    )
                )
                ax.text(
                    left + c + 0.5,
                    rows - 0.5 - r,
                    _format_value(value, is_integer),
                    ha="center",
                    va="center",
                    fontsize=11,
                    color="white" if shade > 0.55 else "black",
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

    ax.set_xlim(-_MARGIN, _drawn_width(array) + _MARGIN)
    ax.set_ylim(-_MARGIN, _drawn_height(array) + _MARGIN)
    ax.set_aspect("equal")
    ax.set_axis_off()
    shape_text = f"shape {tuple(array.shape)}"
    ax.set_title(f"{title}\n{shape_text}" if title else shape_text, fontsize=11)
    return ax


def draw_tensors(tensors: Mapping[str, torch.Tensor | np.ndarray], *, suptitle: str) -> Figure:
    """Draw several tensors in one row, each with its name, all at the same cell size.

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
    # Give every axes the same data height and a width proportional to its data
    # width: with equal aspect, one cell is then the same size in every panel.
    widths = [max(_drawn_width(a), 1.5) + 2 * _MARGIN for a in arrays.values()]
    height = max(_drawn_height(a) for a in arrays.values()) + 2 * _MARGIN
    fig, axes = plt.subplots(
        1,
        len(arrays),
        figsize=(0.55 * sum(widths) + 0.9 * len(arrays), 0.55 * height + 1.6),
        gridspec_kw={"width_ratios": widths},
        squeeze=False,
        layout="constrained",
    )
    for ax, width, (name, array) in zip(axes[0], widths, arrays.items(), strict=True):
        draw_tensor(array, ax, title=name)
        pad_x = (width - _drawn_width(array)) / 2
        pad_y = (height - _drawn_height(array)) / 2
        ax.set_xlim(-pad_x, _drawn_width(array) + pad_x)
        ax.set_ylim(-pad_y, _drawn_height(array) + pad_y)
    fig.suptitle(suptitle)
    return fig
