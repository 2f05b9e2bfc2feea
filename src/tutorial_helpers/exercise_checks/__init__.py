"""The checker of every question of the site's exercises, one module per page.

Each module is named after its page (``tensor_views`` checks
``docs/exercises/tensor-views.md``) and registers its checkers with
:func:`tutorial_helpers.exercises.question`; a page asks them through
:func:`tutorial_helpers.exercises.check`. Every checker works out the right
answer by running PyTorch on its own copy of the question's data, so an
upgrade that changes a behaviour changes what it accepts.
"""

from tutorial_helpers.exercise_checks import (
    autograd_graph,
    autograd_zeroing,
    choosing_a_loss,
    devices,
    modules,
    numpy_sharing,
    saving,
    tensor_shapes,
    tensor_views,
    training_loop_bugs,
)

__all__ = [
    "autograd_graph",
    "autograd_zeroing",
    "choosing_a_loss",
    "devices",
    "modules",
    "numpy_sharing",
    "saving",
    "tensor_shapes",
    "tensor_views",
    "training_loop_bugs",
]
