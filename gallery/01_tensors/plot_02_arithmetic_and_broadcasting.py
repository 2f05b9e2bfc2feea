"""
Arithmetic and broadcasting
===========================

Arithmetic on tensors works element by element, with no Python loop. In this
tutorial you will learn:

* how ``+``, ``-``, ``*`` and ``/`` combine a tensor with a number or with
  another tensor of the same shape;
* **broadcasting**, the rule that lets tensors of *different* shapes combine,
  and the error you get when their shapes are incompatible;
* the matrix product ``@`` (:func:`torch.matmul`), including products with
  vectors;
* how to get a plain Python number out of a one-element tensor with
  :meth:`torch.Tensor.item`.
"""

# %%
# Element-wise arithmetic
# -----------------------
# An operation between a tensor and a number applies to every element. Between
# two tensors of the same shape it pairs up elements at the same position:
# ``vector * vector`` multiplies element by element, it is *not* a matrix or
# dot product.

# sphinx_gallery_card = "Element-wise arithmetic, broadcasting and @."
# sphinx_gallery_assumes = "plot_01_creating_tensors"
import torch

vector = torch.tensor([1, 2, 3, 4])
print("vector + 1      ", vector + 1)
print("vector * 2      ", vector * 2)
print("vector + vector ", vector + vector)
print("vector * vector ", vector * vector)

# sphinx_gallery_start_ignore
assert (vector + 1).tolist() == [2, 3, 4, 5]
assert (vector * 2).tolist() == [2, 4, 6, 8]
assert (vector + vector).tolist() == [2, 4, 6, 8]
assert (vector * vector).tolist() == [1, 4, 9, 16]
# sphinx_gallery_end_ignore

