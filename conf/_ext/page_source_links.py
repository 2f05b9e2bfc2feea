"""Links from every page to its source file and to a new issue about it.

With ``torchlight_repository_url`` set (conf.py reads ``TORCHLIGHT_REPOSITORY_URL``),
the ``page-source-links.html`` template, at the foot of every page, shows
"Source of this page" (the script in ``gallery/`` or the page in ``docs/``; a
generated page has none) and "Report a problem with this page" (a new issue,
its title and body filled in). Without it no such link appears, and none is dead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sphinx.application import Sphinx
from take_home import is_example


def source_path(app: Sphinx, docname: str) -> str | None:
    """The file in the repository that a page is built from (``None``: a generated page)."""
    if is_example(app, docname):
        section, name = docname.split("/")[1:3]
        return f"gallery/{section}/{name}.py"
    source = app.env.doc2path(docname, base=False) if docname in app.env.found_docs else None
    if source is None or docname.startswith("tutorials/"):
        return None  # a gallery index, generated from gallery/*/README.rst
    return f"docs/{Path(source).as_posix()}"


def repository_links(
    repository_url: str, path: str | None, title: str, page_url: str
) -> dict[str, str]:
    """``tl_source_url`` and ``tl_issue_url`` for a page; empty without a repository URL."""
    if not repository_url:
        return {}
    repository = repository_url.rstrip("/")
    links = {
        "tl_issue_url": f"{repository}/issues/new?title="
        + quote(f"Problem on the page: {title}")
        + "&body="
        + quote(f"Page: {page_url}\n\nWhat is wrong:\n")
    }
    if path:
        links["tl_source_url"] = f"{repository}/blob/main/{path}"
    return links


def add_repository_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    base_url = app.config.torchlight_base_url
    page_url = (base_url.rstrip("/") + "/" if base_url else "") + f"{pagename}.html"
    title = re.sub(r"<[^>]+>", "", context.get("title") or pagename)
    path = source_path(app, pagename) if doctree is not None else None
    context.update(repository_links(app.config.torchlight_repository_url, path, title, page_url))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("take_home")  # is_example, and the torchlight_base_url setting
    app.add_config_value("torchlight_repository_url", "", "html", types=[str])
    app.connect("html-page-context", add_repository_links)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
