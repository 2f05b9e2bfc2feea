"""
Moving data between NumPy and PyTorch
=====================================

Data often arrives as NumPy arrays (from files, pandas, image libraries) and
results often leave as them (for matplotlib or further analysis). In this
tutorial you will learn which conversions **share memory** with their source
and which **copy** it, how dtypes map between the two libraries and why
NumPy's ``float64`` needs attention, how to get plain Python lists back, why a
tensor that requires gradients or lives on a GPU cannot become an array
directly, and which dtype to choose for which kind of data.
"""

# %%
# PyTorch does not need NumPy
# ---------------------------
# Tensors are PyTorch's own data structure, computed by its own kernels; NumPy
# is not among the packages ``torch`` requires. When NumPy is installed,
# PyTorch can exchange data with it, which is what this page is about.

# sphinx_gallery_card = "What from_numpy shares and torch.tensor copies."
# sphinx_gallery_assumes = "plot_01_numpy_arrays"
# sphinx_gallery_assumes = "../01_tensors/plot_05_in_place_operations"
from importlib import metadata

import numpy as np
import torch

required = [
    r.split(";")[0].split(">")[0].split("=")[0].strip()
    for r in metadata.requires("torch")
]
print("torch requires numpy:", "numpy" in required)

# sphinx_gallery_start_ignore
assert "numpy" not in required
# sphinx_gallery_end_ignore

# %%
# ``torch.from_numpy`` shares memory
# ----------------------------------
# :func:`torch.from_numpy` wraps the array's memory in a tensor without
# copying, and keeps its dtype: an array of Python floats is ``float64``, so
# the tensor is too. Because the memory is shared, a change on one side shows
# on the other.
array = np.array([[1.0, 2.0], [3.0, 4.0]])
shared = torch.from_numpy(array)
print(shared)
array[0, 0] = 100.0  # change the array ...
print(shared)  # ... and the tensor sees it
shared[1, 1] = -1.0  # change the tensor ...
print(array)  # ... and the array sees it

# sphinx_gallery_start_ignore
assert shared.dtype == torch.float64
assert shared[0, 0].item() == 100.0
assert array[1, 1] == -1.0
assert shared.data_ptr() == array.ctypes.data
# sphinx_gallery_end_ignore

# %%
# ``.numpy()`` shares memory too
# ------------------------------
# The way back, :meth:`torch.Tensor.numpy`, also returns a view of the same
# memory (for a tensor on the CPU):
tensor = torch.tensor([1, 2, 3])
as_array = tensor.numpy()
tensor.add_(10)
print(as_array, as_array.dtype)

# sphinx_gallery_start_ignore
assert as_array.tolist() == [11, 12, 13]
assert np.shares_memory(as_array, tensor.numpy())
assert as_array.dtype == np.int64
# sphinx_gallery_end_ignore

# %%
# ``torch.tensor`` always copies
# ------------------------------
# :func:`torch.tensor` reads the array's values into new memory. The tensor
# keeps the dtype (here ``float64`` again) but is independent of the array.
# It can also put the copy straight onto a device.
from tutorial_helpers import choose_device

device = choose_device()
array = np.array([1.0, 2.0, 3.0])
copied = torch.tensor(array)
on_device = torch.tensor(array, device=device)
array[0] = 100.0
print(copied, on_device.cpu())

# sphinx_gallery_start_ignore
assert copied.tolist() == [1.0, 2.0, 3.0]
assert on_device.tolist() == [1.0, 2.0, 3.0]
assert copied.dtype == torch.float64
assert on_device.device.type == device.type
# sphinx_gallery_end_ignore

# %%
# ``torch.as_tensor``: share when possible
# ----------------------------------------
# :func:`torch.as_tensor` shares memory when the array can be used as it is,
# and copies only when it must: when you ask for another dtype or a device
# other than the CPU.
array = np.zeros(3, dtype=np.float32)
same_memory = torch.as_tensor(array)
converted = torch.as_tensor(array, dtype=torch.float64)
array[0] = 5.0
print(same_memory, converted)

# sphinx_gallery_start_ignore
assert same_memory.tolist() == [5.0, 0.0, 0.0]
assert converted.tolist() == [0.0, 0.0, 0.0]
# sphinx_gallery_end_ignore

# %%
# The conversions at a glance. Use ``from_numpy`` or ``as_tensor`` to avoid
# copying large arrays, and ``torch.tensor`` when the tensor must not change
# with the array.
#
# =============================== =============================== =============
# conversion                      result                          memory
# =============================== =============================== =============
# ``torch.from_numpy(array)``     same dtype, CPU                 shared
# ``tensor.numpy()``              same dtype (CPU tensor only)    shared
# ``torch.as_tensor(array)``      same dtype, CPU                 shared
# ``torch.as_tensor(array, ...)`` another dtype or device         copied
# ``torch.tensor(array)``         same dtype, any ``device=``     copied
# =============================== =============================== =============

