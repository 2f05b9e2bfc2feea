"""
Datasets and data loaders
=========================

A model is trained on small **batches** of examples, drawn in a new order
every pass over the data. PyTorch splits that job in two:
a :class:`~torch.utils.data.Dataset` knows how many examples there are and
how to fetch example number ``i``; a :class:`~torch.utils.data.DataLoader`
draws examples from it, stacks them into batches and shuffles them. In this
tutorial you will:

* wrap tensors in a :class:`~torch.utils.data.TensorDataset`, and look at one
  example and one batch;
* set ``batch_size``, ``shuffle`` (with a seeded :class:`torch.Generator`, so
  the order is the same every run) and ``drop_last``;
* write your own ``Dataset`` for the images of handwritten digits that ship
  with scikit-learn, and see on them why the order of the examples matters;
* learn what ``num_workers`` does, when it helps, and how worker processes
  seed their random numbers.
"""

# %%
# A dataset of tensors
# --------------------
# Ten examples of two features each, and a label for each. A
# :class:`~torch.utils.data.TensorDataset` pairs them up: its length is the
# number of examples, and indexing it gives one example as a tuple
# ``(features, label)``, taken from the same row of each tensor.

# sphinx_gallery_card = "Datasets, batches and shuffling: DataLoader."
# sphinx_gallery_assumes = "../01_tensors/plot_04_joining_tensors"
# sphinx_gallery_assumes = "../01_tensors/plot_07_creating_and_reducing"
import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset

from tutorial_helpers import choose_device

device = choose_device()
torch.manual_seed(0)

features = torch.arange(20, dtype=torch.float32).reshape(10, 2)
labels = torch.arange(10) % 3
dataset = TensorDataset(features, labels)
print("examples:", len(dataset))
print("example 4:", dataset[4])

# sphinx_gallery_start_ignore
assert len(dataset) == 10
x4, y4 = dataset[4]
assert torch.equal(x4, features[4])
assert torch.equal(y4, labels[4])
# sphinx_gallery_end_ignore

# %%
# The tensors must agree on the number of examples; the check is an
# ``assert`` inside ``TensorDataset``, so the error is terse:
try:
    TensorDataset(features, labels[:9])
except AssertionError as error:
    print(f"AssertionError: {error}")

# sphinx_gallery_start_ignore
try:
    TensorDataset(features, labels[:9])
except AssertionError as error:
    message = str(error)
else:
    raise AssertionError("tensors of 10 and 9 rows were paired")
assert message == "Size mismatch between tensors"
# sphinx_gallery_end_ignore

# %%
# Batches
# -------
# A :class:`~torch.utils.data.DataLoader` is iterated over, and each step
# gives one batch. With ``batch_size=4``, each batch holds four examples
# *stacked*: the features of a batch are one (4, 2) tensor, its labels one
# (4,) tensor, in a list in the order the dataset returns them. Ten examples
# make batches of 4, 4 and 2: the last one is what is left.
loader = DataLoader(dataset, batch_size=4)
print("batches per pass:", len(loader))
for batch_features, batch_labels in loader:
    print(
        tuple(batch_features.shape),
        tuple(batch_labels.shape),
        batch_labels.tolist(),
    )

# sphinx_gallery_start_ignore
shapes = [(tuple(f.shape), tuple(y.shape)) for f, y in loader]
assert shapes == [((4, 2), (4,)), ((4, 2), (4,)), ((2, 2), (2,))]
assert len(loader) == 3
first_batch = next(iter(loader))
assert isinstance(first_batch, list)
assert len(first_batch) == 2
assert torch.equal(first_batch[0], features[:4])
# sphinx_gallery_end_ignore

# %%
# One batch, in full. Without shuffling, it is simply the first four rows:
batch_features, batch_labels = next(iter(loader))
print(batch_features)
print(batch_labels)

# sphinx_gallery_start_ignore
assert torch.equal(batch_features, features[:4])
assert torch.equal(batch_labels, labels[:4])
# sphinx_gallery_end_ignore

