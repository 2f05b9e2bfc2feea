"""Draw small computation graphs: nodes, arrows, and a label on every arrow.

The autograd tutorials draw the graph of a computation with the local
derivative on each edge and, at each node, the derivative that backpropagation
brings there. The numbers are computed by the tutorial; this module only lays
them out, at positions the tutorial chooses, so that the figure stays small
enough to read on a phone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

__all__ = ["draw_graph"]

#: Inches per unit of the positions given to :func:`draw_graph`.
_INCH_PER_UNIT = 1.0
_PAD = 0.55  # units around the outermost nodes' centres
_NODE_FONT = 13
_EDGE_FONT = 12
_NOTE_COLOUR = "#b35900"  # dark orange, 5.3:1 on white
_LEAF_FILL = "#dbe9f6"
_OP_FILL = "white"


def _check_graph(
    positions: Mapping[str, tuple[float, float]],
    edges: Mapping[tuple[str, str], str],
    labels: Mapping[str, str],
    notes: Mapping[str, str],
) -> None:
    """Raise a ValueError that names the problem, for a graph that cannot be drawn."""
    if not positions:
        raise ValueError("draw_graph needs at least one node: positions is empty.")
    for name, xy in positions.items():
        if (
            not isinstance(xy, tuple)
            or len(xy) != 2
            or not all(isinstance(v, int | float) and math.isfinite(v) for v in xy)
        ):
            raise ValueError(
                f"The position of node {name!r} must be a pair of finite numbers (x, y), "
                f"got {xy!r}."
            )
    seen: dict[tuple[float, float], str] = {}
    for name, xy in positions.items():
        key = (float(xy[0]), float(xy[1]))
        if key in seen:
            raise ValueError(
                f"Nodes {seen[key]!r} and {name!r} are both at {xy}: they would hide each other. "
                "Give each node its own position."
            )
        seen[key] = name
    for edge in edges:
        if not isinstance(edge, tuple) or len(edge) != 2:
            raise ValueError(
                f"An edge must be a pair (source, target) of node names, got {edge!r}."
            )
        source, target = edge
        for end in (source, target):
            if end not in positions:
                raise ValueError(
                    f"Edge {source!r} -> {target!r} names the node {end!r}, which has no "
                    f"position; add it to positions (nodes: {', '.join(map(repr, positions))})."
                )
        if source == target:
            raise ValueError(
                f"Edge {source!r} -> {target!r} joins a node to itself; a computation graph has "
                "no such edge."
            )
    for what, mapping in (("labels", labels), ("notes", notes)):
        unknown = [name for name in mapping if name not in positions]
        if unknown:
            raise ValueError(
                f"{what} names {', '.join(map(repr, unknown))}, which has no position; "
                f"the nodes are {', '.join(map(repr, positions))}."
            )


def draw_graph(
    positions: Mapping[str, tuple[float, float]],
    edges: Mapping[tuple[str, str], str],
    *,
    title: str,
    labels: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> Figure:
    """Draw a computation graph: boxes for values, arrows for the operations' inputs.

    Each node is a box holding its label, at the position given. Nodes with no
    incoming edge (the leaves) are shaded. Each edge is an arrow from an input
    to the value computed from it, with its label (for example the local
    derivative) in the middle. A note, drawn in orange in a node's box below
    its label, can hold what backpropagation brings to it; a caption below
    the graph can hold longer text, such as the products along the paths.

    Parameters
    ----------
    positions : mapping
        Each node's name (a str) and the centre of its box, an ``(x, y)``
        pair in units of 1 inch; *y* grows upwards. Keep the graph about 4 units wide so that it
        stays legible on a phone.
    edges : mapping
        ``(source, target)`` pairs of node names, each with its label, a str
        (which may be empty).
    title : str
        The figure title; it is also the figure's alt text on the site.
    labels : mapping, optional
        The text (a str) in each node's box, by node name; by default the name.
    notes : mapping, optional
        A second line (a str), in bold orange, in the box of the nodes it names.
    caption : str, optional
        Text drawn below the whole graph, one line per line.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. Its texts are, node by node, the node's box (the frame of a
        text; for a node with a note, an invisible text followed by the label
        and the note drawn on it), then the edge labels and the caption; its
        patches hold one arrow per edge.

    Raises
    ------
    ValueError
        If there are no nodes, a position is not a pair of finite numbers, two
        nodes share a position, an edge or a label or note names a node with no
        position, or an edge joins a node to itself.

    Examples
    --------
    >>> from tutorial_helpers.graphs import draw_graph
    >>> fig = draw_graph(
    ...     {"x": (0.0, 1.0), "y": (0.0, 0.0)},
    ...     {("x", "y"): "dy/dx = 2x = 6"},
    ...     labels={"x": "x = 3", "y": "y = x² = 9"},
    ...     title="y = x²",
    ... )
    >>> [text.get_text() for text in fig.axes[0].texts]
    ['x = 3', 'y = x² = 9', 'dy/dx = 2x = 6']
    >>> draw_graph({"x": (0.0, 0.0)}, {("x", "z"): ""}, title="broken")
    Traceback (most recent call last):
        ...
    ValueError: Edge 'x' -> 'z' names the node 'z', which has no position; add it to ...
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    labels = labels or {}
    notes = notes or {}
    _check_graph(positions, edges, labels, notes)

    xs = [float(x) for x, _ in positions.values()]
    ys = [float(y) for _, y in positions.values()]
    caption_lines = caption.count("\n") + 1 if caption else 0
    caption_height = 0.3 * caption_lines + (0.2 if caption else 0.0)
    left, right = min(xs) - _PAD - 0.4, max(xs) + _PAD + 0.4
    bottom, top = min(ys) - _PAD - caption_height, max(ys) + _PAD
    fig, ax = plt.subplots(
        figsize=(_INCH_PER_UNIT * (right - left), _INCH_PER_UNIT * (top - bottom) + 0.5),
        layout="constrained",
    )
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.set_axis_off()

    has_input = {target for _, target in edges}
    boxes: dict[str, Text] = {}
    for name, (x, y) in positions.items():
        label = labels.get(name, name)
        note = notes.get(name)
        # A node's box is the frame of one text; arrows stop at its edge. With a
        # note, that text holds label and note so the box fits both and no arrow
        # crosses the note; it is then invisible, and the label and the note, in
        # their own colours, are drawn on it.
        boxes[name] = ax.text(
            x,
            y,
            f"{label}\n{note}" if note else label,
            ha="center",
            va="center",
            fontsize=_NODE_FONT,
            fontweight="bold" if note else "normal",
            color="none" if note else "black",
            zorder=3,
            bbox={
                "boxstyle": "round,pad=0.35",
                "facecolor": _OP_FILL if name in has_input else _LEAF_FILL,
                "edgecolor": "black",
                "linewidth": 1.3,
            },
        )
        if note:
            for text, colour, weight, height in [
                (label, "black", "normal", 0.75),
                (note, _NOTE_COLOUR, "bold", 0.25),
            ]:
                ax.annotate(
                    text,
                    (0.5, height),
                    xycoords=boxes[name],
                    ha="center",
                    va="center",
                    fontsize=_NODE_FONT,
                    color=colour,
                    fontweight=weight,
                    zorder=4,
                )
    for (source, target), label in edges.items():
        (x0, y0), (x1, y1) = positions[source], positions[target]
        ax.add_patch(
            FancyArrowPatch(
                (x0, y0),
                (x1, y1),
                arrowstyle="-|>,head_length=6,head_width=3.5",
                color="0.25",
                linewidth=1.4,
                patchA=boxes[source].get_bbox_patch(),
                patchB=boxes[target].get_bbox_patch(),
                shrinkA=3,
                shrinkB=3,
                zorder=1,
            )
        )
        if label:
            ax.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2,
                label,
                ha="center",
                va="center",
                fontsize=_EDGE_FONT,
                zorder=2,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "linewidth": 0},
            )
    if caption:
        ax.text(
            (left + right) / 2,
            bottom + 0.1,
            caption,
            ha="center",
            va="bottom",
            fontsize=_EDGE_FONT,
            linespacing=1.5,
        )
    fig.suptitle(title, fontsize=13)
    return fig
