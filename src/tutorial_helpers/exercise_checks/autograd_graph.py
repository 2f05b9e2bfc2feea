"""Checkers of ``docs/exercises/autograd-graph.md``: where gradients go."""

from __future__ import annotations

import warnings

import numpy as np
import torch

from tutorial_helpers.exercises import (
    Wrong,
    as_bool,
    as_shape,
    describe,
    predictions,
    question,
    wrong_predictions,
)

PAGE = "autograd-graph"


def _read_grad(value: object, label: str) -> torch.Tensor | None:
    """A gradient as the reader wrote it: None, a number, a list or a tensor."""
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        if value.device.type == "meta":
            raise Wrong(f"`{label}` is a tensor on the meta device, which holds no values.")
        return value.detach().cpu().double()
    if isinstance(value, bool):
        raise Wrong(f"`{label}` is {describe(value)}; write the gradient (or None).")
    try:
        return torch.as_tensor(np.asarray(value, dtype=np.float64))
    except (TypeError, ValueError):
        raise Wrong(
            f"`{label}` is {describe(value)}; write the gradient as a number, a list "
            "or a tensor, or None."
        ) from None


def _vector_case() -> tuple[torch.Tensor, bool, dict[str, torch.Tensor | None]]:
    x = torch.tensor(3.0, requires_grad=True)
    w = torch.tensor([4.0, 2.0], requires_grad=True)
    b = torch.tensor(5.0, requires_grad=True)
    y = w * x + b
    try:
        (w * x + b).backward()
    except RuntimeError:
        works = False
    else:
        works = True
    for leaf in (x, w, b):
        leaf.grad = None
    y.backward(gradient=torch.ones_like(y))
    return y, works, {"x": x.grad, "w": w.grad, "b": b.grad}


_VECTOR_HINTS = {
    "x": "`x` is used by both outputs of `y`: how do their two contributions combine?",
    "w": "Each `w[i]` is used by one output only: what is the derivative of `y[i]` by `w[i]`?",
    "b": "`b` is broadcast to both outputs of `y`: how do their two contributions combine?",
}


@question(
    PAGE,
    1,
    hint=(
        "Broadcasting decides the shape of `y`. Then follow each input into each "
        "output of `y`: each use adds to its gradient."
    ),
)
def vector_weights(y_shape: object, backward_works: object, grads: object) -> None:
    """The shape of ``y``, whether ``y.backward()`` works, and the three gradients."""
    y, works, truth = _vector_case()
    said_shape = as_shape(y_shape, "y_shape")
    said_works = as_bool(backward_works, "backward_works")
    said_grads = predictions(grads, ["x", "w", "b"], "grads", _read_grad)
    if said_shape != tuple(y.shape):
        raise Wrong(
            "`y_shape` is not right.",
            "`w * x + b` broadcasts its operands: which one has the most dimensions?",
        )
    if said_works != works:
        raise Wrong(
            "`backward_works` is not right.",
            "How many numbers does `y` hold, and how many can `backward()` start from "
            "without a `gradient=`?",
        )
    for key in ["x", "w", "b"]:
        said, right = said_grads[key], truth[key]
        assert right is not None
        if said is None:
            raise Wrong(f"`grads[{key!r}]` is None, but `{key}` does get a gradient.")
        if said.shape != right.shape:
            raise Wrong(
                f"`grads[{key!r}]` does not have the shape of `{key}.grad`.",
                "Each `.grad` has the shape of the tensor it belongs to.",
            )
        if not torch.allclose(said, right.double()):
            raise Wrong(
                f"`grads[{key!r}]` has the right shape, but not the right values.",
                _VECTOR_HINTS[key],
            )


def _tensor_of_results() -> dict[str, torch.Tensor | None]:
    x = torch.tensor(3.0, requires_grad=True)
    w = torch.tensor(4.0, requires_grad=True)
    b = torch.tensor(5.0, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.tensor of tensors warns: the point made
        y = torch.tensor([w * x, b], requires_grad=True)
    y.backward(torch.ones(2))
    return {"x": x.grad, "w": w.grad, "b": b.grad}


@question(
    PAGE,
    2,
    hint=(
        "`torch.tensor` builds a new tensor from values. Does the new tensor remember "
        "where its values came from?"
    ),
)
def tensor_of_results(grads: object) -> None:
    """``x.grad``, ``w.grad`` and ``b.grad`` after backward through ``torch.tensor([...])``."""
    said = predictions(grads, ["x", "w", "b"], "grads", _read_grad)
    truth = _tensor_of_results()
    for key in ["x", "w", "b"]:
        right = truth[key]
        if (said[key] is None) != (right is None):
            raise Wrong(
                f"`grads[{key!r}]` is not right.",
                "Follow the gradient back from `y`: does `y` have a `grad_fn` that "
                "leads to `c` and `b`, or is it a leaf of its own?",
            )
        given = said[key]
        if right is not None and given is not None and not torch.allclose(given, right.double()):
            raise Wrong(f"`grads[{key!r}]` is not right.")


_CHAIN = ["x", "b", "k", "m", "c", "d", "y", "z", "w"]


def _chain_has_grad() -> dict[str, bool]:
    x = torch.tensor(3.0, requires_grad=True)
    w = torch.tensor(4.0, requires_grad=True)
    b = torch.tensor(5.0, requires_grad=True)
    k = torch.tensor(4.0, requires_grad=True)
    m = torch.tensor(5.0, requires_grad=True)
    c = torch.tensor(4.0, requires_grad=True)
    d = torch.tensor(4.0, requires_grad=True)
    y = x * w + b
    z = k * y + m
    w = c * z + d
    w.backward()
    named = {"x": x, "b": b, "k": k, "m": m, "c": c, "d": d, "y": y, "z": z, "w": w}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading .grad of a non-leaf warns
        return {name: tensor.grad is not None for name, tensor in named.items()}


@question(
    PAGE,
    3,
    hint=(
        "Which of these tensors are leaves that require grad, and which are results "
        "of operations? And what does the name `w` mean at the end?"
    ),
)
def chain(has_grad: object) -> None:
    """Which of the chain's tensors have a ``.grad`` after ``w.backward()``."""
    said = predictions(has_grad, _CHAIN, "has_grad", as_bool)
    leaf = (
        "Does the gradient stop at the first leaf it meets, or reach every leaf that "
        "requires grad, however deep in the chain?"
    )
    intermediate = (
        "`y` and `z` are results of operations, not leaves: does autograd keep their "
        "gradients, without `retain_grad()`?"
    )
    hints = {name: leaf for name in _CHAIN}
    hints |= {"y": intermediate, "z": intermediate}
    hints["w"] = "After `w = c * z + d`, which tensor does the name `w` mean?"
    wrong_predictions(said, _chain_has_grad(), hints)
