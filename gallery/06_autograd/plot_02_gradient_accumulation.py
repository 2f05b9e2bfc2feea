"""
Gradients accumulate: zero them
===============================

``backward()`` does not *set* ``.grad``: it *adds* to it. That is what you
want when you sum the gradients of several batches before one update, and a
classic bug when you compute two unrelated gradients in a row.

In this tutorial you will see the sum happen, tell it apart from the sum
autograd forms inside one backward pass, reset a gradient with
:meth:`torch.Tensor.zero_` or by setting it to ``None``, learn what
:meth:`torch.optim.Optimizer.zero_grad` does by default, and draw the wrong
tangent that a forgotten reset produces.
"""

# %%
# Calling ``backward()`` twice adds
# ---------------------------------
# Compute the slope of :math:`x^2` at 2 twice, with a fresh forward pass each
# time. The first call stores 4 in ``x.grad``; the second adds another 4.

# sphinx_gallery_card = "backward() adds to .grad: when to zero it."
# sphinx_gallery_assumes = "plot_01_slopes_and_tangents"
# sphinx_gallery_calculus = "derivatives of one variable"
import inspect

import matplotlib.pyplot as plt
import torch

from tutorial_helpers import choose_device

device = choose_device()

x = torch.tensor(2.0, device=device, requires_grad=True)
(x**2).backward()
print("after one backward:", x.grad)
(x**2).backward()
print("after two backwards:", x.grad)

# sphinx_gallery_start_ignore
assert x.grad.item() == 8.0
# sphinx_gallery_end_ignore

# %%
# Two sums, two mechanisms
# ------------------------
# A tensor used twice in one expression also gets a sum: in ``x * x`` each
# factor sends back a share, :math:`x`, and the shares add up to :math:`2x`.
# That sum is **not** the accumulation above. Inside one backward pass the
# autograd engine adds the contributions of every use of ``x`` itself, and
# only then writes the total into ``x.grad``, once. A hook registered with
# :meth:`~torch.Tensor.register_post_accumulate_grad_hook` runs each time
# ``x.grad`` is written, so it shows the difference: one ``backward()`` of
# ``x * x`` writes once, 4.0; a second ``backward()`` writes again, adding to
# what is there.
x = torch.tensor(2.0, device=device, requires_grad=True)
writes = []
x.register_post_accumulate_grad_hook(
    lambda leaf: writes.append(leaf.grad.item())
)
(x * x).backward()
print(
    "after one backward of x * x:  x.grad =", x.grad.item(), " writes:", writes
)
(x * x).backward()
print(
    "after two backwards of x * x: x.grad =", x.grad.item(), " writes:", writes
)

# sphinx_gallery_start_ignore
assert writes == [4.0, 8.0], writes
assert x.grad.item() == 8.0
probe = torch.tensor(2.0, device=device, requires_grad=True)
probe_writes = []
probe.register_post_accumulate_grad_hook(
    lambda leaf: probe_writes.append(leaf.grad.item())
)
(probe * probe).backward()
assert probe_writes == [4.0], (
    probe_writes
)  # one write of the summed contributions
# sphinx_gallery_end_ignore

# %%
# So the first sum is part of computing one gradient correctly (the product
# rule); the second adds gradients of separate computations, and is yours to
# reset.

# %%
# Two ways to reset a gradient
# ----------------------------
# :meth:`~torch.Tensor.zero_` fills the existing ``.grad`` with zeros, in place
# (the trailing underscore says so). Setting ``.grad = None`` drops it; the
# next ``backward()`` then creates a new one.
x.grad.zero_()
print("after zero_():", x.grad)
(x**2).backward()
print("next backward:", x.grad)

x.grad = None
print("after .grad = None:", x.grad)
(x**2).backward()
print("next backward:", x.grad)

# sphinx_gallery_start_ignore
x.grad.zero_()
assert x.grad.item() == 0.0
(x**2).backward()
assert x.grad.item() == 4.0
x.grad = None
(x**2).backward()
assert x.grad.item() == 4.0
# sphinx_gallery_end_ignore

# %%
# What ``optimizer.zero_grad()`` does
# -----------------------------------
# In a training loop you rarely zero tensors one by one: the optimizer (or
# the module) resets every parameter it holds. Its ``set_to_none`` argument
# chooses between the two ways above, and its default is ``True``: the
# gradients become ``None``, which saves memory and a pass of writing zeros.
weight = torch.nn.Parameter(torch.tensor(1.5, device=device))
optimizer = torch.optim.SGD([weight], lr=0.1)
print(inspect.signature(torch.optim.Optimizer.zero_grad))

(3 * weight).backward()
optimizer.zero_grad()
print("after zero_grad():", weight.grad)

(3 * weight).backward()
optimizer.zero_grad(set_to_none=False)
print("after zero_grad(set_to_none=False):", weight.grad)

