"""
Modules and parameters
======================

A model in PyTorch is a **module**: an object that holds tensors, its
**parameters**, and says how to compute an output from an input with them.
Every layer in :mod:`torch.nn`, and every network built from layers, is a
subclass of :class:`torch.nn.Module`.

In this tutorial you will write the smallest useful module, a quadratic
:math:`y = a x^2 + b x + c` whose coefficients are parameters, and learn:

* how to call a module, and why you call it rather than its ``forward`` method;
* which attributes a module registers (parameters, buffers, submodules) and
  which it silently ignores (plain tensors, plain lists);
* how to list parameters, move a module to a device, and read its
  ``state_dict``.
"""

# %%
# A module with three parameters
# ------------------------------
# A module subclasses :class:`torch.nn.Module`, calls ``super().__init__()``
# first, and assigns its parameters as attributes. Wrapping a tensor in
# :class:`torch.nn.Parameter` is what marks it as something to learn. The
# ``forward`` method computes the output; ``extra_repr`` only makes the module
# print its coefficients.

# sphinx_gallery_card = "Write a module; what it registers, and why."
# sphinx_gallery_assumes = "../01_tensors/plot_02_arithmetic_and_broadcasting"
# sphinx_gallery_assumes = "../03_devices/plot_01_choosing_a_device"
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


quadratic = Quadratic(1.0, 2.0, 3.0)
print(quadratic)

# %%
# Calling the module runs ``forward``. It works on a whole tensor at once,
# element by element, like any tensor expression: at ``x = 0, 1, 2, 3`` the
# quadratic :math:`x^2 + 2x + 3` is 3, 6, 11 and 18. The ``grad_fn`` in the
# output says the result was computed from tensors that require gradients (the
# *Autograd* section explains it).
x = torch.tensor([0.0, 1.0, 2.0, 3.0])
y = quadratic(x)
print(y)

# sphinx_gallery_start_ignore
assert y.tolist() == [3.0, 6.0, 11.0, 18.0]
assert y.grad_fn is not None
# sphinx_gallery_end_ignore

# %%
# Call the module, not ``forward``
# --------------------------------
# ``quadratic(x)`` and ``quadratic.forward(x)`` return the same numbers, but
# only the call goes through :class:`~torch.nn.Module`'s ``__call__``, which
# also runs any *hooks* registered on the module (PyTorch's profilers,
# debugging tools and some libraries rely on them). Here a forward hook counts
# how often the module ran: calling ``forward`` directly bypasses it.
calls = []
hook = quadratic.register_forward_hook(
    lambda module, inputs, output: calls.append("hook ran")
)

via_call = quadratic(x)
print("after quadratic(x):", calls)
via_forward = quadratic.forward(x)
print("after quadratic.forward(x):", calls)
hook.remove()

# sphinx_gallery_start_ignore
assert torch.equal(via_call, via_forward)
assert calls == ["hook ran"], calls
# sphinx_gallery_end_ignore

# %%
# Parameters are tensors that require gradients
# ---------------------------------------------
# A :class:`~torch.nn.Parameter` *is* a tensor (a subclass), and it is created
# with ``requires_grad=True``: PyTorch records every computation made with it
# so it can later compute the gradient of a loss with respect to it.
print(quadratic.a)
print("is a tensor:", isinstance(quadratic.a, torch.Tensor))
print("requires_grad:", quadratic.a.requires_grad)

# sphinx_gallery_start_ignore
assert isinstance(quadratic.a, torch.Tensor)
assert type(quadratic.a) is nn.Parameter
assert quadratic.a.requires_grad
# sphinx_gallery_end_ignore

# %%
# ``requires_grad=True`` is only the *default* of
# :class:`~torch.nn.Parameter`, not part of what a parameter is. A parameter
# created with ``requires_grad=False`` is still registered, listed and saved,
# but nothing computes a gradient for it. And only floating-point (or complex)
# tensors can require gradients: a gradient is a rate of change, which integers
# cannot express, so an integer parameter must be made with
# ``requires_grad=False``.
fixed = nn.Parameter(torch.tensor(1.0), requires_grad=False)
print("requires_grad:", fixed.requires_grad)
try:
    nn.Parameter(torch.tensor([1, 2]))
except RuntimeError as error:
    print(f"RuntimeError: {error}")
counts = nn.Parameter(torch.tensor([1, 2]), requires_grad=False)
print(counts.dtype, counts.requires_grad)

