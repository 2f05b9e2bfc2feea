"""Checkers of ``docs/exercises/tensor-shapes.md``: ndim, shape and dtype."""

from __future__ import annotations

import torch

from tutorial_helpers.exercises import (
    NotAnswered,
    Wrong,
    as_dtype,
    as_number,
    as_shape,
    question,
)

PAGE = "tensor-shapes"

_FIRST_HINT = (
    "Each level of brackets is a dimension; the shape counts the items at each "
    "level, outermost first."
)


def _check_prediction(tensor: torch.Tensor, ndim: object, shape: object, dtype: object) -> None:
    said_ndim = as_number(ndim, "ndim")
    said_shape = as_shape(shape, "shape")
    said_dtype = as_dtype(dtype, "dtype")
    if said_ndim != tensor.ndim:
        raise Wrong(
            "`ndim` is not the number of dimensions.",
            "Count how deeply the brackets nest: `[[...]]` is two levels deep.",
        )
    if len(said_shape) != said_ndim:
        raise Wrong(
            "`shape` does not have `ndim` entries: a shape has one length per dimension.",
            "Write one number per level of brackets.",
        )
    if said_shape != tuple(tensor.shape):
        reversed_ = said_shape[::-1] == tuple(tensor.shape)
        raise Wrong(
            "`shape` has the right number of dimensions, but not the right lengths"
            + (" (they are in the wrong order)." if reversed_ else "."),
            "The first length counts the items of the outermost list, the last one "
            "the numbers in each innermost list.",
        )
    if said_dtype != tensor.dtype:
        if said_dtype.is_floating_point == tensor.dtype.is_floating_point:
            hint = (
                "Without a `dtype=`, `torch.tensor` gives Python floats the default "
                "floating-point type (`torch.get_default_dtype()`) and Python ints "
                "PyTorch's default integer type; NumPy's defaults are not PyTorch's."
            )
        else:
            hint = "Look at the numbers themselves: are they written with a decimal point?"
        raise Wrong(f"`dtype` is {said_dtype}, which is not it.", hint)


@question(PAGE, 1, hint=_FIRST_HINT)
def column(ndim: object, shape: object, dtype: object) -> None:
    """``column = torch.tensor([[1.5], [2.5], [3.5]])``: its ndim, shape and dtype."""
    _check_prediction(torch.tensor([[1.5], [2.5], [3.5]]), ndim, shape, dtype)


@question(PAGE, 2, hint=_FIRST_HINT)
def images(ndim: object, shape: object, dtype: object) -> None:
    """Two 2-by-3 integer images in one tensor: its ndim, shape and dtype."""
    data = [[[0, 10, 20], [30, 40, 50]], [[5, 15, 25], [35, 45, 55]]]
    _check_prediction(torch.tensor(data), ndim, shape, dtype)


@question(
    PAGE,
    3,
    hint=(
        "`torch.tensor` takes a `dtype=`; class labels use the integer type that "
        "PyTorch's losses and indexing expect."
    ),
)
def explicit_types(labels: object, features: object) -> None:
    """The labels ``0, 2, 1`` as int64 and the same numbers as float32 features."""
    values = [0, 2, 1]
    for name, tensor in [("labels", labels), ("features", features)]:
        if tensor is Ellipsis:
            raise NotAnswered(f"`{name}` is still `...`.")
        if not isinstance(tensor, torch.Tensor):
            raise Wrong(
                f"`{name}` is not a tensor.",
                "Make it with `torch.tensor(...)`.",
            )
        if tensor.shape != (3,):
            raise Wrong(
                f"`{name}` has shape {tuple(tensor.shape)}; it should hold the three "
                "numbers in one dimension, shape (3,).",
                "Pass a flat list of the three numbers.",
            )
        if tensor.device.type == "meta" or tensor.tolist() != values:
            raise Wrong(f"`{name}` does not hold the numbers 0, 2, 1, in this order.")
    assert isinstance(labels, torch.Tensor)
    assert isinstance(features, torch.Tensor)
    if labels.dtype != torch.int64:
        raise Wrong(
            f"`labels` has dtype {labels.dtype}.",
            "PyTorch's losses want class labels in its default integer type, the "
            "one `torch.tensor` gives Python ints (called `long` too)."
            if not labels.dtype.is_floating_point
            else "A label is a whole number that picks a class: an integer type.",
        )
    if features.dtype != torch.float32:
        raise Wrong(
            f"`features` has dtype {features.dtype}.",
            "A layer's weights are 32-bit floats: the question asks for the same, "
            "named with its size."
            if features.dtype.is_floating_point
            else "A layer computes with floating-point numbers: convert the integers.",
        )