# %%
# ``drop_last=True`` drops the short last batch, so every batch has the same
# size. Use it when a smaller batch would cause trouble (a layer that needs
# several examples, or a fixed-size buffer); the dropped examples change from
# one pass to the next when shuffling, so none is left out for good.
trimmed = DataLoader(dataset, batch_size=4, drop_last=True)
print("batches:", len(trimmed), [tuple(x.shape) for x, _ in trimmed])

# sphinx_gallery_start_ignore
assert len(trimmed) == 2
assert [tuple(x.shape) for x, _ in trimmed] == [(4, 2), (4, 2)]
shuffled_trim = DataLoader(
    dataset,
    batch_size=4,
    shuffle=True,
    drop_last=True,
    generator=torch.Generator().manual_seed(0),
)
seen = set()
dropped_per_epoch = []
for _ in range(5):
    this_epoch = {int(i) for x, _ in shuffled_trim for i in x[:, 0] / 2}
    dropped_per_epoch.append(set(range(10)) - this_epoch)
    seen |= this_epoch
assert seen == set(range(10))
assert len({frozenset(d) for d in dropped_per_epoch}) > 1
# sphinx_gallery_end_ignore

# %%
# Shuffling, reproducibly
# -----------------------
# ``shuffle=True`` draws a new random order at the start of each pass over
# the data (called an **epoch**). Each example still comes exactly once per
# epoch. Why the order matters at all is shown below, on real data. Below,
# the rows of each batch are shown by their first feature divided by 2,
# which is the example's index.
#
# Give the loader its own :class:`torch.Generator`, seeded: the sequence of
# orders is then the same on every run, and nothing else in the program can
# change it.
order_generator = torch.Generator().manual_seed(0)
shuffled = DataLoader(
    dataset, batch_size=4, shuffle=True, generator=order_generator
)


def epoch_order(loader: DataLoader) -> list[list[int]]:
    """The example indices of each batch of one pass over ``loader``."""
    return [(x[:, 0] / 2).int().tolist() for x, _ in loader]


first_epoch, second_epoch = (epoch_order(shuffled), epoch_order(shuffled))
print("epoch 1:", first_epoch)
print("epoch 2:", second_epoch)

# sphinx_gallery_start_ignore
assert first_epoch != second_epoch
for epoch in (first_epoch, second_epoch):
    assert sorted(i for batch in epoch for i in batch) == list(range(10))
# sphinx_gallery_end_ignore

# %%
# Re-seeding the generator replays the same orders, epoch after epoch:
order_generator.manual_seed(0)
print("epoch 1 again:", epoch_order(shuffled))

# sphinx_gallery_start_ignore
order_generator.manual_seed(0)
assert epoch_order(shuffled) == first_epoch
assert epoch_order(shuffled) == second_epoch
# sphinx_gallery_end_ignore

# %%
# Without a ``generator``, the loader draws its order from the global random
# number generator, which everything else uses too: creating a layer,
# dropout, ``torch.randn``. After ``torch.manual_seed(0)`` the order is
# reproducible only as long as exactly the same random draws happen before
# it. Creating one layer first changes the order:
torch.manual_seed(0)
global_rng = DataLoader(dataset, batch_size=4, shuffle=True)
print("seeded, then shuffled:       ", epoch_order(global_rng))
torch.manual_seed(0)
layer = torch.nn.Linear(2, 2)  # uses the global generator for its weights
print("seeded, a layer, shuffled:   ", epoch_order(global_rng))

# sphinx_gallery_start_ignore
torch.manual_seed(0)
plain = epoch_order(global_rng)
torch.manual_seed(0)
torch.nn.Linear(2, 2)
assert epoch_order(global_rng) != plain
# The loader with its own generator is immune to the same draw.
order_generator.manual_seed(0)
torch.nn.Linear(2, 2)
assert epoch_order(shuffled) == first_epoch
# sphinx_gallery_end_ignore

# %%
# Your own Dataset: handwritten digits
# ------------------------------------
# Any class with ``__len__`` and ``__getitem__`` can be a dataset. Subclass
# :class:`~torch.utils.data.Dataset` and decide in ``__getitem__`` what one
# example is: here, one 8 x 8 image of a handwritten digit, from the 1797
# that scikit-learn ships (``sklearn.datasets.load_digits``, no
# download), and its label. Pixel values run from 0 to 16; the dataset
# scales them to [0, 1] and adds a channel dimension, giving (1, 8, 8), the
# layout image models expect.
#
# ``__getitem__`` is where a dataset for large data would read one file from
# disk, so that only the current batch is ever in memory. (To run this page
# yourself, install scikit-learn too: ``pip install scikit-learn``.)
import numpy as np
from sklearn.datasets import load_digits


