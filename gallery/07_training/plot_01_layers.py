"""
Layers, activations and nn.Sequential
=====================================

A neural network is built from **layers**: modules from :mod:`torch.nn` that
hold their own parameters. In this tutorial you will:

* see what :class:`torch.nn.Linear` computes, what the shape of its weight
  means, and check it against a matrix product;
* learn why a network needs **activations** between its linear layers, and
  draw the three common ones: ReLU, sigmoid and tanh;
* stack layers with :class:`torch.nn.Sequential`, put a ``Sequential`` inside
  your own module, and count the parameters;
* find out how PyTorch initialises a layer's weights, and why the scale of
  that initialisation decides whether a deep network's numbers stay usable.
"""

# %%
# A linear layer
# --------------
# ``nn.Linear(in_features, out_features)`` maps a vector of ``in_features``
# numbers to one of ``out_features`` numbers. Its two parameters are a
# ``weight`` matrix and a ``bias`` vector, created with random values.
# Notice the order of the weight's shape: **(out_features, in_features)**,
# one row per output.

# sphinx_gallery_card = "Linear layers, activations and nn.Sequential."
# sphinx_gallery_assumes = "../04_modules/plot_01_modules_and_parameters"
# sphinx_gallery_assumes = "../01_tensors/plot_02_arithmetic_and_broadcasting"
import torch
from torch import nn

from tutorial_helpers import choose_device

device = choose_device()
torch.manual_seed(0)

layer = nn.Linear(in_features=4, out_features=3).to(device)
print(layer)
print("weight:", tuple(layer.weight.shape), " bias:", tuple(layer.bias.shape))

# sphinx_gallery_start_ignore
assert layer.weight.shape == (3, 4)
assert layer.bias.shape == (3,)
# sphinx_gallery_end_ignore

# %%
# The layer works on a **batch**: a tensor whose first dimension counts
# examples and whose last dimension holds each example's ``in_features``
# numbers. Five examples of 4 numbers go in, five of 3 come out.
batch = torch.randn(5, 4).to(device)
out = layer(batch)
print("in:", tuple(batch.shape), "-> out:", tuple(out.shape))

# sphinx_gallery_start_ignore
assert out.shape == (5, 3)
# sphinx_gallery_end_ignore

# %%
# What it computes
# ----------------
# Each output is a weighted sum of the inputs plus a bias. For a batch
# :math:`X` with one example per row, the whole layer is one matrix product:
#
# .. math::
#
#    Y = X W^\top + b
#
# The transpose is why the weight is stored as (out, in): row :math:`j` of
# :math:`W` holds the weights of output :math:`j`. The same numbers, computed
# by hand:
by_hand = batch @ layer.weight.T + layer.bias
print("largest difference:", (out - by_hand).abs().max().item())
print("equal within float32 rounding:", torch.allclose(out, by_hand))

# sphinx_gallery_start_ignore
assert torch.allclose(out, by_hand, rtol=1e-6, atol=1e-6)
# sphinx_gallery_end_ignore

# %%
# Any number of leading dimensions is allowed: the layer acts on the last one
# only. A batch of 2 sequences of 7 vectors keeps its (2, 7) and swaps 4
# numbers for 3:
print(tuple(layer(torch.randn(2, 7, 4).to(device)).shape))

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    assert layer(torch.randn(2, 7, 4).to(device)).shape == (2, 7, 3)
# sphinx_gallery_end_ignore

# %%
# The last dimension must be ``in_features``. Otherwise the matrix product
# fails, and the message names the two matrices: the input flattened to
# (5, 3) and the transposed weight, (4, 3).
try:
    layer(torch.randn(5, 3).to(device))
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    try:
        layer(torch.randn(5, 3).to(device))
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("a (5, 3) input passed a Linear(4, 3)")
    assert "shapes cannot be multiplied (5x3 and 4x3)" in message, message
# sphinx_gallery_end_ignore

