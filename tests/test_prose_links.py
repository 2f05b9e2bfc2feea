"""A library name written as inline code in the text is a link, like one written as a role.

``conf/_ext/api_links.py`` (``ProseLinks``) links ````torch.load````, ````np.float32````
and ````nn.Linear()```` in the prose to the same reference pages that
``:func:`torch.load``` reaches. The built site is held to it on every page, and a
small real build shows each rule: its own page, its class's page, its nearest
documented parent, and the places left alone (headings, links, code with arguments).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from api_links import PROSE_ABBREVIATIONS, KnownObjects, prose_api_name, prose_target
from bs4 import BeautifulSoup, Tag
from page_speed import site_pages
from scratch_site import scratch_site, sphinx

REFERENCE_HOSTS = ("https://docs.pytorch.org/", "https://numpy.org/", "https://matplotlib.org/")
NOT_PROSE = ["h1", "h2", "h3", "h4", "h5", "h6", "pre"]


def api_literals(page: BeautifulSoup) -> list[Tag]:
    """The inline code of a page's text that names a torch, NumPy or matplotlib object."""
    article = page.select_one("article.bd-article") or page
    return [
        code
        for code in article.select("code.literal")
        if prose_api_name(code.get_text()) is not None and not code.find_parent(NOT_PROSE)
    ]


def reference_link(code: Tag) -> str | None:
    anchor = code.find_parent("a")
    href = anchor.get("href", "") if anchor else ""
    return href if href.startswith(REFERENCE_HOSTS) else None


@pytest.mark.site
def test_every_library_name_in_the_text_links_to_its_reference(built_site: Path) -> None:
    unlinked, linked = [], 0
    for path in site_pages(built_site):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for code in api_literals(page):
            if reference_link(code) is None:
                unlinked.append(f"{path.relative_to(built_site)}: {code.get_text()}")
            else:
                linked += 1
    assert linked > 150, f"only {linked} library names in the text: is the test reading the text?"
    assert not unlinked, "names in the text that are not links:\n" + "\n".join(unlinked)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("torch.load", "torch.load"),
        ("torch.no_grad()", "torch.no_grad"),
        ("np.float32", "numpy.float32"),
        ("nn.Linear", "torch.nn.Linear"),
        ("F.cross_entropy()", "torch.nn.functional.cross_entropy"),
        ("plt.subplots", "matplotlib.pyplot.subplots"),
        ("torch.load(path)", None),  # a call with arguments is code, not a name
        ("x.backward()", None),  # a variable: what it is, only running the code knows
        ("torch", None),  # a package name in a sentence
        ("scipy.linalg", None),  # no inventory here
        ("TUTORIAL_DEVICE=cpu", None),
    ],
)
def test_which_inline_code_is_a_library_name(text: str, name: str | None) -> None:
    assert prose_api_name(text) == name


def test_the_abbreviations_are_the_ones_the_code_uses() -> None:
    assert PROSE_ABBREVIATIONS == {
        "np": "numpy",
        "nn": "torch.nn",
        "F": "torch.nn.functional",
        "plt": "matplotlib.pyplot",
    }


def known(*names: str) -> KnownObjects:
    objects = KnownObjects()
    for name in names:
        objects.roles[name] = "py:class"
        objects.uris[name] = f"{name}.html#{name}"
        objects.names_at[objects.uris[name]].add(name)
    return objects


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("torch.stack", "torch.stack"),  # documented: its own page
        ("torch.float32", "torch.dtype"),  # a value: the page of its class
        ("torch.version.cuda", "torch"),  # undocumented: the nearest documented parent
        ("torch.__version__", "torch"),
        ("torch.nn.not_there", "torch.nn"),
    ],
)
def test_where_a_name_links(name: str, target: str) -> None:
    assert prose_target(name, known("torch", "torch.nn", "torch.stack", "torch.dtype")) == target


@pytest.mark.slow
def test_a_real_build_links_the_names_and_leaves_the_rest(tmp_path: Path) -> None:
    docs = scratch_site(
        tmp_path,
        index=(
            "# Names\n\n"
            "## About `torch.where`\n\n"
            "Stack with `torch.stack`, make a `torch.float32` tensor, copy with\n"
            "`torch.tensor(data)`, stop recording with `torch.no_grad()`, check\n"
            "`torch.version.cuda`, and see [`torch.cat`](https://example.org/cat).\n\n"
            "```{toctree}\n:hidden:\n\ntutorials/index\n```\n"
        ),
    )
    result = sphinx(docs, "html", "-D", "plot_gallery=0", "-D", "nb_execution_mode=off")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((docs.parent / "build/html/index.html").read_text(), "html.parser")
    links = {code.get_text(): reference_link(code) for code in page.select("code.literal")}
    assert links["torch.no_grad()"] == (
        "https://docs.pytorch.org/docs/stable/generated/torch.no_grad.html#torch.no_grad"
    )
    assert links["torch.float32"].endswith("tensor_attributes.html#torch.dtype")
    assert links["torch.version.cuda"].endswith("torch.html#module-torch.version")
    assert re.search(r"generated/torch\.stack\.html#torch\.stack$", links["torch.stack"])
    assert links["torch.tensor(data)"] is None  # code with arguments stays code
    heading = page.select_one("h2 code.literal")
    assert heading is not None
    assert heading.find_parent("a", href=re.compile("^https://docs")) is None  # no link in a title
    cat = page.find("a", href="https://example.org/cat")
    assert cat is not None
    assert cat.get_text() == "torch.cat"  # an author's own link is kept
