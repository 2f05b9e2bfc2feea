"""
Devices: where tensors live
===========================

Every tensor's numbers sit in the memory of one **device**: the CPU's main
memory, or the memory of an accelerator such as a GPU. An operation runs on
the device that holds its operands, so choosing a device is choosing where the
work happens.

In this tutorial you will ask PyTorch which accelerator the machine has with
:mod:`torch.accelerator`, learn how devices are named, choose one portably,
move tensors and modules with ``.to()``, and meet the errors that a device
mix-up causes. Every output below comes from the machine that built this page;
the note at the top says which device it had.
"""

# %%
# The CPU is always there
# -----------------------
# Without an instruction, PyTorch creates tensors on the CPU. A
# :class:`torch.device` names a device; a tensor's ``device`` attribute says
# where it lives.

# sphinx_gallery_card = "Find the accelerator; move tensors and modules."
# sphinx_gallery_assumes = "../01_tensors/plot_01_creating_tensors"
import torch

weights = torch.tensor([1.0, 2.0, 3.0])
print(weights.device)
print(torch.get_default_device())

# sphinx_gallery_start_ignore
assert weights.device == torch.device("cpu")
assert torch.get_default_device() == torch.device("cpu")
# sphinx_gallery_end_ignore

# %%
# Which accelerator does this machine have?
# -----------------------------------------
# PyTorch supports accelerators from several vendors, each through its own back
# end: NVIDIA GPUs through CUDA, AMD GPUs through ROCm, Apple GPUs through
# Metal (MPS) and Intel GPUs through XPU. Each build of PyTorch is compiled for
# one of them (or none), and :mod:`torch.accelerator` asks about that one
# without naming it: whether it is usable now, what it is called, and how many
# devices there are.
# ``check_available=True`` matters: without it,
# :func:`torch.accelerator.current_accelerator` reports the accelerator the
# build *supports*, even on a machine where none is plugged in. Ask for
# :func:`torch.accelerator.device_count` only when one is available: some
# builds raise there instead of answering 0 (PyTorch 2.7's CUDA build, on a
# machine without a GPU driver: ``RuntimeError: Found no NVIDIA driver``).
available = torch.accelerator.is_available()
print("accelerator available:", available)
print(
    "current accelerator:",
    torch.accelerator.current_accelerator(check_available=True),
)
count = torch.accelerator.device_count() if available else 0
print("number of accelerator devices:", count)

# sphinx_gallery_start_ignore
_accelerator = torch.accelerator.current_accelerator(check_available=True)
assert (_accelerator is not None) == torch.accelerator.is_available()
assert (
    torch.accelerator.device_count() > 0
) == torch.accelerator.is_available()
if _accelerator is not None:
    assert _accelerator.type in {"cuda", "mps", "xpu"}
    assert (
        _accelerator.index is None
    )  # the type only; the index is asked separately
# sphinx_gallery_end_ignore

# %%
# Which build of PyTorch is this?
# -------------------------------
# The accelerator must be supported by the installed build *and* present in the
# machine. ``torch.version.cuda`` is the CUDA version a CUDA build was compiled
# with and ``torch.version.hip`` the ROCm (HIP) version of a ROCm build; both
# are ``None`` on a CPU-only build. A ROCm build reuses the whole CUDA
# interface: an AMD GPU is the device ``cuda`` and
# :func:`torch.cuda.is_available` reports it. So ``cuda`` in code means "NVIDIA
# or AMD GPU". :hardware:`rocm`
print("torch", torch.__version__)
print("built with CUDA:", torch.version.cuda)
print("built with ROCm (HIP):", torch.version.hip)
for device_type, available in [
    ("cuda", torch.cuda.is_available()),
    ("mps", torch.backends.mps.is_available()),
    ("xpu", torch.xpu.is_available()),
]:
    print(f"{device_type:>4} available: {available}")

# sphinx_gallery_start_ignore
assert not (torch.version.cuda and torch.version.hip)  # one back end per build
if torch.version.hip is not None and torch.cuda.is_available():
    assert torch.accelerator.current_accelerator().type == "cuda"
