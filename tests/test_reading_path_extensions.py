"""The reading path's extensions, in a small real Sphinx build.

conf/_ext/reading_time.py, prerequisites.py, exercise_path.py and
gallery_cards.py build a scratch site here: two gallery sections of tiny
scripts, an exercise page in MyST, a landing page. What the built pages show
is compared with what the sources hold, counted here independently.
"""

from __future__ import annotations

import hashlib
import io
import math
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from site_paths import CONF, SPHINX_OPTIONS

pytestmark = pytest.mark.slow

CONF_PY = f"""\
import sys
sys.path.insert(0, {str(CONF / "_ext")!r})
project = "Scratch"
extensions = [
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "reading_time",
    "prerequisites",
    "exercise_path",
    "gallery_cards",
]
sphinx_gallery_conf = {{
    "examples_dirs": "../gallery",
    "gallery_dirs": "tutorials",
    "filename_pattern": r".*\\.py$",
    "remove_config_comments": True,
    "download_all_examples": False,
    "write_computation_times": False,
    "show_signature": False,
}}
exclude_patterns = ["tutorials/**/*.ipynb", "tutorials/**/*.py", "tutorials/**/*.md5",
                    "tutorials/**/*.json", "tutorials/**/*.zip"]
html_theme = "pydata_sphinx_theme"
"""

INDEX = """\
# Scratch

Section A takes {reading-time}`tutorials/01_a/index`; the first page
{reading-time}`tutorials/01_a/plot_1_first`.

```{calculus-pages}
```

```{toctree}
tutorials/index
exercises/index
```
"""

#: Prose of the second page's text block: 420 words.
LONG_PROSE = " ".join(["word"] * 420)

FIRST = '''\
"""
First
=====

A page with a figure.
"""

# %%
# Draw a line.

# sphinx_gallery_card = "The first page, with a figure."
# sphinx_gallery_assumes = None
import matplotlib.pyplot as plt

plt.plot([0, 1], [0, 1])
plt.title("a line")
'''

SECOND = f'''\
"""
Second
======

A page without a figure, and with more words.
"""

# %%
# {textwrap.fill(LONG_PROSE, 70).replace(chr(10), chr(10) + "# ")}

# sphinx_gallery_card = "The second page, no figure."
# sphinx_gallery_assumes = "plot_1_first"
# sphinx_gallery_assumes = "../02_b/plot_1_third"
# sphinx_gallery_calculus = "derivatives"
x = 1
y = 2

print(x + y)
'''

THIRD = '''\
"""
Third
=====

The next section.
"""

# sphinx_gallery_card = "The third page."
# sphinx_gallery_assumes = "../01_a/plot_2_second"
print("third")
'''

EXERCISE = """\
---
torchlight:
  assumes: [../tutorials/01_a/plot_2_second]
  calculus: the chain rule
---

# Exercise: the first one

Try it.

```python
a = 1
b = 2
```
"""


def write_site(root: Path, *, second: str = SECOND) -> Path:
    docs = root / "docs"
    (docs / "exercises").mkdir(parents=True)
    (docs / "conf.py").write_text(CONF_PY)
    (docs / "index.md").write_text(INDEX)
    (docs / "exercises" / "index.md").write_text("# Exercises\n\n```{exercises-by-section}\n```\n")
    (docs / "exercises" / "ex-a.md").write_text(EXERCISE)
    gallery = root / "gallery"
    for section, title, exercises in [("01_a", "A", ["/exercises/ex-a"]), ("02_b", "B", [])]:
        (gallery / section).mkdir(parents=True)
        readme = f"{title}\n{'-' * len(title)}\n\nSection {title}.\n"
        if exercises:
            readme += "\n.. section-exercises::\n\n" + "".join(f"   {e}\n" for e in exercises)
        (gallery / section / "README.rst").write_text(readme)
    (gallery / "README.rst").write_text("Tutorials\n=========\n")
    (gallery / "01_a" / "plot_1_first.py").write_text(FIRST)
    (gallery / "01_a" / "plot_2_second.py").write_text(second)
    (gallery / "02_b" / "plot_1_third.py").write_text(THIRD)
    return docs


