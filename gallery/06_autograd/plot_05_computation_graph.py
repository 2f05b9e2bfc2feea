"""
The computation graph
=====================

While you compute with tensors that require grad, PyTorch records a graph:
which operation made each result, from which inputs. ``backward()`` walks
that graph from the output back to the inputs.

In this tutorial you will look at the graph (leaves, ``is_leaf``, ``grad_fn``
and its ``next_functions``), see where gradients land in a chain of
operations, keep an intermediate gradient with ``retain_grad()``, and learn
what cuts the graph (``torch.tensor``, :class:`torch.no_grad`,
:meth:`~torch.Tensor.detach`) and what a second ``backward()`` needs.
"""

# %%
# Leaves and results
# ------------------
# A **leaf** is a tensor you created yourself rather than computed from a
# tensor that requires grad. Every tensor that does not require grad counts
# as a leaf too. A computed result is not a leaf: its ``grad_fn`` is the
# backward function of the operation that made it.

# sphinx_gallery_card = "Leaves, grad_fn, and what cuts the graph."
# sphinx_gallery_assumes = "plot_01_slopes_and_tangents"
# sphinx_gallery_assumes = "plot_02_gradient_accumulation"
# sphinx_gallery_calculus = "derivatives of one variable"
import warnings

import torch

from tutorial_helpers import choose_device

device = choose_device()

x = torch.tensor(3.0, device=device)  # data: no grad needed
w = torch.tensor(4.0, device=device, requires_grad=True)
b = torch.tensor(5.0, device=device, requires_grad=True)
y = w * x + b
for name, tensor in [("x", x), ("w", w), ("b", b), ("y", y)]:
    grad_fn = type(tensor.grad_fn).__name__ if tensor.grad_fn else None
    print(
        f"{name}: is_leaf={tensor.is_leaf},",
        f"requires_grad={tensor.requires_grad}, grad_fn={grad_fn}",
    )

# sphinx_gallery_start_ignore
assert x.is_leaf
assert w.is_leaf
assert b.is_leaf
assert not y.is_leaf
assert type(y.grad_fn).__name__ == "AddBackward0"
# sphinx_gallery_end_ignore

# %%
# Any operation makes a result, even one that only converts. A copy of a leaf
# in another dtype, or on another device, is computed from it, so it is not
# a leaf, and after ``backward()`` its ``.grad`` stays empty: the gradient
# goes to the original. A ``.to()`` that changes nothing makes no copy: it
# returns the leaf itself. So ``torch.randn(3, requires_grad=True).to(device)``
# is a leaf you can train when ``device`` is the CPU, and a copy you cannot
# train when it is a GPU. :hardware:`gpu` Create the tensor on its device and
# dtype directly, as above, and it is a leaf everywhere.
p = torch.tensor(1.5, device=device, requires_grad=True)
p64 = p.to(torch.float64)
print("p.is_leaf:", p.is_leaf, " p64.is_leaf:", p64.is_leaf,
      " p64.grad_fn:", type(p64.grad_fn).__name__)  # fmt: skip
print("p.to(p.device) is p:", p.to(p.device) is p)

# sphinx_gallery_start_ignore
assert p.is_leaf
assert not p64.is_leaf
assert type(p64.grad_fn).__name__ == "ToCopyBackward0"
assert p.to(p.device) is p
_on_cpu = torch.randn(3, requires_grad=True)
assert _on_cpu.to("cpu") is _on_cpu
assert _on_cpu.to("cpu").is_leaf
if device.type != "cpu":
    assert not _on_cpu.to(device).is_leaf  # a copy on the accelerator
(p64 * 2).backward()
assert p.grad.item() == 2.0
# sphinx-gallery reads names' attributes after the run; .grad of a non-leaf
# warns
del p64
# sphinx_gallery_end_ignore

# %%
# Only floating-point (and complex) tensors can require grad: an integer
# tensor has no rate of change to hold. And ``requires_grad`` is an
# attribute, a boolean, not a method: calling it fails. The method that
# switches it on in place is ``requires_grad_()``, with the trailing
# underscore of in-place operations.
try:
    torch.tensor([1, 2, 3]).requires_grad_()
except RuntimeError as error:
    print(f"RuntimeError: {error}")
q = torch.tensor([1.0, 2.0, 3.0])
try:
    q.requires_grad()
except TypeError as error:
    print(f"TypeError: {error}")
q.requires_grad_()
print("after q.requires_grad_():", q.requires_grad)

