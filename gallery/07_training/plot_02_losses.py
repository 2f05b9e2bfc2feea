"""
Losses: mean squared error and cross-entropy
============================================

A **loss** is one number that says how wrong a model's outputs are; training
lowers it. Which loss to use depends on what the model predicts. In this
tutorial you will:

* use mean squared error for numbers (*regression*), and meet the shape
  mistake that silently breaks it;
* turn a classifier's raw scores, its **logits**, into probabilities with
  softmax, and into log-probabilities with log-softmax;
* compute cross-entropy with :class:`torch.nn.CrossEntropyLoss`, which takes
  raw logits and class indices of dtype int64 (or probabilities);
* see what goes wrong when softmax is applied twice, and why
  ``log(softmax(x))`` fails where ``torch.log_softmax`` does not.
"""

# %%
# Regression: mean squared error
# ------------------------------
# When the model predicts a number (a price, a temperature), the usual loss is
# the **mean squared error**: the average of the squared differences between
# predictions and targets. :class:`torch.nn.MSELoss` computes it; a loss
# module is created once and then called like a function.

# sphinx_gallery_card = "MSE for numbers, cross-entropy for classes."
# sphinx_gallery_assumes = "plot_01_layers"
import torch
from torch import nn

from tutorial_helpers import choose_device

device = choose_device()
torch.manual_seed(0)

predictions = torch.tensor([2.5, 0.0, 2.0, 8.0], device=device)
targets = torch.tensor([3.0, -0.5, 2.0, 7.0], device=device)
mse = nn.MSELoss()
print("MSELoss:", mse(predictions, targets).item())
print("by hand:", ((predictions - targets) ** 2).mean().item())

# sphinx_gallery_start_ignore
assert (
    mse(predictions, targets).item()
    == 0.375
    == ((predictions - targets) ** 2).mean().item()
)
# sphinx_gallery_end_ignore

# %%
# The shapes must match. A model with one output per example returns a
# column, shape (4, 1); if the targets are a flat (4,), the subtraction
# *broadcasts* to a (4, 4) table of every prediction minus every target, and
# the loss averages the wrong 16 numbers. PyTorch only warns:
import warnings

column = predictions.unsqueeze(1)  # shape (4, 1), as nn.Linear(..., 1) returns
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = mse(column, targets)
print("UserWarning:", caught[0].message)
print("loss with (4, 1) and (4,):", wrong.item())
print("loss with matching shapes:", mse(column.squeeze(1), targets).item())

# sphinx_gallery_start_ignore
assert len(caught) == 1
assert caught[0].category is UserWarning
assert "will likely lead to incorrect results due to broadcasting" in str(
    caught[0].message
)
assert wrong.item() != mse(predictions, targets).item()
assert (
    wrong.item() == ((column - targets) ** 2).mean().item()
)  # the (4, 4) table
# sphinx_gallery_end_ignore

# %%
# Classification: logits
# ----------------------
# A classifier for :math:`C` classes ends with a ``Linear`` layer of :math:`C`
# outputs: one score per class, for each example. These raw scores are the
# **logits**. They can be any real numbers; the largest one is the predicted
# class. Here are the logits for a batch of 3 examples and 4 classes:
logits = torch.tensor(
    [[2.0, 1.0, 0.1, -1.0], [0.5, 2.5, 0.3, 0.0], [-1.0, 0.0, 1.0, 3.0]],
    device=device,
)
print("predicted classes:", logits.argmax(dim=1).tolist())

# sphinx_gallery_start_ignore
assert logits.argmax(dim=1).tolist() == [0, 1, 3]
# sphinx_gallery_end_ignore

# %%
# Softmax: logits to probabilities
# --------------------------------
# **Softmax** turns each row of logits into probabilities: exponentiate (all
# positive), then divide by the row's sum (they add up to 1),
#
# .. math::
#
#    \mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}.
#
# It keeps the order, so the predicted class does not change. ``dim=1`` says
# which dimension holds the classes: each *row* must sum to 1.
probabilities = torch.softmax(logits, dim=1)
print(probabilities.cpu().numpy().round(3))
print("row sums:", [round(s, 6) for s in probabilities.sum(dim=1).tolist()])

