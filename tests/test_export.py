"""Exports (issue 7): TriG, N-Quads, JSON-LD, STIX 2.1 and the VoID/DCAT description.

Every export is deterministic (the same graph gives the same bytes, whatever the order it
was loaded in), written atomically, and parses back to the same graph (compared as
graphs, never as text).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
import stix2
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    parse,
)
from rdflib.compare import isomorphic

from breachkg.cli import main
from breachkg.errors import BreachkgParameterError
from breachkg.export import EXPORTERS, export_bytes, export_store, void_path
from breachkg.rdf_io import canonical_dataset
from breachkg.store import MemoryStore, OxigraphStore
from breachkg.vocab import GRAPH_NS, PREFIXES

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
SAMPLE = FIXTURES / "two-incidents.trig"
GRAPH_A = GRAPH_NS + "article/aaaaaaaaaaaaaaaa"
GRAPH_B = GRAPH_NS + "article/bbbbbbbbbbbbbbbb"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
BK = rdflib.Namespace(PREFIXES["bk"])
RDF_FORMATS = {"trig": RdfFormat.TRIG, "nquads": RdfFormat.N_QUADS}


def sample_quads() -> list[Quad]:
    return list(parse(path=str(SAMPLE), format=RdfFormat.TRIG))


def load_store(quads: list[Quad]) -> MemoryStore:
    store = MemoryStore()
    by_graph: dict[str, list[Quad]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(q)
    for graph, graph_quads in by_graph.items():  # one graph at a time, in the order given
        store.replace_graph(graph, graph_quads)
    return store


def canonical(quads) -> set[Quad]:
    return set(canonical_dataset(quads))


def assert_same_dataset(got, expected) -> None:
    got, expected = canonical(got), canonical(expected)
    missing, added = expected - got, got - expected
    assert not missing and not added, (
        f"missing {sorted(map(str, missing))[:5]} added {sorted(map(str, added))[:5]}"
    )


@pytest.fixture()
def store() -> MemoryStore:
    return load_store(sample_quads())


def test_registry_has_every_format():
    assert {"turtle", "trig", "nquads", "jsonld", "stix"} <= set(EXPORTERS)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld", "stix"])
def test_export_is_deterministic_whatever_the_load_order(fmt):
    quads = sample_quads()
    first = export_bytes(load_store(quads), fmt)
    again = export_bytes(load_store(quads), fmt)
    reversed_order = export_bytes(load_store(list(reversed(quads))), fmt)
    assert first == again == reversed_order


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dataset_formats_keep_the_named_graphs(store, fmt):
    data = export_bytes(store, fmt)
    back = list(parse(data, format=RDF_FORMATS[fmt]))
    assert {q.graph_name.value for q in back} == {GRAPH_A, GRAPH_B}
    assert_same_dataset(back, sample_quads())


def test_trig_prefix_block_is_the_sorted_prefix_map(store):
    lines = export_bytes(store, "trig").decode().splitlines()
    block = [line for line in lines if line.startswith("@prefix ")]
    assert block == [f"@prefix {p}: <{iri}> ." for p, iri in sorted(PREFIXES.items())]
    assert lines[: len(block)] == block


def test_nquads_blank_nodes_have_canonical_labels(store):
    text = export_bytes(store, "nquads").decode()
    assert "_:c14n0" in text and "note1" not in text


def test_turtle_loads_back_isomorphic_to_the_merged_graphs(store):
    data = export_bytes(store, "turtle")
    got = rdflib.Graph().parse(data=data, format="turtle")
    lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in sample_quads())
    expected = rdflib.Graph().parse(data=lines, format="nt")
    assert isomorphic(got, expected)


def test_jsonld_has_a_compact_context_and_round_trips(store):
    data = export_bytes(store, "jsonld")
    doc = json.loads(data)
    assert doc["@context"] == dict(sorted(PREFIXES.items()))
    graphs = {g["@id"]: g["@graph"] for g in doc["@graph"]}
    assert set(graphs) == {"bkg:article/aaaaaaaaaaaaaaaa", "bkg:article/bbbbbbbbbbbbbbbb"}
    incident = next(
        n for n in graphs["bkg:article/aaaaaaaaaaaaaaaa"] if "bk:Incident" in n.get("@type", [])
    )
    assert incident["bk:peopleAffected"] == [{"@type": "xsd:integer", "@value": "1200"}]
    back = list(parse(data, format=RdfFormat.JSON_LD))
    assert_same_dataset(back, sample_quads())


def test_stix_bundle_parses_strictly_and_maps_the_incidents(store):
    data = export_bytes(store, "stix")
    bundle = stix2.parse(data.decode(), allow_custom=False)
    by_type: dict[str, list] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    assert len(by_type["incident"]) == 2
    names = sorted(i.name for i in by_type["incident"])
    assert names == [
        "Data breach: Clinique du Lac (2024-03)",
        "Data breach: Laboratoire Nord (2024-09)",
    ]
    lac = next(i for i in by_type["incident"] if "Lac" in i.name)
    assert "People affected: 1200." in lac.description
    assert set(lac.labels) == {
        "attack-type:ransomware",
        "data-category:phone",
        "data-category:medical_record",
    }
    orgs = {i.name: i for i in by_type["identity"] if i.identity_class == "organization"}
    assert orgs["Clinique du Lac"].sectors == ["healthcare"]
    assert orgs["Acme Santé"].sectors == ["technology"]
    [software] = by_type["software"]
    assert (software.name, software.vendor) == ("AcmeLab", "Acme Santé")
    [actor] = by_type["threat-actor"]
    [market] = by_type["infrastructure"]
    assert (actor.name, market.name) == ("GroupX", "BreachForum Test")
    ids = {o.id: o for o in bundle.objects}
    edges = {
        (ids[r.source_ref].type, r.relationship_type, ids[r.target_ref].type)
        for r in by_type["relationship"]
    }
    assert {
        ("incident", "targets", "identity"),
        ("incident", "attributed-to", "threat-actor"),
        ("incident", "related-to", "software"),
        ("incident", "related-to", "infrastructure"),
        ("identity", "related-to", "software"),
    } <= edges
    assert lac.created.isoformat().startswith("2024-03-15")


def test_every_export_gets_a_void_description(store, tmp_path):
    out = export_store(store, "trig", tmp_path / "kg.trig")
    description = void_path(out)
    assert description.name == "kg.trig.void.ttl"
    g = rdflib.Graph().parse(description, format="turtle")
    ds = rdflib.URIRef("https://w3id.org/breachkg/dataset")
    assert (ds, rdflib.RDF.type, VOID.Dataset) in g and (ds, rdflib.RDF.type, DCAT.Dataset) in g
    triples = len(rdflib.Graph().parse(data=export_bytes(store, "turtle"), format="turtle"))
    assert int(g.value(ds, VOID.triples)) == triples
    assert g.value(ds, DCTERMS.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    incidents = [
        p for p in g.objects(ds, VOID.classPartition) if g.value(p, VOID["class"]) == BK.Incident
    ]
    assert [int(g.value(p, VOID.entities)) for p in incidents] == [2]
    subsets = set(g.objects(ds, VOID.subset))
    assert subsets == {rdflib.URIRef(GRAPH_A), rdflib.URIRef(GRAPH_B)}
    assert (
        str(g.value(rdflib.URIRef(GRAPH_A), DCTERMS.title))
        == "Invented article about Clinique du Lac"
    )
    size_a = sum(1 for q in sample_quads() if q.graph_name.value == GRAPH_A)
    assert int(g.value(rdflib.URIRef(GRAPH_A), VOID.triples)) == size_a == 40
    modified = g.value(ds, DCTERMS.modified)
    assert (str(modified), modified.datatype) == ("2024-09-15", rdflib.XSD.date)
    [dist] = g.objects(ds, DCAT.distribution)
    assert str(g.value(dist, DCTERMS.title)) == "kg.trig"
    assert str(g.value(dist, DCAT.mediaType)).endswith("/application/trig")
    again = export_store(
        load_store(list(reversed(sample_quads()))), "trig", tmp_path / "again" / "kg.trig"
    )
    assert void_path(again).read_bytes() == description.read_bytes()


def test_one_graph_can_be_exported(store, tmp_path):
    out = export_store(store, "nquads", tmp_path / "a.nq", graph=GRAPH_A)
    back = list(parse(path=str(out), format=RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in back} == {GRAPH_A}
    assert_same_dataset(back, [q for q in sample_quads() if q.graph_name.value == GRAPH_A])
    g = rdflib.Graph().parse(void_path(out), format="turtle")
    assert set(g.objects(None, VOID.subset)) == {rdflib.URIRef(GRAPH_A)}


def test_unknown_graph_is_refused_and_nothing_written(store, tmp_path):
    with pytest.raises(BreachkgParameterError, match="--graph"):
        export_store(store, "trig", tmp_path / "x.trig", graph=GRAPH_NS + "nope")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_with_format_and_graph(tmp_path, capsys):
    location = tmp_path / "store"
    with OxigraphStore(location) as disk:
        disk.replace_graphs(
            {g: [q for q in sample_quads() if q.graph_name.value == g] for g in (GRAPH_A, GRAPH_B)}
        )
    out = tmp_path / "out" / "b.jsonld"
    assert (
        main(
            ["--store", str(location), "export", "--format", "jsonld", "--graph", GRAPH_B, str(out)]
        )
        == 0
    )
    assert json.loads(out.read_text())["@graph"][0]["@id"] == "bkg:article/bbbbbbbbbbbbbbbb"
    assert void_path(out).exists()
    assert (
        main(
            [
                "--store",
                str(location),
                "export",
                "--format",
                "stix",
                "--graph",
                GRAPH_NS + "nope",
                str(tmp_path / "z.json"),
            ]
        )
        == 2
    )
    assert "--graph" in capsys.readouterr().err
    assert not (tmp_path / "z.json").exists()


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.tuples(_text, st.sampled_from([None, "fr", "en-GB"])), min_size=1, max_size=5
    )
)
def test_jsonld_and_trig_round_trip_any_literal(values):
    graph = NamedNode(GRAPH_NS + "test/literals")
    quads = [
        Quad(
            NamedNode(f"https://w3id.org/breachkg/id/place/p{i}"),
            NamedNode("https://schema.org/name"),
            Literal(v, language=lang) if lang else Literal(v),
            graph,
        )
        for i, (v, lang) in enumerate(values)
    ]
    store = load_store(quads)
    for fmt, rdf_format in (("jsonld", RdfFormat.JSON_LD), ("trig", RdfFormat.TRIG)):
        back = list(parse(export_bytes(store, fmt), format=rdf_format))
        assert_same_dataset(back, quads)


def test_stix_names_an_incident_without_victim_by_its_software():
    from breachkg.model import Incident, Organization, Software, Stated, incident_quads

    graph = GRAPH_NS + "article/cccccccccccccccc"
    software = Software("FileMover", publisher=Organization("Mover Corp", kind="publisher"))
    incident = Incident(key="filemover|2023-06", software=(Stated(software),))
    store = load_store(incident_quads(incident, source_iri=graph))
    bundle = stix2.parse(export_bytes(store, "stix").decode(), allow_custom=False)
    [found] = [o for o in bundle.objects if o.type == "incident"]
    assert found.name == "Data breach: users of FileMover"
