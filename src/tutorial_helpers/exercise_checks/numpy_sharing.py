"""Checkers of ``docs/exercises/numpy-sharing.md``: memory shared with NumPy, or copied."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from tutorial_helpers.exercises import (
    NotAnswered,
    Wrong,
    as_dtype,
    as_number,
    behaves_like,
    describe,
    predictions,
    question,
    tensor_problem,
)

PAGE = "numpy-sharing"

_WAYS_IN: dict[str, Callable[[np.ndarray], torch.Tensor]] = {
    "from_numpy": torch.from_numpy,
    "copied": torch.tensor,
    "as_tensor": torch.as_tensor,
}

_SHARING_HINTS = {
    "from_numpy": "Does `torch.from_numpy` copy the array, or read the array's own memory?",
    "copied": "Does `torch.tensor` ever read the array's memory after it returns?",
    "as_tensor": (
        "`torch.as_tensor` copies only when it has to: does it have to here (same "
        "dtype, same device)?"
    ),
}


@question(
    PAGE,
    1,
    hint=(
        "For each function, ask: does the tensor read the array's memory, or a "
        "copy of it? And which dtype does NumPy give `np.array([1.0, 2.0, 3.0])`?"
    ),
)
def three_ways_in(first_element: object, dtypes: object) -> None:
    """The first element and the dtype of each tensor after the array changed."""
    said_first = predictions(first_element, list(_WAYS_IN), "first_element", as_number)
    said_dtypes = predictions(dtypes, list(_WAYS_IN), "dtypes", as_dtype)
    array = np.array([1.0, 2.0, 3.0])
    made = {name: make(array) for name, make in _WAYS_IN.items()}
    array[0] = 100.0
    for name, tensor in made.items():
        if said_first[name] != tensor[0].item():
            raise Wrong(f"The first element of `{name}` is not right.", _SHARING_HINTS[name])
    for name, tensor in made.items():
        if said_dtypes[name] != tensor.dtype:
            raise Wrong(
                f"The dtype of `{name}` is not right.",
                "None of the three converts the numbers: each keeps the array's "
                "dtype. What is NumPy's default floating-point type?",
            )


def _read_numbers(value: object, label: str) -> list[float]:
    if isinstance(value, torch.Tensor | np.ndarray):
        if isinstance(value, torch.Tensor) and value.device.type == "meta":
            raise Wrong(f"`{label}` is a tensor on the meta device, which holds no values.")
        value = value.tolist()
    if isinstance(value, list | tuple) and all(
        isinstance(n, int | float) and not isinstance(n, bool) for n in value
    ):
        return [float(n) for n in value]
    raise Wrong(f"`{label}` is {describe(value)}; write the three numbers as a list.")


@question(
    PAGE,
    2,
    hint=(
        "`.numpy()` shares memory with the tensor. Which of the two lines changes "
        "that memory, and which makes a new tensor?"
    ),
)
def and_back_out(numbers_after_add: object, numbers_after_rebind: object) -> None:
    """``numbers`` after ``t.add_(1)`` and after ``t = t + 1``."""
    for name, value in [
        ("numbers_after_add", numbers_after_add),
        ("numbers_after_rebind", numbers_after_rebind),
    ]:
        if value is Ellipsis:
            raise NotAnswered(f"`{name}` is still `...`.")
    t = torch.ones(3)
    numbers = t.numpy()
    t.add_(1)
    after_add = numbers.tolist()
    t = t + 1
    after_rebind = numbers.tolist()
    said_add = _read_numbers(numbers_after_add, "numbers_after_add")
    said_rebind = _read_numbers(numbers_after_rebind, "numbers_after_rebind")
    if said_add != after_add:
        raise Wrong(
            "`numbers_after_add` is not right.",
            "`add_` works in place: whose memory does it change?",
        )
    if said_rebind != after_rebind:
        raise Wrong(
            "`numbers_after_rebind` is not right.",
            "`t = t + 1` computes a new tensor and points the name `t` at it: which "
            "memory does `numbers` still show?",
        )


def _run_layer(layer: torch.nn.Module, features: np.ndarray) -> torch.Tensor:
    output: torch.Tensor = layer(torch.as_tensor(features, dtype=torch.float32))
    return output


def _layer_cases() -> list[tuple[object, ...]]:
    generator = torch.Generator().manual_seed(22)
    layers = [torch.nn.Linear(3, 1), torch.nn.Linear(3, 1)]
    with torch.no_grad():
        for layer in layers:
            for parameter in layer.parameters():
                parameter.copy_(torch.randn(parameter.shape, generator=generator))
    features = torch.randn(5, 3, generator=generator, dtype=torch.float64).numpy()
    return [(layers[0], np.ones((2, 3))), (layers[1], features)]


def _explain_layer(error: Exception) -> str | None:
    if "dtype" in str(error) or "Double" in str(error):
        return (
            "NumPy's default float is 64 bits, a layer's parameters are 32: convert "
            "the data (not the layer) to the layer's dtype."
        )
    if "numpy.ndarray" in str(error) or "ndarray" in str(error):
        return "A layer takes a tensor: turn the array into one first."
    return None


def _compare_output(result: object, expected: object, label: str) -> str | None:
    assert isinstance(expected, torch.Tensor)
    if isinstance(result, torch.Tensor) and result.dtype == torch.float64:
        return (
            f"{label} is float64: the data went through the layer as float64, "
            "so the layer must have been converted."
        )
    return tensor_problem(result, expected, label)


@question(
    PAGE,
    3,
    hint=("Read the error: which two dtypes does it name, and which one belongs to the layer?"),
)
def layer_meets_numpy(run_layer: object) -> None:
    """A function that runs a float32 layer on a float64 NumPy array."""
    behaves_like(
        run_layer,
        _run_layer,
        _layer_cases(),
        name="run_layer",
        explain=_explain_layer,
        compare=_compare_output,
        on_change="Convert the data to the layer's dtype, and leave the layer as it is.",
    )