# sphinx_gallery_start_ignore
assert torch.allclose(probabilities.sum(dim=1), torch.ones(3, device=device))
assert torch.equal(probabilities.argmax(dim=1), logits.argmax(dim=1))
assert torch.allclose(
    probabilities, logits.exp() / logits.exp().sum(dim=1, keepdim=True)
)
# sphinx_gallery_end_ignore

# %%
# The first example drawn both ways: the logits can be negative, the
# probabilities cannot, and the largest logit gets the largest probability.
import matplotlib.pyplot as plt

classes = ["0", "1", "2", "3"]
fig, (ax_logits, ax_probs) = plt.subplots(
    1, 2, figsize=(6.4, 3.4), layout="constrained"
)
ax_logits.bar(classes, logits[0].cpu(), color="tab:blue")
ax_logits.axhline(0, color="0.3", lw=0.8)
ax_logits.set(ylabel="logit (raw score)", title="Logits")
ax_probs.bar(classes, probabilities[0].cpu(), color="tab:orange")
ax_probs.set(ylabel="probability", ylim=(0, 1), title="softmax(logits)")
for ax in (ax_logits, ax_probs):
    ax.set_xlabel("class")
fig.suptitle(
    "One example's logits and the probabilities softmax makes of them"
)
plt.show()

# sphinx_gallery_start_ignore
assert len(ax_logits.patches) == len(ax_probs.patches) == 4
# sphinx_gallery_end_ignore

# %%
# Log-softmax
# -----------
# Losses work with the *logarithms* of the probabilities, and
# ``torch.log_softmax`` (the same operation as
# :func:`torch.nn.functional.log_softmax`) computes them directly.
# Log-probabilities are at most 0; the closer to 0, the more likely the
# class.
log_probabilities = torch.log_softmax(logits, dim=1)
print(log_probabilities.cpu().numpy().round(3))

# sphinx_gallery_start_ignore
assert torch.allclose(log_probabilities, probabilities.log(), atol=1e-6)
assert (log_probabilities <= 0).all()
assert torch.equal(log_probabilities, nn.functional.log_softmax(logits, dim=1))
# sphinx_gallery_end_ignore

# %%
# Cross-entropy
# -------------
# The loss for classification is **cross-entropy**: minus the
# log-probability the model gives the *correct* class, averaged over the
# batch. A confident right answer (probability near 1) costs almost nothing;
# a confident wrong one costs a lot.
#
# :class:`torch.nn.CrossEntropyLoss` takes the **raw logits** and the correct
# **class indices**, one per example: it applies log-softmax itself. By hand,
# pick each row's log-probability at its target with fancy indexing:
labels = torch.tensor(
    [0, 2, 3], device=device
)  # the correct class of each example
cross_entropy = nn.CrossEntropyLoss()
loss = cross_entropy(logits, labels)
rows = torch.arange(3, device=device)
by_hand = -log_probabilities[rows, labels].mean()
print(f"CrossEntropyLoss: {loss.item():.4f}  by hand: {by_hand.item():.4f}")

# sphinx_gallery_start_ignore
assert torch.allclose(loss, by_hand)
assert torch.allclose(loss, nn.functional.nll_loss(log_probabilities, labels))
# sphinx_gallery_end_ignore

# %%
# Class indices are int64
# -----------------------
# The targets are integer positions into each row of logits, and PyTorch's
# index type is int64 (``torch.long``): :func:`torch.tensor` gives int64 for
# Python integers. Targets of another integer dtype, such as the int32 that
# some data files store, or labels stored as floats, are refused:
for wrong_dtype in (torch.int32, torch.float32):
    try:
        cross_entropy(logits, labels.to(wrong_dtype))
    except RuntimeError as error:
        print(f"{wrong_dtype}: RuntimeError: {error}")

