"""Sphinx configuration of Torchlight: the one place for every build setting.

Build with ``sphinx-build -c conf docs build/html`` (``nox -s docs`` does it).
Paths below are relative to the SOURCE directory ``docs/`` unless built from
``CONF_DIR``: that is how Sphinx and sphinx-gallery resolve them under ``-c``.
"""

from __future__ import annotations

import doctest
import os
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from tutorial_helpers.provenance import collect_provenance

CONF_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(CONF_DIR / "_ext"))  # this site's own small extensions (README.md there)

# -- Project -----------------------------------------------------------------
project = "Torchlight"
author = "The Torchlight maintainers"
copyright = "2026, The Torchlight maintainers"

# Which torch and device produce the outputs: shown on every executed page.
# An unknown or absent TUTORIAL_DEVICE stops the build here with a clear error.
provenance = collect_provenance()

extensions = [
    "myst_nb",  # MyST pages and notebooks; it brings myst_parser itself
    "sphinx_gallery.gen_gallery",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",  # the API index: a table of the modules, each on its page
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "conditional_doctests",  # a box with :skipif: says whether this build ran it
    "hardware_notes",  # :hardware:`nvidia`: a sentence says whether this build ran there
    "sphinx.ext.intersphinx",  # API names link to PyTorch, NumPy, matplotlib (conf/inventories)
    # Not sphinx-codeautolink: it follows return type hints, which torch's C functions lack.
    "api_links",  # C methods on variables link too; the {api-used} list
    "mathml",  # math as MathML, rendered at build time: no MathJax, no CDN (conf/_ext)
    "build_report",  # {execution-times}: each example's run time, on "About this build"
    "accessibility",  # alt text for gallery thumbnails, names for the sidebar toggles
    "reproducible",  # fixed zip times and hash seed: the same bytes build after build
    "helper_dependencies",  # a helper change re-runs exactly the examples importing it
    "helper_wheel",  # the helpers' wheel, built by pyproject.toml's backend (hatchling)
    "reader_code",  # downloads hold the visible code; notebooks in Markdown (conf/_ext)
    "compat_report",  # the tested version range (nox -s compat), on About and every page
    "take_home",  # the helpers' wheel, downloads at the top of each page, the code archive
    "reading_time",  # "8 min read" under each tutorial's title, counted from its words and code
    "prerequisites",  # "Assumes: <pages>", declared once on each tutorial and exercise
    "exercise_path",  # each section's exercises right after it, in the sidebar and "next"
    "gallery_cards",  # section cards: a line, the reading time, a thumbnail for every page
    "page_source_links",  # "source of this page", "report a problem" (TORCHLIGHT_REPOSITORY_URL)
    # Not sphinxext-opengraph: its "first image" is a docutils image; gallery figures are not.
    # Not sphinx-sitemap: it lists only the pages a build writes; no base URL, it warns (-W fails).
    "page_meta",  # descriptions, OpenGraph/Twitter cards, sitemap.xml and robots.txt
    "page_speed",  # deferred scripts, one stylesheet, icon fonts cut to the icons used
    "notfound.extension",  # a 404 page whose links work at any depth
    "images",  # figures as 256-colour palette PNGs, a third of the bytes; every image sized
    "full_size_figures",  # every figure a link to its full-size image
    "sphinx_copybutton",
    "sphinx_design",
]

templates_path = [str(CONF_DIR / "_templates")]
html_static_path = [str(CONF_DIR / "_static")]

exclude_patterns = [
    # sphinx-gallery writes these beside the generated .rst pages; myst-nb would
    # otherwise read plot_x.ipynb as a second copy of plot_x and run it again.
    "tutorials/**/*.ipynb",
    "tutorials/**/*.py",
    "tutorials/**/*.md5",
    "tutorials/**/*.json",
    "tutorials/**/*.zip",
    "**/.ipynb_checkpoints",
]

# -- Strictness --------------------------------------------------------------
nitpicky = True
# Every torch, numpy and matplotlib name must resolve, through the inventories
# kept in conf/inventories/ (a misspelled or removed name fails the build).
# The standard library has no inventory here.
nitpick_ignore_regex = [
    (r"py:.*", r"(collections\.abc|typing|pathlib|os|enum)(\..*)?"),  # the standard library's
    # numpydoc type words that are prose, not objects
    (r"py:class", r"(optional|callable|mapping|str to tensor|tensor|array_like)"),
]

# -- Links to the PyTorch, NumPy and matplotlib references -----------------------
# Read from files in the repository, made by `nox -s inventories`: an offline
# build cannot download a project's objects.inv, and nothing is fetched when
# the site is built or read. sphinx-gallery links code cells through them too.
# projects.toml names each project's documentation root (conf/inventories/README.md).
INVENTORIES = CONF_DIR / "inventories"
intersphinx_mapping = {
    name: (project["base-url"], str(INVENTORIES / f"{name}.inv"))
    for name, project in tomllib.loads((INVENTORIES / "projects.toml").read_text("utf-8")).items()
}

