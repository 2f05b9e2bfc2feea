"""
Making tensors, random numbers and reductions
=============================================

Models need tensors you do not type in: zeros to start a sum, a matrix of
random weights, a tensor shaped like the batch you already have. And they
boil tensors down: a loss is the mean of many numbers, a prediction is the
position of the largest score. In this tutorial you will learn:

* the factory functions (``zeros``, ``ones``, ``full``, ``eye``, ``arange``,
  ``linspace``) and their ``*_like`` twins;
* random tensors (``rand``, ``randn``, ``randint``), seeds, and
  :class:`torch.Generator`, a random stream of your own;
* reductions along a dimension, with ``dim`` and ``keepdim``, and
  ``max``, ``argmax`` and ``topk``;
* what dtype a result gets when two dtypes meet, as a table computed by
  :func:`torch.result_type`.
"""

# %%
# Tensors from a shape
# --------------------
# :func:`torch.zeros`, :func:`torch.ones` and :func:`torch.full` take a shape
# and fill it. :func:`torch.eye` makes an identity matrix. They give the
# default float type, ``float32``, except ``full``, which takes its dtype from
# the fill value, like :func:`torch.tensor` does; ``dtype=`` overrides both.

# sphinx_gallery_card = "Factory functions, random numbers, reductions."
# sphinx_gallery_assumes = "plot_03_indexing_and_reshaping"
import torch

print(torch.zeros(2, 3))
print(torch.ones(2, 3, dtype=torch.int64))
print(torch.full((2, 3), 7.5))
print(torch.full((2, 3), 7).dtype)
print(torch.eye(3))

# sphinx_gallery_start_ignore
assert torch.zeros(2, 3).dtype == torch.float32
assert torch.zeros(2, 3).shape == (2, 3)
assert torch.ones(2, 3, dtype=torch.int64).dtype == torch.int64
assert torch.full((2, 3), 7.5).dtype == torch.float32
assert torch.full((2, 3), 7).dtype == torch.int64
assert torch.eye(3).dtype == torch.float32
assert torch.equal(torch.eye(3), torch.diag(torch.ones(3)))
# sphinx_gallery_end_ignore

# %%
# Two functions make evenly spaced values. :func:`torch.arange` takes a step
# and stops *before* its end, like Python's ``range``; :func:`torch.linspace`
# takes the number of points and includes both ends. ``arange`` of integers
# gives integers.
print(torch.arange(0, 10, 2))
print(torch.arange(0.0, 1.0, 0.25))
print(torch.linspace(0, 1, 5))

# sphinx_gallery_start_ignore
assert torch.arange(0, 10, 2).tolist() == [0, 2, 4, 6, 8]
assert torch.arange(0, 10, 2).dtype == torch.int64
assert torch.arange(0.0, 1.0, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75]
assert torch.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
# sphinx_gallery_end_ignore

# %%
# Every factory takes ``device=``, so the tensor is made where it will be used
# rather than made on the CPU and copied over. (:func:`torch.empty` allocates
# memory and does not fill it, so its values are whatever the memory held.
# Only use it for a tensor you overwrite completely.)
from tutorial_helpers import choose_device

device = choose_device()
total = torch.zeros(3, device=device)
buffer = torch.empty(2, 3, device=device)
print(total.device.type == device.type, tuple(buffer.shape))

# sphinx_gallery_start_ignore
assert total.device.type == device.type
assert buffer.shape == (2, 3)
# sphinx_gallery_end_ignore

# %%
# Shaped like another tensor: ``*_like``
# --------------------------------------
# :func:`torch.zeros_like`, :func:`torch.ones_like`, :func:`torch.full_like`
# and :func:`torch.rand_like` copy the shape, the dtype *and* the device of a
# tensor you already have, so code written for one batch works for any batch
# on any device. Pass ``dtype=`` to change just that.
batch = torch.tensor([[1, 2, 3], [4, 5, 6]], device=device)
counts = torch.zeros_like(batch)
print(counts, counts.dtype, counts.device.type == batch.device.type)
print(torch.full_like(batch, 9))
print(torch.ones_like(batch, dtype=torch.float32))

