"""
The chain rule and backpropagation
==================================

Autograd does not know your function as a formula. It knows the derivative of
each small operation you ran, its **local derivative**, and the graph that
connects them. The **chain rule** of calculus combines the local derivatives
into the derivative of the whole, and **backpropagation** is the order in
which autograd applies it: from the output back to the inputs.

In this tutorial you will:

* apply the chain rule to a chain of two operations, and check it against
  autograd;
* draw a small graph with the local derivative on every edge and the
  derivative that reaches every node, all computed by autograd;
* multiply along paths and add over paths by hand, and get exactly what
  ``backward()`` gets;
* see why going *backwards* is what makes training cheap.
"""

# %%
# The chain rule for a chain
# --------------------------
# Take :math:`y = \sin(x^2)` as two steps: :math:`a = x^2`, then
# :math:`y = \sin(a)`. Each step has a derivative of its own:
# :math:`da/dx = 2x` and :math:`dy/da = \cos(a)`. The chain rule says that the
# derivative of the whole is their product:
#
# .. math::
#
#    \frac{dy}{dx} = \frac{dy}{da} \cdot \frac{da}{dx} = \cos(x^2) \cdot 2x.
#
# Autograd records the two steps, and ``backward()`` gives the same number:

# sphinx_gallery_card = "The chain rule, and backpropagation drawn."
# sphinx_gallery_assumes = "plot_03_partial_derivatives"
# sphinx_gallery_assumes = "plot_05_computation_graph"
# sphinx_gallery_calculus = "the chain rule"
import math

import torch

from tutorial_helpers import choose_device

device = choose_device()

x = torch.tensor(1.5, device=device, requires_grad=True)
a = x**2
y = torch.sin(a)
y.backward()
by_hand = math.cos(1.5**2) * 2 * 1.5
print(f"autograd: {x.grad.item():.6f}   cos(x²)·2x: {by_hand:.6f}")

# sphinx_gallery_start_ignore
assert abs(x.grad.item() - by_hand) < 1e-5
# sphinx_gallery_end_ignore

# %%
# The local derivatives themselves can be asked of autograd, one step at a
# time: :func:`torch.autograd.grad` returns the derivative of one tensor with
# respect to another without touching any ``.grad``. Their product is
# ``x.grad``:
x = torch.tensor(1.5, device=device, requires_grad=True)
a = x**2
y = torch.sin(a)
(dy_da,) = torch.autograd.grad(y, a, retain_graph=True)
(da_dx,) = torch.autograd.grad(a, x)
print(f"dy/da = cos(a) = {dy_da.item():.4f},  da/dx = 2x = {da_dx.item():.4f}")
print(f"product: {(dy_da * da_dx).item():.6f}")

# sphinx_gallery_start_ignore
assert abs(dy_da.item() - math.cos(2.25)) < 1e-6
assert x.grad is None  # torch.autograd.grad filled no .grad
assert da_dx.item() == 3.0
assert abs((dy_da * da_dx).item() - by_hand) < 1e-5
# sphinx_gallery_end_ignore

# %%
# A graph with a fork
# -------------------
# Real computations are not chains: a value feeds several operations. Take
# three leaves, :math:`x = 2`, :math:`w = 3`, :math:`b = 1`, and
#
# .. math:: u = w x, \qquad v = u + b, \qquad y = v x.
#
# :math:`x` is used twice, by :math:`u` and by :math:`y`, so two paths lead
# from :math:`x` to :math:`y`.
x = torch.tensor(2.0, device=device, requires_grad=True)
w = torch.tensor(3.0, device=device, requires_grad=True)
b = torch.tensor(1.0, device=device, requires_grad=True)
u = w * x
v = u + b
y = v * x
print("u =", u.item(), " v =", v.item(), " y =", y.item())

# sphinx_gallery_start_ignore
assert (u.item(), v.item(), y.item()) == (6.0, 7.0, 14.0)
# sphinx_gallery_end_ignore

# %%
# Every operation has one local derivative per input: how its output changes
# when that input changes *and its other inputs stay fixed*, a partial
# derivative, written with :math:`\partial`. This function asks autograd for
# them: it runs the operation again on fresh copies of the inputs, so that
# nothing else in the graph takes part.


def local_derivatives(operation, *inputs):
    fresh = [t.detach().requires_grad_() for t in inputs]
    return torch.autograd.grad(operation(*fresh), fresh)