# %%
# Two linear layers are still one linear layer
# --------------------------------------------
# Stacking linear layers alone gains nothing: :math:`(X W_1^\top + b_1)
# W_2^\top + b_2` is again :math:`X W^\top + b`, with :math:`W = W_2 W_1` and
# :math:`b = W_2 b_1 + b_2`. However many you stack, the result can only draw
# straight lines (flat planes) through the data.
first = nn.Linear(4, 8).to(device)
second = nn.Linear(8, 3).to(device)
merged = nn.Linear(4, 3).to(device)
with torch.no_grad():
    merged.weight.copy_(second.weight @ first.weight)
    merged.bias.copy_(second.weight @ first.bias + second.bias)

two_layers = second(first(batch))
print(
    "two layers == one merged layer:",
    torch.allclose(two_layers, merged(batch), atol=1e-6),
)

# sphinx_gallery_start_ignore
assert torch.allclose(two_layers, merged(batch), atol=1e-6)
# sphinx_gallery_end_ignore

# %%
# Activations
# -----------
# An **activation** is a non-linear function applied to every number between
# two linear layers. It breaks the merging above, and lets the network bend.
# The three you will meet most:
#
# * **ReLU**, :math:`\max(0, x)`: negative numbers become 0, positive ones pass
#   unchanged. The default choice between layers: cheap, and its slope is 1
#   wherever it is not 0.
# * **sigmoid**, :math:`1 / (1 + e^{-x})`: squeezes any real number into
#   (0, 1), so it can read as a probability; 0.5 at 0.
# * **tanh**: squeezes into (-1, 1), centred on 0. It is a sigmoid stretched
#   and shifted: :math:`\tanh x = 2\,\mathrm{sigmoid}(2x) - 1`.
#
# "Into (0, 1)" is the mathematics. A float32 result is rounded, so far
# enough out sigmoid gives exactly 1.0 or 0.0, and tanh exactly 1.0 (the
# last line below).
#
# Each exists as a module (``nn.ReLU()``, to put in a network) and as a
# function (``torch.relu``, to call directly); both compute the same.
x = torch.linspace(-4, 4, 9, device=device)
print("x:      ", x.tolist())
print("relu:   ", nn.ReLU()(x).tolist())
print("sigmoid:", [round(v, 3) for v in torch.sigmoid(x).tolist()])
print("tanh:   ", [round(v, 3) for v in torch.tanh(x).tolist()])
far = torch.tensor([-104.0, 17.0], device=device)
print("float32 sigmoid(-104), sigmoid(17), tanh(10):",
      torch.sigmoid(far).tolist(),
      torch.tanh(torch.tensor(10.0, device=device)).item())  # fmt: skip

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    assert torch.equal(nn.ReLU()(x), torch.relu(x))
    assert torch.equal(torch.relu(x), x.clamp(min=0))
    assert torch.sigmoid(torch.tensor(0.0)).item() == 0.5
    assert torch.allclose(
        torch.tanh(x), 2 * torch.sigmoid(2 * x) - 1, atol=1e-6
    )
    assert (torch.sigmoid(x) > 0).all()
    assert (torch.sigmoid(x) < 1).all()
    assert (torch.tanh(x).abs() < 1).all()
    assert torch.sigmoid(far).tolist() == [0.0, 1.0]
    assert torch.sigmoid(torch.tensor(16.0)).item() < 1.0  # 17 is the first
    assert torch.tanh(torch.tensor(10.0, device=device)).item() == 1.0
# sphinx_gallery_end_ignore

# %%
# Drawn over a wider range: ReLU grows without limit on the right, the other
# two flatten out (*saturate*). Where a curve is flat its slope is nearly 0,
# and so is the gradient that flows back through it: saturated sigmoids and
# tanhs learn slowly.
import matplotlib.pyplot as plt

