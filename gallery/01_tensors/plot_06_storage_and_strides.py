"""
Storage, strides and views
==========================

The previous tutorial showed that slicing, ``expand`` and often ``reshape``
return **views**, tensors that share memory with another one. This tutorial
opens the box and shows how that works. You will learn:

* that a tensor's numbers live in a flat block of memory, its **storage**, and
  that its ``stride()`` and ``storage_offset()`` say where each element is;
* why ``transpose`` and ``permute`` cost nothing, and what *contiguous* means;
* when :meth:`~torch.Tensor.view` works, when it fails, and what
  :meth:`~torch.Tensor.reshape` does instead;
* the difference between ``contiguous()``, ``clone()``, ``expand()`` and
  ``repeat()``: which ones copy, and how much memory each result uses.
"""

# %%
# A tensor is a view of its storage
# ---------------------------------
# However many dimensions a tensor has, its numbers sit one after another in
# one flat block of memory, the tensor's **storage**.
# :meth:`~torch.Tensor.untyped_storage` returns it, as bytes: this 2-by-3
# matrix of ``int64`` (8 bytes each) owns 48 bytes.

# sphinx_gallery_card = "Storage, strides, and when a view is possible."
# sphinx_gallery_assumes = "plot_05_in_place_operations"
import torch

matrix = torch.tensor([[10, 11, 12], [13, 14, 15]])
storage = matrix.untyped_storage()
print("bytes in the storage:", storage.nbytes())
print("bytes per element:   ", matrix.element_size())

# sphinx_gallery_start_ignore
assert storage.nbytes() == 48
assert matrix.element_size() == 8
# sphinx_gallery_end_ignore

# %%
# The shape alone does not say where ``matrix[i, j]`` is in that block. The
# **strides** do: :meth:`~torch.Tensor.stride` gives, for each dimension, how
# many elements to skip in storage to move one step along it. Here the next
# column is 1 element further and the next row 3 elements further, so
# ``matrix[i, j]`` is storage element ``offset + 3 * i + 1 * j``, where the
# offset, :meth:`~torch.Tensor.storage_offset`, is where the tensor starts.
print("stride:", matrix.stride())
print("storage offset:", matrix.storage_offset())
i, j = 1, 2
position = (
    matrix.storage_offset() + i * matrix.stride(0) + j * matrix.stride(1)
)
print(f"matrix[{i}, {j}] is storage element {position}:", matrix[i, j].item())

# sphinx_gallery_start_ignore
assert matrix.stride() == (3, 1)
assert matrix.storage_offset() == 0
assert position == 5
assert matrix.flatten()[position].item() == matrix[i, j].item() == 15
# sphinx_gallery_end_ignore

# %%
# The figure draws it. The top row is the storage, each cell with its index
# below; the grid is the tensor, each cell with the index of the storage
# element it reads in its corner. Reading the matrix row by row visits the
# storage in order, with no gaps: the matrix is **contiguous**. Exactly, a
# tensor is contiguous when its strides are those of row-major order for its
# shape: stride 1 for the last dimension, and for each other dimension the
# product of the sizes after it (a dimension of size 1 may have any stride).
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_strided_view

fig = draw_strided_view(matrix, name="matrix")
plt.show()

# sphinx_gallery_start_ignore
assert matrix.is_contiguous()
assert "0, 1, 2, 3, 4, 5" in fig.axes[1].texts[-1].get_text()


def _row_major(shape):
    strides, step = [], 1
    for size in reversed(shape):
        strides.insert(0, step)
        step *= size
    return tuple(strides)


_grid = torch.arange(24).reshape(2, 3, 4)
for _t in (matrix, matrix.T, matrix[:, 1:], _grid, _grid[:, ::2], _grid.mT):
    _same = all(
        size == 1 or got == want
        for size, got, want in zip(
            _t.shape, _t.stride(), _row_major(_t.shape), strict=True
        )
    )
    assert _t.is_contiguous() == _same, _t.stride()
# sphinx_gallery_end_ignore

# %%
# A slice is the same storage, read differently
# ---------------------------------------------
# Slicing makes no copy: it makes a new tensor object with its own shape,
# strides and offset over the *same* storage. ``matrix[:, 1:]`` starts at
# storage element 1 and keeps the strides, so it skips elements 0 and 3.
#
# Two ways to see that memory is shared: both tensors have the same storage
# (compare :meth:`~torch.Tensor.untyped_storage` addresses), and the view's
# ``_base`` is the tensor that owns the memory. A tensor's own
# :meth:`~torch.Tensor.data_ptr` is the address of its *first element*, so it
# differs by the offset: 1 element, 8 bytes.
right = matrix[:, 1:]
print(
    "shape:",
    tuple(right.shape),
    " stride:",
    right.stride(),
    " offset:",
    right.storage_offset(),
)
print(
    "same storage:", right.untyped_storage().data_ptr() == storage.data_ptr()
)
print("_base is matrix:", right._base is matrix)
print(
    "first element is", right.data_ptr() - matrix.data_ptr(), "bytes further"
)