# sphinx_gallery_start_ignore
assert counts.shape == batch.shape
assert counts.dtype == torch.int64
assert counts.device == batch.device
assert torch.full_like(batch, 9).tolist() == [[9] * 3] * 2
assert torch.ones_like(batch, dtype=torch.float32).dtype == torch.float32
# sphinx_gallery_end_ignore

# %%
# The fill value is converted to the template's dtype: a fraction put into an
# integer tensor is cut off.
print(torch.full_like(batch, 2.7))

# sphinx_gallery_start_ignore
assert torch.full_like(batch, 2.7).tolist() == [[2] * 3] * 2
# sphinx_gallery_end_ignore

# %%
# Random tensors and seeds
# ------------------------
# :func:`torch.rand` draws uniformly from :math:`[0, 1)`, :func:`torch.randn`
# from the standard normal distribution (mean 0, standard deviation 1), and
# :func:`torch.randint` integers from ``low`` up to, but not including,
# ``high``. The numbers come from a generator that starts from a **seed**:
# :func:`torch.manual_seed` sets it, and the same seed gives the same numbers
# again, which makes a run repeatable.
torch.manual_seed(0)
first = torch.rand(3)
torch.manual_seed(0)
again = torch.rand(3)
print(first, again, torch.equal(first, again))
print(torch.randint(0, 10, (8,)))

# sphinx_gallery_start_ignore
assert torch.equal(first, again)
torch.manual_seed(0)
torch.rand(3)
dice = torch.randint(0, 10, (8,))
assert dice.dtype == torch.int64
assert ((dice >= 0) & (dice < 10)).all()
# sphinx_gallery_end_ignore

# %%
# ``manual_seed`` seeds the one global generator that every function shares,
# so any other code that draws numbers changes what yours get next. A
# :class:`torch.Generator` is a random stream of your own: seed it, pass it
# with ``generator=``, and nothing else can disturb it, nor can it disturb the
# global stream. Two generators with the same seed give the same numbers.
stream = torch.Generator().manual_seed(42)
twin = torch.Generator().manual_seed(42)
print(torch.rand(3, generator=stream))
print(torch.rand(3, generator=twin))
print(torch.randperm(6, generator=stream))

# sphinx_gallery_start_ignore
assert torch.equal(
    torch.rand(3, generator=torch.Generator().manual_seed(42)),
    torch.rand(3, generator=torch.Generator().manual_seed(42)),
)
# Drawing from a generator of your own leaves the global stream alone.
torch.manual_seed(0)
undisturbed = torch.rand(2)
torch.manual_seed(0)
torch.rand(100, generator=torch.Generator().manual_seed(1))
assert torch.equal(torch.rand(2), undisturbed)
assert sorted(torch.randperm(6, generator=stream).tolist()) == list(range(6))
# sphinx_gallery_end_ignore

# %%
# Ten thousand draws of each, drawn as histograms: ``rand`` fills its
# interval evenly; ``randn`` piles up around 0, and about two thirds of its
# values fall between -1 and 1.
import matplotlib.pyplot as plt

stream = torch.Generator().manual_seed(0)
uniform = torch.rand(10_000, generator=stream)
normal = torch.randn(10_000, generator=stream)
print(
    f"rand:  min {uniform.min():.4f}, max {uniform.max():.4f},",
    f"mean {uniform.mean():.3f}",
)
print(f"randn: mean {normal.mean():.3f}, std {normal.std():.3f}")
print(f"randn between -1 and 1: {(normal.abs() < 1).float().mean():.1%}")

fig, axes = plt.subplots(2, 1, figsize=(6, 5.5), layout="constrained")
axes[0].hist(uniform, bins=40, range=(-4, 4), color="tab:blue")
axes[0].set_title("torch.rand: uniform on [0, 1)")
axes[1].hist(normal, bins=40, range=(-4, 4), color="tab:orange")
axes[1].set_title("torch.randn: standard normal")
for ax in axes:
    ax.set_xlabel("value")
    ax.set_ylabel("count of 10,000 draws")
    ax.grid(True, alpha=0.3)
