"""
The training loop: a digit classifier from start to finish
==========================================================

Everything from the previous tutorials, put together: a network of layers,
a loss, data loaders, an optimizer. You will train a classifier for images of
handwritten digits and evaluate it honestly. On the way you will:

* split the data into training, validation and test sets, and learn what each
  is for;
* write the training loop and the evaluation loop;
* learn what ``model.train()`` and ``model.eval()`` change (dropout, shown),
  and the difference between :class:`torch.no_grad` and
  :class:`torch.inference_mode`;
* draw the learning curves, keep the best model as a checkpoint, reload it,
  and measure it once on the test set, with a confusion matrix and the images
  it gets wrong.
"""

# %%
# The data
# --------
# scikit-learn ships 1797 images of handwritten digits, 8 x 8 pixels each,
# with values from 0 to 16 (``sklearn.datasets.load_digits``: no download).
# As a flat vector of 64 numbers scaled to [0, 1], each image is ready for a
# ``Linear`` layer; the labels become int64, the dtype of class indices.
# (To run this page yourself, install scikit-learn too:
# ``pip install scikit-learn``.)

# sphinx_gallery_card = "Train a digit classifier from start to finish."
# sphinx_gallery_assumes = "plot_01_layers"
# sphinx_gallery_assumes = "plot_02_losses"
# sphinx_gallery_assumes = "plot_03_data"
# sphinx_gallery_assumes = "../04_modules/plot_02_fitting_a_quadratic"
# sphinx_gallery_assumes = "../05_save_load/plot_02_checkpoints"
# sphinx_gallery_assumes = "../06_autograd/plot_02_gradient_accumulation"
# sphinx_gallery_thumbnail_number = 2
import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tutorial_helpers import choose_device

device = choose_device()
torch.manual_seed(0)

digits = load_digits()
images = torch.tensor(digits.data, dtype=torch.float32) / 16
labels = torch.tensor(digits.target, dtype=torch.int64)
print(
    "images:",
    tuple(images.shape),
    images.dtype,
    " labels:",
    tuple(labels.shape),
    labels.dtype,
)
print("examples of each digit:", torch.bincount(labels).tolist())

# sphinx_gallery_start_ignore
assert images.shape == (1797, 64)
assert labels.shape == (1797,)
assert images.min() == 0
assert images.max() == 1
assert (
    torch.bincount(labels).min() >= 170
)  # roughly balanced: accuracy is a fair measure
# sphinx_gallery_end_ignore

# %%
# Training, validation and test sets
# ----------------------------------
# The data is split three ways, at random (with a seeded generator, so the
# split is the same every run):
#
# * the **training** set (60 %) is what the optimizer learns from;
# * the **validation** set (20 %) is checked after every epoch, to choose
#   which epoch's model to keep (and, in a real project, the learning rate,
#   the size of the network, ...);
# * the **test** set (20 %) is used once, at the very end. Every choice made
#   by looking at the validation set fits the model a little to *it*; only
#   data that influenced no decision gives an honest estimate of how the model
#   does on new images.
split_generator = torch.Generator().manual_seed(0)
order = torch.randperm(len(images), generator=split_generator)
n_val = n_test = len(images) // 5
test_idx = order[:n_test]
val_idx = order[n_test : n_test + n_val]
train_idx = order[n_test + n_val :]
print(
    "train:",
    len(train_idx),
    " validation:",
    len(val_idx),
    " test:",
    len(test_idx),
)

train_set = TensorDataset(images[train_idx], labels[train_idx])
val_set = TensorDataset(images[val_idx], labels[val_idx])
test_set = TensorDataset(images[test_idx], labels[test_idx])

train_loader = DataLoader(
    train_set,
    batch_size=64,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
)
val_loader = DataLoader(val_set, batch_size=256)
test_loader = DataLoader(test_set, batch_size=256)

# sphinx_gallery_start_ignore
assert (len(train_idx), len(val_idx), len(test_idx)) == (1079, 359, 359)
assert sorted(torch.cat([train_idx, val_idx, test_idx]).tolist()) == list(
    range(1797)
)
# sphinx_gallery_end_ignore

# %%
# The model
# ---------
# A network with one hidden layer of 128 numbers, and a **dropout** layer
# after its activation, which the next section explains. It ends with the 10
# raw logits that ``CrossEntropyLoss`` expects: no softmax.


def make_model() -> nn.Module:
    return nn.Sequential(
        nn.Linear(64, 128), nn.ReLU(), nn.Dropout(p=0.2), nn.Linear(128, 10)
    ).to(device)


