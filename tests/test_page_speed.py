"""The pages' post-processing (conf/_ext/page_speed.py): icon fonts keep every icon shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from page_speed import ICON_FONT, used_codepoints

THEME_CSS = (
    ':root{--pst-icon-download:"\uf019";--pst-icon-admonition-note:"\\f05a"}'
    '.fa-search,.fa-magnifying-glass{--fa:"\\f002"}.fa-heart{--fa:"\\f004"}'
    '@media (min-width:960px){.bd-sidebar:before{content:"\\f0c9"}}'
    "a.reference.download:before{content:var(--pst-icon-download)}"
)


def test_icons_named_anywhere_but_an_unused_icon_class_are_kept() -> None:
    points = used_codepoints(THEME_CSS, ['<i class="fa-solid fa-magnifying-glass"></i>'])
    assert points == {0xF019, 0xF05A, 0xF002, 0xF0C9}  # not the heart: no page uses it


@pytest.mark.site
def test_the_served_icon_font_has_every_icon_the_theme_names(built_site: Path) -> None:
    from fontTools.ttLib import TTFont

    css = next((built_site / "_static" / "styles").glob("site-*.css")).read_text()
    named = {
        int(escaped, 16) if escaped else ord(char)
        for escaped, char in re.findall(
            r'--pst-icon-[a-z-]+:\s*"(?:\\([0-9a-f]{4,5})|([\ue000-\uf8ff]))"', css
        )
    }
    assert 0xF019 in named, "the theme no longer names its download icon this way"
    assert (built_site / ICON_FONT).is_file()
    kept = {  # the solid, regular and brand icons together
        point
        for path in (built_site / ICON_FONT).parent.glob("*.woff2")
        for point in TTFont(path).getBestCmap()
    }
    missing = sorted(hex(point) for point in named - kept)
    assert not missing, f"icons the theme shows but the cut font lost: {missing}"
