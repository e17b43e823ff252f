"""Exports of the whole store, picked by format name from a registry.

Each exporter turns a store into bytes; ``export_store`` writes them atomically (temp
file in the target folder, then ``os.replace``).  Other formats (TriG, N-Quads, JSON-LD,
STIX) register themselves with ``register_exporter``.

>>> from breachkg.rdf_io import parse_rdf_bytes
>>> from breachkg.store import MemoryStore
>>> ttl = b"<https://w3id.org/breachkg/id/vendor/acme> a <https://w3id.org/breachkg/ontology#Vendor> ."
>>> with MemoryStore() as store:
...     store.replace_graph("https://w3id.org/breachkg/graph/rdf/x", parse_rdf_bytes(ttl, "turtle"))
...     print(export_bytes(store, "turtle").decode())
PREFIX bk: <https://w3id.org/breachkg/ontology#>
<BLANKLINE>
<https://w3id.org/breachkg/id/vendor/acme>
    a bk:Vendor ;
.
<BLANKLINE>
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    RdfFormat,
    serialize,
)

from breachkg.errors import BreachkgParameterError
from breachkg.rdf_io import canonical_dataset, sort_quads, write_bytes_atomically
from breachkg.store import Store
from breachkg.vocab import PREFIXES


@dataclass(frozen=True)
class Exporter:
    """One export format: ``write(store) -> bytes``, deterministic for the same store."""

    name: str
    write: Callable[[Store], bytes]
    extension: str
    media_type: str
    description: str = ""


#: format name -> exporter, in registration order
EXPORTERS: dict[str, Exporter] = {}


def register_exporter(exporter: Exporter) -> Exporter:
    """Add (or replace) an export format."""
    EXPORTERS[exporter.name] = exporter
    return exporter


def exporter_for(format: str) -> Exporter:
    """The exporter named ``format``; ``BreachkgParameterError`` naming the known ones."""
    try:
        return EXPORTERS[format]
    except KeyError:
        known = ", ".join(EXPORTERS)
        raise BreachkgParameterError(
            "--format", f"unknown format {format!r} (known: {known})"
        ) from None


def export_bytes(store: Store, format: str) -> bytes:
    """The store serialized in ``format``."""
    return exporter_for(format).write(store)


def export_store(
    store: Store,
    format: str,
    out: str | os.PathLike[str],
    graph: str | None = None,
    describe: bool = True,
) -> Path:
    """Write the store (or its one named ``graph``) to ``out`` in ``format``, atomically.

    With ``describe``, a VoID/DCAT description of what was exported is written beside it
    as ``OUT.void.ttl`` (see ``breachkg.void``).  Returns the path of the export.
    """
    exporter = exporter_for(format)
    source = store if graph is None else graph_subset(store, graph)
    data = exporter.write(source)
    path = write_bytes_atomically(out, data)
    if describe and path.is_file():  # not beside /dev/stdout or a pipe
        from breachkg.void import describe_dataset_turtle

        description = describe_dataset_turtle(source, [(path.name, exporter.media_type)])
        write_bytes_atomically(void_path(path), description)
    return path


def void_path(out: str | os.PathLike[str]) -> Path:
    """Where the description of export ``out`` goes: ``OUT.void.ttl``."""
    out = Path(out)
    return out.with_name(out.name + ".void.ttl")


def graph_subset(store: Store, graph: str) -> Store:
    """An in-memory store holding only the named graph ``graph`` of ``store``."""
    from breachkg.store import MemoryStore

    if graph not in store.graphs():
        raise BreachkgParameterError("--graph", f"no named graph <{graph}> in the store")
    subset = MemoryStore()
    subset.replace_graph(graph, list(store.quads(graph)))
    return subset


def export_turtle(store: Store) -> bytes:
    """All graphs merged into one Turtle document: sorted prefixes, sorted subjects."""
    return store.dump("turtle")


register_exporter(
    Exporter(
        name="turtle",
        write=export_turtle,
        extension=".ttl",
        media_type="text/turtle",
        description="every graph merged, deterministic Turtle (prefixes and subjects sorted)",
    )
)


# --- TriG, N-Quads, JSON-LD, STIX (endpoint and exports, issue 7) ------------------------------


def canonical_quads(store: Store) -> list[Quad]:
    """The store's quads with blank nodes renamed by RDFC-1.0, sorted: stable across runs."""
    quads = list(store.quads())
    if any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object)):
        quads = list(canonical_dataset(quads))
    return sort_quads(quads)


