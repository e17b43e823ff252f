"""Store behaviour on every backend: round trips, graph swaps, the union graph, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Triple
from rdflib.compare import isomorphic

from breachkg.errors import BreachkgStoreError
from breachkg.rdf_io import canonical_dataset as canonical
from breachkg.rdf_io import group_by_graph, parse_rdf_bytes, read_rdf_file, sort_quads
from breachkg.store import (
    MemoryStore,
    OxigraphStore,
    RemoteStore,
    derive_endpoints,
    from_rdflib,
    to_rdflib_dataset,
)

FIXTURES = Path(__file__).parent / "fixtures" / "store"
TWO_GRAPHS = FIXTURES / "two-graphs.trig"
ARTICLE = "https://w3id.org/breachkg/graph/article/0123456789abcdef"
RECORD = "https://w3id.org/breachkg/graph/record/example-2024-03-01"
EX = "http://example.org/"


def fixture_graphs() -> dict[str, list[Quad]]:
    return group_by_graph(read_rdf_file(TWO_GRAPHS), default_graph=EX + "default")


def assert_same_quads(found, expected) -> None:
    found, expected = canonical(found), canonical(expected)
    missing = sorted(str(q) for q in expected if q not in found)
    added = sorted(str(q) for q in found if q not in expected)
    assert not missing and not added, f"missing {missing}\nadded {added}"


def test_fixture_has_two_named_graphs_and_no_default_graph():
    graphs = fixture_graphs()
    assert sorted(graphs) == [ARTICLE, RECORD]
    assert [len(graphs[ARTICLE]), len(graphs[RECORD])] == [27, 8]


def test_round_trip_keeps_every_named_graph(store):
    graphs = fixture_graphs()
    store.replace_graphs(graphs)
    assert store.graphs() == [ARTICLE, RECORD]
    assert len(store) == 35
    for iri, quads in graphs.items():
        assert_same_quads(store.quads(iri), quads)
    assert_same_quads(store.quads(), [q for quads in graphs.values() for q in quads])


def test_round_trip_is_isomorphic_per_graph_through_rdflib(store):
    store.replace_graphs(fixture_graphs())
    expected = rdflib.Dataset()
    expected.parse(TWO_GRAPHS, format="trig")
    found = to_rdflib_dataset(store)
    for iri in (ARTICLE, RECORD):
        assert isomorphic(found.graph(rdflib.URIRef(iri)), expected.graph(rdflib.URIRef(iri)))


def test_replace_graph_swaps_only_that_graph(store):
    store.replace_graphs(fixture_graphs())
    new = Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), Literal("new"), NamedNode(EX + "other"))
    store.replace_graph(ARTICLE, [new])
    assert list(store.quads(ARTICLE)) == [
        Quad(new.subject, new.predicate, new.object, NamedNode(ARTICLE))
    ]
    assert len(list(store.quads(RECORD))) == 8
    assert len(store) == 9


def test_replacing_twice_with_the_same_quads_changes_nothing(store):
    store.replace_graphs(fixture_graphs())
    before = canonical(store.quads())
    store.replace_graphs(fixture_graphs())
    assert canonical(store.quads()) == before
    assert len(store) == 35


def test_empty_replacement_and_remove_graph_drop_graphs(store):
    store.replace_graphs(fixture_graphs())
    store.replace_graph(ARTICLE, [])
    assert store.graphs() == [RECORD]
    store.remove_graph(RECORD)
    assert store.graphs() == [] and len(store) == 0


def test_queries_see_the_union_of_graphs(store):
    store.replace_graphs(fixture_graphs())
    # publishedBy sits in the article graph, the disclosure date in the record graph
    result = store.select(
        "PREFIX bk: <https://w3id.org/breachkg/ontology#> "
        "SELECT ?software ?disclosed WHERE { ?software bk:publishedBy ?v . "
        "?incident bk:involvedVendor ?v ; bk:disclosedOn ?disclosed }"
    )
    assert result.variables == ["software", "disclosed"]
    assert [(r["software"].value, r["disclosed"].value) for r in result.dicts()] == [
        ("https://w3id.org/breachkg/id/software/dossier-patient", "2024-03-01")
    ]
    in_one_graph = store.select(
        "PREFIX bk: <https://w3id.org/breachkg/ontology#> SELECT ?s WHERE { GRAPH ?g "
        "{ ?s bk:publishedBy ?v . ?incident bk:involvedVendor ?v } }"
    )
    assert in_one_graph.rows == []
    assert store.ask("ASK { ?i a <https://w3id.org/breachkg/ontology#Incident> }", timeout=30)
    triples = store.construct(
        "CONSTRUCT { ?i ?p ?o } WHERE { ?i a <https://w3id.org/breachkg/ontology#Incident> ; ?p ?o }"
    )
    assert len(triples) == 10 and all(isinstance(t, Triple) for t in triples)


def test_select_on_an_ask_query_is_a_store_error(store):
    with pytest.raises(BreachkgStoreError, match="not a SELECT"):
        store.select("ASK { ?s ?p ?o }")


def test_syntax_error_is_a_store_error(store):
    with pytest.raises(BreachkgStoreError):
        store.select("SELECT WHERE nonsense")


def test_failed_replacement_leaves_the_store_unchanged(store):
    store.replace_graphs(fixture_graphs())
    before = canonical(store.quads())
    star = Triple(NamedNode(EX + "a"), NamedNode(EX + "b"), NamedNode(EX + "c"))
    bad = [Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), star, NamedNode(EX + "g"))]
    with pytest.raises(BreachkgStoreError):
        store.replace_graphs({ARTICLE: [], EX + "g": bad})
    assert canonical(store.quads()) == before


def test_turtle_dumps_are_identical_on_every_backend(tmp_path, oxigraph_server):
    remote = RemoteStore(oxigraph_server + "/query")
    remote.clear()
    dumps = []
    for store in (OxigraphStore(tmp_path / "s"), MemoryStore(), remote):
        with store:
            store.replace_graphs(fixture_graphs())
            dumps.append(store.dump("turtle"))
            assert store.dump("turtle") == dumps[-1]
            assert store.dump("nquads").count(b"\n") == 35
    assert dumps[0] == dumps[1] == dumps[2]
    parsed = rdflib.Graph().parse(data=dumps[0], format="turtle")
    expected = rdflib.Dataset()
    expected.parse(TWO_GRAPHS, format="trig")
    merged = rdflib.Graph()
    for s, p, o, _ in expected.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(parsed, merged)


def test_rdflib_conversion_round_trips(store):
    store.replace_graphs(fixture_graphs())
    dataset = to_rdflib_dataset(store)
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {ARTICLE, RECORD}
    back = group_by_graph(from_rdflib(dataset), default_graph=EX + "default")
    assert_same_quads([q for quads in back.values() for q in quads], store.quads())
    plain = rdflib.Graph().parse(
        data='<http://example.org/s> <http://example.org/p> "1"@fr .', format="turtle"
    )
    assert from_rdflib(plain, graph=EX + "g") == [
        Quad(
            NamedNode(EX + "s"),
            NamedNode(EX + "p"),
            Literal("1", language="fr"),
            NamedNode(EX + "g"),
        )
    ]


def test_embedded_store_keeps_its_data_and_refuses_a_second_writer(tmp_path):
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        store.replace_graphs(fixture_graphs())
        with pytest.raises(BreachkgStoreError) as err:
            OxigraphStore(path)
        assert str(err.value) == f"store {path} is in use by another process"
    with OxigraphStore(path, read_only=True) as reader:
        assert len(reader) == 35 and reader.graphs() == [ARTICLE, RECORD]
        with pytest.raises(BreachkgStoreError, match="read-only"):
            reader.remove_graph(ARTICLE)
        with pytest.raises(BreachkgStoreError, match="read-only"):
            reader.replace_graph(EX + "new", fixture_graphs()[RECORD])
    with OxigraphStore(path) as again:
        assert len(again) == 35


def test_read_only_store_must_exist(tmp_path):
    with pytest.raises(BreachkgStoreError, match="does not exist"):
        OxigraphStore(tmp_path / "nowhere", read_only=True)


def test_embedded_query_past_its_deadline_is_a_store_error():
    with MemoryStore() as store:
        nt = "".join(f"<{EX}s{i}> <{EX}p> {i} .\n" for i in range(2000))
        store.replace_graph(EX + "g", parse_rdf_bytes(nt.encode(), "turtle"))
        with pytest.raises(BreachkgStoreError, match="timed out after 0.05 s"):
            store.select("SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?p ?y . ?c ?p ?z }", timeout=0.05)
        assert (
            store.select("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", timeout=30).rows[0][0].value
            == "2000"
        )


def test_remote_store_reports_http_errors(oxigraph_server):
    with RemoteStore(oxigraph_server) as store:
        with pytest.raises(BreachkgStoreError, match=r"/query: HTTP 400"):
            store.select("SELECT nonsense")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://h:7878", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
        (
            "http://h:7878/query",
            ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        ),
        (
            "http://h:3030/ds",
            ("http://h:3030/ds", "http://h:3030/ds/update", "http://h:3030/ds/data"),
        ),
        (
            "http://h:3030/ds/query",
            ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"),
        ),
        (
            "http://h:3030/ds/sparql",
            ("http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data"),
        ),
    ],
)
def test_endpoint_urls_follow_oxigraph_and_fuseki_conventions(given, expected):
    assert derive_endpoints(given) == expected


def test_remote_urls_can_be_overridden():
    store = RemoteStore("http://h/sparql", update_url="http://h/u", gsp_url="http://h/gsp")
    assert (store.query_url, store.update_url, store.gsp_url) == (
        "http://h/sparql",
        "http://h/u",
        "http://h/gsp",
    )


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(_TEXT, min_size=1, max_size=5), language=st.sampled_from([None, "fr", "en-GB"])
)
def test_any_literal_survives_store_and_turtle_export(values, language):
    quads = [
        Quad(
            NamedNode(f"{EX}s{i}"),
            NamedNode(EX + "p"),
            Literal(v, language=language),
            NamedNode(EX + "g"),
        )
        for i, v in enumerate(values)
    ]
    with MemoryStore() as store:
        store.replace_graph(EX + "g", quads)
        assert sort_quads(store.quads()) == sort_quads(quads)
        back = parse_rdf_bytes(store.dump("turtle"), "turtle")
    assert sorted(str(q.object) for q in back) == sorted(str(q.object) for q in quads)


def test_docstring_examples_of_the_store_layer():
    import doctest

    import breachkg.loaders.rdf_file

    import breachkg.export
    import breachkg.rdf_io
    import breachkg.store

    for module in (breachkg.rdf_io, breachkg.store, breachkg.export, breachkg.loaders.rdf_file):
        failed, attempted = doctest.testmod(module)
        assert (failed, attempted > 0) == (0, True), module.__name__


def test_ingest_sources_refuses_everything_when_one_source_does_not_conform():
    from types import SimpleNamespace

    from breachkg.errors import BreachkgValidationError
    from breachkg.model import LoadedSource
    from breachkg.pipeline import ingest_sources

    graphs = fixture_graphs()
    sources = [LoadedSource(graph=g, quads=q, name=g) for g, q in sorted(graphs.items())]
    with MemoryStore() as store:
        report = ingest_sources(store, sources, validate=lambda s: SimpleNamespace(conforms=True))
        assert report.graphs == {ARTICLE: 27, RECORD: 8} and report.sources == 2
        store.replace_graph(ARTICLE, [])
        with pytest.raises(BreachkgValidationError, match=f"graph {RECORD} does not conform"):
            ingest_sources(
                store, sources, validate=lambda s: SimpleNamespace(conforms=s.graph != RECORD)
            )
        assert store.graphs() == [RECORD] and len(store) == 8
