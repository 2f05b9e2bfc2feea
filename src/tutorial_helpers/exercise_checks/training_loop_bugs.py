"""Checkers of ``docs/exercises/training-loop-bugs.md``: the model, the loop, the evaluation.

The page's three functions are each tried on a small problem of the checker's
own, on the device :func:`tutorial_helpers.choose_device` picks (the page's
device), so the reader's code may move its batches there as the page does.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tutorial_helpers.devices import choose_device
from tutorial_helpers.exercises import (
    NotAnswered,
    Wrong,
    as_number,
    call_answer,
    describe,
    number_problem,
    question,
)

PAGE = "training-loop-bugs"


def _device_of(model: nn.Module) -> torch.device:
    parameter = next(model.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")


def _check_make_model(make_model: object) -> str | None:
    model = call_answer(make_model, name="make_model")
    if not isinstance(model, nn.Module):
        raise Wrong(f"`make_model` returned {describe(model)}; it should return a module.")
    if not any(p.requires_grad for p in model.parameters()):
        raise Wrong("The model has no parameter to learn.")
    model.eval()
    images = torch.rand(16, 64, generator=torch.Generator().manual_seed(22))
    with torch.no_grad():
        scores = call_answer(model, images.to(_device_of(model)), name="make_model()")
    if not isinstance(scores, torch.Tensor) or scores.shape != (16, 10):
        raise Wrong(
            f"For 16 images of 64 pixels, the model returns {describe(scores)}; it "
            "should return 10 scores per image, shape (16, 10)."
        )
    scores = scores.float().cpu()
    between_0_and_1 = bool(((scores >= 0) & (scores <= 1)).all())
    if between_0_and_1 and torch.allclose(scores.sum(dim=1), torch.ones(16), atol=1e-4):
        raise Wrong(
            "The model still outputs probabilities: every row adds up to 1.",
            "`CrossEntropyLoss` applies log-softmax itself. What should the model hand it?",
        )
    if between_0_and_1:
        raise Wrong(
            "The model squeezes its scores between 0 and 1.",
            "`CrossEntropyLoss` wants raw, unbounded scores (logits).",
        )
    if torch.allclose(scores.logsumexp(dim=1), torch.zeros(16), atol=1e-4):
        return (
            "The model ends with a log-softmax: harmless with `CrossEntropyLoss`, whose "
            "own log-softmax then changes nothing, but not needed."
        )
    return None


def _tiny_problem(device: torch.device) -> tuple[nn.Module, DataLoader[tuple[torch.Tensor, ...]]]:
    generator = torch.Generator().manual_seed(22)
    features = torch.randn(16, 8, generator=generator)
    labels = torch.randint(0, 3, (16,), generator=generator)
    loader = DataLoader(TensorDataset(features, labels), batch_size=4, shuffle=False)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(22)
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3)).to(device)
    return model, loader


def _gradient(
    model: nn.Module,
    parameters: dict[str, torch.Tensor],
    batch: tuple[torch.Tensor, torch.Tensor],
    device: torch.device,
) -> dict[str, torch.Tensor]:
    """The gradient of one batch's loss, at the given parameters."""
    inputs = {name: value.detach().clone().requires_grad_() for name, value in parameters.items()}
    x, y = batch[0].to(device), batch[1].to(device)
    output = torch.func.functional_call(model, inputs, (x,))
    loss = nn.functional.cross_entropy(output, y)
    grads = torch.autograd.grad(loss, list(inputs.values()))
    return dict(zip(inputs, grads, strict=True))


