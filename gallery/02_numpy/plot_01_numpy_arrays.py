"""
NumPy arrays, the model for tensors
===================================

`NumPy <https://numpy.org>`_ is the package almost all numerical Python
builds on for arrays of numbers (a separate install, not part of Python's
standard library), and PyTorch's tensors were designed to feel like NumPy
arrays. If you
know NumPy, most of PyTorch's tensor code will look familiar; if you do not,
the array is the simplest place to meet the ideas. In this tutorial you will
create NumPy arrays with a chosen dtype, read their ``ndim`` and ``shape``,
compute with them element by element and with the matrix product (vectors
included), index, add dimensions, reshape, and join arrays, each time with the
PyTorch spelling next to it and the few places where the two differ.
"""

# %%
# Creating arrays with a dtype
# ----------------------------
# :func:`numpy.array` makes an array from (nested) lists, like
# :func:`torch.tensor`. The ``dtype`` fixes the type of every element, for
# example ``np.int64`` (64-bit integers), ``np.float32`` (32-bit floats) or
# ``np.bool`` (booleans). ``ndim`` and ``shape`` mean what they mean for
# tensors, but a NumPy shape is a plain tuple.

# sphinx_gallery_card = "NumPy arrays, beside their PyTorch spelling."
# sphinx_gallery_assumes = "../01_tensors/plot_02_arithmetic_and_broadcasting"
# sphinx_gallery_assumes = "../01_tensors/plot_03_indexing_and_reshaping"
import numpy as np
import torch

scalar = np.array(1, dtype=np.int64)
vector = np.array([1, 2, 3, 4], dtype=np.int64)
matrix = np.array(
    [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], dtype=np.int64
)
tensor3d = np.arange(1, 25, dtype=np.int64).reshape(2, 3, 4)
for name, array in [
    ("scalar", scalar),
    ("vector", vector),
    ("matrix", matrix),
    ("3-D", tensor3d),
]:
    print(f"{name:7} ndim={array.ndim} shape={array.shape}")

# sphinx_gallery_start_ignore
assert [a.ndim for a in (scalar, vector, matrix, tensor3d)] == [0, 1, 2, 3]
assert matrix.shape == (3, 4)
assert isinstance(matrix.shape, tuple)
assert tensor3d.shape == (2, 3, 4)
assert tensor3d[1, 0, 0] == 13
import sys

assert "numpy" not in sys.stdlib_module_names  # a separate package
assert np.bool is np.bool_  # NumPy 2 spelling of the boolean dtype
# sphinx_gallery_end_ignore

# %%
print(
    np.array([1.5, 2.5], dtype=np.float32),
    np.array([1.5, 2.5], dtype=np.float32).dtype,
)
print(np.array([True, False]), np.array([True, False]).dtype)
print(matrix)

# sphinx_gallery_start_ignore
assert np.array([1.5, 2.5], dtype=np.float32).dtype == np.float32
assert np.array([True, False]).dtype == np.bool
# sphinx_gallery_end_ignore

# %%
# Different default dtypes
# ------------------------
# Without ``dtype=``, NumPy turns Python integers into its default integer
# type (``int64`` in this build) and Python floats into ``float64``. PyTorch
# also uses ``int64`` for integers, but ``float32`` for floats. The float
# default is the one that bites: it follows an array into PyTorch (next
# tutorial).
print(np.array([1, 2]).dtype, torch.tensor([1, 2]).dtype)
print(np.array([1.0, 2.0]).dtype, torch.tensor([1.0, 2.0]).dtype)

# sphinx_gallery_start_ignore
assert np.array([1.0, 2.0]).dtype == np.float64
assert np.array([1, 2]).dtype == np.int64
assert torch.tensor([1.0, 2.0]).dtype == torch.float32
assert torch.tensor([1, 2]).dtype == torch.int64
# sphinx_gallery_end_ignore

# %%
# Element-wise arithmetic
# -----------------------
# As with tensors, arithmetic applies to every element, with no loop.
# Operands of different shapes combine by broadcasting, by the same rule as in
# PyTorch (see
# :ref:`sphx_glr_tutorials_01_tensors_plot_02_arithmetic_and_broadcasting.py`);
# they do not need to have the same shape.
print("vector + 1      ", vector + 1)
print("vector * 2      ", vector * 2)
print("vector + vector ", vector + vector)
print("vector * vector ", vector * vector)
print("matrix + vector (shapes (3, 4) and (4,)):")
print(matrix + vector)

