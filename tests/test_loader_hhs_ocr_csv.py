"""The HHS OCR breach portal loader on real rows trimmed from the portal export.

Fixtures and where they came from: ``tests/fixtures/hhs_ocr_csv/README.md``.
``pytest --update-expected`` rewrites ``three-breaches.expected.trig``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from breachkg.loaders import hhs_ocr_csv, loader_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachkg.errors import BreachkgInputError
from breachkg.iris import mint_graph_iri, mint_incident_iri
from breachkg.model import LoadedSource
from breachkg.vocab import BK, PREFIXES, SCHEMA

FIXTURES = Path(__file__).parent / "fixtures" / "hhs_ocr_csv"
CLOSED = mint_graph_iri("hhs-ocr", "closed")
XSD = PREFIXES["xsd"]
DCTERMS = PREFIXES["dcterms"]


def load_one(name: str) -> LoadedSource:
    sources = list(hhs_ocr_csv.load(FIXTURES / name, progress=False))
    assert len(sources) == 1
    return sources[0]


def objects(source: LoadedSource, subject: str, predicate: str) -> set[str]:
    return {
        q.object.value
        for q in source.quads
        if q.subject.value == subject and q.predicate.value == str(predicate)
    }


def incident(key: str) -> str:
    return mint_incident_iri(f"hhs:{key}")


def test_three_breaches_equal_the_expected_graph(assert_expected_quads):
    source = load_one("three-breaches.csv")
    assert_expected_quads(source.quads, FIXTURES / "three-breaches.expected.trig")


def test_known_rows_give_victim_state_count_date_and_attack_types():
    source = load_one("three-breaches.csv")
    assert source.graph == CLOSED
    assert source.counts == {"rows": 3, "incidents": 3, "vendors": 1, "skipped": 0}
    bay = incident("bay-oral-surgery-and-implant-center-2024-04-26-13055")
    assert objects(source, bay, BK.peopleAffected) == {"13055"}
    assert objects(source, bay, BK.disclosedOn) == {"2024-04-26"}
    assert objects(source, bay, BK.attackType) == {
        "https://w3id.org/breachkg/vocab/attack-type/cyberattack",
        "https://w3id.org/breachkg/vocab/attack-type/phishing",
    }
    victim = (
        "https://w3id.org/breachkg/id/establishment/bay-oral-surgery-and-implant-center/wisconsin"
    )
    assert objects(source, bay, BK.victim) == {victim}
    assert objects(source, victim, SCHEMA.name) == {"Bay Oral Surgery & Implant Center"}
    state = "https://w3id.org/breachkg/id/place/wisconsin/us"
    assert objects(source, victim, BK.locatedIn) == {state}
    assert objects(source, state, BK.partOf) == {"https://w3id.org/breachkg/id/place/united-states"}
    assert "https://w3id.org/breachkg/vocab/data-category/social_security_number" in objects(
        source, bay, BK.exposedDataCategory
    )


def test_the_row_is_the_source_of_its_incident():
    source = load_one("three-breaches.csv")
    bay = incident("bay-oral-surgery-and-implant-center-2024-04-26-13055")
    row = f"{CLOSED}/row/bay-oral-surgery-and-implant-center-2024-04-26"
    assert objects(source, bay, BK.source) == {row}
    assert objects(source, row, PREFIXES["rdf"] + "type") == {str(BK.DatasetRecord)}
    assert objects(source, row, DCTERMS + "isPartOf") == {CLOSED}
    assert all(q.graph_name.value == CLOSED for q in source.quads)


def test_the_file_carries_its_license_rights_and_origin():
    source = load_one("three-breaches.csv")
    assert objects(source, CLOSED, PREFIXES["rdf"] + "type") == {str(BK.Dataset)}
    assert objects(source, CLOSED, DCTERMS + "license") == {hhs_ocr_csv.LICENSE}
    assert objects(source, CLOSED, DCTERMS + "source") == {hhs_ocr_csv.ORIGIN}
    (rights,) = objects(source, CLOSED, DCTERMS + "rights")
    assert "public domain" in rights
    assert objects(source, CLOSED, BK.textLength) == {
        str((FIXTURES / "three-breaches.csv").stat().st_size)
    }


def test_a_business_associate_named_in_the_text_is_linked_to_the_registry():
    source = load_one("three-breaches.csv")
    luke = incident("saint-luke-s-foundation-2020-08-20-360212")
    blackbaud = "https://w3id.org/breachkg/id/vendor/blackbaud"
    assert objects(source, luke, BK.involvedVendor) == {blackbaud}
    assert "https://w3id.org/breachkg/vocab/attack-type/ransomware" in objects(
        source, luke, BK.attackType
    )
    # the evidence for the vendor link is the sentence of the narrative that names it
    evidence = [
        q.subject.value
        for q in source.quads
        if q.predicate.value == PREFIXES["rdf"] + "object" and q.object.value == blackbaud
    ]
    assert len(evidence) == 1
    (quote,) = objects(source, evidence[0], BK.quote)
    assert "Blackbaud, Inc." in quote
    row = f"{CLOSED}/row/saint-luke-s-foundation-2020-08-20"
    assert objects(source, evidence[0], BK.source) == {row}


def test_theft_of_a_laptop_is_not_an_attack_type_and_the_trade_name_is_the_identity():
    source = load_one("three-breaches.csv")
    connally = incident("connally-memorial-medical-center-2019-08-19-7358")
    assert objects(source, connally, BK.attackType) == set()
    assert objects(source, connally, BK.involvedVendor) == set()  # the BA is not named
    victim = "https://w3id.org/breachkg/id/establishment/connally-memorial-medical-center/texas"
    assert objects(source, connally, BK.victim) == {victim}
    assert objects(source, victim, PREFIXES["rdf"] + "type") == {str(BK.Hospital)}
    assert objects(source, victim, PREFIXES["skos"] + "altLabel") == {
        "Wilson County Memorial Hospital District dba Connally Memorial Medical Center"
    }


def test_business_associates_spellings_and_repeated_names():
    source = load_one("business-associates.csv")
    assert source.counts["incidents"] == 10
    assert source.skipped == [("business-associates.csv:row 11", "duplicate of row 10")]
    amca = "https://w3id.org/breachkg/id/vendor/american-medical-collection-agency"
    labcorp = incident("labcorp-2019-07-13-10251784")
    bioref = incident("bioreference-laboratories-2019-07-30-425749")
    assert objects(source, labcorp, BK.involvedVendor) == {amca}
    assert objects(source, bioref, BK.involvedVendor) == {amca}
    assert objects(source, labcorp, BK.peopleAffected) == {"10251784"}
    bizmatics = "https://w3id.org/breachkg/id/vendor/bizmatics"
    assert objects(
        source, incident("illinois-valley-podiatry-group-2016-03-08-26588"), BK.involvedVendor
    ) == {bizmatics}
    # a business associate reporting its own breach is both the victim and the vendor
    mhn = incident("medical-home-network-2024-04-16-681")
    vendor = "https://w3id.org/breachkg/id/vendor/medical-home-network"
    assert objects(source, mhn, BK.victim) == {vendor}
    assert objects(source, mhn, BK.involvedVendor) == {vendor}
    assert objects(source, vendor, PREFIXES["rdf"] + "type") == {str(BK.ServiceProvider)}
    # "Anthem Inc." spelled two ways by the health plan: one establishment
    anthem = "https://w3id.org/breachkg/id/establishment/anthem/indiana"
    assert objects(source, incident("anthem-2015-02-13-78800000"), BK.victim) == {anthem}
    assert objects(source, incident("anthem-2021-10-15-2023"), BK.victim) == {anthem}
    assert objects(source, incident("anthem-2015-02-13-78800000"), BK.peopleAffected) == {
        "78800000"
    }
    # the same name and date twice: told apart by the count, both kept
    alvaria = [
        q.subject.value
        for q in source.quads
        if q.predicate.value == str(BK.recordKey)
        and q.object.value.startswith("alvaria-2023-05-26")
    ]
    assert len(alvaria) == 2


def test_malformed_rows_are_reported_and_skipped():
    source = load_one("broken-rows.csv")
    assert source.skipped == [
        ("broken-rows.csv:row 1", "non-numeric Individuals Affected ''"),
        ("broken-rows.csv:row 3", "missing Name of Covered Entity"),
        ("broken-rows.csv:row 4", "bad Breach Submission Date '13/45/2020' (no such day)"),
        ("broken-rows.csv:row 5", "non-numeric Individuals Affected 'about 500'"),
    ]
    assert source.counts["incidents"] == 1


def test_open_cases_get_their_own_graph():
    source = load_one("under-investigation.csv")
    assert source.graph == mint_graph_iri("hhs-ocr", "under-investigation")
    assert source.counts["incidents"] == 2


def test_loading_twice_gives_the_same_quads():
    first = load_one("business-associates.csv").quads
    second = load_one("business-associates.csv").quads
    assert first == second


def test_csv_files_route_to_this_loader():
    assert loader_for(FIXTURES / "three-breaches.csv").name == "hhs_ocr_csv"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("bad-header.csv", "not an HHS OCR breach export: missing column(s)"),
        ("not-utf8.csv", "not UTF-8 text"),
    ],
)
def test_bad_input_names_the_file_and_reason(case, message):
    path = FIXTURES / case
    with pytest.raises(BreachkgInputError) as err:
        list(hhs_ocr_csv.load(path, progress=False))
    expected = (FIXTURES / case.replace(".csv", ".error.txt")).read_text(encoding="utf-8").strip()
    assert str(err.value) == expected.replace("{path}", str(path))
    assert message in str(err.value)


def test_the_graphs_conform_to_the_shapes():
    from breachkg import validate

    for name in ("three-breaches.csv", "business-associates.csv", "under-investigation.csv"):
        report = validate.validate_source(load_one(name))
        assert report.conforms, validate.format_text(report)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_load_or_raise_an_input_error(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        sources = list(hhs_ocr_csv.load(path, progress=False))
    except BreachkgInputError:
        return
    assert len(sources) == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.text(max_size=12), min_size=9, max_size=9),
        max_size=4,
    )
)
def test_arbitrary_rows_load_or_are_reported(tmp_path, rows):
    import csv

    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(hhs_ocr_csv.COLUMNS)
        writer.writerows(rows)
    try:
        (source,) = hhs_ocr_csv.load(path, progress=False)
    except BreachkgInputError:
        return
    assert source.counts["incidents"] + len(source.skipped) <= max(len(rows), source.counts["rows"])
