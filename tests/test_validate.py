"""breachkg.validate: both engines, reports, the CLI verb and the ingest hook.

The per-constraint cases live in ``test_shapes_fixtures.py``; here: the generated graphs
(both engines agree on 100k triples), one graph among many, report formats and exit codes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad

from breachkg.cli import main
from breachkg.errors import BreachkgInputError, BreachkgValidationError
from breachkg.model import LoadedSource
from breachkg.store import MemoryStore
from breachkg.validate import (
    load_shapes,
    open_data,
    rdflib_graphs,
    results_fast,
    results_pyshacl,
    validate_graph,
    validate_source,
)

HERE = Path(__file__).parent
SHAPES = HERE / "fixtures" / "shapes"
VALID = SHAPES / "IncidentShape" / "valid-full-incident.ttl"
INVALID = SHAPES / "IncidentShape" / "invalid-count-negative.ttl"
WARNING_ONLY = SHAPES / "SoftwareProductShape" / "invalid-publisher-unknown.ttl"
sys.path.insert(0, str(HERE.parent / "benchmarks"))
from generate_graph import generate, luhn_digits  # noqa: E402

BK = "https://w3id.org/breachkg/ontology#"
SH = "https://w3id.org/breachkg/shapes#"


# --- the synthetic generator ----------------------------------------------------------------
def test_generator_is_deterministic_and_sized():
    first = generate(20_000, seed=3)
    assert first == generate(20_000, seed=3)
    assert first != generate(20_000, seed=4)
    assert 20_000 <= len(first) < 20_300
    graphs = {q.graph_name.value for q in first}
    assert sum("/graph/article/" in g for g in graphs) > 150
    types = {q.object.value for q in first if q.predicate.value.endswith("#type")}
    assert {BK + "Incident", BK + "Evidence", BK + "SoftwareProduct", BK + "City"} <= types


def test_luhn_digits_make_valid_siren():
    assert luhn_digits("73282932") == "732829320"
    assert luhn_digits("38210010200000"[:13]) == "38210010200005"


def test_generated_graph_conforms_without_any_result():
    report = validate_graph(generate(30_000, seed=11))
    assert report.conforms
    assert report.results == [], report.text[:2000]


@pytest.mark.slow
def test_engines_agree_on_a_generated_100k_graph():
    quads = generate(100_000, seed=5, defects=0.05)
    store = open_data(quads)
    bundle = load_shapes()
    fast = results_fast(store, bundle)
    reference = results_pyshacl(rdflib_graphs(store), bundle)
    assert {r.key() for r in fast} == {r.key() for r in reference}
    shapes = {r.source_shape.removeprefix(SH) for r in fast}
    assert {
        "Incident-peopleAffected",
        "Incident-source",
        "EvidenceWithinTextShape",
        "IncidentDateAfterSourceShape",
    } <= shapes


# --- one graph among many, default graph ---------------------------------------------------
def broken_article(iri: str) -> list[Quad]:
    g = NamedNode(iri)
    inc = NamedNode(iri + "/incident")
    integer = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    return [
        Quad(
            inc,
            NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            NamedNode(BK + "Incident"),
            g,
        ),
        Quad(inc, NamedNode(BK + "peopleAffected"), Literal("-3", datatype=integer), g),
    ]


def test_validate_one_graph_only_targets_its_nodes():
    quads = generate(5_000, seed=2)
    bad = "https://w3id.org/breachkg/graph/article/broken"
    store = open_data(quads + broken_article(bad))
    whole = validate_graph(store)
    assert {r.source_graph for r in whole.violations} == {bad}
    good = next(q.graph_name.value for q in quads if "/article/" in q.graph_name.value)
    assert validate_graph(store, graph=good).conforms
    one = validate_graph(store, graph=bad)
    assert one.graphs == 1
    assert {(r.path, r.source_shape) for r in one.violations} == {
        (BK + "source", SH + "Incident-source"),
        (BK + "peopleAffected", SH + "Incident-peopleAffected"),
    }


def test_triples_without_graph_are_reported_with_no_source_graph():
    report = validate_graph(INVALID)
    assert [r.source_graph for r in report.results] == [None]
    assert report.results[0].value == '"-5"^^<http://www.w3.org/2001/XMLSchema#integer>'


def test_rdflib_and_quads_inputs_give_the_same_results():
    graph = rdflib.Graph().parse(INVALID, format="turtle")
    from_rdflib = validate_graph(graph)
    from_file = validate_graph(INVALID)
    assert from_rdflib.keys() == from_file.keys()


# --- reports ---------------------------------------------------------------------------------
def test_text_report_groups_by_focus_with_label_and_language():
    report = validate_graph(
        SHAPES / "OrganizationShape" / "invalid-siren-eight-digits.ttl", lang="fr"
    )
    assert '"Groupe Exemple"' in report.text
    assert "Un numéro SIREN a 9 chiffres." in report.text
    assert "bk:siren" in report.text
    english = validate_graph(SHAPES / "OrganizationShape" / "invalid-siren-eight-digits.ttl")
    assert "A SIREN number is 9 digits." in english.text


def test_warnings_alone_conform():
    report = validate_graph(WARNING_ONLY)
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]


def test_messages_in_english_and_french_on_every_constraint():
    shapes = load_shapes().shapes
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    carriers = set(shapes.subjects(sh.path, None)) | set(shapes.objects(None, sh.sparql))
    carriers |= {s for s in shapes.subjects(sh["class"], None) if (s, sh.path, None) not in shapes}
    assert len(carriers) == 55
    for node in carriers:
        langs = sorted(m.language for m in shapes.objects(node, sh.message))
        assert langs == ["en", "fr"], node


# --- CLI --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "code"),
    [(VALID, 0), (INVALID, 1), (WARNING_ONLY, 0)],
    ids=["valid", "invalid", "warning"],
)
def test_cli_exit_codes(path, code, capsys):
    assert main(["validate", str(path)]) == code
    out = capsys.readouterr().out
    assert out.startswith("breachkg validate (fast): ")


def test_cli_json_and_turtle(capsys):
    assert main(["validate", "--format", "json", "--lang", "fr", str(INVALID)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is False and data["violations"] == 1
    assert data["results"][0]["path"] == BK + "peopleAffected"
    assert data["results"][0]["message"].startswith("Une source")
    assert main(["validate", "--format", "turtle", "--engine", "pyshacl", str(INVALID)]) == 1
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in graph
    assert len(set(graph.objects(None, sh.result))) == 1


def test_cli_bad_input_exits_2(tmp_path, capsys):
    bad = tmp_path / "shapes.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert main(["validate", "--shapes", str(bad), str(VALID)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("breachkg validate: error: ") and str(bad) in err
    assert len(err.strip().splitlines()) == 1
    assert main(["validate", str(tmp_path / "data.xyz")]) == 2


def test_cli_validates_a_store(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", "--store", str(store), "--no-validate", str(INVALID)]) == 0
    capsys.readouterr()
    assert main(["validate", "--store", str(store)]) == 1
    assert "https://w3id.org/breachkg/graph/rdf/" in capsys.readouterr().out


# --- ingest hook --------------------------------------------------------------------------------
def test_ingest_refuses_an_invalid_source_and_writes_nothing():
    from breachkg.pipeline import ingest_sources

    good_quads = [q for q in generate(3_000, seed=9) if "/article/" in q.graph_name.value]
    graph = good_quads[0].graph_name.value
    good = LoadedSource(
        graph=graph, quads=[q for q in good_quads if q.graph_name.value == graph], name="good"
    )
    bad_iri = "https://w3id.org/breachkg/graph/article/bad"
    bad = LoadedSource(graph=bad_iri, quads=broken_article(bad_iri), name="bad")
    with MemoryStore() as store:
        with pytest.raises(BreachkgValidationError) as caught:
            ingest_sources(store, [good, bad], validate=validate_source)
        assert len(store) == 0
        assert not caught.value.report.conforms
        assert "bk:peopleAffected" in caught.value.report.text
        ingest_sources(store, [good], validate=validate_source)
        assert len(store) == len(good.quads)


def test_cli_ingest_validates_unless_told_not_to(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", "--store", str(store), str(INVALID)]) == 1
    err = capsys.readouterr().err
    assert "Incident-peopleAffected" in err
    assert main(["ingest", "--store", str(store), str(VALID)]) == 0


def test_unsupported_shapes_are_an_input_error_for_the_fast_engine(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "PREFIX sh: <http://www.w3.org/ns/shacl#>\nPREFIX bk: <" + BK + ">\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass bk:Incident ; sh:property [ sh:path "
        "( bk:victim bk:siren ) ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    with pytest.raises(BreachkgInputError, match="use --engine pyshacl"):
        validate_graph(VALID, shapes=shapes)
    assert not validate_graph(VALID, shapes=shapes, engine="pyshacl").conforms


# --- acceptance: the graph built from the seed articles and the samples ------------------------
def test_graph_from_seeds_and_samples_conforms_in_both_engines(seeds_dir):
    from breachkg.pipeline import ingest_inputs
    from breachkg.resources import resource_dir

    seeds = sorted(seeds_dir.glob("*.txt"))
    assert len(seeds) == 5
    with MemoryStore() as store:
        ingest_inputs(store, [*seeds, resource_dir("samples")], validate=validate_source)
        fast = validate_graph(store)
        reference = validate_graph(store, engine="pyshacl")
    assert fast.conforms, fast.text
    assert fast.keys() == reference.keys()
    assert fast.graphs >= 15


# --- random damage: both engines agree on whatever breaks -------------------------------------
def _base_quads() -> list[Quad]:
    return list(open_data(VALID))


_VALUES = [
    Literal("-1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    Literal("2031-01"),
    Literal("x", language="fr"),
    NamedNode("https://w3id.org/breachkg/id/place/france"),
    NamedNode("https://w3id.org/breachkg/vocab/attack-type/phishing"),
    Literal("7.5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    Literal("2025-02-30", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    Literal("2019", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
    NamedNode("https://w3id.org/breachkg/id/incident/test"),
    NamedNode("https://schema.org/Person"),
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engines_agree_on_randomly_damaged_graphs(data):
    quads = _base_quads()
    dropped = data.draw(st.sets(st.integers(0, len(quads) - 1), max_size=6))
    changed = data.draw(
        st.dictionaries(st.integers(0, len(quads) - 1), st.sampled_from(_VALUES), max_size=4)
    )
    damaged = [
        Quad(q.subject, q.predicate, changed.get(i, q.object), q.graph_name)
        for i, q in enumerate(quads)
        if i not in dropped
    ]
    store = open_data(damaged)
    fast = validate_graph(store)
    assert fast.keys() == validate_graph(store, engine="pyshacl").keys()


def test_cli_unknown_graph_is_an_input_error(capsys):
    assert main(["validate", "--graph", "https://example.org/nothing", str(VALID)]) == 2
    assert "--graph: no named graph https://example.org/nothing" in capsys.readouterr().err
