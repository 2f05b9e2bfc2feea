"""
Indexing and reshaping
======================

Models rarely take data in the shape it arrives in. In this tutorial you will
learn to pick elements, rows and columns out of a tensor by indexing and
slicing, to add and remove dimensions of size 1 with ``None``,
:meth:`~torch.Tensor.unsqueeze` and :meth:`~torch.Tensor.squeeze`, and to
rearrange the same elements into a new shape with
:meth:`~torch.Tensor.reshape`, including what happens when the new shape
cannot hold them.
"""

# %%
# Picking elements, rows and columns
# ----------------------------------
# Index a tensor with one position per dimension, counting from 0: for a matrix
# ``matrix[row, column]``. The result of picking a single element is still a
# tensor, with zero dimensions; ``.item()`` gives the Python number.

# sphinx_gallery_card = "Pick elements, add dimensions, reshape."
# sphinx_gallery_assumes = "plot_02_arithmetic_and_broadcasting"
# sphinx_gallery_thumbnail_number = 3
import torch

matrix = torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
print("second element of the first row:", matrix[0, 1])
print("as a Python number:", matrix[0, 1].item())

# sphinx_gallery_start_ignore
assert matrix[0, 1].ndim == 0
assert matrix[0, 1].item() == 2
# sphinx_gallery_end_ignore

# %%
# A colon ``:`` takes everything along a dimension, so ``matrix[0, :]`` is the
# first row and ``matrix[:, 0]`` the first column. Both come out as vectors
# (1-D): picking one row or column removes that dimension. Trailing ``:`` can
# be left out, and negative positions count from the end.
print("first row:      ", matrix[0, :])
print("first row again:", matrix[0])
print("first column:   ", matrix[:, 0])
print("last row:       ", matrix[-1])

# sphinx_gallery_start_ignore
assert matrix[0, :].tolist() == [1, 2, 3, 4]
assert torch.equal(matrix[0], matrix[0, :])
assert matrix[:, 0].tolist() == [1, 5, 9]
assert matrix[:, 0].ndim == 1
assert matrix[-1].tolist() == [9, 10, 11, 12]
# sphinx_gallery_end_ignore

# %%
# A slice ``start:stop`` takes positions ``start`` up to, but not including,
# ``stop``. Slicing keeps the dimension, even when it selects a single row:
# ``matrix[0:1]`` is a one-row *matrix*, while ``matrix[0]`` is a vector.
print(matrix[1:, 2:])
print(matrix[0:1], matrix[0:1].shape)
print(matrix[0], matrix[0].shape)

# sphinx_gallery_start_ignore
assert matrix[1:, 2:].tolist() == [[7, 8], [11, 12]]
assert matrix[0:1].shape == (1, 4)
assert matrix[0].shape == (4,)
# sphinx_gallery_end_ignore

# %%
# Adding dimensions of size 1
# ---------------------------
# A dimension of size 1 is called a **singleton dimension**. It adds no
# elements, but it changes how a tensor lines up with others: broadcasting
# stretches size-1 dimensions (see
# :ref:`sphx_glr_tutorials_01_tensors_plot_02_arithmetic_and_broadcasting.py`),
# and many functions expect a batch dimension in front. Writing ``None`` in an
# index inserts one at that position.
print("extra dimension at the end:  ", matrix[:, :, None].shape)
print("extra dimension at the front:", matrix[None, :, :].shape)

# sphinx_gallery_start_ignore
assert matrix[:, :, None].shape == (3, 4, 1)
assert matrix[None, :, :].shape == (1, 3, 4)
# sphinx_gallery_end_ignore

# %%
# Where the ``None`` goes matters, and it is easy to misread. Between the two
# colons, ``matrix[:, None, :]`` is **not** the first row: it keeps all three
# rows and turns each into a one-row matrix, shape ``(3, 1, 4)``. To get the
# first row as a one-row matrix, pick row 0 *and* add a dimension in front of
# what is left: ``matrix[0, None, :]``. Adding it after the row's data instead,
# ``matrix[0, :, None]``, makes the first row a one-column matrix.
every_row = matrix[:, None, :]
first_row_as_row = matrix[0, None, :]
first_row_as_column = matrix[0, :, None]
print("matrix[:, None, :] ", every_row.shape)
print("matrix[0, None, :] ", first_row_as_row.shape)
print(first_row_as_row)
print("matrix[0, :, None] ", first_row_as_column.shape)
print(first_row_as_column)

# sphinx_gallery_start_ignore
assert every_row.shape == (3, 1, 4)
assert torch.equal(every_row[:, 0, :], matrix)  # all rows, not just the first
assert first_row_as_row.shape == (1, 4)
assert first_row_as_row.tolist() == [[1, 2, 3, 4]]
assert first_row_as_column.shape == (4, 1)
assert first_row_as_column.tolist() == [[1], [2], [3], [4]]
assert torch.equal(first_row_as_row, matrix[0:1])
# sphinx_gallery_end_ignore