# %%
# How dtypes map
# --------------
# The everyday NumPy number types (floats of 16, 32 and 64 bits, complex
# numbers, signed and unsigned integers, booleans) each have a PyTorch
# counterpart of the same name, and the conversion keeps it. Printed from real
# conversions in both directions:
numpy_dtypes = [
    np.float64, np.float32, np.float16, np.complex64,
    np.int64, np.int32, np.int8, np.uint8, np.bool,
]  # fmt: skip
for numpy_dtype in numpy_dtypes:
    as_torch = torch.from_numpy(np.zeros(1, dtype=numpy_dtype)).dtype
    back = torch.zeros(1, dtype=as_torch).numpy().dtype
    name = np.dtype(numpy_dtype).name
    print(f"numpy {name:9} -> {as_torch!s:15} -> numpy {back}")

# sphinx_gallery_start_ignore
for numpy_dtype in numpy_dtypes:
    as_torch = torch.from_numpy(np.zeros(1, dtype=numpy_dtype)).dtype
    assert str(as_torch) == f"torch.{np.dtype(numpy_dtype).name}"
    assert torch.zeros(1, dtype=as_torch).numpy().dtype == numpy_dtype
# sphinx_gallery_end_ignore

# %%
# Not every type has a counterpart. NumPy has no ``bfloat16`` (a 16-bit float
# common in deep learning). PyTorch has no strings, and none of NumPy's
# extended precision ``longdouble`` and ``clongdouble``, its dates and times
# (``datetime64``, ``timedelta64``) or its arrays of Python objects; the error
# lists the types it does take:
try:
    torch.ones(2, dtype=torch.bfloat16).numpy()
except TypeError as error:
    print(f"{type(error).__name__}: {error}")
try:
    torch.from_numpy(np.array(["cat", "dog"]))
except TypeError as error:
    print(f"{type(error).__name__}: {error}")
try:
    torch.from_numpy(np.zeros(2, dtype=np.longdouble))
except TypeError as error:
    print(f"{type(error).__name__}: {error}")
print(torch.ones(2, dtype=torch.bfloat16).float().numpy())

# sphinx_gallery_start_ignore
try:
    torch.ones(2, dtype=torch.bfloat16).numpy()
except TypeError as error:
    message = str(error)
else:
    raise AssertionError("bfloat16 became a NumPy array")
assert "BFloat16" in message
try:
    torch.from_numpy(np.array(["cat", "dog"]))
except TypeError as error:
    message = str(error)
else:
    raise AssertionError("a string array became a tensor")
assert "The only supported types are" in message
for no_counterpart in (
    np.longdouble,
    np.clongdouble,
    np.datetime64,
    np.timedelta64,
    np.object_,
):
    try:
        torch.from_numpy(np.zeros(2, dtype=no_counterpart))
    except TypeError as error:
        assert "The only supported types are" in str(error), error
    else:
        raise AssertionError(f"{no_counterpart} has a PyTorch counterpart now")
# sphinx_gallery_end_ignore

# %%
# NumPy's ``float64`` meets PyTorch's ``float32``
# -----------------------------------------------
# The defaults differ: Python floats become ``float32`` in
# :func:`torch.tensor`, but an array of Python floats is already ``float64``,
# and the tensor keeps that. Integers are ``int64`` on both sides.
print(torch.tensor(4.0).dtype)
print(torch.tensor([1, 2]).dtype)
print(torch.tensor(np.array([1.0, 2.0])).dtype)

# sphinx_gallery_start_ignore
assert torch.tensor(4.0).dtype == torch.float32
assert torch.tensor([1, 2]).dtype == torch.int64
assert torch.tensor(np.array([1.0, 2.0])).dtype == torch.float64
# sphinx_gallery_end_ignore

# %%
# This matters because layers are created in ``float32``, and a ``float64``
# batch does not mix with them:
torch.manual_seed(0)  # the layer's weights are random
layer = torch.nn.Linear(2, 1)
features = torch.from_numpy(np.array([[1.0, 2.0]]))
try:
    layer(features)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
assert layer.weight.dtype == torch.float32
try:
    layer(features)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("a float64 batch went through a float32 layer")
assert "must have the same dtype, but got Double and Float" in message
# sphinx_gallery_end_ignore

# %%
# Convert when you cross over: ``.float()`` (short for
# ``.to(torch.float32)``) makes a ``float32`` copy, or create the array as
# ``float32`` in NumPy in the first place.
print(layer(features.float()).dtype)
print(layer(torch.from_numpy(np.array([[1.0, 2.0]], dtype=np.float32))).dtype)

