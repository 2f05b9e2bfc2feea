"""
Checkpoints: resuming training safely
=====================================

A **checkpoint** is everything needed to continue training later as if it had
never stopped: the model's ``state_dict``, the optimizer's ``state_dict``, and
the step count. In this tutorial you will:

* save a checkpoint in the middle of training, resume from it in a fresh model
  and optimizer, and check that training continues *identically*;
* see what goes wrong when the optimizer's state is not saved;
* see how a crash during :func:`torch.save` can destroy the previous
  checkpoint, and save atomically instead with
  :func:`tutorial_helpers.checkpoints.save_checkpoint`;
* load with :func:`tutorial_helpers.checkpoints.load_checkpoint`, which uses
  ``weights_only=True`` and names the problem, and the fix, for a missing,
  truncated, corrupt or untrusted file.
"""

# %%
# A model, data and an optimizer with state
# -----------------------------------------
# The ``Quadratic`` module of the *Modules* section is fitted to noisy data
# with :class:`torch.optim.Adam`. Unlike plain SGD, Adam keeps a running
# average of each parameter's past gradients and squared gradients: state that
# changes every step, and that a checkpoint must include.

# sphinx_gallery_card = "Checkpoints that resume training exactly."
# sphinx_gallery_assumes = "plot_01_saving_and_loading"
# sphinx_gallery_assumes = "../04_modules/plot_02_fitting_a_quadratic"
import tempfile
import textwrap
from pathlib import Path

import torch
from torch import nn

from tutorial_helpers import choose_device
from tutorial_helpers.checkpoints import load_checkpoint, save_checkpoint

device = choose_device()
torch.manual_seed(0)
x = torch.linspace(-2.0, 2.0, 40, device=device)
y = 1.5 * x**2 - 2.0 * x + 0.5 + 0.3 * torch.randn(40, device=device)