# sphinx_gallery_start_ignore
assert (vector * vector).tolist() == [1, 4, 9, 16]
assert (matrix + vector).tolist() == [
    [2, 4, 6, 8],
    [6, 8, 10, 12],
    [10, 12, 14, 16],
]
assert torch.equal(
    torch.from_numpy(matrix + vector),
    torch.tensor(matrix) + torch.tensor(vector),
)
# sphinx_gallery_end_ignore

# %%
# The matrix product, vectors included
# ------------------------------------
# ``@`` is the matrix product in NumPy too (:func:`numpy.matmul`). It accepts
# vectors directly: you do **not** need to turn a vector into a one-row matrix
# first. A 1-D left operand acts as a row, and the result is 1-D; a one-row
# matrix gives a one-row matrix.
matrix1 = np.array([[1, 2], [3, 4]], dtype=np.float32)
identity = np.array([[1, 0], [0, 1]], dtype=np.float32)
row = np.array([1, 2], dtype=np.float32)
print("matrix1 @ identity:\n", matrix1 @ identity)
print("row @ matrix1:       ", row @ matrix1, (row @ matrix1).shape)
print(
    "row[None] @ matrix1: ", row[None] @ matrix1, (row[None] @ matrix1).shape
)
print("matrix1 @ row:       ", matrix1 @ row)

# sphinx_gallery_start_ignore
assert np.array_equal(matrix1 @ identity, matrix1)
assert (row @ matrix1).tolist() == [7.0, 10.0]
assert (row @ matrix1).shape == (2,)
assert (row[None] @ matrix1).shape == (1, 2)
assert (matrix1 @ row).tolist() == [5.0, 11.0]
assert (torch.from_numpy(row) @ torch.from_numpy(matrix1)).tolist() == [
    7.0,
    10.0,
]
# sphinx_gallery_end_ignore

# %%
# Indexing and adding dimensions
# ------------------------------
# Indexing, slicing and ``None`` work as in PyTorch (see
# :ref:`sphx_glr_tutorials_01_tensors_plot_03_indexing_and_reshaping.py` for
# the full story). One difference: a single element of an array is a NumPy
# scalar such as ``np.int64(2)``, where PyTorch gives a 0-D tensor.
print(repr(matrix[0, 1]), "vs", repr(torch.tensor(matrix)[0, 1]))
print("first row:   ", matrix[0, :], " first column:", matrix[:, 0])
print("matrix[:, :, None].shape", matrix[:, :, None].shape)
print("matrix[None].shape      ", matrix[None].shape)
print(
    "matrix[:, None, :].shape",
    matrix[:, None, :].shape,
    "(every row, each as a 1x4 matrix)",
)
print(
    "matrix[0, None, :]      ",
    matrix[0, None, :],
    "(the first row as a 1x4 matrix)",
)
print("np.expand_dims(matrix, 0).shape", np.expand_dims(matrix, 0).shape)

# sphinx_gallery_start_ignore
assert repr(matrix[0, 1]) == "np.int64(2)"
assert repr(torch.tensor(matrix)[0, 1]) == "tensor(2)"
assert matrix[:, :, None].shape == (3, 4, 1)
assert matrix[None].shape == (1, 3, 4)
assert matrix[:, None, :].shape == (3, 1, 4)
assert matrix[0, None, :].shape == (1, 4)
assert np.array_equal(np.expand_dims(matrix, 0), matrix[None])
assert torch.equal(
    torch.tensor(matrix).unsqueeze(0), torch.from_numpy(matrix[None])
)
# sphinx_gallery_end_ignore

# %%
# Reshaping
# ---------
# :meth:`numpy.ndarray.reshape` keeps the elements in row-major order, like
# PyTorch's. A shape that holds a different number of elements fails; NumPy
# raises a ``ValueError`` where PyTorch raises a ``RuntimeError``, and the
# messages differ:
print(matrix.reshape(4, 3))
print(matrix.reshape(12))
try:
    matrix.reshape(3, 3)
except ValueError as error:
    print(f"{type(error).__name__}: {error}")
try:
    torch.tensor(matrix).reshape(3, 3)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
