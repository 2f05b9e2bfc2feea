"""Checkers of ``docs/exercises/tensor-views.md``: views, copies, strides, broadcasting."""

from __future__ import annotations

from collections.abc import Callable

import torch

from tutorial_helpers.exercises import (
    NotAnswered,
    Wrong,
    as_bool,
    behaves_like,
    describe,
    predictions,
    question,
    wrong_predictions,
)

PAGE = "tensor-views"


def _grid() -> torch.Tensor:
    return torch.arange(12).reshape(3, 4)


def _shares_storage(result: torch.Tensor, tensor: torch.Tensor) -> bool:
    return bool(result.untyped_storage().data_ptr() == tensor.untyped_storage().data_ptr())


#: The candidates of question 1, and the hint for a reader who gets each one wrong.
_CANDIDATES: dict[str, tuple[Callable[[torch.Tensor], torch.Tensor], str]] = {
    "grid[1:, ::2]": (
        lambda grid: grid[1:, ::2],
        "Slicing with a step: could an offset and strides over grid's own storage "
        "describe the result?",
    ),
    "grid.T": (
        lambda grid: grid.T,
        "What does `.T` change: the numbers in memory, or how they are read?",
    ),
    "grid.T.reshape(12)": (
        lambda grid: grid.T.reshape(12),
        "`reshape` gives a view only when strides can describe the result: in what "
        "order would one row of 12 visit grid's storage?",
    ),
    "grid[grid % 2 == 0]": (
        lambda grid: grid[grid % 2 == 0],
        "A mask may pick any set of elements: can strides describe every such choice?",
    ),
    "grid.view(4, 3)": (
        lambda grid: grid.view(4, 3),
        "What does `view` do when it cannot reuse the storage: copy, or fail?",
    ),
    "grid[:, [0]]": (
        lambda grid: grid[:, [0]],
        "A list inside the brackets is advanced indexing, as a mask is: does "
        "PyTorch check whether this one list could have been a slice?",
    ),
}


@question(
    PAGE,
    1,
    hint=(
        "A view reads grid's own storage through an offset and strides; a copy has "
        "a storage of its own."
    ),
)
def shares_memory(shares_memory: object) -> None:
    """For each candidate, whether it shares memory with ``grid`` (True or False)."""
    said = predictions(shares_memory, list(_CANDIDATES), "shares_memory", as_bool)
    grid = _grid()
    truth = {key: _shares_storage(make(grid), grid) for key, (make, _) in _CANDIDATES.items()}
    wrong_predictions(said, truth, {key: hint for key, (_, hint) in _CANDIDATES.items()})


_STRIDED: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "grid": lambda grid: grid,
    "grid.T": lambda grid: grid.T,
    "grid[:, ::2]": lambda grid: grid[:, ::2],
}


def _read_strides(value: object, label: str) -> tuple[int, ...]:
    if isinstance(value, tuple | list | torch.Size) and all(
        isinstance(n, int) and not isinstance(n, bool) for n in value
    ):
        return tuple(value)
    raise Wrong(
        f"`{label}` is {describe(value)}; write the strides as a tuple of whole numbers, "
        "one per dimension."
    )


def _stride_hint(expression: str, said: tuple[int, ...], right: tuple[int, ...]) -> str:
    itemsize = _grid().element_size()
    if said == tuple(n * itemsize for n in right):
        return "Strides count elements, not bytes."
    if expression == "grid.T":
        return "`.T` moves no number in memory: what happens to the two steps?"
    if said == right[::-1]:
        return "The first stride is the step to the next row, the second to the next column."
    if expression == "grid[:, ::2]":
        return (
            "A step of 2 along the columns reads every other element of the same "
            "storage: which of the two steps does that change, and how?"
        )
    return (
        "How many elements of storage lie between `grid[0, 0]` and `grid[1, 0]`? "
        "And between `grid[0, 0]` and `grid[0, 1]`?"
    )


@question(
    PAGE,
    2,
    hint=(
        "A stride is how many elements of storage to step over to reach the next "
        "index along one dimension."
    ),
)
def strides(strides: object, contiguous: object) -> None:
    """The strides of three tensors, and whether each is contiguous."""
    said_strides = predictions(strides, list(_STRIDED), "strides", _read_strides)
    said_contiguous = predictions(contiguous, list(_STRIDED), "contiguous", as_bool)
    grid = _grid()
    for expression, make in _STRIDED.items():
        right = make(grid).stride()
        if said_strides[expression] != right:
            raise Wrong(
                f"The strides of `{expression}` are not right.",
                _stride_hint(expression, said_strides[expression], right),
            )
    for expression, make in _STRIDED.items():
        if said_contiguous[expression] != make(grid).is_contiguous():
            raise Wrong(
                f"Whether `{expression}` is contiguous is not right.",
                "A tensor is contiguous when reading it row by row walks its storage "
                "one element at a time: no gaps, no jumps back. Compare its strides "
                "with those of a fresh tensor of its shape.",
            )


