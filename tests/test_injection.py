"""SPARQL injection through query parameters: `breachkg query --param` and the endpoint's
canned-query routes (issue 10).

Every hostile value either is refused (one-line error, exit 2 or HTTP 400) or gives exactly
the rows that a benign value naming nothing gives: the value is data, never query text.
No value reaches an update: the store holds the same quads after every attempt.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breachkg import cli, pipeline, queries
from breachkg.endpoint import create_app
from breachkg.errors import BreachkgError
from breachkg.resources import resource_dir
from breachkg.store import MemoryStore

SAMPLES = resource_dir("samples")
HERE = Path(__file__).parent

#: Hostile parameter values: quotes, braces, UNION, comments, ``>`` in IRIs, newlines,
#: unicode escapes, updates, SERVICE, prefixed names, variables, control characters.
HOSTILE = [
    '"',
    "'",
    '"""',
    "\\",
    '\\"',
    "}",
    "{",
    "} UNION { ?s ?p ?o }",
    '"} UNION {?s ?p ?o} #',
    "'} UNION {?s ?p ?o} #",
    "> } UNION { ?s ?p ?o } <",
    "#",
    "# comment\n",
    "x\n} UNION { ?s ?p ?o",
    "\r\n}",
    "\\u0022) } UNION { ?s ?p ?o } #",
    "\u0022 } UNION { ?s ?p ?o } #",
    "\\u003E } UNION { ?s ?p ?o",
    "<http://evil.example/>",
    "<http://evil.example/> } UNION { ?s ?p ?o",
    "http://evil.example/>} UNION {?s ?p ?o}<http://x",
    "http://evil.example/a>\n} UNION {?s ?p ?o} #",
    "urn:x:y> } UNION { ?s ?p ?o } #",
    "INSERT DATA { <urn:a> <urn:a> <urn:a> }",
    "} ; INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:a> <urn:a> } } ; SELECT * {",
    "DROP ALL",
    "'; DROP ALL; --",
    "} } ; DROP ALL #",
    "CLEAR DEFAULT",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://evil.example/x.ttl>",
    "SERVICE <http://evil.example/sparql> { ?s ?p ?o }",
    "} SERVICE <http://evil.example/sparql> { ?s ?p ?o } {",
    "bk:x> } UNION { ?s ?p ?o } #",
    "bk:",
    "schema:name",
    "?s",
    "$s",
    "?__vendor_iri",
    ") } VALUES (?x) { (1) } {",
    "1 ) } UNION { (",
    "FILTER(true)",
    "\x00",
    "\u202e",
    "\ufeff",
    "<>",
    "<<>>",
    "<< <urn:a> <urn:a> <urn:a> >>",
    '"@en',
    '"^^<http://www.w3.org/2001/XMLSchema#integer>',
    "1; DROP ALL",
    "-1 } UNION { ?s ?p ?o",
    "0x10",
    "1e5",
    "NaN",
    "' OR '1'='1",
    "%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo",
    "javascript:alert(1)",
    "é\u0301",
    "\\n} DROP ALL",
    "a" * 5000,
]
#: Benign values that name nothing, per parameter type.
BENIGN = {
    "iri": "https://w3id.org/breachkg/id/nothing/benign-nonexistent",
    "literal": "zz",
    "integer": "1000000000",
}


def test_there_are_at_least_fifty_attempts():
    assert len(HOSTILE) >= 50
    assert len(set(HOSTILE)) == len(HOSTILE)


@pytest.fixture(scope="module")
def sample_store() -> MemoryStore:
    store = MemoryStore()
    pipeline.ingest_inputs(store, [SAMPLES])
    pipeline.load_ontology(store)
    return store


def quad_lines(store) -> set[str]:
    return {str(q) for q in store.quads()}


def parameter_cases() -> list[tuple[str, str, str]]:
    """(query, parameter, type) for every parameter of every canned query."""
    return [
        (q.name, p.name, p.suffix if p.suffix in BENIGN else "other")
        for q in queries.list_queries()
        for p in q.parameters
    ]


CASES = parameter_cases()


def test_every_canned_parameter_is_attacked():
    assert len(CASES) >= 15
    assert {t for _, _, t in CASES} <= set(BENIGN)


def base_params(store, query_name: str, attacked: str) -> dict[str, str]:
    """Values for the other required parameters, so that only ``attacked`` varies."""
    query = queries.find_query(query_name)
    base = {}
    for p in query.parameters:
        if p.required and p.name != attacked:
            first = store.select(
                "SELECT ?e WHERE { ?e a <https://w3id.org/breachkg/ontology#Incident> } "
                "ORDER BY ?e LIMIT 1"
            ).rows[0][0]
            base[p.name] = first.value
    return base


def outcome(store, query_name: str, params: dict[str, str], attacked: str):
    """Sorted result rows (as text, the attacked parameter's own term masked), or the error
    class.  A query may echo its parameter (blast-radius shows the vendor it was given)."""
    query = queries.find_query(query_name)
    try:
        result = queries.run_query(store, query, params)
        term = queries.build_term(query.parameter(attacked), params[attacked], store)
    except BreachkgError as err:
        assert "\n" not in str(err)
        return type(err).__name__
    mask = str(term)
    return sorted(
        tuple("<PARAM>" if str(t) == mask else str(t) for t in row) for row in result.rows
    )


