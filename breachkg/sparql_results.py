"""SPARQL result and RDF media types: content negotiation and serialisation of results.

Why its own module: the endpoint answers SELECT/ASK as SPARQL 1.1 JSON, XML, CSV or TSV and
CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML, from the backend-neutral
``SelectResult`` (so the same code serves the embedded, in-memory and remote stores).

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", None, list(RESULT_TYPES))
'application/sparql-results+json'
>>> serialize_boolean(True, "text/csv").strip()
b'true'
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from xml.sax.saxutils import escape as xml_escape

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from breachkg.store import SelectResult
from breachkg.vocab import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Media types for SELECT and ASK results -> short name.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types for CONSTRUCT and DESCRIBE results and graph downloads -> pyoxigraph format.
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
#: Media types for a whole dataset (named graphs kept).
DATASET_TYPES = {"application/trig": RdfFormat.TRIG, "application/n-quads": RdfFormat.N_QUADS}
#: ``format=`` short names accepted instead of an Accept header.
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
}
#: Looser spellings clients send, mapped to the types above.
TYPE_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
    "application/x-trig": "application/trig",
    "text/x-nquads": "application/n-quads",
}


def _term_json(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _term_xml(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f'<literal xml:lang="{xml_escape(term.language)}">{xml_escape(term.value)}</literal>'
        if term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            dt = xml_escape(term.datatype.value, {'"': "&quot;"})
            return f'<literal datatype="{dt}">{xml_escape(term.value)}</literal>'
        return f"<literal>{xml_escape(term.value)}</literal>"
    if isinstance(term, Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        inner = "".join(f"<{n}>{_term_xml(t)}</{n}>" for n, t in parts)
        return f"<triple>{inner}</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_cell(term) -> str:
    if term is None:
        return ""
    text = (
        f"_:{term.value}"
        if isinstance(term, BlankNode)
        else str(term)
        if isinstance(term, Triple)
        else term.value
    )
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def serialize_select(result: SelectResult, media_type: str) -> bytes:
    """SELECT rows in the SPARQL 1.1 JSON, XML, CSV or TSV results format."""
    name = RESULT_TYPES[media_type]
    if name == "json":
        bindings = [
            {v: _term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if name == "xml":
        out = io.StringIO()
        out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
        out.write("<head>" + "".join(f'<variable name="{v}"/>' for v in result.variables))
        out.write("</head><results>")
        for row in result.rows:
            out.write("<result>")
            for v, t in zip(result.variables, row, strict=True):
                if t is not None:
                    out.write(f'<binding name="{v}">{_term_xml(t)}</binding>')
            out.write("</result>")
        out.write("</results></sparql>\n")
        return out.getvalue().encode("utf-8")
    if name == "csv":
        lines = [",".join(result.variables)]
        lines += [",".join(_csv_cell(t) for t in row) for row in result.rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize_boolean(value: bool, media_type: str) -> bytes:
    """An ASK answer in the JSON, XML, CSV or TSV results format."""
    name = RESULT_TYPES[media_type]
    word = "true" if value else "false"
    if name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if name == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    return (word + "\n").encode()


def serialize_triples(triples: Iterable[Triple | Quad], media_type: str) -> bytes:
    """Triples (or quads, for dataset types) in the requested RDF syntax, with PREFIXES."""
    fmt = GRAPH_TYPES.get(media_type) or DATASET_TYPES[media_type]
    if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML):
        return serialize(triples, format=fmt, prefixes=PREFIXES)
    return serialize(triples, format=fmt)


def with_charset(media_type: str) -> str:
    """``text/*`` types with ``; charset=utf-8`` (HTTP would read them as Latin-1)."""
    if media_type.startswith("text/") and "charset" not in media_type:
        return media_type + "; charset=utf-8"
    return media_type


def _parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal quality)."""
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((fields[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(r[0], r[1]) for r in ranges if r[1] > 0]


def negotiate(accept: str | None, format_param: str | None, offered: list[str]) -> str | None:
    """The media type to answer with: ``format=`` first, then Accept, else the first offered."""
    if format_param:
        wanted = FORMAT_NAMES.get(format_param.lower(), format_param.lower())
        wanted = TYPE_ALIASES.get(wanted, wanted)
        return wanted if wanted in offered else None
    if not accept:
        return offered[0]
    for media, _ in _parse_accept(accept):
        media = TYPE_ALIASES.get(media, media)
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            return next((o for o in offered if prefix == "*" or o.startswith(prefix)), None)
    return None
