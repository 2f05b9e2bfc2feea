"""Checkers of ``docs/exercises/devices.md``: where tensors and modules live.

They use the meta device, which every machine has, and the device that
:func:`tutorial_helpers.choose_device` picks, as the page does.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from tutorial_helpers.devices import choose_device
from tutorial_helpers.exercises import (
    NotAnswered,
    Wrong,
    as_bool,
    as_device,
    behaves_like,
    predictions,
    question,
    wrong_predictions,
)

PAGE = "devices"


@question(
    PAGE,
    1,
    hint=("Look at what each `.to()` returns, and whether anything keeps what it returned."),
)
def to_on_tensor_and_module(t_device: object, weight_device: object) -> None:
    """Where ``t`` and ``model.weight`` are after ``t.to("meta")`` and ``model.to("meta")``."""
    for name, value in [("t_device", t_device), ("weight_device", weight_device)]:
        if value is Ellipsis:
            raise NotAnswered(f"`{name}` is still `...`.")
    said_t = as_device(t_device, "t_device")
    said_weight = as_device(weight_device, "weight_device")
    t = torch.ones(2)
    t.to("meta")
    model = torch.nn.Linear(2, 2)
    model.to("meta")
    if said_t.type != t.device.type:
        raise Wrong(
            "`t_device` is not right.",
            "`Tensor.to` returns a tensor: what happened to the one it returned here?",
        )
    if said_weight.type != model.weight.device.type:
        raise Wrong(
            "`weight_device` is not right.",
            "What does `Module.to` do to the module it is called on, as opposed to `Tensor.to`?",
        )


def _run_model(model: torch.nn.Module, batch: torch.Tensor) -> torch.Tensor:
    output: torch.Tensor = model(batch.to(next(model.parameters()).device))
    return output


def _model_cases() -> list[tuple[object, ...]]:
    torch_generator = torch.Generator().manual_seed(22)
    batch = torch.randn(4, 3, generator=torch_generator)
    devices = ["meta", "cpu"]
    chosen = choose_device()
    if chosen.type != "cpu":
        devices.append(str(chosen))
    cases: list[tuple[object, ...]] = []
    for device in devices:
        model = torch.nn.Linear(3, 2)
        cases.append((model.to(device), batch))
    return cases


def _diagnose_device(result: object, model: torch.nn.Module, batch: torch.Tensor) -> str | None:
    model_device = next(model.parameters()).device
    if isinstance(result, torch.Tensor) and result.device.type != model_device.type:
        return (
            f"For a model on {model_device.type}, the result is on {result.device.type}: "
            "the function must work for a model on any device. Where can it read the "
            "model's device from?"
        )
    return None


_LEAVE_THE_MODEL = (
    "Leave the model where it is: move the data to the model, batch by batch, not "
    "the model to the data."
)


def _explain_device(error: Exception) -> str | None:
    if "Cannot copy out of meta tensor" in str(error):
        return _LEAVE_THE_MODEL
    if "device" in str(error):
        return (
            "All the tensors of an operation must be on one device, and PyTorch never "
            "copies them for you. Which one can move cheaply?"
        )
    return None


@question(
    PAGE,
    2,
    hint=(
        "Read the message: which two devices does it name? The model stays where it "
        "is; something else must join it."
    ),
)
def batch_on_wrong_device(run_model: object) -> None:
    """A function that runs ``model`` on ``batch``, wherever the model is."""
    worked_on: list[str] = []
    for model, batch in _model_cases():
        assert isinstance(model, torch.nn.Module)
        device = next(model.parameters()).device
        try:
            behaves_like(
                run_model,
                _run_model,
                [(model, batch)],
                name="run_model",
                diagnose=_diagnose_device,
                explain=_explain_device,
                on_change=_LEAVE_THE_MODEL,
            )
        except Wrong as wrong:
            if worked_on and wrong.hint != _LEAVE_THE_MODEL:
                raise Wrong(
                    f"`run_model` works for a model on {worked_on[0]}, not for a model on "
                    f"{device.type}: {wrong.message[:1].lower()}{wrong.message[1:]}",
                    "The function must work for a model on any device: where can it "
                    "read the model's device from?",
                ) from None
            raise
        worked_on.append(device.type)


_MIXED: dict[str, tuple[Callable[[torch.Tensor], torch.Tensor], str]] = {
    "on_meta * torch.tensor(3.0)": (
        lambda on_meta: on_meta * torch.tensor(3.0),
        "A tensor with zero dimensions holds one number: is it treated like a "
        "tensor of many numbers, or like a Python number?",
    ),
    "on_meta + torch.ones(2)": (
        lambda on_meta: on_meta + torch.ones(2),
        "Would PyTorch copy a tensor of many numbers between devices for you?",
    ),
}


def _runs(make: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor | None:
    try:
        return make(torch.ones(2, device="meta"))
    except RuntimeError:
        return None


@question(
    PAGE,
    3,
    hint=(
        "The operands of an operation must be on one device, with one exception. "
        "Which of the two CPU tensors could PyTorch treat differently, and why?"
    ),
)
def one_exception(works: object, result_device: object) -> None:
    """Which of two mixed-device lines works, and where its result lives."""
    said_works = predictions(works, list(_MIXED), "works", as_bool)
    truth = {key: _runs(make) is not None for key, (make, _) in _MIXED.items()}
    wrong_predictions(said_works, truth, {key: hint for key, (_, hint) in _MIXED.items()})
    said_device = as_device(result_device, "result_device")
    results = [result for make, _ in _MIXED.values() if (result := _runs(make)) is not None]
    if said_device.type != results[0].device.type:
        raise Wrong(
            "`result_device` is not right.",
            "The 0-d tensor is used like a number: on which device is the other operand?",
        )
