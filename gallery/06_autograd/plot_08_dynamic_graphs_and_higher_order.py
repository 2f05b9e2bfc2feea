"""
Dynamic graphs, higher derivatives and torch.func
=================================================

Autograd records the operations that actually run, so any Python can build
the graph: loops, ``if`` statements, a ``while`` that stops when an answer is
good enough. In this tutorial you will:

* differentiate through a loop whose length depends on the data, and through
  an ``if``;
* take a second derivative with ``create_graph=True`` and draw the curvature
  next to the slope;
* get a **gradient function** from :func:`torch.func.grad`, evaluate it at many
  points with :func:`torch.func.vmap`, and compute one gradient per example
  with ``vmap`` and :func:`torch.func.jacrev`;
* tell :class:`torch.no_grad` and :class:`torch.inference_mode` apart;
* write a small custom :class:`torch.autograd.Function` and check it with
  :func:`torch.autograd.gradcheck`.
"""

# %%
# A graph built by a loop
# -----------------------
# Newton's method finds :math:`\sqrt{a}` by repeating
# :math:`y \leftarrow (y + a / y) / 2` until :math:`y^2` is close enough to
# :math:`a`. How many steps that takes depends on :math:`a`, so the graph
# autograd records does too: it is built anew, by running the code, every
# time. The derivative through the whole loop is still exact for the
# computation that ran, and since the loop converged, it is the derivative of
# :math:`\sqrt{a}`, :math:`1 / (2 \sqrt{a})`.

# sphinx_gallery_card = "Graphs from loops, second derivatives, torch.func."
# sphinx_gallery_assumes = "plot_05_computation_graph"
# sphinx_gallery_assumes = "plot_06_checking_gradients"
# sphinx_gallery_assumes = "plot_07_chain_rule"
# sphinx_gallery_calculus = "second derivatives"
import torch

from tutorial_helpers import choose_device

device = choose_device()


def newton_sqrt(a):
    y = torch.ones_like(a)
    steps = 0
    while (y * y - a).abs() > 1e-12 * a:
        y = (y + a / y) / 2
        steps += 1
    return y, steps


def count_operations(grad_fn, seen=None):
    """How many backward nodes the graph ending in grad_fn has."""
    seen = set() if seen is None else seen
    if grad_fn is not None and grad_fn not in seen:
        seen.add(grad_fn)
        for next_fn, _ in grad_fn.next_functions:
            count_operations(next_fn, seen)
    return len(seen)


for value in (2.0, 100.0):
    a = torch.tensor(
        value, dtype=torch.float64, device=device, requires_grad=True
    )
    root, steps = newton_sqrt(a)
    root.backward()
    nodes = count_operations(root.grad_fn)
    exact = 1 / (2 * value**0.5)
    print(
        f"a = {value:5}: {steps} steps, {nodes} nodes in the graph,",
        f"d root/da = {a.grad.item():.6f}, 1/(2 sqrt(a)) = {exact:.6f}",
    )

# sphinx_gallery_start_ignore
_steps, _nodes = [], []
for value in (2.0, 100.0):
    a = torch.tensor(
        value, dtype=torch.float64, device=device, requires_grad=True
    )
    root, steps = newton_sqrt(a)
    root.backward()
    assert abs(a.grad.item() - 1 / (2 * value**0.5)) < 1e-12
    _steps.append(steps)
    _nodes.append(count_operations(root.grad_fn))
assert _steps[0] < _steps[1]
assert _nodes[0] < _nodes[1]
# sphinx_gallery_end_ignore

# %%
# A graph built by an ``if``
# --------------------------
# An ``if`` on a tensor reads its value, so each call takes one branch, and
# only that branch is recorded. This function is :math:`x^2` up to 1 and its
# tangent line beyond (a smooth way to stop a penalty from growing too fast):
# the slope is :math:`2x` on one side and 2 on the other, and the graph's last
# operation differs.


def capped_square(x):
    if x <= 1:
        return x**2
    return 2 * x - 1


for value in (0.5, 3.0):
    x = torch.tensor(value, device=device, requires_grad=True)
    out = capped_square(x)
    out.backward()
    last = type(out.grad_fn).__name__
    print(f"x = {value}: slope {x.grad.item()}, last operation {last}")

