"""Draw a training run: its learning curves and the confusion matrix of its classifier.

The training tutorial computes the numbers; these functions only lay them out,
so the code a reader copies stays about training. Both return the figure,
drawn on pyplot's current figure list (``plt.show()`` shows it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["HISTORY_KEYS", "plot_confusion_matrix", "plot_learning_curves"]

#: What a training history records after each epoch, as :func:`plot_learning_curves` reads it.
HISTORY_KEYS = ("train_loss", "train_acc", "val_loss", "val_acc")


def _check_history(history: Mapping[str, Sequence[float]]) -> int:
    missing = [key for key in HISTORY_KEYS if key not in history]
    if missing:
        raise KeyError(
            f"the history has no {', '.join(map(repr, missing))}: it must map each of "
            f"{', '.join(HISTORY_KEYS)} to one number per epoch."
        )
    lengths = {key: len(history[key]) for key in HISTORY_KEYS}
    if len(set(lengths.values())) != 1 or not lengths["train_loss"]:
        raise ValueError(
            f"every list of the history needs one number per epoch, and at least one; "
            f"got lengths {lengths}."
        )
    return lengths["train_loss"]


def plot_learning_curves(
    history: Mapping[str, Sequence[float]],
    *,
    best_epoch: int,
    title: str = "Learning curves",
) -> Figure:
    """Loss (log scale) and accuracy per epoch, training against validation, best epoch marked.

    Parameters
    ----------
    history : mapping
        ``train_loss``, ``train_acc``, ``val_loss`` and ``val_acc`` (:data:`HISTORY_KEYS`),
        each one number per epoch, epoch 1 first.
    best_epoch : int
        The epoch (counted from 1) whose model was kept; its validation loss is
        marked with a dot.
    title : str, optional
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the epoch axis: the losses, then the accuracies.

    Raises
    ------
    KeyError
        If a key of :data:`HISTORY_KEYS` is missing.
    ValueError
        If the lists differ in length or are empty, or ``best_epoch`` is not one of the epochs.

    Examples
    --------
    >>> from tutorial_helpers.training_plots import plot_learning_curves
    >>> history = {"train_loss": [2.0, 1.0, 0.5], "train_acc": [0.3, 0.6, 0.8],
    ...            "val_loss": [2.1, 1.2, 1.3], "val_acc": [0.3, 0.5, 0.5]}
    >>> fig = plot_learning_curves(history, best_epoch=2)
    >>> [ax.get_title() for ax in fig.axes]
    ['Loss', 'Accuracy']
    >>> [len(ax.lines) for ax in fig.axes]  # the loss panel has the best-epoch dot
    [3, 2]
    """
    import matplotlib.pyplot as plt

    epochs_run = _check_history(history)
    if not 1 <= best_epoch <= epochs_run:
        raise ValueError(f"best_epoch must be an epoch from 1 to {epochs_run}, got {best_epoch}.")
    epochs = range(1, epochs_run + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(
        2, 1, figsize=(6.4, 6.4), sharex=True, layout="constrained"
    )
    ax_loss.plot(epochs, history["train_loss"], lw=2, label="training (during the epoch)")
    ax_loss.plot(epochs, history["val_loss"], lw=2, ls="--", label="validation (end of the epoch)")
    ax_loss.plot(
        best_epoch,
        history["val_loss"][best_epoch - 1],
        "o",
        color="black",
        ms=7,
        label="best, saved",
    )
    ax_loss.set_yscale("log")
    ax_loss.set(ylabel="cross-entropy loss (log scale)", title="Loss")
    ax_loss.legend()
    ax_acc.plot(epochs, history["train_acc"], lw=2, label="training")
    ax_acc.plot(epochs, history["val_acc"], lw=2, ls="--", label="validation")
    lowest = min(*history["train_acc"], *history["val_acc"])
    ax_acc.set(
        xlabel="epoch",
        ylabel="accuracy (fraction correct)",
        title="Accuracy",
        ylim=(0.5 if lowest >= 0.5 else 0.0, 1.0),
    )
    ax_acc.legend(loc="lower right")
    for ax in (ax_loss, ax_acc):
        ax.grid(True, alpha=0.3)
    fig.suptitle(title)
    return fig


def plot_confusion_matrix(
    confusion: torch.Tensor, *, title: str, what: str = "class", counted: str = "examples"
) -> Figure:
    """A confusion matrix as an image, each non-zero count written in its cell.

    Parameters
    ----------
    confusion : torch.Tensor
        Square, of integer counts: row ``i``, column ``j`` counts the examples
        of true class ``i`` predicted as class ``j``.
    title : str
        The axes' title.
    what : str, optional
        What a class is, for the axis labels: "predicted digit", "true digit".
    counted : str, optional
        What the counts count, for the colour bar: "number of test images".

    Returns
    -------
    matplotlib.figure.Figure
        The matrix, with a colour bar of the counts.

    Raises
    ------
    ValueError
        If ``confusion`` is not a square matrix of non-negative integers.

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.training_plots import plot_confusion_matrix
    >>> fig = plot_confusion_matrix(torch.tensor([[5, 1], [0, 4]]), title="Two classes")
    >>> [text.get_text() for text in fig.axes[0].texts]  # the zero is left blank
    ['5', '1', '4']
    """
    import matplotlib.pyplot as plt

    if not isinstance(confusion, torch.Tensor):
        raise TypeError(
            f"confusion must be a torch.Tensor of counts, got {type(confusion).__name__}."
        )
    if (
        confusion.dim() != 2
        or confusion.shape[0] != confusion.shape[1]
        or confusion.is_floating_point()
        or confusion.is_complex()
        or bool((confusion < 0).any())
    ):
        raise ValueError(
            "confusion must be a square matrix of non-negative integer counts, got "
            f"shape {tuple(confusion.shape)} and dtype {confusion.dtype}."
        )
    counts = confusion.cpu()
    classes = counts.shape[0]
    fig, ax = plt.subplots(figsize=(5.6, 5), layout="constrained")
    shown = ax.imshow(counts.numpy(), cmap="Blues")
    half = counts.max().item() / 2
    for true in range(classes):
        for predicted in range(classes):
            count = int(counts[true, predicted].item())
            if count:
                ax.text(
                    predicted,
                    true,
                    str(count),
                    ha="center",
                    va="center",
                    color="white" if count > half else "black",
                )
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    ax.set(xlabel=f"predicted {what}", ylabel=f"true {what}", title=title)
    fig.colorbar(shown, ax=ax, label=f"number of {counted}", shrink=0.8)
    return fig
