"""English extraction, and the held-out set written for the project (both languages).

``tests/fixtures/extract_eval/`` holds twelve short articles in our own words about real,
public incidents, with gold annotations; they are scored with the shared score.py.  The
floor asserted here is below the score measured when the set was last run (0.96) so that
honest changes elsewhere do not break the suite; the first, untuned runs of its three
batches scored 0.71, 0.67 and 0.67 (see the folder's README).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkg.cli import main
from breachkg.extract import extract_article

EVAL = Path(__file__).resolve().parent / "fixtures" / "extract_eval"
SCORE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
FACT_F1_FLOOR = 0.85


def score(gold: Path, pred: Path):
    spec = importlib.util.spec_from_file_location("breachkg_score_en", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score(gold, pred)


def test_held_out_set_scores_above_the_floor(tmp_path):
    articles = sorted(EVAL.glob("*.txt"))
    assert len(articles) == 12
    assert main(["-q", "extract", "--json", str(tmp_path), *map(str, articles)]) == 0
    tallies, fact, missing = score(EVAL / "gold", tmp_path)
    assert missing == []
    assert fact.prf()[2] >= FACT_F1_FLOOR
    assert tallies["incidents"].prf()[2] >= 0.85


def test_english_article():
    text = (
        "Northgate Health System said on 4 March 2024 that hackers stole the records of "
        "213,874 patients. The Blackreef ransomware gang claimed the attack, which exploited "
        "a flaw in the CareLink Portal software made by Medisys Labs. Stolen data included "
        "names, dates of birth and Social Security numbers."
    )
    found = extract_article(text)
    assert found.language == "en"
    (incident,) = found.incidents
    assert incident.affected_count.value == 213874
    assert incident.occurred.value == "2024-03-04" or incident.disclosed.value == "2024-03-04"
    assert [v.value.name for v in incident.victims] == ["Northgate Health System"]
    assert [a.value.name for a in incident.threat_actors] == ["Blackreef"]
    assert "CareLink Portal" in {s.value.name for s in incident.software}
    assert "Medisys Labs" in {v.value.name for v in incident.vendors}
    assert {c.value for c in incident.data_categories} >= {
        "name",
        "date_of_birth",
        "social_security_number",
    }
    assert "ransomware" in {a.value for a in incident.attack_types}


def test_english_relative_date_uses_the_publication_date():
    found = extract_article(
        "Lakeside Hospital was hit by a ransomware attack last Tuesday, the hospital said.",
        published="2024-06-13",
    )
    (incident,) = found.incidents
    assert (incident.occurred or incident.disclosed).value == "2024-06-11"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n ", "&&&& ### 1234 5678 ////", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
     "The weather was sunny in Paris yesterday and the markets closed higher."],
)  # fmt: skip
def test_no_incident_is_invented(text):
    assert extract_article(text).incidents == []


WORDS = (
    "le la les de des hôpital clinique CHU de Rennes patients personnes données volées "
    "rançongiciel LockBit 12 345 1,4 million 2023 le 3 mars mars 2024 Mediboard Dedalus "
    "France à Dax the hospital was hit by ransomware records of 8.5 million people stolen "
    "on June 3, 2024 Synnovis Qilin gang said , . ; : « » \n"
).split(" ")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=60))
def test_any_text_gives_valid_incidents_or_none(words):
    text = " ".join(words)
    found = extract_article(text)
    assert found.language in ("fr", "en")
    for incident in found.incidents:
        assert incident.node.value.startswith("https://w3id.org/breachkg/id/incident/")
        for st_value in (*incident.victims, *incident.attack_types, *incident.places):
            ev = st_value.evidence
            if ev is not None:
                assert text[ev.start : ev.end] == ev.quote


def test_operator_apposition_and_a_second_unnamed_breach():
    text = (
        "Hospital chain says ransomware attack exposed 2.7 million patients\n\n"
        "Larkspur Medical Holdings, which runs 16 hospitals in four states, said Monday that "
        "hackers stole files containing Social Security numbers and medical records of about "
        "2.7 million people. The Rhysida ransomware gang claimed the August 2023 attack.\n"
        "Separately, a dental insurer in Texas reported last week that 300,000 members were "
        "affected by a phishing attack."
    )
    first, second = extract_article(text, published="2024-03-10").incidents
    assert [v.value.name for v in first.victims] == ["Larkspur Medical Holdings"]
    assert (first.affected_count.value, first.occurred.value) == (2700000, "2023-08")
    assert second.victims == () and second.affected_count.value == 300000
    assert [a.value for a in second.attack_types] == ["phishing"]
