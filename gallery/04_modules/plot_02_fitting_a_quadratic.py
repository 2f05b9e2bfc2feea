"""
Fitting a module to data
========================

A module's parameters are meant to be learned. In this tutorial you will fit
the ``Quadratic`` module of the previous tutorial to noisy measurements of a
known curve, and watch it recover the curve's coefficients. You will write the
training loop twice:

* first by hand: compute a loss, call ``backward()`` to get the gradient of the
  loss with respect to every parameter, and step each parameter downhill;
* then with :class:`torch.optim.SGD`, which does the stepping for you, and
  check that both loops end with the same parameters.
"""

# %%
# Noisy data from a known curve
# -----------------------------
# The data come from :math:`y = 1.5 x^2 - 2 x + 0.5` plus Gaussian noise of
# standard deviation 0.3, at 40 points between -2 and 2. Seeding the random
# number generator makes the noise, and so every number below, the same on each
# run.

# sphinx_gallery_card = "Fit a module by gradient descent, then SGD."
# sphinx_gallery_assumes = "plot_01_modules_and_parameters"
# sphinx_gallery_calculus = "the gradient of a loss, as a slope"
import torch
from torch import nn

from tutorial_helpers import choose_device

device = choose_device()
torch.manual_seed(0)

TRUE_A, TRUE_B, TRUE_C = 1.5, -2.0, 0.5
x = torch.linspace(-2.0, 2.0, 40)
y = TRUE_A * x**2 + TRUE_B * x + TRUE_C + 0.3 * torch.randn(40)
x, y = x.to(device), y.to(device)
print("x:", x.shape, "y:", y.shape, "on", device.type)

# sphinx_gallery_start_ignore
assert x.shape == y.shape == torch.Size([40])
# sphinx_gallery_end_ignore

# %%
# The module, as in the previous tutorial. It starts with every coefficient at
# zero, a flat line.


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


# %%
# Gradient descent by hand
# ------------------------
# The **loss** measures how far the curve is from the data: here the mean
# squared error. Each step of gradient descent
#
# 1. computes the loss from the module's output (the *forward pass*);
# 2. clears the gradients left by the previous step (``zero_grad``:
#    ``backward`` *adds* to ``.grad``, it does not overwrite it);
# 3. calls ``loss.backward()``, which fills ``p.grad`` for every parameter;
# 4. moves each parameter a small step against its gradient,
#    :math:`p \leftarrow p - \eta\,\partial L / \partial p`, inside
#    :class:`torch.no_grad` so that the update itself is not recorded as part
#    of the computation to differentiate.
#
# The step size :math:`\eta` is the **learning rate**.
LEARNING_RATE = 0.1
STEPS = 150

by_hand = Quadratic().to(device)
hand_losses = []
for step in range(STEPS):
    loss = ((by_hand(x) - y) ** 2).mean()
    hand_losses.append(loss.item())
    by_hand.zero_grad()
    loss.backward()
    with torch.no_grad():
        for parameter in by_hand.parameters():
            parameter -= LEARNING_RATE * parameter.grad
    if step % 30 == 0:
        print(f"step {step:3}: loss {loss.item():.4f}")

print("fitted:", by_hand)

# sphinx_gallery_start_ignore
import itertools

assert hand_losses[-1] < hand_losses[0] / 100
assert all(
    later <= earlier + 1e-6
    for earlier, later in itertools.pairwise(hand_losses)
)
# sphinx_gallery_end_ignore

# %%
# Did it find the right curve?
# ----------------------------
# The fitted coefficients are close to the true 1.5, -2 and 0.5, but not equal:
# with noisy data, the best any method can do is the least-squares fit, which
# linear algebra computes directly (:func:`torch.linalg.lstsq`). Gradient
# descent has converged to it.
design = torch.stack([x**2, x, torch.ones_like(x)], dim=1)
least_squares = torch.linalg.lstsq(
    design.cpu(), y.cpu().unsqueeze(1)
).solution.squeeze(1)
fitted = torch.stack([p.detach().cpu() for p in by_hand.parameters()])
print("true:          ", [TRUE_A, TRUE_B, TRUE_C])
print("gradient descent", [round(v, 3) for v in fitted.tolist()])
print("least squares:  ", [round(v, 3) for v in least_squares.tolist()])