# sphinx_gallery_start_ignore
assert tuple(right.shape) == (2, 2)
assert right.stride() == (3, 1)
assert right.storage_offset() == 1
assert right.untyped_storage().data_ptr() == storage.data_ptr()
assert right._base is matrix
assert matrix._base is None  # the matrix owns its memory
assert right.data_ptr() - matrix.data_ptr() == 8
# sphinx_gallery_end_ignore

# %%
# The white cells are storage the slice does not read. Read row by row, the
# slice still visits its storage in order (1, 2, then 4, 5), but with a gap:
# its rows are not next to each other in memory. Its strides are ``(3, 1)``
# where row-major order for its shape would be ``(2, 1)``, so it is not
# contiguous:
fig = draw_strided_view(right, name="matrix[:, 1:]")
print("contiguous:", right.is_contiguous())
plt.show()

# sphinx_gallery_start_ignore
assert not right.is_contiguous()
assert right.flatten().tolist() == sorted(right.flatten().tolist())
assert torch.empty(2, 2).stride() == (2, 1)
# sphinx_gallery_end_ignore

# %%
# ``view``: a new shape over the same storage
# -------------------------------------------
# :meth:`~torch.Tensor.view` gives a tensor a new shape without copying: it
# only computes new strides. Read as 3 rows of 2, the same six elements have
# strides ``(2, 1)``; ``-1`` stands for the size that makes the rest fit, as
# with ``reshape``.
pairs = matrix.view(3, 2)
print(pairs)
print("stride:", pairs.stride())
print(
    "same storage:", pairs.untyped_storage().data_ptr() == storage.data_ptr()
)
print(matrix.view(-1))

# sphinx_gallery_start_ignore
assert pairs.tolist() == [[10, 11], [12, 13], [14, 15]]
assert pairs.stride() == (2, 1)
assert pairs._base is matrix
assert matrix.view(-1).tolist() == list(range(10, 16))
# sphinx_gallery_end_ignore

# %%
# Transposing swaps strides, not numbers
# --------------------------------------
# :meth:`~torch.Tensor.transpose` (``matrix.T`` for a matrix) swaps two
# dimensions by swapping their sizes *and their strides*. No number moves: the
# transpose reads the same storage with strides ``(1, 3)``, so moving along a
# row of ``matrix.T`` jumps 3 elements. Row by row, it visits the storage out
# of order: it is not contiguous.
transposed = matrix.T
print(transposed)
print(
    "stride:", transposed.stride(), " contiguous:", transposed.is_contiguous()
)
print(
    "same storage:",
    transposed.untyped_storage().data_ptr() == storage.data_ptr(),
)

# sphinx_gallery_start_ignore
assert torch.equal(transposed, matrix.transpose(0, 1))
assert transposed.stride() == (1, 3)
assert not transposed.is_contiguous()
assert transposed._base is matrix
# sphinx_gallery_end_ignore

# %%
fig = draw_strided_view(transposed, name="matrix.T")
plt.show()

# sphinx_gallery_start_ignore
assert "0, 3, 1, 4, 2, 5" in fig.axes[1].texts[-1].get_text()
# sphinx_gallery_end_ignore

# %%
# :meth:`~torch.Tensor.permute` does the same for any number of dimensions: it
# puts them in a new order, strides included. A batch of images is usually
# stored as (images, channels, height, width); matplotlib wants the channels
# last. ``permute(0, 2, 3, 1)`` gives that shape at once, for free, and the
# result is not contiguous either.
images = torch.zeros(2, 3, 4, 5)  # 2 RGB images of 4 by 5 pixels
channels_last = images.permute(0, 2, 3, 1)
print(tuple(images.shape), images.stride())
print(
    tuple(channels_last.shape),
    channels_last.stride(),
    channels_last.is_contiguous(),
)

# sphinx_gallery_start_ignore
assert images.stride() == (60, 20, 5, 1)
assert tuple(channels_last.shape) == (2, 4, 5, 3)
assert channels_last.stride() == (60, 5, 1, 20)
assert not channels_last.is_contiguous()
assert channels_last._base is images
# sphinx_gallery_end_ignore