if torch.version.cuda is None and torch.version.hip is None:
    assert not torch.cuda.is_available()
# sphinx_gallery_end_ignore

# %%
# Device names and indices
# ------------------------
# A device name is a type, optionally followed by an index that picks one of
# several devices of that type: ``"cuda:1"`` is the second GPU. A name without
# an index means "the current device of that type", which is ``cuda:0`` unless
# changed. Naming a device never touches the hardware, so these lines run on
# any machine:
second_gpu = torch.device("cuda:1")
print(second_gpu.type, second_gpu.index)
print(torch.device("cuda").index)
print(torch.device("cuda", 1) == second_gpu)
print(torch.device("cuda") == torch.device("cuda:0"))

# sphinx_gallery_start_ignore
assert (second_gpu.type, second_gpu.index) == ("cuda", 1)
assert torch.device("cuda").index is None
assert torch.device("cuda", 1) == second_gpu
assert torch.device("cuda") != torch.device("cuda:0")
# sphinx_gallery_end_ignore

# %%
# The last line is ``False``: a device without an index is not equal to one
# with an index, even when they end up meaning the same GPU. Compare
# ``device.type`` when you mean "is this on a GPU?".
#
# Which GPUs a program sees, and their numbering, is set before it starts with
# the environment variable ``CUDA_VISIBLE_DEVICES``. It lists the physical
# GPUs to expose, and the program numbers the visible ones from 0: run with
# ``CUDA_VISIBLE_DEVICES=2,3`` and ``cuda:0`` is physical GPU 2.
# :hardware:`multi-gpu` An empty value hides every GPU. On AMD GPUs, ROCm's HIP
# runtime reads it too, as a synonym of its own ``HIP_VISIBLE_DEVICES``, and
# ``ROCR_VISIBLE_DEVICES``, read by the ROCm runtime underneath, hides GPUs
# from every ROCm program (AMD recommends it on Linux). :hardware:`rocm` The
# variable is read once, when the program first uses the GPU, so set it in the
# shell (``CUDA_VISIBLE_DEVICES=1 python train.py``), not halfway through a
# program. This build ran with:
import os

print(
    "CUDA_VISIBLE_DEVICES =",
    os.environ.get("CUDA_VISIBLE_DEVICES", "(not set)"),
)
print("CUDA GPUs this program sees:", torch.cuda.device_count())

# sphinx_gallery_start_ignore
if torch.cuda.is_available():
    import subprocess
    import sys

    def _count_in_child(visible: str) -> str:
        code = (
            "import torch; n = torch.cuda.device_count(); "
            "print(n, n and torch.cuda.get_device_name(0))"
        )
        return subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "CUDA_VISIBLE_DEVICES": visible},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.strip()

    assert _count_in_child("") == "0 0"
    if torch.cuda.device_count() >= 2:
        assert _count_in_child("1") == f"1 {torch.cuda.get_device_name(1)}"
# sphinx_gallery_end_ignore

# %%
# Asking for a device the machine does not have
# ---------------------------------------------
# Creating a tensor on a device is what touches it. On a machine without a CUDA
# GPU, this fails; on a CPU-only build of PyTorch the error is an
# ``AssertionError``, and a CUDA build on a machine without a GPU raises a
# ``RuntimeError``. With a GPU, the tensor is created, on ``cuda:0``.
# :hardware:`cuda`
try:
    zeros = torch.zeros(3, device="cuda")
    print(zeros.device)
except (AssertionError, RuntimeError) as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
_error: BaseException | None = None
try:
    torch.zeros(3, device="cuda")
except (AssertionError, RuntimeError) as _caught:
    _error = _caught
assert (_error is None) == torch.cuda.is_available()
if torch.version.cuda is None and torch.version.hip is None:
    assert isinstance(_error, AssertionError)
    assert str(_error) == "Torch not compiled with CUDA enabled"
