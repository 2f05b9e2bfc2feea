"""Text written for a terminal, made plain for a page or a notebook.

Some messages format themselves for terminals: :func:`torch.load`'s
``weights_only`` error makes its advice bold with ANSI escape codes, which a
web page or a notebook would print as ``\\x1b[1m`` noise.
"""

from __future__ import annotations

import re

__all__ = ["ANSI_ESCAPE", "strip_terminal_formatting"]

#: The ANSI "select graphic rendition" codes (bold, colours, reset), ``ESC [ ... m``.
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def strip_terminal_formatting(text: str) -> str:
    """``text`` without the ANSI escape codes that make it bold or coloured in a terminal.

    Parameters
    ----------
    text : str
        A message, for example ``str(error)``.

    Returns
    -------
    str
        The same characters, the escape codes removed.

    Raises
    ------
    TypeError
        If ``text`` is not a string (pass ``str(error)``, not the error).

    Examples
    --------
    >>> from tutorial_helpers.terminal import strip_terminal_formatting
    >>> strip_terminal_formatting("\\x1b[1mWeights only load failed.\\x1b[0m Re-running ...")
    'Weights only load failed. Re-running ...'
    """
    if not isinstance(text, str):
        raise TypeError(
            f"strip_terminal_formatting expects a str, got {type(text).__name__}: "
            "pass str(error) for an exception."
        )
    return ANSI_ESCAPE.sub("", text)