# sphinx_gallery_start_ignore
assert labels.dtype == torch.int64
for wrong_dtype, name in ((torch.int32, "Int"), (torch.float32, "Float")):
    try:
        cross_entropy(logits, labels.to(wrong_dtype))
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError(f"{wrong_dtype} targets were accepted")
    assert (
        f"expected target dtype to be Long or Byte, but got {name}" in message
    )
# sphinx_gallery_end_ignore

# %%
# (Byte, uint8, is accepted too, but it cannot hold more than 256 classes.)
# The fix is ``.long()``, which gives the same loss as int64 labels:
print(
    cross_entropy(logits, labels.to(torch.int32).long()).item() == loss.item()
)

# sphinx_gallery_start_ignore
assert cross_entropy(logits, labels.to(torch.uint8)).item() == loss.item()
assert (
    cross_entropy(logits, labels.to(torch.int32).long()).item() == loss.item()
)
# sphinx_gallery_end_ignore

# %%
# Probabilities as targets
# ------------------------
# A floating-point target *of the same shape as the logits* means something
# else: a probability for every class. One-hot rows (all probability on the
# correct class) give the same loss as class indices; softer targets, such as
# "70 % class 0, 30 % class 1" when annotators disagree, are allowed too.
one_hot = nn.functional.one_hot(labels, num_classes=4).float()
print(one_hot)
print(f"one-hot targets: {cross_entropy(logits, one_hot).item():.4f}")
soft = torch.tensor(
    [[0.7, 0.3, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.1, 0.9]],
    device=device,
)
print(f"soft targets:    {cross_entropy(logits, soft).item():.4f}")

# sphinx_gallery_start_ignore
assert torch.allclose(cross_entropy(logits, one_hot), loss)
expected_soft = -(soft * log_probabilities).sum(dim=1).mean()
assert torch.allclose(cross_entropy(logits, soft), expected_soft)
# sphinx_gallery_end_ignore

# %%
# Softmax applied twice
# ---------------------
# Because ``CrossEntropyLoss`` applies log-softmax itself, a model must hand
# it raw logits. A common mistake is to end the model with ``nn.Softmax``
# and pass its probabilities to the loss, which then takes the softmax of
# probabilities. Numbers between 0 and 1 are close together as logits, so the
# result is nearly uniform, whatever the model says. With 10 classes and a
# correct answer given a logit 20 higher than the rest:
ten_logits = torch.zeros(1, 10, device=device)
ten_logits[0, 3] = 20.0
target = torch.tensor([3], device=device)
print(f"logits to the loss:       {cross_entropy(ten_logits, target):.4f}")
double = cross_entropy(torch.softmax(ten_logits, dim=1), target)
print(f"probabilities to the loss: {double.item():.4f}")

# sphinx_gallery_start_ignore
assert cross_entropy(ten_logits, target).item() < 1e-6
# sphinx_gallery_end_ignore

# %%
# A perfect prediction still costs 1.46, and no prediction can cost less.
# The best the doubled softmax can do is to take the softmax of a one-hot
# row: the right class gets :math:`e / (e + 9)`, a loss of
# :math:`\log(1 + 9/e)`.
import math

floor = math.log(1 + 9 / math.e)
print(f"log(1 + 9/e) = {floor:.4f}")

# sphinx_gallery_start_ignore
assert abs(double.item() - floor) < 1e-4
one_hot_row = torch.zeros(1, 10, device=device)
one_hot_row[0, 3] = 1.0
assert abs(cross_entropy(one_hot_row, target).item() - floor) < 1e-6
# sphinx_gallery_end_ignore

# %%
# Worse, the loss barely changes as the logit moves, so its gradient, the
# signal training follows, is tiny. Move the correct class's logit from -10
# to 10, others at 0:
correct_logit = torch.linspace(-10, 10, 201, device=device)
batch = torch.zeros(201, 10, device=device)
batch[:, 3] = correct_logit
targets_3 = torch.full((201,), 3, device=device)
per_example = nn.CrossEntropyLoss(reduction="none")
right_way = per_example(batch, targets_3)
twice = per_example(torch.softmax(batch, dim=1), targets_3)
print(f"logits:        loss {right_way.max():.2f} to {right_way.min():.4f}")
print(f"softmax twice: loss {twice.max():.2f} to {twice.min():.4f}")

