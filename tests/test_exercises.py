"""The checkers of the exercises: right answers pass, wrong ones get their own hint.

For every question of ``docs/exercises/*.md`` (``CASES`` below): the page's
solution is accepted, and so are other right answers (another way to write the
function, another correct reduction, another spelling of the value); typical
wrong answers are rejected, each with a hint of its own that names the idea
(``hint`` is a piece of it) and never shows the solution (``secrets``); the
untouched attempt is "not answered yet". Then every question is fed values a
reader may type by mistake: each gets feedback, never a traceback, and never
the checker's own "could not be checked".

That the pages call these checks, twice each, is checked here on the sources;
that the built pages and the downloaded notebooks show what they should is
tests/test_built_site.py's and tests/test_downloads.py's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from site_paths import DOCS
from torch import nn

from tutorial_helpers import exercises
from tutorial_helpers.exercises import WIDTH, Feedback, Status, check, questions

PAGES = sorted(p.stem for p in (DOCS / "exercises").glob("*.md") if p.stem != "index")


@dataclass
class Case:
    """One question: its untouched attempt, its solution, other right and wrong answers."""

    untouched: tuple[Any, ...]
    solution: tuple[Any, ...]
    also_right: list[tuple[Any, ...]]
    #: (answers, a piece of the hint that names the mistake)
    wrong: list[tuple[tuple[Any, ...], str]]
    #: Text of the solution that no feedback on a wrong answer may contain.
    secrets: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)


def placeholder(*_: object) -> object:
    """An attempt cell's function, untouched: ``return ...``."""
    return ...


# -- the pages' solutions and the answers a reader may give ----------------------------

GRID_VIEWS = {
    "grid[1:, ::2]": True,
    "grid.T": True,
    "grid.T.reshape(12)": False,
    "grid[grid % 2 == 0]": False,
    "grid.view(4, 3)": True,
    "grid[:, [0]]": False,
}
STRIDES = {"grid": (4, 1), "grid.T": (1, 4), "grid[:, ::2]": (4, 2)}
CONTIGUOUS = {"grid": True, "grid.T": False, "grid[:, ::2]": False}


