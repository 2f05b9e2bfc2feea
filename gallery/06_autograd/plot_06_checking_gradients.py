"""
Checking gradients
==================

Autograd is exact up to rounding for the operations PyTorch ships, but a
gradient you write yourself (a custom autograd function) can be wrong, and a
wrong gradient trains badly without ever raising an error. Check it against
the definition of a slope.

In this tutorial you will compare autograd with the derivatives you know
(sine and cosine), with **finite differences**, and with
:func:`torch.autograd.gradcheck`, which catches a wrong backward.
"""

# %%
# Sine and cosine
# ---------------
# The derivative of :math:`\sin` is :math:`\cos`, and that of :math:`\cos` is
# :math:`-\sin`. For :math:`s = \sum_i \sin(a_i) + \cos(b_i)`, each
# :math:`a_i` and :math:`b_i` appears in one term only, so
# :math:`\partial s/\partial a_i = \cos(a_i)` and
# :math:`\partial s/\partial b_i = -\sin(b_i)`:

# sphinx_gallery_card = "Check gradients: finite differences, gradcheck."
# sphinx_gallery_assumes = "plot_01_slopes_and_tangents"
# sphinx_gallery_assumes = "plot_03_partial_derivatives"
# sphinx_gallery_calculus = "the derivative as a limit; sine, cosine"
import warnings

import matplotlib.pyplot as plt
import torch

from tutorial_helpers import choose_device

device = choose_device()

a = torch.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
b = torch.tensor([4.0, 5.0, 6.0], device=device, requires_grad=True)
s = torch.sum(torch.sin(a) + torch.cos(b))
s.backward()
print("a.grad:     ", a.grad)
print("cos(a):     ", torch.cos(a.detach()))
print("b.grad:     ", b.grad)
print("-sin(b):    ", -torch.sin(b.detach()))

# sphinx_gallery_start_ignore
assert torch.allclose(a.grad, torch.cos(a.detach()))
assert torch.allclose(b.grad, -torch.sin(b.detach()))
# sphinx_gallery_end_ignore

# %%
# The same check on a whole curve: 200 points at once, summed so that one
# ``backward()`` gives every slope (each output depends on its own input
# only). Autograd's slopes of :math:`\sin` lie on :math:`\cos`.
xs = torch.linspace(
    -2 * torch.pi, 2 * torch.pi, 200, device=device, requires_grad=True
)
torch.sin(xs).sum().backward()

fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
grid = xs.detach().cpu()
ax.plot(grid, torch.sin(grid), color="tab:blue", linewidth=2, label="sin(x)")
ax.plot(
    grid,
    torch.cos(grid),
    color="tab:orange",
    linewidth=6,
    alpha=0.4,
    label="cos(x)",
)
ax.plot(
    grid, xs.grad.cpu(), "k--", linewidth=1.5, label="autograd slope of sin(x)"
)
ax.set_xlabel("x (radians)")
ax.set_ylabel("value")
ax.grid(True, alpha=0.3)
ax.set_ylim(-1.15, 2.0)
ax.legend(loc="upper center", ncols=2)
ax.set_title("Autograd's slope of sin is cos")
plt.show()

# sphinx_gallery_start_ignore
assert torch.allclose(xs.grad, torch.cos(xs.detach()), atol=1e-6)
# sphinx_gallery_end_ignore

# %%
# Finite differences
# ------------------
# The slope is the limit of rise over run for a tiny run :math:`h`. The
# *central* difference :math:`(f(x + h) - f(x - h)) / 2h` approximates it
# with an error that shrinks like :math:`h^2`, so it needs no calculus at all.
# Compare it with autograd for :math:`f(x) = x^3 + 3x^2 - 5x + 4`, in
# ``float64``:


def f(x):
    return x**3 + 3 * x**2 - 5 * x + 4


def central_difference(function, x, h):
    return (function(x + h) - function(x - h)) / (2 * h)


points = torch.tensor(
    [-2.0, 0.0, 1.5], dtype=torch.float64, device=device, requires_grad=True
)
f(points).sum().backward()
numeric = central_difference(f, points.detach(), 1e-5)
for x0, exact, approx in zip(
    points.tolist(), points.grad.tolist(), numeric.tolist(), strict=True
):
    print(
        f"x = {x0:4}: autograd {exact:8.4f}, finite difference {approx:8.4f}"
    )

# sphinx_gallery_start_ignore
assert points.grad.tolist() == [-5.0, -5.0, 10.75]
assert torch.allclose(numeric, points.grad, atol=1e-8)
# sphinx_gallery_end_ignore