# sphinx_gallery_start_ignore
_x = torch.tensor(0.5, requires_grad=True)
capped_square(_x).backward()
assert _x.grad.item() == 1.0
_x = torch.tensor(3.0, requires_grad=True)
_out = capped_square(_x)
_out.backward()
assert _x.grad.item() == 2.0
assert type(_out.grad_fn).__name__ == "SubBackward0"
assert (
    type(capped_square(torch.tensor(0.5, requires_grad=True)).grad_fn).__name__
    == "PowBackward0"
)
# sphinx_gallery_end_ignore

# %%
# Second derivatives: ``create_graph=True``
# -----------------------------------------
# The derivative of the slope is the **curvature**: where it is positive the
# curve bends upwards, where negative, downwards. To differentiate a
# derivative, autograd must record how the derivative itself was computed.
# By default it does not: the gradient comes back as plain numbers, with no
# graph behind it, and asking for its derivative fails. Take the cubic
# :math:`f(x) = x^3 + 3x^2 - 5x + 4` of the earlier tutorials:


def f(x):
    return x**3 + 3 * x**2 - 5 * x + 4


x = torch.tensor(-2.0, device=device, requires_grad=True)
(slope,) = torch.autograd.grad(f(x), x)
print("slope:", slope, " requires_grad:", slope.requires_grad)
try:
    torch.autograd.grad(slope, x)
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
assert slope.item() == -5.0
assert not slope.requires_grad
try:
    torch.autograd.grad(slope, x)
except RuntimeError as error:
    assert "does not require grad and does not have a grad_fn" in str(error)
else:
    raise AssertionError(
        "differentiated a gradient computed without create_graph"
    )
# sphinx_gallery_end_ignore

# %%
# With ``create_graph=True`` the backward pass is recorded like any other
# computation, and the slope can be differentiated again. Calculus agrees:
# :math:`f'(x) = 3x^2 + 6x - 5` is -5 at -2, and :math:`f''(x) = 6x + 6` is -6.
(slope,) = torch.autograd.grad(f(x), x, create_graph=True)
(curvature,) = torch.autograd.grad(slope, x)
print("slope:", slope.item(), " curvature:", curvature.item())

# sphinx_gallery_start_ignore
assert slope.item() == 3 * 4 - 12 - 5
assert curvature.item() == 6 * -2 + 6
# sphinx_gallery_end_ignore

# %%
# The same on 200 points at once (each output depends on its own input only,
# so summing before differentiating gives every point's derivative). The
# figure draws the function, its slope and its curvature, all from autograd.
# The slope is 0 where :math:`f` turns (a peak and a valley); the curvature is
# 0 at :math:`x = -1`, where :math:`f` switches from bending down to bending
# up.
import matplotlib.pyplot as plt

xs = torch.linspace(-3.5, 1.5, 200, device=device, requires_grad=True)
ys = f(xs)
(slopes,) = torch.autograd.grad(ys.sum(), xs, create_graph=True)
(curvatures,) = torch.autograd.grad(slopes.sum(), xs)

grid = xs.detach().cpu()
fig, axes = plt.subplots(
    3, 1, figsize=(6, 7), sharex=True, layout="constrained"
)
for ax, values, name, color in zip(
    axes,
    (ys, slopes, curvatures),
    ("f(x) = x³ + 3x² - 5x + 4", "slope f'(x)", "curvature f''(x)"),
    ("tab:blue", "tab:orange", "tab:green"),
    strict=True,
):
    ax.plot(grid, values.detach().cpu(), color=color, linewidth=2)
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.axvline(-1, color="0.5", linestyle=":", linewidth=1.2)
    ax.set_ylabel(name)
    ax.grid(True, alpha=0.3)
axes[2].text(-3.4, 9, "left of -1: f'' < 0,\nf bends down", fontsize=10)
axes[2].text(-0.8, -13, "right of -1: f'' > 0,\nf bends up", fontsize=10)
axes[-1].set_xlabel("x (dotted: x = -1, where f'' = 0)")
fig.suptitle("f, its slope and its curvature, all computed by autograd")
plt.show()