# sphinx_gallery_start_ignore
try:
    torch.tensor([1, 2, 3]).requires_grad_()
except RuntimeError as error:
    assert "floating point" in str(error), error
else:
    raise AssertionError("an integer tensor required grad")
try:
    torch.tensor([1.0]).requires_grad()
except TypeError as error:
    assert "'bool' object is not callable" in str(error), error
else:
    raise AssertionError("requires_grad() was callable")
assert q.requires_grad
# sphinx_gallery_end_ignore

# %%
# Walking the graph
# -----------------
# Each ``grad_fn`` lists, in ``next_functions``, the backward functions of its
# inputs. A leaf that requires grad ends a path with ``AccumulateGrad``, the
# step that adds into its ``.grad``; an input that does not require grad shows
# as ``None``. This little function prints the whole graph of ``y``:


def print_graph(grad_fn, names, depth=0):
    """Print grad_fn and, indented below it, the graph it comes from."""
    if grad_fn is None:
        print("    " * depth + "None (no grad needed)")
        return
    label = type(grad_fn).__name__
    if hasattr(grad_fn, "variable"):  # AccumulateGrad holds its leaf
        label += f" -> {names[id(grad_fn.variable)]}.grad"
    print("    " * depth + label)
    for next_fn, _ in grad_fn.next_functions:
        print_graph(next_fn, names, depth + 1)


print_graph(y.grad_fn, {id(w): "w", id(b): "b"})

# sphinx_gallery_start_ignore
(mul_fn, _), (acc_b, _) = y.grad_fn.next_functions
assert type(mul_fn).__name__ == "MulBackward0"
assert acc_b.variable is b
(acc_w, _), (none_x, _) = mul_fn.next_functions
assert acc_w.variable is w
assert none_x is None
# sphinx_gallery_end_ignore

# %%
# The same graph, drawn from ``next_functions``. Each box is a node that
# ``backward()`` visits; each arrow points the way the values were computed,
# from an input to the result made from it, and its number is the input's
# place in the result's ``next_functions``. ``backward()`` starts at
# ``y.grad_fn`` and walks against the arrows. Every path ends at an
# ``AccumulateGrad`` of a leaf that requires grad (shaded), or at ``None``
# for ``x``, which requires none.
import matplotlib.pyplot as plt

from tutorial_helpers.graphs import draw_graph


def node_name(grad_fn, names):
    """A name for a node of the graph: its class, and the leaf it adds into."""
    if grad_fn is None:
        return "None"
    if hasattr(grad_fn, "variable"):
        return f"AccumulateGrad {names[id(grad_fn.variable)]}"
    return type(grad_fn).__name__


names = {id(w): "w", id(b): "b"}
edges = {}
todo = [y.grad_fn]
while todo:
    grad_fn = todo.pop()
    for place, (next_fn, _) in enumerate(grad_fn.next_functions):
        edge = (node_name(next_fn, names), node_name(grad_fn, names))
        edges[edge] = f"[{place}]"
        if next_fn is not None and not hasattr(next_fn, "variable"):
            todo.append(next_fn)
for (source, target), place in edges.items():
    print(f"{source} -> {target}: next_functions{place}")

fig = draw_graph(
    positions={
        "AccumulateGrad w": (0.0, 2.6),
        "None": (2.3, 2.6),
        "MulBackward0": (1.15, 1.3),
        "AccumulateGrad b": (3.4, 1.3),
        "AddBackward0": (2.3, 0.0),
    },
    edges=edges,
    labels={
        "AccumulateGrad w": "AccumulateGrad",
        "AccumulateGrad b": "AccumulateGrad",
    },
    notes={
        "AccumulateGrad w": "into w.grad",
        "AccumulateGrad b": "into b.grad",
        "None": "x: no grad",
        "MulBackward0": "made w·x",
        "AddBackward0": "y.grad_fn",
    },
    title="The graph of y = w·x + b that backward() walks",
)
plt.show()