du_dw, du_dx = local_derivatives(torch.mul, w, x)  # u = w * x
dv_du, dv_db = local_derivatives(torch.add, u, b)  # v = u + b
dy_dv, dy_dx_direct = local_derivatives(torch.mul, v, x)  # y = v * x
print("∂u/∂w =", du_dw.item(), " ∂u/∂x =", du_dx.item())
print("∂v/∂u =", dv_du.item(), " ∂v/∂b =", dv_db.item())
print(
    "∂y/∂v =",
    dy_dv.item(),
    " ∂y/∂x =",
    dy_dx_direct.item(),
    "(the direct path only)",
)

# sphinx_gallery_start_ignore
# The derivative of a product is the other factor; of a sum, 1.
assert (du_dw.item(), du_dx.item()) == (x.item(), w.item())
assert (dv_du.item(), dv_db.item()) == (1.0, 1.0)
assert (dy_dv.item(), dy_dx_direct.item()) == (x.item(), v.item())
# sphinx_gallery_end_ignore

# %%
# Backpropagation, by hand
# ------------------------
# Now walk the graph from the output back. Start with :math:`dy/dy = 1`. At
# each operation, multiply the derivative that has reached its output by each
# local derivative and pass the product to the corresponding input. A value
# used by several operations, such as :math:`x`, receives one product along
# each path, and adds them. Visiting the operations in the reverse of the
# order they ran guarantees that a value has received everything before it
# passes anything on.
# (output, its inputs, their local derivatives), in the order they ran
graph = [
    ("u", ["w", "x"], [du_dw, du_dx]),
    ("v", ["u", "b"], [dv_du, dv_db]),
    ("y", ["v", "x"], [dy_dv, dy_dx_direct]),
]
reached = {"y": 1.0}
for output, inputs, locals_ in reversed(graph):
    for name, local in zip(inputs, locals_, strict=True):
        reached[name] = reached.get(name, 0.0) + reached[output] * local.item()
for name in ["y", "v", "u", "b", "w", "x"]:
    print(f"dy/d{name} = {reached[name]:g}")

# sphinx_gallery_start_ignore
assert reached == {"y": 1.0, "v": 2.0, "x": 13.0, "u": 2.0, "b": 2.0, "w": 4.0}
# sphinx_gallery_end_ignore

# %%
# The figure puts it all together. Arrows point the way the values were
# computed; on each one is its local derivative. Backpropagation runs against
# the arrows, and each box shows, in orange, the derivative of :math:`y` that
# reaches it. The products for the leaves are written out below: along a path
# the local derivatives multiply, and the two paths from :math:`x` add.
import matplotlib.pyplot as plt

from tutorial_helpers.graphs import draw_graph

fig = draw_graph(
    positions={
        "w": (0.0, 3.9),
        "x": (2.7, 3.9),
        "b": (-1.1, 2.6),
        "u": (0.9, 2.6),
        "v": (0.0, 1.3),
        "y": (1.3, 0.0),
    },
    edges={
        ("w", "u"): f"∂u/∂w = {du_dw.item():g}",
        ("x", "u"): f"∂u/∂x = {du_dx.item():g}",
        ("b", "v"): f"∂v/∂b = {dv_db.item():g}",
        ("u", "v"): f"∂v/∂u = {dv_du.item():g}",
        ("v", "y"): f"∂y/∂v = {dy_dv.item():g}",
        ("x", "y"): f"∂y/∂x = {dy_dx_direct.item():g}",
    },
    labels={
        "w": f"w = {w.item():g}",
        "x": f"x = {x.item():g}",
        "b": f"b = {b.item():g}",
        "u": f"u = w·x = {u.item():g}",
        "v": f"v = u + b = {v.item():g}",
        "y": f"y = v·x = {y.item():g}",
    },
    notes={name: f"dy/d{name} = {value:g}" for name, value in reached.items()},
    caption=(
        f"dy/dw = {dy_dv.item():g} · {dv_du.item():g} · {du_dw.item():g}"
        f" = {reached['w']:g}\n"
        f"dy/db = {dy_dv.item():g} · {dv_db.item():g} = {reached['b']:g}\n"
        f"dy/dx = {dy_dv.item():g} · {dv_du.item():g} · {du_dx.item():g}"
        f" + {dy_dx_direct.item():g} = {reached['x']:g}"
    ),
    title="Backpropagation through y = (w·x + b)·x",
)
plt.show()

