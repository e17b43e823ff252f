"""The scored target: ``breachkg extract --json`` on the shared seeds, scored by score.py.

The seeds and their gold live beside the checkout (``../shared``); score.py is imported
from ``../shared/eval`` as it is, so the test measures exactly what the lead measures.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import fields
from pathlib import Path

import pytest

from breachkg.cli import main
from breachkg.extract import extract_article
from breachkg.model import Stated

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"


def load_score_module():
    spec = importlib.util.spec_from_file_location("breachkg_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("extract-json")
    articles = sorted(str(p) for p in SEEDS.glob("*.txt"))
    assert len(articles) == 5
    assert main(["-q", "extract", "--json", str(out), *articles]) == 0
    tallies, fact, missing = load_score_module().score(SEEDS / "gold", out)
    return out, tallies, fact, missing


def test_one_json_file_per_article(seed_scores):
    out, _, _, missing = seed_scores
    assert missing == []
    names = sorted(p.name for p in out.glob("*.json"))
    assert names == sorted(p.stem + ".json" for p in SEEDS.glob("*.txt"))
    data = json.loads((out / "002_e5947390b8cfb22a.json").read_text(encoding="utf-8"))
    assert data["language"] == "fr" and data["published"] == "2024-11-19"
    assert data["incidents"][0]["id"].startswith("https://w3id.org/breachkg/id/incident/")


def test_fact_f1_reaches_the_target(seed_scores):
    _, _, fact, _ = seed_scores
    assert fact.prf()[2] >= 0.90


def test_coreference_is_perfect(seed_scores):
    _, tallies, _, _ = seed_scores
    assert tallies["coreference"].prf()[2] == 1.0
    assert tallies["coreference"].tp == 2


def test_no_spurious_incident(seed_scores):
    _, tallies, _, _ = seed_scores
    assert tallies["incidents"].fp == 0 and tallies["incidents"].fn == 0


def stated_values(incident):
    for f in fields(incident):
        value = getattr(incident, f.name)
        items = value if isinstance(value, tuple) else (value,)
        yield from (v for v in items if isinstance(v, Stated))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_evidence_offsets_point_at_the_quoted_sentence(path):
    text = path.read_text(encoding="utf-8")
    found = extract_article(text)
    quoted = 0
    for incident in found.incidents:
        for st in stated_values(incident):
            if st.evidence is not None:
                ev = st.evidence
                assert text[ev.start : ev.end] == ev.quote
                quoted += 1
    assert quoted >= 5


def test_mediboard_supply_chain():
    text = (SEEDS / "002_e5947390b8cfb22a.txt").read_text(encoding="utf-8")
    (incident,) = extract_article(text).incidents
    (software,) = incident.software
    assert software.value.name == "Mediboard"
    assert software.value.publisher.name == "Xtrem Santé"
    assert software.value.publisher.parent.name == "Softway Medical"
    assert {a.value.name for a in incident.threat_actors} == {"near2tlg"}
    assert {m.value.name for m in incident.marketplaces} == {"BreachForums"}


def test_dedalus_cohort_uses_an_unnamed_product():
    text = (SEEDS / "003_8fe538d812ef1a42.txt").read_text(encoding="utf-8")
    (incident,) = extract_article(text).incidents
    (usage,) = {u.value for u in incident.usages}
    assert usage.establishment.member_count == 30 and usage.establishment.kind == "laboratory"
    assert usage.software.publisher.name == "Dedalus France"
    assert usage.software.name == "logiciel de Dedalus France"
    assert incident.software == ()


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02 not an article")
    out = tmp_path / "out"
    assert main(["extract", "--json", str(out), str(bad)]) == 2
    assert "bad.txt" in capsys.readouterr().err
    assert not out.exists()