# sphinx_gallery_start_ignore
# The drawing is the graph autograd recorded: every edge, and its place in
# next_functions, comes from walking y.grad_fn.
assert edges == {
    ("MulBackward0", "AddBackward0"): "[0]",
    ("AccumulateGrad b", "AddBackward0"): "[1]",
    ("AccumulateGrad w", "MulBackward0"): "[0]",
    ("None", "MulBackward0"): "[1]",
}
assert y.grad_fn.next_functions[0][0] is mul_fn
assert y.grad_fn.next_functions[1][0].variable is b
assert mul_fn.next_functions[0][0].variable is w
assert mul_fn.next_functions[1][0] is None
# Every path ends at an AccumulateGrad of a leaf that requires grad, or at
# None: the nodes with no arrow into them are exactly those.
starts = {source for source, _ in edges} - {target for _, target in edges}
assert starts == {"AccumulateGrad w", "AccumulateGrad b", "None"}
assert {n for n, t in [("w", w), ("b", b), ("x", x)] if t.requires_grad} == {
    "w",
    "b",
}
assert not x.requires_grad
# backward() starts at y.grad_fn: the one node no arrow leaves.
ends = {target for _, target in edges} - {source for source, _ in edges}
assert ends == {"AddBackward0"} == {type(y.grad_fn).__name__}
shown = [text.get_text() for text in fig.axes[0].texts]
assert shown.count("AccumulateGrad") == 2
assert {"into w.grad", "into b.grad", "x: no grad", "y.grad_fn"} <= set(shown)
assert sorted(t for t in shown if t.startswith("[")) == [
    "[0]",
    "[0]",
    "[1]",
    "[1]",
]
# sphinx_gallery_end_ignore

# %%
# Where gradients land in a chain
# -------------------------------
# Chain three steps: :math:`y = wx + b`, :math:`z = ky + m`,
# :math:`out = cz + d`, with every named number a leaf that requires grad.
# After ``out.backward()``, **every** leaf holds the derivative of ``out``
# with respect to itself, however deep in the chain it sits. The
# intermediate results ``y`` and ``z`` keep no ``.grad``: autograd passes
# their gradients through and drops them, unless you ask with
# :meth:`~torch.Tensor.retain_grad`, as here for ``y``.
leaves = {
    name: torch.tensor(value, device=device, requires_grad=True)
    for name, value in [("x", 3.0), ("w", 4.0), ("b", 5.0), ("k", 4.0),
                        ("m", 5.0), ("c", 4.0), ("d", 4.0)]
}  # fmt: skip
x, w, b, k, m, c, d = leaves.values()
y = w * x + b
y.retain_grad()
z = k * y + m
out = c * z + d
out.backward()
print("y =", y.item(), " z =", z.item(), " out =", out.item())
for name, leaf in leaves.items():
    print(f"d(out)/d{name} = {leaf.grad.item():g}")
print("d(out)/dy =", y.grad.item(), "(kept by retain_grad)")

# sphinx_gallery_start_ignore
# out = c (k (w x + b) + m) + d
expected = {
    "x": 4 * 4 * 4,
    "w": 4 * 4 * 3,
    "b": 4 * 4,
    "k": 4 * 17,
    "m": 4,
    "c": 73,
    "d": 1,
}
assert {n: t.grad.item() for n, t in leaves.items()} == expected
assert y.grad.item() == 16.0
# sphinx_gallery_end_ignore

# %%
# Reading ``.grad`` of an intermediate result that did not retain it gives
# ``None``, with a warning that says how to keep it:
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    z_grad = z.grad
print("z.grad:", z_grad)
sentences = str(caught[0].message).split(". ")
print(f"{caught[0].category.__name__}: {'. '.join(sentences[:3])}.")

# sphinx_gallery_start_ignore
assert z_grad is None
assert "retain_grad()" in str(caught[0].message)
# sphinx_gallery_end_ignore

# %%
# ``torch.tensor`` of results cuts the graph; ``torch.stack`` does not
# --------------------------------------------------------------------
# :func:`torch.tensor` copies *numbers* into a new tensor. Given results that
# require grad, it reads their values and forgets where they came from (and
# recent releases warn; PyTorch 2.7 did not): the new tensor is a leaf with no
# ``grad_fn``, and nothing flows back to ``w`` or ``b``.
w = torch.tensor(4.0, device=device, requires_grad=True)
b = torch.tensor(5.0, device=device, requires_grad=True)
product = w * 3.0
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    copied = torch.tensor([product, b], device=device)
for warning in caught:
    print(
        f"{warning.category.__name__}: {str(warning.message).splitlines()[0]}"
    )
print(
    "copied:", copied, " is_leaf:", copied.is_leaf, " grad_fn:", copied.grad_fn
)
try:
    copied.sum().backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
assert copied.is_leaf
assert copied.grad_fn is None
assert not copied.requires_grad
try:
    copied.sum().backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("backward through torch.tensor(...) did not fail")
