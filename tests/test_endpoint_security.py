"""Endpoint security (issue 10): read-only by default, bounded requests and queries, loopback
unless asked, and error answers that leak no file paths or stack traces.

The Flask test client drives ``breachkg.endpoint.create_app`` in-process; the store is
compared before and after every refused write.
"""

from __future__ import annotations

import pytest

from breachkg import cli, pipeline
from breachkg.endpoint import check_host, create_app
from breachkg.errors import BreachkgParameterError
from breachkg.resources import resource_dir
from breachkg.store import MemoryStore

SAMPLES = resource_dir("samples")
LEAKS = ("/work/", "/tmp/", "/home/", "Traceback", ".py", "site-packages", 'File "')
SPARQL_JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def sample_store() -> MemoryStore:
    store = MemoryStore()
    pipeline.ingest_inputs(store, [SAMPLES])
    return store


@pytest.fixture(scope="module")
def client(sample_store):
    app = create_app(sample_store, timeout=2.0, max_rows=100_000, max_request_bytes=100_000)
    with app.test_client() as test_client:
        yield test_client


def quad_lines(store) -> set[str]:
    return {str(q) for q in store.quads()}


def assert_no_leak(response) -> None:
    body = response.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in body, (leak, body)


# --- writes are refused -------------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "WITH <urn:g> INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "# SELECT * WHERE { ?s ?p ?o }\nDROP ALL",
    "PREFIX select: <http://example.org/SELECT#> DROP ALL",
    'INSERT DATA { <urn:a> <urn:b> "SELECT * WHERE {}" }',
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_and_loads_are_refused_on_every_route(client, sample_store, update):
    before = quad_lines(sample_store)
    attempts = [
        client.post("/update", data=update, content_type="application/sparql-update"),
        client.post("/update", data={"update": update}),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data=update, content_type="application/sparql-query"),
        client.post("/sparql", data={"query": update}),
        client.get("/sparql", query_string={"query": update}),
        client.get("/sparql", query_string={"update": update}),
    ]
    for response in attempts:
        assert response.status_code in (400, 403, 405), (update, response.status_code)
        assert_no_leak(response)
    assert quad_lines(sample_store) == before


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_writes_are_refused(client, sample_store, method):
    before = quad_lines(sample_store)
    graph = sample_store.graphs()[0]
    response = client.open(
        "/store",
        method=method,
        query_string={"graph": graph},
        data=b"<urn:a> <urn:b> <urn:c> .",
        content_type="text/turtle",
    )
    assert response.status_code == 403
    assert quad_lines(sample_store) == before


def test_writes_with_a_wrong_token_are_refused(sample_store):
    store = MemoryStore()
    store.replace_graph("urn:g", list(sample_store.quads(sample_store.graphs()[0])))
    before = quad_lines(store)
    app = create_app(store, allow_write=True, token="s3cret")
    with app.test_client() as c:
        for auth in (None, "Bearer wrong", "Basic s3cret", "Bearer s3cret-not"):
            headers = {"Authorization": auth} if auth else {}
            r = c.post("/update", data="DROP ALL", content_type="application/sparql-update",
                       headers=headers)  # fmt: skip
            assert r.status_code == 403, auth
    assert quad_lines(store) == before


SERVICES = [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
    "ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } } LIMIT 1",
]


@pytest.mark.parametrize("query", SERVICES)
def test_service_is_refused(client, query):
    for response in (
        client.get("/sparql", query_string={"query": query}),
        client.post("/sparql", data={"query": query}),
    ):
        assert response.status_code == 400
        assert "SERVICE" in response.get_data(as_text=True)
        assert_no_leak(response)


# --- bounded requests and queries ------------------------------------------------------------


def test_request_size_is_limited(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    for response in (
        client.post("/sparql", data={"query": big}),
        client.post("/sparql", data=big, content_type="application/sparql-query"),
    ):
        assert response.status_code == 413
        assert_no_leak(response)


def test_a_long_query_hits_the_deadline_and_the_endpoint_recovers(client):
    # ~2,000 quads cubed: billions of rows, stopped at the 2 s deadline
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = client.get("/sparql", query_string={"query": slow}, headers=SPARQL_JSON)
    assert response.status_code == 503
    assert "time limit of 2 s" in response.get_data(as_text=True)
    assert_no_leak(response)
    after = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers=SPARQL_JSON)
    assert after.status_code == 200 and after.get_json()["boolean"] is True


