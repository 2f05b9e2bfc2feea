"""Check a reader's answer to an exercise, and answer back with a hint.

Every question of the site's exercises has a checker. A notebook cell asks it
about the reader's attempt::

    from tutorial_helpers.exercises import check

    shares_memory = {"grid.T": ..., "grid[:, [0]]": ...}   # the reader fills in
    check("tensor-views", 1, shares_memory)

and the checker says one of three things, plainly (a :class:`Feedback`):

``Not answered yet``
    The attempt still holds the placeholder ``...`` (Python's
    ``Ellipsis``), or a function of the reader's still returns it. The
    first hint of the question comes with it.
``Correct``
    The answer behaves as the question asks. Checkers compare behaviour, not
    text: another way to write the same function, another correct reduction of
    a loss, a ``list`` where a tuple was expected, all pass; numbers and tensors
    are compared with a tolerance that fits their dtype.
``Not right yet``
    What is wrong, and a hint that points at the idea (the shape, the dtype,
    the missing ``zero_grad``, the view that is a copy), never the solution.

Whatever the reader types (a value of the wrong type or shape, a tensor on
another device, ``None``, a function that raises), :func:`check` answers with
a :class:`Feedback` and never lets a traceback out of the checker. Warnings
raised inside the reader's own code are caught and named in the feedback.

The questions' checkers live in ``tutorial_helpers.exercise_checks``, one
module per exercise page; each is a function registered with
:func:`question`, made of the building blocks below (:func:`call_answer`,
:func:`tensor_problem`, :func:`predictions` and the ``as_*`` readers), and
raising :class:`Wrong` or :class:`NotAnswered` to answer back.
"""

from __future__ import annotations

import contextvars
import copy
import enum
import html
import inspect
import math
import re
import textwrap
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

__all__ = [
    "WIDTH",
    "Feedback",
    "NotAnswered",
    "Status",
    "Wrong",
    "as_bool",
    "as_device",
    "as_dtype",
    "as_number",
    "as_shape",
    "behaves_like",
    "call_answer",
    "check",
    "describe",
    "number_problem",
    "predictions",
    "question",
    "questions",
    "tensor_problem",
    "wrong_predictions",
]

#: The longest line of a :class:`Feedback` as text: it fits a phone's screen.
WIDTH = 64


class Status(enum.Enum):
    """What a check found: the first words of its :class:`Feedback`."""

    NOT_ANSWERED = "Not answered yet"
    CORRECT = "Correct"
    WRONG = "Not right yet"


@dataclass(frozen=True)
class Feedback:
    """The answer of a check: a status, what it found, and a hint.

    A notebook shows it as a short paragraph (``_repr_html_``), a console as
    text wrapped to :data:`WIDTH` columns (``str`` and ``repr``). Code in the
    message and the hint is written between backticks.

    Parameters
    ----------
    status : Status
        Not answered yet, correct, or not right yet.
    message : str
        What the check found, in a sentence or two.
    hint : str, optional
        Where to look next; ``None`` when the answer is correct.

    Examples
    --------
    >>> from tutorial_helpers.exercises import Feedback, Status
    >>> feedback = Feedback(Status.WRONG, "`shares` has shape (3, 3).", "Which dimension?")
    >>> feedback.correct
    False
    >>> print(feedback)
    Not right yet. `shares` has shape (3, 3).
    Hint: Which dimension?
    """

    status: Status
    message: str
    hint: str | None = None

    @property
    def correct(self) -> bool:
        """Whether the answer was accepted."""
        return self.status is Status.CORRECT

    def _paragraphs(self) -> list[tuple[str, str]]:
        """``(label, text)`` of each paragraph: the status with the message, then the hint."""
        first = f"{self.status.value}{'!' if self.correct else '.'}"
        message = self.message[:1].upper() + self.message[1:]
        paragraphs = [(first, message)]
        if self.hint:
            paragraphs.append(("Hint:", self.hint))
        return paragraphs

    def __str__(self) -> str:
        return "\n".join(
            textwrap.fill(
                f"{label} {text}".strip(),
                width=WIDTH,
                break_long_words=False,
                break_on_hyphens=False,
            )
            for label, text in self._paragraphs()
        )

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        kind = self.status.name.lower().replace("_", "-")
        body = "".join(
            f"<p><strong>{html.escape(label)}</strong>"
            + (f" {_code_to_html(text)}" if text else "")
            + "</p>"
            for label, text in self._paragraphs()
        )
        return f'<div class="tl-check tl-check-{kind}">{body}</div>'


