"""The VERIS JSON loader on real VCDB incident files (see tests/fixtures/veris_json/README.md).

``pytest --update-expected`` rewrites ``iron-mountain-florida-hospital.expected.trig``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from breachkg.loaders import loader_for, veris_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachkg.errors import BreachkgInputError
from breachkg.iris import mint_graph_iri, mint_incident_iri
from breachkg.model import LoadedSource
from breachkg.vocab import BK, PREFIXES, SCHEMA

FIXTURES = Path(__file__).parent / "fixtures" / "veris_json"
RDF_TYPE = PREFIXES["rdf"] + "type"
DCTERMS = PREFIXES["dcterms"]
ID = "https://w3id.org/breachkg/id/"
ATTACK = "https://w3id.org/breachkg/vocab/attack-type/"
DATA = "https://w3id.org/breachkg/vocab/data-category/"


def load_file(name: str) -> LoadedSource:
    (source,) = veris_json.load(FIXTURES / name)
    return source


def objects(source: LoadedSource, subject: str, predicate: str) -> set[str]:
    return {
        q.object.value
        for q in source.quads
        if q.subject.value == subject and q.predicate.value == str(predicate)
    }


def incident(incident_id: str) -> str:
    return mint_incident_iri(f"veris:{incident_id}")


def test_iron_mountain_file_equals_the_expected_graph(assert_expected_quads):
    source = load_file("iron-mountain-florida-hospital.json")
    assert_expected_quads(source.quads, FIXTURES / "iron-mountain-florida-hospital.expected.trig")


def test_partner_is_a_vendor_and_the_year_is_a_gyear():
    source = load_file("iron-mountain-florida-hospital.json")
    key = "32462d59-d5f8-4868-ad56-b47be3cc8b42"
    assert source.graph == mint_graph_iri("veris", key)
    inc = incident(key)
    assert objects(source, inc, BK.involvedVendor) == {ID + "vendor/iron-mountain"}
    assert objects(source, inc, BK.victim) == {ID + "establishment/florida-hospital/florida"}
    assert objects(source, inc, BK.peopleAffected) == {"6000"}
    (occurred,) = [
        q.object
        for q in source.quads
        if q.subject.value == inc and q.predicate.value == str(BK.occurredOn)
    ]
    assert (occurred.value, occurred.datatype.value) == ("2016", PREFIXES["xsd"] + "gYear")
    assert objects(source, inc, BK.exposedDataCategory) == {DATA + "medical_record"}
    assert objects(source, inc, BK.source) == {source.graph}


def test_every_graph_states_the_vcdb_license_and_attribution():
    for source in veris_json.load(FIXTURES):
        collection = veris_json.COLLECTION
        assert objects(source, source.graph, DCTERMS + "isPartOf") == {collection}
        assert objects(source, collection, RDF_TYPE) == {str(BK.Dataset)}
        assert objects(source, collection, DCTERMS + "license") == {
            "https://creativecommons.org/licenses/by-sa/4.0/"
        }
        assert objects(source, collection, DCTERMS + "source") == {
            "https://github.com/vz-risk/VCDB"
        }
        (rights,) = objects(source, collection, DCTERMS + "rights")
        assert "CC BY-SA 4.0" in rights and "Verizon" in rights


def test_french_victim_ransomware_and_country():
    source = load_file("baclesse-fr.json")
    inc = incident("4ca17160-10b0-11ec-ac2c-abfc822846a5")
    victim = ID + "establishment/centre-francois-baclesse/france"
    assert objects(source, inc, BK.victim) == {victim}
    assert objects(source, victim, SCHEMA.name) == {
        "Centre François Baclesse"
    }  # leading space gone
    assert objects(source, inc, BK.attackType) == {ATTACK + "ransomware"}
    assert objects(source, inc, BK.place) == {ID + "place/france"}
    assert objects(source, inc, BK.occurredOn) == {"2021-04-21"}
    assert objects(source, inc, BK.peopleAffected) == set()  # no data_total


def test_misconfiguration_and_count_of_people():
    source = load_file("nextmotion-fr.json")
    inc = incident("7a723c10-72c6-11eb-a46e-831b23dc7360")
    assert objects(source, inc, BK.attackType) == {ATTACK + "misconfiguration"}
    assert objects(source, inc, BK.peopleAffected) == {"900000"}
    assert objects(source, inc, BK.occurredOn) == {"2020-02-10"}


def test_secondary_victims_and_month_precision():
    source = load_file("bon-secours-secondary.json")
    inc = incident("105dbfcb-caf0-4ad8-b497-665b7a634a7d")
    assert objects(source, inc, BK.victim) == {
        ID + "establishment/bon-secours-health-system/south-carolina",
        ID + "establishment/chi-franciscan-health-highline-medical-center",
        ID + "establishment/northwest-community-hospital",
    }
    assert objects(source, inc, BK.involvedVendor) == {ID + "vendor/r-c-healthcare-management"}
    assert objects(source, inc, BK.occurredOn) == {"2016-04"}


def test_partner_notes_that_ran_into_a_sentence_give_the_name_only():
    source = load_file("childrens-national-ascend.json")
    inc = incident("7c39c24e-f765-4d01-9f09-f4816b6bf85c")
    assert objects(source, inc, BK.involvedVendor) == {ID + "vendor/ascend-healthcare-systems"}
    assert objects(source, inc, BK.attackType) == {
        ATTACK + "insider_misuse",
        ATTACK + "misconfiguration",
    }


def test_an_unidentified_victim_stays_one_per_incident():
    source = load_file("unidentified-hospital-fr.json")
    inc = incident("abe780e0-9725-11e8-8342-0f8f10fcd812")
    assert objects(source, inc, BK.victim) == {
        ID + "establishment/unidentified-hospital/abe780e0-9725-11e8-8342-0f8f10fcd812"
    }


def test_fields_that_cannot_be_read_are_reported():
    source = load_file("bad-fields.json")
    assert source.skipped == [
        ("bad-fields.json:attribute.confidentiality.data_total", "not a count: 'lots'"),
        ("bad-fields.json:timeline.incident", "bad month 13"),
    ]
    inc = incident("bad-fields-0001")
    assert objects(source, inc, BK.peopleAffected) == set()
    assert objects(source, inc, BK.occurredOn) == set()


def test_a_folder_gives_one_graph_per_file():
    sources = list(veris_json.load(FIXTURES))
    assert len(sources) == 8
    assert len({s.graph for s in sources}) == 8


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("truncated.json", "not JSON: Expecting value at line 1"),
        ("no-incident-id.json", "not a VERIS incident: no incident_id"),
    ],
)
def test_bad_files_raise_an_input_error_naming_them(case, reason):
    path = FIXTURES / "bad" / case
    with pytest.raises(BreachkgInputError) as err:
        list(veris_json.load(path))
    assert str(err.value) == f"{path}: {reason}"


def test_loading_twice_gives_the_same_quads():
    assert [s.quads for s in veris_json.load(FIXTURES)] == [
        s.quads for s in veris_json.load(FIXTURES)
    ]


def test_json_files_route_to_this_loader():
    assert loader_for(FIXTURES / "baclesse-fr.json").name == "veris_json"


def test_the_graphs_conform_to_the_shapes():
    from breachkg import validate

    for source in veris_json.load(FIXTURES):
        report = validate.validate_source(source)
        assert report.conforms, validate.format_text(report)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
veris_keys = st.sampled_from(
    ["victim", "action", "attribute", "timeline", "actor", "summary", "reference", "plus"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(veris_keys, json_values, max_size=6), st.booleans())
def test_arbitrary_json_loads_or_raises_an_input_error(tmp_path, data, with_id):
    if with_id:
        data["incident_id"] = "fuzz-1"
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        (source,) = veris_json.load(path)
    except BreachkgInputError:
        return
    assert source.graph == mint_graph_iri("veris", "fuzz-1")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_load_or_raise_an_input_error(tmp_path, data):
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    try:
        list(veris_json.load(path))
    except BreachkgInputError:
        pass