assert np.array_equal(
    matrix.reshape(4, 3), torch.tensor(matrix).reshape(4, 3).numpy()
)
assert np.array_equal(
    matrix.reshape(3, 2, 2), torch.tensor(matrix).reshape(3, 2, 2).numpy()
)
try:
    matrix.reshape(3, 3)
except ValueError as error:
    message = str(error)
else:
    raise AssertionError("NumPy reshaped 12 elements to (3, 3)")
assert "cannot reshape array of size 12 into shape (3,3)" in message
try:
    torch.tensor(matrix).reshape(3, 3)
except RuntimeError:
    pass
else:
    raise AssertionError("PyTorch reshaped 12 elements to (3, 3)")
# sphinx_gallery_end_ignore

# %%
# Joining: concatenate and stack
# ------------------------------
# :func:`numpy.concatenate` joins along an existing axis (PyTorch:
# :func:`torch.cat`), :func:`numpy.stack` along a new one
# (:func:`torch.stack`). NumPy calls the dimension ``axis=``; PyTorch calls it
# ``dim=`` (and also accepts ``axis=``).
matrix2 = np.array([[5, 6], [7, 8]], dtype=np.float32)
print(np.concatenate([matrix1, matrix2], axis=1))
vector1 = np.array([1, 2], dtype=np.float32)
vector2 = np.array([3, 4], dtype=np.float32)
print(np.stack([vector1, vector2], axis=1))

# sphinx_gallery_start_ignore
assert np.concatenate([matrix1, matrix2], axis=0).shape == (4, 2)
assert np.concatenate([matrix1, matrix2], axis=1).tolist() == [
    [1, 2, 5, 6],
    [3, 4, 7, 8],
]
assert np.stack([vector1, vector2], axis=0).tolist() == [[1, 2], [3, 4]]
assert np.stack([vector1, vector2], axis=1).tolist() == [[1, 3], [2, 4]]
t1, t2 = torch.from_numpy(vector1), torch.from_numpy(vector2)
assert torch.equal(torch.stack([t1, t2], axis=1), torch.stack([t1, t2], dim=1))
assert torch.equal(torch.cat([t1, t2], axis=0), torch.cat([t1, t2], dim=0))
# sphinx_gallery_end_ignore

# %%
# The two joins drawn with the same helper the tensor tutorials use: it draws
# NumPy arrays as well as tensors.
import matplotlib.pyplot as plt

from tutorial_helpers.plotting import draw_tensors

fig = draw_tensors(
    {
        "vector1": vector1,
        "vector2": vector2,
        "concatenate(axis=0)": np.concatenate([vector1, vector2], axis=0),
        "stack(axis=1)": np.stack([vector1, vector2], axis=1),
    },
    suptitle="NumPy: concatenate makes a longer vector, stack a matrix",
)
plt.show()

# %%
# Where the two differ: reversed slices and integer division
# -----------------------------------------------------------
# Slicing with a positive step is the same in both. A **negative** step is
# not: NumPy reverses, PyTorch refuses (its tensors' strides cannot be
# negative) and has :func:`torch.flip` instead, which returns a copy.
numbers = np.arange(5)
print("NumPy   a[::-1]:", numbers[::-1])
try:
    torch.arange(5)[::-1]
except ValueError as error:
    print(f"PyTorch t[::-1]: ValueError: {error}")
print("PyTorch t.flip(0):", torch.arange(5).flip(0))

# sphinx_gallery_start_ignore
assert numbers[::-1].tolist() == [4, 3, 2, 1, 0]
try:
    torch.arange(5)[::-1]
except ValueError as error:
    assert "step must be greater than zero" in str(error), error
else:
    raise AssertionError("PyTorch accepted a negative slice step")
assert torch.arange(5).flip(0).tolist() == [4, 3, 2, 1, 0]
assert np.array_equal(numbers[::2], torch.arange(5)[::2].numpy())
# sphinx_gallery_end_ignore