grid = torch.linspace(-5, 5, 201)
fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
ax.plot(grid, torch.relu(grid), lw=2.5, label="ReLU: max(0, x)")
ax.plot(
    grid, torch.sigmoid(grid), lw=2.5, ls="--", label="sigmoid: 1 / (1 + e⁻ˣ)"
)
ax.plot(grid, torch.tanh(grid), lw=2.5, ls="-.", label="tanh")
ax.axhline(0, color="0.6", lw=0.8)
ax.axvline(0, color="0.6", lw=0.8)
ax.set(xlabel="input x", ylabel="activation(x)", ylim=(-1.5, 3))
ax.set_title("ReLU, sigmoid and tanh activations")
ax.grid(True, alpha=0.3)
ax.legend(loc="upper left")
plt.show()

# sphinx_gallery_start_ignore
assert len(ax.lines) == 5
assert abs(torch.sigmoid(torch.tensor(5.0)).item() - 1) < 0.01
# sphinx_gallery_end_ignore

# %%
# Stacking layers: ``nn.Sequential``
# ----------------------------------
# :class:`torch.nn.Sequential` holds modules in order and, when called, feeds
# the output of each to the next. Here is a small network for the 8 x 8 pixel
# images of handwritten digits that the training tutorial uses: 64 pixel
# values in, one score for each of the 10 digits out, with one *hidden* layer
# of 32 numbers between.
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).to(
    device
)
print(model)

# %%
# Its layers are numbered from 0, and indexing gives each back. Calling the
# model is exactly calling its layers one after the other:
images = torch.rand(5, 64).to(device)
one_by_one = model[2](model[1](model[0](images)))
print("model[0] is", model[0])
print("output:", tuple(model(images).shape))
print("same as calling each layer:", torch.equal(model(images), one_by_one))

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    assert len(model) == 3
    assert isinstance(model[1], nn.ReLU)
    assert torch.equal(model(images), one_by_one)
    assert model(images).shape == (5, 10)
# sphinx_gallery_end_ignore

# %%
# Composing modules
# -----------------
# A ``Sequential`` is itself a module, so it can be one attribute of your own.
# Writing a class lets ``forward`` do things a straight chain cannot, such as
# reshaping the input first. This classifier accepts images as (batch, 8, 8)
# and flattens each to 64 numbers with :class:`torch.nn.Flatten`:


