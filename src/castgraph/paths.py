"""Where the curated artifacts live, in a checkout and in an installed wheel. No side effects."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_RESOURCES_DIR = _PACKAGE_DIR / "resources"  # filled by the wheel build (pyproject force-include)
_CHECKOUT_DIR = _PACKAGE_DIR.parent.parent


def _root() -> Path:
    if (_CHECKOUT_DIR / "pyproject.toml").is_file() and (_CHECKOUT_DIR / "data").is_dir():
        return _CHECKOUT_DIR
    return _RESOURCES_DIR


ROOT_DIR = _root()
DATA_DIR = ROOT_DIR / "data"
ONTOLOGY_DIR = ROOT_DIR / "ontology"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
QUERIES_DIR = ROOT_DIR / "queries"
ONTOLOGY_PATH = ONTOLOGY_DIR / "castgraph.ttl"
CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
DEFAULT_DIST_DIR = Path("dist")