if torch.cuda.is_available():
    assert torch.zeros(3, device="cuda").device == torch.device("cuda", 0)
# sphinx_gallery_end_ignore

# %%
# Choosing a device portably
# --------------------------
# Code that says ``"cuda"`` works only where there is a CUDA or ROCm GPU. The
# portable choice asks :mod:`torch.accelerator` and falls back to the CPU:
device = torch.accelerator.current_accelerator(
    check_available=True
) or torch.device("cpu")
print(device)

# sphinx_gallery_start_ignore
assert (device.type != "cpu") == torch.accelerator.is_available()
# sphinx_gallery_end_ignore

# %%
# The tutorials wrap that choice in
# :func:`tutorial_helpers.devices.choose_device`, which also lets you override
# it without editing code: it reads the environment variable
# ``TUTORIAL_DEVICE`` (``auto``, the default, or ``cpu``, ``cuda``, ``mps``,
# ``xpu``, optionally with an index). Run a tutorial with
# ``TUTORIAL_DEVICE=cpu`` to compare with the CPU on a GPU machine.
from tutorial_helpers import DeviceNotAvailableError, choose_device
from tutorial_helpers.devices import describe_device

device = choose_device()
print(describe_device(device))
print(choose_device("cpu"))

# sphinx_gallery_start_ignore
import os

if os.environ.get("TUTORIAL_DEVICE", "").strip().lower() in {"", "auto"}:
    _auto = torch.accelerator.current_accelerator(
        check_available=True
    ) or torch.device("cpu")
    assert device.type == _auto.type
assert choose_device("cpu") == torch.device("cpu")
# sphinx_gallery_end_ignore

# %%
# Where ``torch.zeros(device="cuda")`` fails with PyTorch's generic message,
# the chooser stops with one that lists the devices present and says how to
# run anyway:
try:
    print(choose_device("cuda"))
except DeviceNotAvailableError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
_error = None
try:
    choose_device("cuda")
except DeviceNotAvailableError as _caught:
    _error = _caught
assert (_error is None) == torch.cuda.is_available()
assert _error is None or "Devices on this machine: cpu" in str(_error)
# sphinx_gallery_end_ignore

# %%
# Moving tensors with ``.to()``
# -----------------------------
# :meth:`torch.Tensor.to` returns a copy of a tensor on another device; the
# original stays where it was. When the tensor is already there, ``.to()``
# returns the tensor itself, no copy, so moving unconditionally costs nothing
# on the CPU.
moved = weights.to(device)
print(moved.device.type == device.type, weights.device)
print(weights.to("cpu") is weights)

# sphinx_gallery_start_ignore
assert moved.device.type == device.type
assert weights.device == torch.device("cpu")
assert weights.to("cpu") is weights
assert torch.equal(moved.cpu(), weights)
# sphinx_gallery_end_ignore

# %%
# To see a real move on any machine, use the **meta** device. A meta tensor has
# a shape and a dtype but no values at all, so it needs no memory; PyTorch uses
# it to build very large models before they are loaded. Printing it shows
# ``...`` where the values would be:
on_meta = weights.to("meta")
print(on_meta)
print(weights)

# sphinx_gallery_start_ignore
assert on_meta.device == torch.device("meta")
assert on_meta.shape == weights.shape
assert weights.device == torch.device("cpu")
assert "..." in str(on_meta)
# sphinx_gallery_end_ignore

# %%
# Moving a module
# ---------------
# A module moves differently: :meth:`torch.nn.Module.to` moves every parameter
# and buffer **in place** and returns the module itself, so there is no need to
# reassign it (writing ``model = model.to(device)`` does no harm). The second
# model shows a real move on any machine: its parameters are on the meta device
# although the result of ``.to()`` was not kept.
model = torch.nn.Linear(3, 2)
returned = model.to(device)
print(returned is model)
print(model.weight.device.type == device.type)

meta_model = torch.nn.Linear(3, 2)
meta_model.to("meta")
print(meta_model.weight.device, meta_model.bias.device)

