"""
Creating tensors
================

A **tensor** is a regular grid of numbers with any number of dimensions. It
is the one data structure of PyTorch: a model's inputs, its parameters, its
outputs and their gradients are all tensors.

In this tutorial you will create tensors of zero to three dimensions with
:func:`torch.tensor`, and read the three attributes that describe every tensor:

* ``ndim``, the number of dimensions;
* ``shape``, the length of each dimension;
* ``dtype``, the type of the numbers it holds.
"""

# %%
# A scalar: zero dimensions
# -------------------------
# The simplest tensor holds a single number. It has no dimensions, so its shape
# is empty.

# sphinx_gallery_card = "Make tensors; read their ndim, shape and dtype."
# sphinx_gallery_assumes = None
# sphinx_gallery_thumbnail_number = 2
import torch

scalar = torch.tensor(7)
print(scalar)
print("ndim:", scalar.ndim)
print("shape:", scalar.shape)

# sphinx_gallery_start_ignore
assert scalar.ndim == 0
assert scalar.shape == torch.Size([])
# sphinx_gallery_end_ignore

# %%
# A vector: one dimension
# -----------------------
# A list of numbers makes a vector. Its shape has one entry, the number of
# elements.
vector = torch.tensor([1, 2, 3, 4])
print(vector)
print("ndim:", vector.ndim)
print("shape:", vector.shape)

# sphinx_gallery_start_ignore
assert (vector.ndim, tuple(vector.shape)) == (1, (4,))
# sphinx_gallery_end_ignore

# %%
# A matrix: two dimensions
# ------------------------
# A list of equally long lists makes a matrix. The shape lists the number of
# rows, then the number of columns: 3 rows of 4 give ``torch.Size([3, 4])``.
matrix = torch.tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
print(matrix)
print("ndim:", matrix.ndim)
print("shape:", matrix.shape)

# sphinx_gallery_start_ignore
assert (matrix.ndim, tuple(matrix.shape)) == (2, (3, 4))
# sphinx_gallery_end_ignore

# %%
# Three dimensions and beyond
# ---------------------------
# Nesting once more stacks matrices: this tensor holds two 3-by-4 matrices. The
# first entry of the shape counts the outermost lists. A batch of colour images
# is a 4-D tensor in the same way (images, channels, rows, columns).
tensor3d = torch.tensor(
    [
        [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]],
        [[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]],
    ]
)
print(tensor3d)
print("ndim:", tensor3d.ndim)
print("shape:", tensor3d.shape)

# sphinx_gallery_start_ignore
assert (tensor3d.ndim, tuple(tensor3d.shape)) == (3, (2, 3, 4))
assert torch.equal(tensor3d[1], matrix + 12)
# sphinx_gallery_end_ignore

# %%
# Every tensor above, drawn from its values: one cell per element, all on one
# colour scale.
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_tensors

fig = draw_tensors(
    {"scalar": scalar, "vector": vector, "matrix": matrix},
    suptitle="Tensors of 0, 1 and 2 dimensions",
)
plt.show()

# %%
# A 3-D tensor is drawn as its slices ``tensor3d[0]`` and ``tensor3d[1]``, side
# by side: the first index picks the slice, the other two the row and column
# within it.
fig = draw_tensors(
    {"3-D tensor": tensor3d},
    suptitle="A tensor of 3 dimensions: two 3-by-4 slices",
)
plt.show()

# %%
# A list of lists that are not all the same length is not a grid, so it is not
# a tensor:
try:
    torch.tensor([[1, 2, 3], [4, 5]])
except ValueError as error:
    print(f"ValueError: {error}")

# sphinx_gallery_start_ignore
try:
    torch.tensor([[1, 2, 3], [4, 5]])
except ValueError:
    pass
else:
    raise AssertionError("a ragged list became a tensor")
# sphinx_gallery_end_ignore

# %%
# The type of the numbers: ``dtype``
# ----------------------------------
# Every element of a tensor has the same type. :func:`torch.tensor` infers it
# from the data: Python integers give ``torch.int64``, Python floats give
# ``torch.float32`` (the *default* floating-point type, not Python's 64-bit
# float), and booleans give ``torch.bool``.
print(torch.tensor([1, 2]).dtype)
print(torch.tensor([1.0, 2.0]).dtype)
print(torch.tensor([True, False]).dtype)

