"""
Saving and loading a model
==========================

Training takes time; you keep its result by saving the model's parameters to a
file and loading them back later, maybe on another machine. In this tutorial
you will learn:

* the recommended way: save the ``state_dict``, load it into a new instance of
  the model with ``load_state_dict``;
* what a file written by :func:`torch.save` contains (a zip archive);
* why saving a *whole module* no longer loads by default since PyTorch 2.6
  (``torch.load`` uses ``weights_only=True``), and how to allow it for classes
  you trust;
* why ``weights_only=False`` is dangerous for files you did not make;
* how ``map_location`` loads a file saved on a GPU onto the CPU, or onto
  whatever device you run on.
"""

# %%
# A model to save
# ---------------
# The ``Quadratic`` module of the *Modules* section, with coefficients that
# training could have found. Every file in this tutorial goes into a temporary
# directory, deleted at the end.

# sphinx_gallery_card = "Save a state_dict; load it safely, anywhere."
# sphinx_gallery_assumes = "../04_modules/plot_01_modules_and_parameters"
# sphinx_gallery_assumes = "../03_devices/plot_01_choosing_a_device"
import tempfile
from pathlib import Path

import torch
from torch import nn


class Quadratic(nn.Module):
    """The curve y = a x^2 + b x + c, with learnable a, b and c."""

    def __init__(self, a: float = 0.0, b: float = 0.0, c: float = 0.0) -> None:
        super().__init__()
        self.a = nn.Parameter(torch.tensor(a))
        self.b = nn.Parameter(torch.tensor(b))
        self.c = nn.Parameter(torch.tensor(c))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.a * x**2 + self.b * x + self.c

    def extra_repr(self) -> str:
        a, b, c = (p.item() for p in (self.a, self.b, self.c))
        return f"a={a:.4g}, b={b:.4g}, c={c:.4g}"


model = Quadratic(1.5, -2.0, 0.5)
workdir = tempfile.TemporaryDirectory()
folder = Path(workdir.name)
print(model)

# %%
# The recommended way: save the ``state_dict``
# --------------------------------------------
# The ``state_dict`` maps parameter names to tensors: nothing but data. Save it
# with :func:`torch.save`; to load, build a new model with the same structure
# and copy the tensors into it with :meth:`~torch.nn.Module.load_state_dict`.
# :func:`torch.load` returns the dictionary; ``load_state_dict`` reports which
# keys matched.
weights_path = folder / "quadratic.pt"
torch.save(model.state_dict(), weights_path)

loaded_state = torch.load(weights_path)
print(loaded_state)
restored = Quadratic()
print(restored.load_state_dict(loaded_state))
print(restored)

# sphinx_gallery_start_ignore
assert (
    str(restored.load_state_dict(loaded_state))
    == "<All keys matched successfully>"
)
assert all(
    torch.equal(p, q)
    for p, q in zip(model.parameters(), restored.parameters(), strict=True)
)
# sphinx_gallery_end_ignore

# %%
# ``load_state_dict`` is strict: if a name is missing or unexpected, because
# the model's code changed since the file was saved, it refuses and lists the
# differences rather than loading part of the model.
incomplete = {
    "a": torch.tensor(1.0),
    "b": torch.tensor(2.0),
    "d": torch.tensor(3.0),
}
try:
    Quadratic().load_state_dict(incomplete)
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# sphinx_gallery_start_ignore
try:
    Quadratic().load_state_dict(incomplete)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("a mismatched state_dict loaded")
assert 'Missing key(s) in state_dict: "c"' in message
assert 'Unexpected key(s) in state_dict: "d"' in message
# sphinx_gallery_end_ignore

# %%
# What is in the file
# -------------------
# Since PyTorch 1.6 the file :func:`torch.save` writes is a **zip archive**,
# not a bare pickle: ``zipfile`` can list it. ``data.pkl`` is a small pickle
# that describes the structure (the dictionary and which tensor is which); the
# tensors' raw bytes are stored separately, one member per storage under
# ``data/``.
import zipfile

print("is a zip archive:", zipfile.is_zipfile(weights_path))
with zipfile.ZipFile(weights_path) as archive:
    for member in archive.infolist():
        print(f"{member.filename:35} {member.file_size:4} bytes")
    a_bytes = archive.read("quadratic/data/0")

# sphinx_gallery_start_ignore
with zipfile.ZipFile(weights_path) as archive:
    names = archive.namelist()
assert "quadratic/data.pkl" in names
assert {"quadratic/data/0", "quadratic/data/1", "quadratic/data/2"} <= set(
    names
)
assert all(name.startswith("quadratic/") for name in names)
# sphinx_gallery_end_ignore

# %%
# ``data/0`` is the four bytes of the ``float32`` value of ``a``:
import numpy as np

print(a_bytes, "->", np.frombuffer(a_bytes, dtype=np.float32))