class Digits(Dataset):
    """The scikit-learn digits: (1, 8, 8) float32 images, int labels."""

    def __init__(self) -> None:
        digits = load_digits()
        self.images = digits.images  # (1797, 8, 8) float64, from 0 to 16
        self.labels = digits.target  # (1797,) integers 0 to 9

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        image = torch.tensor(self.images[index], dtype=torch.float32) / 16
        return image.unsqueeze(0), int(self.labels[index])


digits = Digits()
image, label = digits[0]
print("examples:", len(digits))
print("one example:", tuple(image.shape), image.dtype, "label", label)

# sphinx_gallery_start_ignore
assert len(digits) == 1797
assert image.shape == (1, 8, 8)
assert image.dtype == torch.float32
assert image.min() >= 0.0
assert image.max() <= 1.0
assert label == 0
assert np.array_equal(np.unique(digits.labels), np.arange(10))
# sphinx_gallery_end_ignore

# %%
# The loader stacks the images into a (16, 1, 8, 8) batch, and turns the
# Python integer labels into one int64 tensor, the dtype a classification
# loss wants. Move each batch to the device inside the loop, as the training
# tutorial does.
digit_loader = DataLoader(
    digits,
    batch_size=16,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
)
images, labels_batch = next(iter(digit_loader))
images, labels_batch = images.to(device), labels_batch.to(device)
print("images:", tuple(images.shape), images.dtype)
print(
    "labels:",
    tuple(labels_batch.shape),
    labels_batch.dtype,
    labels_batch.tolist(),
)

# sphinx_gallery_start_ignore
assert images.shape == (16, 1, 8, 8)
assert images.dtype == torch.float32
assert labels_batch.shape == (16,)
assert labels_batch.dtype == torch.int64
# sphinx_gallery_end_ignore

# %%
# That batch, drawn with its labels:
import matplotlib.pyplot as plt

fig, axes = plt.subplots(2, 8, figsize=(6.4, 2.5), layout="constrained")
for ax, picture, digit in zip(
    axes.flat, images.cpu(), labels_batch.cpu(), strict=True
):
    ax.imshow(picture[0], cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(str(digit.item()))
    ax.set_axis_off()
fig.suptitle("One shuffled batch of 16 digit images, titled with their labels")
plt.show()

# sphinx_gallery_start_ignore
assert len(axes.flat) == 16
# sphinx_gallery_end_ignore

# %%
# Why shuffle: an order that follows the labels
# ---------------------------------------------
# To see what the order does, train the same small network three times on
# 1500 of the digits, ten epochs each, and score it on the other 297. Only
# the order of the examples changes: a new random order every epoch
# (``shuffle=True``), one random order drawn once and kept (a list of
# indices given as ``sampler``), and the examples sorted by their label.
# The loop itself is the subject of the next tutorial.
from torch import nn
from torch.utils.data import random_split

train_part, validation_part = random_split(
    digits, [1500, 297], generator=torch.Generator().manual_seed(0)
)
train_labels = torch.tensor([label for _, label in train_part])
orders = {
    "new order every epoch": None,
    "one fixed random order": torch.randperm(
        1500, generator=torch.Generator().manual_seed(0)
    ).tolist(),
    "sorted by label": torch.argsort(train_labels, stable=True).tolist(),
}
validation_images = torch.stack([image for image, _ in validation_part])
validation_labels = torch.tensor([label for _, label in validation_part])


def train_in_order(order: list[int] | None) -> nn.Module:
    """Ten epochs of plain SGD over ``train_part``, in the given order."""
    torch.manual_seed(0)  # the same initial weights every time
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)
    ).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    if order is None:
        loader = DataLoader(
            train_part,
            batch_size=32,
            shuffle=True,
            generator=torch.Generator().manual_seed(0),
        )
    else:
        loader = DataLoader(train_part, batch_size=32, sampler=order)
    for _ in range(10):
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


