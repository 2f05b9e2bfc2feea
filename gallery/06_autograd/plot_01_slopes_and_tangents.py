"""
Slopes, tangents and your first gradient
========================================

A **gradient** is a slope: how fast a function's output changes when its input
changes. Training a model means nudging its parameters downhill on a loss, so
PyTorch computes these slopes for you. This is **autograd**.

In this tutorial you will:

* measure the slope of a straight line from two of its points;
* see what the slope of a curve means at one point (its tangent);
* ask autograd for a slope with ``requires_grad``,
  :meth:`torch.Tensor.backward` and ``.grad``, and check a guessed tangent
  against it.
"""

# %%
# The slope of a straight line
# ----------------------------
# Take any two points of a line. The slope is the change in ``y`` (the *rise*)
# divided by the change in ``x`` (the *run*). A line going down from left to
# right has a negative rise, so a negative slope.

# sphinx_gallery_card = "A gradient is a slope: your first backward()."
# sphinx_gallery_assumes = "../01_tensors/plot_02_arithmetic_and_broadcasting"
# sphinx_gallery_calculus = "the derivative as a slope, recalled here"
# sphinx_gallery_thumbnail_number = 2
import matplotlib.pyplot as plt
import torch

from tutorial_helpers import choose_device

device = choose_device()

p1 = torch.tensor([0.0, 2.0], device=device)
p2 = torch.tensor([4.0, 0.0], device=device)
rise = p2[1] - p1[1]
run = p2[0] - p1[0]
print(
    "rise:", rise.item(), " run:", run.item(), " slope:", (rise / run).item()
)

# sphinx_gallery_start_ignore
assert (rise.item(), run.item(), (rise / run).item()) == (-2.0, 4.0, -0.5)
# sphinx_gallery_end_ignore

# %%
# Drawn with equal scales on both axes, so the slope you see is the slope
# printed: for every 4 steps right, the line goes 2 down.
from tutorial_helpers.calculus import plot_rise_over_run

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
slope = plot_rise_over_run(ax, p1.tolist(), p2.tolist())
ax.set_aspect("equal")
ax.set_xlim(-1.5, 5.5)
ax.set_ylim(-1.0, 3.0)
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.grid(True, alpha=0.3)
ax.set_title(f"A straight line has one slope: rise / run = -2 / 4 = {slope:g}")
plt.show()

# sphinx_gallery_start_ignore
assert slope == (rise / run).item()
# sphinx_gallery_end_ignore

# %%
# The slope of a curve at a point
# -------------------------------
# A curve is steeper in some places than in others, so it has no single
# slope. Its slope *at a point* is the slope of its **tangent** there: the
# straight line that touches the curve at that point and follows its
# direction. For :math:`y = x^2` calculus says the slope at :math:`x` is
# :math:`2x`: -4 at -2, 0 at 0 and 3 at 1.5.
#
# The figure below does not use that formula. Its helper asks autograd for
# each slope (how, is the next section) and draws the tangent with it; the
# dotted legs of each tangent are its run and rise.
from tutorial_helpers.calculus import plot_function_with_tangents


def square(x):
    return x**2


fig, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
tangents = plot_function_with_tangents(
    ax,
    square,
    [-2.0, 0.0, 1.5],
    curve_label="y = x²",
    half_width=0.5,
    show_rise_run=True,
)
ax.set_ylim(-1, 9.5)
ax.legend(loc="upper center")
ax.set_title("Tangents of y = x², slopes from autograd")
for tangent in tangents:
    print(
        f"at x = {tangent.x0:4}: y = {tangent.y0:4}, slope = {tangent.slope}"
    )
plt.show()

# sphinx_gallery_start_ignore
assert [(t.x0, t.y0, t.slope) for t in tangents] == [
    (-2.0, 4.0, -4.0),
    (0.0, 0.0, 0.0),
    (1.5, 2.25, 3.0),
]
assert all(t.slope == 2 * t.x0 for t in tangents)
# sphinx_gallery_end_ignore

# %%
# Asking autograd for a slope
# ---------------------------
# Three steps compute the slope of ``y = x**2`` at -2:
#
# 1. create the input with ``requires_grad=True``, which tells PyTorch to
#    record every operation done with it;
# 2. compute the output from it: the result remembers the operation that
#    made it in ``grad_fn``;
# 3. call ``backward()`` on the output: autograd walks the record backwards
#    and stores :math:`dy/dx` in the input's ``.grad``.
x = torch.tensor(-2.0, device=device, requires_grad=True)
y = x**2
print(y)
y.backward()
print("dy/dx at x = -2:", x.grad)

