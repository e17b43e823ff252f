"""Co-reference: incident IRIs from each incident's own facts, whatever the ingest order."""

from __future__ import annotations

import itertools
from pathlib import Path

from breachkg.extract import extract_article
from breachkg.extract.coref import canonical_key

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def seed(stem: str) -> str:
    (path,) = SEEDS.glob(f"{stem}_*.txt")
    return path.read_text(encoding="utf-8")


def incident_ids(text: str) -> dict[int | None, str]:
    return {
        (i.affected_count.value if i.affected_count else None): i.node.value
        for i in extract_article(text).incidents
    }


def test_the_hierarchy_of_keys():
    assert canonical_key(count=758912, victims=["x"]) == "count:758912"
    assert canonical_key(count=500000, collective_kinds=["laboratory"]) == "count:500000|laboratory"
    assert (
        canonical_key(count=500000, victims=["chu-de-rennes"])
        == "count:500000|victim:chu-de-rennes"
    )
    assert canonical_key(software=["mediboard"], date="2024-11-19") == "software:mediboard|2024"
    assert canonical_key(count=510000, victims=["v"]) == canonical_key(count=500000, victims=["v"])
    assert canonical_key(count=510000, victims=["v"]) != canonical_key(count=500000, victims=["w"])
    assert canonical_key(victims=["b", "a"], software=["s"]) == "victim:a|undated"
    assert canonical_key(quotes=["x"]).startswith("text:")


def test_seed_pairs_share_their_incident_iri():
    mediboard_a, mediboard_b = incident_ids(seed("000"))[758912], incident_ids(seed("002"))[758912]
    labs_a, labs_b = incident_ids(seed("001"))[500000], incident_ids(seed("003"))[500000]
    assert mediboard_a == mediboard_b
    assert labs_a == labs_b
    assert labs_a != mediboard_a


def test_the_amelipro_incident_stays_apart():
    amelipro = incident_ids(seed("004"))
    others = set(incident_ids(seed("001")).values()) | set(incident_ids(seed("003")).values())
    assert amelipro[510000] not in others


def test_incidents_of_one_article_never_merge():
    for stem in ("000", "001"):
        ids = [i.node.value for i in extract_article(seed(stem)).incidents]
        assert len(ids) == len(set(ids)) >= 3


def test_iris_do_not_depend_on_the_order_of_extraction():
    stems = ("000", "001", "002", "003", "004")
    first = {s: sorted(incident_ids(seed(s)).values()) for s in stems}
    for order in itertools.islice(itertools.permutations(stems), 3):
        assert {s: sorted(incident_ids(seed(s)).values()) for s in order} == first


def test_english_reports_of_one_breach_agree():
    a = extract_article(
        "Harborview Clinic said the records of 48,213 patients were stolen in a ransomware attack."
    )
    b = extract_article(
        "A ransomware gang has leaked data on 48,213 patients of Harborview Clinic, the clinic said."
    )
    assert a.incidents[0].node == b.incidents[0].node