def export_trig(store: Store) -> bytes:
    """TriG keeping every named graph (one per source: the provenance), sorted."""
    body = serialize(canonical_quads(store), format=RdfFormat.TRIG, prefixes=PREFIXES)
    return sorted_prefix_block(body)


def sorted_prefix_block(document: bytes) -> bytes:
    """Replace the leading ``@prefix`` lines of a Turtle/TriG document by PREFIXES, sorted.

    pyoxigraph writes the prefixes in its own map order; the house style is one sorted block.
    """
    lines = document.split(b"\n")
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix "):
        start += 1
    block = [f"@prefix {p}: <{iri}> .".encode() for p, iri in sorted(PREFIXES.items())]
    return b"\n".join(block + [b""] + lines[start:])


def export_nquads(store: Store) -> bytes:
    """Canonical N-Quads: one quad a line, sorted, blank nodes labelled by RDFC-1.0."""
    return serialize(canonical_quads(store), format=RdfFormat.N_QUADS)


def _compact(iri: str, prefixes: list[tuple[str, str]]) -> str:
    for prefix, ns in prefixes:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("/"):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _jsonld_value(term, prefixes: list[tuple[str, str]]) -> dict:
    if isinstance(term, NamedNode):
        return {"@id": _compact(term.value, prefixes)}
    if isinstance(term, BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == PREFIXES["xsd"] + "string":
        return {"@value": term.value}
    return {"@value": term.value, "@type": _compact(term.datatype.value, prefixes)}


def _value_order(value: str | dict) -> tuple:
    """Sort key of a JSON-LD value: a compact IRI string, or a value / node object."""
    return (value,) if isinstance(value, str) else tuple(sorted(value.items()))


def export_jsonld(store: Store) -> bytes:
    """JSON-LD 1.1 with a compact ``@context`` from PREFIXES, one ``@graph`` per named graph.

    Written by hand from the sorted canonical quads (rdflib's writer follows hash order):
    nodes sorted by ``@id``, keys and values sorted, so the bytes are stable.
    """
    prefixes = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
    rdf_type = PREFIXES["rdf"] + "type"
    graphs: dict[str | None, dict[str, dict]] = {}
    for q in canonical_quads(store):
        g = (
            None
            if isinstance(q.graph_name, DefaultGraph)
            else _jsonld_value(q.graph_name, prefixes)["@id"]
        )
        sid = _jsonld_value(q.subject, prefixes)["@id"]
        node = graphs.setdefault(g, {}).setdefault(sid, {"@id": sid})
        if q.predicate.value == rdf_type and isinstance(q.object, NamedNode):
            node.setdefault("@type", []).append(_compact(q.object.value, prefixes))
        else:
            key = _compact(q.predicate.value, prefixes)
            node.setdefault(key, []).append(_jsonld_value(q.object, prefixes))
    top: list[dict] = []
    for g in sorted(graphs, key=lambda k: (k is not None, k or "")):
        nodes = []
        for sid in sorted(graphs[g]):
            node = graphs[g][sid]
            for key, values in node.items():
                if isinstance(values, list):
                    node[key] = sorted(values, key=_value_order)
            nodes.append(node)
        if g is None:
            top.extend(nodes)
        else:
            top.append({"@id": g, "@graph": nodes})
    doc = {"@context": dict(sorted(PREFIXES.items())), "@graph": top}
    return (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def export_stix(store: Store) -> bytes:
    """A STIX 2.1 bundle of the incidents (see ``breachkg.stix`` for the mapping)."""
    from breachkg.stix import bundle_json

    return bundle_json(store)


for _exporter in (
    Exporter(
        "trig",
        export_trig,
        ".trig",
        "application/trig",
        "named graphs kept (provenance), sorted TriG",
    ),
    Exporter("nquads", export_nquads, ".nq", "application/n-quads", "canonical sorted N-Quads"),
    Exporter(
        "jsonld",
        export_jsonld,
        ".jsonld",
        "application/ld+json",
        "JSON-LD, compact context from the prefixes",
    ),
    Exporter(
        "stix", export_stix, ".json", "application/stix+json", "STIX 2.1 bundle of the incidents"
    ),
):
    register_exporter(_exporter)