# sphinx_gallery_start_ignore
true = torch.tensor([TRUE_A, TRUE_B, TRUE_C])
assert torch.allclose(fitted, least_squares, atol=1e-3), (
    fitted,
    least_squares,
)
assert torch.allclose(fitted, true, atol=0.1), (fitted, true)
assert not torch.allclose(
    fitted, true, atol=1e-3
)  # the noise keeps them apart
# sphinx_gallery_end_ignore

# %%
# The same loop with an optimizer
# -------------------------------
# An optimizer from :mod:`torch.optim` takes the parameters to update and does
# steps 2 and 4 for you: :meth:`~torch.optim.Optimizer.zero_grad` and
# :meth:`~torch.optim.Optimizer.step`. Plain :class:`torch.optim.SGD` applies
# the update written above, so starting from the same zeros it ends with the
# same parameters. (Not always to the last bit: it computes
# :math:`p - \eta g` in one fused operation, ``p.add_(g, alpha=-lr)``, whose
# rounding can differ from ``p -= lr * g`` in the last binary digit.)
with_optimizer = Quadratic().to(device)
optimizer = torch.optim.SGD(with_optimizer.parameters(), lr=LEARNING_RATE)
sgd_losses = []
for _ in range(STEPS):
    loss = ((with_optimizer(x) - y) ** 2).mean()
    sgd_losses.append(loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print("fitted:", with_optimizer)
same = all(
    torch.allclose(p, q, rtol=0, atol=1e-6)
    for p, q in zip(
        by_hand.parameters(), with_optimizer.parameters(), strict=True
    )
)
print("same parameters as by hand (within 1e-6):", same)

# sphinx_gallery_start_ignore
assert same
assert torch.allclose(
    torch.tensor(sgd_losses), torch.tensor(hand_losses), rtol=1e-5, atol=0
)
# sphinx_gallery_end_ignore

# %%
# Other optimizers change only the update rule: replace the ``SGD`` line with
# ``torch.optim.Adam(with_optimizer.parameters(), lr=0.1)`` and the loop stays
# the same. Adam keeps a running average of past gradients for each parameter;
# the *Saving and loading* section shows why that state must be saved with a
# checkpoint.

# %%
# The fit, and how the loss fell
# ------------------------------
# Above, the data, the true curve and the fitted curve; below, the loss at
# each step of both loops, on a logarithmic scale. The two loss curves lie on
# top of each other, and flatten at the noise level: no curve of this shape
# can pass closer to noisy points.
import matplotlib.pyplot as plt

grid = torch.linspace(-2.2, 2.2, 200)
with torch.no_grad():
    fitted_curve = by_hand(grid.to(device)).cpu()
true_curve = TRUE_A * grid**2 + TRUE_B * grid + TRUE_C

fig, (ax_fit, ax_loss) = plt.subplots(
    2, 1, figsize=(6.4, 7.6), layout="constrained"
)
ax_fit.scatter(
    x.cpu(), y.cpu(), s=18, color="0.35", label="noisy data", zorder=3
)
ax_fit.plot(
    grid, true_curve, "--", color="tab:green", lw=2, label="true curve"
)
ax_fit.plot(grid, fitted_curve, color="tab:orange", lw=2, label="fitted curve")
ax_fit.set(
    xlabel="x (no unit)",
    ylabel="y (no unit)",
    title="Data and fitted quadratic",
)
ax_fit.legend()

steps = range(STEPS)
ax_loss.plot(steps, hand_losses, color="tab:blue", lw=2, label="by hand")
ax_loss.plot(
    steps[::10],
    sgd_losses[::10],
    "o",
    color="tab:red",
    ms=5,
    label="torch.optim.SGD",
)
ax_loss.set_yscale("log")
ax_loss.set(
    xlabel="step (parameter updates)", ylabel="mean squared error (no unit)"
)
ax_loss.set_title("Loss during training")
ax_loss.legend()
fig.suptitle("Fitting y = a x² + b x + c by gradient descent")
plt.show()

# sphinx_gallery_start_ignore
assert len(ax_fit.lines) == 2
assert len(ax_loss.lines) == 2
assert torch.allclose(
    fitted_curve, with_optimizer(grid.to(device)).detach().cpu(), atol=1e-5
)
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * Training is a loop: forward pass, loss, ``zero_grad()``, ``backward()``,
#   update the parameters.
# * Updating parameters by hand must happen inside ``torch.no_grad()``.
# * An optimizer does the update for you; plain SGD is exactly
#   :math:`p \leftarrow p - \eta\,\nabla_p L`.
# * With noisy data the fit recovers the true coefficients only
#   approximately: it converges to the least-squares solution.
