"""Canned SPARQL queries: find ``queries/*.rq``, read their headers, bind parameters, run them.

A canned query opens with grlc's ``#+`` YAML header (title, summary, description, tags,
parameters, columns), then plain SPARQL.  Parameters are BASIL variables: ``?_name_type``
is required, ``?__name_type`` optional.  A value is checked against its declared type,
turned into one RDF term, and bound by ONE ``VALUES`` row added at the top of the outer
``WHERE`` and repeated at the top of each sub-select that projects the variable (so a
sub-select computes one vendor, not all of them): user text never becomes query text, so
quotes, ``} UNION {`` or ``>`` in a value cannot change the query.  An ``iri`` parameter also takes a prefixed name
(``bk:peopleAffected``) or an entity name (``Softway Medical``), resolved through
``schema:name``/``skos:altLabel`` in the store, else minted with ``mint_iri``.

>>> q = find_query("establishments-per-vendor")
>>> [p.name for p in q.parameters]
['vendor', 'minimum']
>>> "VALUES (?__minimum_integer) { (\\"2\\"^^<http://www.w3.org/2001/XMLSchema#integer>) }" in bind_parameters(q, {"minimum": "2"})
True
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
import yaml
from pyoxigraph import BlankNode, Literal, NamedNode

from breachkg.errors import BreachkgInputError, BreachkgParameterError
from breachkg.iris import KINDS, mint_iri
from breachkg.resources import resource_dir
from breachkg.store import SelectResult, Store
from breachkg.vocab import ID_NS, PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = ("table", "csv", "tsv", "json")

#: header type -> variable suffix
_TYPE_SUFFIX = {
    "iri": "iri",
    "integer": "integer",
    "number": "number",
    "literal": "literal",
    "date": "xsd_date",
}
_PARAM_VAR = re.compile(r"[?$](__?)([A-Za-z0-9]+)_([A-Za-z0-9_]+)\b")
_NAME = re.compile(r"^[A-Za-z0-9]+$")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_PROLOG = re.compile(r"\A(?:\s+|#[^\n]*\n|(?:PREFIX|BASE)\b[^<]*<[^>]*>)*", re.IGNORECASE)
_UPDATE = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    """One declared query parameter; ``kind`` lets a name be minted as ``id/<kind>/<slug>``."""

    name: str
    type: str
    required: bool = False
    default: object = None
    description: str = ""
    kind: str | None = None

    @property
    def suffix(self) -> str:
        return _TYPE_SUFFIX.get(self.type, self.type.replace(":", "_"))

    @property
    def variable(self) -> str:
        return ("_" if self.required else "__") + f"{self.name}_{self.suffix}"


@dataclass(frozen=True)
class CannedQuery:
    """A query file: its stem is its name, ``sparql`` the text after the header."""

    name: str
    path: Path | None
    sparql: str
    header: dict = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()

    @property
    def title(self) -> str:
        return str(self.header.get("title") or self.name)

    @property
    def summary(self) -> str:
        return str(self.header.get("summary") or "")

    @property
    def columns(self) -> list[str]:
        return [
            c["name"] if isinstance(c, dict) else str(c) for c in self.header.get("columns", [])
        ]

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise BreachkgParameterError(name, f"unknown parameter of {self.name} (known: {known})")


# --- reading ----------------------------------------------------------------------------------


def parse_header(text: str, where: object = "query") -> tuple[dict, str]:
    """Split a query into its ``#+`` YAML header (a dict) and the SPARQL after it."""
    header_lines, rest = [], []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and lines[i].startswith("#+"):
        header_lines.append(lines[i][3:] if lines[i].startswith("#+ ") else lines[i][2:])
        i += 1
    rest = lines[i:]
    if not header_lines:
        return {}, text
    try:
        header = yaml.safe_load("".join(header_lines)) or {}
    except yaml.YAMLError as err:
        raise BreachkgInputError(
            where, f"header is not YAML: {' '.join(str(err).split())}"
        ) from None
    if not isinstance(header, dict):
        raise BreachkgInputError(where, "header is not a YAML mapping")
    return header, "".join(rest)


def declared_parameters(header: dict, where: object) -> tuple[Parameter, ...]:
    params = []
    for entry in header.get("parameters") or []:
        if not isinstance(entry, dict) or "name" not in entry or "type" not in entry:
            raise BreachkgInputError(where, f"parameter entry needs name and type: {entry!r}")
        params.append(
            Parameter(
                name=str(entry["name"]),
                type=str(entry["type"]),
                required=bool(entry.get("required", False)),
                default=entry.get("default"),
                description=str(entry.get("description", "")),
                kind=entry.get("kind"),
            )
        )
    return tuple(params)