# sphinx_gallery_start_ignore
default = (
    inspect.signature(torch.optim.Optimizer.zero_grad)
    .parameters["set_to_none"]
    .default
)
assert default is True
module_default = (
    inspect.signature(torch.nn.Module.zero_grad)
    .parameters["set_to_none"]
    .default
)
assert module_default is True
assert weight.grad is not None
assert weight.grad.item() == 0.0
weight.grad = torch.ones_like(weight)
optimizer.zero_grad()
assert weight.grad is None
# sphinx_gallery_end_ignore

# %%
# :meth:`torch.nn.Module.zero_grad` has the same default. ``None`` and zero
# are not the same to an optimizer: ``step()`` skips a parameter whose
# ``.grad`` is ``None``, but still updates one whose gradient is zero when
# another term moves it, such as weight decay (which shrinks every weight
# a little at each step):
decaying = torch.nn.Parameter(torch.tensor(1.5, device=device))
decay_optimizer = torch.optim.SGD([decaying], lr=0.1, weight_decay=0.5)

(3 * decaying).backward()
decay_optimizer.zero_grad()  # .grad is None: step() leaves the weight alone
decay_optimizer.step()
print(f"step with .grad None: {decaying.item():.4f}")

(3 * decaying).backward()
decay_optimizer.zero_grad(
    set_to_none=False
)  # .grad is 0: weight decay applies
decay_optimizer.step()
print(f"step with .grad zero: {decaying.item():.4f}")

# sphinx_gallery_start_ignore
assert decaying.grad is not None
assert decaying.grad.item() == 0.0
# 1.5 - lr * weight_decay * 1.5 = 1.5 * (1 - 0.05)
assert abs(decaying.item() - 1.425) < 1e-6
# sphinx_gallery_end_ignore

# %%
# A forgotten reset draws the wrong tangent
# -----------------------------------------
# Two functions, :math:`f(x) = x^3 + 3x^2 - 5x + 4` and :math:`g(x) = x^2`,
# and their tangents at the same point :math:`x = -2`, reusing one input
# tensor. The slope of ``g`` there is -4, but without a reset ``x.grad``
# still holds ``f``'s -5 when ``g``'s -4 is added:


def f(x):
    return x**3 + 3 * x**2 - 5 * x + 4


def g(x):
    return x**2


def two_slopes(reset):
    """Return the slopes of f then g at -2 read from one input's .grad."""
    x = torch.tensor(-2.0, device=device, requires_grad=True)
    f(x).backward()
    slope_f = x.grad.item()
    if reset:
        x.grad.zero_()
    g(x).backward()
    return slope_f, x.grad.item()


print("without a reset: slopes of f and g =", two_slopes(reset=False))
print("with zero_():    slopes of f and g =", two_slopes(reset=True))

# sphinx_gallery_start_ignore
assert two_slopes(reset=False) == (-5.0, -9.0)
assert two_slopes(reset=True) == (-5.0, -4.0)
# sphinx_gallery_end_ignore

# %%
# One above the other: above, the tangent of ``g`` has slope -9 and cuts
# through the parabola; below, after ``zero_()``, it touches it.
from tutorial_helpers.calculus import Tangent, plot_tangent

xs = torch.linspace(-3.5, 2.0, 201)
fig, axes = plt.subplots(
    2, 1, figsize=(6.4, 7.6), sharex=True, layout="constrained"
)
for ax, reset in zip(axes, (False, True), strict=True):
    slope_f, slope_g = two_slopes(reset)
    ax.plot(
        xs,
        f(xs),
        color="tab:blue",
        linewidth=2,
        label="f(x) = x³ + 3x² - 5x + 4",
    )
    ax.plot(xs, g(xs), color="tab:green", linewidth=2, label="g(x) = x²")
    plot_tangent(
        ax, Tangent(-2.0, f(torch.tensor(-2.0)).item(), slope_f), color="black"
    )
    plot_tangent(
        ax,
        Tangent(-2.0, g(torch.tensor(-2.0)).item(), slope_g),
        color="tab:red",
    )
    ax.set_ylabel("y")
    ax.grid(True, alpha=0.3)
    ax.set_ylim(-2, 30)
    ax.set_title(
        "with x.grad.zero_() between them"
        if reset
        else "without a reset: wrong"
    )
axes[1].set_xlabel("x")
axes[0].legend(loc="upper right")
fig.suptitle(
    "Tangents at x = -2 from one input's .grad, without and with a reset"
)
plt.show()

# sphinx_gallery_start_ignore
# The red tangent (g's) is wrong above, right below.
red_slopes = [
    next(
        line for line in ax.get_lines() if line.get_color() == "tab:red"
    ).get_xydata()
    for ax in axes
]
for segment, expected in zip(red_slopes, (-9.0, -4.0), strict=True):
    (x0, y0), (x1, y1) = segment
    assert (y1 - y0) / (x1 - x0) == expected
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Within one ``backward()``, the engine sums the contributions of every use
#   of a tensor and writes ``.grad`` once; across ``backward()`` calls,
#   ``.grad`` accumulates: each call adds to what is there.
# * Reset with ``x.grad.zero_()`` or ``x.grad = None`` before computing an
#   unrelated gradient.
# * ``optimizer.zero_grad()`` and ``module.zero_grad()`` reset every parameter,
#   by default to ``None`` (``set_to_none=True``).