assert "does not require grad" in message
# sphinx_gallery_end_ignore

# %%
# :func:`torch.stack` is an operation like any other: it records itself, and
# the gradients reach ``w`` and ``b``.
stacked = torch.stack([product, b])
print("stacked:", stacked)
stacked.sum().backward()
print("w.grad:", w.grad, " b.grad:", b.grad)

# sphinx_gallery_start_ignore
assert type(stacked.grad_fn).__name__ == "StackBackward0"
assert (w.grad.item(), b.grad.item()) == (3.0, 1.0)
try:  # the summary says torch.cat refuses 0-d results
    torch.cat([product, b])
except RuntimeError as error:
    assert "zero-dimensional tensor" in str(error), error
else:
    raise AssertionError("torch.cat joined 0-d tensors")
assert torch.cat([product.reshape(1), b.reshape(1)]).shape == (2,)
# sphinx_gallery_end_ignore

# %%
# Not recording: ``torch.no_grad()`` and ``detach()``
# ---------------------------------------------------
# Inside ``with torch.no_grad():`` nothing is recorded: results do not
# require grad. Use it to evaluate a model or to update its weights by hand.
# ``detach()`` returns a tensor that shares the same data but is cut from the
# graph; :meth:`~torch.Tensor.numpy` demands it for a tensor that requires
# grad. ``numpy(force=True)`` does the detaching (and the copy to the CPU)
# for you.
with torch.no_grad():
    evaluated = w * 3.0
print("under no_grad:", evaluated, " requires_grad:", evaluated.requires_grad)

detached = w.detach()
print("detached:", detached, " requires_grad:", detached.requires_grad)
try:
    w.numpy()
except RuntimeError as error:
    print(f"RuntimeError: {error}")
print("w.detach().cpu().numpy():", w.detach().cpu().numpy())
print("w.numpy(force=True):      ", w.numpy(force=True))

# sphinx_gallery_start_ignore
assert not evaluated.requires_grad
assert evaluated.grad_fn is None
assert not detached.requires_grad
assert detached.data_ptr() == w.data_ptr()  # same memory, not a copy
try:
    w.numpy()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("numpy() of a tensor that requires grad did not fail")
assert "detach()" in message
assert w.numpy(force=True).tolist() == w.detach().cpu().numpy().tolist()
# sphinx_gallery_end_ignore

# %%
# ``backward()`` twice and ``retain_graph``
# -----------------------------------------
# To save memory, ``backward()`` frees the values the graph saved for it
# (``x**2`` saves ``x`` to compute :math:`2x`). A second ``backward()``
# through the same graph then fails. Pass ``retain_graph=True`` to keep them;
# the second call then adds to ``.grad``, as always.
x = torch.tensor(2.0, device=device, requires_grad=True)
y = x**2
y.backward()
try:
    y.backward()
except RuntimeError as error:
    print(f"RuntimeError: {str(error).split('. ')[0]}.")

x = torch.tensor(2.0, device=device, requires_grad=True)
y = x**2
y.backward(retain_graph=True)
y.backward()
print("two backwards with retain_graph=True:", x.grad)

# sphinx_gallery_start_ignore
x = torch.tensor(2.0, requires_grad=True)
y = x**2
y.backward()
try:
    y.backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("a second backward() did not fail")
assert "second time" in message
assert "retain_graph=True" in message
assert x.grad.item() == 4.0
# sphinx_gallery_end_ignore

# sphinx_gallery_start_ignore
# sphinx-gallery reads names' attributes after the run to link the code;
# reading .grad of a non-leaf result warns, so drop the two results whose
# .grad is used.
del y, z
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Leaves are tensors you created; results carry a ``grad_fn``, and
#   ``next_functions`` chains them back to ``AccumulateGrad`` of each leaf.
# * ``backward()`` fills ``.grad`` of every leaf that requires grad; results
#   keep theirs only after ``retain_grad()``.
# * A tensor computed from a leaf, even by ``.to(...)``, is not a leaf; only
#   floating-point tensors can require grad, switched on by
#   ``requires_grad_()``.
# * ``torch.tensor([...])`` of results copies values and cuts the graph; use
#   ``torch.stack`` (``torch.cat`` joins tensors of at least one dimension: it
#   refuses 0-d results).
# * ``torch.no_grad()`` stops recording; ``detach()`` cuts one tensor out.
# * A graph can be walked back once, unless ``retain_graph=True``.