# sphinx_gallery_start_ignore
assert twice.min().item() >= floor - 1e-5
assert twice.max().item() < 2.5
assert right_way.max().item() > 12
# the slope of the doubled loss is far flatter where training starts (logits
# near 0)
slope_right = (right_way[101] - right_way[99]) / 0.2
slope_twice = (twice[101] - twice[99]) / 0.2
assert abs(slope_twice) < abs(slope_right) / 5
# sphinx_gallery_end_ignore

# %%
# Drawn, the right loss falls steeply towards 0 as the correct logit grows;
# the doubled one is almost flat and never gets below 1.46.
fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
ax.plot(
    correct_logit.cpu(),
    right_way.cpu(),
    lw=2.5,
    label="CrossEntropyLoss(logits)",
)
ax.plot(
    correct_logit.cpu(),
    twice.cpu(),
    lw=2.5,
    ls="--",
    label="CrossEntropyLoss(softmax(logits))",
)
ax.axhline(floor, color="0.5", lw=1, ls=":")
ax.annotate(
    f"floor log(1 + 9/e) = {floor:.2f}",
    (-9.5, floor),
    xytext=(0, 4),
    textcoords="offset points",
    color="0.3",
)
ax.set(xlabel="logit of the correct class (the 9 others are 0)", ylabel="loss")
ax.set_title("Cross-entropy of logits, and of softmax applied twice")
ax.grid(True, alpha=0.3)
ax.legend()
plt.show()

# sphinx_gallery_start_ignore
assert len(ax.lines) == 3
# sphinx_gallery_end_ignore

# %%
# Likewise, do not put ``nn.ReLU`` after the last layer: logits must be free
# to be negative. If every logit of an example is negative, ReLU makes them
# all 0, the probabilities uniform, and the loss :math:`\log C` whatever the
# correct class:
negative = torch.tensor([[-3.0, -1.0, -2.0, -5.0]], device=device)
for c in range(4):
    relu_loss = cross_entropy(
        torch.relu(negative), torch.tensor([c], device=device)
    )
    print(f"correct class {c}: loss {relu_loss.item():.4f}")

# sphinx_gallery_start_ignore
for c in range(4):
    relu_loss = cross_entropy(
        torch.relu(negative), torch.tensor([c], device=device)
    )
    assert abs(relu_loss.item() - math.log(4)) < 1e-6
# sphinx_gallery_end_ignore

# %%
# Why log-softmax, and not log of softmax
# ---------------------------------------
# Written out naively, softmax overflows: float32 holds numbers up to about
# :math:`3.4 \times 10^{38}`, so :math:`e^{z}` is ``inf`` once a logit passes
# the logarithm of that, :math:`\ln(3.4 \times 10^{38}) \approx 88.7228`,
# and ``inf / inf`` is ``nan``.
big = torch.tensor([100.0, 0.0], device=device)
print("exp:", torch.exp(big).tolist())
print("naive softmax:", (torch.exp(big) / torch.exp(big).sum()).tolist())
print("torch.softmax:", torch.softmax(big, dim=0).tolist())

# sphinx_gallery_start_ignore
assert math.isinf(torch.exp(big)[0].item())
assert math.isnan((torch.exp(big) / torch.exp(big).sum())[0].item())
assert torch.softmax(big, dim=0)[0].item() == 1.0
assert torch.softmax(big, dim=0)[1].item() < 1e-40  # e^-100: tiny
assert math.isfinite(torch.exp(torch.tensor(88.72)).item())
assert math.isinf(torch.exp(torch.tensor(88.73)).item())
assert round(math.log(torch.finfo(torch.float32).max), 4) == 88.7228
assert abs(torch.finfo(torch.float32).max / 3.4e38 - 1) < 0.01
# sphinx_gallery_end_ignore

