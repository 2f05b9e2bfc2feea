"""The sphinx-gallery hooks: every example starts from the same state; every figure is marked.

sphinx-gallery runs all examples in one Python process. Without a reset, an
example that seeds a generator, changes print options or the default dtype
would change the output of every example after it, and outputs would depend on
the order of the build. :func:`reset_state` is listed in ``reset_modules`` in
``conf/conf.py`` and runs before each example.

:func:`matplotlib_scraper` is sphinx-gallery's own scraper, which also writes
into each figure's PNG the size of its smallest text
(:mod:`tutorial_helpers.figure_text`), so that a test of the built site can
tell how large it reads on a phone.

This is the only module of the package that knows about Sphinx and
sphinx-gallery; it imports sphinx-gallery only inside the scraper.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tutorial_helpers.figure_text import use_site_style

__all__ = ["SEED", "matplotlib_scraper", "reset_state"]

#: The seed every random number generator starts from before each example.
SEED = 0

_NUMPY_PRINT_DEFAULTS = np.get_printoptions()


def reset_state(gallery_conf: dict[str, Any] | None = None, fname: str | None = None) -> None:
    """Seed every RNG, restore global torch and NumPy state, and set the figures' text size.

    matplotlib's text size is the site's
    (:func:`tutorial_helpers.figure_text.use_site_style`), after
    sphinx-gallery has reset the rest of matplotlib's settings.

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
    # After sphinx-gallery's own matplotlib reset: the site's text size, legible on a phone.
    use_site_style()


def matplotlib_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """sphinx-gallery's matplotlib scraper; each PNG it saves carries its smallest text.

    Listed in ``image_scrapers`` in ``conf/conf.py``. The figures are measured
    before sphinx-gallery saves (and closes) them, in the order it saves them,
    and every file it writes of a figure (the 1x image and its 2x variant) is
    marked in its own pixels (:func:`tutorial_helpers.figure_text.mark_png`).
    """
    import matplotlib.pyplot as plt
    from sphinx_gallery.scrapers import (  # type: ignore[import-not-found,unused-ignore]
        matplotlib_scraper as scrape,
    )

    from tutorial_helpers.figure_text import mark_png, smallest_text

    measured = [smallest_text(plt.figure(number)) for number in plt.get_fignums()]
    paths = block_vars["image_path_iterator"].paths
    first = len(paths)
    rst: str = scrape(block, block_vars, gallery_conf)
    for smallest, saved in zip(measured, paths[first:], strict=True):
        image = Path(saved)
        # Named as sphinx-gallery names them: plot_x_001.png, plot_x_001_2_00x.png
        variants = [
            image.with_name(f"{image.stem}_{f'{float(m):.2f}'.replace('.', '_')}x{image.suffix}")
            for m in gallery_conf["image_srcset"]
        ]
        for path in [image, *variants]:
            path.write_bytes(mark_png(path.read_bytes(), smallest))
    return rst
