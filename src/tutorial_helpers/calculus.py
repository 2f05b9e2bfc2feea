"""Slopes, tangent lines and tangent planes computed by autograd, and their plots.

Every slope here comes from :func:`torch.autograd.grad` at the point, never
from a finite difference or a number typed in, so a figure always shows what
PyTorch computes. The functions to differentiate are Python callables built
from torch operations: ``f(x)`` for a curve, ``f(x, y)`` for a surface. They
are called with 0-d ``float64`` tensors to find slopes, and with 1-D (curves)
or 2-D (surfaces) ``float64`` tensors to draw, so they must work elementwise.

Input that cannot give a meaningful slope is rejected with an error that says
why: a point that is not one number, a function that does not return a 0-d
tensor built from its input, or a value or slope that is not finite (for
example :func:`torch.sqrt` at 0, whose slope is infinite). Autograd cannot see
every kink: at a corner such as ``torch.abs`` at 0, where the one-sided slopes
are -1 and +1, it returns 0, a subgradient that is neither of them, rather
than failing, so check such points yourself:

>>> import torch
>>> from tutorial_helpers.calculus import slope_at
>>> slope_at(torch.abs, -1e-9), slope_at(torch.abs, 0.0), slope_at(torch.abs, 1e-9)
(-1.0, 0.0, 1.0)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import torch

if TYPE_CHECKING:
    import matplotlib.lines
    from matplotlib.axes import Axes
    from mpl_toolkits.mplot3d import Axes3D
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "NotDifferentiableError",
    "Tangent",
    "TangentPlane",
    "partial_derivatives",
    "plot_function_with_tangents",
    "plot_rise_over_run",
    "plot_surface_with_tangent_plane",
    "plot_tangent",
    "slope_at",
    "slope_between",
    "tangent_line",
    "tangent_plane",
]

#: A curve ``y = f(x)``, written with torch operations.
CurveFunction = Callable[[torch.Tensor], torch.Tensor]
#: A surface ``z = f(x, y)``, written with torch operations.
SurfaceFunction = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
#: A point coordinate: a real Python or NumPy number, or a 0-d real tensor.
Coordinate = float | int | torch.Tensor


class NotDifferentiableError(ValueError):
    """Autograd gives no finite slope for this function at this point."""


@dataclass(frozen=True)
class Tangent:
    """The tangent line ``y = y0 + slope * (x - x0)`` of a curve at ``x0``.

    Calling it evaluates the line: ``tangent(x)`` for a number or an array.
    """

    x0: float
    y0: float
    slope: float

    def __call__(self, x: ArrayLike) -> NDArray[np.float64]:
        return self.y0 + self.slope * (np.asarray(x, dtype=np.float64) - self.x0)


@dataclass(frozen=True)
class TangentPlane:
    """The tangent plane ``z = z0 + dz_dx (x - x0) + dz_dy (y - y0)`` at ``(x0, y0)``.

    Calling it evaluates the plane: ``plane(x, y)`` for numbers or arrays.
    """

    x0: float
    y0: float
    z0: float
    dz_dx: float
    dz_dy: float

    def __call__(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
        dx = np.asarray(x, dtype=np.float64) - self.x0
        dy = np.asarray(y, dtype=np.float64) - self.y0
        return self.z0 + self.dz_dx * dx + self.dz_dy * dy


# -- computing slopes --------------------------------------------------------


def _as_leaf(value: object, name: str) -> torch.Tensor:
    """Return ``value`` as a fresh 0-d float64 leaf that requires grad."""
    if isinstance(value, torch.Tensor):
        if value.ndim != 0:
            raise ValueError(
                f"{name} must be one number (a 0-d tensor), got a tensor of shape "
                f"{tuple(value.shape)}; pick one element, e.g. {name}[0], or call .squeeze()."
            )
        if value.is_complex() or value.dtype == torch.bool:
            raise TypeError(f"{name} must be a real number, got a tensor of dtype {value.dtype}.")
        leaf = value.detach().to(torch.float64).clone()
    elif isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        leaf = torch.tensor(float(value), dtype=torch.float64)
    elif isinstance(value, np.ndarray | list | tuple):
        raise ValueError(
            f"{name} must be one number, got a {type(value).__name__}; "
            "pass the points one at a time (or use plot_function_with_tangents for several)."
        )
    else:
        raise TypeError(f"{name} must be a real number or a 0-d tensor, got {value!r}.")
    if not torch.isfinite(leaf):
        raise ValueError(f"{name} must be finite, got {leaf.item()}.")
    return leaf.requires_grad_()


def _gradient(
    f: Callable[..., torch.Tensor], point: Sequence[torch.Tensor]
) -> tuple[float, tuple[float, ...]]:
    """Return ``f(*point)`` and its partial derivatives, both from autograd."""
    where = ", ".join(f"{p.item():g}" for p in point)
    output = f(*point)
    if not isinstance(output, torch.Tensor):
        raise TypeError(
            f"f must return a torch.Tensor, got {type(output).__name__}: build it from torch "
            "operations (torch.sin, not math.sin; no .item()) so that autograd can follow it."
        )
    if output.ndim != 0:
        raise ValueError(
            f"f must return one number (a 0-d tensor) for one point, got shape "
            f"{tuple(output.shape)}; reduce it first, e.g. f(x).sum()."
        )
    if not output.requires_grad:
        raise NotDifferentiableError(
            "f's output does not depend on its input through autograd (it has no grad_fn): "
            "f may ignore its input, or cut the graph with .detach(), .item(), "
            "torch.tensor(...) or torch.no_grad(). A constant has slope 0; write it as 0 * x + c."
        )
    if not torch.isfinite(output):
        raise NotDifferentiableError(f"f({where}) = {output.item()} is not a finite number.")
    grads = torch.autograd.grad(output, list(point), allow_unused=True)
    if any(g is None for g in grads):
        raise NotDifferentiableError(
            "f's output does not depend on every input: autograd found no path from the "
            "output back to the point. Use the input in f's computation."
        )
    slopes = tuple(float(g) for g in grads)
    if not all(math.isfinite(s) for s in slopes):
        raise NotDifferentiableError(
            f"autograd's slope of f at ({where}) is {slopes}, not finite: f is not "
            "differentiable there (e.g. torch.sqrt at 0). Choose another point."
        )
    return float(output.detach()), slopes


def slope_between(p1: Sequence[float], p2: Sequence[float]) -> float:
    """Return the slope ``(y2 - y1) / (x2 - x1)`` of the line through two points.

    Parameters
    ----------
    p1, p2 : tuple of float
        The points ``(x, y)``.

    Returns
    -------
    float
        Rise over run.

    Raises
    ------
    ValueError
        If a point is not a pair, or both have the same ``x`` (a vertical line
        has no finite slope).

    Examples
    --------
    >>> from tutorial_helpers.calculus import slope_between
    >>> slope_between((0, 2), (4, 0))
    -0.5
    """
    (x1, y1), (x2, y2) = (_pair(p, name) for p, name in ((p1, "p1"), (p2, "p2")))
    if x1 == x2:
        raise ValueError(
            f"p1 and p2 both have x = {x1}: a vertical line has no finite slope. "
            "Choose points with different x."
        )
    return (y2 - y1) / (x2 - x1)


def _pair(point: Sequence[float], name: str) -> tuple[float, float]:
    if isinstance(point, torch.Tensor):
        point = point.detach().cpu().tolist()
    if len(point) != 2:
        raise ValueError(f"{name} must be a pair (x, y), got {point!r}.")
    x, y = (float(v) for v in point)
    return x, y


def slope_at(f: CurveFunction, x: Coordinate) -> float:
    """Return the slope of ``y = f(x)`` at ``x``, computed by autograd.

    Parameters
    ----------
    f : callable
        Takes a 0-d tensor and returns a 0-d tensor, using torch operations.
    x : float or torch.Tensor
        The point. A tensor is copied; it does not need ``requires_grad``.

    Returns
    -------
    float
        ``dy/dx`` at ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not one finite number (e.g. a tensor of shape ``(2,)``) or
        ``f`` does not return a 0-d tensor.
    TypeError
        If ``x`` is not a real number, or ``f`` does not return a tensor.
    NotDifferentiableError
        If the output does not depend on ``x`` or the value or slope is not finite.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.calculus import slope_at
    >>> slope_at(lambda x: x**2, -2.0)
    -4.0
    >>> slope_at(torch.sin, torch.tensor(0.0))
    1.0
    """
    return _gradient(f, [_as_leaf(x, "x")])[1][0]


def tangent_line(f: CurveFunction, x0: Coordinate) -> Tangent:
    """Return the tangent line of ``y = f(x)`` at ``x0``, its slope from autograd.

    Parameters
    ----------
    f : callable
        As in :func:`slope_at`.
    x0 : float or torch.Tensor
        Where the line touches the curve.

    Returns
    -------
    Tangent
        ``x0``, ``y0 = f(x0)`` and the slope; call it to evaluate the line.

    Raises
    ------
    ValueError, TypeError, NotDifferentiableError
        As :func:`slope_at`.

    Examples
    --------
    >>> from tutorial_helpers.calculus import tangent_line
    >>> line = tangent_line(lambda x: x**2, 1.5)
    >>> line
    Tangent(x0=1.5, y0=2.25, slope=3.0)
    >>> float(line(2.5))
    5.25
    """
    leaf = _as_leaf(x0, "x0")
    y0, (slope,) = _gradient(f, [leaf])
    return Tangent(x0=leaf.item(), y0=y0, slope=slope)


def partial_derivatives(f: SurfaceFunction, x0: Coordinate, y0: Coordinate) -> tuple[float, float]:
    """Return ``(dz/dx, dz/dy)`` of ``z = f(x, y)`` at ``(x0, y0)``, from autograd.

    Parameters
    ----------
    f : callable
        Takes two 0-d tensors and returns a 0-d tensor, using torch operations.
    x0, y0 : float or torch.Tensor
        The point.

    Returns
    -------
    tuple of float
        The partial derivatives with respect to ``x`` and to ``y``.

    Raises
    ------
    ValueError, TypeError, NotDifferentiableError
        As :func:`slope_at`, for either coordinate.

    Examples
    --------
    >>> from tutorial_helpers.calculus import partial_derivatives
    >>> partial_derivatives(lambda x, y: x**2 + y**2, 2.0, 0.5)
    (4.0, 1.0)
    """
    return _gradient(f, [_as_leaf(x0, "x0"), _as_leaf(y0, "y0")])[1]  # type: ignore[return-value]


def tangent_plane(f: SurfaceFunction, x0: Coordinate, y0: Coordinate) -> TangentPlane:
    """Return the tangent plane of ``z = f(x, y)`` at ``(x0, y0)``, slopes from autograd.

    Parameters
    ----------
    f : callable
        As in :func:`partial_derivatives`.
    x0, y0 : float or torch.Tensor
        Where the plane touches the surface.

    Returns
    -------
    TangentPlane
        The point, ``z0 = f(x0, y0)`` and both slopes; call it to evaluate the plane.

    Raises
    ------
    ValueError, TypeError, NotDifferentiableError
        As :func:`slope_at`, for either coordinate.

    Examples
    --------
    >>> from tutorial_helpers.calculus import tangent_plane
    >>> plane = tangent_plane(lambda x, y: x**2 + y**2, 2.0, 2.0)
    >>> plane
    TangentPlane(x0=2.0, y0=2.0, z0=8.0, dz_dx=4.0, dz_dy=4.0)
    >>> float(plane(3.0, 3.0))
    16.0
    """
    x_leaf, y_leaf = _as_leaf(x0, "x0"), _as_leaf(y0, "y0")
    z0, (dz_dx, dz_dy) = _gradient(f, [x_leaf, y_leaf])
    return TangentPlane(x0=x_leaf.item(), y0=y_leaf.item(), z0=z0, dz_dx=dz_dx, dz_dy=dz_dy)


# -- drawing -------------------------------------------------------------------


def _evaluate(f: Callable[..., torch.Tensor], *grids: NDArray[np.float64]) -> NDArray[np.float64]:
    """Evaluate ``f`` elementwise on NumPy grids, through float64 tensors."""
    tensors = [torch.from_numpy(np.ascontiguousarray(g, dtype=np.float64)) for g in grids]
    with torch.no_grad():
        values = f(*tensors)
    if not isinstance(values, torch.Tensor) or values.shape != tensors[0].shape:
        got = tuple(values.shape) if isinstance(values, torch.Tensor) else type(values).__name__
        raise ValueError(
            f"f must work elementwise: given tensors of shape {tuple(tensors[0].shape)} it "
            f"returned {got}. Use torch operations, not Python if/else or math functions."
        )
    return values.detach().cpu().to(torch.float64).numpy()


def _check_range(bounds: Sequence[float], name: str) -> tuple[float, float]:
    low, high = (float(b) for b in bounds)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{name} must be (low, high) with low < high, got {tuple(bounds)}.")
    return low, high


def plot_rise_over_run(
    ax: Axes, p1: Sequence[float], p2: Sequence[float], *, color: str = "tab:red"
) -> float:
    """Draw the line through two points with its run and rise, labelled with the slope.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    p1, p2 : tuple of float
        The points ``(x, y)``, with different ``x``.
    color : str
        Colour of the line.

    Returns
    -------
    float
        The slope, as :func:`slope_between`.

    Raises
    ------
    ValueError
        As :func:`slope_between`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from tutorial_helpers.calculus import plot_rise_over_run
    >>> fig, ax = plt.subplots()
    >>> plot_rise_over_run(ax, (0, 2), (4, 0))
    -0.5
    """
    slope = slope_between(p1, p2)
    (x1, y1), (x2, y2) = _pair(p1, "p1"), _pair(p2, "p2")
    margin = 0.25 * abs(x2 - x1)
    xs = np.array([min(x1, x2) - margin, max(x1, x2) + margin])
    ax.plot(xs, y1 + slope * (xs - x1), color=color, linewidth=2, gid="line")
    ax.plot([x1, x2], [y1, y2], "o", color="black", markersize=6, gid="points")
    ax.plot([x1, x2, x2], [y1, y1, y2], ":", color="black", linewidth=1.5, gid="rise-run")
    ax.annotate(
        f"run = {x2 - x1:g}",
        ((x1 + x2) / 2, y1),
        xytext=(0, 6 if y2 < y1 else -14),
        textcoords="offset points",
        ha="center",
    )
    ax.annotate(
        f"rise = {y2 - y1:g}",
        (x2, (y1 + y2) / 2),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
    )
    for x, y in ((x1, y1), (x2, y2)):
        ax.annotate(f"({x:g}, {y:g})", (x, y), xytext=(6, 6), textcoords="offset points")
    return slope


def plot_tangent(
    ax: Axes,
    tangent: Tangent,
    *,
    half_width: float = 1.0,
    color: str = "black",
    label: str | None = None,
    annotate: bool = True,
    show_rise_run: bool = False,
    linestyle: str = "-",
) -> matplotlib.lines.Line2D:
    """Draw a segment of ``tangent`` centred on its point, and mark the point.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    tangent : Tangent
        The line, e.g. from :func:`tangent_line` (or a guess built by hand).
    half_width : float
        The segment spans ``x0 - half_width`` to ``x0 + half_width``.
    color, linestyle : str
        Style of the segment.
    label : str, optional
        Legend label of the segment.
    annotate : bool
        Write the slope beside the point.
    show_rise_run : bool
        Also draw the run and rise of the segment as dotted legs.

    Returns
    -------
    matplotlib.lines.Line2D
        The segment (its ``gid`` is ``"tangent"``).

    Raises
    ------
    ValueError
        If ``half_width`` is not a positive number.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from tutorial_helpers.calculus import Tangent, plot_tangent
    >>> fig, ax = plt.subplots()
    >>> segment = plot_tangent(ax, Tangent(x0=1.0, y0=1.0, slope=2.0), half_width=0.5)
    >>> segment.get_xydata().tolist()
    [[0.5, 0.0], [1.5, 2.0]]
    """
    if not (isinstance(half_width, numbers.Real) and math.isfinite(half_width) and half_width > 0):
        raise ValueError(f"half_width must be a positive number, got {half_width!r}.")
    xs = np.array([tangent.x0 - half_width, tangent.x0 + half_width])
    ys = tangent(xs)
    (segment,) = ax.plot(
        xs, ys, color=color, linewidth=2, linestyle=linestyle, label=label, gid="tangent"
    )
    ax.plot([tangent.x0], [tangent.y0], "o", color=color, markersize=6, gid="tangent-point")
    if show_rise_run:
        ax.plot(
            [xs[0], xs[1], xs[1]], [ys[0], ys[0], ys[1]], ":", color=color, linewidth=1.2, gid="rr"
        )
    if annotate:
        # Below the point, on the side where the line climbs away from it, so
        # the text stays clear of the line (and of a curve that bends upwards).
        side = -1 if tangent.slope < 0 else 1
        ax.annotate(
            f"slope {tangent.slope:.3g}",
            (tangent.x0, tangent.y0),
            xytext=(side * 10, -16),
            textcoords="offset points",
            ha="right" if side < 0 else "left",
            va="top",
            color=color,
            fontsize=11,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    return segment


def plot_function_with_tangents(
    ax: Axes,
    f: CurveFunction,
    points: Sequence[Coordinate] | torch.Tensor,
    *,
    x_range: Sequence[float] = (-3.0, 3.0),
    half_width: float = 0.6,
    curve_label: str | None = None,
    curve_color: str = "tab:blue",
    tangent_color: str = "black",
    show_rise_run: bool = False,
    num: int = 301,
) -> list[Tangent]:
    """Draw ``y = f(x)`` and its tangent at each point, slopes from autograd.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    f : callable
        As in :func:`slope_at`; it must also work elementwise on a 1-D tensor.
    points : list of float or torch.Tensor
        Where to draw tangents: numbers, 0-d tensors, or one 1-D tensor.
    x_range : tuple of float
        The curve is drawn from ``x_range[0]`` to ``x_range[1]``.
    half_width : float
        Half the horizontal extent of each tangent segment.
    curve_label : str, optional
        Legend label of the curve.
    curve_color, tangent_color : str
        Colours of the curve and of the tangents.
    show_rise_run : bool
        Draw each segment's run and rise (see :func:`plot_tangent`).
    num : int
        How many samples draw the curve.

    Returns
    -------
    list of Tangent
        One per point, in order.

    Raises
    ------
    ValueError, TypeError, NotDifferentiableError
        As :func:`tangent_line` for each point; also if ``points`` is empty or
        not 1-D, ``x_range`` is not increasing, or ``f`` is not elementwise.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from tutorial_helpers.calculus import plot_function_with_tangents
    >>> fig, ax = plt.subplots()
    >>> [t.slope for t in plot_function_with_tangents(ax, lambda x: x**2, [-2, 0, 1.5])]
    [-4.0, 0.0, 3.0]
    """
    low, high = _check_range(x_range, "x_range")
    if isinstance(points, torch.Tensor):
        if points.ndim != 1:
            raise ValueError(
                f"points must be a 1-D tensor (one x per tangent), got shape {tuple(points.shape)}."
            )
        point_list: list[Coordinate] = list(points.detach().cpu().unbind())
    else:
        point_list = list(points)
    if not point_list:
        raise ValueError("points is empty: give at least one x at which to draw a tangent.")
    tangents = [tangent_line(f, x) for x in point_list]
    xs = np.linspace(low, high, num)
    ax.plot(xs, _evaluate(f, xs), color=curve_color, linewidth=2, label=curve_label, gid="curve")
    for tangent in tangents:
        plot_tangent(
            ax,
            tangent,
            half_width=half_width,
            color=tangent_color,
            show_rise_run=show_rise_run,
        )
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.grid(True, alpha=0.3)
    return tangents


def plot_surface_with_tangent_plane(
    ax3d: Axes,
    f: SurfaceFunction,
    x0: Coordinate,
    y0: Coordinate,
    *,
    x_range: Sequence[float] = (-3.0, 3.0),
    y_range: Sequence[float] = (-3.0, 3.0),
    plane_half_width: float = 1.2,
    resolution: int = 41,
    elev: float = 25.0,
    azim: float = -125.0,
    surface_alpha: float = 0.35,
    show_slopes: bool = True,
) -> TangentPlane:
    """Draw ``z = f(x, y)``, its tangent plane at ``(x0, y0)`` and the point.

    The surface is see-through so the plane and the point stay visible; the
    plane's lines through the point along ``x`` and along ``y`` show the two
    partial derivatives.

    Parameters
    ----------
    ax3d : matplotlib.axes.Axes
        A 3-D axes: ``fig.add_subplot(projection="3d")``.
    f : callable
        As in :func:`partial_derivatives`; it must also work elementwise on 2-D tensors.
    x0, y0 : float or torch.Tensor
        Where the plane touches the surface.
    x_range, y_range : tuple of float
        The extent of the surface.
    plane_half_width : float
        The plane spans ``x0 ± plane_half_width`` and ``y0 ± plane_half_width``.
    resolution : int
        Grid lines of the surface along each axis.
    elev, azim : float
        View angle, in degrees. The default looks from the side of negative ``x``
        and ``y``, facing the planes of points where both are positive.
    surface_alpha : float
        Opacity of the surface, from 0 to 1.
    show_slopes : bool
        Draw the lines of slope ``dz/dx`` and ``dz/dy`` through the point, labelled.

    Returns
    -------
    TangentPlane
        The plane drawn.

    Raises
    ------
    TypeError
        If ``ax3d`` is not a 3-D axes.
    ValueError, NotDifferentiableError
        As :func:`tangent_plane`; also for a bad range, width or resolution.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from tutorial_helpers.calculus import plot_surface_with_tangent_plane
    >>> ax = plt.figure().add_subplot(projection="3d")
    >>> plot_surface_with_tangent_plane(ax, lambda x, y: x**2 + y**2, 2.0, 2.0)
    TangentPlane(x0=2.0, y0=2.0, z0=8.0, dz_dx=4.0, dz_dy=4.0)
    """
    if getattr(ax3d, "name", None) != "3d":
        raise TypeError(
            "plot_surface_with_tangent_plane needs a 3-D axes, got "
            f"{type(ax3d).__name__}; create one with fig.add_subplot(projection='3d')."
        )
    (x_low, x_high), (y_low, y_high) = (
        _check_range(x_range, "x_range"),
        _check_range(y_range, "y_range"),
    )
    if not (isinstance(resolution, int) and resolution >= 2):
        raise ValueError(f"resolution must be an integer of at least 2, got {resolution!r}.")
    if not (math.isfinite(plane_half_width) and plane_half_width > 0):
        raise ValueError(f"plane_half_width must be a positive number, got {plane_half_width!r}.")
    plane = tangent_plane(f, x0, y0)

    xs, ys = np.meshgrid(
        np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution)
    )
    # Draw in the order added (surface, plane, point): matplotlib's depth sort of
    # whole artists would otherwise hide the point behind the surface at random.
    ax = cast("Axes3D", ax3d)
    ax.computed_zorder = False
    ax.plot_surface(
        xs,
        ys,
        _evaluate(f, xs, ys),
        cmap="viridis",
        alpha=surface_alpha,
        linewidth=0,
        antialiased=True,
        gid="surface",
    )
    h = plane_half_width
    px, py = np.meshgrid(
        np.linspace(plane.x0 - h, plane.x0 + h, 2), np.linspace(plane.y0 - h, plane.y0 + h, 2)
    )
    ax.plot_surface(
        px,
        py,
        plane(px, py),
        color="tab:orange",
        alpha=0.7,
        edgecolor="darkorange",
        linewidth=1.0,
        gid="tangent-plane",
    )
    if show_slopes:
        t = np.array([-h, h])
        ax.plot(
            plane.x0 + t,
            np.full(2, plane.y0),
            plane.z0 + plane.dz_dx * t,
            color="tab:red",
            linewidth=2.5,
            gid="slope-x",
            label=f"along x: dz/dx = {plane.dz_dx:.3g}",
        )
        ax.plot(
            np.full(2, plane.x0),
            plane.y0 + t,
            plane.z0 + plane.dz_dy * t,
            color="tab:purple",
            linewidth=2.5,
            gid="slope-y",
            label=f"along y: dz/dy = {plane.dz_dy:.3g}",
        )
    ax.plot(
        [plane.x0],
        [plane.y0],
        [plane.z0],
        "o",
        color="black",
        markersize=7,
        gid="point",
        label=f"({plane.x0:g}, {plane.y0:g}, {plane.z0:g})",
    )
    ax.view_init(elev=elev, azim=azim)
    ax.set_box_aspect(None, zoom=0.9)  # room for the axis labels
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("z")
    return plane
