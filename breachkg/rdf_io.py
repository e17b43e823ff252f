"""Reading RDF files of any syntax into quads, writing them back deterministically.

Parsing and N-Quads go through pyoxigraph (fast, strict); Turtle is written with rdflib's
``longturtle`` so that the same triples give the same bytes whatever their order: prefixes
from ``PREFIXES`` in sorted order, subjects sorted, blank nodes canonically renamed.
Terms convert both ways between pyoxigraph and rdflib without normalising literals.

>>> quads = parse_rdf_bytes(b'<http://example.org/s> <http://schema.org/name> "1" .', "nt")
>>> print(triples_to_turtle(quads).decode())
<BLANKLINE>
<http://example.org/s>
    <http://schema.org/name> "1" ;
.
<BLANKLINE>
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import rdflib
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
    serialize,
)
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

from breachkg.errors import BreachkgInputError
from breachkg.vocab import PREFIXES

#: Short format name -> pyoxigraph format.
FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
    "n3": RdfFormat.N3,
}
#: File extension -> short format name.
EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json-ld": "jsonld",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
    ".n3": "n3",
}
#: Formats whose files may hold named graphs.
QUAD_FORMATS = frozenset({"nquads", "trig", "jsonld"})
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def rdf_format_of(path: str | os.PathLike[str]) -> str | None:
    """Short format name guessed from the file extension, or None if not an RDF file."""
    return EXTENSIONS.get(Path(path).suffix.lower())


def is_rdf_file(path: str | os.PathLike[str]) -> bool:
    return rdf_format_of(path) is not None


def parse_rdf_bytes(data: bytes, format: str, where: object = "<input>") -> list[Quad]:
    """Every quad of ``data`` (triples land in the default graph); bad input -> one-line error."""
    if format not in FORMATS:
        raise BreachkgInputError(where, f"unknown RDF format {format!r}")
    try:
        return list(parse(data, FORMATS[format]))
    except (SyntaxError, ValueError, UnicodeDecodeError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise BreachkgInputError(where, f"not valid {format}: {reason}") from None


def read_rdf_file(path: str | os.PathLike[str], format: str | None = None) -> list[Quad]:
    """Parse one RDF file into quads; unreadable or ill-formed -> ``BreachkgInputError``."""
    path = Path(path)
    format = format or rdf_format_of(path)
    if format is None:
        raise BreachkgInputError(path, f"not an RDF file (extensions: {' '.join(EXTENSIONS)})")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BreachkgInputError(path, err.strerror or str(err)) from None
    return parse_rdf_bytes(data, format, where=path)


def canonical_dataset(quads: Iterable[Quad]) -> Dataset:
    """The quads with blank nodes relabelled by RDFC-1.0: two isomorphic datasets compare
    equal, whatever their blank-node labels or order."""
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def group_by_graph(quads: Iterable[Quad], default_graph: str) -> dict[str, list[Quad]]:
    """Quads per named-graph IRI; default-graph quads go to ``default_graph``."""
    graphs: dict[str, list[Quad]] = {}
    for q in quads:
        g = q.graph_name
        key = default_graph if isinstance(g, DefaultGraph) else g.value
        graphs.setdefault(key, []).append(q)
    return graphs


def sort_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Quads in a stable order (graph, subject, predicate, object as N-Quads text)."""
    return sorted(
        quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )


def quads_to_nquads(quads: Iterable[Quad]) -> bytes:
    """N-Quads, one quad a line, sorted: the same bytes for the same quads."""
    return serialize(sort_quads(quads), format=RdfFormat.N_QUADS)


def triples_to_turtle(triples: Iterable[Quad | Triple]) -> bytes:
    """Deterministic Turtle of the triples (graph names dropped, duplicates merged)."""
    graph = rdflib.Graph(bind_namespaces="none")
    for prefix, ns in sorted(PREFIXES.items()):
        graph.bind(prefix, ns, override=True, replace=True)
    for t in triples:
        graph.add(
            (to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object))
        )
    out = io.BytesIO()
    _SortedTurtleSerializer(graph).serialize(out, encoding="utf-8")
    return out.getvalue()


class _SortedTurtleSerializer(LongTurtleSerializer):
    """``longturtle`` that never invents ``ns1:`` prefixes (they depend on hash order) and
    remembers each IRI's prefixed name (rdflib recomputes the ones that have none)."""

    def __init__(self, store: rdflib.Graph) -> None:
        super().__init__(store)
        self._pnames: dict = {}

    def get_pname(self, uri, gen_prefix=True):
        try:
            return self._pnames[uri]
        except KeyError:
            pname = self._pnames[uri] = super().get_pname(uri, gen_prefix=False)
            return pname
        except TypeError:  # unhashable: not an IRI
            return super().get_pname(uri, gen_prefix=False)


def _current_umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temp file in the same folder and ``os.replace``.

    A target that exists but is not a regular file (``/dev/stdout``, a named pipe) is
    written through instead: replacing it would swap a device node for a file.  Failures
    raise ``BreachkgInputError`` naming the path.
    """
    path = Path(path)
    if path.is_dir():
        raise BreachkgInputError(path, "cannot write: is a folder")
    if path.exists() and not path.is_file():
        try:
            with open(path, "wb") as out:
                out.write(data)
        except OSError as err:
            raise BreachkgInputError(path, f"cannot write: {err.strerror or err}") from None
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise BreachkgInputError(path, f"cannot write: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes 0600; keep the usual mode
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):  # a full disk, a folder in the way: one line, no trace
            raise BreachkgInputError(path, f"cannot write: {err.strerror or err}") from None
        raise
    return path


# --- rdflib <-> pyoxigraph ------------------------------------------------------------------


def to_rdflib_term(term):
    """pyoxigraph term -> rdflib term (literal lexical forms kept as they are)."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=False)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return rdflib.Literal(term.value, normalize=False)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt), normalize=False)
    if isinstance(term, DefaultGraph) or term is None:
        return None
    raise TypeError(f"no rdflib equivalent for {term!r}")


def from_rdflib_term(term):
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != RDF_LANG_STRING:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise TypeError(f"no pyoxigraph equivalent for {term!r}")


def from_rdflib(data: rdflib.Graph, graph: str | None = None) -> list[Quad]:
    """Quads of an rdflib ``Dataset``/``ConjunctiveGraph`` (graphs kept) or ``Graph``.

    A plain graph's triples go to ``graph`` (the default graph when None); a dataset's
    default-graph triples do too.
    """
    target = NamedNode(graph) if graph else DefaultGraph()
    out: list[Quad] = []
    if isinstance(data, rdflib.Dataset | rdflib.ConjunctiveGraph):
        for s, p, o, g in data.quads((None, None, None, None)):
            gname = g.identifier if isinstance(g, rdflib.Graph) else g
            is_default = gname is None or gname == rdflib.graph.DATASET_DEFAULT_GRAPH_ID
            gnode = target if is_default else from_rdflib_term(gname)
            out.append(Quad(from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o), gnode))
        return out
    for s, p, o in data:
        out.append(Quad(from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o), target))
    return out


def quads_to_rdflib_dataset(quads: Iterable[Quad]) -> rdflib.Dataset:
    """An rdflib ``Dataset`` holding the quads, one rdflib graph per named graph."""
    ds = rdflib.Dataset()
    for prefix, ns in sorted(PREFIXES.items()):
        ds.bind(prefix, ns, override=True, replace=True)
    for q in quads:
        g = to_rdflib_term(q.graph_name)
        ds.add(
            (to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object), g)
        )
    return ds