def build(docs: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", *SPHINX_OPTIONS, *options, str(docs),
         str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def page(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def expected_minutes(words: int, code_lines: int) -> int:
    return max(1, math.ceil(words / 200 + code_lines / 20))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reading-path")
    docs = write_site(root)
    result = build(docs, root / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_the_reading_time_is_counted_from_the_words_and_the_code(site: Path) -> None:
    out = site / "html"
    time = page(out, "tutorials/01_a/plot_2_second").select_one("p.tl-page-facts .tl-reading-time")
    assert time is not None
    # Title, intro, text block; the code's output ("3") and the download notes are not read.
    intro = "Second A page without a figure, and with more words."
    words = len(intro.split(" ")) + 420
    code_lines = 3  # x = 1, y = 2, print(x + y); the declarations are not shown
    assert (int(time["data-words"]), int(time["data-code-lines"])) == (words, code_lines)
    assert time.get_text() == f"{expected_minutes(words, code_lines)} min read" == "3 min read"
    exercise = page(out, "exercises/ex-a").select_one(".tl-reading-time")
    assert exercise is not None
    assert int(exercise["data-code-lines"]) == 2
    text = "Exercise: the first one Try it."
    assert int(exercise["data-words"]) == len(text.split(" "))


def test_a_section_takes_the_sum_of_its_pages_and_the_landing_page_says_so(site: Path) -> None:
    out = site / "html"
    pages = ["tutorials/01_a/plot_1_first", "tutorials/01_a/plot_2_second", "exercises/ex-a"]
    times = [
        int(page(out, name).select_one(".tl-reading-time").get_text().split()[0]) for name in pages
    ]
    shown = [t.get_text() for t in page(out, "index").select("article .tl-reading-time")]
    assert shown == [f"{sum(times)} min", f"{times[0]} min"]


def test_editing_a_page_changes_its_time_and_the_sum_on_the_next_build(
    site: Path, tmp_path: Path
) -> None:
    root = tmp_path / "copy"
    shutil.copytree(site, root)
    more = SECOND.replace("# %%\n#", "# %%\n# " + " ".join(["more"] * 400) + "\n#", 1)
    (root / "gallery" / "01_a" / "plot_2_second.py").write_text(more)
    result = build(root / "docs", root / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    before = page(site / "html", "tutorials/01_a/plot_2_second").select_one(".tl-reading-time")
    after = page(root / "html", "tutorials/01_a/plot_2_second").select_one(".tl-reading-time")
    assert int(after["data-words"]) == int(before["data-words"]) + 400
    assert after.get_text() == "5 min read"
    # The landing page was not edited, but it is written again with the new sum.
    old_sum = page(site / "html", "index").select("article .tl-reading-time")[0].get_text()
    new_sum = page(root / "html", "index").select("article .tl-reading-time")[0].get_text()
    assert int(new_sum.split()[0]) == int(old_sum.split()[0]) + 2


def test_next_leads_through_each_section_then_its_exercises(site: Path) -> None:
    out = site / "html"
    order, name = [], "index"
    while name:
        order.append(name)
        link = page(out, name).select_one("a.right-next")
        href = link["href"] if link else None
        name = (
            str((out / name).parent.joinpath(href).resolve().relative_to(out.resolve()))[:-5]
            if href
            else ""
        )
    assert order == [
        "index",
        "tutorials/index",
        "tutorials/01_a/index",
        "tutorials/01_a/plot_1_first",
        "tutorials/01_a/plot_2_second",
        "exercises/ex-a",
        "tutorials/02_b/index",
        "tutorials/02_b/plot_1_third",
        "exercises/index",
    ]
    # The exercise is in the section's sidebar, and in no other table of contents.
    sidebar = page(out, "exercises/ex-a").select_one("nav.bd-docs-nav")
    assert sidebar is not None
    current = [a.get_text(strip=True) for a in sidebar.select("li.current > a")]
    assert current == ["A", "Exercise: the first one"]
    crumbs = [
        li.get_text(strip=True) for li in page(out, "exercises/ex-a").select(".bd-breadcrumbs li")
    ]
    assert crumbs[-2:] == ["A", "Exercise: the first one"]


def test_the_last_page_of_a_section_links_its_exercises(site: Path) -> None:
    out = site / "html"
    box = page(out, "tutorials/01_a/plot_2_second").select_one("div.tl-practise")
    assert box is not None
    assert box.get_text(" ", strip=True).startswith("Practise: Exercise: the first one")
    assert box.a["href"] == "../../exercises/ex-a.html"
    assert box.find_next(class_="sphx-glr-timing") is not None  # before the footer
    assert page(out, "tutorials/01_a/plot_1_first").select_one("div.tl-practise") is None
    assert page(out, "tutorials/02_b/plot_1_third").select_one("div.tl-practise") is None


def test_a_new_exercise_in_a_readme_reaches_the_practise_box_on_the_next_build(
    site: Path, tmp_path: Path
) -> None:
    root = tmp_path / "copy"
    shutil.copytree(site, root)
    (root / "docs" / "exercises" / "ex-b.md").write_text(
        EXERCISE.replace("the first one", "the second one")
    )
    readme = root / "gallery" / "01_a" / "README.rst"
    readme.write_text(readme.read_text() + "   /exercises/ex-b\n")
    result = build(root / "docs", root / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    box = page(root / "html", "tutorials/01_a/plot_2_second").select_one("div.tl-practise")
    assert [a.get_text() for a in box.find_all("a")] == [
        "Exercise: the first one",
        "Exercise: the second one",
    ]


def test_prerequisites_are_links_and_a_later_page_is_marked(site: Path) -> None:
    out = site / "html"
    facts = page(out, "tutorials/01_a/plot_2_second").select_one("p.tl-page-facts")
    assert facts is not None
    links = [(a.get_text(), a["href"]) for a in facts.find_all("a")]
    assert links == [("First", "plot_1_first.html"), ("Third", "../02_b/plot_1_third.html")]
    assert "Third (later on the path)" in facts.get_text()
    assert "Calculus: derivatives" in facts.get_text()
    assert (
        "only Python"
        in page(out, "tutorials/01_a/plot_1_first").select_one("p.tl-page-facts").get_text()
    )
    exercise = page(out, "exercises/ex-a").select_one("p.tl-page-facts")
    assert [a.get_text() for a in exercise.find_all("a")] == ["Second"]
    calculus = page(out, "index").select_one("ul.tl-calculus-pages")
    assert calculus is not None
    assert [a.get_text() for a in calculus.find_all("a")] == [
        "A",
        "Second",
        "Exercise: the first one",
    ]


def test_the_exercise_index_groups_by_section_with_what_each_assumes(site: Path) -> None:
    index = page(site / "html", "exercises/index")
    headings = [h.get_text(strip=True).rstrip("#") for h in index.select("article section h2")]
    assert headings == ["A"]  # section B has no exercise
    item = index.select_one("ul.tl-exercise-list li")
    assert item is not None
    assert [a.get_text() for a in item.find_all("a")] == ["Exercise: the first one", "Second"]
    assert "min · Assumes: Second" in item.get_text()


def test_cards_carry_a_line_a_time_and_a_thumbnail_of_their_own(site: Path) -> None:
    out = site / "html"
    cards = page(out, "tutorials/01_a/index").select("div.sphx-glr-thumbcontainer")
    assert [c.select_one(".sphx-glr-thumbnail-title").get_text() for c in cards] == [
        "First",
        "Second",
    ]
    assert cards[1].select_one(".tl-card-description").get_text() == "The second page, no figure."
    assert cards[1].select_one(".tl-card-time").get_text() == "3 min read"
    thumbnails = {}
    for name in ["01_a/index", "02_b/index"]:
        for card in page(out, f"tutorials/{name}").select("div.sphx-glr-thumbcontainer"):
            image = (out / "tutorials" / name).parent / card.img["src"]
            thumbnails[card.img["src"]] = hashlib.sha256(image.read_bytes()).hexdigest()
    assert len(set(thumbnails.values())) == len(thumbnails) == 3
    drawn = Image.open(
        io.BytesIO((site / "docs" / "tutorials" / "01_a" / "images" / "thumb"
                    / "sphx_glr_plot_2_second_thumb.png").read_bytes())
    )  # fmt: skip
    assert drawn.size == (400, 280)


def test_drawn_cards_are_the_same_bytes_build_after_build(site: Path, tmp_path: Path) -> None:
    docs = write_site(tmp_path)
    result = build(docs, tmp_path / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ["01_a/images/thumb/sphx_glr_plot_2_second_thumb.png",
                 "02_b/images/thumb/sphx_glr_plot_1_third_thumb.png"]:  # fmt: skip
        first = (site / "docs" / "tutorials" / name).read_bytes()
        assert (docs / "tutorials" / name).read_bytes() == first, name


def test_a_build_that_runs_no_example_leaves_the_thumbnails_alone(
    site: Path, tmp_path: Path
) -> None:
    """Without execution no page shows a figure: that is no reason to draw over them."""
    root = tmp_path / "copy"
    shutil.copytree(site, root)
    thumb = root / "docs" / "tutorials" / "01_a" / "images" / "thumb"
    before = (thumb / "sphx_glr_plot_1_first_thumb.png").read_bytes()
    # Edited, so that sphinx-gallery writes its page again, this time without the figure.
    (root / "gallery" / "01_a" / "plot_1_first.py").write_text(FIRST + "# edited\n")
    result = build(root / "docs", root / "dummy", "-b", "dummy", "-D", "plot_gallery=0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (thumb / "sphx_glr_plot_1_first_thumb.png").read_bytes() == before


def test_a_page_that_declares_nothing_fails_the_build_with_the_line_to_write(
    tmp_path: Path,
) -> None:
    bare = SECOND.replace('# sphinx_gallery_assumes = "plot_1_first"\n', "").replace(
        '# sphinx_gallery_assumes = "../02_b/plot_1_third"\n', ""
    )
    bare = bare.replace('# sphinx_gallery_card = "The second page, no figure."\n', "")
    docs = write_site(tmp_path, second=bare)
    result = build(docs, tmp_path / "html")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "plot_2_second" in output
    assert '# sphinx_gallery_assumes = "plot_01_x"' in output
    assert '# sphinx_gallery_card = "' in output
