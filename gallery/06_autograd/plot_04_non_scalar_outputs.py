"""
Gradients of non-scalar outputs
===============================

``backward()`` needs one number to differentiate, such as a loss. When the
output is a vector or a matrix, you must say how to combine its elements, with
the ``gradient`` argument.

In this tutorial you will see why, what that argument computes (a
vector-Jacobian product), how it relates to ``y.sum().backward()``, and how to
get the full Jacobian with :func:`torch.autograd.functional.jacobian` when you
really need every slope.
"""

# %%
# A vector output has no single slope
# -----------------------------------
# With three inputs and three outputs there are nine slopes, one for each
# output and input. ``backward()`` alone refuses to choose:

# sphinx_gallery_card = "Vector outputs: vector-Jacobian products."
# sphinx_gallery_assumes = "plot_03_partial_derivatives"
# sphinx_gallery_calculus = "partial derivatives, the Jacobian"
import torch

from tutorial_helpers import choose_device

device = choose_device()

x = torch.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
y = x**2
try:
    y.backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
try:
    (x**2).backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("backward() of a vector output did not fail")
assert "only for scalar outputs" in message
# sphinx_gallery_end_ignore

# %%
# The ``gradient`` argument
# -------------------------
# Pass a tensor of the *output's* shape: one weight per output element.
# Autograd then computes the gradient of the weighted sum
# :math:`\sum_i v_i y_i`. With all weights 1, that is the gradient of
# ``y.sum()``: here :math:`2x`, since each :math:`y_i = x_i^2` depends on
# :math:`x_i` alone.
y.backward(gradient=torch.ones_like(y))
print("with gradient=ones:", x.grad)

x.grad = None
(x**2).sum().backward()
print("y.sum().backward():", x.grad)

# sphinx_gallery_start_ignore
assert x.grad.tolist() == [2.0, 4.0, 6.0]
x.grad = None
(x**2).backward(gradient=torch.ones(3, device=device))
assert x.grad.tolist() == [2.0, 4.0, 6.0]
# sphinx_gallery_end_ignore

# %%
# The argument's shape is the output's, not the input's: a mismatch is an
# error.
try:
    (x**2).backward(gradient=torch.ones(2, device=device))
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
try:
    (x**2).backward(gradient=torch.ones(2, device=device))
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("a gradient of the wrong shape was accepted")
assert "Mismatch in shape" in message
# sphinx_gallery_end_ignore

# %%
# A vector-Jacobian product
# -------------------------
# The **Jacobian** :math:`J` of :math:`y = f(x)` holds every slope:
# :math:`J_{ij} = \partial y_i / \partial x_j`, one row per output, one column
# per input. ``y.backward(gradient=v)`` never builds it; it computes the
# product :math:`v^\top J` directly, which is far cheaper when :math:`J` is
# big. A matrix product shows it best, since its Jacobian is the matrix
# itself: for :math:`y = W x`, :math:`J = W`.
W = torch.tensor([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]], device=device)
x = torch.tensor([1.0, 1.0, 1.0], device=device, requires_grad=True)
y = W @ x  # 3 inputs, 2 outputs
v = torch.tensor([1.0, 10.0], device=device)  # one weight per output
y.backward(gradient=v)
print("x.grad = v @ W:", x.grad)

# sphinx_gallery_start_ignore
assert torch.equal(x.grad, v @ W)
assert x.grad.tolist() == [1.0, -8.0, 30.0]
# sphinx_gallery_end_ignore

# %%
# The full Jacobian
# -----------------
# :func:`torch.autograd.functional.jacobian` builds :math:`J` for you, one
# backward pass per output. Check that it is :math:`W`, and that
# :math:`v^\top J` is the gradient above:
from torch.autograd.functional import jacobian

J = jacobian(lambda inputs: W @ inputs, x)
print(J)
print("v @ J:", v @ J)

# sphinx_gallery_start_ignore
assert torch.equal(J, W)
assert torch.equal(v @ J, x.grad)
# sphinx_gallery_end_ignore

# %%
# Drawn from the tensors themselves: the weights :math:`v` (one per output),
# the Jacobian :math:`J` (one row per output, one column per input) and their
# product, the gradient autograd stored in ``x.grad`` (one per input).
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_tensors

fig = draw_tensors(
    {"v": v, "J = W": J, "x.grad = v @ J": x.grad},
    suptitle="y.backward(gradient=v) computes v @ J",
)
plt.show()

# %%
# ``y.sum().backward()`` is not "the derivative of each output"
# ------------------------------------------------------------------
# Summing is the vector-Jacobian product with :math:`v` all ones, so
# ``x.grad`` holds the *column sums* of :math:`J`. They are the elementwise
# derivatives only when each output depends on its own input alone (a
# diagonal Jacobian, as for ``x**2`` above). Here every output mixes inputs:
x.grad = None
(W @ x).sum().backward()
print("x.grad after y.sum().backward():", x.grad)
print("column sums of J:               ", J.sum(dim=0))

# sphinx_gallery_start_ignore
assert torch.equal(x.grad, J.sum(dim=0))
diagonal_J = jacobian(lambda inputs: inputs**2, torch.tensor([1.0, 2.0, 3.0]))
assert torch.equal(diagonal_J, torch.diag(torch.tensor([2.0, 4.0, 6.0])))
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``backward()`` without arguments works only for one-number outputs.
# * ``y.backward(gradient=v)``, with ``v`` shaped like ``y``, computes
#   :math:`v^\top J` without building :math:`J`; ``y.sum().backward()`` is
#   the case ``v = ones``.
# * :func:`torch.autograd.functional.jacobian` builds the whole :math:`J`,
#   at the cost of one backward pass per output.