fig.suptitle("Histograms of 10,000 draws from rand and randn")
plt.show()

# sphinx_gallery_start_ignore
assert uniform.min() >= 0
assert uniform.max() < 1
assert abs(uniform.mean() - 0.5) < 0.01
assert abs(normal.mean()) < 0.05
assert abs(normal.std() - 1) < 0.05
assert 0.66 < (normal.abs() < 1).float().mean() < 0.70
# sphinx_gallery_end_ignore

# %%
# Reductions: ``dim`` names the dimension that disappears
# -------------------------------------------------------
# :meth:`~torch.Tensor.sum`, :meth:`~torch.Tensor.mean`,
# :meth:`~torch.Tensor.max` and their kind *reduce* many numbers to fewer.
# Without arguments they reduce everything to one number. With ``dim=d`` they
# reduce along dimension ``d`` only, and that dimension disappears from the
# shape: for a 2-by-3 matrix, ``sum(dim=0)`` adds the rows together (one sum
# per column, shape ``(3,)``), ``sum(dim=1)`` adds along each row (one sum per
# row, shape ``(2,)``).
scores = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
print(scores.sum())
print(scores.sum(dim=0))
print(scores.sum(dim=1))

# sphinx_gallery_start_ignore
assert scores.sum().item() == 21.0
assert scores.sum(dim=0).tolist() == [5.0, 7.0, 9.0]
assert scores.sum(dim=1).tolist() == [9.0, 12.0]
assert scores.sum(dim=0).shape == (3,)
assert scores.sum(dim=1).shape == (2,)
# sphinx_gallery_end_ignore

# %%
# Drawn from the tensors: the column sums line up under the columns, the row
# sums have lost their dimension and lie flat.
from tutorial_helpers.plotting import draw_tensors

fig = draw_tensors(
    {
        "scores": scores,
        "sum(dim=0)": scores.sum(dim=0),
        "sum(dim=1)": scores.sum(dim=1),
    },
    suptitle="scores summed along dim 0 and along dim 1",
)
plt.show()

# %%
# ``keepdim=True`` keeps the reduced dimension with size 1: the row sums
# become a column of shape ``(2, 1)``, lined up with the rows they came from.
row_sums = scores.sum(dim=1, keepdim=True)
print(row_sums, row_sums.shape)
fig = draw_tensors(
    {"scores": scores, "sum(dim=1, keepdim=True)": row_sums},
    suptitle="keepdim=True keeps one sum per row, as a column",
)
plt.show()

# sphinx_gallery_start_ignore
assert row_sums.shape == (2, 1)
assert row_sums.flatten().tolist() == [9.0, 12.0]
# sphinx_gallery_end_ignore

# %%
# That size-1 dimension is what broadcasting needs to divide each row by its
# own sum. Without ``keepdim``, the sums of shape ``(2,)`` line up with the
# *columns* (broadcasting aligns shapes from the right), and here the sizes
# clash:
print(scores / scores.sum(dim=1, keepdim=True))
try:
    scores / scores.sum(dim=1)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
normalized = scores / scores.sum(dim=1, keepdim=True)
assert torch.allclose(normalized.sum(dim=1), torch.ones(2))
try:
    scores / scores.sum(dim=1)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("(2, 3) / (2,) broadcast")
assert (
    "must match the size of tensor b (2) at non-singleton dimension 1"
    in message
)
# sphinx_gallery_end_ignore

# %%
# With a square matrix the sizes do not clash, and the mistake is silent:
# each *column* is divided by the sum of a row. Only ``keepdim=True`` gives
# rows that add up to 1.
square = torch.tensor([[1.0, 3.0, 0.0], [2.0, 2.0, 4.0], [5.0, 0.0, 5.0]])
wrong = square / square.sum(dim=1)
right = square / square.sum(dim=1, keepdim=True)
print("row sums without keepdim:", wrong.sum(dim=1))
print("row sums with keepdim:   ", right.sum(dim=1))

