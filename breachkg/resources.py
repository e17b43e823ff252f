"""Where the shipped data files live (ontology, vocabularies, registry, queries, samples).

Installed, they are package data found through their import spec; in a source
checkout that was not installed, the top-level folders are used directly.
"""

from __future__ import annotations

import importlib.util
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
        # The data folders have no __init__.py: they are namespace packages, for which
        # importlib.resources.files() gives a MultiplexedPath, not a folder; the spec's
        # search locations are the installed folders.
        spec = importlib.util.find_spec(package)
    except (ModuleNotFoundError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
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
