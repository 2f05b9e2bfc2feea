"""
Indexing beyond slices
======================

Integers and slices pick regular parts of a tensor. Real data needs more: the
positive values, rows 0, 4 and 7, the score of each example's true class. In
this tutorial you will learn:

* **boolean masks**, to select and to overwrite the elements that pass a test;
* **integer-array indexing**, to pick rows, or single elements, by position;
* ``...``, which stands for "all the remaining dimensions";
* :func:`torch.gather` and :meth:`~torch.Tensor.scatter_`, which pick and
  place one element per row, and :func:`torch.where`, which chooses element
  by element;
* which of these return a view of the tensor and which a copy, and the bug
  that hides in the difference.
"""

# %%
# Boolean masks
# -------------
# A comparison gives a tensor of booleans of the same shape, a **mask**.
# Indexing with a mask keeps the elements where it is ``True``, read row by
# row. They come out as a 1-D tensor, since the kept elements rarely form a
# grid.

# sphinx_gallery_card = "Masks, index tensors, gather and where."
# sphinx_gallery_assumes = "plot_06_storage_and_strides"
# sphinx_gallery_assumes = "plot_07_creating_and_reducing"
import torch

readings = torch.tensor(
    [[3.0, -1.0, 4.0], [-1.0, 5.0, -9.0], [2.0, -6.0, 5.0]]
)
positive = readings > 0
print(positive)
print(readings[positive])

# sphinx_gallery_start_ignore
assert positive.dtype == torch.bool
assert readings[positive].tolist() == [3.0, 4.0, 5.0, 2.0, 5.0]
assert readings[positive].ndim == 1
# sphinx_gallery_end_ignore

# %%
# Drawn, with ``True`` as 1: the mask picks the cells of the matrix, and the
# result lists them in reading order.
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_tensors

fig = draw_tensors(
    {
        "readings": readings,
        "readings > 0": positive,
        "readings[readings > 0]": readings[positive],
    },
    suptitle="A boolean mask selects elements, in reading order",
)
plt.show()

# %%
# Assigning through a mask writes only where it is ``True``: here every
# negative reading becomes 0. Masks combine with ``&`` (and), ``|`` (or) and
# ``~`` (not). Put each comparison in parentheses: ``&`` binds more tightly
# than ``>``, so without them Python computes ``0 & readings`` first, and the
# error says nothing about parentheses.
cleaned = readings.clone()
cleaned[cleaned < 0] = 0.0
print(cleaned)
print(readings[(readings > 0) & (readings < 5)])
print("how many negative:", (readings < 0).sum().item())
try:
    readings[readings > 0 & readings < 5]
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
assert cleaned.tolist() == [[3.0, 0.0, 4.0], [0.0, 5.0, 0.0], [2.0, 0.0, 5.0]]
assert readings[(readings > 0) & (readings < 5)].tolist() == [3.0, 4.0, 2.0]
assert (readings < 0).sum().item() == 4
assert readings.min().item() == -9.0  # the original is untouched
try:
    readings[readings > 0 & readings < 5]
except RuntimeError as error:
    assert isinstance(error, NotImplementedError)
    assert "\"bitwise_and_cpu\" not implemented for 'Float'" in str(error)
else:
    raise AssertionError("a mask combined without parentheses worked")
# sphinx_gallery_end_ignore

# %%
# A mask of one dimension picks whole rows, and so on for the first
# dimensions it covers:
print(readings[torch.tensor([True, False, True])])

# sphinx_gallery_start_ignore
assert readings[torch.tensor([True, False, True])].tolist() == [
    [3.0, -1.0, 4.0],
    [2.0, -6.0, 5.0],
]
# sphinx_gallery_end_ignore

# %%
# Integer-array indexing
# ----------------------
# A list or a tensor of integers picks positions along a dimension, in any
# order and as often as you like: ``readings[[2, 0, 0]]`` is rows 2, 0 and 0.
print(readings[[2, 0, 0]])
print(readings[:, [0, 2]])

# sphinx_gallery_start_ignore
assert readings[[2, 0, 0]].tolist() == [
    [2.0, -6.0, 5.0],
    [3.0, -1.0, 4.0],
    [3.0, -1.0, 4.0],
]
assert readings[:, [0, 2]].tolist() == [[3.0, 4.0], [-1.0, -9.0], [2.0, 5.0]]
# sphinx_gallery_end_ignore

# %%
# With an index tensor for *each* of two dimensions, they pair up: element
# ``k`` of the result is ``readings[rows[k], cols[k]]``. This is how to pick
# one element from every row, such as the diagonal, or the score of each
# example's true class:
rows = torch.tensor([0, 1, 2])
cols = torch.tensor([2, 0, 1])
print(readings[rows, cols])
print("diagonal:", readings[rows, rows])