@pytest.mark.parametrize("query_name, name, kind", CASES, ids=[f"{q}-{p}" for q, p, _ in CASES])
def test_hostile_values_are_data_not_query_text(sample_store, query_name, name, kind):
    before = quad_lines(sample_store)
    base = base_params(sample_store, query_name, name)
    benign = outcome(sample_store, query_name, {**base, name: BENIGN[kind]}, name)
    for value in HOSTILE:
        got = outcome(sample_store, query_name, {**base, name: value}, name)
        if isinstance(got, str):
            assert got == "BreachkgParameterError", (value, got)
        else:
            assert got == benign, (value, got[:3])
    assert quad_lines(sample_store) == before


def test_an_unbound_union_would_have_been_visible(sample_store):
    """The oracle can tell: an injected ``UNION { ?s ?p ?o }`` would add thousands of rows."""
    benign = outcome(sample_store, "establishments-per-vendor", {"vendor": BENIGN["iri"]}, "vendor")
    everything = sample_store.select("SELECT * { ?s ?p ?o }").rows
    assert len(benign) < 5 < len(everything)


# --- through the CLI ------------------------------------------------------------------------


class KeptMemoryStore(MemoryStore):
    def close(self) -> None:
        pass


@pytest.fixture()
def cli_store(monkeypatch, sample_store) -> MemoryStore:
    kept = KeptMemoryStore()
    kept._store = sample_store._store  # the same pyoxigraph store, never closed by the CLI
    monkeypatch.setattr(pipeline, "open_store", lambda **kwargs: kept)
    return kept


@pytest.mark.parametrize(
    "query_name, name", [("establishments-per-vendor", "vendor"), ("incidents-by-year", "since")]
)
def test_cli_param_injection_is_refused_or_inert(cli_store, capsys, query_name, name):
    before = quad_lines(cli_store)
    kind = "iri" if name == "vendor" else "integer"
    capsys.readouterr()
    assert cli.main(["query", query_name, "-f", "json", f"--param={name}={BENIGN[kind]}"]) == 0
    benign = json.loads(capsys.readouterr().out)["results"]["bindings"]
    for value in HOSTILE:
        code = cli.main(["query", query_name, "-f", "json", f"--param={name}={value}"])
        out, err = capsys.readouterr()
        if code == 0:
            assert json.loads(out)["results"]["bindings"] == benign, value
        else:
            assert code == 2 and "Traceback" not in err
            assert len(err.strip().splitlines()) == 1
            assert err.startswith(f"breachkg query: error: {name}: "), err
    assert quad_lines(cli_store) == before


# --- through the endpoint's canned-query routes --------------------------------------------


@pytest.fixture(scope="module")
def client(sample_store):
    app = create_app(sample_store, timeout=30.0)
    with app.test_client() as test_client:
        yield test_client


def bindings(response, store, query_name: str, name: str, value: str) -> list[str]:
    """Result rows as sorted JSON, the parameter's own term masked (see ``outcome``)."""
    term = queries.build_term(queries.find_query(query_name).parameter(name), value, store)
    rows = response.get_json()["results"]["bindings"]
    masked = [
        {
            k: "<PARAM>" if v.get("value") == getattr(term, "value", None) else v
            for k, v in r.items()
        }
        for r in rows
    ]
    return sorted(json.dumps(row, sort_keys=True) for row in masked)


ROUTE_CASES = [
    ("establishments-per-vendor", "vendor", "iri"),
    ("people-exposed-per-software", "software", "iri"),
    ("incidents-by-data-category", "lang", "literal"),
    ("incidents-by-year", "until", "integer"),
    ("blast-radius", "vendor", "iri"),
]


@pytest.mark.parametrize("query_name, name, kind", ROUTE_CASES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_canned_route_injection_is_refused_or_inert(
    client, sample_store, query_name, name, kind, method
):
    before = quad_lines(sample_store)
    accept = {"Accept": "application/sparql-results+json"}

    def call(value: str):
        if method == "GET":
            return client.get(f"/queries/{query_name}", query_string={name: value}, headers=accept)
        return client.post(f"/queries/{query_name}", data={name: value}, headers=accept)

    benign = call(BENIGN[kind])
    assert benign.status_code == 200
    expected = bindings(benign, sample_store, query_name, name, BENIGN[kind])
    for value in HOSTILE:
        response = call(value)
        assert response.status_code in (200, 400), (value, response.status_code)
        if response.status_code == 200:
            assert bindings(response, sample_store, query_name, name, value) == expected, value
        else:
            body = response.get_data(as_text=True)
            assert name in body and "Traceback" not in body
    assert quad_lines(sample_store) == before


def test_unknown_parameters_on_the_route_are_refused(client):
    response = client.get(
        "/queries/incidents-by-year", query_string={"since } UNION { ?s ?p ?o": "2020"}
    )
    assert response.status_code == 400
    assert "unknown" in response.get_data(as_text=True).lower()
