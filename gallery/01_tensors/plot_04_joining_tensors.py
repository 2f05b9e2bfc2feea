"""
Joining tensors: cat and stack
==============================

Batches are built by putting tensors together. PyTorch has two ways, and they
differ in one thing: whether the result has a new dimension. In this tutorial
you will learn when to use :func:`torch.cat`, which joins tensors along a
dimension they already have, and when :func:`torch.stack`, which adds a new
dimension and lines the tensors up along it, and what each says when the
shapes do not fit.
"""

# %%
# Concatenating: a longer tensor, same number of dimensions
# ---------------------------------------------------------
# :func:`torch.cat` puts tensors end to end along one existing dimension.
# Joining two 2-by-2 matrices along dimension 0 puts the second below the
# first (more rows); along dimension 1 it puts it to the right (more columns).
# The result is still a matrix.

# sphinx_gallery_card = "cat joins along a dimension; stack adds one."
# sphinx_gallery_assumes = "plot_03_indexing_and_reshaping"
import torch

matrix1 = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
matrix2 = torch.tensor([[5.0, 6.0], [7.0, 8.0]])
on_top = torch.cat([matrix1, matrix2], dim=0)
side_by_side = torch.cat([matrix1, matrix2], dim=1)
print(on_top)
print(side_by_side)

# sphinx_gallery_start_ignore
assert on_top.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]
assert side_by_side.tolist() == [[1, 2, 5, 6], [3, 4, 7, 8]]
assert on_top.ndim == side_by_side.ndim == 2
# sphinx_gallery_end_ignore

# %%
# Drawn from those tensors (the colour follows the value, so the cells of
# ``matrix2`` are the darker ones):
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_tensors

fig = draw_tensors(
    {
        "matrix1": matrix1,
        "matrix2": matrix2,
        "cat(dim=0)": on_top,
        "cat(dim=1)": side_by_side,
    },
    suptitle="torch.cat joins along an existing dimension",
)
plt.show()

# sphinx_gallery_start_ignore
import numpy as np

darkness = [
    [1 - np.mean(p.get_facecolor()[:3]) for p in ax.patches] for ax in fig.axes
]
assert max(darkness[0]) < min(darkness[1])  # every cell of matrix2 is darker
# sphinx_gallery_end_ignore

# %%
# :func:`torch.concat` and :func:`torch.concatenate` are other names for the
# same function, matching NumPy's spelling.
print(torch.equal(torch.concat([matrix1, matrix2], dim=1), side_by_side))
print(torch.equal(torch.concatenate([matrix1, matrix2], dim=0), on_top))

# sphinx_gallery_start_ignore
assert torch.equal(torch.concat([matrix1, matrix2], dim=1), side_by_side)
assert torch.equal(torch.concatenate([matrix1, matrix2], dim=0), on_top)
# sphinx_gallery_end_ignore

# %%
# The tensors must agree in every dimension except the one you join along.
# Joining along dimension 0, a matrix with 2 columns and one with 3 cannot be
# put on top of each other:
try:
    torch.cat([torch.zeros(2, 2), torch.zeros(1, 3)], dim=0)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    torch.cat([torch.zeros(2, 2), torch.zeros(1, 3)], dim=0)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("cat joined (2, 2) and (1, 3) along dim 0")
assert "Sizes of tensors must match except in dimension 0" in message
assert torch.cat([torch.zeros(2, 2), torch.zeros(1, 2)], dim=0).shape == (3, 2)
# sphinx_gallery_end_ignore

# %%
# Stacking: a new dimension
# -------------------------
# :func:`torch.stack` puts equally shaped tensors side by side along a *new*
# dimension, so the result has one more dimension than each input. Stacking
# two vectors makes a matrix: along the new dimension 0 the vectors become its
# rows, along the new dimension 1 its columns.
vector1 = torch.tensor([1.0, 2.0])
vector2 = torch.tensor([3.0, 4.0])
as_rows = torch.stack([vector1, vector2], dim=0)
as_columns = torch.stack([vector1, vector2], dim=1)
print(as_rows)
print(as_columns)

# sphinx_gallery_start_ignore
assert as_rows.tolist() == [[1, 2], [3, 4]]
assert as_columns.tolist() == [[1, 3], [2, 4]]
# sphinx_gallery_end_ignore

# %%
fig = draw_tensors(
    {
        "vector1": vector1,
        "vector2": vector2,
        "stack(dim=0)": as_rows,
        "stack(dim=1)": as_columns,
    },
    suptitle="torch.stack adds a new dimension",
)
plt.show()

# %%
# Compare with ``cat`` on the same vectors: it has no second dimension to use,
# so it can only make one longer vector.
print(torch.cat([vector1, vector2]))

# sphinx_gallery_start_ignore
assert torch.cat([vector1, vector2]).shape == (4,)
# sphinx_gallery_end_ignore

# %%
# Stacking matrices makes a 3-D tensor. This is how a batch is formed: two
# 2-by-2 "images" stacked along dimension 0 give a batch of shape
# ``(2, 2, 2)``, with the batch index first.
batch = torch.stack([matrix1, matrix2])
print(batch.shape)
print(torch.equal(batch[1], matrix2))

# sphinx_gallery_start_ignore
assert batch.shape == (2, 2, 2)
assert torch.equal(batch[1], matrix2)
# sphinx_gallery_end_ignore

# %%
# ``stack`` is ``cat`` after giving every input a new dimension of size 1 at
# the same place (``unsqueeze``):
print(
    torch.equal(
        torch.stack([vector1, vector2], dim=1),
        torch.cat([vector1.unsqueeze(1), vector2.unsqueeze(1)], dim=1),
    )
)

# sphinx_gallery_start_ignore
for dim in (0, 1):
    assert torch.equal(
        torch.stack([vector1, vector2], dim=dim),
        torch.cat([vector1.unsqueeze(dim), vector2.unsqueeze(dim)], dim=dim),
    )
# sphinx_gallery_end_ignore

# %%
# So ``stack`` needs *all* shapes equal, where ``cat`` allows one dimension to
# differ:
try:
    torch.stack([torch.zeros(2), torch.zeros(3)])
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    torch.stack([torch.zeros(2), torch.zeros(3)])
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("stack joined shapes (2,) and (3,)")
assert "stack expects each tensor to be equal size" in message
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``torch.cat(tensors, dim=d)`` joins along existing dimension ``d``; the
#   shapes must match everywhere else; the number of dimensions stays the same.
# * ``torch.stack(tensors, dim=d)`` inserts a new dimension ``d``; all shapes
#   must be equal; the result has one more dimension. Use it to make a batch.
#
# Next: :ref:`sphx_glr_tutorials_01_tensors_plot_05_in_place_operations.py`.
