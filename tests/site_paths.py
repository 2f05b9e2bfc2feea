"""Where the project's sources and its built site are."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "build" / "html"
GALLERY = ROOT / "gallery"
DOCS = ROOT / "docs"
CONF = ROOT / "conf"
