"""Say, after each sentence about hardware, whether this build ran on that hardware.

A sentence about what happens on an NVIDIA GPU, an Apple GPU or several machines
cannot be checked by a build that ran on the CPU: it is cited (from PyTorch's or
the vendor's documentation), not executed. The role ``:hardware:`nvidia``` (MyST:
``{hardware}`nvidia```) after such a sentence says so, in the same words on every
page, as the conditional doctest boxes do (``conditional_doctests.py``):

- "Not run by this build: needs an NVIDIA GPU." where the build ran elsewhere;
- "Needs an NVIDIA GPU, which this build ran on." where it ran there.

What the build ran on is the device the tutorials chose
(:func:`tutorial_helpers.devices.choose_device`, which reads ``TUTORIAL_DEVICE``),
so a CPU build on a GPU machine says "not run". ``-D
torchlight_build_hardware=nvidia,gpu`` overrides it (for the tests).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst.states import Inliner
from sphinx.application import Sphinx
from sphinx.config import Config

#: The hardware a sentence may need, as a reader reads it.
HARDWARE = {
    "gpu": "a GPU",
    "cuda": "a CUDA GPU (NVIDIA, or AMD with ROCm)",
    "nvidia": "an NVIDIA GPU",
    "rocm": "an AMD GPU with ROCm",
    "mps": "an Apple GPU (MPS)",
    "xpu": "an Intel GPU (XPU)",
    "multi-gpu": "two or more GPUs",
    "multi-machine": "several machines",
}
#: The CSS class of the note (conf/_static/torchlight.css), also read by the tests.
CSS_CLASS = "tl-hardware"


def hardware_of_this_build() -> set[str]:
    """The keys of :data:`HARDWARE` that the tutorials' device provides."""
    import torch

    from tutorial_helpers.devices import choose_device

    device = choose_device()
    if device.type == "cpu":
        return set()
    present = {"gpu", device.type}
    if device.type == "cuda":
        present.add("rocm" if torch.version.hip else "nvidia")
    if torch.accelerator.device_count() >= 2:
        present.add("multi-gpu")
    return present & set(HARDWARE)


def note(key: str, present: set[str]) -> nodes.inline:
    """The note for one sentence that needs the hardware ``key``."""
    needed = HARDWARE[key]
    if key in present:
        return nodes.inline(
            text=f"Needs {needed}, which this build ran on.", classes=[CSS_CLASS, "ran"]
        )
    return nodes.inline(
        text=f"Not run by this build: needs {needed}.", classes=[CSS_CLASS, "not-run"]
    )


def hardware_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    key = text.strip()
    if key not in HARDWARE:
        message = inliner.reporter.error(
            f"unknown hardware {key!r} in :{name}:; use one of: {', '.join(HARDWARE)}",
            line=lineno,
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    config = inliner.document.settings.env.config
    return [note(key, set(config.torchlight_build_hardware))], []


def read_build_hardware(app: Sphinx, config: Config) -> None:
    value = config.torchlight_build_hardware
    if value is None:
        config.torchlight_build_hardware = sorted(hardware_of_this_build())
    elif isinstance(value, str):  # from -D
        config.torchlight_build_hardware = sorted(k for k in value.split(",") if k)
    unknown = set(config.torchlight_build_hardware) - set(HARDWARE)
    if unknown:
        raise ValueError(f"torchlight_build_hardware: unknown {sorted(unknown)}")


def setup(app: Sphinx) -> dict[str, Any]:
    # A change of device changes the notes: every page is read again.
    app.add_config_value("torchlight_build_hardware", None, "env", types=[list, str, type(None)])
    app.connect("config-inited", read_build_hardware)
    app.add_role("hardware", hardware_role)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