# sphinx_gallery_start_ignore
assert fixed.requires_grad is False
assert isinstance(fixed, nn.Parameter)
try:
    nn.Parameter(torch.tensor([1, 2]))
except RuntimeError as error:
    assert "floating point" in str(error), error
else:
    raise AssertionError("an integer Parameter required gradients")
assert counts.dtype == torch.int64
assert counts.requires_grad is False
# sphinx_gallery_end_ignore

# %%
# :meth:`~torch.nn.Module.parameters` yields every parameter, which is what an
# optimizer needs; :meth:`~torch.nn.Module.named_parameters` also gives their
# names, the attribute names. Here the order is the order of assignment;
# once a module holds submodules, its own parameters come first (below).
for name, parameter in quadratic.named_parameters():
    print(
        f"{name}: {parameter.item()}  requires_grad={parameter.requires_grad}"
    )
print(
    "number of values to learn:",
    sum(p.numel() for p in quadratic.parameters()),
)

# sphinx_gallery_start_ignore
assert [name for name, _ in quadratic.named_parameters()] == ["a", "b", "c"]
assert sum(p.numel() for p in quadratic.parameters()) == 3
# sphinx_gallery_end_ignore

# %%
# To freeze a parameter, so that training leaves it alone, switch its
# ``requires_grad`` off. It is still a parameter, still listed and saved.
quadratic.c.requires_grad_(False)
print([name for name, p in quadratic.named_parameters() if p.requires_grad])
quadratic.c.requires_grad_(True)

# sphinx_gallery_start_ignore
quadratic.c.requires_grad_(False)
assert [n for n, p in quadratic.named_parameters() if p.requires_grad] == [
    "a",
    "b",
]
assert len(list(quadratic.parameters())) == 3
quadratic.c.requires_grad_(True)
assert quadratic.c.requires_grad  # a cell's last expression would be shown
# sphinx_gallery_end_ignore

# %%
# What a module registers, and what it ignores
# --------------------------------------------
# A module notices some attributes when you assign them and keeps them in its
# own registries:
#
# * a :class:`~torch.nn.Parameter` becomes a **parameter**;
# * a tensor passed to :meth:`~torch.nn.Module.register_buffer` becomes a
#   **buffer**: state that is saved and moved with the module but not learned
#   (a running mean, a fixed offset);
# * a module becomes a **submodule**, and its parameters become yours, with
#   dotted names;
# * :class:`~torch.nn.ModuleList` (or :class:`~torch.nn.ModuleDict`) registers
#   a collection of modules.
#
# Everything else is an ordinary Python attribute. A plain tensor is *not* a
# parameter or a buffer, and modules in a plain Python list are not submodules:
# the module does not know about them, so an optimizer never updates them and
# ``state_dict`` never saves them. This is a classic silent bug.