# sphinx_gallery_start_ignore
plain = grid.double()
assert torch.allclose(
    slopes.detach().cpu().double(), 3 * plain**2 + 6 * plain - 5, atol=1e-4
)
assert torch.allclose(curvatures.cpu().double(), 6 * plain + 6, atol=1e-4)
assert (curvatures.cpu()[grid < -1] < 0).all()
assert (curvatures.cpu()[grid > -1] > 0).all()
# sphinx_gallery_end_ignore

# %%
# ``torch.func.grad`` returns a gradient *function*
# -------------------------------------------------
# Some introductions say that autograd only gives "the gradient at a point,
# never a gradient function". That is true of ``backward()``, which fills
# ``.grad`` for the values it was run on, but not of PyTorch:
# :func:`torch.func.grad` takes a function and returns *a new function*, its
# derivative, which you can call at any point. It is not a formula: each call
# runs ``f`` forward and backward at that point. But it is a function, and it
# composes: ``grad(grad(f))`` is the second derivative.
from torch.func import grad

df = grad(f)
d2f = grad(grad(f))
print("callable:", callable(df))
for point in (-2.0, 0.0, 1.5):
    at = torch.tensor(point, device=device)
    print(f"f'({point}) = {df(at).item():6}   f''({point}) = {d2f(at).item()}")

# sphinx_gallery_start_ignore
assert callable(df)
for point in (-2.0, 0.0, 1.5):
    at = torch.tensor(point, device=device)
    assert df(at).item() == 3 * point**2 + 6 * point - 5
    assert d2f(at).item() == 6 * point + 6
# sphinx_gallery_end_ignore

# %%
# The point needs no ``requires_grad``, and nothing is left in any ``.grad``.
# The function must return one number: ``grad`` differentiates a scalar, and
# says so otherwise.
try:
    df(torch.tensor([1.0, 2.0], device=device))
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
leaf = torch.tensor(-2.0, requires_grad=True)
assert df(leaf).item() == -5.0
assert leaf.grad is None  # nothing is left in any .grad
try:
    df(torch.tensor([1.0, 2.0]))
except RuntimeError as error:
    assert (
        "Expected f(*args) to return a scalar Tensor, got tensor with 1 dims"
        in str(error)
    )
else:
    raise AssertionError("grad(f) accepted a vector output")
# sphinx_gallery_end_ignore

# %%
# Many points at once: ``vmap``
# -----------------------------
# :func:`torch.func.vmap` turns a function of one point into a function of a
# batch of points, without a Python loop: ``vmap(df)`` evaluates the slope
# function at every point of a tensor, and gives the slopes drawn above.
from torch.func import vmap

batch_slopes = vmap(df)(xs.detach())
print(batch_slopes.shape, torch.allclose(batch_slopes, slopes.detach()))

# sphinx_gallery_start_ignore
assert batch_slopes.shape == (200,)
assert torch.allclose(batch_slopes, slopes.detach())
# sphinx_gallery_end_ignore

# %%
# A gradient per example
# ----------------------
# ``backward()`` on a mean loss gives one gradient for the whole batch: the
# mean of the examples' gradients. Sometimes you need each example's own, for
# instance to see which examples pull the weights hardest. Write the loss of
# *one* example as a function of the weights, take its ``grad``, and ``vmap``
# it over the examples while the weights stay shared (``in_dims=None``):
from torch.func import jacrev

generator = torch.Generator().manual_seed(0)
inputs = torch.randn(6, 3, generator=generator).to(device)
targets = torch.randn(6, generator=generator).to(device)
weights = torch.zeros(3, device=device)


def example_loss(weights, x, target):
    return (x @ weights - target) ** 2


per_example = vmap(grad(example_loss), in_dims=(None, 0, 0))(
    weights, inputs, targets
)
print("one gradient per example:", tuple(per_example.shape))
print(per_example)

# sphinx_gallery_start_ignore
assert per_example.shape == (6, 3)
for i in range(6):
    w = weights.clone().requires_grad_()
    example_loss(w, inputs[i], targets[i]).backward()
    assert torch.allclose(w.grad, per_example[i])
# sphinx_gallery_end_ignore

# %%
# The same numbers are the rows of a Jacobian: :func:`torch.func.jacrev`
# differentiates the *vector* of the six losses with respect to the weights,
# one row per loss. And their mean is the gradient ``backward()`` gives for the
# mean loss:


def all_losses(weights):
    return (inputs @ weights - targets) ** 2


jacobian = jacrev(all_losses)(weights)
w = weights.clone().requires_grad_()
all_losses(w).mean().backward()
print(
    "jacrev rows == per-example gradients:",
    torch.allclose(jacobian, per_example),
)
print(
    "their mean == backward() of the mean: ",
    torch.allclose(per_example.mean(0), w.grad),
)

# sphinx_gallery_start_ignore
assert torch.allclose(jacobian, per_example)
assert torch.allclose(per_example.mean(0), w.grad)
# sphinx_gallery_end_ignore

# %%
# ``no_grad`` and ``inference_mode``
# ----------------------------------
# Both stop recording, and both give results that do not require grad. The
# difference is what happens to those results *afterwards*. A result computed
# under :class:`torch.no_grad` is an ordinary tensor: it may later meet a
# parameter in a computation that autograd records. A result computed under
# :class:`torch.inference_mode` is an **inference tensor**: PyTorch skipped
# bookkeeping for it that autograd would need (it has no version counter),
# so autograd accepts it only where it need not save it for the backward
# pass. Adding it to a parameter works, since the gradient of a sum does not
# depend on its terms; multiplying a parameter by it fails, since the
# gradient of ``parameter * fast`` is ``fast``, which would have to be
# saved. Use ``inference_mode`` where results only leave (evaluating a
# model, serving predictions), and ``no_grad`` where they may come back into
# training (an optimizer's update, targets computed by the model).
parameter = torch.ones(3, device=device, requires_grad=True)
with torch.no_grad():
    scaled = torch.arange(3.0, device=device) * 2
with torch.inference_mode():
    fast = torch.arange(3.0, device=device) * 2
print(
    "no_grad:        requires_grad",
    scaled.requires_grad,
    " is_inference",
    scaled.is_inference(),
)
print(
    "inference_mode: requires_grad",
    fast.requires_grad,
    " is_inference",
    fast.is_inference(),
)

(parameter * scaled).sum().backward()
print("parameter * no_grad result: gradient", parameter.grad)
parameter.grad = None
(parameter + fast).sum().backward()
print("parameter + inference tensor: gradient", parameter.grad)
try:
    (parameter * fast).sum().backward()
except RuntimeError as error:
    print(f"parameter * inference tensor: RuntimeError: {error}")

# sphinx_gallery_start_ignore
assert not scaled.requires_grad
assert not fast.requires_grad
assert not scaled.is_inference()
assert fast.is_inference()
try:  # the bookkeeping skipped: an inference tensor has no version counter
    fast._version
except RuntimeError as error:
    assert "Inference tensors do not track version counter" in str(error)
else:
    raise AssertionError("an inference tensor has a version counter")
assert scaled._version == 0
assert parameter.grad.tolist() == [1.0, 1.0, 1.0]  # from parameter + fast
parameter.grad = None
(parameter * scaled).sum().backward()
assert parameter.grad.tolist() == [0.0, 2.0, 4.0]
try:
    (parameter * fast).sum().backward()
except RuntimeError as error:
    assert "Inference tensors cannot be saved for backward" in str(error)
else:
    raise AssertionError("an inference tensor entered autograd")
# sphinx_gallery_end_ignore

# %%
# Inference tensors also refuse to be changed in place outside inference
# mode. Look at the values after the refusal, though: the check comes after
# the write, so the error is raised but ``fast`` has changed anyway. Never
# catch this error and carry on. The messages give the fix for both cases:
# ``clone()`` makes an ordinary tensor.
try:
    fast.add_(1)
except RuntimeError as error:
    print(f"RuntimeError: {error}")
print("after the refused add_(1):", fast)
ordinary = fast.clone()
ordinary.add_(1)
print("a clone:", ordinary, " is_inference:", ordinary.is_inference())

# sphinx_gallery_start_ignore
assert fast.tolist() == [1.0, 3.0, 5.0]  # written, although refused
try:
    fast.add_(1)
except RuntimeError as error:
    assert (
        "Inplace update to inference tensor outside InferenceMode"
        " is not allowed" in str(error)
    )