# sphinx_gallery_start_ignore
assert np.frombuffer(a_bytes, dtype=np.float32).tolist() == [1.5]
# sphinx_gallery_end_ignore

# %%
# A pickle is a little program that rebuilds objects, and its ``GLOBAL``
# instructions name the Python functions and classes it will call to do so.
# ``pickletools`` reads them without running anything. This file calls only
# PyTorch's own tensor-rebuilding function, a storage type and
# ``OrderedDict``:
import pickletools


def pickled_globals(path: Path) -> list[str]:
    """The functions and classes a torch.save file calls when loaded."""
    with zipfile.ZipFile(path) as archive:
        pickle_name = next(
            n for n in archive.namelist() if n.endswith("/data.pkl")
        )
        program = archive.read(pickle_name)
    return sorted(
        {
            str(arg)
            for opcode, arg, _ in pickletools.genops(program)
            if opcode.name == "GLOBAL"
        }
    )


print(pickled_globals(weights_path))

# sphinx_gallery_start_ignore
assert pickled_globals(weights_path) == [
    "collections OrderedDict",
    "torch FloatStorage",
    "torch._utils _rebuild_tensor_v2",
]
# sphinx_gallery_end_ignore

# %%
# Saving the whole module, and what ``torch.load`` says today
# -----------------------------------------------------------
# :func:`torch.save` accepts any picklable object, so older tutorials save the
# model itself. That still works; loading it back is what changed. Since
# PyTorch 2.6, :func:`torch.load` defaults to ``weights_only=True``: it
# rebuilds tensors, numbers, strings and containers, and refuses every other
# class or function the pickle names. A module is such a class, so the load
# fails (the message's bold formatting for terminals is removed below, by
# :func:`~tutorial_helpers.terminal.strip_terminal_formatting`).
import pickle

from tutorial_helpers.terminal import strip_terminal_formatting

model_path = folder / "whole_model.pt"
torch.save(model, model_path)
print(pickled_globals(model_path))

try:
    torch.load(model_path)
except pickle.UnpicklingError as error:
    print(f"{type(error).__name__}: {strip_terminal_formatting(str(error))}")

# sphinx_gallery_start_ignore
assert "__main__ Quadratic" in pickled_globals(model_path)
try:
    torch.load(model_path)
except pickle.UnpicklingError as error:
    message = str(error)
else:
    raise AssertionError("a whole module loaded with weights_only=True")
assert "Weights only load failed" in message
assert (
    "Unsupported global: GLOBAL __main__.Quadratic was not an allowed global"
    in message
)
assert "torch.serialization.add_safe_globals([__main__.Quadratic])" in message
# sphinx_gallery_end_ignore

# %%
# The pickle names ``__main__ Quadratic``: the file stores a reference to the
# class by module and name, not its code. Loading it needs that exact class,
# importable under that exact name, which is another reason to prefer the
# ``state_dict``: renaming or moving the class breaks every file saved this
# way.

# %%
# Allowing classes you trust
# --------------------------
# The message offers two ways out. The safe one keeps ``weights_only=True`` and
# allowlists the classes you trust, for one load with the
# :class:`torch.serialization.safe_globals` context manager:
with torch.serialization.safe_globals([Quadratic]):
    whole = torch.load(model_path)
print(type(whole).__name__, whole)

# sphinx_gallery_start_ignore
assert isinstance(whole, Quadratic)
assert whole.a.item() == 1.5
# The allowlist applied only inside the block:
assert Quadratic not in torch.serialization.get_safe_globals()
# add_safe_globals (next paragraph) allowlists for the rest of the program:
allowed_before = torch.serialization.get_safe_globals()
torch.serialization.add_safe_globals([Quadratic])
try:
    assert isinstance(torch.load(model_path), Quadratic)
finally:
    torch.serialization.clear_safe_globals()
    torch.serialization.add_safe_globals(allowed_before)
assert Quadratic not in torch.serialization.get_safe_globals()
# sphinx_gallery_end_ignore

# %%
# :func:`torch.serialization.add_safe_globals` does the same for the rest of
# the program, which is convenient but easy to forget about: prefer the context
# manager, around the one load that needs it.

# %%
# Why ``weights_only=False`` is dangerous
# ---------------------------------------
# The other way out, ``torch.load(path, weights_only=False)``, lets the pickle
# call *any* function it names, with arguments it chooses, while it loads. An
# object controls that through ``__reduce__``. Here is a harmless payload: it
# makes loading call ``record_call``, which only prints and records that it
# ran. A malicious file would name ``os.system`` instead.
calls = []


def record_call(note: str) -> str:
    calls.append(note)
    print("record_call ran:", note)
    return note