accuracy, predicted = {}, {}
for name, order in orders.items():
    model = train_in_order(order)
    with torch.no_grad():
        guesses = model(validation_images.to(device)).argmax(dim=1).cpu()
    accuracy[name] = (guesses == validation_labels).float().mean().item()
    predicted[name] = torch.bincount(guesses, minlength=10)
    print(f"{name:23} validation accuracy {accuracy[name]:.3f}")
print("sorted by label, how often each digit 0-9 was predicted:")
print(predicted["sorted by label"].tolist())

# sphinx_gallery_start_ignore
_shuffled_acc = accuracy["new order every epoch"]
_fixed_acc = accuracy["one fixed random order"]
_sorted_acc = accuracy["sorted by label"]
assert _shuffled_acc > 0.85
assert _fixed_acc > 0.85
assert abs(_shuffled_acc - _fixed_acc) < 0.05  # about the same
assert _sorted_acc < min(_shuffled_acc, _fixed_acc) - 0.3  # far worse
_late = predicted["sorted by label"][7:].sum().item()
assert _late > 0.5 * len(validation_part)  # mostly the last digits seen
assert sorted(orders["sorted by label"]) == list(range(1500))
assert train_labels[orders["sorted by label"]].diff().min() >= 0
# sphinx_gallery_end_ignore

# %%
# A new order every epoch and one fixed random order end about the same;
# sorted by label, the network is far worse, and most of its guesses are the
# last digits it saw. What hurts is an order that is *correlated* with the
# labels: sorted, every batch holds one digit, each step pulls the model
# towards that digit, and an epoch ends after a long run of eights and
# nines. Shuffling keeps every batch a fair sample of the whole data set,
# which is what the gradient of one batch is meant to estimate. Data often
# arrive in a correlated order (by class, by date, by source), so shuffle.

# %%
# Workers: loading in parallel
# ----------------------------
# By default (``num_workers=0``) the loader fetches every example in the
# main process, between training steps: ``__getitem__`` runs where
# :func:`torch.utils.data.get_worker_info` returns ``None``.
from torch.utils.data import get_worker_info


class WhereLoaded(Dataset):
    """Each example reports whether a worker process fetched it."""

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> str:
        info = get_worker_info()
        return "main process" if info is None else f"worker {info.id}"


print(next(iter(DataLoader(WhereLoaded(), batch_size=4, num_workers=0))))

# sphinx_gallery_start_ignore
assert (
    next(iter(DataLoader(WhereLoaded(), batch_size=4))) == ["main process"] * 4
)
# sphinx_gallery_end_ignore

# %%
# ``num_workers=4`` starts four worker processes that prepare batches in
# parallel while the model trains on the previous one. That pays off when
# fetching an example is slow: reading and decoding image files, random
# augmentations. It does not for tensors already in memory, like here:
# starting processes and sending batches between them costs more than
# indexing a tensor. Workers also bring rules of their own. Where workers
# start as fresh Python processes rather than copies of yours (on Windows
# and macOS, and on Linux from Python 3.14), the script must keep its
# top-level code under ``if __name__ == "__main__":``. And each worker holds
# its own copy of the dataset, which matters for random numbers.
#
# Random numbers in workers
# -------------------------
# Before a worker fetches anything, the loader seeds its random number
# generators with a seed of its own (``base_seed + worker id``, the base
# drawn from the loader's generator): Python's ``random``, torch's default
# generator, and NumPy's *legacy* global generator (``np.random.random``).
# A NumPy ``Generator`` object that the dataset holds, the kind
# ``np.random.default_rng`` makes and NumPy recommends, is not reseeded:
# each worker starts from an identical copy of it. Two workers, two batches
# each:
import multiprocessing
import sys


class NoisyNumbers(Dataset):
    """Each example is a random number, and the worker that drew it."""

    def __init__(self) -> None:
        self.rng = np.random.default_rng(0)

    def __len__(self) -> int:
        return 8

    def __getitem__(self, index: int) -> tuple[int, float, float]:
        worker = get_worker_info()
        worker_id = -1 if worker is None else worker.id
        # One number from the dataset's Generator, one from the legacy one.
        return worker_id, self.rng.random(), np.random.random()