# -- sphinx-gallery ------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../gallery",  # relative to docs/, the source directory
    "gallery_dirs": "tutorials",
    "filename_pattern": r".*\.py$",  # execute every script, not only plot_*
    "within_subsection_order": "FileNameSortKey",
    # Seed RNGs and restore torch/NumPy/matplotlib state before every example.
    "reset_modules": ("matplotlib", "tutorial_helpers.sphinx_hooks.reset_state"),
    # sphinx-gallery's scraper, each PNG marked with the size of its smallest text
    # (tutorial_helpers.figure_text), which tests/test_browser.py reads at phone width.
    "image_scrapers": ("tutorial_helpers.sphinx_hooks.matplotlib_scraper",),
    "remove_config_comments": True,
    "image_srcset": ["2x"],
    # Pages without a figure get a card drawn for them (conf/_ext/gallery_cards.py);
    # this placeholder only stands in while sphinx-gallery runs.
    "default_thumb_file": str(CONF_DIR / "default_thumbnail.png"),
    "download_all_examples": False,
    # Its timing pages load jQuery and DataTables from CDNs: the site must work
    # offline, so they are off.
    "write_computation_times": False,
    "show_signature": False,
}

# -- myst-nb ----------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist", "substitution"]
myst_heading_anchors = 3
nb_execution_mode = "cache"  # re-executes a notebook only when its code changes
nb_execution_raise_on_error = True  # a failing cell fails the build, naming the page
nb_execution_show_tb = True
nb_execution_timeout = 300
# The kernel sends a cell's prints as one or more stream messages, split wherever the
# output happened to be flushed: merged, a cell's output is one block in every build.
nb_merge_streams = True
# The notebooks run in the kernel of conf/jupyter/kernels/torchlight-build: Python 3 with
# the IPython extension tutorial_helpers.figure_text, which marks each figure's PNG with
# the size of its smallest text, as the gallery's scraper does. The downloaded notebooks
# keep the plain "python3" kernel.
_KERNELS = str(CONF_DIR / "jupyter")
if _KERNELS not in os.environ.get("JUPYTER_PATH", "").split(os.pathsep):
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [_KERNELS, os.environ.get("JUPYTER_PATH")])
    )
nb_kernel_rgx_aliases = {"python3": "torchlight-build"}

# -- doctest ------------------------------------------------------------------
doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
)
doctest_global_setup = """
import numpy as np
import torch
from tutorial_helpers.sphinx_hooks import reset_state
reset_state()
"""

# -- autodoc ---------------------------------------------------------------------
autodoc_typehints = "description"
# The helpers import these for annotations only (under TYPE_CHECKING): name the
# classes in full so that they link to matplotlib's reference.
autodoc_type_aliases = {"Axes": "matplotlib.axes.Axes", "Figure": "matplotlib.figure.Figure"}
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# -- Where the site lives ------------------------------------------------------------
# Both optional, both set by .github/workflows/docs.yml. The base URL gives each page
# its canonical link and the install command its absolute wheel URL; the repository
# URL adds "source of this page" and "report a problem" links. Unset, no such link
# appears (and none is dead).
torchlight_base_url = os.environ.get("TORCHLIGHT_BASE_URL", "")
torchlight_repository_url = os.environ.get("TORCHLIGHT_REPOSITORY_URL", "")
html_baseurl = torchlight_base_url
# The 404 page is served for any missing path, so its links start from the site's
# root: "/" locally, "/<repository>/" on a GitHub Pages project site.
notfound_urls_prefix = urlsplit(torchlight_base_url).path or "/"
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1><p>There is no page at this address. It may have moved: "
        f"the <a href='{notfound_urls_prefix}index.html'>start page</a> lists every "
        "section, and the search box above finds any word on the site.</p>"
    ),
}

# -- HTML -------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "Torchlight"
html_css_files = ["torchlight.css", "reading-path.css"]
# Without one, browsers ask for /favicon.ico, and log a 404 on every page.
html_favicon = str(CONF_DIR / "_static" / "favicon.svg")
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
# No "Python module index" page: the API page lists the helpers' modules, and the
# index's tiny toggle images were the one thing Lighthouse faulted on it.
html_domain_indices = False
# The exercises' index lists them by section (conf/_ext/exercise_path.py); they sit in
# the sidebar under their sections, so this page's own sidebar would be empty.
html_sidebars = {"exercises/index": []}
# Search: tutorials before section indexes and About; summaries of page text, not of
# the provenance note and downloads box every executed page starts with.
html_search_scorer = str(CONF_DIR / "search.js")
html_theme_options = {
    "navbar_align": "left",
    "navbar_end": ["theme-switcher"],
    "article_header_end": ["build-provenance"],
    "secondary_sidebar_items": ["page-toc"],
    "article_footer_items": ["page-source-links"],
    "footer_start": ["copyright"],
    "footer_end": ["build-provenance-footer"],
    "show_toc_level": 2,
    "navigation_with_keys": False,
    # Code colours with WCAG AA contrast on the theme's backgrounds (accessible-pygments).
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
}
html_context = {
    # Follow the reader's system setting. Without it the theme's script logs an
    # error on every page ("Got invalid theme mode").
    "default_mode": "auto",
    "provenance": provenance,
    # Pages whose outputs were computed by this build carry a provenance note.
    "executed_prefixes": ("tutorials/", "exercises/"),
}

# -- copy buttons: copy the code, never the prompts or the output --------------------
# In a block with prompts only the prompt lines are copied, prompts removed: the
# output lines (no prompt) stay behind. Excluding the prompt spans instead would
# leave blank lines where the outputs were.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_remove_prompts = True
copybutton_copy_empty_lines = False
copybutton_exclude = ".linenos"