# sphinx_gallery_start_ignore
assert returned is model
assert model.weight.device.type == device.type
assert meta_model.weight.device == torch.device("meta")
assert meta_model.bias.device == torch.device("meta")
# sphinx_gallery_end_ignore

# %%
# Operands must share a device
# ----------------------------
# An operation runs on one device, so all of its tensor operands must be there.
# PyTorch does not copy them for you, because a hidden copy between CPU and GPU
# memory is slow. :hardware:`gpu` (The one exception is a CPU tensor with zero
# dimensions, which is used like a Python number.) Mixing devices raises a
# ``RuntimeError``. The meta device shows it on any machine:
try:
    weights + torch.ones(3, device="meta")
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
try:
    weights + torch.ones(3, device="meta")
except RuntimeError:
    pass
else:
    raise AssertionError("a CPU tensor was added to a meta tensor")
assert (
    torch.ones(3, device="meta") + torch.tensor(2.0)
).device == torch.device("meta")
# sphinx_gallery_end_ignore

# %%
# With an accelerator the message reads differently, so this cell makes the
# same mistake with the CPU and the accelerator when the machine has one, and
# says so when it has none.
accelerator = torch.accelerator.current_accelerator(check_available=True)
if accelerator is not None:
    try:
        weights + torch.ones(3, device=accelerator)
    except RuntimeError as error:
        print(f"{type(error).__name__}: {error}")
else:
    print(
        "No accelerator on this machine:",
        "there is no second real device to mix up.",
    )

# sphinx_gallery_start_ignore
if accelerator is not None:
    try:
        weights + torch.ones(3, device=accelerator)
    except RuntimeError:
        pass
    else:
        raise AssertionError(
            f"a CPU tensor was added to a {accelerator} tensor"
        )
else:
    assert not torch.accelerator.is_available()
# sphinx_gallery_end_ignore

# %%
# The usual cause is a batch of data left on the CPU while the model is on the
# GPU: the model's first layer meets a CPU input. The fix is to move the data
# to the device of the model, batch by batch:
batch = torch.ones(4, 3)
try:
    meta_model(batch)
except RuntimeError as error:
    print(f"{type(error).__name__}: {error}")

model_device = next(meta_model.parameters()).device
print(meta_model(batch.to(model_device)).shape)

# sphinx_gallery_start_ignore
try:
    meta_model(batch)
except RuntimeError:
    pass
else:
    raise AssertionError("a meta model accepted a CPU batch")
assert meta_model(batch.to(model_device)).shape == (4, 2)
# sphinx_gallery_end_ignore

# %%
# Results that leave PyTorch, for NumPy, matplotlib or a file, must come back
# to the CPU first with ``.cpu()`` (or ``.to("cpu")``);
# :meth:`torch.Tensor.numpy` refuses any other device:
try:
    on_meta.numpy()
except TypeError as error:
    print(f"{type(error).__name__}: {error}")

# sphinx_gallery_start_ignore
_error = None
try:
    on_meta.numpy()
except TypeError as _caught:
    _error = _caught
assert _error is not None
assert "Use Tensor.cpu()" in str(_error)
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * A tensor lives on one device, the CPU unless you say otherwise; an
#   operation runs where its operands are, and they must all be on the same
#   device.
# * :mod:`torch.accelerator` reports the machine's accelerator whatever its
#   vendor; pass ``check_available=True`` to
#   :func:`~torch.accelerator.current_accelerator`.
# * NVIDIA and AMD GPUs are both ``cuda``; Apple GPUs are ``mps``, Intel GPUs
#   ``xpu``. An index picks one device: ``cuda:1``. ``CUDA_VISIBLE_DEVICES``
#   chooses which GPUs a program sees.
# * Choose the device once, portably, and pass it around:
#   ``choose_device()`` here, or ``current_accelerator(check_available=True) or
#   torch.device("cpu")`` in your own code.
# * ``tensor.to(device)`` returns a moved copy; ``module.to(device)`` moves the
#   module in place.