model = make_model()
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))

# sphinx_gallery_start_ignore
assert (
    sum(p.numel() for p in model.parameters())
    == 64 * 128 + 128 + 128 * 10 + 10
)
# sphinx_gallery_end_ignore

# %%
# ``model.train()`` and ``model.eval()``
# --------------------------------------
# A few layers behave differently while training. **Dropout** is one: in
# training mode it sets each number to 0 with probability ``p``, at random,
# and scales the survivors by :math:`1/(1-p)` so that the average stays the
# same; it stops the network from relying on any single hidden unit. In
# evaluation mode it passes everything through unchanged. On a vector of
# ones:
dropout = nn.Dropout(p=0.2)
ones = torch.ones(10, device=device)
dropout.train()
print("train mode:", dropout(ones).tolist())
print("train mode:", dropout(ones).tolist())
dropout.eval()
print("eval mode: ", dropout(ones).tolist())

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    dropout.train()
    samples = [dropout(ones) for _ in range(200)]
    assert all(set(s.tolist()) <= {0.0, 1.25} for s in samples)
    assert any(not torch.equal(samples[0], s) for s in samples[1:])
    zero_fraction = torch.stack(samples).eq(0).float().mean().item()
    assert 0.15 < zero_fraction < 0.25, zero_fraction
    dropout.eval()
    assert torch.equal(dropout(ones), ones)
# sphinx_gallery_end_ignore

# %%
# ``model.train()`` and ``model.eval()`` set this mode on the model and every
# layer inside it, through the ``training`` attribute. A new model starts in
# training mode. In training mode, the same images give different outputs
# on every call; in evaluation mode, always the same:
batch = images[:4].to(device)
model.train()
print(
    "training:",
    model.training,
    " same output twice:",
    torch.equal(model(batch), model(batch)),
)
model.eval()
print(
    "training:",
    model.training,
    " same output twice:",
    torch.equal(model(batch), model(batch)),
)
print("the dropout layer follows:", model[2].training)

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    assert make_model().training
    model.train()
    assert not torch.equal(model(batch), model(batch))
    model.eval()
    assert torch.equal(model(batch), model(batch))
    assert not any(m.training for m in model.modules())
    # Batch normalisation, the other common layer with two modes, updates its
    # running statistics only in training mode.
    norm = nn.BatchNorm1d(3)
    norm.eval()
    norm(torch.randn(8, 3))
    assert torch.equal(norm.running_mean, torch.zeros(3))
    norm.train()
    norm(torch.randn(8, 3))
    assert not torch.equal(norm.running_mean, torch.zeros(3))
# sphinx_gallery_end_ignore

# %%
# The other common layer with two modes is batch normalisation
# (:class:`torch.nn.BatchNorm1d` and its relatives): in training mode it
# normalises with the statistics of the current batch and updates running
# averages of them, in evaluation mode it uses those averages. The rule is
# simple: call ``model.train()`` before training, ``model.eval()`` before
# evaluating, every time.
#
# ``torch.no_grad()`` or ``torch.inference_mode()``?
# --------------------------------------------------
# Evaluation needs no gradients, so there is no point in recording the
# computation for autograd: both context managers switch recording off,
# which saves memory and time. :class:`torch.inference_mode` goes further:
# what it creates are *inference tensors*, for which PyTorch skips some
# bookkeeping that autograd would need later (a version counter), so it can
# be a little faster.
with torch.no_grad():
    under_no_grad = model(batch)
with torch.inference_mode():
    under_inference = model(batch)
for name, result in [
    ("no_grad", under_no_grad),
    ("inference_mode", under_inference),
]:
    print(
        f"{name:15} requires_grad: {result.requires_grad},"
        f" inference tensor: {result.is_inference()}"
    )

# sphinx_gallery_start_ignore
assert not under_no_grad.requires_grad
assert not under_no_grad.is_inference()
assert not under_inference.requires_grad
assert under_inference.is_inference()
assert torch.equal(under_no_grad, under_inference)
assert under_no_grad._version == 0
try:  # the bookkeeping skipped
    under_inference._version
except RuntimeError as error:
    assert "Inference tensors do not track version counter" in str(error)
else:
    raise AssertionError("an inference tensor has a version counter")
# sphinx_gallery_end_ignore