class ScaledQuadratic(nn.Module):
    """scale * quadratic(x) + offset, with one of each kind of attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.quadratic = Quadratic(1.0, 2.0, 3.0)  # a submodule
        self.register_buffer("offset", torch.tensor(0.5))  # a buffer
        self.scale = torch.tensor(10.0)  # a plain tensor: NOT registered
        self.heads = nn.ModuleList([nn.Linear(1, 1)])  # registered submodules
        self.forgotten = [nn.Linear(1, 1)]  # a plain list: NOT registered

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.scale * self.quadratic(x) + self.offset


torch.manual_seed(0)  # nn.Linear starts from random weights
model = ScaledQuadratic()
print(model)
print("parameters:", [name for name, _ in model.named_parameters()])
print("buffers:   ", [name for name, _ in model.named_buffers()])

# sphinx_gallery_start_ignore
assert [n for n, _ in model.named_parameters()] == [
    "quadratic.a",
    "quadratic.b",
    "quadratic.c",
    "heads.0.weight",
    "heads.0.bias",
]
assert [n for n, _ in model.named_buffers()] == ["offset"]
assert not any(p is model.scale for p in model.parameters())
assert "forgotten" not in dict(model.named_children())
assert not any(p is model.forgotten[0].weight for p in model.parameters())
assert model(torch.tensor(1.0)).item() == 60.5
# sphinx_gallery_end_ignore

# %%
# Neither ``scale`` nor ``forgotten`` appears: not in the printed structure,
# not among the parameters or buffers.
#
# The order of ``named_parameters`` is not simply the order of assignment:
# a module lists its own parameters first, in the order they were assigned,
# then each submodule's, in the order the submodules were assigned. Here the
# layer is assigned before the parameter, and listed after it:


class LayerThenParameter(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(1, 1)  # assigned first
        self.p = nn.Parameter(torch.ones(1))  # assigned second


print([name for name, _ in LayerThenParameter().named_parameters()])

# sphinx_gallery_start_ignore
assert [n for n, _ in LayerThenParameter().named_parameters()] == [
    "p",
    "lin.weight",
    "lin.bias",
]
# sphinx_gallery_end_ignore

# %%
# Moving a module to a device
# ---------------------------
# :meth:`~torch.nn.Module.to` moves every parameter and buffer, including those
# of submodules, and returns the module itself: unlike ``tensor.to(...)``, it
# changes the module in place. The tutorials choose their device with
# :func:`tutorial_helpers.devices.choose_device` (the *Devices* section
# explains it), so this runs on an accelerator where there is one and on the
# CPU otherwise.
from tutorial_helpers import choose_device

device = choose_device()
moved = model.to(device)
print("same module object:", moved is model)
print("quadratic.a on", model.quadratic.a.device.type)
print("offset on     ", model.offset.device.type)
print("scale on      ", model.scale.device.type)

# sphinx_gallery_start_ignore
assert moved is model
assert model.quadratic.a.device.type == device.type
assert model.offset.device.type == device.type
assert model.heads[0].weight.device.type == device.type
assert model.scale.device == torch.device("cpu")  # never moved: not registered
# sphinx_gallery_end_ignore

# %%
# The unregistered tensor ``scale`` stays behind on the CPU, whatever the
# device: on a machine with an accelerator the last line above says ``cpu``
# while the others name the accelerator. When the page is built on a CPU-only
# machine every line says ``cpu`` and the difference cannot show, but a change
# of dtype shows the same thing on any machine:
# :meth:`~torch.nn.Module.double` converts the parameters and the buffer to
# ``float64``, but not ``scale``.
model.double()
print("quadratic.a:", model.quadratic.a.dtype)
print("offset:     ", model.offset.dtype)
print("scale:      ", model.scale.dtype)
model.float()

# sphinx_gallery_start_ignore
model.double()
assert model.quadratic.a.dtype == torch.float64
assert model.offset.dtype == torch.float64
assert model.scale.dtype == torch.float32
model.float()
assert (
    model.quadratic.a.dtype == torch.float32
)  # a cell's last expression would be shown
# sphinx_gallery_end_ignore

# %%
# The fix is to register it: ``nn.Parameter`` if it should be learned,
# ``register_buffer`` if not.

# %%
# Create parameters in ``__init__``, never in ``forward``
# --------------------------------------------------------
# A module's parameters must exist before anything asks for them, and must
# persist from one call to the next. A module that creates its parameter
# inside ``forward`` breaks both: before its first call it has no parameters,
# so an optimizer built from it refuses to start,


class LateParameter(nn.Module):
    """A mistake: the parameter is made anew on every call."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.weight = nn.Parameter(torch.ones(()))  # wrong place
        return self.weight * x


late = LateParameter()
print("parameters before the first call:", list(late.parameters()))
try:
    torch.optim.SGD(late.parameters(), lr=0.1)
except ValueError as error:
    print(f"ValueError: {error}")

# sphinx_gallery_start_ignore
assert list(late.parameters()) == []
try:
    torch.optim.SGD(late.parameters(), lr=0.1)
except ValueError as error:
    assert "empty parameter list" in str(error), error
else:
    raise AssertionError("an optimizer accepted no parameters")
# sphinx_gallery_end_ignore

# %%
# and after a call, every later call replaces the parameter with a fresh one.
# The optimizer updates the tensor it was given, which the module no longer
# uses, so training silently changes nothing:
late(torch.tensor(1.0))
optimizer = torch.optim.SGD(late.parameters(), lr=0.1)
loss = (late(torch.tensor(1.0)) - 5.0) ** 2
loss.backward()
optimizer.step()
stale = optimizer.param_groups[0]["params"][0]
print("the optimizer holds the module's weight:", stale is late.weight)
print("the optimizer's tensor got a gradient:  ", stale.grad is not None)
print("weight after the step:", late.weight.item(), "(unchanged)")