def _row_shares(counts: torch.Tensor) -> torch.Tensor:
    return counts / counts.sum(dim=1, keepdim=True)


def _counts_cases() -> list[tuple[object, ...]]:
    return [
        (torch.tensor([[1.0, 3.0, 0.0], [2.0, 2.0, 4.0], [5.0, 0.0, 5.0]]),),
        (torch.tensor([[1.0, 2.0, 3.0, 4.0], [4.0, 0.0, 0.0, 4.0]]),),
        (torch.tensor([[1.0, 2.0], [3.0, 1.0], [0.0, 2.0], [5.0, 5.0]], dtype=torch.float64),),
    ]


_BROADCAST_HINT = (
    "What is the shape of `counts.sum(dim=1)`? Broadcasting lines shapes up from "
    "the right: which dimension of `counts` does it meet?"
)


def _diagnose_shares(result: object, counts: torch.Tensor) -> str | None:
    if not isinstance(result, torch.Tensor) or result.shape != counts.shape:
        return None
    for wrong, hint in [
        (counts / counts.sum(dim=1), _BROADCAST_HINT),
        (
            counts / counts.sum(dim=0),
            "Every column adds up to 1 now: which dimension does `sum(dim=...)` remove?",
        ),
        (counts / counts.sum(), "Each row needs its own sum, not the sum of every number."),
    ]:
        if wrong.shape == result.shape and torch.allclose(
            result.detach().cpu().double(), wrong.double()
        ):
            return hint
    return None


@question(
    PAGE,
    3,
    hint=(
        "Look at the shape of the row sums, and at how broadcasting lines it up "
        "with the shape of `counts`."
    ),
)
def row_shares(row_shares: object) -> None:
    """A function that divides each row of ``counts`` by its own sum."""
    behaves_like(
        row_shares,
        _row_shares,
        _counts_cases(),
        name="row_shares",
        diagnose=_diagnose_shares,
        explain=lambda error: _BROADCAST_HINT if "must match the size" in str(error) else None,
    )


def _picked(scores: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return scores[torch.arange(len(labels)), labels]


def _scores_cases() -> list[tuple[object, ...]]:
    return [
        (
            torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]),
            torch.tensor([1, 0, 2]),
        ),
        (  # the right class is not always the best score, and there are more classes
            torch.tensor(
                [
                    [0.3, 0.1, 0.4, 0.2],
                    [0.9, 0.05, 0.03, 0.02],
                    [0.1, 0.2, 0.3, 0.4],
                    [0.25, 0.25, 0.4, 0.1],
                    [0.6, 0.1, 0.1, 0.2],
                ]
            ),
            torch.tensor([0, 1, 3, 2, 3]),
        ),
    ]


def _diagnose_picked(result: object, scores: torch.Tensor, labels: torch.Tensor) -> str | None:
    if not isinstance(result, torch.Tensor):
        return None
    got = result.detach().cpu()
    n = len(labels)
    if got.shape == (n, 1) and torch.allclose(got.squeeze(1), _picked(scores, labels)):
        return (
            "The numbers are right, but `gather` keeps as many dimensions as its index: "
            "remove the extra one."
        )
    if got.shape == (n, n) and torch.allclose(got, scores[:, labels]):
        return (
            "`scores[:, labels]` pairs every row with every label: pair each row "
            "with its own label only, by indexing the rows too."
        )
    if got.shape == scores[labels].shape and torch.allclose(got, scores[labels]):
        return "Indexing with the labels alone picks whole rows, not one score per row."
    if got.shape == (n,) and torch.allclose(got, scores.max(dim=1).values):
        return "That is each row's best score; the labelled class is not always the best one."
    return None


def _explain_gather(error: Exception) -> str | None:
    if "same number of dimensions" in str(error):
        return "`gather` wants an index with as many dimensions as `scores`: a column."
    return None


@question(
    PAGE,
    4,
    hint=(
        "Pair row `i` with column `labels[i]`: with two index tensors, or with "
        "`gather` along the class dimension."
    ),
)
def correct_class_scores(by_indexing: object, by_gather: object) -> None:
    """Two functions that pick each example's score of its correct class."""
    for name, function in [("by_indexing", by_indexing), ("by_gather", by_gather)]:
        if function is Ellipsis:
            raise NotAnswered(f"`{name}` is still `...`.")
    for name, function in [("by_indexing", by_indexing), ("by_gather", by_gather)]:
        if name == "by_gather" and by_gather is by_indexing:
            raise Wrong(
                "`by_indexing` and `by_gather` are the same function; the question "
                "asks for two ways.",
                "One way indexes with two index tensors, the other calls `gather`.",
            )
        behaves_like(
            function,
            _picked,
            _scores_cases(),
            name=name,
            diagnose=_diagnose_picked,
            explain=_explain_gather,
        )