class DigitClassifier(nn.Module):
    """Two layers that score 8 x 8 images for the 10 digits."""

    def __init__(self, hidden: int = 32) -> None:
        super().__init__()
        self.flatten = nn.Flatten()  # (batch, 8, 8) -> (batch, 64)
        self.layers = nn.Sequential(
            nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.layers(self.flatten(images))


classifier = DigitClassifier().to(device)
print(classifier)
print(tuple(classifier(torch.rand(5, 8, 8).to(device)).shape))

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    assert classifier(torch.rand(5, 8, 8).to(device)).shape == (5, 10)
# sphinx_gallery_end_ignore

# %%
# Parameter names follow the attributes: ``layers.0.weight`` is the weight of
# layer 0 inside the attribute ``layers``. These are the keys of the
# ``state_dict`` that a checkpoint saves.
for name, parameter in classifier.named_parameters():
    print(f"{name:16} {tuple(parameter.shape)}")

# sphinx_gallery_start_ignore
assert [name for name, _ in classifier.named_parameters()] == [
    "layers.0.weight",
    "layers.0.bias",
    "layers.2.weight",
    "layers.2.bias",
]
assert list(classifier.state_dict()) == [
    n for n, _ in classifier.named_parameters()
]
# sphinx_gallery_end_ignore

# %%
# Counting parameters
# -------------------
# A ``Linear(n_in, n_out)`` has :math:`n_{in} \times n_{out}` weights and
# :math:`n_{out}` biases; ReLU and Flatten have none. So this network has
# :math:`64 \cdot 32 + 32 + 32 \cdot 10 + 10 = 2410` numbers to learn.
# :meth:`~torch.Tensor.numel` counts a tensor's elements; summing it over the
# parameters counts the model's:
total = sum(p.numel() for p in classifier.parameters())
trainable = sum(p.numel() for p in classifier.parameters() if p.requires_grad)
print("parameters:", total, " of which trainable:", trainable)

# sphinx_gallery_start_ignore
assert total == trainable == 64 * 32 + 32 + 32 * 10 + 10 == 2410
# sphinx_gallery_end_ignore

# %%
# How a layer is initialised
# --------------------------
# A new ``nn.Linear`` draws every weight (and every bias) uniformly between
# :math:`-1/\sqrt{n_{in}}` and :math:`+1/\sqrt{n_{in}}`, where :math:`n_{in}`
# is ``in_features``. (The source calls it Kaiming-uniform initialisation
# with :math:`a = \sqrt 5`, which works out to this bound.) The wider the
# input, the smaller the weights:
for n_in in [16, 256, 2048]:
    wide = nn.Linear(n_in, 64)
    bound = n_in**-0.5
    largest = wide.weight.abs().max().item()
    print(
        f"in_features {n_in:5}: bound 1/sqrt(n_in) = {bound:.4f},"
        f" largest |weight| = {largest:.4f}"
    )

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    for n_in in [16, 256, 2048]:
        wide = nn.Linear(n_in, 64)
        bound = n_in**-0.5
        for values in (wide.weight, wide.bias):
            assert values.abs().max().item() <= bound
            assert (
                values.abs().max().item() > 0.9 * bound
            )  # the bound, not a smaller one
            # uniform on [-bound, bound] has standard deviation bound / sqrt(3)
        assert abs(wide.weight.std().item() / (bound / 3**0.5) - 1) < 0.05
# sphinx_gallery_end_ignore

# %%
# Why scale by :math:`1/\sqrt{n_{in}}`? Each output adds up :math:`n_{in}`
# products, and a sum of :math:`n` independent random terms has a spread
# (standard deviation) :math:`\sqrt n` times that of one term. Weights of size
# :math:`1/\sqrt{n_{in}}` cancel that growth, so the spread of a layer's
# output does not depend on how wide its input is. Feed inputs of spread 1 to
# layers of very different widths:
for n_in in [16, 256, 2048]:
    outputs = nn.Linear(n_in, 64)(torch.randn(500, n_in))
    print(f"in_features {n_in:5}: outputs' spread {outputs.std():.3f}")

# sphinx_gallery_start_ignore
# Random numbers drawn here leave the page's (and the download's) as they are.
with torch.random.fork_rng(devices=[]):
    spreads = [
        nn.Linear(n, 64)(torch.randn(500, n)).std().item()
        for n in [16, 256, 2048]
    ]
    # 1/sqrt(3) = 0.577: n weights of variance 1/(3n), plus a small bias
    assert all(0.5 < s < 0.65 for s in spreads), spreads
# sphinx_gallery_end_ignore

# %%
# The spread through a deep network
# ---------------------------------
# Over many layers, the factor by which each layer scales the spread is
# multiplied again and again. Follow a batch through 12 layers of width 256,
# each ``Linear`` followed by ReLU, and measure the spread of every layer's
# output (before its ReLU) with three initialisations:
#
# * **unscaled**: weights uniform in (-1, 1) whatever the width. Each layer
#   after the first multiplies the spread by about 6.5, and after a few
#   layers the numbers are astronomically large;
# * **PyTorch's default**, above: the spread no longer depends on the width,
#   but each layer (with the ReLU that zeroes half the numbers) shrinks it to
#   about 0.4 of its size, until all that is left is the spread of the random
#   biases (about 0.04): deep down, the output hardly depends on the input;
# * **Kaiming (He) normal**, :func:`torch.nn.init.kaiming_normal_` with
#   ``nonlinearity="relu"``: weights of standard deviation
#   :math:`\sqrt{2 / n_{in}}`, scaled to make up for what ReLU removes. The
#   spread stays about the same at every depth, so a deep ReLU network starts
#   out trainable.
DEPTH, WIDTH = 12, 256


def spread_per_layer(initialise) -> list[float]:
    """Standard deviation of each layer's output, before its ReLU."""
    torch.manual_seed(0)
    hidden = torch.randn(1000, WIDTH).to(device)
    spreads = []
    for _ in range(DEPTH):
        linear = nn.Linear(WIDTH, WIDTH).to(device)
        initialise(linear)
        before_relu = linear(hidden)
        spreads.append(before_relu.std().item())
        hidden = torch.relu(before_relu)
    return spreads


def unscaled(linear: nn.Linear) -> None:
    nn.init.uniform_(linear.weight, -1.0, 1.0)
    nn.init.zeros_(linear.bias)


def pytorch_default(linear: nn.Linear) -> None:
    pass  # keep what nn.Linear drew


def kaiming_normal(linear: nn.Linear) -> None:
    nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
    nn.init.zeros_(linear.bias)


with torch.no_grad():
    results = {
        "unscaled, uniform(-1, 1)": spread_per_layer(unscaled),
        "PyTorch default, ±1/√n": spread_per_layer(pytorch_default),
        "Kaiming normal, std √(2/n)": spread_per_layer(kaiming_normal),
    }
print(f"{'spread of the output':27} {'layer 1':>9} {'layer 12':>9}")
for name, spreads in results.items():
    print(f"{name:27} {spreads[0]:9.3g} {spreads[-1]:9.3g}")

# sphinx_gallery_start_ignore
import itertools

unscaled_s, default_s, kaiming_s = results.values()
assert unscaled_s[-1] > 1e8
assert all(5.5 < b / a < 7.5 for a, b in itertools.pairwise(unscaled_s)), (
    unscaled_s
)
assert default_s[-1] < 0.1 * default_s[0]
assert all(0.35 < b / a < 0.5 for a, b in itertools.pairwise(default_s[:3])), (
    default_s
)
assert all(0.03 < s < 0.05 for s in default_s[5:]), (
    default_s
)  # bias std: 1/sqrt(3 * 256)
assert all(0.7 * kaiming_s[0] < s < 1.3 * kaiming_s[0] for s in kaiming_s), (
    kaiming_s
)
# sphinx_gallery_end_ignore

# %%
# On a logarithmic scale, a constant factor per layer is a straight line:
fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
layers = range(1, DEPTH + 1)
for (name, spreads), marker in zip(results.items(), "osD", strict=True):
    ax.plot(layers, spreads, marker=marker, lw=2, label=name)
ax.set_yscale("log")
ax.set(
    xlabel="layer (Linear + ReLU, width 256)",
    ylabel="spread of the layer's output (std)",
)
ax.set_title("How the initialisation scale changes the spread with depth")
ax.grid(True, which="major", alpha=0.3)
ax.legend(loc="upper left")
plt.show()

# sphinx_gallery_start_ignore
assert len(ax.lines) == 3
# sphinx_gallery_end_ignore

# %%
# For the shallow networks of this section the default is fine; for deep
# ReLU networks, re-initialise with :func:`~torch.nn.init.kaiming_normal_`
# (or use normalisation layers, which re-scale the numbers as they go).
#
# Summary
# -------
# * ``nn.Linear(n_in, n_out)`` computes :math:`Y = X W^\top + b` on the last
#   dimension; its weight has shape (out, in).
# * Without activations, stacked linear layers collapse into one. ReLU is the
#   usual activation between layers; sigmoid and tanh squeeze into (0, 1) and
#   (-1, 1), up to float32 rounding.
# * ``nn.Sequential`` chains modules; your own module can hold one, and its
#   parameters are named after the attributes.
# * Count parameters with ``sum(p.numel() for p in model.parameters())``.
# * Weights are initialised at a scale of :math:`1/\sqrt{n_{in}}`, so the
#   spread of the numbers does not grow with the width; deep ReLU networks
#   need Kaiming initialisation to keep it steady with depth.
#
# Next: :ref:`sphx_glr_tutorials_07_training_plot_02_losses.py`.