def inferred_parameters(sparql: str) -> tuple[Parameter, ...]:
    """Parameters read from BASIL variable names, for queries without a header."""
    seen: dict[str, Parameter] = {}
    for underscores, name, suffix in _PARAM_VAR.findall(_strip_comments(sparql)):
        kind = {"iri": "iri", "integer": "integer", "number": "number", "literal": "literal"}
        ptype = kind.get(suffix, "date" if suffix == "xsd_date" else suffix)
        seen.setdefault(name, Parameter(name, ptype, required=underscores == "_"))
    return tuple(seen.values())


def read_query(text: str, name: str = "query", path: Path | None = None) -> CannedQuery:
    """A CannedQuery from query text (header optional)."""
    where = path or name
    header, sparql = parse_header(text, where)
    params = declared_parameters(header, where) if "parameters" in header else None
    return CannedQuery(
        name=name,
        path=path,
        sparql=sparql,
        header=header,
        parameters=params if params is not None else inferred_parameters(sparql),
    )


def load_query(path: str | Path) -> CannedQuery:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BreachkgInputError(path, f"cannot read query: {err.__class__.__name__}") from None
    return read_query(text, name=path.stem, path=path)


def list_queries(folder: Path | None = None) -> list[CannedQuery]:
    """Every canned query, sorted by name."""
    folder = folder or resource_dir("queries")
    return [load_query(p) for p in sorted(Path(folder).glob("*.rq"))]


def find_query(name_or_path: str, folder: Path | None = None) -> CannedQuery:
    """A canned query by name (file stem), or any ``.rq`` file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".rq", ".sparql") and candidate.exists():
        return load_query(candidate)
    path = Path(folder or resource_dir("queries")) / f"{name_or_path}.rq"
    if not _NAME_OR_STEM.match(name_or_path) or not path.exists():
        known = ", ".join(q.name for q in list_queries(folder))
        raise BreachkgParameterError(name_or_path, f"no such canned query (known: {known})")
    return load_query(path)


_NAME_OR_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


# --- checking ---------------------------------------------------------------------------------


def _strip_comments(sparql: str) -> str:
    """The query without ``#`` comments (strings and IRIs kept)."""
    out, i, n = [], 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c in "\"'":
            j = _string_end(sparql, i)
            out.append(sparql[i:j])
            i = j
        elif c == "<" and (m := re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:])):
            out.append(m.group(0))
            i += len(m.group(0))
        elif c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    long = text.startswith(quote * 3, i)
    delim = quote * 3 if long else quote
    j = i + len(delim)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(delim, j):
            return j + len(delim)
        j += 1
    return len(text)


def projection(sparql: str) -> list[str]:
    """Result variables of a SELECT, in order (runs it on an empty store)."""
    result = pyoxigraph.Store().query(sparql)
    return [v.value for v in result.variables]


def check_query(query: CannedQuery) -> list[str]:
    """Disagreements between a query's header and its text; empty when all is well."""
    problems = []
    header = query.header
    for key in ("title", "summary", "description", "tags", "parameters", "columns"):
        if key not in header:
            problems.append(f"header has no {key}")
    text = _strip_comments(query.sparql)
    used = {(u, n, s) for u, n, s in _PARAM_VAR.findall(text)}
    used_names = {n for _, n, _ in used}
    for p in query.parameters:
        if not _NAME.match(p.name):
            problems.append(f"parameter name {p.name!r} is not one alphanumeric word")
        if ("_" if p.required else "__", p.name, p.suffix) not in used:
            problems.append(f"parameter {p.name} declared but ?{p.variable} not in the query")
    declared = {p.name for p in query.parameters}
    for u, n, s in sorted(used):
        if n not in declared:
            problems.append(f"variable ?{u}{n}_{s} is not declared under parameters")
    for name in used_names & declared:
        kinds = {(u, s) for u, n, s in used if n == name}
        if len(kinds) > 1:
            problems.append(f"parameter {name} appears with several required/type forms")
    for prefix, iri in re.findall(r"PREFIX\s+([A-Za-z0-9_-]*):\s*<([^>]*)>", text, re.I):
        if PREFIXES.get(prefix) != iri:
            problems.append(f"PREFIX {prefix}: <{iri}> disagrees with breachkg.vocab.PREFIXES")
    try:
        variables = projection(query.sparql)
    except SyntaxError as err:
        return [*problems, f"syntax error: {' '.join(str(err).split())}"]
    if "columns" in header and query.columns != variables:
        problems.append(f"columns {query.columns} differ from the SELECT variables {variables}")
    return problems