def by_indexing(scores: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return scores[torch.arange(len(labels)), labels]


def by_gather(scores: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return scores.gather(1, labels[:, None]).squeeze(1)


def by_one_hot(scores: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return (scores * F.one_hot(labels, scores.shape[1])).sum(dim=1)


def run_layer(layer: nn.Module, features: np.ndarray) -> torch.Tensor:
    return layer(torch.as_tensor(features, dtype=torch.float32))


def run_model(model: nn.Module, batch: torch.Tensor) -> torch.Tensor:
    return model(batch.to(next(model.parameters()).device))


class Scale(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = torch.tensor(1.0, requires_grad=True)
        self.shift = nn.Parameter(torch.tensor(0.0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.scale * x + self.shift


class FixedScale(Scale):
    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(1.0))


class LinearScale(nn.Module):
    """Another right answer: the same function as a 1-to-1 linear layer."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x[:, None])[:, 0]


class BufferScale(Scale):
    def __init__(self) -> None:
        super().__init__()
        del self.scale
        self.register_buffer("scale", torch.tensor(1.0))


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layer = nn.Linear(2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layer(x)


def f(x: torch.Tensor) -> torch.Tensor:
    return x**3 + 3 * x**2 - 5 * x + 4


def g(x: torch.Tensor) -> torch.Tensor:
    return x**2


def tangent_slopes(at: float) -> tuple[float, float]:
    x = torch.tensor(at).requires_grad_()
    f(x).backward()
    slope_f = x.grad.item()
    x.grad.zero_()
    g(x).backward()
    return slope_f, x.grad.item()


def tangent_slopes_set_to_none(at: float) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.tensor(at, requires_grad=True)
    f(x).backward()
    slope_f = x.grad
    x.grad = None  # a new tensor for g's slope: slope_f keeps f's
    g(x).backward()
    return slope_f, x.grad


def tangent_slopes_autograd_grad(at: float) -> list[float]:
    x = torch.tensor(at, requires_grad=True)
    return [torch.autograd.grad(h(x), x)[0].item() for h in (f, g)]


def tangent_slopes_piled_up(at: float) -> tuple[float, float]:
    x = torch.tensor(at, requires_grad=True)
    f(x).backward()
    slope_f = x.grad.item()
    g(x).backward()
    return slope_f, x.grad.item()


def tangent_slopes_shared_tensor(at: float) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.tensor(at, requires_grad=True)
    f(x).backward()
    slope_f = x.grad  # the very tensor that zero_() empties next
    x.grad.zero_()
    g(x).backward()
    return slope_f, x.grad


def make_model() -> nn.Module:
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(128, 10))


def make_model_log_softmax() -> nn.Module:
    return nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10), nn.LogSoftmax(dim=1))


def make_model_softmax() -> nn.Module:
    return nn.Sequential(make_model(), nn.Softmax(dim=1))


def make_model_sigmoid() -> nn.Module:
    return nn.Sequential(make_model(), nn.Sigmoid())


def train_one_epoch(model: nn.Module, loader: Any, optimizer: Any, loss_function: Any) -> float:
    model.train()
    device = next(model.parameters()).device
    total = 0.0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = loss_function(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def train_one_epoch_set_to_none(
    model: nn.Module, loader: Any, optimizer: Any, loss_function: Any
) -> float:
    """Another right answer: the gradients cleared after each step, the mean of batch means."""
    model.train(True)
    losses = []
    for x, y in loader:
        device = next(model.parameters()).device
        loss = loss_function(model(x.to(device)), y.to(device))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
    return sum(losses) / len(losses)


def train_once_per_epoch(
    model: nn.Module, loader: Any, optimizer: Any, loss_function: Any
) -> float:
    model.train()
    optimizer.zero_grad()
    total = 0.0
    for x, y in loader:
        loss = loss_function(model(x.to(next(model.parameters()).device)), y.to(x.device))
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def train_zero_grad_too_late(
    model: nn.Module, loader: Any, optimizer: Any, loss_function: Any
) -> float:
    model.train()
    total = 0.0
    for x, y in loader:
        loss = loss_function(model(x), y)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def train_without_train_mode(
    model: nn.Module, loader: Any, optimizer: Any, loss_function: Any
) -> float:
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_function(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    model.eval()
    with torch.inference_mode():
        right = model(images).argmax(dim=1) == labels
    return right.float().mean().item()


def evaluate_as_tensor(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> Any:
    model.train(False)
    with torch.no_grad():
        return (model(images).max(dim=1).indices == labels).sum() / len(labels)


def evaluate_in_train_mode(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    with torch.no_grad():
        return (model(images).argmax(dim=1) == labels).float().mean().item()


def evaluate_percent(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    return 100 * evaluate(model, images, labels)


def raises(*_: object) -> object:
    raise ValueError("the reader's own mistake")


TRAINED = Net()

CASES: dict[tuple[str, str], Case] = {
    ("tensor-shapes", "1"): Case(
        untouched=(..., ..., ...),
        solution=(2, (3, 1), torch.float32),
        also_right=[(2, [3, 1], "float32"), (2.0, torch.Size([3, 1]), "torch.float32")],
        wrong=[
            ((1, (3,), torch.float32), "brackets nest"),
            ((2, (1, 3), torch.float32), "wrong order"),
            ((2, (3, 1), torch.float64), "default floating-point type"),
            ((2, (3, 1), torch.int64), "decimal point"),
        ],
        secrets=["(3, 1)", "float32"],
    ),
    ("tensor-shapes", "2"): Case(
        untouched=(..., ..., ...),
        solution=(3, (2, 2, 3), torch.int64),
        also_right=[(3, [2, 2, 3], "int64"), (3, torch.Size([2, 2, 3]), np.int64)],
        wrong=[
            ((3, (2, 3, 2), torch.int64), "first length counts"),
            ((3, (2, 2, 3), torch.int32), "default integer type"),
            ((2, (2, 3), torch.int64), "brackets nest"),
        ],
        secrets=["(2, 2, 3)", "int64"],
    ),
    ("tensor-shapes", "3"): Case(
        untouched=(..., ...),
        solution=(torch.tensor([0, 2, 1]), torch.tensor([0, 2, 1], dtype=torch.float32)),
        also_right=[
            (torch.tensor([0, 2, 1], dtype=torch.long), torch.tensor([0.0, 2.0, 1.0])),
            (torch.as_tensor(np.array([0, 2, 1])), torch.tensor([0, 2, 1]).float()),
        ],
        wrong=[
            (
                (torch.tensor([0, 2, 1], dtype=torch.int32), torch.tensor([0.0, 2.0, 1.0])),
                "default integer type",
            ),
            (
                (torch.tensor([0, 2, 1]), torch.tensor([0, 2, 1], dtype=torch.float64)),
                "32-bit floats",
            ),
            ((torch.tensor([0, 2, 1]), torch.tensor([0, 2, 1])), "floating-point numbers"),
            ((torch.tensor([[0, 2, 1]]), torch.tensor([0.0, 2.0, 1.0])), "flat list"),
        ],
        secrets=["dtype=torch.float32", "should be torch"],
    ),
    ("tensor-views", "1"): Case(
        untouched=(dict.fromkeys(GRID_VIEWS, ...),),
        solution=(GRID_VIEWS,),
        also_right=[
            ({key.replace(" ", ""): value for key, value in GRID_VIEWS.items()},),
            ({key: np.bool_(value) for key, value in GRID_VIEWS.items()},),
        ],
        wrong=[
            (({**GRID_VIEWS, "grid[:, [0]]": True},), "advanced indexing"),
            (({**GRID_VIEWS, "grid.T.reshape(12)": True},), "in what order"),
            (({**GRID_VIEWS, "grid[grid % 2 == 0]": True},), "A mask may pick"),
            (({**GRID_VIEWS, "grid.T": False},), "`.T` change"),
        ],
        secrets=["grid[1:, ::2]", "grid.view(4, 3)", "grid[:, [0]]", "grid.T.reshape(12)"],
    ),
    ("tensor-views", "2"): Case(
        untouched=(dict.fromkeys(STRIDES, ...), dict.fromkeys(STRIDES, ...)),
        solution=(STRIDES, CONTIGUOUS),
        also_right=[
            ({key: list(value) for key, value in STRIDES.items()}, CONTIGUOUS),
            (
                {key: torch.Size(value) for key, value in STRIDES.items()},
                {key: torch.tensor(value) for key, value in CONTIGUOUS.items()},
            ),
        ],
        wrong=[
            (({**STRIDES, "grid": (32, 8)}, CONTIGUOUS), "not bytes"),
            (({**STRIDES, "grid.T": (4, 1)}, CONTIGUOUS), "`.T` moves no number"),
            (({**STRIDES, "grid[:, ::2]": (4, 1)}, CONTIGUOUS), "every other element"),
            (({**STRIDES, "grid": (1, 4)}, CONTIGUOUS), "first stride is the step"),
            ((STRIDES, {**CONTIGUOUS, "grid[:, ::2]": True}), "one element at a time"),
        ],
        secrets=["(4, 1)", "(1, 4)", "(4, 2)"],
    ),
    ("tensor-views", "3"): Case(
        untouched=(placeholder,),
        solution=(lambda counts: counts / counts.sum(dim=1, keepdim=True),),
        also_right=[
            (lambda counts: counts / counts.sum(dim=1)[:, None],),
            (lambda counts: (counts.T / counts.sum(dim=1)).T,),
            (lambda counts: F.normalize(counts, p=1, dim=1),),
        ],
        wrong=[
            ((lambda counts: counts / counts.sum(dim=1),), "Broadcasting lines shapes up"),
            ((lambda counts: counts / counts.sum(dim=0),), "Every column adds up"),
            ((lambda counts: counts / counts.sum(),), "its own sum"),
            ((lambda counts: counts.div_(counts.sum(dim=1, keepdim=True)),), "leave the arguments"),
        ],
        secrets=["keepdim"],
    ),
    ("tensor-views", "4"): Case(
        untouched=(placeholder, placeholder),
        solution=(by_indexing, by_gather),
        also_right=[
            (by_one_hot, by_gather),
            (
                lambda s, labels: s[range(len(labels)), labels.tolist()],
                lambda s, labels: torch.gather(s, 1, labels.unsqueeze(1))[:, 0],
            ),
        ],
        wrong=[
            ((by_indexing, lambda s, labels: s.gather(1, labels[:, None])), "remove the extra one"),
            ((by_indexing, lambda s, labels: s.gather(1, labels)), "as many dimensions"),
            ((lambda s, labels: s[:, labels], by_gather), "every row with every label"),
            ((lambda s, labels: s.max(dim=1).values, by_gather), "best score"),
            ((by_gather, by_gather), "two ways"),
        ],
        secrets=["torch.arange", "labels[:, None]", "squeeze(1)"],
    ),
    ("numpy-sharing", "1"): Case(
        untouched=(
            dict.fromkeys(["from_numpy", "copied", "as_tensor"], ...),
            dict.fromkeys(["from_numpy", "copied", "as_tensor"], ...),
        ),
        solution=(
            {"from_numpy": 100.0, "copied": 1.0, "as_tensor": 100.0},
            dict.fromkeys(["from_numpy", "copied", "as_tensor"], torch.float64),
        ),
        also_right=[
            (
                {"from_numpy": 100, "copied": 1, "as_tensor": np.float64(100)},
                {"from_numpy": "float64", "copied": np.float64, "as_tensor": "torch.double"},
            ),
            (
                {"from_numpy": torch.tensor(100.0), "copied": 1.0, "as_tensor": 100.0},
                dict.fromkeys(["from_numpy", "copied", "as_tensor"], torch.double),
            ),
        ],
        wrong=[
            (
                (
                    {"from_numpy": 100.0, "copied": 100.0, "as_tensor": 100.0},
                    dict.fromkeys(["from_numpy", "copied", "as_tensor"], torch.float64),
                ),
                "ever read the array's memory",
            ),
            (
                (
                    {"from_numpy": 100.0, "copied": 1.0, "as_tensor": 1.0},
                    dict.fromkeys(["from_numpy", "copied", "as_tensor"], torch.float64),
                ),
                "copies only when it has to",
            ),
            (
                (
                    {"from_numpy": 100.0, "copied": 1.0, "as_tensor": 100.0},
                    dict.fromkeys(["from_numpy", "copied", "as_tensor"], torch.float32),
                ),
                "NumPy's default floating-point type",
            ),
        ],
        secrets=["float64", "100"],
    ),
    ("numpy-sharing", "2"): Case(
        untouched=(..., ...),
        solution=([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),
        also_right=[(np.array([2.0, 2.0, 2.0]), torch.full((3,), 2.0)), ([2, 2, 2], (2, 2, 2))],
        wrong=[
            (([1.0, 1.0, 1.0], [2.0, 2.0, 2.0]), "in place"),
            (([2.0, 2.0, 2.0], [3.0, 3.0, 3.0]), "points the name"),
        ],
        secrets=["[2.0, 2.0, 2.0]", "2, 2, 2"],
    ),
    ("numpy-sharing", "3"): Case(
        untouched=(placeholder,),
        solution=(run_layer,),
        also_right=[
            (lambda layer, features: layer(torch.from_numpy(features).float()),),
            (lambda layer, features: layer(torch.tensor(features, dtype=torch.float32)),),
            (lambda layer, features: layer(torch.from_numpy(features.astype(np.float32))),),
        ],
        wrong=[
            ((lambda layer, features: layer(torch.from_numpy(features)),), "64 bits"),
            ((lambda layer, features: layer(features),), "turn the array into one"),
            (
                (lambda layer, features: layer.double()(torch.from_numpy(features)),),
                "leave the layer as it is",
            ),
        ],
        secrets=["float32", ".float()"],
    ),
    ("devices", "1"): Case(
        untouched=(..., ...),
        solution=("cpu", "meta"),
        also_right=[
            (torch.device("cpu"), torch.device("meta")),
            ("cpu", torch.ones(1, device="meta").device),
        ],
        wrong=[
            (("meta", "meta"), "what happened to the one it"),
            (("cpu", "cpu"), "as opposed to"),
        ],
        secrets=["'cpu'", "'meta'"],
    ),
    ("devices", "2"): Case(
        untouched=(placeholder,),
        solution=(run_model,),
        also_right=[
            (lambda model, batch: model(batch.to(model.weight.device)),),
            (lambda model, batch: model(batch.to(next(model.parameters()))),),
        ],
        wrong=[
            ((lambda model, batch: model(batch),), "never copies"),
            ((lambda model, batch: model(batch.to("meta")),), "any device"),
            ((lambda model, batch: model.to(batch.device)(batch),), "Leave the model where it is"),
        ],
        secrets=["next(model.parameters())"],
    ),
    ("devices", "3"): Case(
        untouched=(
            dict.fromkeys(["on_meta * torch.tensor(3.0)", "on_meta + torch.ones(2)"], ...),
            ...,
        ),
        solution=({"on_meta * torch.tensor(3.0)": True, "on_meta + torch.ones(2)": False}, "meta"),
        also_right=[
            (
                {"on_meta*torch.tensor(3.0)": True, "on_meta+torch.ones(2)": False},
                torch.device("meta"),
            ),
            ({"on_meta * torch.tensor(3.0)": True, "on_meta + torch.ones(2)": False}, "meta:0"),
        ],
        wrong=[
            (
                ({"on_meta * torch.tensor(3.0)": False, "on_meta + torch.ones(2)": False}, "meta"),
                "zero dimensions",
            ),
            (
                ({"on_meta * torch.tensor(3.0)": True, "on_meta + torch.ones(2)": True}, "meta"),
                "copy a tensor of many numbers",
            ),
            (
                ({"on_meta * torch.tensor(3.0)": True, "on_meta + torch.ones(2)": False}, "cpu"),
                "other operand",
            ),
        ],
        secrets=["on_meta * torch", "on_meta + torch", "'meta'", "lives on meta"],
    ),
    ("modules", "1"): Case(
        untouched=(...,),
        solution=(FixedScale(),),
        also_right=[(FixedScale,), (LinearScale(),)],
        wrong=[((Scale(),), "plain tensor attribute"), ((BufferScale,), "is a buffer")],
        secrets=["nn.Parameter"],
    ),
    ("modules", "2"): Case(
        untouched=(...,),
        solution=(21,),
        also_right=[(21.0,), (np.int64(21),), (torch.tensor(21),)],
        wrong=[((16,), "count the biases"), ((5,), "count the weights"), ((21.5,), "whole number")],
        secrets=["21"],
    ),
    ("modules", "3"): Case(
        untouched=(dict.fromkeys(["0.weight", "0.bias", "2.weight", "2.bias"], ...),),
        solution=({"0.weight": False, "0.bias": False, "2.weight": True, "2.bias": True},),
        also_right=[
            ({"2.weight": True, "2.bias": True, "0.weight": False, "0.bias": False},),
            ({"0.weight": np.False_, "0.bias": False, "2.weight": True, "2.bias": np.True_},),
        ],
        wrong=[
            (
                ({"0.weight": True, "0.bias": True, "2.weight": True, "2.bias": True},),
                "requires_grad=False",
            ),
            (
                ({"0.weight": False, "0.bias": False, "2.weight": False, "2.bias": False},),
                "still requires grad",
            ),
        ],
        secrets=["0.weight", "0.bias", "2.weight", "2.bias"],
    ),
    ("saving", "1"): Case(
        untouched=(...,),
        solution=(True,),
        also_right=[(np.True_,), (torch.tensor(True),)],
        wrong=[((False,), "does anything random remain"), ((1,), "write True or False")],
        secrets=["are equal", "bit for bit"],
    ),
    ("saving", "2"): Case(
        untouched=(placeholder,),
        solution=(
            lambda state: {name.replace("layer.", "linear.", 1): v for name, v in state.items()},
        ),
        also_right=[
            (
                lambda state: {
                    "linear.weight": state["layer.weight"],
                    "linear.bias": state["layer.bias"],
                },
            ),
            (
                lambda state: {
                    f"linear.{name.split('.')[1]}": v.clone() for name, v in state.items()
                },
            ),
        ],
        wrong=[
            ((lambda state: state,), "attribute names"),
            (
                (lambda state: {name.replace("layer", "lin"): v for name, v in state.items()},),
                "strict load of its result still fails",
            ),
            (
                (lambda state: {f"linear.{k[6:]}": torch.randn_like(v) for k, v in state.items()},),
                "change only its name",
            ),
        ],
        secrets=["replace(", "layer.weight"],
    ),
    ("saving", "3"): Case(
        untouched=(...,),
        solution=(TRAINED.state_dict(),),
        also_right=[
            (dict(TRAINED.state_dict()),),
            ({name: value.clone() for name, value in TRAINED.named_parameters()},),
        ],
        wrong=[
            ((TRAINED,), "parameters and buffers by name"),
            ((Net().state_dict(),), "rather than building a new model"),
            (({"weight": TRAINED.layer.weight},), "module that the file holds"),
        ],
        secrets=["weights_only=False", "state_dict()"],
        context={"trained": TRAINED},
    ),
    ("autograd-zeroing", "1"): Case(
        untouched=(...,),
        solution=(-9.0,),
        also_right=[(-9,), (torch.tensor(-9.0),)],
        wrong=[((-4.0,), "true slope"), ((-5.0,), "f's slope"), ((-13,), "replace it")],
        secrets=["-9"],
    ),
    ("autograd-zeroing", "2"): Case(
        untouched=(placeholder,),
        solution=(tangent_slopes,),
        also_right=[(tangent_slopes_set_to_none,), (tangent_slopes_autograd_grad,)],
        wrong=[
            ((tangent_slopes_piled_up,), "still includes f's"),
            ((tangent_slopes_shared_tensor,), "one tensor twice"),
            ((lambda at: (3 * at**2 + 6 * at - 5, 2 * at + 1),), "happen to `x.grad` between"),
        ],
        secrets=["zero_()", "= None"],
    ),
    ("autograd-zeroing", "further"): Case(
        untouched=(...,),
        solution=(None,),
        also_right=[("None",), ("none",)],
        wrong=[((0,), "set_to_none"), ((42,), "write `None`")],
        secrets=["True", "holds None"],
    ),
    ("autograd-graph", "1"): Case(
        untouched=(..., ..., dict.fromkeys("xwb", ...)),
        solution=((2,), False, {"x": 6.0, "w": [3.0, 3.0], "b": 2.0}),
        also_right=[
            ([2], False, {"x": torch.tensor(6.0), "w": torch.tensor([3.0, 3.0]), "b": 2}),
            (torch.Size([2]), np.False_, {"x": 6, "w": (3, 3), "b": np.float32(2)}),
        ],
        wrong=[
            (((), False, {"x": 6.0, "w": [3.0, 3.0], "b": 2.0}), "most dimensions"),
            (((2,), True, {"x": 6.0, "w": [3.0, 3.0], "b": 2.0}), "without a `gradient=`"),
            (((2,), False, {"x": 3.0, "w": [3.0, 3.0], "b": 2.0}), "`x` is used by both"),
            (((2,), False, {"x": 6.0, "w": [4.0, 2.0], "b": 2.0}), "one output only"),
            (((2,), False, {"x": 6.0, "w": [3.0, 3.0], "b": 1.0}), "`b` is broadcast"),
            (((2,), False, {"x": [6.0], "w": [3.0, 3.0], "b": 2.0}), "shape of the tensor it"),
        ],
        secrets=["6.0", "[3.0, 3.0]"],
    ),
    ("autograd-graph", "2"): Case(
        untouched=(dict.fromkeys("xwb", ...),),
        solution=(dict.fromkeys("xwb"),),
        also_right=[({"b": None, "w": None, "x": None},), ({"x ": None, " w": None, "b": None},)],
        wrong=[
            (({"x": 4.0, "w": 3.0, "b": 1.0},), "leaf of its own"),
            (({"x": "none", "w": None, "b": None},), "a number, a list"),
        ],
        secrets=["are None", "all None"],
    ),
    ("autograd-graph", "3"): Case(
        untouched=(dict.fromkeys(["x", "b", "k", "m", "c", "d", "y", "z", "w"], ...),),
        solution=({**dict.fromkeys("xbkmcd", True), **dict.fromkeys("yzw", False)},),
        also_right=[
            ({**dict.fromkeys("yzw", False), **dict.fromkeys("xbkmcd", True)},),
            ({**dict.fromkeys("xbkmcd", np.True_), **dict.fromkeys("yzw", np.False_)},),
        ],
        wrong=[
            (
                ({**dict.fromkeys("xbkmcd", True), **dict.fromkeys("yz", False), "w": True},),
                "name `w`",
            ),
            (({**dict.fromkeys("xbkmcd", True), **dict.fromkeys("yzw", True)},), "retain_grad"),
            (({**dict.fromkeys("bkmcd", True), **dict.fromkeys("xyzw", False)},), "first leaf"),
        ],
        secrets=["has a .grad", "have a .grad", "`x`, `b`"],
    ),
    ("choosing-a-loss", "1"): Case(
        untouched=(placeholder,),
        solution=(lambda predicted, measured: nn.MSELoss()(predicted, measured.unsqueeze(1)),),
        also_right=[
            (lambda predicted, measured: ((predicted.squeeze(1) - measured) ** 2).mean(),),
            (lambda p, m: F.mse_loss(p.flatten(), m, reduction="sum"),),
            (lambda p, m: nn.L1Loss()(p, m[:, None]),),
        ],
        wrong=[
            ((lambda predicted, measured: nn.MSELoss()(predicted, measured),), "broadcasting give"),
            ((lambda p, m: nn.MSELoss()(p, m[:, None]).item(),), "drop the `.item()`"),
            ((lambda p, m: nn.MSELoss(reduction="none")(p, m[:, None]),), "reduce the losses"),
            ((lambda p, m: torch.tensor(F.mse_loss(p, m[:, None]).item()),), "cut off"),
            ((lambda p, m: (p.squeeze(1) - m).mean(),), "compares two numbers"),
        ],
        secrets=["MSELoss", "unsqueeze", "squared"],
    ),
    ("choosing-a-loss", "2"): Case(
        untouched=(placeholder,),
        solution=(lambda scores, labels: nn.CrossEntropyLoss()(scores, torch.tensor(labels)),),
        also_right=[
            (lambda scores, labels: F.nll_loss(scores.log_softmax(dim=1), torch.tensor(labels)),),
            (lambda s, labels: F.cross_entropy(s, torch.tensor(labels), reduction="sum"),),
            (lambda s, labels: F.cross_entropy(s, F.one_hot(torch.tensor(labels), 10).float()),),
        ],
        wrong=[
            (
                (lambda s, labels: F.cross_entropy(s.softmax(dim=1), torch.tensor(labels)),),
                "raw scores",
            ),
            (
                (lambda s, labels: F.cross_entropy(s, torch.tensor(labels, dtype=torch.float32)),),
                "list of Python ints",
            ),
            ((lambda s, labels: F.cross_entropy(s, labels),), "list of labels into one"),
            (
                (lambda s, labels: F.mse_loss(s, F.one_hot(torch.tensor(labels), 10).float()),),
                "made for that",
            ),
        ],
        secrets=["CrossEntropyLoss()(", "torch.tensor(digit_labels)"],
    ),
    ("choosing-a-loss", "3"): Case(
        untouched=(placeholder,),
        solution=(lambda scores, tags: nn.BCEWithLogitsLoss()(scores, tags.float()),),
        also_right=[
            (lambda scores, tags: nn.BCELoss()(scores.sigmoid(), tags.float()),),
            (lambda s, t: -(t * F.logsigmoid(s) + (1 - t) * F.logsigmoid(-s)).mean(),),
            (lambda s, t: F.binary_cross_entropy_with_logits(s, t.double(), reduction="sum"),),
        ],
        wrong=[
            ((lambda scores, tags: nn.CrossEntropyLoss()(scores, tags.float()),), "add up to 1"),
            ((lambda scores, tags: nn.BCEWithLogitsLoss()(scores, tags),), "which dtype must"),
            (
                (lambda scores, tags: F.mse_loss(scores.sigmoid(), tags.float()),),
                "yes/no questions",
            ),
        ],
        secrets=["BCEWithLogitsLoss", "tags.float()"],
    ),
    ("choosing-a-loss", "further"): Case(
        untouched=(placeholder,),
        solution=(lambda z: torch.stack([torch.zeros_like(z), z], dim=1),),
        also_right=[
            (lambda z: torch.stack([-z / 2, z / 2], dim=1),),
            (lambda z: torch.stack([z + 1, 2 * z + 1], dim=1),),
        ],
        wrong=[
            ((lambda z: torch.stack([z, torch.zeros_like(z)], dim=1),), "which one is z for"),
            ((lambda z: torch.stack([-z, z], dim=1),), "difference of the two logits"),
            ((lambda z: torch.stack([torch.zeros_like(z), z]),), "one row of two logits"),
        ],
        secrets=["zeros_like", "[0, z]"],
    ),
    ("training-loop-bugs", "1"): Case(
        untouched=(placeholder, placeholder, placeholder),
        solution=(make_model, train_one_epoch, evaluate),
        also_right=[
            (make_model_log_softmax, train_one_epoch_set_to_none, evaluate_as_tensor),
            (lambda: make_model().to(torch.device("cpu")), train_one_epoch, evaluate_as_tensor),
        ],
        wrong=[
            ((make_model_softmax, train_one_epoch, evaluate), "applies log-softmax itself"),
            ((make_model_sigmoid, train_one_epoch, evaluate), "unbounded"),
            ((make_model, train_once_per_epoch, evaluate), "every batch so far"),
            ((make_model, train_zero_grad_too_late, evaluate), "Where does `zero_grad()` go"),
            ((make_model, train_without_train_mode, evaluate), "what must an epoch"),
            ((make_model, train_one_epoch, evaluate_in_train_mode), "which mode"),
            ((make_model, train_one_epoch, evaluate_percent), "fraction between 0 and 1"),
        ],
        secrets=["model.eval()", "zero_grad() every", "nn.Softmax"],
    ),
    ("training-loop-bugs", "further"): Case(
        untouched=(...,),
        solution=(math.log(1 + 9 / math.e),),
        also_right=[(-math.log(math.e / (math.e + 9)),), (torch.tensor(1 + 9 / math.e).log(),)],
        wrong=[((1.46,), "`math.log` and `math.e`"), ((math.log(10),), "one-hot answer")],
        secrets=["1.4586", "9 / math.e", "9/e"],
    ),
}

QUESTIONS = sorted(CASES, key=lambda key: (key[0], key[1].zfill(3)))


def ids(key: tuple[str, str]) -> str:
    return f"{key[0]}-{key[1]}"


def run(key: tuple[str, str], answers: tuple[Any, ...]) -> Feedback:
    feedback = check(key[0], key[1], *answers, **CASES[key].context)
    assert isinstance(feedback, Feedback)
    return feedback


def test_every_question_of_every_page_has_cases() -> None:
    assert PAGES, "no exercise pages found"
    registered = {key for key in questions() if key[0] in PAGES}
    assert registered == set(CASES)
    assert {page for page, _ in registered} == set(PAGES)


@pytest.mark.parametrize("key", QUESTIONS, ids=ids)
def test_the_untouched_attempt_is_not_answered_yet(key: tuple[str, str]) -> None:
    feedback = run(key, CASES[key].untouched)
    assert feedback.status is Status.NOT_ANSWERED, feedback
    assert feedback.hint, "'not answered yet' comes with the first hint"
    assert str(feedback).startswith("Not answered yet.")


@pytest.mark.parametrize("key", QUESTIONS, ids=ids)
def test_the_solution_is_accepted(key: tuple[str, str]) -> None:
    feedback = run(key, CASES[key].solution)
    assert feedback.correct, feedback
    assert str(feedback).startswith("Correct!")


@pytest.mark.parametrize("key", QUESTIONS, ids=ids)
def test_other_right_answers_are_accepted(key: tuple[str, str]) -> None:
    assert len(CASES[key].also_right) >= 2
    for answers in CASES[key].also_right:
        feedback = run(key, answers)
        assert feedback.correct, f"{answers}: {feedback}"


@pytest.mark.parametrize("key", QUESTIONS, ids=ids)
def test_wrong_answers_get_their_own_hint_and_never_the_solution(key: tuple[str, str]) -> None:
    case = CASES[key]
    assert len(case.wrong) >= 2
    hints = []
    for answers, idea in case.wrong:
        feedback = run(key, answers)
        assert feedback.status is Status.WRONG, f"{answers}: {feedback}"
        assert feedback.hint, f"{answers}: no hint"
        assert idea in f"{feedback.message} {feedback.hint}", f"{answers}: {feedback}"
        assert "could not be checked" not in feedback.message, feedback
        for secret in case.secrets:
            assert secret not in str(feedback), f"the feedback shows {secret!r}: {feedback}"
        hints.append(feedback.hint)
    assert len(set(hints)) == len(hints), f"two wrong answers get the same hint: {hints}"


class Unequal:
    """A value whose comparisons raise: the checker must not trip over it."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing me")

    __hash__ = object.__hash__


ODD_VALUES: list[Any] = [
    None,
    0,
    True,
    "an answer",
    float("nan"),
    [1, 2],
    {},
    {"x": 1},
    object(),
    Unequal(),
    torch.ones(2, device="meta"),
    torch.ones(3, requires_grad=True),
    torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64),
    np.ones((2, 2)),
    raises,
    lambda *args: None,
    lambda *args: args,
    lambda: 1,
    int,
    nn.Linear(2, 2),
]


@pytest.mark.parametrize("key", QUESTIONS, ids=ids)
def test_any_value_a_reader_types_gets_feedback_not_a_traceback(key: tuple[str, str]) -> None:
    case = CASES[key]
    for slot, right in enumerate(case.solution):
        for value in ODD_VALUES:
            answers = (*case.solution[:slot], value, *case.solution[slot + 1 :])
            feedback = run(key, answers)
            is_the_answer = value is right or (
                isinstance(value, bool) and isinstance(right, bool) and value == right
            )
            assert is_the_answer or feedback.status is not Status.CORRECT, (
                f"slot {slot}, {value!r}: {feedback}"
            )
            assert "could not be checked" not in feedback.message, f"{value!r}: {feedback}"
            assert feedback.correct or feedback.message


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_tensors_on_another_device_are_named() -> None:
    cuda = torch.device("cuda")
    labels, features = CASES["tensor-shapes", "3"].solution
    feedback = check("tensor-shapes", 3, labels.to(cuda), features.to(cuda))
    assert feedback.correct, feedback  # where a tensor lives is not the question here
    feedback = check(
        "tensor-views", 3, lambda counts: (counts / counts.sum(dim=1, keepdim=True)).to(cuda)
    )
    assert feedback.status is Status.WRONG
    assert "on the device cuda:0; it should be on cpu" in feedback.message
    assert check("devices", 2, run_model).correct  # also tried on the chosen device


def test_feedback_fits_a_phone() -> None:
    """Every feedback the cases produce wraps to WIDTH columns, a code span at most beyond."""
    longest = 0
    for key, case in CASES.items():
        for answers in [case.untouched, case.solution, *[a for a, _ in case.wrong]]:
            for line in str(run(key, answers)).splitlines():
                longest = max(longest, len(line))
                assert len(line) <= WIDTH + 12, f"{key}: {line!r}"
    assert longest <= 70


def test_feedback_as_html_escapes_and_marks_code() -> None:
    feedback = Feedback(Status.WRONG, "`a < b` is <not> it", "Try `x & y`.")
    assert feedback._repr_html_() == (
        '<div class="tl-check tl-check-wrong">'
        "<p><strong>Not right yet.</strong> <code>a &lt; b</code> is &lt;not&gt; it</p>"
        "<p><strong>Hint:</strong> Try <code>x &amp; y</code>.</p></div>"
    )
    assert 'class="tl-check tl-check-correct"' in Feedback(Status.CORRECT, "")._repr_html_()


def test_a_question_that_does_not_exist_is_named() -> None:
    with pytest.raises(ValueError, match=r"has no question 9; its questions are: 1, 2, 3\."):
        check("tensor-shapes", 9, 1)
    with pytest.raises(ValueError, match="No exercise 'tensor-shape'; the exercises are"):
        check("tensor-shape", 1, 1)


def test_the_wrong_number_of_answers_is_named() -> None:
    feedback = check("tensor-shapes", 1, 2, (3, 1))
    assert feedback.status is Status.WRONG
    assert "takes 3 answers (`ndim`, `shape` and `dtype`), but was given 2" in feedback.message


def test_a_partly_filled_attempt_is_not_answered_yet() -> None:
    feedback = check("tensor-views", 1, {**GRID_VIEWS, "grid.T": ...})
    assert feedback.status is Status.NOT_ANSWERED
    assert "'grid.T'" in feedback.message
    feedback = check("training-loop-bugs", 1, make_model, placeholder, placeholder)
    assert feedback.status is Status.NOT_ANSWERED
    assert "`train_one_epoch` and `evaluate` still return" in feedback.message


def test_the_training_loop_check_counts_the_parts_that_are_right() -> None:
    """It says how many of the three functions pass, then what is wrong with the first."""
    feedback = check("training-loop-bugs", 1, make_model_softmax, train_one_epoch, evaluate)
    assert feedback.message.startswith("2 of the 3 parts are right. In `make_model`, the model")
    feedback = check(
        "training-loop-bugs", 1, make_model, train_once_per_epoch, evaluate_in_train_mode
    )
    assert feedback.message.startswith("1 of the 3 parts is right. In `train_one_epoch`, at step")
    feedback = check("training-loop-bugs", 1, make_model, train_one_epoch, evaluate_percent)
    assert feedback.message.startswith("2 of the 3 parts are right. `evaluate` returns a")


def test_warnings_of_the_readers_code_are_named_not_shown(recwarn: pytest.WarningsRecorder) -> None:
    feedback = check("choosing-a-loss", 1, lambda p, m: nn.MSELoss()(p, m))
    assert "(It warned: Using a target size" in feedback.message
    assert not recwarn.list


def test_a_check_leaves_the_random_numbers_of_the_page_alone() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    check("modules", 1, FixedScale)
    check("training-loop-bugs", 1, make_model, train_one_epoch, evaluate)
    assert torch.equal(torch.rand(3), expected)


def test_a_checker_registered_twice_is_refused() -> None:
    def first(answer: object) -> None:
        return None

    exercises.question("test-only-page", 1, hint="h")(first)
    with pytest.raises(ValueError, match="two checkers"):
        exercises.question("test-only-page", 1, hint="h")(lambda answer: None)


# -- the pages call every check, twice: on the attempt and on the solution -------------

CELL = re.compile(r"^```\{code-cell\} ipython3\n(.*?)^```$", re.MULTILINE | re.DOTALL)
CHECK_CALL = re.compile(r'^check\("([^"]+)", (\d+|"further")[,)]', re.MULTILINE)


def page_cells(page: str) -> list[str]:
    return CELL.findall((DOCS / "exercises" / f"{page}.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_each_question_is_checked_before_and_after_its_folded_solution(page: str) -> None:
    cells = page_cells(page)
    calls: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        for exercise, number in CHECK_CALL.findall(cell):
            assert exercise == page, f"{page}.md checks a question of {exercise}"
            assert cell.strip().count("\n") == 0, f"a check cell holds more: {cell!r}"
            calls.setdefault(number.strip('"'), []).append(index)
    assert set(calls) == {number for name, number in CASES if name == page}
    for number, (before, after, *more) in calls.items():
        assert not more, f"question {number} is checked more than twice"
        between = cells[before + 1 : after]
        assert any(":tags: [hide-cell]" in c or "tags: [hide-cell]" in c for c in between), (
            f"question {number}: no folded solution between its two checks"
        )
        assert not any("hide-cell" in c for c in cells[before - 1 : before]), (
            f"question {number}: the attempt before the first check is folded"
        )


def test_the_attempt_cells_hold_placeholders_only() -> None:
    """Untouched, every attempt is `...`: a cell before a first check shows no answer."""
    for page in PAGES:
        cells = page_cells(page)
        first_checks = {}
        for index, cell in enumerate(cells):
            for _, number in CHECK_CALL.findall(cell):
                first_checks.setdefault(number, index)
        for number, index in first_checks.items():
            attempt = cells[index - 1]
            assert "..." in attempt, f"{page} question {number}: {attempt!r}"
