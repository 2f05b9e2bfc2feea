"""The take-home downloads' links: relative, so they work from any depth."""

from __future__ import annotations

from take_home import relative


def test_relative_urls_work_from_any_depth() -> None:
    assert relative("index", "downloads/x.whl") == "downloads/x.whl"
    assert relative("tutorials/01_tensors/plot_01_x", "downloads/x.whl") == "../../downloads/x.whl"
