"""The sphinx-gallery hook that makes every example start from the same state.

sphinx-gallery runs all examples in one Python process. Without a reset, an
example that seeds a generator, changes print options or the default dtype
would change the output of every example after it, and outputs would depend on
the order of the build. :func:`reset_state` is listed in ``reset_modules`` in
``conf/conf.py`` and runs before each example.

This is the only module of the package that knows about Sphinx; it imports
nothing from it.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch

__all__ = ["SEED", "reset_state"]

#: The seed every random number generator starts from before each example.
SEED = 0

_NUMPY_PRINT_DEFAULTS = np.get_printoptions()


def reset_state(gallery_conf: dict[str, Any] | None = None, fname: str | None = None) -> None:
    """Seed every RNG and restore global torch and NumPy state.

    Parameters
    ----------
    gallery_conf : dict, optional
        The sphinx-gallery configuration (unused; part of the hook signature).
    fname : str, optional
        The example about to run (unused; part of the hook signature).

    Examples
    --------
    >>> import torch
    >>> from tutorial_helpers.sphinx_hooks import reset_state
    >>> torch.set_default_dtype(torch.float64)
    >>> reset_state()
    >>> torch.get_default_dtype()
    torch.float32
    >>> first = torch.rand(2)
    >>> reset_state()
    >>> torch.equal(first, torch.rand(2))
    True
    """
    random.seed(SEED)
    np.random.seed(SEED)  # noqa: NPY002 (examples may use the legacy global RNG)
    torch.manual_seed(SEED)  # also seeds every accelerator's generator

    torch.set_default_dtype(torch.float32)
    torch.set_default_device(None)
    torch.set_grad_enabled(True)
    torch.use_deterministic_algorithms(False)
    torch.set_printoptions(profile="default", sci_mode=None)
    np.set_printoptions(**_NUMPY_PRINT_DEFAULTS)
