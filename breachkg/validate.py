"""SHACL validation of breachkg data, one named graph at a time, with two engines.

Each source's named graph is validated on its own (the shipped ontology, vocabularies and
registry, loaded as ``graph/ontology/<file>`` graphs, together as one), with the ontology
(``ontology/breachkg.ttl`` for ``rdfs:subClassOf``, ``ontology/vocab/*.ttl`` for the SKOS
schemes) against ``ontology/shapes.ttl``.  Two engines give the same results:

- ``pyshacl``: the reference.  One ``pyshacl.validate`` call per named graph, the ontology
  passed as ``ont_graph``.  Its results are the truth the fast engine is tested against.
- ``fast`` (default): the shapes compiled to SPARQL (``breachkg.shacl_sparql``) and run by
  Oxigraph over every graph at once; an order of magnitude faster on big stores, and a few
  milliseconds for one new article graph.

``validate_graph`` never raises on invalid data: it returns a ``ValidationReport`` whose
``conforms`` is false when some result has severity Violation (warnings and infos alone
do not fail, unlike SHACL's own ``sh:conforms``).  Bad input (unreadable file, unknown
engine) raises ``BreachkgInputError``.

>>> report = validate_graph([])
>>> report.conforms, report.results
(True, [])
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, SKOS

from breachkg.errors import BreachkgInputError
from breachkg.model import LoadedSource
from breachkg.rdf_io import read_rdf_file
from breachkg.resources import resource_dir
from breachkg.shacl_sparql import CompiledCheck, UnsupportedShapeError, compile_shapes, run_checks
from breachkg.vocab import GRAPH_NS, PREFIXES, SCHEMA, SHAPES_NS

ENGINES = ("fast", "pyshacl")
#: Named graphs of the shipped ontology, vocabularies and registry, and their one unit.
SHIPPED_NS = GRAPH_NS + "ontology/"
SHIPPED_UNIT = GRAPH_NS + "ontology"
#: Where triples without a named graph (a Turtle file) are validated; reported as None.
DEFAULT_GRAPH = "urn:x-breachkg:default-graph"
SEVERITIES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}
CONCEPT_SCHEME = rdflib.URIRef(SHAPES_NS + "conceptScheme")


@dataclass(frozen=True)
class Result:
    """One validation result.  ``value`` is in N-Triples form; IRIs elsewhere are plain."""

    source_graph: str | None
    focus: str
    path: str | None
    severity: str
    source_shape: str
    value: str | None
    message_en: str = field(default="", compare=False)
    message_fr: str = field(default="", compare=False)

    def key(self) -> tuple:
        """What two engines must agree on: graph, focus, path, severity, shape, value."""
        return (
            self.source_graph,
            self.focus,
            self.path,
            self.severity,
            self.source_shape,
            self.value,
        )

    def sort_key(self) -> tuple:
        return tuple("" if part is None else part for part in self.key())

    def message(self, lang: str = "en") -> str:
        return (self.message_fr if lang == "fr" else self.message_en) or self.message_en


@dataclass
class ValidationReport:
    """Outcome of a validation: results sorted by graph and focus node, and a text report."""

    conforms: bool
    results: list[Result]
    text: str
    engine: str = "fast"
    graphs: int = 0
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]

    def keys(self) -> set[tuple]:
        return {r.key() for r in self.results}

    def formatted(self, fmt: str = "text", lang: str = "en") -> str:
        """The report as ``text``, ``json`` or ``turtle`` (see ``format_report``)."""
        return format_report(self, fmt, lang)


@dataclass
class ShapesBundle:
    """Shapes (``sh:in`` lists filled from the vocabularies), ontology, compiled queries."""

    shapes: rdflib.Graph
    ontology: rdflib.Graph
    name: str
    _checks: list[CompiledCheck] | None = None

    @property
    def checks(self) -> list[CompiledCheck]:
        if self._checks is None:
            try:
                self._checks = compile_shapes(self.shapes, self.ontology)
            except UnsupportedShapeError as err:
                raise BreachkgInputError(
                    self.name, f"fast engine: {err}; use --engine pyshacl"
                ) from err
        return self._checks


# --- loading shapes and ontology ----------------------------------------------------------


def shapes_path() -> Path:
    """The shipped shapes file."""
    return resource_dir("ontology") / "shapes.ttl"


def load_ontology_graph() -> rdflib.Graph:
    """The OWL ontology and the SKOS vocabularies (not the registry, which is data)."""
    root = resource_dir("ontology")
    graph = rdflib.Graph()
    for path in [root / "breachkg.ttl", *sorted((root / "vocab").glob("*.ttl"))]:
        if path.exists():
            graph.parse(path, format="turtle")
    return graph


def expand_concept_schemes(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    """Give each shape with ``bksh:conceptScheme S`` an ``sh:in`` list of the concepts of S."""
    for shape, scheme in sorted(shapes.subject_objects(CONCEPT_SCHEME)):
        members = set(ontology.subjects(SKOS.inScheme, scheme))
        members |= set(ontology.subjects(SKOS.topConceptOf, scheme))
        head = rdflib.BNode()
        Collection(shapes, head, sorted(members))
        shapes.add((shape, SH["in"], head))


def _parse_shapes(path: Path) -> rdflib.Graph:
    try:
        return rdflib.Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as err:  # rdflib raises BadSyntax (SyntaxError)
        raise BreachkgInputError(path, f"cannot read shapes: {err}".splitlines()[0]) from err


@functools.lru_cache(maxsize=8)
def _cached_bundle(path: str, _mtime: float) -> ShapesBundle:
    ontology = load_ontology_graph()
    shapes = _parse_shapes(Path(path))
    expand_concept_schemes(shapes, ontology)
    return ShapesBundle(shapes=shapes, ontology=ontology, name=path)


def load_shapes(
    shapes: str | os.PathLike | rdflib.Graph | ShapesBundle | None = None,
) -> ShapesBundle:
    """The shapes bundle for a file (default: the shipped shapes), cached while unchanged."""
    if isinstance(shapes, ShapesBundle):
        return shapes
    if isinstance(shapes, rdflib.Graph):
        ontology = load_ontology_graph()
        graph = rdflib.Graph()
        for t in shapes:
            graph.add(t)
        expand_concept_schemes(graph, ontology)
        return ShapesBundle(shapes=graph, ontology=ontology, name="<shapes graph>")
    path = Path(shapes) if shapes is not None else shapes_path()
    if not path.is_file():
        raise BreachkgInputError(path, "shapes file not found")
    return _cached_bundle(str(path.resolve()), path.stat().st_mtime)


# --- reading the data -------------------------------------------------------------------


def _read_file(path: Path) -> pyoxigraph.Store:
    """Any RDF syntax ``breachkg ingest`` reads; default-graph triples are moved later."""
    store = pyoxigraph.Store()
    store.extend(read_rdf_file(path))
    return store


def _from_rdflib(data: rdflib.Graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    if isinstance(data, rdflib.Dataset | rdflib.ConjunctiveGraph):
        items = data.quads((None, None, None, None))
    else:
        items = ((s, p, o, None) for s, p, o in data)
    quads = []
    for s, p, o, g in items:
        gid = g.identifier if isinstance(g, rdflib.Graph) else g
        name = (
            pyoxigraph.NamedNode(str(gid))
            if isinstance(gid, rdflib.URIRef) and not str(gid).startswith("urn:x-rdflib:")
            else pyoxigraph.NamedNode(DEFAULT_GRAPH)
        )
        quads.append(pyoxigraph.Quad(_to_ox(s), _to_ox(p), _to_ox(o), name))
    store.extend(quads)
    return store


def _to_ox(term):
    if isinstance(term, rdflib.URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return pyoxigraph.BlankNode(str(term))
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


def _to_rdflib(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language, normalize=False)
    dt = term.datatype.value
    if dt == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value, normalize=False)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt), normalize=False)


def open_data(data: object, graph: str | None = None) -> pyoxigraph.Store:
    """The data as a pyoxigraph store of named graphs (default-graph triples moved to
    ``DEFAULT_GRAPH``), restricted to ``graph`` when given."""
    if isinstance(data, pyoxigraph.Store):
        store = data
    elif isinstance(data, str | os.PathLike):
        store = _read_file(Path(data))
    elif isinstance(data, rdflib.Graph):
        store = _from_rdflib(data)
    elif isinstance(getattr(data, "_store", None), pyoxigraph.Store):  # breachkg Oxigraph stores
        store = data._store
    elif hasattr(data, "quads") and hasattr(data, "graphs"):  # any breachkg Store
        store = pyoxigraph.Store()
        store.extend(data.quads())
    elif isinstance(data, Iterable):
        store = pyoxigraph.Store()
        default = pyoxigraph.NamedNode(DEFAULT_GRAPH)
        quads = []
        for item in data:
            if isinstance(item, pyoxigraph.Quad) and not isinstance(
                item.graph_name, pyoxigraph.DefaultGraph
            ):
                quads.append(item)
            else:
                quads.append(pyoxigraph.Quad(item.subject, item.predicate, item.object, default))
        store.extend(quads)
    else:
        raise BreachkgInputError("data", f"cannot validate a {type(data).__name__}")
    if _has_default_triples(store):
        moved = pyoxigraph.Store()
        default = pyoxigraph.NamedNode(DEFAULT_GRAPH)
        moved.extend(
            q
            if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)
            else pyoxigraph.Quad(q.subject, q.predicate, q.object, default)
            for q in store
        )
        store = moved
    if graph is not None:
        one = pyoxigraph.Store()
        one.extend(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)))
        if not len(one):
            raise BreachkgInputError("--graph", f"no named graph {graph} in the data")
        store = one
    return store


def _has_default_triples(store: pyoxigraph.Store) -> bool:
    return (
        next(iter(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None)
        is not None
    )


# --- the two engines ---------------------------------------------------------------------


def _graph_name(term) -> str | None:
    return None if term.value == DEFAULT_GRAPH else term.value


def _focus_text(term) -> str:
    return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value


def _pick_messages(pairs: Iterable[tuple[str, str]]) -> tuple[str, str]:
    by_lang = dict(pairs)
    en = by_lang.get("en") or by_lang.get("") or next(iter(by_lang.values()), "")
    return en, by_lang.get("fr") or en


def unit_of(graph: str) -> str:
    """The validation unit of a named graph: itself, except that the shipped ontology,
    vocabularies and registry (``graph/ontology/<file>``, one graph per file that refer to
    each other) are validated together as ``graph/ontology``."""
    return SHIPPED_UNIT if graph.startswith(SHIPPED_NS) else graph


def _shipped_graphs(store: pyoxigraph.Store) -> list[pyoxigraph.NamedNode]:
    return [g for g in store.named_graphs() if g.value.startswith(SHIPPED_NS)]


def _merge_shipped(store: pyoxigraph.Store, shipped: list) -> pyoxigraph.Store:
    merged = pyoxigraph.Store()
    unit = pyoxigraph.NamedNode(SHIPPED_UNIT)
    for g in shipped:
        merged.extend(
            pyoxigraph.Quad(q.subject, q.predicate, q.object, unit)
            for q in store.quads_for_pattern(None, None, None, g)
        )
    return merged


def results_fast(store: pyoxigraph.Store, bundle: ShapesBundle) -> list[Result]:
    """Results of the compiled queries over every validation unit of ``store``."""
    shipped = _shipped_graphs(store)
    results = _results_fast(store, bundle)
    if shipped:
        results = {r for r in results if not (r.source_graph or "").startswith(SHIPPED_NS)}
        results |= _results_fast(_merge_shipped(store, shipped), bundle)
    return sorted(results, key=Result.sort_key)


def _results_fast(store: pyoxigraph.Store, bundle: ShapesBundle) -> set[Result]:
    results = set()
    for check, g, focus, path, value in run_checks(bundle.checks, store):
        en, fr = _pick_messages(check.messages)
        results.add(
            Result(
                source_graph=_graph_name(g),
                focus=_focus_text(focus),
                path=path,
                severity=SEVERITIES.get(check.severity, check.severity),
                source_shape=check.shape,
                value=str(value) if value is not None else None,
                message_en=en,
                message_fr=fr,
            )
        )
    return results


def rdflib_graphs(store: pyoxigraph.Store) -> dict[str | None, rdflib.Graph]:
    """One rdflib graph per named graph of ``store`` (the pySHACL engine's input)."""
    graphs: dict[str | None, rdflib.Graph] = {}
    for g in sorted(store.named_graphs(), key=lambda n: n.value):
        name = _graph_name(g)
        name = unit_of(name) if name else name
        graph = graphs.setdefault(name, rdflib.Graph())
        for q in store.quads_for_pattern(None, None, None, g):
            graph.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    return graphs


def _rdflib_key(term) -> str | None:
    if term is None:
        return None
    return str(_to_ox(term))


#: Parsed SPARQL texts kept between pySHACL runs (the texts come from the shapes).
_PREPARED: dict[tuple, object] = {}


@contextlib.contextmanager
def prepared_queries() -> Iterator[None]:
    """Let rdflib parse each SPARQL text once while pySHACL runs, instead of once per focus
    node (pySHACL passes ``$this`` as an initial binding, so the text repeats).

    The parsed query is what ``rdflib.plugins.sparql.prepareQuery`` returns, the documented
    way to run one query with different bindings: results are unchanged, and pySHACL spends
    most of its time in that parser otherwise.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    cache = _PREPARED
    if len(cache) > 1000:
        cache.clear()

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = processor.translateQuery(
                    processor.parseQuery(strOrQuery), base, initNs
                )
            strOrQuery = cache[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def results_pyshacl(
    graphs: dict[str | None, rdflib.Graph], bundle: ShapesBundle, prepare: bool = True
) -> list[Result]:
    """Results of pySHACL run on each graph with the ontology as ``ont_graph``
    (``prepare``: parse each SPARQL constraint once, see ``prepared_queries``)."""
    with prepared_queries() if prepare else contextlib.nullcontext():
        return _results_pyshacl(graphs, bundle)


def _results_pyshacl(graphs: dict[str | None, rdflib.Graph], bundle: ShapesBundle) -> list[Result]:
    import pyshacl  # slow to import; only the reference engine needs it

    results = set()
    for name, graph in graphs.items():
        _, report, _ = pyshacl.validate(
            graph, shacl_graph=bundle.shapes, ont_graph=bundle.ontology, inference="none"
        )
        for r in report.objects(None, SH.result):
            focus = report.value(r, SH.focusNode)
            path = report.value(r, SH.resultPath)
            en, fr = _pick_messages(
                (m.language or "", str(m)) for m in report.objects(r, SH.resultMessage)
            )
            severity = str(report.value(r, SH.resultSeverity))
            results.add(
                Result(
                    source_graph=name,
                    focus=f"_:{focus}" if isinstance(focus, rdflib.BNode) else str(focus),
                    path=str(path) if isinstance(path, rdflib.URIRef) else None,
                    severity=SEVERITIES.get(severity, severity),
                    source_shape=str(report.value(r, SH.sourceShape)),
                    value=_rdflib_key(report.value(r, SH.value)),
                    message_en=en,
                    message_fr=fr,
                )
            )
    return sorted(results, key=Result.sort_key)


def validate_graph(
    data: object,
    *,
    shapes: str | os.PathLike | rdflib.Graph | ShapesBundle | None = None,
    engine: str = "fast",
    graph: str | None = None,
    lang: str = "en",
) -> ValidationReport:
    """Validate every named graph of ``data`` (or only ``graph``) against the shapes.

    ``data``: a pyoxigraph or breachkg store, quads or triples, an rdflib graph or dataset,
    or the path of an RDF file.  Never raises on invalid data.
    """
    if engine not in ENGINES:
        raise BreachkgInputError(
            "--engine", f"unknown engine {engine!r} (one of {', '.join(ENGINES)})"
        )
    bundle = load_shapes(shapes)
    store = open_data(data, graph)
    if engine == "fast":
        results = results_fast(store, bundle)
    else:
        results = results_pyshacl(rdflib_graphs(store), bundle)
    report = ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        text="",
        engine=engine,
        graphs=len({unit_of(g.value) for g in store.named_graphs()}),
        labels=_labels(store, results),
    )
    report.text = format_text(report, lang)
    return report


def validate_source(source: LoadedSource, engine: str = "fast") -> ValidationReport:
    """Validate one loaded source's graph before it is stored (the ingest hook)."""
    return validate_graph(source.quads, engine=engine)


# --- reports -------------------------------------------------------------------------------


def _labels(store: pyoxigraph.Store, results: list[Result]) -> dict[str, str]:
    name = pyoxigraph.NamedNode(str(SCHEMA.name))
    labels = {}
    for r in results:
        if r.focus in labels or r.focus.startswith("_:"):
            continue
        found = next(iter(store.quads_for_pattern(pyoxigraph.NamedNode(r.focus), name, None)), None)
        if found is not None:
            labels[r.focus] = found.object.value
    return labels


def compact(iri: str | None) -> str:
    """``bk:victim`` for an IRI in a known namespace, ``<iri>`` otherwise."""
    if iri is None:
        return "-"
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and "/" not in iri[len(ns) :]:
            return f"{prefix}:{iri[len(ns) :]}"
    if iri.startswith(SHAPES_NS):
        return "bksh:" + iri[len(SHAPES_NS) :]
    return f"<{iri}>"


_WORDS = {
    "en": {
        "ok": "conforms",
        "bad": "does not conform",
        "source": "source",
        "none": "(no source graph)",
        "Violation": "violation",
        "Warning": "warning",
        "Info": "info",
        "graphs": "graph",
    },
    "fr": {
        "ok": "conforme",
        "bad": "non conforme",
        "source": "source",
        "none": "(pas de graphe source)",
        "Violation": "violation",
        "Warning": "avertissement",
        "Info": "information",
        "graphs": "graphe",
    },
}


def format_text(report: ValidationReport, lang: str = "en") -> str:
    """Results grouped by source graph and focus node, with labels, in English or French."""
    words = _WORDS.get(lang, _WORDS["en"])
    counts = {
        s: sum(1 for r in report.results if r.severity == s)
        for s in ("Violation", "Warning", "Info")
    }
    summary = ", ".join(f"{n} {words[s]}{'s' if n > 1 else ''}" for s, n in counts.items() if n)
    lines = [
        f"breachkg validate ({report.engine}): {words['ok'] if report.conforms else words['bad']}"
        f" - {report.graphs} {words['graphs']}{'s' if report.graphs != 1 else ''}"
        + (f", {summary}" if summary else "")
    ]
    current = None
    for r in report.results:
        if (r.source_graph, r.focus) != current:
            current = (r.source_graph, r.focus)
            label = report.labels.get(r.focus)
            lines.append("")
            lines.append(f"{r.focus}" + (f' "{label}"' if label else ""))
            lines.append(f"  {words['source']}: {r.source_graph or words['none']}")
        value = f" = {r.value}" if r.value is not None else ""
        lines.append(
            f"  [{words[r.severity]}] {compact(r.path)}{value}: {r.message(lang)} ({compact(r.source_shape)})"
        )
    return "\n".join(lines) + "\n"


def format_json(report: ValidationReport, lang: str = "en") -> str:
    """The report as JSON: conforms, counts and every result with the chosen message."""
    results = []
    for r in report.results:
        item = asdict(r)
        item["message"] = r.message(lang)
        item["label"] = report.labels.get(r.focus)
        results.append(item)
    return json.dumps(
        {
            "conforms": report.conforms,
            "engine": report.engine,
            "graphs": report.graphs,
            "violations": len(report.violations),
            "warnings": len(report.warnings),
            "results": results,
        },
        ensure_ascii=False,
        indent=2,
    )


def report_graph(report: ValidationReport, messages: bool = True) -> rdflib.Graph:
    """The report as a SHACL ``sh:ValidationReport`` graph (``dcterms:source`` = graph)."""
    graph = rdflib.Graph()
    for prefix in ("bk", "dcterms", "sh", "xsd", "schema"):
        graph.bind(prefix, PREFIXES[prefix])
    graph.bind("bksh", SHAPES_NS)
    node = rdflib.BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, rdflib.Literal(report.conforms)))
    for r in report.results:
        res = rdflib.BNode()
        graph.add((node, SH.result, res))
        graph.add((res, RDF.type, SH.ValidationResult))
        graph.add((res, SH.focusNode, _term_from_text(r.focus)))
        if r.path:
            graph.add((res, SH.resultPath, rdflib.URIRef(r.path)))
        graph.add((res, SH.resultSeverity, SH[r.severity]))
        graph.add((res, SH.sourceShape, rdflib.URIRef(r.source_shape)))
        if r.value is not None:
            graph.add((res, SH.value, _term_from_nt(r.value)))
        if r.source_graph:
            graph.add(
                (res, rdflib.URIRef(PREFIXES["dcterms"] + "source"), rdflib.URIRef(r.source_graph))
            )
        if messages:
            graph.add((res, SH.resultMessage, rdflib.Literal(r.message_en, lang="en")))
            graph.add((res, SH.resultMessage, rdflib.Literal(r.message_fr, lang="fr")))
    return graph


