"""The run steps: every fact from the build, and a clear error when one is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from run_box import (
    RunFacts,
    page_imports,
    page_requirements,
    required_python,
    steps_html,
    steps_text,
)
from site_paths import ROOT
from sphinx.errors import ExtensionError


def test_python_comes_from_pyproject(tmp_path: Path) -> None:
    assert required_python(ROOT / "pyproject.toml") == "3.11"
    odd = tmp_path / "pyproject.toml"
    odd.write_text('[project]\nrequires-python = ">=3.11,<4"\n', encoding="utf-8")
    with pytest.raises(ExtensionError, match="plain lower bound"):
        required_python(odd)


def test_imports_are_found_in_code_and_notebook_cells() -> None:
    code = "import os\nimport torch.nn as nn\n%matplotlib inline\nfrom sklearn import datasets\n"
    code += "from . import local\nfrom __future__ import annotations\n"
    assert page_imports(code) == {"os", "torch", "sklearn", "__future__"}


def test_requirements_leave_out_the_standard_library_the_helpers_and_their_dependencies() -> None:
    modules = {"os", "json", "torch", "numpy", "matplotlib", "mpl_toolkits", "tutorial_helpers"}
    assert page_requirements("page", modules) == []
    assert page_requirements("page", modules | {"sklearn"}) == [("scikit-learn", "1.5")]


def test_an_unknown_module_or_a_package_without_a_minimum_stops_the_build() -> None:
    with pytest.raises(ExtensionError, match="no installed distribution provides"):
        page_requirements("tutorials/x", {"surely_not_installed_anywhere"})
    with pytest.raises(ExtensionError, match="add it to PAGE_PACKAGES"):
        page_requirements("tutorials/x", {"yaml"})  # PyYAML: installed, but no page imports it


FACTS = RunFacts(
    python="3.11",
    wheel_name="tutorial_helpers-0.1.0-py3-none-any.whl",
    wheel_href="../../downloads/tutorial_helpers-0.1.0-py3-none-any.whl",
    wheel_shown="https://site.example.org/downloads/tutorial_helpers-0.1.0-py3-none-any.whl",
    extras=[("scikit-learn", "1.5")],
    script="plot_04_training_loop.py",
    notebook="plot_04_training_loop.ipynb",
)


def test_steps_give_every_command_in_a_block_for_each_shell() -> None:
    html = BeautifulSoup(steps_html(FACTS), "html.parser")
    blocks = [pre.get_text() for pre in html.select("div.highlight pre")]
    assert "python3 -m venv .venv\nsource .venv/bin/activate" in blocks[0]
    assert "py -m venv .venv\n.venv\\Scripts\\Activate.ps1" in blocks[1]
    assert blocks[2] == (f'pip install {FACTS.wheel_shown}\npip install "scikit-learn>=1.5"')
    assert "TUTORIAL_DEVICE=cpu python plot_04_training_loop.py" in blocks[3]
    assert '$env:TUTORIAL_DEVICE = "cpu"; python plot_04_training_loop.py' in blocks[4]
    text = html.get_text(" ")
    assert "Python 3.11 or newer" in text
    assert "PyTorch 2.7 or newer" in text
    assert "jupyter lab plot_04_training_loop.ipynb" in text
    [wheel] = html.select("span.tl-wheel-url")
    assert wheel["data-tl-href"] == FACTS.wheel_href


def test_a_notebook_only_page_opens_its_notebook() -> None:
    facts = RunFacts("3.11", "w.whl", "w.whl", "w.whl", notebook="saving.ipynb")
    text = BeautifulSoup(steps_html(facts), "html.parser").get_text(" ")
    assert "jupyter lab saving.ipynb" in text
    assert "scikit-learn" not in text


def test_the_readme_lists_the_pages_that_need_each_package() -> None:
    text = steps_text("3.11", "w.whl", {"a.py": [("scikit-learn", "1.5")], "b.py": []})
    assert "These pages also import scikit-learn (1.5 or newer):\n\n       a.py\n" in text
    assert "b.py" not in text
    assert "unzip torchlight-code.zip\n       cd torchlight-code" in text