# sphinx_gallery_start_ignore
assert torch.tensor([1, 2]).dtype == torch.int64
assert torch.tensor([1.0, 2.0]).dtype == torch.float32
assert torch.tensor([True, False]).dtype == torch.bool
# sphinx_gallery_end_ignore

# %%
# The same holds for a single number: ``4.`` is Python's shorthand for
# ``4.0``, so ``torch.tensor(4.)`` is a floating-point scalar, while
# ``torch.tensor(4)`` holds an integer. The printout marks floats with a dot.
print(torch.tensor(4.0), torch.tensor(4.0).dtype)
print(torch.tensor(4), torch.tensor(4).dtype)

# sphinx_gallery_start_ignore
assert torch.tensor(4.0).dtype == torch.float32
assert torch.tensor(4).dtype == torch.int64
assert str(torch.tensor(4.0)) == "tensor(4.)"
# sphinx_gallery_end_ignore

# %%
# One float among integers makes the whole tensor floating point:
print(torch.tensor([1, 2, 3.5]))
print(torch.tensor([1.0, 2, 3, 4]))

# sphinx_gallery_start_ignore
assert torch.tensor([1, 2, 3.5]).dtype == torch.float32
assert torch.tensor([1.0, 2, 3, 4]).dtype == torch.float32
# sphinx_gallery_end_ignore

# %%
# The floating-point type that Python floats become is PyTorch's *default
# dtype*, ``float32`` unless a program changes it. Data that already has a type
# keeps it: a NumPy array of Python floats is ``float64``, and so is the tensor
# made from it (the NumPy section shows this and what to do about it).
print(torch.get_default_dtype())

# sphinx_gallery_start_ignore
assert torch.get_default_dtype() == torch.float32
# sphinx_gallery_end_ignore

# %%
# Pass ``dtype=`` to choose the type yourself, and use :meth:`torch.Tensor.to`
# to convert an existing tensor. Converting to an integer type truncates
# toward zero.
weights = torch.tensor([1, 2, 3], dtype=torch.float32)
print(weights)
print(torch.tensor([-1.7, 2.7]).to(torch.int64))

# sphinx_gallery_start_ignore
assert weights.dtype == torch.float32
assert torch.tensor([-1.7, 2.7]).to(torch.int64).tolist() == [-1, 2]
# sphinx_gallery_end_ignore

# %%
# Where a tensor lives: ``device``
# --------------------------------
# A tensor also records the device that holds its memory. ``torch.tensor`` puts
# it on the CPU unless told otherwise. The tutorials choose their device with a
# small helper that reads the ``TUTORIAL_DEVICE`` environment variable and
# otherwise picks the machine's accelerator if it has one (the *Devices*
# section explains the details). The note at the top of this page says which
# device this build used.
from tutorial_helpers import choose_device

device = choose_device()
on_device = torch.tensor([1.0, 2.0, 3.0], device=device)
print(torch.tensor([1.0]).device)
print(on_device.device.type == device.type)

# sphinx_gallery_start_ignore
assert torch.tensor([1.0]).device == torch.device("cpu")
assert on_device.device.type == device.type
# sphinx_gallery_end_ignore

# %%
# ``dtype=`` and ``device=`` go together: this makes a vector of 64-bit
# integers directly on the chosen device, with no copy from the CPU afterwards.
labels = torch.tensor([1, 2, 3, 4], dtype=torch.int64, device=device)
print(labels.dtype, labels.device.type == device.type)

# sphinx_gallery_start_ignore
assert labels.dtype == torch.int64
assert labels.device.type == device.type
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * :func:`torch.tensor` turns (nested) lists of numbers into a tensor.
# * ``ndim`` counts the dimensions and ``shape`` gives their lengths.
# * ``dtype`` is inferred (``int64``, ``float32`` or ``bool``) unless you pass
#   one; ``.to(dtype)`` converts.
# * ``device`` says where the data lives; pass ``device=`` to create it there.
#
# Next:
# :ref:`sphx_glr_tutorials_01_tensors_plot_02_arithmetic_and_broadcasting.py`.