class Quadratic(nn.Module):
    """The curve y = a x^2 + b x + c, with learnable a, b and c."""

    def __init__(self, a: float = 0.0, b: float = 0.0, c: float = 0.0) -> None:
        super().__init__()
        self.a = nn.Parameter(torch.tensor(a))
        self.b = nn.Parameter(torch.tensor(b))
        self.c = nn.Parameter(torch.tensor(c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.a * x**2 + self.b * x + self.c


def new_run() -> tuple[Quadratic, torch.optim.Optimizer]:
    """A model starting from zeros, and its optimizer."""
    model = Quadratic().to(device)
    return model, torch.optim.Adam(model.parameters(), lr=0.05)


def train(
    model: Quadratic, optimizer: torch.optim.Optimizer, steps: int
) -> list[float]:
    """Run ``steps`` optimization steps and return the loss before each."""
    losses = []
    for _ in range(steps):
        loss = ((model(x) - y) ** 2).mean()
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


# %%
# The reference: 80 steps without interruption.
TOTAL, CHECKPOINT_AT = 80, 40
model, optimizer = new_run()
uninterrupted = train(model, optimizer, TOTAL)
print(f"loss after {TOTAL} steps: {uninterrupted[-1]:.4f}")

# %%
# What the optimizer's ``state_dict`` holds
# -----------------------------------------
# ``state`` has one entry per parameter (by position in ``param_groups``):
# Adam's step count and its two running averages. ``param_groups`` holds the
# settings, such as the learning rate.
optimizer_state = optimizer.state_dict()
print(list(optimizer_state))
print(list(optimizer_state["state"][0]))
print("learning rate:", optimizer_state["param_groups"][0]["lr"])

# sphinx_gallery_start_ignore
assert list(optimizer_state) == ["state", "param_groups"]
assert set(optimizer_state["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
assert optimizer_state["state"][0]["step"].item() == TOTAL
assert optimizer_state["param_groups"][0]["lr"] == 0.05
# sphinx_gallery_end_ignore

# %%
# Save a checkpoint, stop, resume
# -------------------------------
# Train 40 steps, then save one dictionary with both state dicts and the step.
# :func:`~tutorial_helpers.checkpoints.save_checkpoint` writes it with
# :func:`torch.save`, safely (more on that below).
workdir = tempfile.TemporaryDirectory()
folder = Path(workdir.name)
checkpoint_path = folder / "checkpoint.pt"

model, optimizer = new_run()
first_half = train(model, optimizer, CHECKPOINT_AT)
save_checkpoint(
    {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "step": CHECKPOINT_AT,
    },
    checkpoint_path,
)
del model, optimizer  # as if the program stopped here

# %%
# Later, perhaps in another process: build a fresh model and optimizer, load
# the checkpoint (only tensors, numbers, strings and containers, so
# ``weights_only=True`` loading accepts it), and restore both states before
# training on.
model, optimizer = new_run()
checkpoint = load_checkpoint(checkpoint_path, map_location=device)
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
start = checkpoint["step"]
second_half = train(model, optimizer, TOTAL - start)

resumed = first_half + second_half
print("resumed at step", start)
print(f"loss after {TOTAL} steps: {resumed[-1]:.4f}")
print(
    "every loss identical to the uninterrupted run:", resumed == uninterrupted
)

# sphinx_gallery_start_ignore
assert start == CHECKPOINT_AT
assert resumed == uninterrupted
# sphinx_gallery_end_ignore

# %%
# Resuming without the optimizer's state
# --------------------------------------
# Restoring only the model, with a new optimizer, restarts Adam's running
# averages from zero: training continues, but along a different path from the
# checkpoint on. Here the restart happens to lower the loss faster; another
# time it may slow training down or make the loss jump. Either way the run no
# longer reproduces the original.
model, optimizer = new_run()
model.load_state_dict(
    load_checkpoint(checkpoint_path, map_location=device)["model"]
)
model_only = first_half + train(model, optimizer, TOTAL - CHECKPOINT_AT)
print("identical to the uninterrupted run:", model_only == uninterrupted)
print(f"loss after {TOTAL} steps: {model_only[-1]:.4f}")

# sphinx_gallery_start_ignore
assert model_only[: CHECKPOINT_AT + 1] == uninterrupted[: CHECKPOINT_AT + 1]
assert model_only[CHECKPOINT_AT + 1] != uninterrupted[CHECKPOINT_AT + 1]
assert model_only[-1] < uninterrupted[-1]
# sphinx_gallery_end_ignore

# %%
# The three runs side by side. The resumed run's points fall exactly on the
# uninterrupted run; the run without optimizer state leaves it at the
# checkpoint.
import matplotlib.pyplot as plt

steps = range(TOTAL)
fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
ax.plot(steps, uninterrupted, color="tab:blue", lw=2.5, label="uninterrupted")
ax.plot(
    steps[CHECKPOINT_AT::3],
    resumed[CHECKPOINT_AT::3],
    "o",
    color="tab:orange",
    ms=6,
    label="resumed: model + optimizer state",
)
ax.plot(
    steps[CHECKPOINT_AT:],
    model_only[CHECKPOINT_AT:],
    "--",
    color="tab:red",
    lw=2,
    label="resumed: model state only",
)
ax.axvline(CHECKPOINT_AT, color="0.5", lw=1, ls=":")
ax.annotate(
    "checkpoint saved",
    (CHECKPOINT_AT, 0.95),
    xycoords=("data", "axes fraction"),
    xytext=(4, 0),
    textcoords="offset points",
    va="top",
)
ax.set_yscale("log")
ax.set(
    xlabel="step (parameter updates)", ylabel="mean squared error (no unit)"
)
ax.set_title("Resuming training from a checkpoint (Adam)")
ax.legend(loc="upper right", bbox_to_anchor=(1, 0.88))
plt.show()

# sphinx_gallery_start_ignore
assert len(ax.lines) == 4
# sphinx_gallery_end_ignore

# %%
# A crash during ``torch.save``
# -----------------------------
# :func:`torch.save` opens the file, which empties it, and then writes. If the
# program dies in between (killed, out of disk space, an object that cannot be
# pickled), the previous checkpoint is already gone. An object whose
# ``__reduce__`` raises simulates the crash:


class CrashWhileSaving:
    """Raises while torch.save is pickling it, part-way through the file."""

    def __reduce__(self) -> tuple[object, ...]:
        raise RuntimeError("simulated crash while saving")


def shown(error: Exception) -> str:
    """The error as Python prints it, wrapped to fit this page.

    The random name of the temporary folder is shortened to <tmp>.
    """
    message = f"{type(error).__name__}: {error}".replace(str(folder), "<tmp>")
    return textwrap.fill(message, width=70, subsequent_indent="    ")


plain_path = folder / "plain.pt"
torch.save({"step": 40}, plain_path)
try:
    torch.save({"step": 41, "bad": CrashWhileSaving()}, plain_path)
except RuntimeError as error:
    print(shown(error))
try:
    load_checkpoint(plain_path)
except Exception as error:
    print(shown(error))

# sphinx_gallery_start_ignore
from tutorial_helpers.checkpoints import CheckpointError

try:
    load_checkpoint(plain_path)
except CheckpointError:
    pass
else:
    raise AssertionError("the old checkpoint survived a crashed torch.save")
# sphinx_gallery_end_ignore

# %%
# :func:`~tutorial_helpers.checkpoints.save_checkpoint` writes to a temporary
# file in the same directory, flushes it to disk with ``os.fsync``, and only
# then renames it over the old file with ``os.replace``, which is atomic: a
# reader sees the old file or the new one, never half of one. After the same
# crash the old checkpoint is intact and no temporary file is left behind:
before = checkpoint_path.read_bytes()
try:
    save_checkpoint({"step": 41, "bad": CrashWhileSaving()}, checkpoint_path)
except RuntimeError as error:
    print(shown(error))
print("old checkpoint unchanged:", checkpoint_path.read_bytes() == before)
print("files in the folder:", sorted(p.name for p in folder.iterdir()))
print("still loads, at step", load_checkpoint(checkpoint_path)["step"])

# sphinx_gallery_start_ignore
assert checkpoint_path.read_bytes() == before
assert sorted(p.name for p in folder.iterdir()) == [
    "checkpoint.pt",
    "plain.pt",
]
# sphinx_gallery_end_ignore

# %%
# Loading safely: clear errors for bad files
# ------------------------------------------
# :func:`~tutorial_helpers.checkpoints.load_checkpoint` loads with
# ``weights_only=True``, and first checks that the file is a complete,
# undamaged ``torch.save`` archive, so that each way a file can be bad gets an
# error that says what happened and what to do. (What plain
# :func:`torch.load` says about the same files follows them.)
#
# A path with no file:
try:
    load_checkpoint(folder / "checkpoint_step_80.pt")
except FileNotFoundError as error:
    print(shown(error))

# %%
# A file cut short, as by an interrupted copy:
truncated_path = folder / "truncated.pt"
truncated_path.write_bytes(checkpoint_path.read_bytes()[:1000])
try:
    load_checkpoint(truncated_path)
except ValueError as error:
    print(shown(error))

# %%
# Something that is not a checkpoint at all, such as an error page saved by a
# download:
garbage_path = folder / "downloaded.pt"
garbage_path.write_text("<html><body>404 Not Found</body></html>")
try:
    load_checkpoint(garbage_path)
except ValueError as error:
    print(shown(error))

# %%
# A checkpoint in which one byte changed after saving (a bad disk, a faulty
# transfer). :func:`torch.load` would load the wrong numbers without a word;
# the zip archive's checksums catch it:
damaged = bytearray(checkpoint_path.read_bytes())
value_bytes = checkpoint["model"]["a"].cpu().numpy().tobytes()
damaged[damaged.index(value_bytes) + 3] ^= (
    0b1000_0000  # the sign bit of a float32
)
damaged_path = folder / "damaged.pt"
damaged_path.write_bytes(bytes(damaged))
silently_wrong = torch.load(damaged_path)["model"]["a"].item()
print(f"saved a = {checkpoint['model']['a'].item():.4f}")
print(f"torch.load returns a = {silently_wrong:.4f}")
try:
    load_checkpoint(damaged_path)
except ValueError as error:
    print(shown(error))

# %%
# Plain :func:`torch.load` on the same four files, with the first sentence of
# each error:
for name in [
    "checkpoint_step_80.pt",
    "truncated.pt",
    "downloaded.pt",
    "damaged.pt",
]:
    try:
        torch.load(folder / name)
    except Exception as error:
        first = str(error).replace(str(folder), "<tmp>").split(". ")[0]
        outcome = f"{type(error).__name__}: {first}"
    else:
        outcome = "loads, no error"
    print(
        textwrap.fill(f"{name}: {outcome}", width=70, subsequent_indent="    ")
    )

# sphinx_gallery_start_ignore
plain_outcomes: dict[str, str] = {}
for name in [
    "checkpoint_step_80.pt",
    "truncated.pt",
    "downloaded.pt",
    "damaged.pt",
]:
    try:
        torch.load(folder / name)
    except Exception as error:
        plain_outcomes[name] = f"{type(error).__name__}: {error}"
    else:
        plain_outcomes[name] = "loaded"
assert plain_outcomes["checkpoint_step_80.pt"].startswith(
    "FileNotFoundError: "
)
assert plain_outcomes["truncated.pt"].startswith(
    "RuntimeError: PytorchStreamReader"
)
assert "internal miniz error" in plain_outcomes["truncated.pt"]
assert "checkpoint file is corrupted" in plain_outcomes["truncated.pt"]
assert plain_outcomes["downloaded.pt"].startswith(
    "UnpicklingError: Weights only load failed"
)
assert (
    "`weights_only` set to `False` will likely succeed"
    in plain_outcomes["downloaded.pt"]
)
assert plain_outcomes["damaged.pt"] == "loaded"
# sphinx_gallery_end_ignore

# %%
# Only the missing file gets a plain, clear error. The truncated file's error
# comes from the zip reader ("an internal miniz error"), though its later
# sentences do say the file is probably corrupted. The HTML page gets a
# weights-only ``UnpicklingError`` that suggests loading again with
# ``weights_only=False``: advice that would execute whatever the file holds,
# and cannot help, since the file is no checkpoint at all. The damaged file
# loads without a word, with a wrong number.

# %%
# A file that holds a pickled object rather than tensors, here a whole module.
# The fix it names depends on whether you trust the file:
module_path = folder / "whole_model.pt"
save_checkpoint(Quadratic(1.5, -2.0, 0.5), module_path)
try:
    load_checkpoint(module_path)
except Exception as error:
    print(shown(error))

trusted = load_checkpoint(module_path, safe_globals=[Quadratic])
print("with safe_globals=[Quadratic]:", type(trusted).__name__)
workdir.cleanup()

# sphinx_gallery_start_ignore
from tutorial_helpers.checkpoints import (
    CheckpointNotFoundError,
    CorruptCheckpointError,
    TruncatedCheckpointError,
    UntrustedCheckpointError,
)

folder.mkdir()
plain_messages: dict[str, str] = {}
cases = {
    "missing.pt": (None, CheckpointNotFoundError),
    "truncated.pt": (before[:1000], TruncatedCheckpointError),
    "downloaded.pt": (
        b"<html><body>404 Not Found</body></html>",
        CorruptCheckpointError,
    ),
    "damaged.pt": (bytes(damaged), CorruptCheckpointError),
}
for name, (content, expected) in cases.items():
    if content is not None:
        (folder / name).write_bytes(content)
    try:
        load_checkpoint(folder / name)
    except CheckpointError as error:
        raised = error
    else:
        raise AssertionError(f"{name} loaded")
    assert type(raised) is expected, (name, raised)
assert silently_wrong == -checkpoint["model"]["a"].item()
# What plain torch.load says about the same truncated and garbage files:
for name in ["truncated.pt", "downloaded.pt"]:
    try:
        torch.load(folder / name)
    except Exception as error:
        plain_messages[name] = f"{type(error).__name__}: {error}"
assert "This is an internal miniz error" in plain_messages["truncated.pt"]
assert "checkpoint" not in plain_messages["downloaded.pt"].lower()
save_checkpoint(Quadratic(), folder / "module.pt")
try:
    load_checkpoint(folder / "module.pt")
except UntrustedCheckpointError as error:
    message = str(error)
else:
    raise AssertionError("a whole module loaded")
assert "refuses: __main__.Quadratic." in message
assert "pass safe_globals=[Quadratic]" in message
assert isinstance(trusted, Quadratic)
workdir.cleanup()
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * A checkpoint holds the model's and the optimizer's ``state_dict`` and the
#   step: with all three, resumed training is identical to uninterrupted
#   training.
# * Without the optimizer's state, Adam restarts its running averages and the
#   run changes course.
# * Save checkpoints atomically (temporary file, ``fsync``, ``os.replace``), so
#   a crash never destroys the last good one.
# * Load with ``weights_only=True`` and ``map_location``, and check the file:
#   missing, truncated, corrupt and untrusted files each need a different fix.