# sphinx_gallery_start_ignore
assert readings[rows, cols].tolist() == [4.0, -1.0, -6.0]
assert torch.equal(readings[rows, rows], readings.diagonal())
# sphinx_gallery_end_ignore

# %%
# Index tensors must hold integers (or booleans); a float tensor is refused,
# even one holding whole numbers. And every position must exist:
try:
    readings[torch.tensor([0.0, 1.0])]
except IndexError as error:
    print(f"{type(error).__name__}: {error}")
try:
    readings[[0, 3]]
except IndexError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    readings[torch.tensor([0.0, 1.0])]
except IndexError as error:
    assert (
        "tensors used as indices must be long, int, byte or bool tensors"
        in str(error)
    )
else:
    raise AssertionError("a float index tensor was accepted")
try:
    readings[[0, 3]]
except IndexError as error:
    assert "index 3 is out of bounds for dimension 0 with size 3" in str(error)
else:
    raise AssertionError("an index out of range was accepted")
# sphinx_gallery_end_ignore

# %%
# ``...``: all the other dimensions
# ---------------------------------
# An ellipsis ``...`` stands for as many ``:`` as are needed. Code that takes
# the last channel of a batch of images need not know how many dimensions
# come before it: ``images[..., 0]`` works for one image of shape
# ``(height, width, channels)`` and for a batch of them alike.
image = torch.zeros(4, 5, 3)
images = torch.zeros(2, 4, 5, 3)
print(image[..., 0].shape, images[..., 0].shape)
print(images[0, ...].shape)

# sphinx_gallery_start_ignore
assert image[..., 0].shape == (4, 5)
assert images[..., 0].shape == (2, 4, 5)
assert torch.equal(images[..., 0], images[:, :, :, 0])
assert images[0, ...].shape == (4, 5, 3)
# sphinx_gallery_end_ignore

# %%
# ``gather``: one element per row, by index
# -----------------------------------------
# A classifier gives each example a row of probabilities, one per class. The
# loss needs, for each example, the probability of its *true* class.
# :meth:`~torch.Tensor.gather` reads it: along ``dim=1``, result ``[i, 0]``
# is ``probs[i, index[i, 0]]``. The index has the same number of dimensions
# as the input, hence the column ``labels[:, None]``.
probs = torch.tensor(
    [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.3, 0.3, 0.4]]
)
labels = torch.tensor([1, 0, 2, 0])
picked = probs.gather(1, labels[:, None])
print(picked)
print(probs[torch.arange(4), labels])

# sphinx_gallery_start_ignore
assert picked.shape == (4, 1)
assert torch.equal(picked.flatten(), torch.tensor([0.7, 0.5, 0.6, 0.3]))
assert torch.equal(picked.flatten(), probs[torch.arange(4), labels])
# sphinx_gallery_end_ignore

# %%
# The same pick is ``probs[torch.arange(4), labels]``, integer-array
# indexing as above; ``gather`` keeps the dimension and works along any
# ``dim``. Passing the labels as a vector instead of a column fails:
try:
    probs.gather(1, labels)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

fig = draw_tensors(
    {
        "probs": probs,
        "labels[:, None]": labels[:, None],
        "probs.gather(1, ...)": picked,
    },
    suptitle="gather picks probs[i, labels[i]] from each row",
)
plt.show()

# sphinx_gallery_start_ignore
try:
    probs.gather(1, labels)
except RuntimeError as error:
    assert (
        "Index tensor must have the same number of dimensions as input tensor"
        in str(error)
    )
else:
    raise AssertionError("gather accepted a 1-D index for a 2-D input")
# sphinx_gallery_end_ignore

# %%
# ``scatter_``: place values by index
# -----------------------------------
# :meth:`~torch.Tensor.scatter_` is the reverse: it *writes* into a tensor,
# in place, at the positions an index gives. Writing a 1 at each label's
# position in a row of zeros is a **one-hot** encoding;
# :func:`torch.nn.functional.one_hot` gives the same, as integers.
one_hot = torch.zeros(4, 3).scatter_(1, labels[:, None], 1.0)
print(one_hot)
print(torch.equal(one_hot, torch.nn.functional.one_hot(labels, 3).float()))

# sphinx_gallery_start_ignore
assert one_hot.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]]
assert torch.nn.functional.one_hot(labels, 3).dtype == torch.int64
# sphinx_gallery_end_ignore

# %%
# ``torch.where``: choose element by element
# ------------------------------------------
# ``torch.where(condition, a, b)`` takes each element from ``a`` where the
# condition holds and from ``b`` elsewhere; ``a`` and ``b`` broadcast, so
# either may be a number. Unlike assigning through a mask, it leaves its inputs
# alone and returns a new tensor.
print(torch.where(readings > 0, readings, 0.0))
print(torch.where(readings > 0, 1, -1))