# %%
# Drawn from the tensors themselves. ``matrix[:, None, :]`` is 3-D, so it
# appears as its three slices ``[0]``, ``[1]``, ``[2]``: one per row of the
# matrix, each a one-row matrix.
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_tensors

fig = draw_tensors(
    {"matrix[:, None, :]": every_row},
    suptitle="matrix[:, None, :] keeps every row, each as a 1-by-4 matrix",
)
plt.show()

# %%
# Picking row 0 first leaves a vector of 4; ``None`` before or after its data
# makes it a row or a column:
fig = draw_tensors(
    {
        "matrix[0]": matrix[0],
        "matrix[0, None, :]": first_row_as_row,
        "matrix[0, :, None]": first_row_as_column,
    },
    suptitle="The first row as a vector, a one-row and a one-column matrix",
)
plt.show()

# %%
# :meth:`~torch.Tensor.unsqueeze` does the same as ``None`` with a dimension
# number (negative numbers count from the end), and
# :meth:`~torch.Tensor.squeeze` removes dimensions of size 1: all of them, or
# only the one you name.
print(matrix.unsqueeze(0).shape, matrix.unsqueeze(-1).shape)
print(every_row.squeeze(1).shape)
print(torch.zeros(1, 3, 1).squeeze().shape)

# sphinx_gallery_start_ignore
assert torch.equal(matrix.unsqueeze(0), matrix[None])
assert torch.equal(matrix.unsqueeze(-1), matrix[:, :, None])
assert torch.equal(matrix[0].unsqueeze(0), first_row_as_row)
assert torch.equal(every_row.squeeze(1), matrix)
assert torch.zeros(1, 3, 1).squeeze().shape == (3,)
# sphinx_gallery_end_ignore

# %%
# Reshaping
# ---------
# :meth:`~torch.Tensor.reshape` arranges the same elements into a new shape.
# It reads them in row-major order (along the last dimension first, like
# reading a page) and fills the new shape in the same order, so the sequence
# 1, 2, ..., 12 is kept; only where the rows break changes.
print(matrix.reshape(4, 3))
print(matrix.reshape(3, 2, 2))
print(matrix.reshape(12))

# sphinx_gallery_start_ignore
assert matrix.reshape(4, 3).tolist() == [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
    [10, 11, 12],
]
assert matrix.reshape(3, 2, 2)[1].tolist() == [[5, 6], [7, 8]]
assert matrix.reshape(12).tolist() == list(range(1, 13))
# sphinx_gallery_end_ignore

# %%
# The same reshapes drawn. Every panel uses one colour scale, so a cell's
# colour follows its value and you can follow each element to its new place:
# the rows of 4 are cut into rows of 3.
fig = draw_tensors(
    {"matrix": matrix, "reshape(4, 3)": matrix.reshape(4, 3)},
    suptitle="reshape keeps the order of the elements",
)
plt.show()

# %%
# With three dimensions, the same sequence fills three 2-by-2 slices, one after
# the other:
fig = draw_tensors(
    {"reshape(3, 2, 2)": matrix.reshape(3, 2, 2)},
    suptitle="reshape(3, 2, 2): slice by slice, row by row",
)
plt.show()

# %%
# Flattened to one dimension, the elements appear in exactly the order
# ``reshape`` reads them:
fig = draw_tensors(
    {"reshape(12)": matrix.reshape(12)},
    suptitle="The reading order: row by row",
)
plt.show()

# %%
# One size may be given as ``-1``: PyTorch works it out from the number of
# elements. ``reshape(-1, 1)`` makes a column of any vector, and
# ``reshape(-1)`` flattens anything.
print(torch.tensor([10, 20, 30]).reshape(-1, 1))
print(matrix.reshape(2, -1).shape, matrix.reshape(-1).shape)

# sphinx_gallery_start_ignore
assert torch.tensor([10, 20, 30]).reshape(-1, 1).shape == (3, 1)
assert matrix.reshape(2, -1).shape == (2, 6)
assert matrix.reshape(-1).shape == (12,)
# sphinx_gallery_end_ignore

# %%
# When the new shape cannot hold the elements
# -------------------------------------------
# Reshaping never adds or drops elements, so the new shape must hold exactly
# as many: a 3-by-4 matrix (12 elements) fits ``(4, 3)`` or ``(3, 2, 2)``, but
# not ``(3, 3)`` (9 elements). PyTorch says so:
try:
    matrix.reshape(3, 3)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    matrix.reshape(3, 3)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("a 12-element matrix reshaped to (3, 3)")
assert "shape '[3, 3]' is invalid for input of size 12" in message
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``t[i, j]`` picks an element (a 0-D tensor), ``t[i]`` a row, ``t[:, j]`` a
#   column; a single index removes its dimension, a slice ``a:b`` keeps it.
# * ``None`` in an index, or ``unsqueeze``, inserts a size-1 dimension exactly
#   where you write it; ``squeeze`` removes size-1 dimensions.
# * ``reshape`` keeps the elements in order and needs the same number of them;
#   ``-1`` stands for the size that makes it fit.
#
# Next: :ref:`sphx_glr_tutorials_01_tensors_plot_04_joining_tensors.py`.