class Payload:
    """Unpickling this object calls record_call("...")."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (record_call, ("code from the file ran during torch.load",))


payload_path = folder / "innocent_looking.pt"
torch.save({"weights": model.state_dict(), "extra": Payload()}, payload_path)
print(pickled_globals(payload_path))

# sphinx_gallery_start_ignore
assert "__main__ record_call" in pickled_globals(payload_path)
assert calls == []  # saving did not run it
# sphinx_gallery_end_ignore

# %%
# With the default ``weights_only=True`` the load is refused before anything
# runs (only the line that names the problem is printed here):
try:
    torch.load(payload_path)
except pickle.UnpicklingError as error:
    print(
        next(
            line.strip()
            for line in str(error).splitlines()
            if "Unsupported global" in line
        )
    )
print("calls so far:", calls)

# sphinx_gallery_start_ignore
try:
    torch.load(payload_path)
except pickle.UnpicklingError as error:
    message = str(error)
else:
    raise AssertionError("the payload loaded with weights_only=True")
assert "Unsupported global: GLOBAL __main__.record_call" in message
assert calls == []
# sphinx_gallery_end_ignore

# %%
# With ``weights_only=False`` the function runs, during the load:
loaded = torch.load(payload_path, weights_only=False)
print("calls so far:", calls)
print("what the payload became:", repr(loaded["extra"]))

# sphinx_gallery_start_ignore
assert calls == ["code from the file ran during torch.load"]
assert loaded["extra"] == "code from the file ran during torch.load"
# sphinx_gallery_end_ignore

# %%
# So ``weights_only=False`` is acceptable only for a file you made yourself, or
# one from a source you would trust to run code on your machine, because that
# is what you allow it to do. For anything downloaded or shared, keep the
# default, and if the file holds more than tensors, allowlist only the specific
# classes you expect.

# %%
# Loading onto another device: ``map_location``
# ---------------------------------------------
# A saved tensor remembers the device it was on. By default :func:`torch.load`
# puts it back there, so a file saved from a GPU loads onto a GPU.
# :hardware:`gpu` On a machine without one, that fails with:
#
# .. code-block:: text
#
#     RuntimeError: Attempting to deserialize object on a CUDA device but
#     torch.cuda.is_available() is False. If you are running on a CPU-only
#     machine, please use torch.load with map_location=torch.device('cpu') to
#     map your storages to the CPU.
#
# ``map_location`` says where to put the tensors instead: ``"cpu"``, or the
# device you run on. Here the model is saved from the device this page was
# built on, then loaded both ways.
from tutorial_helpers import choose_device

device = choose_device()
device_path = folder / "on_device.pt"
torch.save(Quadratic(1.5, -2.0, 0.5).to(device).state_dict(), device_path)

on_cpu = torch.load(device_path, map_location="cpu")
on_device = torch.load(device_path, map_location=device)
print("saved from:           ", device.type)
print("map_location='cpu':   ", on_cpu["a"].device.type)
print("map_location=device:  ", on_device["a"].device.type)

# sphinx_gallery_start_ignore
assert on_cpu["a"].device == torch.device("cpu")
assert on_device["a"].device.type == device.type
# The quoted error is real: forge a file whose storages say "cuda:0" (what
# torch.save records on a GPU) and load it where CUDA is absent.
gpu_path = folder / "saved_on_gpu.pt"
real_location_tag = torch.serialization.location_tag
torch.serialization.location_tag = lambda storage: "cuda:0"
try:
    torch.save(model.state_dict(), gpu_path)
finally:
    torch.serialization.location_tag = real_location_tag
assert torch.load(gpu_path, map_location="cpu")["a"].device == torch.device(
    "cpu"
)
if not torch.cuda.is_available():
    try:
        torch.load(gpu_path)
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("a CUDA file loaded without CUDA")
    assert message == (
        "Attempting to deserialize object on a CUDA device but "
        "torch.cuda.is_available() is False. If you are running on a CPU-only "
        "machine, please use torch.load with map_location=torch.device('cpu') "
        "to map your storages to the CPU."
    ), message
# sphinx_gallery_end_ignore

# %%
# ``load_state_dict`` copies values into the model's existing parameters, which
# stay where the model is. So for a state dict, ``map_location="cpu"`` followed
# by ``model.to(device)`` always works, wherever the file was saved.
restored = Quadratic().to(device)
restored.load_state_dict(on_cpu)
print("restored parameters on:", restored.a.device.type)
workdir.cleanup()

# sphinx_gallery_start_ignore
assert restored.a.device.type == device.type
assert not folder.exists()
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Save ``model.state_dict()``; load with
#   ``model.load_state_dict(torch.load(path))`` into a freshly built model.
# * A ``torch.save`` file is a zip archive: a small pickle plus raw tensor
#   bytes.
# * Since PyTorch 2.6, ``torch.load`` uses ``weights_only=True``: a whole
#   module fails to load until you allowlist its class with
#   :class:`torch.serialization.safe_globals`.
# * ``weights_only=False`` runs whatever code the file names: only for files
#   you trust.
# * ``map_location="cpu"`` (or your device) loads files saved on any device.
# * The next tutorial saves whole training checkpoints, safely.