# sphinx_gallery_start_ignore
assert features.float().dtype == torch.float32
assert layer(features.float()).shape == (1, 1)
# sphinx_gallery_end_ignore

# %%
# Which dtype to use when
# -----------------------
# PyTorch does not want "``int64`` everywhere". It wants the type that fits
# the role of the data:
#
# * **values that flow into layers** (features, pixels, weights): floating
#   point, normally ``float32``. Integers do not go through a layer:
try:
    layer(torch.tensor([[1, 2]]))
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    layer(torch.tensor([[1, 2]]))
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("an int64 batch went through a float32 layer")
assert "must have the same dtype, but got Long and Float" in message
# sphinx_gallery_end_ignore

# %%
# * **indices and class labels** (positions, token ids, the target class of
#   each example): integers, and ``int64`` is the safe choice. Indexing takes
#   other integer types too, but not floats, and the classification loss
#   :func:`torch.nn.functional.cross_entropy` rejects ``int32`` class labels:
logits = torch.zeros(2, 3)  # scores for 3 classes, for 2 examples
print(torch.nn.functional.cross_entropy(logits, torch.tensor([0, 2])))
try:
    torch.nn.functional.cross_entropy(
        logits, torch.tensor([0, 2], dtype=torch.int32)
    )
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
try:
    torch.arange(5)[torch.tensor([0.0, 2.0])]
except IndexError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
assert torch.nn.functional.cross_entropy(
    logits, torch.tensor([0, 2])
).item() == (torch.log(torch.tensor(3.0)).item())
try:
    torch.nn.functional.cross_entropy(
        logits, torch.tensor([0, 2], dtype=torch.int32)
    )
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("cross_entropy took int32 labels")
assert "expected target dtype to be Long" in message
try:
    torch.arange(5)[torch.tensor([0.0, 2.0])]
except IndexError as error:
    message = str(error)
else:
    raise AssertionError("float indices worked")
assert (
    "tensors used as indices must be long, int, byte or bool tensors"
    in message
)
assert torch.arange(5)[torch.tensor([0, 2], dtype=torch.int32)].tolist() == [
    0,
    2,
]
# sphinx_gallery_end_ignore

# %%
# * **masks** (which elements to keep): ``bool``.
values = torch.tensor([3.0, -1.0, 2.0])
print(values[values > 0], (values > 0).dtype)

# sphinx_gallery_start_ignore
assert (values > 0).dtype == torch.bool
assert values[values > 0].tolist() == [3.0, 2.0]
# sphinx_gallery_end_ignore

# %%
# Back to Python: ``tolist()`` and ``item()``
# -------------------------------------------
# :meth:`torch.Tensor.tolist` returns nested Python lists of Python numbers
# (``int``, ``float``, ``bool``), and ``.item()`` the single number of a
# one-element tensor. Both copy. A ``float32`` value comes back as the Python
# float nearest to it, which shows that 0.1 is not exactly representable in
# 32 bits:
nested = torch.tensor([[1, 2], [3, 4]]).tolist()
print(nested, type(nested[0][0]).__name__)
print(
    torch.tensor([0.1]).tolist(),
    torch.tensor([0.1], dtype=torch.float64).tolist(),
)

# sphinx_gallery_start_ignore
assert nested == [[1, 2], [3, 4]]
assert type(nested[0][0]) is int
assert torch.tensor([0.1]).tolist() == [0.10000000149011612]
assert torch.tensor([0.1], dtype=torch.float64).tolist() == [0.1]
# sphinx_gallery_end_ignore

# %%
# Tensors that require gradients
# ------------------------------
# A tensor with ``requires_grad=True`` (every model parameter, and every result
# computed from one) is part of autograd's record of the computation. An array
# made from it could be changed behind autograd's back, since it would share
# memory, so ``.numpy()`` refuses and says what to do:
weights = torch.tensor([0.5, -1.5], requires_grad=True)
try:
    weights.numpy()
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    weights.numpy()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError(".numpy() worked on a tensor that requires grad")
assert "Can't call numpy() on Tensor that requires grad" in message
assert "Use tensor.detach().numpy() instead" in message
# sphinx_gallery_end_ignore

# %%
# :meth:`~torch.Tensor.detach` returns the same values, still in the same
# memory, but outside autograd's record; that one can become an array.
# ``tolist()`` copies into Python numbers, so it works without ``detach``.
print(weights.detach().numpy())
print(weights.tolist())

# sphinx_gallery_start_ignore
assert weights.detach().numpy().tolist() == [0.5, -1.5]
assert weights.detach().data_ptr() == weights.data_ptr()
assert weights.tolist() == [0.5, -1.5]
# sphinx_gallery_end_ignore