# %%
# The difference shows when a result is used in training afterwards. A
# result computed under ``no_grad`` is an ordinary tensor (a constant, to
# autograd). An inference tensor may take part too, but only where autograd
# need not keep it for the backward pass: adding it to a parameter works
# (the gradient of a sum does not depend on its terms), multiplying a
# parameter by it does not (the gradient of ``weight * t`` is ``t``, which
# would have to be saved):
weight = torch.ones(10, device=device, requires_grad=True)
(under_no_grad * weight).sum().backward()
print("no_grad result times a parameter: backward() works")
(under_inference + weight).sum().backward()
print("inference tensor plus a parameter: backward() works")
try:
    (under_inference * weight).sum().backward()
except RuntimeError as error:
    print(f"inference tensor times a parameter: {str(error).split('.')[0]}.")

# sphinx_gallery_start_ignore
weight.grad = None
(under_inference + weight).sum().backward()
assert torch.equal(weight.grad, torch.full_like(weight, len(batch)))
try:
    (under_inference * weight).sum().backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("an inference tensor was saved for backward")
assert "Inference tensors cannot be saved for backward" in message
# sphinx_gallery_end_ignore

# %%
# So: ``inference_mode`` for pure evaluation, as below; ``no_grad`` when the
# results may later take part in a computation you differentiate.
#
# The loops
# ---------
# One **epoch** of training runs through every batch of the training set
# once. For each batch: move it to the device, compute the loss, clear the
# old gradients, back-propagate, step. The order of the last three matters:
# ``zero_grad()`` must come before ``backward()``, or the gradients of
# earlier batches pile up in ``.grad``. The function also reports the mean
# loss and the accuracy over the epoch.
loss_function = nn.CrossEntropyLoss()


