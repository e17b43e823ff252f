"""Fast SHACL: the shapes compiled to SPARQL queries that Oxigraph runs over all graphs at once.

pySHACL (the reference engine, see ``breachkg.validate``) walks focus nodes one by one in
Python and validates one named graph per call.  Here each constraint of each shape becomes
one SELECT query whose patterns sit inside ``GRAPH ?g { }``, so a single query checks every
named graph of the store on its own, as pySHACL does graph by graph.  What the ontology
contributes (``rdfs:subClassOf`` closures for ``sh:targetClass`` and ``sh:class``) is
computed once at compile time and inlined as ``VALUES``.

Supported: targets ``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``,
``sh:targetNode``; property shapes with an IRI ``sh:path``; ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:class``, ``sh:in``, ``sh:pattern`` (+ ``sh:flags``), ``sh:minInclusive``,
``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:nodeKind``, ``sh:or`` of
shapes that each hold one ``sh:datatype``, and ``sh:sparql`` constraints on node shapes
whose query only reads the data graph (no ``VALUES``, ``MINUS``, ``GRAPH`` or sub-query).
Anything else raises ``UnsupportedShapeError`` so the caller can fall back to pySHACL.

>>> import pyoxigraph, rdflib
>>> shapes = rdflib.Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ;
...         sh:property <urn:S-name> .
...     <urn:S-name> sh:path <urn:name> ; sh:minCount 1 .''')
>>> checks = compile_shapes(shapes, rdflib.Graph())
>>> [(c.shape, c.component.rsplit("#")[1]) for c in checks]
[('urn:S-name', 'minCount')]
>>> data = pyoxigraph.Store()
>>> data.add(pyoxigraph.Quad(pyoxigraph.NamedNode("urn:x"), pyoxigraph.NamedNode(
...     "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), pyoxigraph.NamedNode("urn:C"),
...     pyoxigraph.NamedNode("urn:g")))
>>> [(g.value, focus.value, path) for _, g, focus, path, _ in run_checks(checks, data)]
[('urn:g', 'urn:x', 'urn:name')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Datatypes whose well-formedness is checked with a cast (ill-typed literals violate).
_CASTABLE = {
    XSD + t
    for t in (
        "integer decimal double float boolean date dateTime time gYear gYearMonth "
        "long int short byte nonNegativeInteger positiveInteger negativeInteger "
        "nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte duration"
    ).split()
}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
#: Shape predicates that are not constraints (or are handled with their shape).
_NOT_CONSTRAINTS = {
    RDF.type,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.property,
    SH.path,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.deactivated,
    SH.flags,
    RDFS.label,
    RDFS.comment,
    SH.sparql,
}


class UnsupportedShapeError(ValueError):
    """The shapes use a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class CompiledCheck:
    """One constraint of one shape as a query selecting ?g ?this [?path] [?value]."""

    shape: str
    component: str
    severity: str
    path: str | None
    messages: tuple[tuple[str, str], ...]  # (language, text)
    query: str