# %%
# The result has a dtype too. Dividing integers with ``/`` always gives floats
# (use ``//`` for integer division), and an integer tensor times a Python float
# becomes the default float type:
print(vector / 2)
print(vector // 2)
print((vector * 1.5).dtype)

# sphinx_gallery_start_ignore
assert (vector / 2).dtype == torch.float32
assert (vector // 2).tolist() == [0, 1, 1, 2]
assert (vector // 2).dtype == torch.int64
assert (vector * 1.5).dtype == torch.float32
# sphinx_gallery_end_ignore

# %%
# Broadcasting: combining different shapes
# ----------------------------------------
# Element-wise operations do not need equal shapes. Adding a number to a
# vector above was already an example: the number was treated as if it were
# repeated to the vector's shape. PyTorch does the same for tensors, following
# one rule, **broadcasting** (the same rule as NumPy's):
#
# 1. Line the two shapes up from the right (the last dimensions together).
#    Where one tensor has fewer dimensions, treat the missing ones as size 1.
# 2. In every dimension the two sizes must be equal, or one of them must be 1.
# 3. A dimension of size 1 is stretched to the other size by repeating its
#    values; the result takes the larger size in every dimension.
#
# A column of 3 values plus a row of 4 values therefore gives a 3-by-4 table:
# shapes ``(3, 1)`` and ``(4,)`` line up as ``(3, 1)`` and ``(1, 4)``.
column = torch.tensor([[0], [10], [20]])
row = torch.tensor([1, 2, 3, 4])
table = column + row
print(column.shape, row.shape, "->", table.shape)
print(table)

# sphinx_gallery_start_ignore
assert tuple(table.shape) == (3, 4)
assert table.tolist() == [[1, 2, 3, 4], [11, 12, 13, 14], [21, 22, 23, 24]]
assert torch.broadcast_shapes((3, 1), (4,)) == torch.Size([3, 4])
# sphinx_gallery_end_ignore

# %%
# The figure draws the rule from these very tensors: each operand as stored,
# then stretched to the common shape (hatched cells are repeated values), then
# the sum.
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_broadcast

fig = draw_broadcast(
    column,
    row,
    names=("column", "row"),
    suptitle="Broadcasting column + row: (3, 1) and (4,) give (3, 4)",
)
plt.show()

# sphinx_gallery_start_ignore
assert [t.get_text() for t in fig.axes[5].texts] == [
    str(v) for v in table.flatten().tolist()
]
# sphinx_gallery_end_ignore

# %%
# The stretching is only a way to think about it: PyTorch never builds the
# repeated copies in memory. :meth:`torch.Tensor.expand` shows the same idea
# explicitly. The expanded column reports a *stride* of 0 along its new
# dimension (stepping to the next column moves 0 elements in memory), and it
# shares the original's memory:
stretched = column.expand(3, 4)
print(stretched)
print("stride:", stretched.stride())
print("same memory:", stretched.data_ptr() == column.data_ptr())

# sphinx_gallery_start_ignore
assert stretched.stride() == (1, 0)
assert stretched.data_ptr() == column.data_ptr()
# sphinx_gallery_end_ignore

# %%
# A common use: scale each row of a matrix by its own factor. The factors form
# a column of shape ``(2, 1)``, which stretches across the 3 columns.
matrix = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
row_factors = torch.tensor([[10.0], [100.0]])
print(matrix * row_factors)

# sphinx_gallery_start_ignore
assert (matrix * row_factors).tolist() == [[10, 20, 30], [400, 500, 600]]
# sphinx_gallery_end_ignore

# %%
# When shapes do not broadcast
# ----------------------------
# The same two factors as a *vector* of shape ``(2,)`` line up with the last
# dimension of the matrix, whose size is 3. The sizes 3 and 2 differ and
# neither is 1, so PyTorch refuses, naming the dimension:
factors = torch.tensor([10.0, 100.0])
try:
    matrix * factors
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    matrix * factors
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("shapes (2, 3) and (2,) broadcast")
assert (
    "must match the size of tensor b (2) at non-singleton dimension 1"
    in message
)
# sphinx_gallery_end_ignore

# %%
# The fix is to say which dimension the factors belong to: add a dimension of
# size 1 at the end (``factors[:, None]``, see the next tutorial), which turns
# them into the column used above.
print(factors[:, None].shape)
print(matrix * factors[:, None])

# sphinx_gallery_start_ignore
assert torch.equal(matrix * factors[:, None], matrix * row_factors)
# sphinx_gallery_end_ignore

# %%
# The matrix product: ``@``
# -------------------------
# ``@`` (or :func:`torch.matmul`) is the matrix product: each element of the
# result is a row of the left operand times a column of the right one, summed.
# The inner sizes must agree: ``(2, 2) @ (2, 2)`` gives ``(2, 2)``. Multiplying
# by the identity matrix gives the matrix back.
matrix1 = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
identity = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
print(matrix1 @ identity)
print(matrix1 @ matrix1)

# sphinx_gallery_start_ignore
assert torch.equal(matrix1 @ identity, matrix1)
assert (matrix1 @ matrix1).tolist() == [[7, 10], [15, 22]]
assert torch.equal(torch.matmul(matrix1, matrix1), matrix1 @ matrix1)
# sphinx_gallery_end_ignore

# %%
# Products with vectors
# ---------------------
# ``@`` also takes 1-D operands; there is no need to turn a vector into a
# one-row matrix first. A vector on the left acts as a row, a vector on the
# right acts as a column, and the result is again a vector:
v = torch.tensor([1.0, 2.0])
print("v @ matrix1:", v @ matrix1, (v @ matrix1).shape)
print("matrix1 @ v:", matrix1 @ v, (matrix1 @ v).shape)

# sphinx_gallery_start_ignore
assert (v @ matrix1).tolist() == [7.0, 10.0]
assert (matrix1 @ v).tolist() == [5.0, 11.0]
assert (v @ matrix1).shape == (2,)
assert (matrix1 @ v).shape == (2,)
# sphinx_gallery_end_ignore

# %%
# A one-row matrix works too, and keeps its extra dimension: the result is a
# one-row matrix, shape ``(1, 2)`` rather than ``(2,)``. Choose the form whose
# result shape you want.
print(v[None, :] @ matrix1)

# sphinx_gallery_start_ignore
assert (v[None, :] @ matrix1).shape == (1, 2)
assert torch.equal((v[None, :] @ matrix1)[0], v @ matrix1)
# sphinx_gallery_end_ignore

# %%
# Two vectors give their dot product, a 0-D tensor:
# :math:`1 \cdot 4 + 2 \cdot 5 + 3 \cdot 6 = 32`.
a = torch.tensor([1.0, 2.0, 3.0])
b = torch.tensor([4.0, 5.0, 6.0])
print(a @ b)

# sphinx_gallery_start_ignore
assert (a @ b).ndim == 0
assert (a @ b).item() == 32.0
# sphinx_gallery_end_ignore

# %%
# Unlike element-wise arithmetic, ``@`` does not mix dtypes: both operands must
# have the same one (convert one with ``.to(...)`` or ``.float()``). Here a
# float vector meets an integer vector:
try:
    a @ torch.tensor([4, 5, 6])
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    a @ torch.tensor([4, 5, 6])
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("matmul mixed float and int")
assert "same dtype" in message
try:
    torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.int64)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("matmul mixed float and int matrices")
assert "same dtype" in message
assert torch.equal(a @ torch.tensor([4, 5, 6]).float(), a @ b)
# sphinx_gallery_end_ignore

# %%
# And the inner sizes must be equal (a size of 1 does not stretch there); when
# they differ, the message gives both shapes:
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("(2, 3) @ (2, 3) worked")
assert "cannot be multiplied (2x3 and 2x3)" in message
try:
    torch.ones(2, 1) @ torch.ones(3, 2)
except RuntimeError:
    pass
else:
    raise AssertionError("an inner size of 1 stretched in matmul")
# sphinx_gallery_end_ignore

# %%
# From a tensor to a Python number: ``item()``
# --------------------------------------------
# A product or a sum of a whole tensor is still a tensor, even with a single
# element. :meth:`torch.Tensor.item` returns its value as a plain Python
# number, for printing, logging or an ``if``. It works on any tensor with
# exactly one element, and fails on larger ones:
dot = a @ b
print(dot, "->", dot.item(), type(dot.item()).__name__)
print(torch.tensor([[7]]).item())
try:
    vector.item()
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
assert isinstance(dot.item(), float)
assert torch.tensor([[7]]).item() == 7
try:
    vector.item()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("item() of 4 elements worked")
assert "4 elements cannot be converted to Scalar" in message
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``+ - * /`` work element by element; ``*`` is not the matrix product.
# * Broadcasting lines shapes up from the right; sizes must be equal or 1, and
#   size-1 dimensions stretch without copying memory.
# * ``@`` is the matrix product; with a 1-D operand it treats the vector as a
#   row (left) or a column (right) and returns a vector; two vectors give a dot
#   product.
# * ``.item()`` turns a one-element tensor into a Python number.
#
# Next: :ref:`sphx_glr_tutorials_01_tensors_plot_03_indexing_and_reshaping.py`.