# %%
# When ``view`` fails, and what ``reshape`` does
# ----------------------------------------------
# Flattening ``matrix.T`` means reading 10, 13, 11, 14, 12, 15: no single
# stride steps through the storage in that order, so no view can do it, and
# ``view`` says so:
try:
    transposed.view(6)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    transposed.view(6)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("a transposed matrix was flattened by view()")
assert (
    "view size is not compatible with input tensor's size and stride"
    in message
)
assert "Use .reshape(...) instead" in message
# sphinx_gallery_end_ignore

# %%
# :meth:`~torch.Tensor.reshape` returns a view when one exists and a copy
# otherwise. On the contiguous matrix it is a view; on the transpose it must
# copy, so writing into its result would not change ``matrix``. Since you
# cannot tell from the call which one you get, never write through the result
# of ``reshape`` to change the original: use ``view`` when you need a view, and
# let it fail loudly when there is none.


def shares_storage(tensor, other):
    return (
        tensor.untyped_storage().data_ptr()
        == other.untyped_storage().data_ptr()
    )


flat_view = matrix.reshape(6)
flat_copy = transposed.reshape(6)
print(flat_copy)
print(
    "reshape of matrix shares its storage:  ",
    shares_storage(flat_view, matrix),
)
print(
    "reshape of matrix.T shares its storage:",
    shares_storage(flat_copy, matrix),
)

# sphinx_gallery_start_ignore
assert flat_copy.tolist() == [10, 13, 11, 14, 12, 15]
assert flat_view._base is matrix
assert flat_copy._base is None
assert flat_copy.untyped_storage().data_ptr() != storage.data_ptr()
flat_copy[0] = -1  # writing into the copy leaves the matrix alone
assert matrix[0, 0].item() == 10
# sphinx_gallery_end_ignore

# %%
# ``contiguous()`` and ``clone()``
# --------------------------------
# :meth:`~torch.Tensor.contiguous` returns a tensor whose storage holds the
# elements in row-major order: for ``matrix.T``, a copy with the numbers
# rearranged. On a tensor that is already contiguous it copies nothing and
# returns the tensor itself. Arithmetic, reductions and matrix products
# accept any strides. ``view`` is pickier, but it does not need a contiguous
# tensor either, only strides it can split or merge: it failed on the whole
# of ``matrix.T`` above, yet splitting the last dimension of a transposed
# tensor works, since that dimension is still laid out in order (the last
# lines below).
rearranged = transposed.contiguous()
print(
    "stride:", rearranged.stride(), " contiguous:", rearranged.is_contiguous()
)
print("matrix.contiguous() is matrix:", matrix.contiguous() is matrix)
print(rearranged.view(6))
swapped = torch.zeros(2, 3, 4).transpose(0, 1)
print("swapped contiguous:", swapped.is_contiguous())
print("swapped.view(3, 2, 2, 2):", tuple(swapped.view(3, 2, 2, 2).shape))

# sphinx_gallery_start_ignore
assert rearranged.stride() == (2, 1)
assert rearranged.is_contiguous()
assert rearranged.untyped_storage().data_ptr() != storage.data_ptr()
assert torch.equal(rearranged, transposed)
assert matrix.contiguous() is matrix
assert rearranged.view(6).tolist() == [10, 13, 11, 14, 12, 15]
assert torch.equal(transposed + 1, rearranged + 1)
assert torch.equal(transposed.sum(dim=0), rearranged.sum(dim=0))
assert torch.equal(transposed @ matrix, rearranged @ matrix)
assert not swapped.is_contiguous()
assert swapped.view(3, 2, 2, 2)._base is swapped._base  # a view, no copy
# sphinx_gallery_end_ignore

# %%
# Its storage now holds the numbers in the order the transpose reads them:
fig = draw_strided_view(rearranged, name="matrix.T.contiguous()")
plt.show()

# sphinx_gallery_start_ignore
assert [t.get_text() for t in fig.axes[0].texts if t.get_fontsize() == 11] == [
    "10", "13", "11", "14", "12", "15"
]  # fmt: skip
# sphinx_gallery_end_ignore

# %%
# :meth:`~torch.Tensor.clone` always copies, into a storage of its own. By
# default it keeps the *layout* of a tensor without gaps: the clone of a
# transpose has the transpose's strides, and is still not contiguous. A
# tensor with gaps, like the slice ``matrix[:, 1:]``, gets a contiguous
# clone: copying the gaps would be pointless. Ask for row-major order in
# every case with ``memory_format=torch.contiguous_format``.
copied = transposed.clone()
print("matrix.T.clone():", copied.stride(), copied.is_contiguous())
print("matrix[:, 1:].clone():", right.clone().stride())
copied_in_order = transposed.clone(memory_format=torch.contiguous_format)
print(
    "clone(memory_format=torch.contiguous_format):", copied_in_order.stride()
)

