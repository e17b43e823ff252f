"""Where the shipped data files live (ontology, vocabularies, registry, queries, samples).

Installed, they are package data read through ``importlib.resources``; in a source
checkout that was not installed, the top-level folders are used directly.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
_PACKAGES = {
    "ontology": ("breachkg.ontology", "ontology"),
    "queries": ("breachkg.canned_queries", "queries"),
    "samples": ("breachkg.samples", "samples"),
}


def resource_dir(name: str) -> Path:
    """The folder of shipped resource ``name`` ('ontology', 'queries' or 'samples')."""
    package, folder = _PACKAGES[name]
    try:
        found = importlib.resources.files(package)
        path = Path(str(found))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO / folder


def ontology_path(*parts: str) -> Path:
    """A file under ontology/, e.g. ``ontology_path('vocab', 'data-categories.ttl')``."""
    return resource_dir("ontology").joinpath(*parts)


def ontology_files() -> list[Path]:
    """Every Turtle file of the ontology: OWL, vocabularies and registry (not shapes)."""
    root = resource_dir("ontology")
    files = [root / "breachkg.ttl"]
    files += sorted((root / "vocab").glob("*.ttl"))
    files += sorted((root / "registry").glob("*.ttl"))
    return [f for f in files if f.exists()]
