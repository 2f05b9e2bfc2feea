"""
Partial derivatives and tangent planes
======================================

A function of two inputs, :math:`z = f(x, y)`, is a surface. At a point it has
not one slope but two: one along :math:`x` and one along :math:`y`, its
**partial derivatives**. Its tangent is no longer a line but a plane.

In this tutorial you will compute both partial derivatives with one call to
``backward()``, see them as the two slopes of a tangent plane, and collect them
into the gradient vector of a tensor.
"""

# %%
# Two inputs, one ``backward()``
# ------------------------------
# Take the bowl :math:`z = x^2 + y^2` at the point :math:`(2, 2)`. Both inputs
# require grad, so one ``backward()`` fills both ``.grad`` attributes. Each is
# the slope along its own axis with the other input held fixed: calculus says
# :math:`\partial z/\partial x = 2x` and :math:`\partial z/\partial y = 2y`,
# 4 and 4 here.

# sphinx_gallery_card = "Two inputs, two slopes: the tangent plane."
# sphinx_gallery_assumes = "plot_01_slopes_and_tangents"
# sphinx_gallery_calculus = "partial derivatives"
import matplotlib.pyplot as plt
import torch

from tutorial_helpers import choose_device

device = choose_device()

x = torch.tensor(2.0, device=device, requires_grad=True)
y = torch.tensor(2.0, device=device, requires_grad=True)
z = x**2 + y**2
z.backward()
print("z =", z.item())
print("dz/dx =", x.grad.item(), " dz/dy =", y.grad.item())

# sphinx_gallery_start_ignore
assert z.item() == 8.0
assert (x.grad.item(), y.grad.item()) == (4.0, 4.0)
# sphinx_gallery_end_ignore

# %%
# The tangent plane
# -----------------
# The plane that touches the bowl at :math:`(2, 2, 8)` rises 4 per step in
# :math:`x` and 4 per step in :math:`y`:
#
# .. math:: z = 8 + 4 (x - 2) + 4 (y - 2) = 4x + 4y - 8.
#
# The figure draws the bowl see-through, the tangent plane in orange (its
# slopes from autograd), the point in black, and the plane's two lines
# through the point along :math:`x` (red) and along :math:`y` (purple).
from tutorial_helpers.calculus import plot_surface_with_tangent_plane


def bowl(x, y):
    return x**2 + y**2


fig = plt.figure(figsize=(6.2, 5.6), layout="constrained")
ax = fig.add_subplot(projection="3d")
plane = plot_surface_with_tangent_plane(ax, bowl, 2.0, 2.0)
ax.legend(loc="upper left")
ax.set_title("z = x² + y² and its tangent plane at (2, 2)")
print(plane)
plt.show()

# sphinx_gallery_start_ignore
assert (plane.z0, plane.dz_dx, plane.dz_dy) == (8.0, 4.0, 4.0)
# z = 4x + 4y - 8 everywhere on the plane.
assert float(plane(0.0, 0.0)) == -8.0
assert float(plane(3.0, 1.0)) == 4 * 3 + 4 * 1 - 8
# sphinx_gallery_end_ignore

# %%
# Steeper in :math:`x`, steeper in :math:`y`
# ------------------------------------------
# A plane can tilt independently in the two directions, which is why it takes
# two numbers. Away from the diagonal the bowl shows it: at
# :math:`(2.5, 0.5)` its tangent plane climbs 5 per step in :math:`x` but only
# 1 in :math:`y`; at :math:`(0.5, 2.5)` it is the other way round. Both
# panels are seen from the same angle.
fig = plt.figure(figsize=(6.2, 10), layout="constrained")
planes = []
for index, (x0, y0, title) in enumerate(
    [
        (2.5, 0.5, "steeper in x: at (2.5, 0.5)"),
        (0.5, 2.5, "steeper in y: at (0.5, 2.5)"),
    ],
    start=1,
):
    ax = fig.add_subplot(2, 1, index, projection="3d")
    planes.append(
        plot_surface_with_tangent_plane(ax, bowl, x0, y0, plane_half_width=1.0)
    )
    ax.legend(loc="upper left")
    ax.set_title(title)
fig.suptitle("Tangent planes of z = x² + y² tilt differently along x and y")
for plane in planes:
    print(
        f"at ({plane.x0}, {plane.y0}):",
        f"dz/dx = {plane.dz_dx}, dz/dy = {plane.dz_dy}",
    )
plt.show()

# sphinx_gallery_start_ignore
assert [(p.dz_dx, p.dz_dy) for p in planes] == [(5.0, 1.0), (1.0, 5.0)]
# sphinx_gallery_end_ignore

# %%
# The gradient vector
# -------------------
# Put both inputs in one tensor and ``.grad`` has the same shape, holding
# every partial derivative: this is the **gradient** of :math:`z`. It points
# in the direction in which :math:`z` climbs fastest, straight up the wall of
# the bowl, which is why following its opposite goes downhill.
point = torch.tensor([2.5, 0.5], device=device, requires_grad=True)
z = (point**2).sum()
z.backward()
print("gradient:", point.grad)

# sphinx_gallery_start_ignore
assert point.grad.tolist() == [5.0, 1.0]
# No unit step climbs faster than the one along the gradient.
with torch.no_grad():
    direction = point.grad / point.grad.norm()
    best = ((point + 1e-3 * direction) ** 2).sum()
    angles = torch.linspace(0, 2 * torch.pi, 73, device=device)
    steps = torch.stack([angles.cos(), angles.sin()], dim=1)
    others = ((point + 1e-3 * steps) ** 2).sum(dim=1)
    assert best >= others.max() - 1e-6
# sphinx_gallery_end_ignore

# %%
# Summary
# -------
# * For :math:`z = f(x, y)`, ``z.backward()`` fills ``x.grad`` and ``y.grad``
#   with the partial derivatives :math:`\partial z/\partial x` and
#   :math:`\partial z/\partial y`.
# * They are the two slopes of the tangent plane at the point.
# * For a tensor input, ``.grad`` has the input's shape: the gradient vector.