def _code_to_html(text: str) -> str:
    """Escape ``text`` for HTML and turn each ```code``` span into ``<code>``."""
    parts = html.escape(text, quote=False).split("`")
    return "".join(
        f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts)
    )


class Wrong(Exception):
    """Raised by a checker: the answer is not right; the feedback says why.

    Parameters
    ----------
    message : str
        What is wrong with the answer, without giving the solution away.
    hint : str, optional
        The idea to look at; without one, the question's first hint is given.

    Examples
    --------
    >>> from tutorial_helpers.exercises import Wrong
    >>> Wrong("`count` is 16.", "Did you count the biases?").hint
    'Did you count the biases?'
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotAnswered(Exception):
    """Raised by a checker: the attempt still holds its placeholder ``...``.

    Parameters
    ----------
    message : str
        Which part of the attempt is still to be written.

    Examples
    --------
    >>> from tutorial_helpers.exercises import NotAnswered
    >>> NotAnswered("`count` is still `...`.").message
    '`count` is still `...`.'
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- describing what the reader typed -------------------------------------------------


def describe(value: object) -> str:
    """Say in a few words what ``value`` is, for a message about it.

    Parameters
    ----------
    value : object
        Anything a reader may have typed.

    Returns
    -------
    str
        A short phrase such as ``"a tensor of shape (3, 1), dtype torch.float32,
        on cpu"``, ``"a list of 3 items"`` or ``"None"``. Values of numbers and
        tensors are not included, so that a message never shows a solution.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.exercises import describe
    >>> describe(torch.ones(3, 1))
    'a tensor of shape (3, 1), dtype torch.float32, on cpu'
    >>> describe([1, 2])
    'a list of 2 items'
    >>> describe("float32")
    "the string 'float32'"
    """
    if value is None:
        return "None"
    if value is Ellipsis:
        return "`...` (the placeholder)"
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}, dtype {value.dtype}, on {value.device}"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}, dtype {value.dtype}"
    if isinstance(value, bool):
        return f"the bool {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the string {shown!r}"
    if isinstance(value, torch.nn.Module):
        return f"a module ({type(value).__name__})"
    if isinstance(value, type):
        return f"the class `{value.__name__}`"
    if isinstance(value, list | tuple | set | dict):
        kind = type(value).__name__
        return f"a {kind} of {len(value)} item{'' if len(value) == 1 else 's'}"
    if callable(value):
        return f"the function `{getattr(value, '__name__', type(value).__name__)}`"
    if isinstance(value, int | float | np.number):
        return f"the number {value}" if isinstance(value, int) else "a number"
    return f"a {type(value).__name__}"


