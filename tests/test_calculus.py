"""Slopes from autograd and the geometry of what is drawn, checked numerically."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from tutorial_helpers.calculus import (
    NotDifferentiableError,
    Tangent,
    TangentPlane,
    partial_derivatives,
    plot_function_with_tangents,
    plot_rise_over_run,
    plot_surface_with_tangent_plane,
    plot_tangent,
    slope_at,
    slope_between,
    tangent_line,
    tangent_plane,
)


def cubic(x):
    return x**3 + 3 * x**2 - 5 * x + 4


def bowl(x, y):
    return x**2 + y**2


def lines_with_gid(ax, gid: str):
    return [line for line in ax.get_lines() if line.get_gid() == gid]


# -- slopes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "x", "expected"),
    [
        (lambda x: x**2, -2.0, -4.0),
        (lambda x: x**2, 0, 0.0),
        (lambda x: x**2, torch.tensor(1.5), 3.0),
        (cubic, -2.0, -5.0),
        (torch.sin, 0.0, 1.0),
        (lambda x: x, np.float32(2.0), 1.0),  # identity: output is the input leaf itself
        (lambda x: 0 * x + 3, 1.0, 0.0),  # a constant written through x has slope 0
    ],
)
def test_slope_at_matches_calculus(f, x, expected) -> None:
    assert slope_at(f, x) == pytest.approx(expected, abs=1e-12)


def test_slope_is_autograd_not_a_finite_difference() -> None:
    # A finite difference of x**3 at 1 with any step h > 0 is 3 + h**2, never exactly 3.
    assert slope_at(lambda x: x**3, 1.0) == 3.0


def test_point_tensor_is_not_modified_and_may_be_int_or_on_grad() -> None:
    point = torch.tensor(2, dtype=torch.int64)
    assert slope_at(lambda x: x**2, point) == 4.0
    leaf = torch.tensor(2.0, requires_grad=True)
    assert slope_at(lambda x: x**2, leaf) == 4.0
    assert leaf.grad is None  # the helper differentiates a copy


def test_slope_between() -> None:
    assert slope_between((0, 2), (4, 0)) == -0.5
    assert slope_between(torch.tensor([1.0, 1.0]), (3.0, 5.0)) == 2.0


def test_tangent_line_and_plane_values() -> None:
    line = tangent_line(lambda x: x**2, 1.5)
    assert line == Tangent(x0=1.5, y0=2.25, slope=3.0)
    assert np.allclose(line(np.array([0.5, 2.5])), [-0.75, 5.25])
    plane = tangent_plane(bowl, 2.0, 0.5)
    assert plane == TangentPlane(x0=2.0, y0=0.5, z0=4.25, dz_dx=4.0, dz_dy=1.0)
    assert partial_derivatives(bowl, 2.0, 0.5) == (4.0, 1.0)
    assert float(plane(3.0, 1.5)) == 4.25 + 4.0 + 1.0


# -- errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "x", "error", "message"),
    [
        (lambda x: x**2, torch.tensor([1.0, 2.0]), ValueError, r"one number .*shape \(2,\)"),
        (lambda x: x**2, torch.tensor([1.0]), ValueError, r"shape \(1,\).*squeeze"),
        (lambda x: x**2, [1.0, 2.0], ValueError, r"one number, got a list"),
        (lambda x: x**2, np.array([1.0]), ValueError, r"one number, got a ndarray"),
        (lambda x: x**2, "2", TypeError, r"real number or a 0-d tensor"),
        (lambda x: x**2, True, TypeError, r"real number"),
        (lambda x: x**2, torch.tensor(1j), TypeError, r"real number.*complex"),
        (lambda x: x**2, float("nan"), ValueError, r"finite"),
        pytest.param(
            lambda x: math.sin(x),
            1.0,
            TypeError,
            r"torch.sin, not math.sin",
            # math.sin converts the tensor to a float, with a warning torch itself gives.
            marks=pytest.mark.filterwarnings("ignore:Converting a tensor with requires_grad"),
        ),
        (lambda x: x * torch.ones(3), 1.0, ValueError, r"0-d tensor.*shape \(3,\)"),
        (lambda x: torch.tensor(3.0), 1.0, NotDifferentiableError, r"does not depend.*grad_fn"),
        (lambda x: x.detach() ** 2, 1.0, NotDifferentiableError, r"\.detach\(\)"),
        (torch.sqrt, 0.0, NotDifferentiableError, r"not differentiable there"),
        (lambda x: x ** (1 / 3), 0.0, NotDifferentiableError, r"not finite"),
        (torch.log, 0.0, NotDifferentiableError, r"f\(0\) = -inf is not a finite number"),
    ],
)
def test_bad_input_is_named(f, x, error, message) -> None:
    with pytest.raises(error, match=message):
        slope_at(f, x)


def test_output_unrelated_to_the_input_is_rejected() -> None:
    other = torch.tensor(1.0, requires_grad=True)
    with pytest.raises(NotDifferentiableError, match="no path from the output"):
        slope_at(lambda x: other * 2, 1.0)
    with pytest.raises(NotDifferentiableError, match="every input"):
        partial_derivatives(lambda x, y: x**2, 1.0, 1.0)


def test_not_differentiable_is_a_value_error() -> None:
    assert issubclass(NotDifferentiableError, ValueError)


def test_vertical_line_and_bad_pairs() -> None:
    with pytest.raises(ValueError, match="vertical line"):
        slope_between((1, 0), (1, 5))
    with pytest.raises(ValueError, match=r"p2 must be a pair"):
        slope_between((1, 0), (1, 5, 2))


# -- drawn geometry: curves and tangents -------------------------------------------


def assert_touches_with_slope(segment, f, x0: float, slope: float) -> None:
    """The drawn segment is straight, has ``slope`` and passes through (x0, f(x0))."""
    xs, ys = segment.get_xdata().astype(float), segment.get_ydata().astype(float)
    drawn = np.polyfit(xs, ys, 1)
    assert drawn[0] == pytest.approx(slope)
    assert np.polyval(drawn, x0) == pytest.approx(float(f(torch.tensor(x0))))
    assert np.allclose(np.polyval(drawn, xs), ys)  # a straight segment
    assert xs.min() < x0 < xs.max()  # centred on the point, not ending there


def test_tangents_are_drawn_touching_the_curve_with_autograd_slopes() -> None:
    _, ax = plt.subplots()
    tangents = plot_function_with_tangents(ax, cubic, torch.tensor([-2.0, 0.0, 1.5]))
    segments = lines_with_gid(ax, "tangent")
    points = lines_with_gid(ax, "tangent-point")
    assert len(segments) == len(points) == 3
    for tangent, segment, point, expected in zip(
        tangents, segments, points, [-5.0, -5.0, 10.75], strict=True
    ):
        assert tangent.slope == expected
        assert_touches_with_slope(segment, cubic, tangent.x0, expected)
        assert point.get_xydata().tolist() == [[tangent.x0, float(cubic(tangent.x0))]]
    # The curve is the function itself over the requested range.
    (curve,) = lines_with_gid(ax, "curve")
    xs = curve.get_xdata()
    assert (xs[0], xs[-1]) == (-3.0, 3.0)
    assert np.allclose(curve.get_ydata(), cubic(xs))
    # Each tangent is tangent: near x0 it is closer to the curve than a line of any other slope.
    for tangent in tangents:
        h = 1e-3
        near = float(cubic(torch.tensor(tangent.x0 + h, dtype=torch.float64)))
        assert abs(tangent(tangent.x0 + h) - near) < 1e-5


def test_slope_labels_and_rise_run() -> None:
    _, ax = plt.subplots()
    plot_function_with_tangents(ax, lambda x: x**2, [-2, 1.5], show_rise_run=True, half_width=0.5)
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["slope -4", "slope 3"]
    legs = lines_with_gid(ax, "rr")
    assert len(legs) == 2
    (x_a, y_a), (x_b, y_b), (x_c, y_c) = legs[1].get_xydata()
    assert (y_b - y_a, x_c - x_b) == (0, 0)  # a horizontal run, then a vertical rise
    assert (y_c - y_b) / (x_b - x_a) == pytest.approx(3.0)


def test_plot_tangent_of_a_guess_draws_exactly_that_line() -> None:
    _, ax = plt.subplots()
    guess = Tangent(x0=-2.0, y0=18.0, slope=-9.0)
    segment = plot_tangent(ax, guess, half_width=1.0, annotate=False)
    assert segment.get_xydata().tolist() == [[-3.0, 27.0], [-1.0, 9.0]]
    assert not ax.texts


def test_rise_over_run_drawing() -> None:
    _, ax = plt.subplots()
    slope = plot_rise_over_run(ax, (0, 2), (4, 0))
    assert slope == -0.5
    (line,) = lines_with_gid(ax, "line")
    xs, ys = line.get_xdata(), line.get_ydata()
    assert np.allclose(ys, 2 - 0.5 * xs)
    (legs,) = lines_with_gid(ax, "rise-run")
    assert legs.get_xydata().tolist() == [[0, 2], [4, 2], [4, 0]]
    texts = {t.get_text() for t in ax.texts}
    assert {"run = 4", "rise = -2", "(0, 2)", "(4, 0)"} <= texts


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"points": []}, ValueError, "points is empty"),
        ({"points": torch.ones(2, 2)}, ValueError, r"1-D tensor .*shape \(2, 2\)"),
        ({"points": [0.0], "x_range": (1, -1)}, ValueError, r"x_range must be \(low, high\)"),
        ({"points": [0.0], "half_width": 0}, ValueError, "half_width must be a positive"),
    ],
)
def test_plot_function_with_tangents_rejects_bad_input(kwargs, error, message) -> None:
    _, ax = plt.subplots()
    with pytest.raises(error, match=message):
        plot_function_with_tangents(ax, lambda x: x**2, **kwargs)


def test_function_that_is_not_elementwise_is_named() -> None:
    _, ax = plt.subplots()

    def summed(x):
        return (x**2).sum()  # one number for a whole grid: cannot draw a curve

    with pytest.raises(ValueError, match="must work elementwise"):
        plot_function_with_tangents(ax, summed, [1.0])


# -- drawn geometry: surfaces and tangent planes -----------------------------------


def plane_vertices(ax) -> np.ndarray:
    (plane,) = [c for c in ax.collections if c.get_gid() == "tangent-plane"]
    # matplotlib keeps a 3-D surface's faces as (faces, corners, xyz); there is no public getter.
    return plane._faces.reshape(-1, 3)


def test_tangent_plane_passes_through_the_point_with_the_gradient() -> None:
    ax = plt.figure().add_subplot(projection="3d")
    plane = plot_surface_with_tangent_plane(ax, bowl, 2.0, 0.5, plane_half_width=1.0)
    assert (plane.z0, plane.dz_dx, plane.dz_dy) == (4.25, 4.0, 1.0)
    corners = plane_vertices(ax)
    x, y, z = corners.T
    # Every drawn corner satisfies z = z0 + 4 (x - 2) + 1 (y - 0.5) ...
    assert np.allclose(z, 4.25 + 4.0 * (x - 2.0) + 1.0 * (y - 0.5))
    # ... and the drawn patch is centred on the point.
    assert np.allclose([x.min(), x.max(), y.min(), y.max()], [1.0, 3.0, -0.5, 1.5])
    (point,) = lines_with_gid(ax, "point")
    assert np.allclose(np.ravel(point.get_data_3d()), [2.0, 0.5, 4.25])
    # The two slope lines lie in the plane, along x and along y.
    for gid, direction in (("slope-x", (1, 0)), ("slope-y", (0, 1))):
        (line,) = lines_with_gid(ax, gid)
        lx, ly, lz = (np.asarray(v, dtype=float) for v in line.get_data_3d())
        assert np.allclose(lz, plane(lx, ly))
        assert np.allclose(np.diff(lx) * direction[1], 0)
        assert np.allclose(np.diff(ly) * direction[0], 0)


def test_surface_is_the_function_and_the_view_is_set() -> None:
    ax = plt.figure().add_subplot(projection="3d")
    plot_surface_with_tangent_plane(ax, bowl, 1.0, -1.0, resolution=5, elev=30, azim=-100)
    (surface,) = [c for c in ax.collections if c.get_gid() == "surface"]
    x, y, z = surface._faces.reshape(-1, 3).T
    assert np.allclose(z, x**2 + y**2)
    assert (ax.elev, ax.azim) == (30, -100)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()) == ("x", "y", "z")
    assert 0 < surface.get_alpha() < 1  # see-through, so the plane and point stay visible


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"resolution": 1}, ValueError, "resolution must be an integer of at least 2"),
        ({"plane_half_width": -1.0}, ValueError, "plane_half_width must be a positive"),
        ({"y_range": (2, 2)}, ValueError, r"y_range must be \(low, high\)"),
    ],
)
def test_surface_plot_rejects_bad_options(kwargs, error, message) -> None:
    ax = plt.figure().add_subplot(projection="3d")
    with pytest.raises(error, match=message):
        plot_surface_with_tangent_plane(ax, bowl, 1.0, 1.0, **kwargs)


def test_surface_plot_needs_3d_axes_and_a_differentiable_point() -> None:
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match=r"projection='3d'"):
        plot_surface_with_tangent_plane(ax, bowl, 1.0, 1.0)
    ax3d = plt.figure().add_subplot(projection="3d")
    with pytest.raises(NotDifferentiableError, match="not differentiable there"):
        plot_surface_with_tangent_plane(ax3d, lambda x, y: torch.sqrt(x**2 + y**2), 0.0, 0.0)
    with pytest.raises(ValueError, match=r"x0 must be one number"):
        plot_surface_with_tangent_plane(ax3d, bowl, torch.zeros(2), 0.0)
