"""Checkers of ``docs/exercises/saving.md``: state dicts, renamed keys, safe loading."""

from __future__ import annotations

import io
from collections.abc import Mapping

import torch
from torch import nn

from tutorial_helpers.exercises import (
    Wrong,
    as_bool,
    call_answer,
    describe,
    question,
    tensor_problem,
)

PAGE = "saving"


class _Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer = nn.Linear(2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output: torch.Tensor = self.layer(x)
        return output


class _RenamedNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output: torch.Tensor = self.linear(x)
        return output


def _round_trip_is_exact() -> bool:
    trained = _Net()
    buffer = io.BytesIO()
    torch.save(trained.state_dict(), buffer)
    buffer.seek(0)
    fresh = _Net()
    fresh.load_state_dict(torch.load(buffer))
    x = torch.tensor([[1.0, 2.0]])
    return bool(torch.equal(trained(x), fresh(x)))


@question(
    PAGE,
    1,
    hint=(
        "What does `load_state_dict` do with each tensor of the file, and what is "
        "left of the fresh model's random start values?"
    ),
)
def round_trip(equal: object) -> None:
    """Whether the reloaded model's outputs equal the trained model's."""
    if as_bool(equal, "equal") != _round_trip_is_exact():
        raise Wrong(
            "`equal` is not right.",
            "`load_state_dict` copies every saved tensor into the parameter of the "
            "same name: does anything random remain?",
        )


_KEYS_HINT = (
    "The keys of a state_dict are the attribute names of the module: what is the "
    "layer called in `RenamedNet`?"
)


@question(
    PAGE,
    2,
    hint=(
        "Read the message: it names the keys the model is missing and the keys the "
        "file has that the model does not expect."
    ),
)
def renamed(rename_keys: object) -> None:
    """A function that turns the old file's state dict into one ``RenamedNet`` loads."""
    x = torch.tensor([[1.0, 2.0], [-0.5, 3.0]])
    for seed in (0, 1):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            trained = _Net()
        old = {name: value.clone() for name, value in trained.state_dict().items()}
        new = call_answer(rename_keys, old, name="rename_keys")
        if not isinstance(new, Mapping):
            raise Wrong(
                f"`rename_keys` returned {describe(new)}; it should return a dict "
                "of tensors, a state_dict."
            )
        wanted = set(_RenamedNet().state_dict())
        keys = {str(key) for key in new}
        if keys == set(trained.state_dict()):
            raise Wrong("`rename_keys` returned the old keys: the load still fails.", _KEYS_HINT)
        if keys != wanted:
            missing = sorted(wanted - keys)
            unexpected = sorted(keys - wanted)
            found = "; ".join(
                part
                for part in [
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unexpected {', '.join(unexpected)}" if unexpected else "",
                ]
                if part
            )
            raise Wrong(
                f"A strict load of its result still fails: {found}.",
                "Compare your keys with those of `RenamedNet().state_dict()`: each must "
                "match one of them exactly.",
            )
        model = _RenamedNet()
        try:
            model.load_state_dict(dict(new))
        except (RuntimeError, TypeError, AttributeError) as error:
            first = str(error).strip().splitlines()[0][:120]
            raise Wrong(f"Loading its result fails: {first}") from None
        if tensor_problem(model(x), trained(x), "out") is not None:
            raise Wrong(
                "The keys are right, but the loaded model does not compute what the "
                "trained one does: are the values the saved ones?",
                "Keep each saved tensor; change only its name.",
            )


@question(
    PAGE,
    3,
    hint=(
        "`weights_only=True` refuses a file that names a class to build. For a file "
        "you made yourself, load it once without that protection, and keep only what "
        "loads safely."
    ),
)
def whole_model(weights: object, *, trained: nn.Module) -> None:
    """The trained weights, as a state dict, got back from a file holding the module."""
    if isinstance(weights, nn.Module):
        raise Wrong(
            "`weights` is the whole module; the question asks for its weights, in a "
            "form that loads with `weights_only=True`.",
            "Every module has a method that returns its parameters and buffers by name.",
        )
    if not isinstance(weights, Mapping):
        raise Wrong(f"`weights` is {describe(weights)}; it should be a state_dict.")
    expected = trained.state_dict()
    if {str(key) for key in weights} != set(expected):
        raise Wrong(
            "`weights` does not have the keys of the trained model's state_dict.",
            "Take the state_dict of the module that the file holds.",
        )
    for key, value in expected.items():
        if tensor_problem(weights[key], value, "w") is not None:
            raise Wrong(
                f"`weights[{key!r}]` is not the trained model's tensor.",
                "Load the file the page saved, rather than building a new model.",
            )
    buffer = io.BytesIO()
    torch.save(dict(weights), buffer)
    buffer.seek(0)
    try:
        torch.load(buffer, weights_only=True)
    except Exception:
        raise Wrong(
            "`weights` holds objects that `torch.load(..., weights_only=True)` refuses.",
            "Keep only tensors, in a plain dict: a state_dict.",
        ) from None