def _check_train_one_epoch(train_one_epoch: object) -> None:
    device = choose_device()
    model, loader = _tiny_problem(device)
    reference = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    steps: list[tuple[dict[str, torch.Tensor], dict[str, torch.Tensor | None]]] = []
    modes: list[bool] = []
    losses: list[float] = []

    def before_step(*_: object) -> None:
        steps.append(
            (
                {name: p.detach().clone() for name, p in model.named_parameters()},
                {
                    name: None if p.grad is None else p.grad.detach().clone()
                    for name, p in model.named_parameters()
                },
            )
        )

    def loss_function(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        loss = nn.functional.cross_entropy(output, target)
        losses.append(loss.item())
        return loss

    optimizer.register_step_pre_hook(before_step)
    model.register_forward_pre_hook(lambda module, args: modes.append(module.training))
    model.eval()  # as an evaluation leaves it: the epoch must switch training back on
    returned = call_answer(
        train_one_epoch, model, loader, optimizer, loss_function, name="train_one_epoch"
    )
    batches = list(loader)
    if len(steps) != len(batches):
        raise Wrong(
            f"`train_one_epoch` took {len(steps)} optimizer steps for {len(batches)} "
            "batches; it should take one step per batch.",
            "One `optimizer.step()` per batch, after that batch's `backward()`.",
        )
    if not all(modes):
        raise Wrong(
            "`train_one_epoch` ran the model in evaluation mode (dropout off) when it "
            "was given a model that an evaluation had left in that mode.",
            "The evaluation switches the model to eval mode: what must an epoch of "
            "training do first?",
        )
    fresh = [
        _gradient(reference, parameters, batch, device)
        for (parameters, _), batch in zip(steps, batches, strict=True)
    ]
    for index, ((_, used), right) in enumerate(zip(steps, fresh, strict=True)):
        if any(grad is None for grad in used.values()):
            raise Wrong(
                f"At step {index + 1} the parameters had no gradient: the step did nothing.",
                "Where does `zero_grad()` go: before `backward()`, or between "
                "`backward()` and `step()`?",
            )
        if all(torch.allclose(used[n], right[n], rtol=1e-4, atol=1e-6) for n in right):  # type: ignore[arg-type]
            continue
        piled = {n: sum(f[n] for f in fresh[: index + 1]) for n in right}
        if all(torch.allclose(used[n], piled[n], rtol=1e-4, atol=1e-6) for n in right):  # type: ignore[arg-type]
            hint = (
                "`backward()` adds to `.grad`: each step used the gradients of every "
                "batch so far. How often must they be cleared?"
            )
        else:
            hint = None
        raise Wrong(
            f"At step {index + 1}, the gradient the optimizer used is not that batch's gradient.",
            hint,
        )
    mean = sum(losses) / len(losses) if losses else float("nan")
    said = as_number(returned, "what `train_one_epoch` returns")
    if number_problem(said, mean, "s", rel_tol=1e-4) is not None:
        raise Wrong(
            "`train_one_epoch` should return the epoch's mean training loss.",
            "Add up each batch's `loss.item()` weighted by its size, and divide by the "
            "number of examples.",
        )


def _check_evaluate(evaluate: object) -> None:
    device = choose_device()
    generator = torch.Generator().manual_seed(22)
    images = torch.randn(400, 8, generator=generator).to(device)
    labels = torch.randint(0, 3, (400,), generator=generator).to(device)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(22)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(64, 3)).to(
            device
        )
    model.eval()
    with torch.no_grad():
        right = (model(images).argmax(dim=1) == labels).float().mean().item()
    results = []
    for _ in range(3):
        model.train()  # as training leaves it
        copy_ = copy.deepcopy(model)
        results.append(
            as_number(
                call_answer(evaluate, copy_, images, labels, name="evaluate"),
                "what `evaluate` returns",
            )
        )
    if len(set(results)) > 1:
        raise Wrong(
            "Three evaluations of one and the same model gave different accuracies.",
            "Something in the model still behaves randomly: which mode is it in while "
            "it is evaluated?",
        )
    if math.isclose(results[0], 100 * right, rel_tol=1e-5):
        raise Wrong(
            "`evaluate` returns a percentage; it should return the accuracy as a "
            "fraction between 0 and 1, as the page does."
        )
    if number_problem(results[0], right, "s") is not None:
        raise Wrong(
            "`evaluate` does not return the fraction of images whose best-scoring "
            "class is their label."
        )


_PARTS: dict[str, Callable[[object], str | None]] = {
    "make_model": _check_make_model,
    "train_one_epoch": lambda f: _check_train_one_epoch(f),
    "evaluate": lambda f: _check_evaluate(f),
}


@question(
    PAGE,
    1,
    hint=(
        "Each bug is a mistake that a tutorial of the Building and training section "
        "warns about: compare the model, the loop and the evaluation with the "
        "tutorial's."
    ),
)
def three_bugs(make_model: object, train_one_epoch: object, evaluate: object) -> str | None:
    """The model, one epoch of training and the evaluation, each with its bug fixed."""
    answers = {"make_model": make_model, "train_one_epoch": train_one_epoch, "evaluate": evaluate}
    unanswered: list[str] = []
    wrong: list[tuple[str, Wrong]] = []
    notes: list[str] = []
    for name, check_part in _PARTS.items():
        try:
            note = check_part(answers[name])
        except NotAnswered:
            unanswered.append(name)
        except Wrong as found:
            wrong.append((name, found))
        else:
            if note:
                notes.append(note)
    if wrong:
        name, first = wrong[0]
        fixed = len(_PARTS) - len(wrong) - len(unanswered)
        count = f"{fixed} of the 3 parts {'is' if fixed == 1 else 'are'} right"
        detail = (
            first.message
            if first.message.startswith(f"`{name}`")
            else f"In `{name}`, {first.message[:1].lower()}{first.message[1:]}"
        )
        raise Wrong(f"{count}. {detail}", first.hint)
    if unanswered:
        names = ", ".join(f"`{n}`" for n in unanswered[:-1])
        names = f"{names} and `{unanswered[-1]}`" if names else f"`{unanswered[-1]}`"
        verb = "returns" if len(unanswered) == 1 else "return"
        bodies = "its body" if len(unanswered) == 1 else "their bodies"
        raise NotAnswered(f"{names} still {verb} `...`: write {bodies}.")
    return " ".join(notes) or None


@question(
    PAGE,
    "further",
    hint=(
        "What is the best answer the model can give, and what loss does "
        "`CrossEntropyLoss` compute from the softmax of it?"
    ),
)
def loss_floor(floor: object) -> None:
    """The lowest loss the doubled softmax allows, computed exactly."""
    said = as_number(floor, "floor")
    one_hot = torch.zeros(1, 10)
    one_hot[0, 3] = 1.0
    right = nn.CrossEntropyLoss()(one_hot, torch.tensor([3])).item()
    if number_problem(said, right, "`floor`", rel_tol=1e-5) is None:
        return
    if abs(said - right) < 0.006:
        raise Wrong(
            "`floor` is the rounded number from the text; compute it exactly.",
            "Write the loss of a perfect one-hot answer with `math.log` and `math.e`.",
        )
    raise Wrong(
        f"`floor` is {said:g}, which is not the lowest loss.",
        "The best the model can give is a one-hot answer, 1 for the right digit and 0 "
        "for the others: what loss does `CrossEntropyLoss` compute from it?",
    )