# %%
# True division ``/`` of integers gives floats in both, but of different
# precision: NumPy's ``float64``, PyTorch's default float dtype, ``float32``.
# Floor division ``//`` keeps integers in both.
print(
    "NumPy  ",
    np.array([3, 4]) / np.array([2, 2]),
    (np.array([3, 4]) / np.array([2, 2])).dtype,
)
print("PyTorch", torch.tensor([3, 4]) / torch.tensor([2, 2]))
print("floor: ", np.array([3, 4]) // 2, torch.tensor([3, 4]) // 2)

# sphinx_gallery_start_ignore
assert (np.array([3, 4]) / np.array([2, 2])).dtype == np.float64
assert (torch.tensor([3, 4]) / torch.tensor([2, 2])).dtype == torch.float32
assert (np.array([3, 4]) // 2).dtype == np.int64
assert (torch.tensor([3, 4]) // 2).dtype == torch.int64
# sphinx_gallery_end_ignore

# %%
# Mixing dtypes
# -------------
# When two operands have different dtypes, the two libraries choose the
# result's dtype by different rules. NumPy picks a dtype that can hold both
# exactly, so an ``int64`` array plus a ``float32`` one is ``float64``.
# PyTorch keeps the floating-point operand's dtype, so the same sum stays
# ``float32`` (and with ``float16``, ``float16``):
integers = np.array([1, 2])
for float_type in (np.float32, np.float16):
    floats = np.array([0.5, 0.5], dtype=float_type)
    as_numpy = (integers + floats).dtype
    as_torch = (torch.from_numpy(integers) + torch.from_numpy(floats)).dtype
    print(f"int64 + {floats.dtype}: NumPy {as_numpy}, PyTorch {as_torch}")

# sphinx_gallery_start_ignore
assert (integers + np.array([0.5], dtype=np.float32)).dtype == np.float64
assert (integers + np.array([0.5], dtype=np.float16)).dtype == np.float64
_ints = torch.tensor([1, 2])
assert (
    _ints + torch.tensor([0.5], dtype=torch.float32)
).dtype == torch.float32
assert (
    _ints + torch.tensor([0.5], dtype=torch.float16)
).dtype == torch.float16
# sphinx_gallery_end_ignore

# %%
# ``@`` goes further apart: NumPy multiplies an integer matrix by a float
# one (promoting first), PyTorch refuses operands of different dtypes, and
# you convert one yourself:
int_matrix, float_matrix = np.array([[1, 2]]), np.array([[0.5], [0.25]])
print("NumPy:  ", int_matrix @ float_matrix)
try:
    torch.from_numpy(int_matrix) @ torch.from_numpy(float_matrix)
except RuntimeError as error:
    print(f"PyTorch: RuntimeError: {error}")
print(
    "PyTorch, converted:",
    torch.from_numpy(int_matrix).double() @ torch.from_numpy(float_matrix),
)

# sphinx_gallery_start_ignore
assert (int_matrix @ float_matrix).tolist() == [[1.0]]
try:
    torch.from_numpy(int_matrix) @ torch.from_numpy(float_matrix)
except RuntimeError as error:
    assert "expected m1 and m2 to have the same dtype" in str(error)
else:
    raise AssertionError("torch multiplied an int64 matrix by a float64 one")
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# =================================== ==================================
# NumPy                               PyTorch
# =================================== ==================================
# ``np.array(data, dtype=...)``       ``torch.tensor(data, dtype=...)``
# floats default to ``float64``       floats default to ``float32``
# ``a[0, 1]`` is a NumPy scalar       ``t[0, 1]`` is a 0-D tensor
# ``a[None]``, ``np.expand_dims``     ``t[None]``, ``t.unsqueeze``
# ``np.concatenate(..., axis=)``      ``torch.cat(..., dim=)``
# ``np.stack(..., axis=)``            ``torch.stack(..., dim=)``
# reshape error: ``ValueError``       reshape error: ``RuntimeError``
# ``a[::-1]`` reverses                ``t[::-1]`` fails; ``t.flip(0)``
# ``int / int`` gives ``float64``     ``int / int`` gives ``float32``
# ``int64 + float32`` is ``float64``  ``int64 + float32`` is ``float32``
# ``int @ float`` promotes            ``int @ float`` is an error
# =================================== ==================================
#
# Apart from these, arithmetic and ``@`` between operands of one dtype,
# broadcasting, slicing with positive steps and ``reshape`` behave the same.
# The guide :doc:`/guides/numpy-to-pytorch` lists more, every row tested.
# Next: :ref:`sphx_glr_tutorials_02_numpy_plot_02_numpy_and_torch.py`, moving
# data between the two.
