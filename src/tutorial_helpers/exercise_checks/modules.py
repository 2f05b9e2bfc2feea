"""Checkers of ``docs/exercises/modules.md``: what a module registers, and what learns."""

from __future__ import annotations

import copy
import math

import torch
from torch import nn

from tutorial_helpers.exercises import (
    Wrong,
    as_bool,
    as_number,
    call_answer,
    describe,
    predictions,
    question,
    wrong_predictions,
)

PAGE = "modules"

#: What "learns y = 3x" means here: the page's loop takes the loss below this.
LEARNED_LOSS = 1e-3


def _train(model: nn.Module, steps: int = 60) -> list[float]:
    """The page's training loop: SGD, lr 0.2, towards y = 3x on 20 points."""
    x = torch.linspace(-1, 1, 20)
    y = 3 * x
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
    losses = []
    for _ in range(steps):
        loss = ((model(x) - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def _module(value: object, name: str) -> nn.Module:
    """The reader's module: an instance (copied), or a class (instantiated)."""
    if isinstance(value, type) and issubclass(value, nn.Module):
        made = call_answer(value, name=name)
        assert isinstance(made, nn.Module)
        return made
    if isinstance(value, nn.Module):
        return copy.deepcopy(value)
    raise Wrong(
        f"`{name}` is {describe(value)}; it should be a module (an instance of a "
        "subclass of `nn.Module`), or its class.",
    )


def _unregistered(model: nn.Module) -> list[str]:
    """Tensor attributes that require grad but are not parameters."""
    return [
        name
        for name, value in vars(model).items()
        if isinstance(value, torch.Tensor)
        and not isinstance(value, nn.Parameter)
        and value.requires_grad
    ]


@question(
    PAGE,
    1,
    hint=(
        "An optimizer updates what `model.parameters()` yields. Which attributes "
        "of `Scale` does it yield?"
    ),
)
def scale_that_learns(fixed: object) -> None:
    """A version of ``Scale`` whose ``scale`` learns (a module or its class)."""
    model = _module(fixed, "fixed")
    names = [name for name, _ in model.named_parameters()]
    if not names:
        raise Wrong("`fixed` has no parameters at all: nothing in it can learn.")
    losses = call_answer(lambda: _train(model), name="fixed")
    assert isinstance(losses, list)
    if not losses[-1] < LEARNED_LOSS:
        unregistered = _unregistered(model)
        buffers = [name for name, _ in model.named_buffers()]
        if unregistered:
            hint = (
                f"`{unregistered[0]}` requires grad, but it is a plain tensor "
                "attribute: is it among the parameters?"
            )
        elif buffers:
            hint = (
                f"`{buffers[0]}` is a buffer: saved with the module, but does an "
                "optimizer ever see it?"
            )
        else:
            hint = None
        listed = ", ".join(f"`{name}`" for name in names)
        raise Wrong(
            f"`fixed` does not learn y = 3x: after {len(losses)} steps of the page's loop "
            f"its loss is still {losses[-1]:.3g}. Its parameters: {listed}.",
            hint,
        )


def _mlp() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))


@question(
    PAGE,
    2,
    hint=(
        "`nn.Linear(n_in, n_out)` holds a weight matrix and a bias vector; work out "
        "the size of each, for each layer."
    ),
)
def learnable_numbers(count: object) -> None:
    """How many learnable numbers ``mlp`` holds."""
    said = as_number(count, "count")
    if not math.isfinite(said) or said != int(said):
        raise Wrong("`count` is not a whole number: it counts numbers.")
    mlp = _mlp()
    total = sum(p.numel() for p in mlp.parameters())
    weights = sum(p.numel() for name, p in mlp.named_parameters() if name.endswith("weight"))
    if said == total:
        return
    if said == weights:
        hint = "Did you count the biases? A linear layer has one per output."
    elif said == total - weights:
        hint = "Did you count the weights? A linear layer has one per input and output pair."
    else:
        hint = None
    raise Wrong(f"`count` is {int(said)}, which is not the number of learnable numbers.", hint)


_FREEZE_KEYS = ["0.weight", "0.bias", "2.weight", "2.bias"]


def _changed_by_one_step() -> dict[str, bool]:
    """The page's experiment, on a fresh model: which parameters one SGD step changes."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        mlp = _mlp()
    for parameter in mlp[0].parameters():
        parameter.requires_grad_(False)
    before = {name: p.detach().clone() for name, p in mlp.named_parameters()}
    optimizer = torch.optim.SGD(mlp.parameters(), lr=0.1)
    mlp(torch.ones(5, 3)).pow(2).mean().backward()
    optimizer.step()
    return {name: not torch.equal(p, before[name]) for name, p in mlp.named_parameters()}


@question(
    PAGE,
    3,
    hint=(
        "Follow one parameter through `backward()` and `optimizer.step()`: does it "
        "get a `.grad`, and what does the step do without one?"
    ),
)
def freezing_a_layer(changed: object) -> None:
    """Which of the four parameters one optimizer step changes."""
    said = predictions(changed, _FREEZE_KEYS, "changed", as_bool)
    frozen = (
        "A parameter with `requires_grad=False` gets no `.grad` from backward: what "
        "does SGD do with a parameter whose `.grad` is None?"
    )
    trained = (
        "The second layer still requires grad: does backward fill its `.grad`, and "
        "does the step use it?"
    )
    hints = {key: frozen if key.startswith("0.") else trained for key in _FREEZE_KEYS}
    wrong_predictions(said, _changed_by_one_step(), hints)
