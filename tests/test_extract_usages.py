"""Supply-chain usage edges (establishment -> bk:usesSoftware -> software) read from articles.

Inline sentences are our own, in French and English, one per pattern: stated usage
(active, passive, coordinated, counted cohort, possessive, "customer of"), usage implied
by an incident's compromised software, and the cases that must give no edge (negation,
co-occurrence in unrelated clauses).  The last tests ingest ``samples/`` and ask SPARQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from breachkg.loaders.news_article import read_article

from breachkg.extract import extract_article
from breachkg.extract.entities import find_mentions
from breachkg.extract.usages import find_usages
from breachkg.pipeline import ingest_inputs
from breachkg.store import MemoryStore

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def usages_of(sentence: str, language: str) -> set[tuple[str, int | None, str, bool]]:
    found = find_usages(sentence, find_mentions(sentence, language))
    return {(u.user.name, u.user.member_count, u.software.name, u.negated) for u in found}


def edges(text: str) -> dict[tuple[str, str], object]:
    """(establishment, software) -> the Stated usage, over every incident of the text."""
    return {
        (u.value.establishment.name, u.value.software.name): u
        for incident in extract_article(text).incidents
        for u in incident.usages
    }


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        (
            "Le centre hospitalier de Nulleville utilise le logiciel Zorgmed depuis 2019.",
            "fr",
            {("centre hospitalier de Nulleville", None, "Zorgmed", False)},
        ),
        (
            "La clinique Pasteur est équipée du logiciel Zorgmed.",
            "fr",
            {("clinique Pasteur", None, "Zorgmed", False)},
        ),
        (
            "Le CHU de Brest s'appuie sur le logiciel Zorgmed et a déployé la plateforme Kalix.",
            "fr",
            {("CHU de Brest", None, "Zorgmed", False), ("CHU de Brest", None, "Kalix", False)},
        ),
        (
            "Le logiciel Zorgmed, édité par Nulltech, est utilisé par le CHU de Brest et la "
            "clinique Saint-Jean.",
            "fr",
            {
                ("CHU de Brest", None, "Zorgmed", False),
                ("clinique Saint-Jean", None, "Zorgmed", False),
            },
        ),
        (
            "Les hôpitaux de Nulleville, Brest et Quimper, clients de l'éditeur Nulltech, "
            "utilisent le logiciel Zorgmed.",
            "fr",
            {
                ("hôpital de Nulleville", None, "Zorgmed", False),
                ("CHU de Brest", None, "Zorgmed", False),
                ("hôpital de Quimper", None, "Zorgmed", False),
            },
        ),
        (
            "Le logiciel Zorgmed est utilisé par 250 établissements en France.",
            "fr",
            {("établissements", 250, "Zorgmed", False)},
        ),
        (
            "Northfield Hospital uses the CarePoint software made by Medisys Labs.",
            "en",
            {("Northfield Hospital", None, "CarePoint", False)},
        ),
        (
            "Northfield Hospital relies on MOVEit Transfer for its lab results.",
            "en",
            {("Northfield Hospital", None, "MOVEit Transfer", False)},
        ),
        (
            "The CarePoint platform, used by Northfield Hospital and Riverside Medical Center, "
            "was breached.",
            "en",
            {
                ("Northfield Hospital", None, "CarePoint", False),
                ("Riverside Medical Center", None, "CarePoint", False),
            },
        ),
        (
            "Riverside Medical Center, a customer of Medisys Labs' CarePoint platform, was hit.",
            "en",
            {("Riverside Medical Center", None, "CarePoint", False)},
        ),
        (
            "Customers of the CarePoint platform include Northfield Hospital and Riverside "
            "Medical Center.",
            "en",
            {
                ("Northfield Hospital", None, "CarePoint", False),
                ("Riverside Medical Center", None, "CarePoint", False),
            },
        ),
        (
            "The CarePoint platform is used by 120 hospitals across the state.",
            "en",
            {("hospitals", 120, "CarePoint", False)},
        ),
        # negations are kept, marked, so that they veto an implied edge
        (
            "Le CHU de Brest n'utilise pas le logiciel Zorgmed.",
            "fr",
            {("CHU de Brest", None, "Zorgmed", True)},
        ),
        (
            "Le logiciel Zorgmed n'est plus utilisé par le CHU de Brest.",
            "fr",
            {("CHU de Brest", None, "Zorgmed", True)},
        ),
        (
            "Unlike Northfield Hospital, which does not use the CarePoint platform, Riverside "
            "Medical Center was hit.",
            "en",
            {("Northfield Hospital", None, "CarePoint", True)},
        ),
        # co-occurrence is not usage
        (
            "Le CHU de Brest a recruté un directeur, tandis que le logiciel Zorgmed a été mis "
            "à jour.",
            "fr",
            set(),
        ),
        (
            "Northfield Hospital opened a new wing while the CarePoint platform shipped an update.",
            "en",
            set(),
        ),
        ("Northfield Hospital said the CarePoint platform is popular.", "en", set()),
        ("Northfield Hospital said hackers used the CarePoint platform to get in.", "en", set()),
        (
            "Le CHU de Brest a indiqué que les pirates ont utilisé le logiciel Zorgmed.",
            "fr",
            set(),
        ),
        (
            "Northfield Hospital has been using the CarePoint platform since 2019.",
            "en",
            {("Northfield Hospital", None, "CarePoint", False)},
        ),
        (
            "Une trentaine de cliniques utilisent le logiciel Zorgmed.",
            "fr",
            {("cliniques", 30, "Zorgmed", False)},
        ),
    ],
)
def test_usage_statements(sentence, language, expected):
    assert usages_of(sentence, language) == expected


def test_publisher_written_before_its_product_is_split_from_it():
    mentions = find_mentions(
        "Riverside Medical Center runs Medisys Labs' CarePoint platform.", "en"
    )
    assert ("vendor", "Medisys Labs") in {(m.role, m.name) for m in mentions}
    (software,) = [m for m in mentions if m.role == "software"]
    assert (software.name, software.related) == ("CarePoint", "Medisys Labs")


def test_stated_usage_in_an_article_has_sentence_evidence_and_a_publisher():
    text = (
        "Fuite de données au CHU de Nulleville\n\n"
        "Le CHU de Nulleville a été victime d'une cyberattaque en mars 2024. "
        "Le logiciel Zorgmed, édité par Nulltech, est utilisé par le CHU de Nulleville et la "
        "clinique Saint-Jean. Les données de 12 000 patients ont été volées."
    )
    found = edges(text)
    assert set(found) >= {
        ("CHU de Nulleville", "Zorgmed"),
        ("clinique Saint-Jean", "Zorgmed"),
    }
    usage = found[("clinique Saint-Jean", "Zorgmed")]
    ev = usage.evidence
    assert text[ev.start : ev.end] == ev.quote
    assert ev.quote.startswith("Le logiciel Zorgmed, édité par Nulltech")
    assert usage.value.software.publisher.name == "Nulltech"
    assert usage.value.establishment.kind == "clinic"


def test_counted_cohort_becomes_an_establishment_cohort():
    text = (
        "Piratage du logiciel Zorgmed\n\n"
        "Des pirates ont volé les données de 40 000 patients via le logiciel Zorgmed en mai "
        "2024. Le logiciel Zorgmed est utilisé par 250 laboratoires en France."
    )
    (incident,) = extract_article(text).incidents
    (usage,) = incident.usages
    assert usage.value.establishment.member_count == 250
    assert usage.value.establishment.kind == "laboratory"
    assert usage.value.software.name == "Zorgmed"
    # the cohort of users is not a victim of the attack
    assert all(v.value.member_count != 250 for v in incident.victims)


def test_victim_of_an_attack_through_a_software_uses_it():
    text = (
        "Ransomware at Northfield Hospital\n\n"
        "Hackers breached Northfield Hospital through a flaw in the CarePoint software and "
        "stole the records of 48,213 patients in March 2024."
    )
    found = edges(text)
    assert set(found) == {("Northfield Hospital", "CarePoint")}
    ev = found[("Northfield Hospital", "CarePoint")].evidence
    assert text[ev.start : ev.end] == ev.quote and ev.quote.startswith("Hackers breached")


def test_definite_subject_stands_for_the_incident_victim():
    text = (
        "Fuite à la clinique des Lilas\n\n"
        "La clinique des Lilas a été victime d'un piratage en mars 2024 : les dossiers de "
        "9 000 patients ont été volés. La clinique utilise le logiciel de dossier patient "
        "Zorgmed, édité par la société Nulltech."
    )
    found = edges(text)
    assert set(found) == {("clinique des Lilas", "Zorgmed")}
    assert found[("clinique des Lilas", "Zorgmed")].value.software.publisher.name == "Nulltech"


def test_possessive_product_with_its_owner_in_an_earlier_sentence():
    text = (
        "Records stolen at Riverside Family Clinic\n\n"
        "Riverside Family Clinic said an intruder copied the records of 8,400 patients in "
        "February 2024. Its records system, CareChart, is supplied by Northbridge Software."
    )
    found = edges(text)
    assert set(found) == {("Riverside Family Clinic", "CareChart")}
    usage = found[("Riverside Family Clinic", "CareChart")]
    assert usage.value.software.publisher.name == "Northbridge Software"
    assert usage.evidence.quote.startswith("Its records system")


def test_victims_of_a_vendor_unnamed_product_use_the_vendor_software():
    text = (
        "Fuite dans des cliniques\n\n"
        "Les données de 20 000 patients de la clinique Saint-Jean ont été piratées en avril "
        "2024. La clinique Saint-Jean utilisait le même logiciel, commercialisé par Nulltech."
    )
    found = edges(text)
    assert ("clinique Saint-Jean", "logiciel de Nulltech") in found


def test_no_edge_when_the_victim_is_said_not_to_use_the_software():
    text = (
        "Ransomware at Northfield Hospital\n\n"
        "Hackers breached Northfield Hospital and stole the records of 48,213 patients in "
        "March 2024, exploiting the CarePoint software. Northfield Hospital does not use the "
        "CarePoint software any more, the hospital said."
    )
    assert edges(text) == {}


def test_no_edge_from_co_occurrence_in_unrelated_clauses():
    text = (
        "Le CHU de Nulleville recrute\n\n"
        "Le CHU de Nulleville a ouvert un nouveau service en mars 2024, tandis que le "
        "logiciel Zorgmed a changé de version."
    )
    assert edges(text) == {}


def test_summary_is_the_first_evidence_sentence_cut_at_a_word():
    long_tail = " ".join(["des informations administratives"] * 12)
    text = (
        "Fuite au CHU de Nulleville\n\n"
        f"Le CHU de Nulleville a subi une cyberattaque en mars 2024 qui a exposé {long_tail}. "
        "Les données de 12 000 patients ont été volées."
    )
    (incident,) = extract_article(text).incidents
    assert incident.summary.startswith("Le CHU de Nulleville a subi une cyberattaque")
    assert incident.summary.endswith("…") and len(incident.summary) <= 201
    assert incident.summary[:-1] in text and not incident.summary[:-1].endswith(" ")


@pytest.fixture(scope="module")
def samples_store():
    store = MemoryStore()
    ingest_inputs(store, [SAMPLES])
    return store


def names_of_usages(store) -> set[tuple[str, str]]:
    result = store.select(
        "PREFIX bk: <https://w3id.org/breachkg/ontology#> "
        "PREFIX schema: <https://schema.org/> "
        "SELECT DISTINCT ?en ?sn WHERE { GRAPH ?g { ?e bk:usesSoftware ?s . "
        "?e schema:name ?en . ?s schema:name ?sn } }"
    )
    return {(row[0].value, row[1].value) for row in result.rows}


def test_samples_give_named_establishments_using_moveit(samples_store):
    pairs = names_of_usages(samples_store)
    assert {
        ("Delta Dental of California", "MOVEit Transfer"),
        ("Maximus", "MOVEit Transfer"),
        ("Welltok", "MOVEit Transfer"),
    } <= pairs
    assert ("laboratoires de biologie médicale", "logiciel de Dedalus France") in pairs


def test_samples_chain_vendor_software_establishment(samples_store):
    result = samples_store.select(
        "PREFIX bk: <https://w3id.org/breachkg/ontology#> "
        "PREFIX schema: <https://schema.org/> "
        "SELECT DISTINCT ?vn ?en WHERE { GRAPH ?g { ?e bk:usesSoftware ?s . "
        "?s bk:publishedBy ?v . ?v schema:name ?vn . ?e schema:name ?en } }"
    )
    pairs = {(row[0].value, row[1].value) for row in result.rows}
    assert ("Progress Software", "Delta Dental of California") in pairs
    assert ("Dedalus France", "laboratoires de biologie médicale") in pairs


def test_sample_usage_evidence_points_at_the_quoted_sentence(samples_store):
    result = samples_store.select(
        "PREFIX bk: <https://w3id.org/breachkg/ontology#> "
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "SELECT ?quote ?start ?end WHERE { GRAPH ?g { ?ev rdf:predicate bk:usesSoftware ; "
        "rdf:subject <https://w3id.org/breachkg/id/establishment/delta-dental-of-california> ; "
        "bk:quote ?quote ; bk:startOffset ?start ; bk:endOffset ?end } }"
    )
    ((quote, start, end),) = result.rows
    # offsets count in the article body, the headline kept apart
    text = read_article(SAMPLES / "en-2023-06-moveit-transfer-cl0p-health.txt").text
    assert "used MOVEit Transfer" in quote.value
    assert text[int(start.value) : int(end.value)] == quote.value
