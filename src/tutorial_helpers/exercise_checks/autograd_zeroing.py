"""Checkers of ``docs/exercises/autograd-zeroing.md``: gradients add up in ``.grad``."""

from __future__ import annotations

from collections.abc import Callable

import torch

from tutorial_helpers.exercises import (
    NotAnswered,
    Wrong,
    as_number,
    call_answer,
    describe,
    number_problem,
    question,
)

PAGE = "autograd-zeroing"


def f(x: torch.Tensor) -> torch.Tensor:
    """The page's cubic, :math:`x^3 + 3x^2 - 5x + 4`."""
    return x**3 + 3 * x**2 - 5 * x + 4


def g(x: torch.Tensor) -> torch.Tensor:
    """The page's parabola, :math:`x^2`."""
    return x**2


def _slope(function: Callable[[torch.Tensor], torch.Tensor], at: float) -> float:
    x = torch.tensor(at, requires_grad=True)
    function(x).backward()
    assert x.grad is not None
    return x.grad.item()


def _printed_slope_of_g(at: float) -> float:
    """What the page's unfixed code prints for g: both backward passes on one x."""
    x = torch.tensor(at, requires_grad=True)
    f(x).backward()
    g(x).backward()
    assert x.grad is not None
    return x.grad.item()


@question(
    PAGE,
    1,
    hint=("Before g's `backward()` runs, what does `x.grad` hold? Does `backward()` replace it?"),
)
def printed_slope(slope_of_g: object) -> None:
    """The slope the unfixed code prints for ``g`` at ``x = -2``."""
    said = as_number(slope_of_g, "slope_of_g")
    if number_problem(said, _printed_slope_of_g(-2.0), "`slope_of_g`") is None:
        return
    if number_problem(said, _slope(g, -2.0), "s") is None:
        hint = (
            "That is g's true slope at -2, but is it what the code prints? What was in "
            "`x.grad` before g's `backward()`?"
        )
    elif number_problem(said, _slope(f, -2.0), "s") is None:
        hint = "That is f's slope. g's `backward()` runs after it: what does it do to `x.grad`?"
    else:
        hint = None
    raise Wrong(f"`slope_of_g` is {said:g}, which is not what the code prints.", hint)


def _read_slopes(result: object) -> tuple[float, float]:
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise Wrong(
            f"`tangent_slopes` returned {describe(result)}; it should return two "
            "numbers, `slope_f, slope_g`."
        )
    if result[0] is result[1] and isinstance(result[0], torch.Tensor):
        raise Wrong(
            "`tangent_slopes` returned one tensor twice: `x.grad` itself, which the "
            "second half changes in place.",
            "Keep the number, not the tensor: `x.grad.item()` (or a `.clone()`).",
        )
    return (
        as_number(result[0], "the first slope"),
        as_number(result[1], "the second slope"),
    )


@question(
    PAGE,
    2,
    hint=(
        "The two slopes come from one input tensor, one `backward()` each. What must "
        "happen to `x.grad` between the two?"
    ),
)
def fixed_slopes(tangent_slopes: object) -> None:
    """A function that returns the slopes of ``f`` and ``g`` at a point, from one input."""
    for at in (-2.0, 0.5, 1.5):
        slope_f, slope_g = _read_slopes(call_answer(tangent_slopes, at, name="tangent_slopes"))
        right_f, right_g = _slope(f, at), _slope(g, at)
        if number_problem(slope_f, right_f, "s") is not None:
            raise Wrong(f"At x = {at:g} the slope of f is not right.")
        if number_problem(slope_g, right_g, "s") is None:
            continue
        if number_problem(slope_g, right_f + right_g, "s") is None:
            hint = (
                "The slope of g still includes f's: `backward()` adds to `.grad`. "
                "What must happen between the two?"
            )
        else:
            hint = None
        raise Wrong(f"At x = {at:g} the slope of g is not right.", hint)


def _grad_after_zero_grad() -> torch.Tensor | None:
    weight = torch.nn.Parameter(torch.tensor(1.0))
    optimizer = torch.optim.SGD([weight], lr=0.1)
    (2 * weight).backward()
    optimizer.zero_grad()
    return weight.grad


@question(
    PAGE,
    "further",
    hint=("`zero_grad` takes an argument that decides between the two: what is its default?"),
)
def after_zero_grad(grad_after_zero_grad: object) -> None:
    """What ``.grad`` holds after ``optimizer.zero_grad()``: zeros, or None."""
    said = grad_after_zero_grad
    if isinstance(said, str) and said.strip().lower() == "none":
        said = None
    if said is Ellipsis:
        raise NotAnswered("`grad_after_zero_grad` is still `...`.")
    truth = _grad_after_zero_grad()
    says_zeros = (
        isinstance(said, int | float | torch.Tensor)
        and not isinstance(said, bool)
        and (not isinstance(said, torch.Tensor) or said.device.type != "meta")
        and bool(torch.as_tensor(said).eq(0).all())
    ) or (isinstance(said, str) and said.strip().lower() in {"zero", "zeros", "0"})
    if said is not None and not says_zeros:
        raise Wrong(f"`grad_after_zero_grad` is {describe(said)}; write `None`, or `0` for zeros.")
    if (said is None) != (truth is None):
        raise Wrong(
            "`grad_after_zero_grad` is not what `.grad` holds by default.",
            "`zero_grad` takes an argument that decides between the two, "
            "`set_to_none`: what is its default?",
        )
