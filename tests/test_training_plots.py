"""The training figures: what they draw is read back from the artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
import torch

from tutorial_helpers.training_plots import plot_confusion_matrix, plot_learning_curves

HISTORY = {
    "train_loss": [2.0, 1.0, 0.5, 0.2],
    "train_acc": [0.6, 0.8, 0.9, 0.95],
    "val_loss": [2.1, 1.2, 0.9, 1.0],
    "val_acc": [0.55, 0.75, 0.85, 0.84],
}


def test_learning_curves_draw_each_series_and_mark_the_best_epoch() -> None:
    fig = plot_learning_curves(HISTORY, best_epoch=3, title="A run")
    ax_loss, ax_acc = fig.axes
    assert fig.get_suptitle() == "A run"
    assert [list(line.get_ydata()) for line in ax_loss.lines] == [
        HISTORY["train_loss"],
        HISTORY["val_loss"],
        [0.9],
    ]
    assert list(ax_loss.lines[2].get_xdata()) == [3]
    assert [list(line.get_ydata()) for line in ax_acc.lines] == [
        HISTORY["train_acc"],
        HISTORY["val_acc"],
    ]
    assert list(ax_acc.lines[0].get_xdata()) == [1, 2, 3, 4]
    assert ax_loss.get_yscale() == "log"
    assert ax_acc.get_ylim() == (0.5, 1.0)
    assert all(ax.get_legend() is not None for ax in fig.axes)


def test_accuracy_axis_starts_at_zero_when_a_run_is_below_one_half() -> None:
    fig = plot_learning_curves({**HISTORY, "val_acc": [0.1, 0.3, 0.6, 0.7]}, best_epoch=1)
    assert fig.axes[1].get_ylim() == (0.0, 1.0)


@pytest.mark.parametrize(
    ("history", "best_epoch", "error", "message"),
    [
        ({k: v for k, v in HISTORY.items() if k != "val_acc"}, 1, KeyError, "no 'val_acc'"),
        ({**HISTORY, "val_loss": [1.0]}, 1, ValueError, "one number per epoch"),
        ({k: [] for k in HISTORY}, 1, ValueError, "at least one"),
        (HISTORY, 0, ValueError, "from 1 to 4, got 0"),
        (HISTORY, 5, ValueError, "from 1 to 4, got 5"),
    ],
)
def test_learning_curves_name_what_is_wrong(
    history: dict[str, list[float]], best_epoch: int, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        plot_learning_curves(history, best_epoch=best_epoch)


def test_confusion_matrix_writes_every_nonzero_count_in_its_cell() -> None:
    confusion = torch.tensor([[7, 0, 1], [0, 5, 0], [2, 0, 9]])
    fig = plot_confusion_matrix(confusion, title="Test", what="digit", counted="test images")
    ax = fig.axes[0]
    cells = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert cells == {((0, 0), "7"), ((2, 0), "1"), ((1, 1), "5"), ((0, 2), "2"), ((2, 2), "9")}
    # Dark cells get white text, so every count stays readable.
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["9"] == "white"
    assert colours["1"] == "black"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "predicted digit",
        "true digit",
        "Test",
    )
    assert fig.axes[1].get_ylabel() == "number of test images"


@pytest.mark.parametrize(
    ("confusion", "error"),
    [
        ([[1, 0], [0, 1]], TypeError),
        (torch.ones(2, 3, dtype=torch.int64), ValueError),
        (torch.eye(2), ValueError),
        (torch.tensor([[1, -1], [0, 1]]), ValueError),
    ],
)
def test_confusion_matrix_refuses_what_is_not_a_matrix_of_counts(
    confusion: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match="confusion must be"):
        plot_confusion_matrix(confusion, title="x")  # type: ignore[arg-type]