def _n3(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return _literal_n3(term)
    raise UnsupportedShapeError(f"blank node {term} where an IRI or literal is expected")


def _literal_n3(lit: Literal) -> str:
    if lit.language:
        return str(pyoxigraph.Literal(str(lit), language=lit.language))
    if lit.datatype:
        return str(pyoxigraph.Literal(str(lit), datatype=pyoxigraph.NamedNode(str(lit.datatype))))
    return str(pyoxigraph.Literal(str(lit)))


def _string(text: str) -> str:
    return str(pyoxigraph.Literal(text))


def subclass_closure(ontology: Graph, cls: URIRef) -> list[URIRef]:
    """``cls`` and every class below it through ``rdfs:subClassOf*``, sorted."""
    found = {cls}
    todo = [cls]
    while todo:
        for sub in ontology.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted(found)


class ShapeCompiler:
    """Turns a shapes graph (plus the ontology for class closures) into ``CompiledCheck``s."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.shapes = shapes
        self.ontology = ontology

    def compile(self) -> list[CompiledCheck]:
        checks: list[CompiledCheck] = []
        node_shapes = sorted(
            {s for s in self.shapes.subjects(RDF.type, SH.NodeShape)}
            | {
                s
                for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
                for s in self.shapes.subjects(p, None)
            }
        )
        for shape in node_shapes:
            if self._deactivated(shape):
                continue
            targets = self._targets(shape)
            if not targets:
                continue
            checks += self._node_checks(shape, targets)
            for prop in sorted(self.shapes.objects(shape, SH.property)):
                if not self._deactivated(prop):
                    checks += self._property_checks(prop, targets)
        return checks

    # --- pieces ----------------------------------------------------------------------------
    def _deactivated(self, shape) -> bool:
        return any(o.toPython() is True for o in self.shapes.objects(shape, SH.deactivated))

    def _classes(self, cls: URIRef) -> str:
        return " ".join(f"<{c}>" for c in subclass_closure(self.ontology, cls))

    def _targets(self, shape) -> str:
        blocks = []
        for cls in sorted(self.shapes.objects(shape, SH.targetClass)):
            blocks.append(f"?this a ?_tc . VALUES ?_tc {{ {self._classes(cls)} }}")
        for p in sorted(self.shapes.objects(shape, SH.targetSubjectsOf)):
            blocks.append(f"?this <{p}> ?_to .")
        for p in sorted(self.shapes.objects(shape, SH.targetObjectsOf)):
            blocks.append(f"?_ts <{p}> ?this .")
        for node in sorted(self.shapes.objects(shape, SH.targetNode)):
            blocks.append(f"?this ?_tp ?_tv . FILTER(sameTerm(?this, {_n3(node)}))")
        return " UNION ".join("{ " + b + " }" for b in blocks)

    def _severity(self, shape) -> str:
        return str(self.shapes.value(shape, SH.severity) or SH.Violation)

    def _messages(self, *nodes) -> tuple[tuple[str, str], ...]:
        for node in nodes:
            found = [(m.language or "", str(m)) for m in self.shapes.objects(node, SH.message)]
            if found:
                return tuple(sorted(found))
        return ()

    def _value_condition(self, pred, obj, shape) -> str:
        """A SPARQL expression true when ``?value`` VIOLATES ``pred obj``."""
        if pred == SH.datatype:
            return f"!{_datatype_ok(obj)}"
        if pred == SH.nodeKind:
            if obj not in _NODE_KINDS:
                raise UnsupportedShapeError(f"sh:nodeKind {obj} in {shape}")
            return f"!{_NODE_KINDS[obj]}"
        if pred == SH.pattern:
            flags = self.shapes.value(shape, SH.flags)
            args = _string(str(obj)) + (", " + _string(str(flags)) if flags else "")
            return f"(isBlank(?value) || !REGEX(STR(?value), {args}))"
        if pred in _COMPARISONS:
            return f"!COALESCE(?value {_COMPARISONS[pred]} {_n3(obj)}, false)"
        if pred == SH["in"]:
            members = list(Collection(self.shapes, obj))
            if not members:
                return "true"
            return "!(" + " || ".join(f"sameTerm(?value, {_n3(m)})" for m in members) + ")"
        if pred == SH["or"]:
            alternatives = []
            for member in Collection(self.shapes, obj):
                dts = list(self.shapes.objects(member, SH.datatype))
                others = set(self.shapes.predicates(member, None)) - {SH.datatype, RDF.type}
                if len(dts) != 1 or others:
                    raise UnsupportedShapeError(
                        f"sh:or member {member} in {shape}: only sh:datatype"
                    )
                alternatives.append(_datatype_ok(dts[0]))
            return "!(" + " || ".join(alternatives) + ")"
        raise UnsupportedShapeError(f"{pred} in {shape}")

    def _check(self, shape, component, path, query, *message_nodes) -> CompiledCheck:
        return CompiledCheck(
            shape=str(shape),
            component=str(component),
            severity=self._severity(shape),
            path=str(path) if path is not None else None,
            messages=self._messages(*message_nodes, shape),
            query=query,
        )

    def _node_checks(self, shape, targets: str) -> list[CompiledCheck]:
        checks = []
        for pred, obj in sorted(self.shapes.predicate_objects(shape)):
            if pred in _NOT_CONSTRAINTS or not pred.startswith(str(SH)):
                continue
            if pred == SH["class"]:
                cond = (
                    f"FILTER NOT EXISTS {{ ?value a ?_c . VALUES ?_c {{ {self._classes(obj)} }} }}"
                )
            else:
                cond = f"FILTER({self._value_condition(pred, obj, shape)})"
            query = (
                f"SELECT DISTINCT ?g ?this ?value WHERE {{ GRAPH ?g {{ {targets} "
                f"BIND(?this AS ?value) {cond} }} }}"
            )
            checks.append(self._check(shape, pred, None, query))
        for constraint in sorted(self.shapes.objects(shape, SH.sparql)):
            checks.append(self._sparql_check(shape, constraint, targets))
        return checks

    def _property_checks(self, prop, targets: str) -> list[CompiledCheck]:
        path = self.shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShapeError(f"sh:path of {prop} must be one IRI")
        p = f"<{path}>"
        checks = []
        for pred, obj in sorted(self.shapes.predicate_objects(prop)):
            if pred in _NOT_CONSTRAINTS or not pred.startswith(str(SH)):
                continue
            if pred == SH.minCount:
                n = int(obj)
                if n <= 0:
                    continue
                if n == 1:
                    query = (
                        f"SELECT DISTINCT ?g ?this WHERE {{ GRAPH ?g {{ {targets} "
                        f"FILTER NOT EXISTS {{ ?this {p} ?_v }} }} }}"
                    )
                else:
                    query = (
                        f"SELECT ?g ?this WHERE {{ {{ SELECT DISTINCT ?g ?this WHERE {{ GRAPH ?g "
                        f"{{ {targets} }} }} }} OPTIONAL {{ GRAPH ?g {{ ?this {p} ?_v }} }} }} "
                        f"GROUP BY ?g ?this HAVING(COUNT(DISTINCT ?_v) < {n})"
                    )
            elif pred == SH.maxCount:
                query = (
                    f"SELECT ?g ?this WHERE {{ {{ SELECT DISTINCT ?g ?this WHERE {{ GRAPH ?g "
                    f"{{ {targets} }} }} }} GRAPH ?g {{ ?this {p} ?_v }} }} "
                    f"GROUP BY ?g ?this HAVING(COUNT(DISTINCT ?_v) > {int(obj)})"
                )
            elif pred == SH["class"]:
                query = (
                    f"SELECT DISTINCT ?g ?this ?value WHERE {{ GRAPH ?g {{ {targets} "
                    f"?this {p} ?value . FILTER NOT EXISTS {{ ?value a ?_c . "
                    f"VALUES ?_c {{ {self._classes(obj)} }} }} }} }}"
                )
            else:
                cond = self._value_condition(pred, obj, prop)
                query = (
                    f"SELECT DISTINCT ?g ?this ?value WHERE {{ GRAPH ?g {{ {targets} "
                    f"?this {p} ?value . FILTER({cond}) }} }}"
                )
            checks.append(self._check(prop, pred, path, query))
        return checks

    def _sparql_check(self, shape, constraint, targets: str) -> CompiledCheck:
        select = self.shapes.value(constraint, SH.select)
        if select is None:
            raise UnsupportedShapeError(f"sh:sparql {constraint} of {shape} has no sh:select")
        text = str(select).replace("$this", "?this")
        if re.search(r"\b(VALUES|MINUS|GRAPH|SERVICE)\b|\{\s*SELECT\b", text, re.IGNORECASE):
            raise UnsupportedShapeError(f"sh:select of {constraint}: VALUES/MINUS/GRAPH/sub-query")
        start = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
        if start is None:
            raise UnsupportedShapeError(f"sh:select of {constraint} has no WHERE {{")
        body = text[start.end() : text.rindex("}")]
        prologue = "".join(
            f"PREFIX {self.shapes.value(d, SH.prefix)}: <{self.shapes.value(d, SH.namespace)}>\n"
            for ontology in self.shapes.objects(constraint, SH.prefixes)
            for d in self.shapes.objects(ontology, SH.declare)
        )
        variables = re.search(r"SELECT\s+(.*?)\s+WHERE", text, re.IGNORECASE | re.DOTALL)
        selected = variables.group(1) if variables else ""
        path_var = "?path" if "?path" in selected else ""
        value_var = "?value" if "?value" in selected else "(?this AS ?value)"
        query = (
            f"{prologue}SELECT DISTINCT ?g ?this {path_var} {value_var} WHERE {{ GRAPH ?g {{ "
            f"{{ {targets} }}\n{body}\n}} }}"
        )
        return CompiledCheck(
            shape=str(shape),
            component=str(SH.SPARQLConstraintComponent),
            severity=self._severity(shape),
            path=None,
            messages=self._messages(constraint, shape),
            query=query,
        )


def _datatype_ok(dt) -> str:
    cond = f"(isLiteral(?value) && sameTerm(DATATYPE(?value), <{dt}>)"
    if str(dt) in _CASTABLE:
        cond += f" && COALESCE(isLiteral(<{dt}>(STR(?value))), false)"
    return cond + ")"


def compile_shapes(shapes: Graph, ontology: Graph) -> list[CompiledCheck]:
    """Every constraint of ``shapes`` as one query (class closures taken from ``ontology``)."""
    return ShapeCompiler(shapes, ontology).compile()


Row = tuple[CompiledCheck, pyoxigraph.NamedNode, object, str | None, object]


def run_checks(checks: list[CompiledCheck], store: pyoxigraph.Store) -> Iterator[Row]:
    """Run every check on ``store``: (check, graph, focus, path, value or None) per result."""
    for check in checks:
        head = check.query.split("WHERE", 1)[0]
        has_path, has_value = "?path" in head, "?value" in head
        for solution in store.query(check.query):
            path = check.path
            if has_path:
                bound = solution["path"]
                path = bound.value if isinstance(bound, pyoxigraph.NamedNode) else None
            yield (
                check,
                solution["g"],
                solution["this"],
                path,
                (solution["value"] if has_value else None),
            )