def test_from_a_file_iri_reads_no_file(client):
    """FROM names a graph of the store; the endpoint never dereferences it."""
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"},
        headers=SPARQL_JSON,
    )
    assert response.status_code in (200, 400)
    assert "root:" not in response.get_data(as_text=True)


def test_row_cap_is_a_clear_error(sample_store):
    app = create_app(sample_store, max_rows=10)
    with app.test_client() as c:
        r = c.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert r.status_code == 400 and "cap of 10" in r.get_data(as_text=True)


# --- binding addresses ---------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org"])
def test_serve_on_a_public_address_needs_public(tmp_path, capsys, host):
    store = tmp_path / "store"
    assert cli.main(["-q", "--store", str(store), "ingest", str(SAMPLES)]) == 0
    capsys.readouterr()
    code = cli.main(["--store", str(store), "serve", "--host", host, "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        f"breachkg serve: error: --host: {host} is not a loopback address; add --public"
    ]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_addresses_need_no_flag(host):
    check_host(host, public=False)


def test_public_flag_allows_a_public_address():
    check_host("0.0.0.0", public=True)
    with pytest.raises(BreachkgParameterError):
        check_host("0.0.0.0", public=False)


# --- errors leak nothing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, params",
    [
        ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p "}),
        ("GET", "/sparql", {"query": "not sparql at all"}),
        ("GET", "/sparql", {"query": "SELECT * { ?s ?p ?o }", "format": "application/x-nope"}),
        ("GET", "/sparql", {"query": "ASK {}", "default-graph-uri": "urn:g"}),
        ("GET", "/store", {"graph": "file:///work/main/breachkg/store.py"}),
        ("GET", "/queries/../../etc/passwd", {}),
        ("GET", "/queries/no-such-query", {}),
        ("GET", "/queries/incidents-by-year", {"since": "/work/main/x.py"}),
        ("GET", "/queries/evidence-for", {}),
        ("GET", "/nothing/here.py", {}),
        ("DELETE", "/sparql", {}),
        ("PATCH", "/queries", {}),
    ],
)
def test_error_answers_leak_no_paths_or_tracebacks(client, method, path, params):
    response = client.open(path, method=method, query_string=params)
    assert response.status_code >= 400
    assert_no_leak(response)


def test_an_internal_failure_is_a_bare_500(sample_store, monkeypatch):
    store = MemoryStore()
    store.replace_graph("urn:g", list(sample_store.quads(sample_store.graphs()[0])))

    def explode(*args, **kwargs):
        raise OSError(2, "No such file", "/work/main/breachkg-data/store/000123.sst")

    monkeypatch.setattr(store, "select", explode)
    app = create_app(store)
    with app.test_client() as c:
        response = c.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
        canned = c.get("/queries/incidents-by-year")
    for r in (response, canned):
        assert r.status_code == 500
        assert_no_leak(r)


def test_a_store_error_naming_a_path_is_scrubbed(sample_store, monkeypatch):
    from breachkg.errors import BreachkgStoreError

    store = MemoryStore()

    def fail(*args, **kwargs):
        raise BreachkgStoreError(
            "store /work/main/breachkg-data/store: IO error: While lock file: "
            "/work/main/breachkg-data/store/LOCK: Resource temporarily unavailable"
        )

    monkeypatch.setattr(store, "select", fail)
    with create_app(store).test_client() as c:
        r = c.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert r.status_code == 400
    assert_no_leak(r)


def test_reflected_input_is_plain_text_and_not_sniffed(client):
    script = "<script>alert(1)</script>"
    for response in (
        client.get(f"/queries/{script}"),
        client.get("/queries/incidents-by-year", query_string={"since": script}),
        client.get("/sparql", query_string={"query": f"SELECT * {{ {script} }}"}),
    ):
        assert response.status_code in (400, 404)
        assert response.mimetype == "text/plain"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