# sphinx_gallery_start_ignore
shown = [t.get_text() for t in fig.axes[0].texts]
assert "dy/dx = 2 · 1 · 3 + 7 = 13" in shown[-1]
assert "dy/dw = 2 · 1 · 2 = 4" in shown[-1]
assert "∂y/∂x = 7" in shown
# sphinx_gallery_end_ignore

# %%
# Check against autograd, and against calculus
# --------------------------------------------
# ``y.backward()`` does the same walk, and the leaves get the same numbers.
# Expanding :math:`y = (wx + b)x = wx^2 + bx` gives the derivatives directly:
# :math:`dy/dx = 2wx + b`, :math:`dy/dw = x^2` and :math:`dy/db = x`.
y.backward()
print(
    "autograd:",
    "dy/dx =",
    x.grad.item(),
    " dy/dw =",
    w.grad.item(),
    " dy/db =",
    b.grad.item(),
)
print("calculus:", "dy/dx =", 2 * 3 * 2 + 1, "  dy/dw =", 2**2, "  dy/db =", 2)

# sphinx_gallery_start_ignore
assert (x.grad.item(), w.grad.item(), b.grad.item()) == (13.0, 4.0, 2.0)
assert (x.grad.item(), w.grad.item(), b.grad.item()) == (
    reached["x"],
    reached["w"],
    reached["b"],
)
# sphinx_gallery_end_ignore

# %%
# Note the two kinds of derivative of :math:`y` with respect to :math:`x`: the
# *local* one on the arrow from :math:`x` to :math:`y`, 7, holds :math:`v`
# fixed; the *total* one, 13, also counts the change that reaches :math:`y`
# through :math:`u` and :math:`v`. ``x.grad`` is always the total. Autograd's
# own graph has one node per operation, each of which computes its local
# products when ``backward()`` reaches it; the tutorial
# :ref:`sphx_glr_tutorials_06_autograd_plot_05_computation_graph.py` shows how
# to walk it, and
# :ref:`sphx_glr_tutorials_06_autograd_plot_02_gradient_accumulation.py` shows
# that the products for :math:`x` are added before ``x.grad`` is written.
print("local:", dy_dx_direct.item(), " total:", x.grad.item())

# sphinx_gallery_start_ignore
assert dy_dx_direct.item() == 7.0
assert x.grad.item() == 13.0
# sphinx_gallery_end_ignore

# %%
# Why backwards?
# --------------
# The walk could also start at the inputs: push "how fast does each value
# change when :math:`x` changes" forward through the graph (*forward mode*).
# That gives the derivatives with respect to *one* input per walk. Going
# backwards gives the derivatives of one output with respect to *every*
# input in one walk, and every shared step (here :math:`dy/dv`, used for
# :math:`u`, :math:`w`, :math:`b` and :math:`x`) is computed once. Training
# needs exactly that case: one number, the loss, and a derivative for each of
# possibly millions of parameters. Here a loss of 100,000 weights gets all
# 100,000 derivatives from one ``backward()``:
weights = torch.full((100_000,), 0.5, device=device, requires_grad=True)
inputs = torch.linspace(0, 1, 100_000, device=device)
loss = ((weights * inputs).mean() - 1.0) ** 2
loss.backward()
print(f"loss: {loss.item():.4f}  gradients: {tuple(weights.grad.shape)}")

# sphinx_gallery_start_ignore
# d loss / d w_i = 2 (mean - 1) x_i / n for every weight, from one backward
# pass.
expected = 2 * ((weights * inputs).mean() - 1.0).detach() * inputs / 100_000
assert torch.allclose(weights.grad, expected, rtol=1e-4, atol=1e-12)
assert weights.grad.shape == (100_000,)
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Autograd knows the **local derivative** of every operation; the **chain
#   rule** combines them: multiply along a path, add over the paths.
# * **Backpropagation** (reverse-mode differentiation) applies it from the
#   output back, visiting operations in the reverse of the order they ran; each
#   shared step is computed once.
# * One ``backward()`` gives the derivative of one output with respect to every
#   leaf: exactly what a loss and its parameters need.
# * ``x.grad`` is the total derivative, the sum over every path from ``x``.
#
# Next: :doc:`plot_08_dynamic_graphs_and_higher_order`.