# %%
# Choosing :math:`h` is a trade-off. Too large, and the curve bends within
# the step (truncation error, falling like :math:`h^2`); too small, and the
# two values of :math:`f` agree in almost every digit, so their difference is
# mostly rounding error, which grows like :math:`1/h`. Rounding is far worse
# in ``float32``: its best :math:`h` is much larger and its best error far
# larger. This is why gradient checks are done in ``float64``.
steps = torch.logspace(-12, 0, 49, dtype=torch.float64)
x0, exact_slope = -2.0, -5.0
errors = {}
for dtype in (torch.float32, torch.float64):
    at = torch.tensor(x0, dtype=dtype)
    errors[dtype] = torch.stack(
        [
            (
                central_difference(f, at, h.to(dtype)).double() - exact_slope
            ).abs()
            for h in steps
        ]
    )
    best = int(errors[dtype].argmin())
    print(
        f"{dtype!s:14} best h = {steps[best].item():.0e},",
        f"error {errors[dtype][best]:.0e}",
    )

fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
for dtype, color in ((torch.float32, "tab:red"), (torch.float64, "tab:blue")):
    shown = errors[dtype].clamp(
        min=1e-14
    )  # an exact 0 cannot be drawn on a log scale
    ax.loglog(steps, shown, "o-", markersize=3, color=color, label=str(dtype))
ax.loglog(steps, steps**2, ":", color="grey", label="h² (truncation)")
ax.set_xlabel("step h")
ax.set_ylabel("|finite difference - autograd|")
ax.set_ylim(1e-14, 1e2)
ax.grid(True, which="major", alpha=0.3)
ax.legend()
ax.set_title("Error of the central difference of f at x = -2")
plt.show()

# sphinx_gallery_start_ignore
best32 = steps[int(errors[torch.float32].argmin())].item()
best64 = steps[int(errors[torch.float64].argmin())].item()
assert best32 > best64
assert errors[torch.float32].min() > 1000 * errors[torch.float64].min()
# Large h: truncation error, equal in both dtypes, exactly h^2 for this cubic.
assert torch.allclose(errors[torch.float64][-1], steps[-1] ** 2)
# Tiny h: rounding error dominates in float32.
assert errors[torch.float32][0] > 1
# sphinx_gallery_end_ignore

# %%
# ``torch.autograd.gradcheck``
# ----------------------------
# :func:`torch.autograd.gradcheck` does this comparison for every input
# element and every output, and returns ``True`` or raises an error that
# shows both Jacobians. Give it ``float64`` inputs that require grad:
from torch.autograd import gradcheck

inputs = torch.tensor(
    [-2.0, 0.5, 1.5], dtype=torch.float64, device=device, requires_grad=True
)
print("f passes:", gradcheck(f, (inputs,)))

# sphinx_gallery_start_ignore
assert gradcheck(f, (inputs,)) is True
# sphinx_gallery_end_ignore

# %%
# In ``float32`` its tiny default step meets the rounding seen above, and a
# perfectly correct gradient fails (PyTorch also warns that the inputs are
# not double precision):
inputs32 = inputs.detach().float().requires_grad_()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        gradcheck(torch.sin, (inputs32,))
    except RuntimeError as error:
        print(f"{type(error).__name__}: {str(error).splitlines()[0]}")
print(
    f"{caught[0].category.__name__}: {str(caught[0].message).split('. ')[0]}."
)

# sphinx_gallery_start_ignore
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gradcheck(torch.sin, (inputs32,))
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("gradcheck passed in float32")
assert "Jacobian mismatch" in message
assert "double precision" in str(caught[0].message)
# sphinx_gallery_end_ignore

# %%
# Catching a wrong backward
# -------------------------
# Here is a custom autograd function for :math:`\sin` whose ``backward``
# has a bug: it multiplies by :math:`\sin` instead of :math:`\cos`. Nothing
# fails when you use it; ``gradcheck`` does.


class BuggySin(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sin(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sin(x)  # bug: the derivative of sin is cos


try:
    gradcheck(BuggySin.apply, (inputs,))
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
from torch.autograd.gradcheck import GradcheckError

try:
    gradcheck(BuggySin.apply, (inputs,))
except GradcheckError as error:
    message = str(error)
else:
    raise AssertionError("gradcheck missed the wrong backward")
assert "Jacobian mismatch" in message
assert issubclass(GradcheckError, RuntimeError)
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Check autograd against derivatives you know, or against central
#   differences :math:`(f(x + h) - f(x - h)) / 2h`.
# * Finite differences trade truncation error against rounding error: do
#   them in ``float64``.
# * :func:`torch.autograd.gradcheck` compares every slope for you; it needs
#   ``float64`` inputs that require grad, and it catches a wrong ``backward``.
