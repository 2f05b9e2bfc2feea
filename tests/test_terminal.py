"""Terminal formatting is removed, and nothing else."""

from __future__ import annotations

import pickle

import pytest
import torch

from tutorial_helpers.terminal import strip_terminal_formatting


def test_bold_and_colour_codes_go_the_text_stays() -> None:
    text = "\x1b[1mbold\x1b[0m, \x1b[31;1mred\x1b[m and [1m plain brackets"
    assert strip_terminal_formatting(text) == "bold, red and [1m plain brackets"


def test_the_weights_only_error_of_this_torch_reads_plainly(tmp_path) -> None:
    path = tmp_path / "module.pt"
    torch.save(torch.nn.Linear(1, 1), path)
    with pytest.raises(pickle.UnpicklingError) as raised:
        torch.load(path)
    plain = strip_terminal_formatting(str(raised.value))
    assert "\x1b" not in plain
    assert "Weights only load failed" in plain


def test_an_error_instead_of_its_text_is_refused() -> None:
    with pytest.raises(TypeError, match=r"pass str\(error\)"):
        strip_terminal_formatting(ValueError("x"))  # type: ignore[arg-type]
