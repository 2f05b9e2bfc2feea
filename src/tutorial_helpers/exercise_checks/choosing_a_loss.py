"""Checkers of ``docs/exercises/choosing-a-loss.md``: which loss, which targets."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from tutorial_helpers.exercises import (
    Wrong,
    call_answer,
    describe,
    question,
    tensor_problem,
)

PAGE = "choosing-a-loss"

Loss = Callable[..., torch.Tensor]


def _matches(result: torch.Tensor, expected: torch.Tensor) -> bool:
    return tensor_problem(result, expected, "loss", check_dtype=False) is None


def _check_loss(
    function: object,
    name: str,
    cases: list[tuple[torch.Tensor, object]],
    accepted: dict[str, Callable[[torch.Tensor, object], torch.Tensor]],
    diagnose: Callable[[torch.Tensor, torch.Tensor, object], str | None],
    explain: Callable[[Exception], str | None],
) -> str | None:
    """Run the reader's loss on each case; it must match one accepted loss on all of them.

    ``accepted`` maps a description ("" for the expected loss) to a loss; the
    description of the one matched is returned, as a note.
    """
    candidates = dict(accepted)
    for outputs, targets in cases:
        given = outputs.clone().requires_grad_()
        result = call_answer(function, given, _copy_targets(targets), name=name, explain=explain)
        if isinstance(result, int | float):
            raise Wrong(
                f"`{name}` returned a Python number; it should return the loss as a tensor.",
                "Training calls `loss.backward()`: keep the tensor, drop the `.item()`.",
            )
        if not isinstance(result, torch.Tensor):
            raise Wrong(f"`{name}` returned {describe(result)}; it should return the loss.")
        if result.ndim != 0:
            raise Wrong(
                f"`{name}` returned {describe(result)}: one loss per value, not one "
                "number for the batch.",
                "`backward()` starts from one number: reduce the losses (the mean, as "
                "the losses of `torch.nn` do by default).",
            )
        if result.grad_fn is None:
            raise Wrong(
                f"The loss `{name}` returns is cut off from the model's outputs: "
                "`backward()` could not reach them.",
                "Compute it from the outputs with tensor operations, without `.item()`, "
                "`.detach()` or `torch.tensor(...)`.",
            )
        candidates = {
            note: loss
            for note, loss in candidates.items()
            if _matches(result, loss(outputs, targets))
        }
        if not candidates:
            raise Wrong(
                f"`{name}` gives a loss of {result.item():.4g} on a batch where the "
                "expected loss is another number.",
                diagnose(result.detach(), outputs, targets),
            )
    return next(iter(candidates)) or None


def _copy_targets(targets: object) -> object:
    return targets.clone() if isinstance(targets, torch.Tensor) else list(targets)  # type: ignore[call-overload]


def _with_reductions(
    losses: dict[str, Callable[[torch.Tensor, torch.Tensor, str], torch.Tensor]],
    to_targets: Callable[[torch.Tensor, object], torch.Tensor],
) -> dict[str, Callable[[torch.Tensor, object], torch.Tensor]]:
    """Every accepted loss with the mean and with the sum as its reduction."""
    accepted: dict[str, Callable[[torch.Tensor, object], torch.Tensor]] = {}
    for note, loss in losses.items():
        for reduction in ("mean", "sum"):
            label = note
            if reduction == "sum":
                label = (note + " " if note else "") + (
                    "With `reduction='sum'` the loss grows with the batch size; the "
                    "mean does not, so a learning rate suits any batch size."
                )

            def reduced(
                outputs: torch.Tensor,
                targets: object,
                loss: Callable[[torch.Tensor, torch.Tensor, str], torch.Tensor] = loss,
                reduction: str = reduction,
            ) -> torch.Tensor:
                return loss(outputs, to_targets(outputs, targets), reduction)

            accepted[label] = reduced
    return accepted


# -- 1. regression ----------------------------------------------------------------------


def _temperature_cases() -> list[tuple[torch.Tensor, object]]:
    return [
        (torch.tensor([[21.5], [17.0], [25.2], [19.8]]), torch.tensor([20.0, 18.5, 24.0, 19.8])),
        (
            torch.tensor([[-3.0], [0.5], [4.0], [-8.2], [12.0], [1.0]]),
            torch.tensor([-1.0, 0.0, 6.5, -7.0, 10.0, 1.5]),
        ),
    ]


def _column(outputs: torch.Tensor, targets: object) -> torch.Tensor:
    assert isinstance(targets, torch.Tensor)
    return targets.reshape(outputs.shape)


def _diagnose_temperature(
    result: torch.Tensor, outputs: torch.Tensor, targets: object
) -> str | None:
    assert isinstance(targets, torch.Tensor)
    for reduction in ("mean", "sum"):
        table = (outputs - targets) ** 2  # (n, 1) against (n,): an (n, n) table
        broadcast = table.mean() if reduction == "mean" else table.sum()
        if _matches(result, broadcast):
            return (
                f"The predictions have shape {tuple(outputs.shape)} and the targets "
                f"{tuple(targets.shape)}: what shape does broadcasting give their "
                "difference?"
            )
    return (
        "A temperature is a number to predict, not a class: which loss of `torch.nn` "
        "compares two numbers?"
    )


@question(
    PAGE,
    1,
    hint=(
        "A number to predict: regression. Then compare the shapes of the predictions "
        "and of the targets: what would broadcasting make of them?"
    ),
)
def temperature(temperature_loss: object) -> str | None:
    """A regression loss of the predicted against the measured temperatures."""
    accepted = _with_reductions(
        {
            "": lambda o, t, r: F.mse_loss(o, t, reduction=r),
            "That is a regression loss of absolute errors (L1), a fine choice; the "
            "tutorial squares the errors instead.": lambda o, t, r: F.l1_loss(o, t, reduction=r),
            "That is the Huber loss, a fine choice for regression; the tutorial uses "
            "the squared error.": lambda o, t, r: F.huber_loss(o, t, reduction=r),
        },
        _column,
    )
    return _check_loss(
        temperature_loss,
        "temperature_loss",
        _temperature_cases(),
        accepted,
        _diagnose_temperature,
        lambda error: None,
    )


# -- 2. one class of ten -------------------------------------------------------------


def _digit_cases() -> list[tuple[torch.Tensor, object]]:
    scores = torch.tensor(
        [
            [0.2, 3.1, -0.5, 0.0, 0.4, -1.2, 0.3, 0.9, -0.3, 0.1],
            [2.5, -0.2, 0.1, 0.3, -1.0, 0.2, 0.8, -0.4, 0.0, 0.6],
            [0.1, 0.2, 0.3, 0.1, 0.0, -0.1, 0.2, 0.1, 0.4, 0.2],
        ]
    )
    more = torch.randn(5, 10, generator=torch.Generator().manual_seed(22)) * 2
    return [(scores, [1, 0, 8]), (more, [3, 9, 0, 3, 5])]


def _indices(outputs: torch.Tensor, targets: object) -> torch.Tensor:
    return torch.tensor(targets)


def _diagnose_digits(result: torch.Tensor, outputs: torch.Tensor, targets: object) -> str | None:
    labels = torch.tensor(targets)
    for reduction in ("mean", "sum"):
        twice = F.cross_entropy(outputs.softmax(dim=1), labels, reduction=reduction)
        if _matches(result, twice):
            return (
                "`CrossEntropyLoss` applies log-softmax itself: does it want "
                "probabilities, or the raw scores?"
            )
    return "One class out of several: which loss of `torch.nn` is made for that?"


def _explain_digits(error: Exception) -> str | None:
    text = str(error)
    if "Long" in text or "Float" in text or "floating point" in text or "dtype" in text:
        return (
            "Class labels are indices: which dtype does `torch.tensor` give a list of "
            "Python ints, and which does the loss want?"
        )
    if "list" in text:
        return "The loss takes tensors: turn the list of labels into one."
    return None


@question(
    PAGE,
    2,
    hint=(
        "One class out of several, from raw scores. What shape and dtype must the "
        "class labels have?"
    ),
)
def digits(digit_loss: object) -> str | None:
    """A classification loss of ten scores against labels given as Python ints."""
    accepted = _with_reductions(
        {"": lambda o, t, r: F.cross_entropy(o, t, reduction=r)},
        _indices,
    )
    return _check_loss(
        digit_loss, "digit_loss", _digit_cases(), accepted, _diagnose_digits, _explain_digits
    )


# -- 3. several tags at once ---------------------------------------------------------


def _tag_cases() -> list[tuple[torch.Tensor, object]]:
    scores = torch.tensor(
        [
            [2.0, 1.5, -3.0, -2.0, -4.0],
            [-1.0, 3.0, 2.5, -0.5, -3.0],
            [-3.0, -2.0, -2.5, 1.0, 2.0],
        ]
    )
    tags = torch.tensor([[1, 1, 0, 0, 0], [0, 1, 1, 0, 0], [0, 0, 0, 1, 1]])
    generator = torch.Generator().manual_seed(22)
    more = torch.randn(4, 5, generator=generator) * 2
    more_tags = (torch.rand(4, 5, generator=generator) > 0.5).long()
    more_tags[0] = 0  # a photo without any tag
    return [(scores, tags), (more, more_tags)]


def _float_tags(outputs: torch.Tensor, targets: object) -> torch.Tensor:
    assert isinstance(targets, torch.Tensor)
    return targets.float()


def _diagnose_tags(result: torch.Tensor, outputs: torch.Tensor, targets: object) -> str | None:
    assert isinstance(targets, torch.Tensor)
    for reduction in ("mean", "sum"):
        softmax = F.cross_entropy(outputs, targets.float(), reduction=reduction)
        if _matches(result, softmax):
            return (
                "A softmax makes the five tag probabilities add up to 1: can a photo "
                "then be both 'beach' and 'people' with high probability?"
            )
    return (
        "Each tag is its own yes/no question: which loss of `torch.nn` answers yes/no "
        "questions from raw scores?"
    )


def _explain_tags(error: Exception) -> str | None:
    if "Long" in str(error) or "dtype" in str(error):
        return "The loss computes with the targets: which dtype must they have?"
    return None


@question(
    PAGE,
    3,
    hint=(
        "A photo can have several tags, or none: can a loss that picks one class out "
        "of five describe that?"
    ),
)
def tags(tag_loss: object) -> str | None:
    """A multi-label loss of five tag scores against 0/1 tags given as int64."""
    accepted = _with_reductions(
        {"": lambda o, t, r: F.binary_cross_entropy_with_logits(o, t, reduction=r)},
        _float_tags,
    )
    return _check_loss(tag_loss, "tag_loss", _tag_cases(), accepted, _diagnose_tags, _explain_tags)


# -- going further: one logit or two ------------------------------------------------


@question(
    PAGE,
    "further",
    hint=(
        "Softmax of two logits gives the second class the probability "
        "e^b / (e^a + e^b). When is that the sigmoid of z?"
    ),
)
def one_logit_or_two(two_logits: object) -> None:
    """Two logits per e-mail whose cross-entropy equals the one-logit BCE loss."""
    generator = torch.Generator().manual_seed(22)
    for z in (torch.randn(6, generator=generator), torch.tensor([-3.0, 0.0, 0.5, 4.0])):
        result = call_answer(two_logits, z.clone(), name="two_logits")
        if not isinstance(result, torch.Tensor):
            raise Wrong(f"`two_logits` returned {describe(result)}; it should return a tensor.")
        if result.shape != (len(z), 2):
            raise Wrong(
                f"`two_logits` returned shape {tuple(result.shape)} for {len(z)} e-mails; "
                "`CrossEntropyLoss` wants one row of two logits per e-mail.",
            )
        for label in (0, 1):
            is_spam = torch.full((len(z),), label)
            one = nn.BCEWithLogitsLoss(reduction="none")(z, is_spam.float())
            two = nn.CrossEntropyLoss(reduction="none")(result.detach().float(), is_spam)
            if tensor_problem(two, one, "loss", check_dtype=False) is None:
                continue
            difference = (result[:, 1] - result[:, 0]).detach().float()
            if torch.allclose(difference, -z, atol=1e-6):
                hint = "Column 0 is 'not spam' and column 1 is 'spam': which one is z for?"
            elif torch.allclose(difference, 2 * z, atol=1e-6):
                hint = "Only the difference of the two logits matters: what must it be?"
            else:
                hint = None
            raise Wrong(
                "With these logits, `CrossEntropyLoss` does not give the loss "
                "`BCEWithLogitsLoss` gives on z.",
                hint,
            )