# sphinx_gallery_start_ignore
assert not torch.allclose(wrong.sum(dim=1), torch.ones(3))
assert torch.allclose(right.sum(dim=1), torch.ones(3))
assert torch.allclose(
    wrong, square / square.sum(dim=1)[None, :]
)  # divided column by column
# sphinx_gallery_end_ignore

# %%
# Reductions keep the dtype's rules: ``mean`` of integers is refused, because
# the mean of integers is rarely an integer. Convert first, or pass ``dtype=``.
# ``sum`` of integers or booleans gives ``int64``, so the sum of a mask such as
# ``votes == 2`` counts its ``True`` values.
votes = torch.tensor([1, 2, 2])
try:
    votes.mean()
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")
print(votes.mean(dtype=torch.float32), votes.float().mean())
print((votes == 2).sum())

# sphinx_gallery_start_ignore
try:
    votes.mean()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("mean() of int64 worked")
assert (
    "Input dtype must be either a floating point or complex dtype. Got: Long"
    in message
)
assert abs(votes.mean(dtype=torch.float32).item() - 5 / 3) < 1e-6
assert (votes == 2).sum().item() == 2
assert (votes == 2).sum().dtype == torch.int64
assert torch.tensor([1, 2], dtype=torch.int8).sum().dtype == torch.int64
# sphinx_gallery_end_ignore

# %%
# Where is the largest? ``max``, ``argmax`` and ``topk``
# -------------------------------------------------------
# With ``dim``, :meth:`~torch.Tensor.max` returns two tensors: the largest
# values and their positions along that dimension. :meth:`~torch.Tensor.argmax`
# returns only the positions: for a batch of class scores (one row per
# example), that is the predicted class of each example. On a tie, the first
# position wins.
values, positions = scores.max(dim=1)
print("max of each row:", values, " at", positions)
print("argmax(dim=1):  ", scores.argmax(dim=1))
print("a tie:", torch.tensor([3.0, 7.0, 7.0, 1.0]).argmax())

# sphinx_gallery_start_ignore
assert values.tolist() == [5.0, 6.0]
assert positions.tolist() == [1, 2]
assert torch.equal(scores.argmax(dim=1), positions)
assert torch.tensor([3.0, 7.0, 7.0, 1.0]).argmax().item() == 1
# sphinx_gallery_end_ignore

# %%
# Without ``dim``, ``argmax`` looks at the tensor as if flattened: position 5
# of 6. :func:`torch.unravel_index` turns it back into a row and a column.
flat_position = scores.argmax()
print(flat_position, torch.unravel_index(flat_position, scores.shape))

# sphinx_gallery_start_ignore
assert flat_position.item() == 5
assert [
    t.item() for t in torch.unravel_index(flat_position, scores.shape)
] == [1, 2]
# sphinx_gallery_end_ignore

# %%
# :meth:`~torch.Tensor.topk` gives the ``k`` largest along a dimension, largest
# first, with their positions: the two best classes of each example.
best_two = scores.topk(2, dim=1)
print(best_two.values)
print(best_two.indices)

# sphinx_gallery_start_ignore
assert best_two.values.tolist() == [[5.0, 3.0], [6.0, 4.0]]
assert best_two.indices.tolist() == [[1, 2], [2, 0]]
# sphinx_gallery_end_ignore

# %%
# When two dtypes meet
# --------------------
# An operation on two tensors of different dtypes computes in a dtype that can
# hold both: this is **type promotion**. :func:`torch.result_type` says which,
# without computing anything. This table is computed by it, one row and one
# column per dtype, in short names: ``u8`` is ``uint8``, ``i16`` is ``int16``,
# ``f32`` is ``float32``, ``bf16`` is ``bfloat16``.
dtypes = [torch.bool, torch.uint8, torch.int8, torch.int64,
          torch.float16, torch.bfloat16, torch.float32,
          torch.float64]  # fmt: skip


def short(dtype):
    name = str(dtype).removeprefix("torch.")
    return name.replace("float", "f").replace("uint", "u").replace("int", "i")