# --- binding ----------------------------------------------------------------------------------

Term = NamedNode | Literal | BlankNode


def build_term(param: Parameter, value: object, store: Store | None = None) -> Term:
    """The RDF term for ``value`` checked against the parameter's type."""
    text = str(value).strip() if not isinstance(value, NamedNode | Literal) else value
    if isinstance(text, NamedNode | Literal):
        return text
    bad = BreachkgParameterError
    suffix = param.suffix
    if suffix == "iri":
        return resolve_iri(param, text, store)
    if suffix == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise bad(param.name, f"expects an integer, got {text!r}")
        return Literal(str(int(text)), datatype=NamedNode(XSD + "integer"))
    if suffix == "number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise bad(param.name, f"expects a number, got {text!r}") from None
        if not number.is_finite():
            raise bad(param.name, f"expects a finite number, got {text!r}")
        return Literal(format(number, "f"), datatype=NamedNode(XSD + "decimal"))
    if suffix == "literal":
        return Literal(text)
    if suffix == "xsd_date":
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise bad(param.name, f"expects a date YYYY-MM-DD, got {text!r}") from None
        return Literal(text, datatype=NamedNode(XSD + "date"))
    if suffix.startswith("xsd_"):
        return Literal(text, datatype=NamedNode(XSD + suffix[4:]))
    if re.fullmatch(r"[a-z]{2,3}(_[A-Za-z0-9]+)*", suffix):
        return Literal(text, language=suffix.replace("_", "-"))
    raise bad(param.name, f"has an unknown type {param.type!r}")


def resolve_iri(param: Parameter, text: str, store: Store | None = None) -> NamedNode:
    """An IRI, a prefixed name, or an entity name looked up in the store."""
    if ":" in text and text.split(":", 1)[0] in PREFIXES and " " not in text:
        prefix, local = text.split(":", 1)
        text = PREFIXES[prefix] + local
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if _ABSOLUTE_IRI.match(text):
        try:
            return NamedNode(text)
        except ValueError:
            raise BreachkgParameterError(param.name, f"is not a valid IRI: {text!r}") from None
    if not text:
        raise BreachkgParameterError(param.name, "is empty")
    found = lookup_names(store, text) if store is not None else []
    if param.kind:
        prefix = f"{ID_NS}{param.kind}/"
        preferred = [iri for iri in found if iri.startswith(prefix)]
        found = preferred or found
    if len(found) == 1:
        return NamedNode(found[0])
    if len(found) > 1:
        raise BreachkgParameterError(
            param.name, f"the name {text!r} is ambiguous: {', '.join(found[:5])}"
        )
    if param.kind in KINDS:
        return NamedNode(mint_iri(param.kind, text))
    raise BreachkgParameterError(param.name, f"no entity named {text!r} and not an IRI")


def lookup_names(store: Store, name: str) -> list[str]:
    """IRIs whose schema:name or skos:altLabel equals ``name`` ignoring case, sorted."""
    label_properties = "<https://schema.org/name>|<http://www.w3.org/2004/02/skos/core#altLabel>"
    sparql = (
        f"SELECT DISTINCT ?entity WHERE {{ VALUES ?wanted {{ {Literal(name)} }} "
        f"?entity {label_properties} ?label FILTER(LCASE(STR(?label)) = LCASE(?wanted)) }}"
    )
    rows = store.select(sparql).rows
    return sorted(r[0].value for r in rows if isinstance(r[0], NamedNode))


def outer_where_brace(sparql: str) -> int:
    """Index of the ``{`` opening the outer WHERE (first brace after the prologue)."""
    start = _PROLOG.match(sparql).end()
    i, n = start, len(sparql)
    while i < n:
        c = sparql[i]
        if c in "\"'":
            i = _string_end(sparql, i)
            continue
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "{":
            return i
        i += 1
    raise BreachkgInputError("query", "no WHERE block to bind parameters into")