def _term_from_text(text: str):
    return rdflib.BNode(text[2:]) if text.startswith("_:") else rdflib.URIRef(text)


def _term_from_nt(text: str):
    """An rdflib term from N-Triples text, literals normalized as rdflib parses them."""
    term = _to_rdflib(
        next(
            iter(
                pyoxigraph.parse(f"<urn:s> <urn:p> {text} .", format=pyoxigraph.RdfFormat.N_TRIPLES)
            )
        ).object
    )
    if isinstance(term, rdflib.Literal):
        return rdflib.Literal(str(term), lang=term.language, datatype=term.datatype)
    return term


def format_report(report: ValidationReport, fmt: str = "text", lang: str = "en") -> str:
    """The report as ``text``, ``json`` or ``turtle``."""
    if fmt == "text":
        return format_text(report, lang)
    if fmt == "json":
        return format_json(report, lang)
    if fmt == "turtle":
        return report_graph(report).serialize(format="longturtle")
    raise BreachkgInputError("--format", f"unknown report format {fmt!r} (text, json or turtle)")


__all__ = [
    "DEFAULT_GRAPH",
    "ENGINES",
    "Result",
    "ShapesBundle",
    "ValidationReport",
    "format_report",
    "load_shapes",
    "open_data",
    "report_graph",
    "results_fast",
    "results_pyshacl",
    "rdflib_graphs",
    "validate_graph",
    "validate_source",
]