# %%
# Tensors on a GPU
# ----------------
# A NumPy array always lives in the computer's main memory, where the CPU can
# read it. A tensor on a GPU lives in the GPU's own memory, so there is nothing
# an array could share: ``.numpy()`` refuses, and you copy the tensor to the
# CPU first with :meth:`~torch.Tensor.cpu`. :hardware:`gpu` The full, portable
# recipe, for a tensor on any device, is therefore ``.detach().cpu().numpy()``.
#
# This page was built on the device named at the top. On a GPU build, the
# cell below shows the real error; on a CPU-only build there is no GPU tensor
# to try it on, so it says so.
on_device = torch.tensor([1.0, 2.0], device=device)
if on_device.device.type == "cpu":
    print(
        "This build has no GPU: on_device is on the CPU,",
        "and .numpy() works directly.",
    )
else:
    try:
        on_device.numpy()
    except (TypeError, RuntimeError) as error:
        print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
# The refusal is one check for every non-CPU device, so a CPU-only build can
# still verify it on the "meta" device (tensors with a shape but no data).
try:
    torch.empty(2, device="meta").numpy()
except TypeError as error:
    message = str(error)
else:
    raise AssertionError(".numpy() worked on a non-CPU tensor")
assert (
    "can't convert meta device type tensor to numpy. Use Tensor.cpu()"
    in message
)
if on_device.device.type != "cpu":
    try:
        on_device.numpy()
    except (TypeError, RuntimeError):
        pass
    else:
        raise AssertionError(
            f".numpy() worked on a {on_device.device.type} tensor"
        )
# sphinx_gallery_end_ignore

# %%
# The recipe works everywhere. On the CPU, ``.cpu()`` returns the tensor
# itself, so it costs nothing there; on a GPU it makes the copy.
# :hardware:`gpu`
prediction = (weights * 2).to(device)  # requires grad, and may live on a GPU
print(prediction.detach().cpu().numpy())

# sphinx_gallery_start_ignore
assert prediction.requires_grad
assert prediction.detach().cpu().numpy().tolist() == [1.0, -3.0]
cpu_tensor = torch.ones(2)
assert cpu_tensor.cpu() is cpu_tensor
# sphinx_gallery_end_ignore

# %%
# ``.numpy(force=True)`` does the three steps in one call. And ``tolist()``
# and ``item()`` need none of them: they copy the values to the CPU
# themselves, from any device, and ignore autograd, so they are the simple way
# to print or log a result.
print(prediction.numpy(force=True))
print(prediction.tolist(), prediction[1].item())

# sphinx_gallery_start_ignore
assert prediction.numpy(force=True).tolist() == [1.0, -3.0]
assert prediction.tolist() == [1.0, -3.0]  # on the build's device, with grad
assert prediction[1].item() == -3.0
# sphinx_gallery_end_ignore

# %%
# The recipe has two limits. The dtype must be one NumPy has: a ``bfloat16``
# tensor needs ``.float()`` first, as above. And the tensor must be dense:
# a sparse tensor, which stores only its non-zero values, is refused until
# ``.to_dense()`` fills in the zeros.
sparse = torch.tensor([0.0, 2.0, 0.0]).to_sparse()
try:
    sparse.detach().cpu().numpy()
except TypeError as error:
    print(f"TypeError: {error}")
print(sparse.to_dense().numpy())

# sphinx_gallery_start_ignore
for _refused in (sparse, torch.ones(2, dtype=torch.bfloat16)):
    try:
        _refused.detach().cpu().numpy()
    except TypeError:
        pass
    else:
        raise AssertionError(f"{_refused.layout} {_refused.dtype} converted")
    try:
        _refused.numpy(force=True)
    except TypeError:
        pass
    else:
        raise AssertionError("numpy(force=True) converted it")
assert sparse.to_dense().numpy().tolist() == [0.0, 2.0, 0.0]
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``torch.from_numpy(a)`` and ``t.numpy()`` share memory; ``torch.tensor(a)``
#   copies; ``torch.as_tensor(a)`` shares unless a dtype or device change
#   forces a copy.
# * dtypes map by name; NumPy's default ``float64`` survives the conversion, so
#   convert to ``float32`` (``.float()``) before data meets a layer.
# * Use ``float32`` for values, ``int64`` for indices and class labels,
#   ``bool`` for masks.
# * ``tolist()`` and ``item()`` give Python numbers, from any device;
#   ``.detach().cpu().numpy()``, or ``.numpy(force=True)``, turns a dense
#   tensor of a dtype NumPy has into an array (``bfloat16`` needs
#   ``.float()`` first, a sparse tensor ``.to_dense()``).