# sphinx_gallery_start_ignore
assert copied.stride() == (1, 3)
assert not copied.is_contiguous()
assert copied._base is None
assert copied.untyped_storage().data_ptr() != storage.data_ptr()
assert copied_in_order.stride() == (2, 1)
assert right.clone().stride() == (2, 1)
assert right.clone().is_contiguous()
# sphinx_gallery_end_ignore

# %%
# ``expand`` and ``repeat``
# -------------------------
# Broadcasting stretches size-1 dimensions without copying (see
# :ref:`sphx_glr_tutorials_01_tensors_plot_02_arithmetic_and_broadcasting.py`).
# :meth:`~torch.Tensor.expand` does it explicitly, with a stride of **0**:
# every step along the new dimension stays on the same storage element. The
# 3-by-4 result reads a storage of only 3 numbers.
column = torch.tensor([[1], [2], [3]])
expanded = column.expand(3, 4)
print(expanded)
print(
    "stride:",
    expanded.stride(),
    " storage bytes:",
    expanded.untyped_storage().nbytes(),
)

# sphinx_gallery_start_ignore
assert expanded.stride() == (1, 0)
assert expanded.untyped_storage().nbytes() == 3 * 8
assert expanded._base is column
assert torch.equal(column.expand(-1, 4), expanded)
# sphinx_gallery_end_ignore

# %%
# Each storage element is read four times:
fig = draw_strided_view(expanded, name="column.expand(3, 4)")
plt.show()

# %%
# :meth:`~torch.Tensor.repeat` gives the same values, but copies them: 12
# numbers in a storage of its own, four times the memory.
repeated = column.repeat(1, 4)
print("equal values:", torch.equal(repeated, expanded))
print(
    "stride:",
    repeated.stride(),
    " storage bytes:",
    repeated.untyped_storage().nbytes(),
)

# sphinx_gallery_start_ignore
assert torch.equal(repeated, expanded)
assert repeated.stride() == (4, 1)
assert repeated.untyped_storage().nbytes() == 12 * 8
assert repeated._base is None
# sphinx_gallery_end_ignore

# %%
# The memory ``expand`` saves has a price: many elements of the expanded tensor
# *are* one storage element. Writing one of them writes the whole row, and the
# column it came from:
expanded[0, 0] = 100
print(expanded)
print(column)

# sphinx_gallery_start_ignore
assert expanded.tolist() == [[100] * 4, [2] * 4, [3] * 4]
assert column.tolist() == [[100], [2], [3]]
# sphinx_gallery_end_ignore

# %%
# An in-place operation on the whole expanded tensor would write each storage
# element four times, so PyTorch refuses it. Clone first (or use ``repeat``)
# when you need a tensor you can write to element by element:
try:
    expanded.add_(1)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
writable = expanded.clone()
writable.add_(1)
writable[0, 0] = 0
print(writable)

# sphinx_gallery_start_ignore
try:
    expanded.add_(1)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("an expanded tensor was changed in place")
assert (
    "more than one element of the written-to tensor refers to a single memory"
    in message
)
assert "Please clone() the tensor" in message
assert writable.tolist() == [[0, 101, 101, 101], [3] * 4, [4] * 4]
assert column.tolist() == [[100], [2], [3]]
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * A tensor is a storage (a flat block of memory) read through a shape,
#   strides and an offset: ``t[i, j]`` is storage element
#   ``offset + i * stride[0] + j * stride[1]``.
# * Slicing, ``view``, ``transpose``/``.T``, ``permute`` and ``expand`` make
#   views: new shape and strides, same storage (``_base`` names the owner;
#   compare ``untyped_storage().data_ptr()``).
# * A tensor is contiguous when its strides are row-major for its shape:
#   read row by row, it walks its storage in order with no gaps.
#   ``transpose``, ``permute`` and most slices make non-contiguous views.
# * ``view`` never copies and fails when no strides fit; ``reshape`` returns a
#   view when it can and a copy when it must.
# * ``contiguous()`` copies only when needed; ``clone()`` always copies, and
#   keeps the layout of a tensor without gaps; ``expand`` (stride 0) shares,
#   ``repeat`` copies.
#
# Next: :ref:`sphx_glr_tutorials_01_tensors_plot_07_creating_and_reducing.py`.
