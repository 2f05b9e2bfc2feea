"""Make the files a build produces the same, byte for byte, build after build.

Outputs and figures are already deterministic (every example starts from seeded
generators; matplotlib writes no date into a PNG). What is not:

- sphinx-gallery zips each example's script and notebook with the files'
  modification times, which are those of the build: the zips are rewritten
  with a fixed time (``SOURCE_DATE_EPOCH`` when set, else 1980-01-01) before
  Sphinx copies them into the site.
- Notebook kernels would hash strings with a random seed, so a printed set
  could change order: they inherit ``PYTHONHASHSEED=0`` (``nox`` sets it for
  the build process itself, where the gallery runs).
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx

#: The earliest time a zip can record.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    return max(ZIP_EPOCH, tuple(time.gmtime(int(epoch))[:6]))  # type: ignore[return-value]


def write_zip(
    path: Path, entries: Iterable[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED
) -> None:
    """Write ``entries`` to ``path`` as a zip that depends on nothing but their bytes.

    The entries keep their order, with a fixed time and fixed permissions. The
    file is replaced only when its bytes change, so its modification time (and
    Sphinx's copy of it) stays put in a rebuild that changed nothing.
    """
    stamp = zip_time()
    fresh = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(fresh, "w", compression=compression) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = compression
            target.writestr(info, data)
    if path.is_file() and fresh.read_bytes() == path.read_bytes():
        fresh.unlink()
    else:
        fresh.replace(path)


def normalize_zip(path: Path) -> None:
    """Rewrite ``path`` with its entries in name order, a fixed time and fixed permissions."""
    with zipfile.ZipFile(path) as source:
        entries = sorted((info.filename, source.read(info)) for info in source.infolist())
    write_zip(path, entries)


def normalize_gallery_zips(app: Sphinx) -> None:
    conf = app.config.sphinx_gallery_conf
    gallery_dirs = conf["gallery_dirs"]
    for gallery in [gallery_dirs] if isinstance(gallery_dirs, str) else gallery_dirs:
        for path in sorted((Path(app.srcdir) / gallery).rglob("*.zip")):
            normalize_zip(path)


def setup(app: Sphinx) -> dict[str, object]:
    os.environ.setdefault("PYTHONHASHSEED", "0")  # for the notebook kernels started later
    # After sphinx-gallery (priority 500) has run the examples and written the zips.
    app.connect("builder-inited", normalize_gallery_zips, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
