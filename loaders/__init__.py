"""Loaders: one module per source kind, picked by name (installed as ``breachkg.loaders``).

Every loader module offers ``load(path) -> Iterator[LoadedSource]``.  The registry maps a
short name to the module path and the file endings it reads; modules are imported only
when asked for.  Third-party loaders register through the ``breachkg.loaders`` entry-point
group, whose value is the module path (``name = "package.module"``) and whose module may
declare ``EXTENSIONS``.

>>> loader_info("news_article").extensions[:2]
('.txt', '.md')
>>> loader_for("articles/2024-mediboard.txt").name
'news_article'
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from breachkg.errors import BreachkgInputError

ENTRY_POINT_GROUP = "breachkg.loaders"


@dataclass(frozen=True)
class LoaderInfo:
    """One registered loader: its name, module path and the file endings it reads."""

    name: str
    module: str
    extensions: tuple[str, ...] = ()
    description: str = ""
    takes_directories: bool = False

    def load_module(self) -> ModuleType:
        return importlib.import_module(self.module)


#: name -> loader; kept in registration order (the first loader taking an ending wins).
LOADERS: dict[str, LoaderInfo] = {}


def register_loader(info: LoaderInfo) -> LoaderInfo:
    """Add (or replace) a loader in the registry."""
    LOADERS[info.name] = info
    return info


register_loader(
    LoaderInfo(
        name="news_article",
        module="breachkg.loaders.news_article",
        extensions=(".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"),
        description="news articles (text, Markdown, HTML, JSON Lines) through the extractor",
        takes_directories=True,
    )
)
register_loader(
    LoaderInfo(
        name="rdf_file",
        module="breachkg.loaders.rdf_file",
        extensions=(".ttl", ".turtle", ".nt", ".nq", ".trig", ".jsonld", ".json-ld", ".rdf")
        + (".xml", ".owl", ".n3"),
        description="RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML, N3)",
    )
)
register_loader(
    LoaderInfo(
        name="hhs_ocr_csv",
        module="breachkg.loaders.hhs_ocr_csv",
        extensions=(".csv",),
        description="US HHS OCR breach portal CSV exports (closed or under investigation)",
    )
)
register_loader(
    LoaderInfo(
        name="veris_json",
        module="breachkg.loaders.veris_json",
        extensions=(".json",),
        description="VERIS incident JSON files (VERIS Community Database), one graph each",
    )
)

_entry_points_read = False


def _read_entry_points() -> None:
    """Register third-party loaders once; built-in names are never overridden."""
    global _entry_points_read
    if _entry_points_read:
        return
    _entry_points_read = True
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in LOADERS:
            continue
        module = ep.value.split(":", 1)[0].strip()
        try:
            extensions = tuple(getattr(importlib.import_module(module), "EXTENSIONS", ()))
        except ImportError:
            continue
        register_loader(LoaderInfo(ep.name, module, extensions, f"entry point {ep.value}"))


def loader_names() -> list[str]:
    """Names of every registered loader, built-in ones first."""
    _read_entry_points()
    return list(LOADERS)


def loader_info(name: str) -> LoaderInfo:
    """The registry entry for ``name``; ``BreachkgInputError`` for an unknown name."""
    _read_entry_points()
    try:
        return LOADERS[name]
    except KeyError:
        known = ", ".join(LOADERS)
        raise BreachkgInputError("--loader", f"unknown loader {name!r} (known: {known})") from None


def get_loader(name: str) -> ModuleType:
    """The loader module registered as ``name`` (it offers ``load(path)``)."""
    return loader_info(name).load_module()


def loader_for(path: str | Path) -> LoaderInfo:
    """The loader reading ``path``, chosen by its file ending (directories: articles)."""
    path = Path(path)
    _read_entry_points()
    if path.is_dir():
        for info in LOADERS.values():
            if info.takes_directories:
                return info
    suffix = "".join(path.suffixes[-1:]).lower()
    for info in LOADERS.values():
        if suffix in info.extensions:
            return info
    raise BreachkgInputError(path, f"no loader reads {suffix or 'files without an ending'}")


__all__ = [
    "ENTRY_POINT_GROUP",
    "LOADERS",
    "LoaderInfo",
    "get_loader",
    "loader_for",
    "loader_info",
    "loader_names",
    "register_loader",
]