# sphinx_gallery_start_ignore
assert stale is not late.weight
assert stale.grad is None  # the loss used another tensor
assert stale.item() == 1.0
assert late.weight.item() == 1.0
assert late.weight.grad is not None  # the gradient went to the new tensor
# sphinx_gallery_end_ignore

# %%
# The gradient went to the new tensor, which the optimizer has never heard
# of. Create every parameter once, in ``__init__``, as ``Quadratic`` does.

# %%
# The ``state_dict``: a module's tensors by name
# ----------------------------------------------
# :meth:`~torch.nn.Module.state_dict` returns an ordered dictionary from each
# parameter's and buffer's dotted name to its tensor. It is exactly what you
# save to a file, and what :meth:`~torch.nn.Module.load_state_dict` puts back
# (the *Saving and loading* section does both). Unregistered attributes are
# missing from it too.
model = model.to("cpu")
for name, tensor in model.state_dict().items():
    print(f"{name:15} {tuple(tensor.shape)}")

# sphinx_gallery_start_ignore
assert list(model.state_dict()) == [
    "offset",
    "quadratic.a",
    "quadratic.b",
    "quadratic.c",
    "heads.0.weight",
    "heads.0.bias",
]
# sphinx_gallery_end_ignore

# %%
# The tensors in a ``state_dict`` are detached views of the parameters: they
# share their memory but do not require gradients. Changing a value in place
# through the ``state_dict`` changes the module.
state = quadratic.state_dict()
print("requires_grad:", state["a"].requires_grad)
print(
    "same memory as quadratic.a:",
    state["a"].data_ptr() == quadratic.a.data_ptr(),
)
state["a"].fill_(5.0)
print(quadratic)

# sphinx_gallery_start_ignore
assert state["a"].requires_grad is False
assert state["a"].data_ptr() == quadratic.a.data_ptr()
assert quadratic.a.item() == 5.0
# sphinx_gallery_end_ignore

# %%
# ``detach()``, not ``.data``
# ---------------------------
# Older code reaches a parameter's values through ``.data``. It also gives a
# tensor that shares memory and records no history, but autograd loses track
# of changes made through it: an in-place change to a value the backward pass
# needs then gives a silently **wrong gradient**. The same change through
# :meth:`~torch.Tensor.detach` is caught, because the detached tensor shares
# the original's version counter. The gradient of ``sigmoid`` is computed from
# its output, so zeroing the output in place corrupts it:
inputs = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
output = inputs.sigmoid()
output.data.zero_()  # legacy: autograd does not notice
output.sum().backward()
print("gradient after a change through .data:", inputs.grad)

inputs = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
output = inputs.sigmoid()
output.detach().zero_()  # autograd notices
try:
    output.sum().backward()
except RuntimeError as error:
    print(f"RuntimeError: {str(error).split(':')[0]}")

# sphinx_gallery_start_ignore
check = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = check.sigmoid()
out.data.zero_()
out.sum().backward()
assert torch.equal(check.grad, torch.zeros(3))  # wrong: sigmoid' is never 0
check = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = check.sigmoid()
out.detach().zero_()
try:
    out.sum().backward()
except RuntimeError as error:
    assert "modified by an inplace operation" in str(error), error
else:
    raise AssertionError("an in-place change through detach() went unnoticed")
# sphinx_gallery_end_ignore

# %%
# The true gradient, :math:`\sigma(x)(1 - \sigma(x))`, is never zero, yet the
# first version reports zeros without complaint. Use ``detach()`` (or
# :class:`torch.no_grad` for an update made in place) and leave ``.data`` to
# old code.

# %%
# Summary
# -------
# * Subclass :class:`torch.nn.Module`, call ``super().__init__()``, assign
#   :class:`~torch.nn.Parameter` attributes, write ``forward``; then call the
#   module, ``model(x)``, not ``model.forward(x)``.
# * Parameters require gradients; ``parameters()`` and ``named_parameters()``
#   list them, submodules' included.
# * Only parameters, buffers (``register_buffer``) and submodules
#   (``ModuleList`` for collections) are registered: they are moved by
#   ``.to(device)`` and saved in the ``state_dict``; plain tensors and lists
#   are not.
# * ``requires_grad=True`` is a parameter's default, not a rule; integer
#   tensors can never require gradients.
# * Create parameters once, in ``__init__``; reach their values with
#   ``detach()``, not ``.data``.
# * The next tutorial fits the quadratic's parameters to data.