def train_one_epoch(
    model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer
) -> tuple[float, float]:
    """Train for one epoch; return the mean loss and the accuracy."""
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        logits = model(x)
        loss = loss_function(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        seen += len(y)
    return total_loss / seen, correct / seen


# %%
# Evaluation is the same pass without the learning: evaluation mode, no
# recording, no optimizer. It returns the predictions too, for the figures
# at the end.
@torch.inference_mode()
def evaluate(
    model: nn.Module, loader: DataLoader
) -> tuple[float, float, torch.Tensor]:
    """Return the mean loss, the accuracy and the predicted classes."""
    model.eval()
    total_loss, predictions, targets = 0.0, [], []
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        logits = model(x)
        total_loss += loss_function(logits, y).item() * len(y)
        predictions.append(logits.argmax(dim=1))
        targets.append(y)
    predicted, target = torch.cat(predictions), torch.cat(targets)
    accuracy = (predicted == target).float().mean().item()
    return total_loss / len(target), accuracy, predicted.cpu()


# %%
# Before any training, the network guesses: about one image in ten is right,
# and the loss is near :math:`\log 10 \approx 2.30`, the cross-entropy of
# giving every class the same probability.
untrained_loss, untrained_accuracy, _ = evaluate(model, val_loader)
print(f"untrained: validation loss {untrained_loss:.3f},", end=" ")
print(f"accuracy {untrained_accuracy:.3f}")

# sphinx_gallery_start_ignore
assert 2.1 < untrained_loss < 2.5, untrained_loss
assert untrained_accuracy < 0.3, untrained_accuracy
# sphinx_gallery_end_ignore

# %%
# Training, and keeping the best model
# ------------------------------------
# Train for 30 epochs with :class:`torch.optim.Adam`. After each epoch,
# evaluate on the validation set; whenever the validation loss is the lowest
# so far, save the model's ``state_dict`` as a checkpoint, with
# :func:`~tutorial_helpers.checkpoints.save_checkpoint` (which replaces the
# previous file atomically), in a temporary directory. To *resume* training
# later you would save the optimizer's state too (see
# :ref:`sphx_glr_tutorials_05_save_load_plot_02_checkpoints.py`); to *use*
# the model, its weights are enough.
import tempfile
from pathlib import Path

from tutorial_helpers.checkpoints import load_checkpoint, save_checkpoint

EPOCHS = 30
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
workdir = tempfile.TemporaryDirectory()
best_path = Path(workdir.name) / "best.pt"
history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
best_val_loss = float("inf")

for epoch in range(1, EPOCHS + 1):
    train_loss, train_acc = train_one_epoch(model, train_loader, optimizer)
    val_loss, val_acc, _ = evaluate(model, val_loader)
    for key, value in zip(
        history, (train_loss, train_acc, val_loss, val_acc), strict=True
    ):
        history[key].append(value)
    if val_loss < best_val_loss:
        best_val_loss = val_loss
        save_checkpoint(
            {
                "model": model.state_dict(),
                "epoch": epoch,
                "val_loss": val_loss,
            },
            best_path,
        )
    if epoch % 5 == 0:
        print(
            f"epoch {epoch:2}: training loss {train_loss:.3f},"
            f" acc {train_acc:.3f} | validation loss {val_loss:.3f},"
            f" acc {val_acc:.3f}"
        )

# sphinx_gallery_start_ignore
assert history["train_loss"][-1] < history["train_loss"][0] / 5
assert history["val_acc"][-1] > 0.93, history["val_acc"]
# sphinx_gallery_end_ignore

# %%
# Learning curves
# ---------------
# The history of the run, drawn by
# :func:`~tutorial_helpers.training_plots.plot_learning_curves`. Both losses
# fall quickly for the first ten epochs or so. After that the training loss
# keeps falling, towards 0, while the validation loss levels off and wobbles
# from epoch to epoch: the network now mostly learns details of the training
# images that do not carry over to new ones. The widening gap between the
# curves is the start of **overfitting**. The dot marks the epoch with the
# lowest validation loss, whose model was saved; because the curve wobbles,
# the last epoch is not necessarily the best, which is why the loop keeps a
# checkpoint.
#
# (The two curves are not measured alike: the training loss is averaged
# *during* each epoch, with dropout on and the weights still changing; the
# validation loss uses the model at the end of the epoch, in evaluation
# mode. Early on this can put the training curve above the other.)
import matplotlib.pyplot as plt

from tutorial_helpers.training_plots import plot_learning_curves

checkpoint = load_checkpoint(best_path, map_location=device)
best_epoch = checkpoint["epoch"]
fig = plot_learning_curves(
    history,
    best_epoch=best_epoch,
    title="Learning curves of the digit classifier",
)
plt.show()

# sphinx_gallery_start_ignore
assert best_epoch == 1 + min(
    range(EPOCHS), key=history["val_loss"].__getitem__
)
assert checkpoint["val_loss"] == min(history["val_loss"])
# Fast at first, then the validation loss levels off while the training
# loss keeps falling, well below it.
train_l, val_l = history["train_loss"], history["val_loss"]
assert val_l[9] < 0.3 * val_l[0]
assert train_l[9] < 0.3 * train_l[0]
assert min(val_l[15:]) > 0.6 * min(val_l[:15]), val_l
assert train_l[-1] < 0.6 * train_l[14], train_l
assert train_l[-1] < 0.5 * val_l[-1]
assert history["train_acc"][-1] > history["val_acc"][-1]
assert best_epoch > 10
ax_loss, ax_acc = fig.axes
assert len(ax_loss.lines) == 3
assert len(ax_acc.lines) == 2
assert ax_loss.lines[2].get_ydata()[0] == checkpoint["val_loss"]
assert ax_acc.get_ylim() == (0.5, 1.0)
# sphinx_gallery_end_ignore

# %%
# Reloading the best model
# ------------------------
# Build a fresh model and load the saved weights into it with
# :func:`~tutorial_helpers.checkpoints.load_checkpoint`, which loads with
# ``weights_only=True`` and puts the tensors on our device. Its validation
# loss is the one recorded when it was saved.
best_model = make_model()
best_model.load_state_dict(checkpoint["model"])
reloaded_loss, reloaded_acc, _ = evaluate(best_model, val_loader)
saved_loss = checkpoint["val_loss"]
print(f"saved at epoch {best_epoch}: validation loss {saved_loss:.4f}")
print(f"reloaded:          validation loss {reloaded_loss:.4f}")
workdir.cleanup()

# sphinx_gallery_start_ignore
assert abs(reloaded_loss - checkpoint["val_loss"]) < 1e-6
assert reloaded_acc == history["val_acc"][best_epoch - 1]
# sphinx_gallery_end_ignore

# %%
# Forgetting ``model.eval()``
# ---------------------------
# Evaluated in training mode, dropout stays on: the result is worse, and it
# changes from one evaluation to the next, for the same model and the same
# images. (``evaluate`` above calls ``model.eval()`` for exactly this
# reason; here the loop is written out without it.)


def evaluate_in_train_mode(model: nn.Module) -> float:
    model.train()  # the mistake
    with torch.inference_mode():
        x, y = val_set.tensors
        return loss_function(model(x.to(device)), y.to(device)).item()


print(f"eval mode:              val. loss {reloaded_loss:.4f}")
for attempt in ("first", "second"):
    in_train_mode = evaluate_in_train_mode(best_model)
    print(f"train mode, {attempt:6} try: val. loss {in_train_mode:.4f}")

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    train_mode_losses = [evaluate_in_train_mode(best_model) for _ in range(20)]
    assert len(set(train_mode_losses)) > 1
    assert sum(train_mode_losses) / 20 > reloaded_loss
# sphinx_gallery_end_ignore

# %%
# The test set, once
# ------------------
# All choices are made, so the test set can be used. This is the number to
# report:
test_loss, test_accuracy, test_predictions = evaluate(best_model, test_loader)
test_labels = test_set.tensors[1]
n_right = (test_predictions == test_labels).sum().item()
n_images = len(test_labels)
print(f"test accuracy: {test_accuracy:.3f} ({n_right} of {n_images})")

# sphinx_gallery_start_ignore
assert test_accuracy > 0.93, test_accuracy
assert not best_model.training
# sphinx_gallery_end_ignore

# %%
# Which digits get confused
# -------------------------
# A **confusion matrix** counts, for each true digit (row), how often each
# digit was predicted (column). Correct answers lie on the diagonal; every
# number off it is a mistake, and says which digit was taken for which.
# ``bincount`` of ``10 * true + predicted`` counts all 100 pairs at once.
confusion = torch.bincount(
    10 * test_labels + test_predictions, minlength=100
).reshape(10, 10)
print(confusion)

# sphinx_gallery_start_ignore
assert confusion.sum() == len(test_labels)
assert confusion.trace() == (test_predictions == test_labels).sum()
assert torch.equal(
    confusion.sum(dim=1), torch.bincount(test_labels, minlength=10)
)
# sphinx_gallery_end_ignore

# %%
# Drawn with the counts written in, the mistakes stand out against the
# bright diagonal (drawn by
# :func:`~tutorial_helpers.training_plots.plot_confusion_matrix`):
from tutorial_helpers.training_plots import plot_confusion_matrix

fig = plot_confusion_matrix(
    confusion,
    title=f"Confusion matrix on the test set ({test_accuracy:.1%} correct)",
    what="digit",
    counted="test images",
)
plt.show()

# sphinx_gallery_start_ignore
ax = fig.axes[0]
assert len(ax.texts) == int((confusion > 0).sum())
assert [t.get_text() for t in ax.texts] == [
    str(n) for n in confusion.flatten().tolist() if n
]
# sphinx_gallery_end_ignore

# %%
# The images it got wrong
# -----------------------
# Looking at the mistakes themselves often tells more than the numbers: some
# are badly written, some are hard even for a person at 8 x 8 pixels. Each
# image is titled with its true digit and the digit the model said.
wrong = (test_predictions != test_labels).nonzero().squeeze(1)
print("misclassified test images:", len(wrong))
shown_wrong = wrong[:8]
fig, axes = plt.subplots(2, 4, figsize=(6.4, 3.9), layout="constrained")
for ax, index in zip(axes.flat, shown_wrong, strict=False):
    ax.imshow(
        test_set.tensors[0][index].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1
    )
    ax.set_title(
        f"true {test_labels[index]}, said {test_predictions[index]}",
        fontsize=11,
    )
for ax in axes.flat:
    ax.set_axis_off()
if len(shown_wrong) == len(wrong):
    fig.suptitle(f"All {len(wrong)} misclassified test images")
else:
    fig.suptitle(f"{len(shown_wrong)} of {len(wrong)} misclassified images")
plt.show()

# sphinx_gallery_start_ignore
assert len(wrong) == len(test_labels) - confusion.trace()
assert 2 <= len(wrong) <= 0.07 * len(test_labels)
assert all((test_predictions[i] != test_labels[i]).item() for i in shown_wrong)
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Split the data: train on the training set, choose with the validation
#   set, report the test set, used once.
# * The training step: ``model.train()``; forward, loss, ``zero_grad()``,
#   ``backward()``, ``step()``.
# * Evaluate with ``model.eval()`` and :class:`torch.inference_mode` (or
#   :class:`torch.no_grad` if the results feed a later computation you
#   differentiate); forgetting ``eval()`` leaves dropout on.
# * Keep the best model by validation loss as a checkpoint, reload it into a
#   fresh model, and only then look at the test set.
#
# Next: :ref:`sphx_glr_tutorials_07_training_plot_05_reproducibility.py`.
