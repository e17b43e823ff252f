"""The SPARQL 1.1 endpoint (issue 7), served by waitress on a free loopback port.

Queried the way users query it: SPARQLWrapper for SELECT / ASK / CONSTRUCT / DESCRIBE, plain
HTTP (requests) for content negotiation, refusals, limits and the canned routes.  The
read-only app answers from worker processes over an on-disk store, as ``breachkg serve``
does; the writable app runs over an in-memory store.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import requests
from pyoxigraph import NamedNode, Quad, QueryResultsFormat, parse_query_results
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from breachkg.endpoint import (
    ProcessRunner,
    classify_query,
    create_app,
    has_service,
    make_server,
)
from breachkg.errors import BreachkgParameterError, BreachkgStoreError
from breachkg.model import (
    Incident,
    Organization,
    Software,
    Source,
    Stated,
    ThreatActor,
    incident_quads,
    source_quads,
)
from breachkg.sparql_results import negotiate
from breachkg.store import MemoryStore, OxigraphStore
from breachkg.vocab import GRAPH_NS

HERE = Path(__file__).parent
BK = "https://w3id.org/breachkg/ontology#"
GRAPH_A = GRAPH_NS + "article/aaaaaaaaaaaaaaaa"
GRAPH_B = GRAPH_NS + "article/bbbbbbbbbbbbbbbb"
VENDOR = "https://w3id.org/breachkg/id/vendor/acme-sante"


def sample_graphs() -> dict[str, list[Quad]]:
    """Two small source graphs: two incidents, one vendor, one software, one actor."""
    acme = Organization("Acme Santé", kind="publisher")
    soft = Software("AcmeLab", publisher=acme)
    graphs = {}
    for graph, victim, count, month in (
        (GRAPH_A, "Clinique du Lac", 1200, "2024-03"),
        (GRAPH_B, "Laboratoire Nord", 300, "2024-09"),
    ):
        incident = Incident(
            key=f"{victim}|{month}",
            victims=(Stated(Organization(victim, kind="clinic")),),
            software=(Stated(soft),),
            threat_actors=(Stated(ThreatActor("GroupX")),),
            affected_count=Stated(count),
            disclosed=Stated(month),
        )
        source = Source(graph=graph, title=f"About {victim}", published=month + "-15")
        graphs[graph] = source_quads(source) + incident_quads(incident, source_iri=graph)
    return graphs


class RunningServer:
    """A waitress server in a daemon thread; ``url`` carries the real port."""

    def __init__(self, app) -> None:
        self.server = make_server(app, "127.0.0.1", 0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.close()
        self.thread.join(10)


@pytest.fixture(scope="module")
def read_only_url(tmp_path_factory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("endpoint") / "store"
    with OxigraphStore(path) as store:
        store.replace_graphs(sample_graphs())
        # enough triples for a cross product that cannot finish in time
        store.replace_graph(
            GRAPH_NS + "test/filler",
            [
                Quad(
                    NamedNode(f"urn:x:{i}"),
                    NamedNode("urn:x:p"),
                    NamedNode(f"urn:x:o{i}"),
                    NamedNode(GRAPH_NS + "test/filler"),
                )
                for i in range(2000)
            ],
        )
    runner = ProcessRunner(functools.partial(OxigraphStore, path, read_only=True), workers=2)
    app = create_app(runner=runner, timeout=2.0, max_rows=50)
    server = RunningServer(app)
    yield server.url
    server.close()
    runner.close()


@pytest.fixture()
def writable_url() -> Iterator[str]:
    store = MemoryStore()
    store.replace_graphs(sample_graphs())
    app = create_app(store, allow_write=True, token="s3cret", cors=True)
    server = RunningServer(app)
    yield server.url
    server.close()


def wrapper(url: str, query: str, fmt=JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


# --- SPARQLWrapper: the four query forms ----------------------------------------------------


def test_select_through_sparqlwrapper(read_only_url):
    query = f"""PREFIX bk: <{BK}> PREFIX schema: <https://schema.org/>
    SELECT ?name ?people WHERE {{ ?i bk:victim/schema:name ?name ; bk:peopleAffected ?people }}
    ORDER BY ?name"""
    rows = wrapper(read_only_url, query).queryAndConvert()["results"]["bindings"]
    assert [(r["name"]["value"], r["people"]["value"]) for r in rows] == [
        ("Clinique du Lac", "1200"),
        ("Laboratoire Nord", "300"),
    ]
    assert rows[0]["people"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_ask_through_sparqlwrapper(read_only_url):
    yes = wrapper(read_only_url, f"ASK {{ ?s a <{BK}Incident> }}").queryAndConvert()
    no = wrapper(read_only_url, f"ASK {{ ?s a <{BK}Nothing> }}").queryAndConvert()
    assert (yes["boolean"], no["boolean"]) == (True, False)


def test_construct_through_sparqlwrapper(read_only_url):
    query = f"CONSTRUCT {{ ?s <urn:x:victim> ?v }} WHERE {{ ?s <{BK}victim> ?v }}"
    data = wrapper(read_only_url, query, TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert len(graph) == 2
    assert {str(o) for o in graph.objects()} == {
        "https://w3id.org/breachkg/id/establishment/clinique-du-lac",
        "https://w3id.org/breachkg/id/establishment/laboratoire-nord",
    }


def test_describe_through_sparqlwrapper(read_only_url):
    data = wrapper(read_only_url, f"DESCRIBE <{VENDOR}>", TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    names = {
        str(o)
        for o in graph.objects(rdflib.URIRef(VENDOR), rdflib.URIRef("https://schema.org/name"))
    }
    assert names == {"Acme Santé"}


def test_select_as_xml_and_csv_through_sparqlwrapper(read_only_url):
    query = f"SELECT ?p WHERE {{ ?i <{BK}peopleAffected> ?p }} ORDER BY ?p"
    xml = wrapper(read_only_url, query, XML).queryAndConvert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["300", "1200"]
    csv = wrapper(read_only_url, query, CSV).queryAndConvert()
    assert csv.decode().split() == ["p", "300", "1200"]


# --- protocol and content negotiation ---------------------------------------------------------

COUNT_QUERY = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?i a <{BK}Incident> }}"


@pytest.mark.parametrize(
    ("accept", "media", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("text/html;q=0.9, text/csv;q=0.5", "text/csv", "csv"),
        ("*/*", "application/sparql-results+json", "json"),
    ],
)
def test_select_results_are_negotiated(read_only_url, accept, media, expected):
    r = requests.get(
        read_only_url + "/sparql", params={"query": COUNT_QUERY}, headers={"Accept": accept}
    )
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    if expected == "csv":  # lossy: pyoxigraph does not parse it back
        assert r.text == "n\r\n2\r\n"
        return
    fmt = {
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
        "tsv": QueryResultsFormat.TSV,
    }[expected]
    solutions = list(parse_query_results(r.content, fmt))
    assert solutions[0]["n"].value == "2"


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_results_are_negotiated_and_equal(read_only_url, accept, rdflib_format):
    query = f"CONSTRUCT WHERE {{ ?i <{BK}victim> ?v . ?v <https://schema.org/name> ?n }}"
    r = requests.get(read_only_url + "/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == accept
    graph = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    assert len(graph) == 4


def test_post_direct_and_form_encoded(read_only_url):
    direct = requests.post(
        read_only_url + "/sparql",
        data=COUNT_QUERY.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    form = requests.post(
        read_only_url + "/sparql", data={"query": COUNT_QUERY}, headers={"Accept": "text/csv"}
    )
    assert direct.text == form.text == "n\r\n2\r\n"


def test_unacceptable_format_is_406(read_only_url):
    r = requests.get(
        read_only_url + "/sparql", params={"query": COUNT_QUERY}, headers={"Accept": "image/png"}
    )
    assert r.status_code == 406


def test_service_description_in_turtle(read_only_url):
    r = requests.get(read_only_url + "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(read_only_url + "/sparql")
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in graph


def test_syntax_error_is_400_without_internals(read_only_url):
    r = requests.get(read_only_url + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400
    assert r.text.startswith("query failed: ")
    assert "Traceback" not in r.text and "/tmp" not in r.text and "\n" not in r.text.strip()


def test_graph_store_read_of_one_graph(read_only_url):
    r = requests.get(
        read_only_url + "/store",
        params={"graph": GRAPH_A},
        headers={"Accept": "application/n-triples"},
    )
    assert r.status_code == 200
    expected = rdflib.Graph()
    for q in sample_graphs()[GRAPH_A]:
        expected.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    got = rdflib.Graph().parse(data=r.text, format="nt")
    assert rdflib.compare.isomorphic(got, expected)
    missing = requests.get(read_only_url + "/store", params={"graph": GRAPH_NS + "none"})
    assert missing.status_code == 404


# --- refusals and limits ----------------------------------------------------------------------


def test_update_is_refused_403(read_only_url):
    update = f'INSERT DATA {{ GRAPH <{GRAPH_A}> {{ <urn:x:a> <urn:x:b> "c" }} }}'
    via_update = requests.post(read_only_url + "/update", data={"update": update})
    via_form = requests.post(read_only_url + "/sparql", data={"update": update})
    via_query = requests.get(read_only_url + "/sparql", params={"query": update})
    assert (via_update.status_code, via_form.status_code, via_query.status_code) == (403, 403, 403)
    count = requests.get(
        read_only_url + "/sparql",
        params={"query": "ASK { <urn:x:a> ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    assert count.text.strip() == "false"


def test_load_is_refused_403(read_only_url):
    r = requests.post(
        read_only_url + "/sparql", data={"update": "LOAD <http://example.org/data.ttl>"}
    )
    assert r.status_code == 403
    r = requests.get(
        read_only_url + "/sparql", params={"query": "LOAD <http://example.org/data.ttl>"}
    )
    assert r.status_code == 403


def test_graph_store_writes_are_refused_403(read_only_url):
    put = requests.put(
        read_only_url + "/store",
        params={"graph": GRAPH_A},
        data=b"<urn:a> <urn:b> <urn:c> .",
        headers={"Content-Type": "application/n-triples"},
    )
    delete = requests.delete(read_only_url + "/store", params={"graph": GRAPH_A})
    assert (put.status_code, delete.status_code) == (403, 403)


def test_service_is_refused_400(read_only_url):
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    r = requests.get(read_only_url + "/sparql", params={"query": query})
    assert r.status_code == 400
    assert "SERVICE" in r.text


def test_timeout_is_honoured_and_the_endpoint_recovers(read_only_url):
    # 2000^3 joins: minutes of work, no result row before the deadline
    expensive = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a <urn:x:p> ?b . ?c <urn:x:p> ?d . ?e <urn:x:p> ?f "
        "FILTER(STR(?b) < STR(?d) && STR(?d) < STR(?f)) }"
    )
    r = requests.get(read_only_url + "/sparql", params={"query": expensive}, timeout=60)
    assert r.status_code == 503
    assert "time limit of 2 s" in r.text
    after = requests.get(
        read_only_url + "/sparql",
        params={"query": COUNT_QUERY},
        headers={"Accept": "text/csv"},
        timeout=60,
    )
    assert after.text == "n\r\n2\r\n"


def test_row_cap_gives_a_clear_error(read_only_url):
    r = requests.get(
        read_only_url + "/sparql", params={"query": "SELECT * WHERE { ?s <urn:x:p> ?o }"}
    )
    assert r.status_code == 400
    assert "2000 rows" in r.text and "cap of 50" in r.text
    ok = requests.get(
        read_only_url + "/sparql", params={"query": "SELECT * WHERE { ?s <urn:x:p> ?o } LIMIT 50"}
    )
    assert ok.status_code == 200


def test_request_size_is_limited(read_only_url):
    r = requests.post(read_only_url + "/sparql", data={"query": "#" * 2_000_000})
    assert r.status_code == 413


def test_concurrent_requests_all_answer(read_only_url):
    from concurrent.futures import ThreadPoolExecutor

    def ask(_):
        return requests.get(
            read_only_url + "/sparql", params={"query": COUNT_QUERY}, headers={"Accept": "text/csv"}
        ).text

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(40)))
    assert answers == ["n\r\n2\r\n"] * 40


# --- canned queries and the HTML page ---------------------------------------------------------


def test_html_page_lists_the_canned_queries(read_only_url):
    r = requests.get(read_only_url + "/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "<form" in r.text and "blast-radius" in r.text and "store?format=trig" in r.text


def test_canned_route_with_parameters(read_only_url):
    r = requests.get(
        read_only_url + "/queries/blast-radius", params={"vendor": VENDOR, "format": "json"}
    )
    assert r.status_code == 200, r.text
    [row] = r.json()["results"]["bindings"]
    assert row["vendor"]["value"] == VENDOR
    assert row["incidents"]["value"] == "2"
    assert row["people"]["value"] == "1500"


def test_canned_route_refuses_bad_parameters(read_only_url):
    missing = requests.get(read_only_url + "/queries/blast-radius")
    unknown = requests.get(read_only_url + "/queries/no-such-query")
    assert (missing.status_code, unknown.status_code) == (400, 404)


# --- writes with the token --------------------------------------------------------------------


def test_writes_need_the_bearer_token(writable_url):
    update = f'INSERT DATA {{ GRAPH <{GRAPH_A}> {{ <urn:x:a> <urn:x:b> "c" }} }}'
    anonymous = requests.post(writable_url + "/update", data={"update": update})
    wrong = requests.post(
        writable_url + "/update", data={"update": update}, headers={"Authorization": "Bearer nope"}
    )
    right = requests.post(
        writable_url + "/update",
        data={"update": update},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert (anonymous.status_code, wrong.status_code, right.status_code) == (403, 403, 204)
    put = requests.put(
        writable_url + "/store",
        params={"graph": GRAPH_NS + "test/new"},
        data=b"<urn:x:s> <urn:x:p> <urn:x:o> .",
        headers={"Content-Type": "application/n-triples", "Authorization": "Bearer s3cret"},
    )
    assert put.status_code == 201
    ask = requests.get(
        writable_url + "/sparql",
        params={"query": "ASK { <urn:x:a> <urn:x:b> 'c' . <urn:x:s> ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    assert ask.text.strip() == "true"
    assert ask.headers["Access-Control-Allow-Origin"] == "*"


def test_allow_write_without_token_is_refused():
    with pytest.raises(BreachkgParameterError, match="--token"):
        create_app(MemoryStore(), allow_write=True)


def test_public_address_needs_public_flag():
    app = create_app(MemoryStore())
    with pytest.raises(BreachkgParameterError, match="--public"):
        make_server(app, "0.0.0.0", 0)


# --- pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("SELECT * { ?s ?p ?o }", "select"),
        ("prefix ex: <http://e/> construct { ?s ex:select ?o } where { ?s ?p ?o }", "construct"),
        ("# ASK\nDESCRIBE <http://e/x>", "describe"),
        ('PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b "SELECT" }', "update"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update"),
        ("hello", "unknown"),
    ],
)
def test_classify_query(query, kind):
    assert classify_query(query) == kind


def test_has_service_ignores_variables_strings_and_names():
    assert not has_service(
        "PREFIX service: <http://e/> SELECT ?service { ?service service:x 'SERVICE' }"
    )
    assert has_service("select * { service silent <http://e/sparql> { ?s ?p ?o } }")


def test_negotiate_prefers_format_parameter_then_accept():
    offered = ["application/sparql-results+json", "text/csv"]
    assert negotiate("text/csv", "json", offered) == "application/sparql-results+json"
    assert negotiate("application/json", None, offered) == "application/sparql-results+json"
    assert negotiate(None, None, offered) == offered[0]
    assert negotiate("text/turtle", None, offered) is None


# --- the command ------------------------------------------------------------------------------


def test_breachkg_serve_prints_the_real_port_and_answers(tmp_path):
    import subprocess
    import sys

    location = tmp_path / "store"
    with OxigraphStore(location) as store:
        store.replace_graphs(sample_graphs())
    command = [
        sys.executable,
        "-m",
        "breachkg.cli",
        "--store",
        str(location),
        "serve",
        "--port",
        "0",
        "--workers",
        "1",
        "--timeout",
        "30",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # blocks until the server announces itself
        assert line.startswith("breachkg endpoint: http://127.0.0.1:"), line
        url = line.split(": ", 1)[1].strip()
        r = requests.get(
            url, params={"query": COUNT_QUERY}, headers={"Accept": "text/csv"}, timeout=30
        )
        assert r.text == "n\r\n2\r\n"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert '"GET /sparql" 200' in err  # one log line per request


def test_breachkg_serve_refuses_a_public_address_without_public(tmp_path, capsys):
    from breachkg.cli import main

    assert main(["--store", str(tmp_path), "serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "--public" in capsys.readouterr().err


def test_canned_route_takes_a_vendor_name(read_only_url):
    r = requests.get(
        read_only_url + "/queries/people-exposed-per-vendor",
        params={"vendor": "ACME Santé", "format": "csv"},
    )
    assert r.status_code == 200, r.text
    assert r.text.splitlines()[1].startswith(VENDOR + ",Acme Santé,1500,2")


def test_thread_runner_honours_the_timeout_too():
    from breachkg.endpoint import ThreadRunner

    store = MemoryStore()
    filler = NamedNode(GRAPH_NS + "test/filler")
    store.replace_graph(
        filler.value,
        [
            Quad(NamedNode(f"urn:x:{i}"), NamedNode("urn:x:p"), NamedNode(f"urn:x:o{i}"), filler)
            for i in range(400)
        ],
    )
    app = create_app(runner=ThreadRunner(store), timeout=1.0)
    server = RunningServer(app)
    try:
        # rows trickle out of a 400^3 join, so the evaluation stops at the deadline
        slow = (
            "SELECT * WHERE { ?a <urn:x:p> ?b . ?c <urn:x:p> ?d . ?e <urn:x:p> ?f "
            "FILTER(CONCAT(STR(?b), STR(?d), STR(?f)) = CONCAT(STR(?d), STR(?f), STR(?b))) }"
        )
        r = requests.get(server.url + "/sparql", params={"query": slow}, timeout=60)
        assert r.status_code == 503 and "time limit of 1 s" in r.text
    finally:
        server.close()


def test_queries_listing_describes_parameters(read_only_url):
    listing = {q["name"]: q for q in requests.get(read_only_url + "/queries").json()}
    blast = listing["blast-radius"]
    assert blast["url"] == "/queries/blast-radius" and blast["description"]
    assert [(p["name"], p["required"]) for p in blast["parameters"]] == [("vendor", True)]


def test_dataset_download_keeps_the_named_graphs(read_only_url):
    from pyoxigraph import RdfFormat, parse

    r = requests.get(read_only_url + "/store", params={"format": "trig"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/trig"
    graphs = {q.graph_name.value for q in parse(r.content, format=RdfFormat.TRIG)}
    assert {GRAPH_A, GRAPH_B} <= graphs


def test_a_worker_that_cannot_open_the_store_is_a_clean_error(tmp_path):
    opener = functools.partial(OxigraphStore, tmp_path / "missing", read_only=True)
    with pytest.raises(BreachkgStoreError, match="could not open the store: .*does not exist"):
        ProcessRunner(opener, workers=1)


class CountingRunner:
    """A ThreadRunner that counts the tasks it runs."""

    def __init__(self, store) -> None:
        from breachkg.endpoint import ThreadRunner

        self.inner, self.store, self.runs = ThreadRunner(store), store, 0

    def run(self, task, timeout):
        self.runs += 1
        return self.inner.run(task, timeout)

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize(
    ("cache", "allow_write", "expected_runs"), [(8, False, 3), (0, False, 4), (8, True, 4)]
)
def test_read_only_answers_are_cached(cache, allow_write, expected_runs):
    store = MemoryStore()
    store.replace_graphs(sample_graphs())
    runner = CountingRunner(store)
    app = create_app(runner=runner, cache=cache, allow_write=allow_write, token="t")
    client = app.test_client()
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": COUNT_QUERY}).status_code == 200
        assert client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"}).status_code == 400
    assert runner.runs == expected_runs  # successes cached, errors never


def test_a_browser_on_sparql_gets_the_query_form(read_only_url):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = requests.get(read_only_url + "/sparql", headers={"Accept": browser})
    assert r.headers["Content-Type"].startswith("text/html") and "<form" in r.text
