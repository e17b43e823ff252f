"""Loader for RDF files of any syntax: one ``LoadedSource`` per named graph of the file.

Triples (and the default graph of a quads file) go to a graph named from the file's bytes,
``graph/rdf/<first 16 hex digits of sha256>``, so re-ingesting the same file swaps that
graph; named graphs of TriG, N-Quads or JSON-LD files keep their names.  ``graph=`` puts
the whole file in one given graph instead.

>>> from pathlib import Path
>>> import tempfile
>>> tmp = Path(tempfile.mkdtemp()) / "one.nt"
>>> _ = tmp.write_bytes(b'<http://example.org/s> <http://example.org/p> "o" .\\n')
>>> [s.graph.rsplit("/", 2)[-2] for s in load(tmp)]
['rdf']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import BlankNode

from breachkg.errors import BreachkgInputError
from breachkg.iris import mint_graph_iri
from breachkg.model import LoadedSource
from breachkg.rdf_io import EXTENSIONS as RDF_EXTENSIONS
from breachkg.rdf_io import group_by_graph, parse_rdf_bytes, rdf_format_of

#: File endings this loader reads (see ``breachkg.rdf_io.EXTENSIONS``).
EXTENSIONS = tuple(RDF_EXTENSIONS)


def rdf_file_graph_iri(data: bytes) -> str:
    """Graph IRI for the triples of an RDF file: ``graph/rdf/<sha256[:16]>`` of its bytes."""
    return mint_graph_iri("rdf", hashlib.sha256(data).hexdigest()[:16])


def load(path: str | Path, *, graph: str | None = None) -> Iterator[LoadedSource]:
    """The quads of one RDF file, one ``LoadedSource`` per graph, graphs sorted."""
    path = Path(path)
    format = rdf_format_of(path)
    if format is None:
        raise BreachkgInputError(path, "not an RDF file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BreachkgInputError(path, err.strerror or str(err)) from None
    quads = parse_rdf_bytes(data, format, where=path)
    if graph is None and any(isinstance(q.graph_name, BlankNode) for q in quads):
        raise BreachkgInputError(
            path, "a named graph is named by a blank node; name it with an IRI or use --graph"
        )
    default = graph or rdf_file_graph_iri(data)
    groups = {default: quads} if graph else group_by_graph(quads, default)
    for iri in sorted(groups):
        yield LoadedSource(
            graph=iri, quads=groups[iri], name=str(path), counts={"quads": len(groups[iri])}
        )