def bind_parameters(
    query: CannedQuery, params: Mapping[str, object] | None = None, store: Store | None = None
) -> str:
    """The query text with ONE VALUES row for the given parameters, repeated in sub-selects.

    The row goes at the top of the outer WHERE and again at the top of each sub-select
    that projects a bound variable (see ``sub_select_groups``), so Oxigraph computes, say,
    one vendor's figures rather than every vendor's and keeping one row.

    Unknown names, missing required parameters and ill-typed values raise
    ``BreachkgParameterError`` naming the parameter.  Optional parameters left out stay
    unbound (the query's ``COALESCE`` supplies the default).
    """
    params = dict(params or {})
    bound: list[tuple[str, Term]] = []
    for name in params:
        query.parameter(name)  # unknown names fail here
    for p in query.parameters:
        if p.name in params and params[p.name] is not None:
            bound.append((p.variable, build_term(p, params[p.name], store)))
        elif p.required:
            raise BreachkgParameterError(p.name, f"is required by {query.name}")
    if not bound:
        return query.sparql
    inserts = [(outer_where_brace(query.sparql), bound)]
    for brace, group in sub_select_groups(query.sparql, [v for v, _ in bound]):
        inserts.append((brace, [(v, t) for v, t in bound if v in group]))
    sparql = query.sparql
    for brace, row_terms in sorted(inserts, key=lambda item: item[0], reverse=True):
        sparql = sparql[: brace + 1] + values_row(row_terms) + sparql[brace + 1 :]
    return sparql


def values_row(bound: list[tuple[str, Term]]) -> str:
    """``VALUES (?a ?b) { (<term> "term") }``: terms serialized by pyoxigraph, never user text."""
    variables = " ".join(f"?{v}" for v, _ in bound)
    terms = " ".join(str(t) for _, t in bound)
    return f"\n  VALUES ({variables}) {{ ({terms}) }}"


def _scan_tokens(sparql: str) -> list[tuple[int, str]]:
    """Braces, parentheses, ``SELECT`` keywords and variables with their offsets.

    Strings, IRIs and comments are skipped, so a brace or ``?x`` inside them is no token.
    """
    tokens, i, n = [], 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c in "\"'":
            i = _string_end(sparql, i)
        elif c == "<" and (m := re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:])):
            i += len(m.group(0))
        elif c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
        elif c in "{}()*":
            tokens.append((i, c))
            i += 1
        elif c in "?$" and (m := re.match(r"[?$]([A-Za-z0-9_]+)", sparql[i:])):
            tokens.append((i, "?" + m.group(1)))
            i += len(m.group(0))
        elif (m := re.match(r"[A-Za-z_][A-Za-z0-9_]*", sparql[i:])) is not None:
            if m.group(0).upper() == "SELECT":
                tokens.append((i, "SELECT"))
            i += len(m.group(0))
        else:
            i += 1
    return tokens


def sub_select_groups(sparql: str, variables: list[str]) -> list[tuple[int, set[str]]]:
    """Where a sub-select's WHERE group opens, and which of ``variables`` to bind there.

    A variable is bound inside a sub-select only when that sub-select and every sub-select
    around it project it (plainly or by ``*``) and it occurs in the group: the outer VALUES
    row then joins with the same variable, so binding it earlier keeps the results and
    spares computing the rows the outer join would drop (e.g. every other vendor).
    """
    tokens = _scan_tokens(sparql)
    wanted = set(variables)
    selects = []  # (brace offset, close offset, projected, occurring)
    for k, (_, tok) in enumerate(tokens):
        if tok != "SELECT":
            continue
        depth, projected, star, j = 0, set(), False, k + 1
        while j < len(tokens) and tokens[j][1] != "{":
            tok_j = tokens[j][1]
            if tok_j == "(":
                depth += 1
            elif tok_j == ")":
                depth -= 1
            elif depth == 0 and tok_j == "*":
                star = True
            elif depth == 0 and tok_j.startswith("?"):
                projected.add(tok_j[1:])
            j += 1
        if j >= len(tokens):
            continue
        level, end = 0, j
        occurring = set()
        for end in range(j, len(tokens)):
            tok_e = tokens[end][1]
            level += tok_e == "{"
            level -= tok_e == "}"
            if tok_e.startswith("?") and tok_e[1:] in wanted:
                occurring.add(tok_e[1:])
            if level == 0:
                break
        visible = (wanted if star else projected & wanted) & occurring
        selects.append((tokens[j][0], tokens[end][0], visible))
    groups = []
    for index, (brace, _close, visible) in enumerate(selects[1:], start=1):
        for outer_brace, outer_close, outer_visible in selects[1:index]:
            if outer_brace < brace < outer_close:
                visible = visible & outer_visible
        if visible:
            groups.append((brace, visible))
    return groups