def _names(names: list[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


# -- reading answers ------------------------------------------------------------------


def _require_answer(value: object, name: str) -> None:
    """Raise :class:`NotAnswered` while ``value`` is still the placeholder ``...``."""
    if value is Ellipsis:
        raise NotAnswered(f"`{name}` is still `...`.")


def _tensor_item(value: torch.Tensor, name: str) -> bool | int | float:
    """The one value of a one-element tensor; a meta tensor has none."""
    if value.device.type == "meta":
        raise Wrong(f"`{name}` is a tensor on the meta device, which holds no value.")
    item = value.item()
    assert not isinstance(item, complex)  # the callers refuse complex tensors
    return item


def as_bool(value: object, name: str) -> bool:
    """Read a True/False answer: a bool, a NumPy bool or a one-element bool tensor.

    Parameters
    ----------
    value : object
        The reader's answer.
    name : str
        What to call it in a message, e.g. ``"backward_works"``.

    Returns
    -------
    bool

    Raises
    ------
    NotAnswered
        If ``value`` is ``...``.
    Wrong
        If ``value`` is anything else, 0 and 1 and strings included.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.exercises import Wrong, as_bool
    >>> as_bool(torch.tensor(True), "equal")
    True
    >>> try:
    ...     as_bool("yes", "equal")
    ... except Wrong as wrong:
    ...     print(wrong.message)
    `equal` is the string 'yes'; write True or False.
    """
    _require_answer(value, name)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, torch.Tensor) and value.dtype == torch.bool and value.numel() == 1:
        return bool(_tensor_item(value, name))
    raise Wrong(f"`{name}` is {describe(value)}; write True or False.")


def as_number(value: object, name: str) -> float:
    """Read a number: an int, a float, a NumPy number or a one-element tensor.

    Parameters
    ----------
    value : object
        The reader's answer.
    name : str
        What to call it in a message.

    Returns
    -------
    float

    Raises
    ------
    NotAnswered
        If ``value`` is ``...``.
    Wrong
        If ``value`` is not one number (a bool is not a number here).

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.exercises import as_number
    >>> as_number(torch.tensor([-4.0]), "slope")
    -4.0
    """
    _require_answer(value, name)
    if isinstance(value, bool | np.bool_):
        raise Wrong(f"`{name}` is {describe(value)}; it should be a number.")
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.dtype == torch.bool or value.is_complex():
            raise Wrong(f"`{name}` is {describe(value)}; it should hold one real number.")
        return float(_tensor_item(value, name))
    raise Wrong(f"`{name}` is {describe(value)}; it should be a number.")


def as_shape(value: object, name: str) -> tuple[int, ...]:
    """Read a shape: a tuple, a list or a :class:`torch.Size` of whole numbers.

    Parameters
    ----------
    value : object
        The reader's answer.
    name : str
        What to call it in a message.

    Returns
    -------
    tuple of int

    Raises
    ------
    NotAnswered
        If ``value`` is ``...``.
    Wrong
        If ``value`` is not a sequence of whole numbers; a lone number gets the
        reminder that a shape of one dimension is written ``(n,)``.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.exercises import as_shape
    >>> as_shape([2, 3], "shape"), as_shape(torch.Size([4]), "shape")
    ((2, 3), (4,))
    """
    _require_answer(value, name)
    if isinstance(value, int) and not isinstance(value, bool):
        raise Wrong(
            f"`{name}` is a single number; a shape is a tuple, one length per "
            "dimension, even for one dimension: `(n,)`, with the comma."
        )
    if isinstance(value, tuple | list | torch.Size) and all(
        isinstance(n, int | np.integer) and not isinstance(n, bool) for n in value
    ):
        return tuple(int(n) for n in value)
    raise Wrong(f"`{name}` is {describe(value)}; a shape is a tuple of whole numbers.")


def as_dtype(value: object, name: str) -> torch.dtype:
    """Read a dtype: ``torch.float32``, its name as a string, or a NumPy dtype.

    Parameters
    ----------
    value : object
        The reader's answer, e.g. ``torch.int64``, ``"int64"``,
        ``"torch.int64"`` or ``numpy.int64``.
    name : str
        What to call it in a message.

    Returns
    -------
    torch.dtype

    Raises
    ------
    NotAnswered
        If ``value`` is ``...``.
    Wrong
        If ``value`` names no PyTorch dtype (Python's own ``float`` and ``int``
        get a reminder of what a dtype is).

    Examples
    --------
    >>> import numpy as np
    >>> from tutorial_helpers.exercises import as_dtype
    >>> as_dtype("float32", "dtype"), as_dtype(np.int64, "dtype")
    (torch.float32, torch.int64)
    """
    _require_answer(value, name)
    if isinstance(value, torch.dtype):
        return value
    if any(value is python_type for python_type in (float, int, bool, complex)):
        assert isinstance(value, type)
        raise Wrong(
            f"`{name}` is Python's type `{value.__name__}`, not a tensor's dtype. A dtype "
            "names a size too, such as `torch.float16` or `torch.int32`."
        )
    if isinstance(value, str):
        found = getattr(torch, value.removeprefix("torch."), None)
        if isinstance(found, torch.dtype):
            return found
        raise Wrong(f"`{name}` is {describe(value)}, which names no PyTorch dtype.")
    try:
        return torch.from_numpy(np.zeros(0, dtype=value)).dtype
    except (TypeError, ValueError):
        raise Wrong(f"`{name}` is {describe(value)}; it should be a dtype.") from None


def as_device(value: object, name: str) -> torch.device:
    """Read a device: a :class:`torch.device` or its name, such as ``"cpu"``.

    Parameters
    ----------
    value : object
        The reader's answer.
    name : str
        What to call it in a message.

    Returns
    -------
    torch.device

    Raises
    ------
    NotAnswered
        If ``value`` is ``...``.
    Wrong
        If ``value`` is not a device or a device's name.

    Examples
    --------
    >>> from tutorial_helpers.exercises import as_device
    >>> as_device("meta", "where")
    device(type='meta')
    """
    _require_answer(value, name)
    if isinstance(value, torch.device):
        return value
    if isinstance(value, str):
        try:
            return torch.device(value)
        except RuntimeError:
            raise Wrong(
                f"`{name}` is {describe(value)}, which is no device's name; devices are "
                "named like `'cuda'` or `'cuda:1'`."
            ) from None
    if isinstance(value, torch.Tensor):
        raise Wrong(f"`{name}` is a tensor; write the device's name, or `tensor.device`.")
    raise Wrong(f"`{name}` is {describe(value)}; write a device, e.g. `'cuda'`.")


def predictions(
    answer: object,
    candidates: list[str],
    name: str,
    read: Callable[[object, str], Any],
) -> dict[str, Any]:
    """Read a dict of predictions, one per candidate, each with ``read``.

    Keys are compared without their spaces, so ``"grid[:,::2]"`` answers for
    ``"grid[:, ::2]"``.

    Parameters
    ----------
    answer : object
        The reader's dict, e.g. ``{"grid.T": True, "grid[:, [0]]": False}``.
    candidates : list of str
        The keys the dict must have, in the order of the question.
    name : str
        The name of the reader's dict, for messages.
    read : callable
        Reads one value, called as ``read(value, label)``: :func:`as_bool`,
        :func:`as_shape`, ...

    Returns
    -------
    dict
        The values read, keyed by the candidates as spelled in ``candidates``.

    Raises
    ------
    NotAnswered
        If a value is still ``...``.
    Wrong
        If ``answer`` is not a dict, lacks a candidate or has an unknown key,
        or if ``read`` finds a value wrong.

    Examples
    --------
    >>> from tutorial_helpers.exercises import NotAnswered, as_bool, predictions
    >>> predictions({"a.T": True, "a[0]": False}, ["a[0]", "a.T"], "views", as_bool)
    {'a[0]': False, 'a.T': True}
    >>> try:
    ...     predictions({"a.T": True, "a[0]": ...}, ["a[0]", "a.T"], "views", as_bool)
    ... except NotAnswered as missing:
    ...     print(missing.message)
    `views` still has `...` for 'a[0]'.
    """
    _require_answer(answer, name)
    if not isinstance(answer, Mapping):
        raise Wrong(
            f"`{name}` is {describe(answer)}; it should be a dict with one entry per "
            "candidate, as in the attempt cell."
        )
    by_key = {re.sub(r"\s+", "", str(key)): value for key, value in answer.items()}
    wanted = {re.sub(r"\s+", "", key): key for key in candidates}
    unknown = [str(key) for key in answer if re.sub(r"\s+", "", str(key)) not in wanted]
    if unknown:
        raise Wrong(f"`{name}` has an entry for {unknown[0]!r}, which is not a candidate.")
    missing = [key for compact, key in wanted.items() if compact not in by_key]
    if missing:
        raise Wrong(f"`{name}` has no entry for {missing[0]!r}.")
    open_ = [key for compact, key in wanted.items() if by_key[compact] is Ellipsis]
    if open_:
        listed = ", ".join(repr(key) for key in open_)
        raise NotAnswered(f"`{name}` still has `...` for {listed}.")
    return {key: read(by_key[compact], f"{name}[{key!r}]") for compact, key in wanted.items()}


def wrong_predictions(
    said: Mapping[str, object],
    truth: Mapping[str, object],
    hints: Mapping[str, str],
    *,
    noun: str = "predictions",
) -> None:
    """Count the wrong predictions without saying which: telling would give them away.

    Parameters
    ----------
    said : mapping
        The reader's predictions, read by :func:`predictions`.
    truth : mapping
        What PyTorch does, for the same keys.
    hints : mapping
        The hint (a string) for a wrong prediction of each key; the first
        wrong key's hint is given.
    noun : str, optional
        What the values are called in the message: "predictions" by default.

    Raises
    ------
    Wrong
        If any prediction differs from the truth.

    Examples
    --------
    >>> from tutorial_helpers.exercises import Wrong, wrong_predictions
    >>> try:
    ...     wrong_predictions(
    ...         {"a": True, "b": True}, {"a": True, "b": False}, {"a": "A?", "b": "B?"}
    ...     )
    ... except Wrong as wrong:
    ...     print(wrong.message, wrong.hint)
    1 of your 2 predictions is not right. B?
    """
    wrong = [key for key in truth if said[key] != truth[key]]
    if wrong:
        verb = "is" if len(wrong) == 1 else "are"
        raise Wrong(f"{len(wrong)} of your {len(truth)} {noun} {verb} not right.", hints[wrong[0]])


# -- comparing ------------------------------------------------------------------------

#: rtol, atol by dtype: those of :func:`torch.testing.assert_close`.
_TOLERANCES: dict[torch.dtype, tuple[float, float]] = {
    torch.float16: (1e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7),
}


def tensor_problem(
    actual: object,
    expected: torch.Tensor,
    name: str,
    *,
    check_dtype: bool = True,
) -> str | None:
    """Say what is wrong with a tensor the reader made, or ``None`` if it is right.

    The checks come in the order a reader can fix them: a tensor at all, its
    device, its shape, its dtype, then its values, compared with the tolerance
    of :func:`torch.testing.assert_close` for the expected dtype (exactly for
    integers and bools). Tensors on the meta device have no values: only their
    device, shape and dtype are compared.

    Parameters
    ----------
    actual : object
        What the reader made.
    expected : torch.Tensor
        What it should be equal to.
    name : str
        What to call it, e.g. ``"the result of `row_shares`"``.
    check_dtype : bool, optional
        Whether a different dtype is a problem (True by default); the values
        are compared either way.

    Returns
    -------
    str or None
        One sentence naming the first problem; it names the expected shape,
        dtype or device but never the expected values.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.exercises import tensor_problem
    >>> expected = torch.tensor([0.7, 0.5, 0.6])
    >>> print(tensor_problem(torch.tensor([0.7, 0.5, 0.6 + 1e-7]), expected, "`picked`"))
    None
    >>> tensor_problem(torch.ones(3, 3), expected, "`picked`")
    '`picked` has shape (3, 3); it should have shape (3,).'
    >>> tensor_problem([0.7, 0.5, 0.6], expected, "`picked`")
    '`picked` is a list of 3 items, not a tensor.'
    """
    if actual is None:
        return f"{name} is None: does the function `return` its result?"
    if not isinstance(actual, torch.Tensor):
        return f"{name} is {describe(actual)}, not a tensor."
    if actual.device.type != expected.device.type or (
        actual.device.index is not None
        and expected.device.index is not None
        and actual.device.index != expected.device.index
    ):
        return f"{name} is on the device {actual.device}; it should be on {expected.device}."
    if actual.shape != expected.shape:
        return (
            f"{name} has shape {tuple(actual.shape)}; it should have shape {tuple(expected.shape)}."
        )
    if check_dtype and actual.dtype != expected.dtype:
        return f"{name} has dtype {actual.dtype}; it should be {expected.dtype}."
    if expected.device.type == "meta" or actual.device.type == "meta":
        return None
    got = actual.detach().cpu()
    want = expected.detach().cpu()
    if want.is_floating_point() or got.is_floating_point():
        rtol, atol = _TOLERANCES.get(want.dtype, _TOLERANCES[torch.float32])
        if got.dtype in _TOLERANCES:  # the looser of the two dtypes
            rtol, atol = max(rtol, _TOLERANCES[got.dtype][0]), max(atol, _TOLERANCES[got.dtype][1])
        common = torch.promote_types(got.dtype, want.dtype)
        close = torch.isclose(got.to(common), want.to(common), rtol=rtol, atol=atol)
        if bool(close.all()):
            return None
    elif torch.equal(got.to(torch.promote_types(got.dtype, want.dtype)), want):
        return None
    wrong = int((~_elementwise_equal(got, want)).sum()) if got.numel() > 1 else 1
    if got.numel() > 1:
        return f"{name} has the right shape, but {wrong} of its {got.numel()} values are off."
    return f"{name} has the right shape, but not the right value."


def _elementwise_equal(got: torch.Tensor, want: torch.Tensor) -> torch.Tensor:
    common = torch.promote_types(got.dtype, want.dtype)
    if common.is_floating_point:
        rtol, atol = _TOLERANCES.get(common, _TOLERANCES[torch.float32])
        return torch.isclose(got.to(common), want.to(common), rtol=rtol, atol=atol)
    return got.to(common) == want.to(common)


def number_problem(
    actual: float, expected: float, name: str, *, rel_tol: float = 1e-5, abs_tol: float = 1e-6
) -> str | None:
    """Say whether a number is off, or ``None`` if it is close enough.

    Parameters
    ----------
    actual : float
        The reader's number (read with :func:`as_number`).
    expected : float
        The right value.
    name : str
        What to call it in a message.
    rel_tol, abs_tol : float
        Relative and absolute tolerance, as for ``math.isclose``; the
        defaults fit a number computed in float32.

    Returns
    -------
    str or None
        A sentence that says the number is off, without the right value.

    Examples
    --------
    >>> from tutorial_helpers.exercises import number_problem
    >>> print(number_problem(-9.0000001, -9.0, "`slope`"))
    None
    >>> number_problem(-4.0, -9.0, "`slope`")
    '`slope` is -4, which is not it.'
    """
    if math.isclose(actual, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return None
    return (
        f"{name} is {actual:g}, which is not it."
        if math.isfinite(actual)
        else (f"{name} is {actual}, not a finite number.")
    )


# -- calling the reader's functions ---------------------------------------------------

#: Warnings raised by the reader's code during the current check.
_CAUGHT: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "tutorial_helpers_exercise_warnings", default=None
)


def call_answer(
    function: object,
    *args: object,
    name: str,
    explain: Callable[[Exception], str | None] | None = None,
) -> object:
    """Call a function the reader wrote, turning each way it can fail into feedback.

    Parameters
    ----------
    function : object
        What the reader defined; it should be callable with ``args``.
    *args : object
        The arguments to call it with. Pass copies of anything it must not
        change.
    name : str
        The function's name in the attempt cell, for messages.
    explain : callable, optional
        Given the exception the reader's function raised, returns a hint about
        it (or ``None`` for the question's first hint).

    Returns
    -------
    object
        What the function returned. Warnings it raised are recorded for the
        feedback instead of being shown.

    Raises
    ------
    NotAnswered
        If ``function`` is ``...`` or returns ``...`` (the attempt's placeholder).
    Wrong
        If it is not a function, does not take these arguments, or raises
        (the message names the exception, first line only).

    Examples
    --------
    >>> from tutorial_helpers.exercises import Wrong, call_answer
    >>> call_answer(lambda a, b: a + b, 1, 2, name="add")
    3
    >>> def broken(counts):
    ...     return counts / 0 if counts else 1 / 0
    >>> try:
    ...     call_answer(broken, 0, name="broken")
    ... except Wrong as wrong:
    ...     print(wrong.message)
    `broken` raised ZeroDivisionError: division by zero
    """
    _require_answer(function, name)
    if not callable(function):
        raise Wrong(
            f"`{name}` should be a function, but it is {describe(function)}.",
            f"Define it with `def {name}(...):`, as in the attempt cell.",
        )
    try:
        inspect.signature(function).bind(*args)
    except TypeError:
        raise Wrong(
            f"`{name}` should take {len(args)} argument{'s' if len(args) != 1 else ''}, "
            "as in the attempt cell.",
            "Keep the `def` line of the attempt cell as it is.",
        ) from None
    except ValueError:  # no signature to read (a builtin): just call it
        pass
    caught = _CAUGHT.get()
    with warnings.catch_warnings(record=True) as raised:
        warnings.simplefilter("always")
        try:
            result = function(*args)
        except Exception as error:
            text = _first_line(str(error), 120)
            raise Wrong(
                f"`{name}` raised {type(error).__name__}" + (f": {text}" if text else "."),
                explain(error) if explain is not None else None,
            ) from None
    if caught is not None:
        caught.extend(_first_line(str(w.message), 100) for w in raised)
    if result is Ellipsis:
        raise NotAnswered(f"`{name}` still returns `...`: write its body.")
    return result


def _copy(value: object) -> object:
    if isinstance(value, torch.Tensor):
        return value.detach().clone().requires_grad_(value.requires_grad)
    return copy.deepcopy(value)


def _unchanged(before: object, after: object) -> bool:
    if isinstance(before, torch.Tensor) and isinstance(after, torch.Tensor):
        if (before.shape, before.dtype, before.device) != (after.shape, after.dtype, after.device):
            return False
        return before.device.type == "meta" or bool(torch.equal(before, after.detach()))
    if isinstance(before, torch.nn.Module) and isinstance(after, torch.nn.Module):
        old, new = before.state_dict(), after.state_dict()
        return (
            old.keys() == new.keys()
            and all(_unchanged(old[key], new[key]) for key in old)
            and all(
                p.device == q.device
                for p, q in zip(before.parameters(), after.parameters(), strict=False)
            )
        )
    return True


def behaves_like(
    function: object,
    reference: Callable[..., object],
    cases: list[tuple[object, ...]],
    *,
    name: str,
    diagnose: Callable[..., str | None] | None = None,
    explain: Callable[[Exception], str | None] | None = None,
    compare: Callable[[object, object, str], str | None] | None = None,
    on_change: str | None = None,
) -> None:
    """Check that the reader's function gives what ``reference`` gives, case by case.

    Each case is called on fresh copies of its arguments, by the reader's
    function and by ``reference``; the reader's must not change its
    arguments (a tensor changed in place, a module moved or retrained).

    Parameters
    ----------
    function : object
        What the reader defined.
    reference : callable
        A right answer, the behaviour to match.
    cases : list of tuple
        The arguments of each call, the question's own data first: its
        diagnosis gives the most specific hint.
    name : str
        The function's name in the attempt cell.
    diagnose : callable, optional
        Called as ``diagnose(result, *args)`` with a wrong result; returns a
        hint that names the mistake, or ``None``.
    explain : callable, optional
        Gives a hint for an exception the reader's function raised (see
        :func:`call_answer`).
    compare : callable, optional
        Called as ``compare(result, expected, label)``; returns what is wrong,
        or ``None``. :func:`tensor_problem` by default.
    on_change : str, optional
        The hint for a function that changed its arguments.

    Raises
    ------
    NotAnswered
        If the function still returns ``...``.
    Wrong
        At the first case it gets wrong, raises for, or changes its arguments in.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.exercises import Wrong, behaves_like
    >>> cases = [(torch.tensor([[1.0, 3.0], [2.0, 2.0]]),), (torch.ones(2, 3),)]
    >>> def by_row(t):
    ...     return t / t.sum(dim=1, keepdim=True)
    >>> behaves_like(lambda t: t / t.sum(1)[:, None], by_row, cases, name="shares")
    >>> try:
    ...     behaves_like(lambda t: t / t.sum(), by_row, cases, name="shares")
    ... except Wrong as wrong:
    ...     print(wrong.message)
    The result of `shares` has the right shape, but 4 of its 4 values are off.
    """
    compare = compare or tensor_problem  # type: ignore[assignment]
    assert compare is not None
    for case in cases:
        expected = reference(*(_copy(arg) for arg in case))
        given = tuple(_copy(arg) for arg in case)
        result = call_answer(function, *given, name=name, explain=explain)
        for before, after in zip(case, given, strict=True):
            if not _unchanged(before, after):
                raise Wrong(
                    f"`{name}` changed an argument it was given (an operation in "
                    "place, or a `.to()` on a module?).",
                    on_change
                    or "Compute a new result and leave the arguments as they were: "
                    "the caller may still need them.",
                )
        problem = compare(result, expected, f"The result of `{name}`")
        if problem is not None:
            hint = diagnose(result, *case) if diagnose is not None else None
            raise Wrong(problem, hint)


def _first_line(text: str, limit: int) -> str:
    """The first line of an error or warning message, cut to ``limit`` characters."""
    lines = text.strip().splitlines()
    line = lines[0].strip() if lines else ""
    if len(line) > limit:
        line = line[: limit - 3].rsplit(" ", 1)[0] + " ..."
    return line


# -- questions ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Question:
    exercise: str
    number: str
    hint: str
    function: Callable[..., str | None]

    @property
    def answers(self) -> list[str]:
        """The names of the answers the checker takes (its positional parameters)."""
        return [
            p.name
            for p in inspect.signature(self.function).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]


_QUESTIONS: dict[tuple[str, str], _Question] = {}


def question(
    exercise: str, number: int | str, *, hint: str
) -> Callable[[Callable[..., str | None]], Callable[..., str | None]]:
    """Register the decorated function as the checker of one question.

    The checker takes the reader's answers as positional parameters, named as
    in the attempt cell, and anything else it needs as keyword-only
    parameters. It returns ``None`` (or a note, a sentence shown after
    "Correct!") when the answer is right, and raises :class:`Wrong` or
    :class:`NotAnswered` otherwise. :func:`check` has already answered "not
    answered yet" when every answer is still ``...``.

    Parameters
    ----------
    exercise : str
        The page's name, e.g. ``"tensor-views"`` (its file is
        ``docs/exercises/tensor-views.md``).
    number : int or str
        The question's number on the page, or a name such as ``"further"``.
    hint : str
        The first hint, given with "not answered yet" and with any wrong
        answer that has no hint of its own.

    Returns
    -------
    callable
        The decorator; it returns the checker unchanged.

    Raises
    ------
    ValueError
        If the question is registered twice.

    Examples
    --------
    >>> from tutorial_helpers.exercises import Wrong, as_number, check, question
    >>> @question("demo", 1, hint="Count the dimensions.")
    ... def _demo(ndim: object) -> None:
    ...     if as_number(ndim, "ndim") != 2:
    ...         raise Wrong("`ndim` is not the number of dimensions.")
    >>> check("demo", 1, 2)
    Correct!
    """
    key = (exercise, str(number))

    def register(function: Callable[..., str | None]) -> Callable[..., str | None]:
        if key in _QUESTIONS and _QUESTIONS[key].function is not function:
            raise ValueError(f"question {number} of {exercise!r} has two checkers")
        _QUESTIONS[key] = _Question(exercise, str(number), hint, function)
        return function

    return register


def questions() -> list[tuple[str, str]]:
    """List every question that has a checker, as ``(exercise, number)`` pairs.

    Returns
    -------
    list of tuple of str
        Sorted by page, then by question.

    Examples
    --------
    >>> from tutorial_helpers.exercises import questions
    >>> ("tensor-views", "1") in questions()
    True
    """
    _load_checkers()
    return sorted(_QUESTIONS, key=lambda key: (key[0], key[1].zfill(3)))


def _load_checkers() -> None:
    # Imported here, not at the top: the checkers import this module's building blocks.
    import tutorial_helpers.exercise_checks  # noqa: F401


def check(exercise: str, number: int | str, /, *answers: object, **context: Any) -> Feedback:
    """Check the reader's answer to one question of an exercise.

    Parameters
    ----------
    exercise : str
        The exercise page, e.g. ``"tensor-views"``.
    number : int or str
        The question on that page: its number, or ``"further"`` for the
        "Going further" question.
    *answers : object
        The reader's answers, in the order of the attempt cell.
    **context : object
        What the checker needs from the page besides the answers (named in the
        check cell, e.g. ``trained=trained``).

    Returns
    -------
    Feedback
        Shown by a notebook as the cell's output. Nothing the reader typed
        makes this function raise.

    Raises
    ------
    ValueError
        If the page has no such question (a mistake of the page, not of the
        reader).

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.exercises import check
    >>> check("tensor-shapes", 1, ..., ..., ...)
    Not answered yet. Replace the `...` in `ndim`, `shape` and
    `dtype` with your answer.
    Hint: Each level of brackets is a dimension; the shape counts
    the items at each level, outermost first.
    >>> check("tensor-shapes", 1, 2, (3, 1), torch.float32)
    Correct!
    >>> check("tensor-shapes", 1, 2, (1, 3), torch.float32).status
    <Status.WRONG: 'Not right yet'>
    """
    _load_checkers()
    key = (exercise, str(number))
    if key not in _QUESTIONS:
        known = [n for page, n in questions() if page == exercise]
        if not known:
            pages = sorted({page for page, _ in _QUESTIONS})
            raise ValueError(f"No exercise {exercise!r}; the exercises are: {', '.join(pages)}.")
        raise ValueError(
            f"Exercise {exercise!r} has no question {number!r}; its questions are: "
            f"{', '.join(known)}."
        )
    spec = _QUESTIONS[key]
    names = spec.answers
    if len(answers) != len(names):
        return Feedback(
            Status.WRONG,
            f"this check takes {len(names)} answer{'s' if len(names) != 1 else ''} "
            f"({_names(names)}), but was given {len(answers)}.",
            "Keep the check cell as it is, and write your answer in the attempt cell.",
        )
    untouched = [n for n, a in zip(names, answers, strict=True) if _untouched(a)]
    if untouched and len(untouched) == len(names):
        return Feedback(
            Status.NOT_ANSWERED,
            f"replace the `...` in {_names(untouched)} with your answer.",
            spec.hint,
        )
    caught: list[str] = []
    token = _CAUGHT.set(caught)
    try:
        # The same random numbers at every check, and the page's own stream untouched.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            note = spec.function(*answers, **context)
    except NotAnswered as missing:
        return Feedback(Status.NOT_ANSWERED, missing.message, spec.hint)
    except Wrong as wrong:
        message = wrong.message
        if caught:
            message += f" (It warned: {caught[0]})"
        return Feedback(Status.WRONG, message, wrong.hint or spec.hint)
    except Exception as error:  # a checker that did not foresee this answer
        return Feedback(
            Status.WRONG,
            f"this answer could not be checked ({type(error).__name__}: "
            f"{str(error).strip()[:120]}).",
            spec.hint,
        )
    finally:
        _CAUGHT.reset(token)
    return Feedback(Status.CORRECT, note or "")


def _untouched(answer: object) -> bool:
    """Whether an answer is still the attempt cell's placeholder."""
    if answer is Ellipsis:
        return True
    return (
        isinstance(answer, Mapping)
        and bool(answer)
        and all(value is Ellipsis for value in answer.values())
    )
