"""The reset hook makes every example start from the same global state."""

from __future__ import annotations

import random

import numpy as np
import torch

from tutorial_helpers.sphinx_hooks import reset_state


def draw_all() -> tuple[float, float, list[float]]:
    return random.random(), float(np.random.rand())  # noqa: NPY002 (the RNG the hook reseeds), torch.rand(3).tolist()


def test_rngs_are_reseeded() -> None:
    reset_state()
    first = draw_all()
    draw_all()  # move every generator on
    reset_state({}, "plot_x.py")
    assert draw_all() == first


def test_global_torch_state_is_restored() -> None:
    torch.set_default_dtype(torch.float64)
    torch.set_printoptions(precision=1)
    torch.set_grad_enabled(False)
    torch.use_deterministic_algorithms(True)
    try:
        reset_state()
        assert torch.get_default_dtype() == torch.float32
        assert torch.is_grad_enabled()
        assert not torch.are_deterministic_algorithms_enabled()
        assert str(torch.tensor([1 / 3])) == "tensor([0.3333])"
    finally:
        torch.set_printoptions(profile="default")
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.use_deterministic_algorithms(False)


def test_numpy_print_options_are_restored() -> None:
    np.set_printoptions(precision=2, suppress=True)
    reset_state()
    assert np.get_printoptions()["precision"] == 8
    assert repr(np.array([1 / 3])) == "array([0.33333333])"