else:
    raise AssertionError(
        "an inference tensor was changed in place outside inference mode"
    )
assert fast.tolist() == [2.0, 4.0, 6.0]
assert not ordinary.is_inference()
assert ordinary.tolist() == [2.0, 4.0, 6.0]
parameter.grad = None
(parameter * fast.clone()).sum().backward()  # the clone may enter autograd
assert parameter.grad.tolist() == fast.tolist()
# sphinx_gallery_end_ignore

# %%
# A custom ``autograd.Function``
# ------------------------------
# Autograd can only differentiate what it records, and it records torch
# operations. NumPy cannot take part: handed a tensor that requires grad,
# it refuses with an error (a GPU tensor is refused even earlier, for its
# device). :hardware:`gpu` Only after an explicit ``.detach()`` does the
# computation run, and then its result does not require grad: the graph is cut,
# by your own hand.
import numpy as np

x = torch.linspace(
    -2, 2, 5, dtype=torch.float64, device=device, requires_grad=True
)
try:
    np.tanh(x)
except (RuntimeError, TypeError) as error:
    print(f"{type(error).__name__}: {error}")
through_numpy = torch.from_numpy(np.tanh(x.detach().cpu().numpy()))
print("requires_grad after NumPy:", through_numpy.requires_grad)

# sphinx_gallery_start_ignore
try:
    np.tanh(x)
except (RuntimeError, TypeError) as error:
    _numpy_error = error
else:
    raise AssertionError("NumPy computed with a tensor that requires grad")
if x.device.type == "cpu":
    assert isinstance(_numpy_error, RuntimeError)
    assert "Can't call numpy() on Tensor that requires grad" in str(
        _numpy_error
    )
assert not through_numpy.requires_grad
# sphinx_gallery_end_ignore

# %%
# A subclass of :class:`torch.autograd.Function` supplies the missing piece
# itself: a ``forward`` that may compute anything, and a ``backward`` that
# multiplies the incoming gradient by the local derivative, exactly the step
# of backpropagation from the previous tutorial. Since
# :math:`\tanh'(x) = 1 - \tanh^2(x)`, ``forward`` saves its output for
# ``backward`` with ``ctx.save_for_backward``. Call it with ``.apply``.


class NumpyTanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.from_numpy(np.tanh(x.detach().cpu().numpy())).to(x.device)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y**2)


y = NumpyTanh.apply(x)
y.sum().backward()
print("grad_fn:", type(y.grad_fn).__name__)
print("x.grad:         ", x.grad)
print(
    "torch.tanh's:   ",
    torch.func.grad(lambda t: torch.tanh(t).sum())(x.detach()),
)

# sphinx_gallery_start_ignore
assert y.requires_grad
assert type(y.grad_fn).__name__ == "NumpyTanhBackward"
assert torch.allclose(x.grad, 1 - torch.tanh(x.detach()) ** 2)
assert torch.allclose(y, torch.tanh(x))
# sphinx_gallery_end_ignore

# %%
# A hand-written ``backward`` is exactly where a wrong gradient hides, so check
# it. :func:`torch.autograd.gradcheck` compares it with finite differences, in
# ``float64`` as
# :ref:`sphx_glr_tutorials_06_autograd_plot_06_checking_gradients.py` explains:
from torch.autograd import gradcheck

print("gradcheck:", gradcheck(NumpyTanh.apply, (x,)))

# sphinx_gallery_start_ignore
assert gradcheck(NumpyTanh.apply, (x,)) is True
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Autograd records what runs: loops and ``if`` statements build a new graph
#   on every call, and the gradient is exact for the path taken.
# * ``create_graph=True`` records the backward pass, so a derivative can be
#   differentiated again (curvature, second derivatives).
# * :func:`torch.func.grad` returns a gradient *function*; ``vmap`` evaluates
#   a function over a batch; ``vmap(grad(...))`` and ``jacrev`` give one
#   gradient per example.
# * ``no_grad`` results are ordinary tensors; ``inference_mode`` results are
#   inference tensors, which autograd refuses wherever it would have to save
#   them for the backward pass (``clone()`` them if needed).
# * A custom ``torch.autograd.Function`` defines ``forward`` and ``backward``;
#   check its ``backward`` with ``gradcheck`` in ``float64``.