def query_form(sparql: str) -> str:
    """'SELECT', 'ASK', 'CONSTRUCT' or 'DESCRIBE'; updates are refused."""
    body = _PROLOG.sub("", sparql, count=1)
    if _UPDATE.match(body):
        raise BreachkgInputError("query", "updates are refused: breachkg query is read-only")
    form = _FORM.match(body)
    if not form:
        raise BreachkgInputError("query", "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return form.group(1).upper()


def run_query(
    store: Store,
    query: CannedQuery | str,
    params: Mapping[str, object] | None = None,
    timeout: float | None = None,
) -> SelectResult:
    """Bind ``params`` into a canned query (by name or object) and run its SELECT."""
    if isinstance(query, str):
        query = find_query(query)
    sparql = bind_parameters(query, params, store)
    if query_form(sparql) != "SELECT":
        raise BreachkgInputError(query.name, "only SELECT queries give result rows")
    return store.select(sparql, timeout=timeout)


# --- results ----------------------------------------------------------------------------------


def term_to_json(term: Term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def term_from_json(data: dict) -> Term:
    kind = data["type"]
    if kind == "uri":
        return NamedNode(data["value"])
    if kind == "bnode":
        return BlankNode(data["value"])
    if "xml:lang" in data:
        return Literal(data["value"], language=data["xml:lang"])
    if "datatype" in data:
        return Literal(data["value"], datatype=NamedNode(data["datatype"]))
    return Literal(data["value"])


def result_to_json(result: SelectResult) -> dict:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: term_to_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def result_from_json(data: dict) -> SelectResult:
    variables = list(data["head"]["vars"])
    rows = [
        tuple(term_from_json(b[v]) if v in b else None for v in variables)
        for b in data["results"]["bindings"]
    ]
    return SelectResult(variables, rows)


def compact_iri(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best and re.fullmatch(r"[A-Za-z0-9_./%-]*", iri[len(PREFIXES[best]) :]):
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return f"<{iri}>"


def display_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact_iri(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if term.datatype.value == XSD + "decimal" and "." in term.value:
        return f"{Decimal(term.value):.4f}".rstrip("0").rstrip(".")
    return term.value


def format_result(result: SelectResult, fmt: str = "table") -> str:
    """Rows as an aligned table, CSV, TSV or SPARQL JSON results."""
    if fmt == "json":
        return json.dumps(result_to_json(result), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else t.value for t in row])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        cells = [[display_value(t) for t in row] for row in result.rows]
        widths = [
            min(60, max([len(v)] + [len(r[i]) for r in cells]))
            for i, v in enumerate(result.variables)
        ]

        def line(values: list[str]) -> str:
            parts = [
                (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                for v, w in zip(values, widths, strict=True)
            ]
            return "  ".join(parts).rstrip()

        out = [line(result.variables), line(["-" * w for w in widths])]
        out += [line(r) for r in cells]
        out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(out) + "\n"
    raise BreachkgParameterError("format", f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def describe_queries(queries: list[CannedQuery]) -> str:
    """The ``breachkg query --list`` text: name, title, parameters."""
    lines = []
    for q in queries:
        lines.append(f"{q.name}\n  {q.title}")
        for p in q.parameters:
            flag = "required" if p.required else f"optional, default {p.default}"
            if not p.required and p.default is None:
                flag = "optional"
            lines.append(f"  --param {p.name}=<{p.type}>  ({flag}) {p.description}".rstrip())
    return "\n".join(lines) + "\n"


def execute_query(
    store: Store,
    query: CannedQuery,
    params: Mapping[str, object] | None = None,
    fmt: str = "table",
    timeout: float | None = None,
) -> str:
    """Bind, run and format any read-only query: SELECT rows, ASK true/false, CONSTRUCT N-Triples."""
    if fmt not in FORMATS:
        raise BreachkgParameterError(
            "format", f"unknown format {fmt!r} (one of {', '.join(FORMATS)})"
        )
    sparql = bind_parameters(query, params, store)
    form = query_form(sparql)
    if form == "SELECT":
        return format_result(store.select(sparql, timeout=timeout), fmt)
    if form == "ASK":
        answer = store.ask(sparql, timeout=timeout)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": answer}) + "\n"
        return ("true" if answer else "false") + "\n"
    triples = store.construct(sparql, timeout=timeout)
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def parse_param_options(values: list[str], extra: list[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` values plus ``--NAME VALUE`` / ``--NAME=VALUE`` leftovers."""
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BreachkgParameterError("--param", f"expects NAME=VALUE, got {item!r}")
        params[name.strip()] = value
    i = 0
    while i < len(extra):
        item = extra[i]
        if not item.startswith("--") or len(item) < 3:
            raise BreachkgParameterError(item, "unexpected argument (parameters are --NAME VALUE)")
        name, sep, value = item[2:].partition("=")
        if not sep:
            if i + 1 >= len(extra):
                raise BreachkgParameterError(name, "has no value")
            value = extra[i + 1]
            i += 1
        params[name] = value
        i += 1
    return params