def draws_by_worker(worker_init_fn=None) -> dict[int, list[list[float]]]:
    """Worker id -> the Generator's and the legacy numbers it drew."""
    loader = DataLoader(
        NoisyNumbers(),
        batch_size=2,
        num_workers=2,
        multiprocessing_context="fork",  # workers copied from this process
        generator=torch.Generator().manual_seed(0),
        worker_init_fn=worker_init_fn,
    )
    draws: dict[int, list[list[float]]] = {}
    for worker_ids, ours, legacy in loader:
        mine = draws.setdefault(int(worker_ids[0]), [[], []])
        mine[0] += [round(float(v), 2) for v in ours]
        mine[1] += [round(float(v), 2) for v in legacy]
    return draws


# Copies of this process (fork) are Linux's; elsewhere workers start afresh
# and need a script guarded by `if __name__ == "__main__":`.
can_fork = sys.platform.startswith("linux")
if can_fork:
    for worker_id, (ours, legacy) in draws_by_worker().items():
        print(f"worker {worker_id}: default_rng {ours}  legacy {legacy}")
else:
    print("(workers are fresh processes on this platform: not run here)")

# sphinx_gallery_start_ignore
if sys.version_info < (3, 14):
    assert multiprocessing.get_start_method() == "fork"  # Linux's default
assert can_fork
_draws = draws_by_worker()


class _OtherGenerators(Dataset):
    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> tuple[float, float]:
        import random

        return random.random(), torch.rand(1).item()


_other = [
    batch
    for batch in DataLoader(
        _OtherGenerators(),
        batch_size=2,
        num_workers=2,
        multiprocessing_context="fork",
    )
]
# worker 0 fetched batch 0, worker 1 batch 1: Python's and torch's differ
assert _other[0][0].tolist() != _other[1][0].tolist()
assert _other[0][1].tolist() != _other[1][1].tolist()
assert sorted(_draws) == [0, 1]
assert _draws[0][0] == _draws[1][0]  # the same Generator draws in both
assert _draws[0][1] != _draws[1][1]  # the legacy generator is reseeded
# sphinx_gallery_end_ignore

# %%
# The fix is a ``worker_init_fn``: the loader calls it in each worker, after
# seeding and before the first fetch. There,
# :func:`~torch.utils.data.get_worker_info` gives the worker's own copy of
# the dataset and its seed, a different one per worker that is still derived
# from the loader's generator, so the run stays reproducible:


def seed_dataset_generator(worker_id: int) -> None:
    worker = get_worker_info()
    worker.dataset.rng = np.random.default_rng(worker.seed)


if can_fork:
    fixed = draws_by_worker(worker_init_fn=seed_dataset_generator)
    for worker_id, (ours, _) in fixed.items():
        print(f"worker {worker_id}: default_rng {ours}")

# sphinx_gallery_start_ignore
_fixed = draws_by_worker(worker_init_fn=seed_dataset_generator)
assert _fixed[0][0] != _fixed[1][0]
# the same loader seed, the same numbers
assert draws_by_worker(worker_init_fn=seed_dataset_generator) == _fixed
# sphinx_gallery_end_ignore

# %%
# This site keeps ``num_workers=0``; try more on your own data, and keep
# what is measurably faster.
#
# Summary
# -------
# * A ``Dataset`` has a length and returns one example per index;
#   ``TensorDataset`` wraps tensors that share their first dimension.
# * A ``DataLoader`` stacks examples into batches: ``batch_size``, the short
#   last batch, ``drop_last``.
# * ``shuffle=True`` with ``generator=torch.Generator().manual_seed(...)``
#   gives a new order each epoch, the same on every run, whatever else draws
#   random numbers.
# * Write your own ``Dataset`` to decide what one example is; the loader turns
#   integer labels into an int64 tensor.
# * ``num_workers`` loads in parallel processes: worth it for slow
#   ``__getitem__``, not for small in-memory tensors. Each worker reseeds
#   Python's, torch's and NumPy's legacy generators, but not a NumPy
#   ``Generator`` held by the dataset: reseed that in a ``worker_init_fn``.
#
# Next: :ref:`sphx_glr_tutorials_07_training_plot_04_training_loop.py`.