# sphinx_gallery_start_ignore
assert type(y.grad_fn).__name__ == "PowBackward0"
assert x.grad.item() == -4.0
# sphinx_gallery_end_ignore

# %%
# :meth:`~torch.Tensor.requires_grad_` (with the trailing underscore: it
# changes the tensor in place and returns it) switches recording on for a
# tensor you already have. It gives the same slope:
x = torch.tensor(-2.0, device=device).requires_grad_()
print(x.requires_grad)
square(x).backward()
print(x.grad)

# sphinx_gallery_start_ignore
assert x.requires_grad
assert x.grad.item() == -4.0
# sphinx_gallery_end_ignore

# %%
# No ``requires_grad``, no gradient
# ---------------------------------
# A tensor created the usual way does not record anything. Its ``.grad`` is
# ``None``, and its results have no ``grad_fn``, so there is nothing to walk
# back through:
plain = torch.tensor(-2.0, device=device)
result = plain**2
print("plain.grad:", plain.grad)
print("result.grad_fn:", result.grad_fn)
try:
    result.backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
assert plain.grad is None
assert result.grad_fn is None
try:
    result.backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("backward() on a result without grad_fn did not fail")
assert "does not require grad" in message
# sphinx_gallery_end_ignore

# %%
# A guessed tangent against autograd's
# ------------------------------------
# Take the cubic :math:`f(x) = x^3 + 3x^2 - 5x + 4`. Reading its slope at
# -2 off a plot is hard; a guess of -9 looks plausible. Autograd gives the
# exact value:


def f(x):
    return x**3 + 3 * x**2 - 5 * x + 4


x = torch.tensor(-2.0, device=device, requires_grad=True)
y = f(x)
y.backward()
print("f(-2) =", y.item(), " slope from autograd:", x.grad.item())

# sphinx_gallery_start_ignore
assert y.item() == 18.0
# f'(x) = 3x^2 + 6x - 5, so f'(-2) = 12 - 12 - 5 = -5.
assert x.grad.item() == -5.0
# sphinx_gallery_end_ignore

# %%
# Both lines pass through the point, but only one is a tangent. The guess is
# too steep: it *crosses* the curve there, above it on the left and below it
# on the right. Autograd's line *touches* the curve and, close to the point,
# stays on one side of it.
from tutorial_helpers.calculus import Tangent, plot_tangent

guess = Tangent(x0=-2.0, y0=y.item(), slope=-9.0)
exact = Tangent(x0=-2.0, y0=y.item(), slope=x.grad.item())

fig, ax = plt.subplots(figsize=(6.5, 4.5), layout="constrained")
xs = torch.linspace(-3.5, 1.5, 201)
ax.plot(
    xs, f(xs), color="tab:blue", linewidth=2, label="f(x) = x³ + 3x² - 5x + 4"
)
plot_tangent(
    ax,
    guess,
    half_width=1.0,
    color="tab:red",
    linestyle="--",
    label="guess: slope -9",
    annotate=False,
)
plot_tangent(
    ax,
    exact,
    half_width=1.0,
    color="black",
    label="autograd: slope -5",
    annotate=False,
)
ax.set_xlabel("x")
ax.set_ylabel("f(x)")
ax.set_ylim(0, 30)
ax.grid(True, alpha=0.3)
ax.legend()
ax.set_title("Tangent of f at x = -2: a guess and autograd")
plt.show()

# sphinx_gallery_start_ignore
# Near -2 the guess crosses the curve (above on the left, below on the right);
# the exact tangent lies above it on both sides (f is concave there).
for t in (-0.25, 0.25):
    curve = f(torch.tensor(-2 + t, dtype=torch.float64)).item()
    assert exact(-2 + t) > curve
    assert (guess(-2 + t) > curve) == (t < 0)
# Away from x0 the exact tangent's error shrinks like (x - x0)^2; the
# guess's like (x - x0).
step = 1e-3
assert (
    abs(
        exact(-2 + step)
        - f(torch.tensor(-2 + step, dtype=torch.float64)).item()
    )
    < 1e-5
)
assert (
    abs(
        guess(-2 + step)
        - f(torch.tensor(-2 + step, dtype=torch.float64)).item()
    )
    > 1e-3
)
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * A slope is rise over run; a curve's slope at a point is its tangent's
#   slope.
# * ``requires_grad=True`` (or ``.requires_grad_()``) makes PyTorch record
#   operations; ``backward()`` on a one-number output computes the slopes;
#   ``.grad`` holds them.
# * A tensor that does not require grad has ``.grad`` of ``None``, and results
#   computed only from such tensors cannot be back-propagated.