# %%
# :func:`torch.softmax` avoids the overflow by subtracting the row's largest
# logit first, which does not change the result (the factor :math:`e^{-m}`
# cancels) and makes every exponent at most 0. But a probability too small
# for float32 still *underflows* to 0, and its logarithm is ``-inf``. Here
# the second class's probability is :math:`e^{-200}`, far below the smallest
# float32 (about :math:`10^{-45}`):
far_apart = torch.tensor([0.0, -200.0], device=device)
print("softmax:          ", torch.softmax(far_apart, dim=0).tolist())
print(
    "log(softmax):     ", torch.log(torch.softmax(far_apart, dim=0)).tolist()
)
print("torch.log_softmax:", torch.log_softmax(far_apart, dim=0).tolist())

# sphinx_gallery_start_ignore
assert torch.softmax(far_apart, dim=0).tolist() == [1.0, 0.0]
assert torch.log(torch.softmax(far_apart, dim=0)).tolist() == [0.0, -math.inf]
assert torch.log_softmax(far_apart, dim=0).tolist() == [0.0, -200.0]
# sphinx_gallery_end_ignore


# %%
# ``torch.log_softmax`` never forms the tiny probability. It uses
#
# .. math::
#
#    \log \mathrm{softmax}(z)_i = z_i - m - \log \sum_j e^{z_j - m},
#    \qquad m = \max_j z_j,
#
# in which every term is an ordinary number. Written in PyTorch, it matches:
def stable_log_softmax(z: torch.Tensor) -> torch.Tensor:
    m = z.max()
    return z - m - torch.log(torch.exp(z - m).sum())


print(stable_log_softmax(far_apart).tolist())

# sphinx_gallery_start_ignore
assert torch.equal(
    stable_log_softmax(far_apart), torch.log_softmax(far_apart, dim=0)
)
assert torch.allclose(stable_log_softmax(logits[1]), log_probabilities[1])
# sphinx_gallery_end_ignore

# %%
# The ``-inf`` matters in training. If that unlikely class is the correct
# one, the naive loss is infinite and its gradient is ``nan``; one step of the
# optimizer would then turn every weight into ``nan``. The loss built on
# log-softmax, as ``CrossEntropyLoss`` is, gives a large but finite loss and
# a usable gradient:
scores = far_apart.unsqueeze(0).clone().requires_grad_()
wrong_class = torch.tensor([1], device=device)
naive_loss = nn.functional.nll_loss(
    torch.log(torch.softmax(scores, dim=1)), wrong_class
)
naive_loss.backward()
print("naive loss:", naive_loss.item(), " gradient:", scores.grad.tolist())

scores.grad = None
stable_loss = cross_entropy(scores, wrong_class)
stable_loss.backward()
print(
    "CrossEntropyLoss:", stable_loss.item(), " gradient:", scores.grad.tolist()
)

# sphinx_gallery_start_ignore
assert math.isinf(naive_loss.item())
stable_grad = scores.grad.clone()
assert stable_loss.item() == 200.0
assert stable_grad.tolist() == [[1.0, -1.0]]
scores.grad = None
nn.functional.nll_loss(
    torch.log(torch.softmax(scores, dim=1)), wrong_class
).backward()
assert torch.isnan(scores.grad).all()
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Regression: :class:`~torch.nn.MSELoss`, with predictions and targets of
#   the same shape (a (N, 1) against a (N,) broadcasts, with only a warning).
# * Classification: the model outputs raw **logits**;
#   :class:`~torch.nn.CrossEntropyLoss` applies log-softmax itself and takes
#   int64 class indices of shape (N,), or probabilities of the logits' shape.
# * Never softmax before ``CrossEntropyLoss`` (nor ReLU the logits): use
#   softmax only to read probabilities.
# * Use ``torch.log_softmax``, never ``log(softmax(...))``: the
#   latter underflows to ``-inf`` and poisons the gradients with ``nan``.
#
# Next: :ref:`sphx_glr_tutorials_07_training_plot_03_data.py`.