# sphinx_gallery_start_ignore
assert torch.equal(torch.where(readings > 0, readings, 0.0), cleaned)
assert torch.where(readings > 0, 1, -1).tolist() == [
    [1, -1, 1],
    [-1, 1, -1],
    [1, -1, 1],
]
assert readings.min().item() == -9.0
# sphinx_gallery_end_ignore

# %%
# Views or copies?
# ----------------
# The previous tutorial showed that a view is the same storage read through
# new strides. That only works when the selected elements sit at regular
# distances. Integers, slices, ``None`` and ``...`` (*basic* indexing) always
# select such a pattern, so they return views. Masks and index tensors
# (*advanced* indexing) can pick any elements in any order, which no strides
# can describe, so they return copies; so do ``gather`` and ``where``, which
# make new tensors. The table is computed from the tensors themselves:
# ``_base`` is the tensor whose memory a view reads, and a copy has a storage
# of its own.


def shares_memory(result, tensor):
    return (
        result.untyped_storage().data_ptr()
        == tensor.untyped_storage().data_ptr()
    )


results = {
    "readings[1]": readings[1],
    "readings[:, 1:]": readings[:, 1:],
    "readings[None]": readings[None],
    "readings[..., 0]": readings[..., 0],
    "readings[readings > 0]": readings[readings > 0],
    "readings[[2, 0]]": readings[[2, 0]],
    "readings[rows, cols]": readings[rows, cols],
    "readings.gather(1, ...)": readings.gather(1, cols[:, None]),
    "torch.where(...)": torch.where(readings > 0, readings, 0.0),
}
print(f"{'expression':24} {'shares memory':>13} {'_base is readings':>18}")
for expression, result in results.items():
    shared = shares_memory(result, readings)
    print(f"{expression:24} {shared!s:>13} {result._base is readings!s:>18}")

# sphinx_gallery_start_ignore
views = {
    "readings[1]",
    "readings[:, 1:]",
    "readings[None]",
    "readings[..., 0]",
}
for expression, result in results.items():
    assert shares_memory(result, readings) == (expression in views), expression
    assert (result._base is readings) == (expression in views), expression
# sphinx_gallery_end_ignore

# %%
# The bug in the difference
# -------------------------
# Writing *into* an indexing expression, ``readings[mask] = value``, changes
# ``readings``: PyTorch turns that assignment into an in-place write
# (:meth:`~torch.Tensor.index_put_`). But chaining a second index after an
# advanced one writes into the copy the first index made, and the write is
# lost, without an error. With basic indexing the same chain works:
table = readings.clone()
table[table > 0][0] = 100.0  # advanced, then an element: writes into a copy
print("after table[table > 0][0] = 100:", table[0, 0].item())
table[0][0] = 100.0  # basic, then an element: writes through a view
print("after table[0][0] = 100:        ", table[0, 0].item())

# sphinx_gallery_start_ignore
check = readings.clone()
check[check > 0][0] = 100.0
assert check[0, 0].item() == 3.0
check[0][0] = 100.0
assert check[0, 0].item() == 100.0
# t[mask] = v is the in-place index_put_.
by_assignment, by_index_put = readings.clone(), readings.clone()
by_assignment[readings > 0] = 1.0
by_index_put.index_put_((readings > 0,), torch.tensor(1.0))
assert torch.equal(by_assignment, by_index_put)
# sphinx_gallery_end_ignore

# %%
# Index once, with everything in one pair of brackets, and the write lands:
table = readings.clone()
table[0, 0] = 100.0
table[table < 0] = 0.0
print(table)

# sphinx_gallery_start_ignore
assert table.tolist() == [[100.0, 0.0, 4.0], [0.0, 5.0, 0.0], [2.0, 0.0, 5.0]]
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``t[mask]`` keeps the elements where a boolean mask is ``True``, as a 1-D
#   tensor; ``t[mask] = v`` writes there. Combine masks with ``&``, ``|``,
#   ``~``.
# * ``t[[i, j]]`` picks positions along a dimension; index tensors for two
#   dimensions pair up element by element.
# * ``...`` stands for all the dimensions you do not name.
# * ``gather`` reads one element per row by index, ``scatter_`` writes one;
#   ``torch.where(c, a, b)`` chooses element by element.
# * Basic indexing (integers, slices, ``None``, ``...``) returns views;
#   advanced indexing (masks, index tensors), ``gather`` and ``where`` return
#   copies. Assign through one indexing expression, never a chain.
#
# After this section's exercises, below, comes the NumPy section, where
# memory is shared between arrays and tensors:
# :ref:`sphx_glr_tutorials_02_numpy_plot_01_numpy_arrays.py`.
