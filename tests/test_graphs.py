"""Computation-graph drawings: checked from the drawn artists, not by eye."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.patches import FancyArrowPatch

from tutorial_helpers.graphs import draw_graph

POSITIONS = {"x": (0.0, 1.0), "w": (1.5, 1.0), "y": (0.7, 0.0)}
EDGES = {("x", "y"): "∂y/∂x = 3", ("w", "y"): "∂y/∂w = 2"}


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def arrows(fig) -> list[FancyArrowPatch]:
    return [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]


def test_nodes_edges_and_title() -> None:
    fig = draw_graph(POSITIONS, EDGES, title="y = w·x")
    assert fig.get_suptitle() == "y = w·x"
    # One text per node (named by default), then the edge labels.
    assert texts(fig) == ["x", "w", "y", "∂y/∂x = 3", "∂y/∂w = 2"]
    assert len(arrows(fig)) == 2
    # Each edge label sits halfway between the nodes it joins.
    labels = [t for t in fig.axes[0].texts if t.get_text().startswith("∂")]
    assert labels[0].get_position() == pytest.approx((0.35, 0.5))
    assert labels[1].get_position() == pytest.approx((1.1, 0.5))


def test_leaves_are_shaded() -> None:
    fig = draw_graph(POSITIONS, EDGES, title="t")
    frames = fig.axes[0].texts[:3]
    fills = [frame.get_bbox_patch().get_facecolor() for frame in frames]
    assert fills[0] == fills[1]  # x and w: leaves
    assert fills[2] != fills[0]  # y: computed
    assert all(frame.get_color() == "black" for frame in frames)


def test_arrows_stop_at_the_boxes() -> None:
    fig = draw_graph(POSITIONS, EDGES, title="t")
    fig.canvas.draw()
    frames = {name: fig.axes[0].texts[i] for i, name in enumerate(POSITIONS)}
    for arrow, (source, target) in zip(arrows(fig), EDGES, strict=True):
        assert arrow.patchA is frames[source].get_bbox_patch()
        assert arrow.patchB is frames[target].get_bbox_patch()


def test_labels_notes_and_caption() -> None:
    fig = draw_graph(
        POSITIONS,
        EDGES,
        labels={"y": "y = w·x = 6"},
        notes={"x": "dy/dx = 3"},
        caption="line one\nline two",
        title="t",
    )
    shown = texts(fig)
    # A node with a note: an invisible frame holds both lines, then the label and the note.
    assert shown[:3] == ["x\ndy/dx = 3", "x", "dy/dx = 3"]
    assert fig.axes[0].texts[0].get_color() == "none"
    assert "y = w·x = 6" in shown
    assert shown[-1] == "line one\nline two"
    note = fig.axes[0].texts[2]
    assert note.get_fontweight() == "bold"
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.axes[0].texts[0].get_bbox_patch().get_window_extent(renderer)
    for line in fig.axes[0].texts[1:3]:  # label and note lie inside the box
        box = line.get_window_extent(renderer)
        assert frame.x0 <= box.x0
        assert box.x1 <= frame.x1
        assert frame.y0 <= box.y0
        assert box.y1 <= frame.y1


def test_everything_stays_inside_the_figure() -> None:
    fig = draw_graph(
        {"a": (0.0, 0.0), "b": (3.0, 0.0), "c": (1.5, -1.5)},
        {("a", "c"): "∂c/∂a = 10", ("b", "c"): "∂c/∂b = 20"},
        labels={"a": "a long label = 1", "b": "b = 2", "c": "c = a·b = 2"},
        notes={"a": "dc/da = 20", "c": "dc/dc = 1"},
        caption="dc/da = 20",
        title="inside",
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for text in fig.axes[0].texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0
        assert box.x1 <= fig.bbox.x1
        assert box.y0 >= 0
        assert box.y1 <= fig.bbox.y1


@pytest.mark.parametrize(
    ("positions", "edges", "kwargs", "message"),
    [
        ({}, {}, {}, r"at least one node: positions is empty"),
        ({"x": (0.0,)}, {}, {}, r"position of node 'x' must be a pair of finite numbers"),
        ({"x": (0.0, float("nan"))}, {}, {}, r"pair of finite numbers \(x, y\), got \(0.0, nan\)"),
        ({"x": (0, 0), "y": (0.0, 0.0)}, {}, {}, r"Nodes 'x' and 'y' are both at \(0.0, 0.0\)"),
        (POSITIONS, {("x", "z"): ""}, {}, r"names the node 'z', which has no position; add it"),
        (POSITIONS, {("x", "x"): ""}, {}, r"joins a node to itself"),
        (POSITIONS, {"xy": ""}, {}, r"must be a pair \(source, target\)"),
        (POSITIONS, EDGES, {"labels": {"q": "q"}}, r"labels names 'q', which has no position"),
        (POSITIONS, EDGES, {"notes": {"q": "1"}}, r"notes names 'q'.*the nodes are 'x', 'w', 'y'"),
    ],
)
def test_bad_graphs_are_named(positions, edges, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        draw_graph(positions, edges, title="bad", **kwargs)
