"""
In-place operations and shared memory
=====================================

Most tensor operations return a new tensor and leave their inputs alone. Some
change a tensor's values where they are stored instead: these are **in-place**
operations. They save memory and are how optimizers update parameters, but
they also change what every other name for the same memory sees. In this
tutorial you will learn to recognise in-place operations, which operations
return tensors that share memory with their input (views), how to make an
independent copy, and the two errors in-place operations raise most often.
"""

# %%
# The trailing underscore
# -----------------------
# A method whose name ends in ``_`` works in place: ``add_``, ``mul_``,
# ``zero_``, ``fill_`` and many more. ``x.add(1)`` returns a new tensor and
# leaves ``x`` unchanged; ``x.add_(1)`` changes ``x`` itself and returns it.

# sphinx_gallery_card = "Change a tensor where it is stored; views."
# sphinx_gallery_assumes = "plot_03_indexing_and_reshaping"
import torch

x = torch.tensor([1, 2, 3])
y = x.add(1)
print("after x.add(1): ", x, y)
z = x.add_(1)
print("after x.add_(1):", x, "(returned the same tensor:", z is x, ")")
x.zero_()
print("after x.zero_():", x)

# sphinx_gallery_start_ignore
assert y.tolist() == [2, 3, 4]
assert z is x
assert x.tolist() == [0, 0, 0]
# sphinx_gallery_end_ignore

# %%
# ``+=`` is in place, ``x = x + 1`` is not
# ----------------------------------------
# Augmented assignment (``+=``, ``*=``, ...) on a tensor modifies it in place,
# so a second name for the same tensor sees the change. ``x = x + 1`` instead
# computes a new tensor and points ``x`` at it; the other name keeps the old
# values.
x = torch.tensor([1.0, 2.0])
alias = x
x += 1
print("after x += 1:   ", x, alias)
x = x + 1
print("after x = x + 1:", x, alias)

# sphinx_gallery_start_ignore
assert alias.tolist() == [2.0, 3.0]
assert x.tolist() == [3.0, 4.0]
# sphinx_gallery_end_ignore

# %%
# Views share memory with their tensor
# ------------------------------------
# Indexing a row, slicing, :meth:`~torch.Tensor.expand` and (when the layout
# allows) :meth:`~torch.Tensor.reshape` do not copy: they return a **view**, a
# new tensor object that reads the same memory. Writing through the view
# changes the original.
matrix = torch.tensor([[1, 2, 3], [4, 5, 6]])
first_row = matrix[0]
first_row[0] = 100
flat = matrix.reshape(6)
flat[-1] = 600
print(matrix)

# sphinx_gallery_start_ignore
assert matrix.tolist() == [[100, 2, 3], [4, 5, 600]]
assert first_row.data_ptr() == matrix.data_ptr()
assert flat.data_ptr() == matrix.data_ptr()
# sphinx_gallery_end_ignore

# %%
# When you need values that later changes cannot touch, take a copy with
# :meth:`~torch.Tensor.clone`:
snapshot = matrix[0].clone()
matrix[0, 0] = 1
print("matrix row:", matrix[0], " snapshot:", snapshot)

# sphinx_gallery_start_ignore
assert snapshot.tolist() == [100, 2, 3]
assert matrix[0].tolist() == [1, 2, 3]
assert snapshot.data_ptr() != matrix.data_ptr()
# sphinx_gallery_end_ignore

# %%
# An in-place operation cannot change the dtype
# ---------------------------------------------
# The result is written into the existing memory, so it must fit the tensor's
# dtype. Adding ``0.5`` to an integer tensor in place would need floats:
counts = torch.tensor([1, 2, 3])
try:
    counts.add_(0.5)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
print(counts + 0.5)

# sphinx_gallery_start_ignore
try:
    counts.add_(0.5)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("int64 add_(0.5) worked")
assert (
    "result type Float can't be cast to the desired output type Long"
    in message
)
assert (counts + 0.5).dtype == torch.float32
# sphinx_gallery_end_ignore

# %%
# Tensors that require gradients
# ------------------------------
# Autograd (its own section) records how every value was computed. Changing a
# tensor that it tracks from the start, a *leaf* with ``requires_grad=True``
# such as a model's weight, would falsify that record, so PyTorch refuses:
weight = torch.ones(2, requires_grad=True)
try:
    weight.add_(1)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    weight.add_(1)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("in-place on a leaf that requires grad worked")
assert (
    "a leaf Variable that requires grad is being used in an in-place operation"
    in message
)
# sphinx_gallery_end_ignore

# %%
# An optimizer's update step is exactly such a change, and is meant not to be
# recorded: inside :class:`torch.no_grad` the same operation is allowed.
with torch.no_grad():
    weight.add_(1)
print(weight)

# sphinx_gallery_start_ignore
assert weight.tolist() == [2.0, 2.0]
assert weight.requires_grad
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Methods ending in ``_`` and ``+=``-style assignments change a tensor in
#   place; every name for it sees the change.
# * Indexing, slicing, ``expand`` and often ``reshape`` return views of the
#   same memory; ``clone()`` makes an independent copy.
# * In place, the result must fit the tensor's dtype, and a leaf that requires
#   grad may only be changed inside ``torch.no_grad()``.
#
# How a view can read the same memory in another shape or order, and when it
# cannot: :ref:`sphx_glr_tutorials_01_tensors_plot_06_storage_and_strides.py`.