print(" " * 5 + "".join(f"{short(dtype):>6}" for dtype in dtypes))
for row in dtypes:
    a = torch.zeros(1, dtype=row)
    cells = [
        short(torch.result_type(a, torch.zeros(1, dtype=column)))
        for column in dtypes
    ]
    print(f"{short(row):>5}" + "".join(f"{cell:>6}" for cell in cells))

# sphinx_gallery_start_ignore
samples = {
    str(dtype).removeprefix("torch."): torch.zeros(1, dtype=dtype)
    for dtype in dtypes
}
assert torch.result_type(samples["uint8"], samples["int8"]) == torch.int16
assert (
    torch.result_type(samples["float16"], samples["bfloat16"]) == torch.float32
)
assert torch.result_type(samples["bool"], samples["int8"]) == torch.int8
assert torch.result_type(samples["int64"], samples["float16"]) == torch.float16
assert (
    torch.result_type(samples["float32"], samples["float64"]) == torch.float64
)
assert (
    torch.result_type(samples["float16"], samples["float64"]) == torch.float64
)
assert (
    samples["int8"] + samples["uint8"]
).dtype == torch.int16  # operations agree
assert short(torch.bfloat16) == "bf16"
assert short(torch.uint8) == "u8"
assert short(torch.int16) == "i16"
# sphinx_gallery_end_ignore

# %%
# Read it as: a float type wins over any integer type (even ``int64`` with
# ``float16``), the wider of two floats wins, ``float16`` with ``bfloat16``
# needs ``float32``, and ``uint8`` with ``int8`` needs ``int16``: in those two
# pairs neither type holds all the values of the other.
#
# A Python number, or a tensor with zero dimensions, counts for less: it only
# changes the dtype when it is of a higher *kind* (bool, integer, float). A
# float turns an integer tensor into the default float type; an integer leaves
# an ``int8`` tensor ``int8``, even when the number does not fit, and the
# result wraps around silently:
small = torch.tensor([100], dtype=torch.int8)
print(torch.result_type(small, 2.5), torch.result_type(small, 1000))
print(small + 1000)
print(
    torch.result_type(torch.zeros(2), torch.tensor(1.0, dtype=torch.float64))
)

# sphinx_gallery_start_ignore
assert torch.result_type(small, 2.5) == torch.float32
assert torch.result_type(small, 1000) == torch.int8
assert (small + 1000).dtype == torch.int8
assert (small + 1000).item() == (
    100 + 1000 + 128
) % 256 - 128  # wrapped around
assert (
    torch.result_type(torch.zeros(2), torch.tensor(1.0, dtype=torch.float64))
    == torch.float32
)
assert (
    torch.result_type(torch.zeros(2), torch.zeros(1, dtype=torch.float64))
    == torch.float64
)
assert (
    torch.result_type(torch.zeros(1, dtype=torch.float16), 2.5)
    == torch.float16
)  # same kind
assert (
    torch.result_type(torch.tensor([True]), 1) == torch.int64
)  # a higher kind
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * ``zeros``, ``ones``, ``full``, ``eye``, ``arange`` (end excluded) and
#   ``linspace`` (end included) make tensors from a shape or a range; pass
#   ``dtype=`` and ``device=`` at creation.
# * ``zeros_like`` and friends copy shape, dtype and device from a tensor.
# * ``rand``, ``randn`` and ``randint`` draw random numbers; ``manual_seed``
#   repeats them; a ``torch.Generator`` is a stream no other code disturbs.
# * ``dim=d`` reduces along ``d`` and removes it; ``keepdim=True`` keeps it as
#   size 1 so the result broadcasts back against the input.
# * ``max(dim)`` gives values and positions, ``argmax`` positions only (the
#   first on a tie), ``topk`` the ``k`` largest.
# * :func:`torch.result_type` says the dtype two operands promote to.
#
# Next: :ref:`sphx_glr_tutorials_01_tensors_plot_08_indexing_beyond_slices.py`.
