"""The report (charts, text, network exports) and the end-to-end figures on the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachkg import queries as Q
from breachkg.cli import main
from breachkg.errors import BreachkgParameterError
from breachkg.pipeline import build_report, has_ontology, ingest_inputs, load_ontology
from breachkg.rdf_io import group_by_graph, read_rdf_file
from breachkg.report import format_number
from breachkg.store import MemoryStore, OxigraphStore

HERE = Path(__file__).parent
WORLD = HERE / "fixtures" / "queries" / "world.trig"
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
CHARTS = ["network", "timeline", "vendors-by-establishments", "vendors-by-people"]


def world_store() -> MemoryStore:
    store = MemoryStore()
    store.replace_graphs(group_by_graph(read_rdf_file(WORLD), "urn:x-breachkg:default"))
    return store


@pytest.mark.parametrize(
    ("fmt", "lang", "name"),
    [
        ("markdown", "fr", "report.md"),
        ("text", "en", "report.txt"),
        ("html", "en", "report.html"),
    ],
)
def test_report_writes_charts_and_names_the_top_vendors(tmp_path, fmt, lang, name):
    files = build_report(
        world_store(), tmp_path / "out", fmt=fmt, lang=lang, load_vocabularies=False
    )
    assert files.report == tmp_path / "out" / name
    charts = sorted(p.relative_to(tmp_path / "out").as_posix() for p in files.charts)
    assert charts == sorted(f"charts/{c}.{ext}" for c in CHARTS for ext in ("png", "svg"))
    for chart in files.charts:
        head = chart.read_bytes()[:8]
        assert head.startswith(b"\x89PNG") if chart.suffix == ".png" else b"<?xml" in head
    text = files.report.read_text(encoding="utf-8")
    by_people = text.index("Softway Medical")
    assert "Dedalus France" in text  # top by establishments (30 laboratories)
    assert format_number(759_912, lang) in text[by_people:]
    leftovers = [p.name for p in (tmp_path / "out").rglob("*") if p.name.startswith(".")]
    assert leftovers == []  # atomic writes leave no temporary files
    assert {p.name for p in files.exports} == {"supply-chain.graphml", "supply-chain.gexf"}


def test_report_links_its_charts(tmp_path):
    md = build_report(
        world_store(), tmp_path, fmt="markdown", lang="en", load_vocabularies=False
    ).report.read_text(encoding="utf-8")
    assert "![network](charts/network.png) ([SVG](charts/network.svg))" in md
    assert "| HHI (0-10000) | 7,052 |" in md
    html = build_report(
        world_store(), tmp_path, fmt="html", lang="fr", load_vocabularies=False
    ).report.read_text(encoding="utf-8")
    assert '<img src="charts/timeline.svg"' in html and 'lang="fr"' in html
    assert "Numéro de sécurité sociale" in html


def test_report_rejects_unknown_format(tmp_path):
    with pytest.raises(BreachkgParameterError, match="format"):
        build_report(world_store(), tmp_path, fmt="pdf", load_vocabularies=False)
    assert list(tmp_path.iterdir()) == []


def test_load_ontology_puts_each_file_in_its_graph():
    store = MemoryStore()
    counts = load_ontology(store)
    assert "https://w3id.org/breachkg/graph/ontology/data-categories" in counts
    assert has_ontology(store)
    ask = (
        "ASK { <https://w3id.org/breachkg/vocab/data-category/hiv_status> "
        "<https://w3id.org/breachkg/ontology#specialCategory> true }"
    )
    assert store.ask(ask)


def test_cli_report(tmp_path, capsys):
    with OxigraphStore(tmp_path / "store") as store:
        store.replace_graphs(group_by_graph(read_rdf_file(WORLD), "urn:x-breachkg:default"))
    code = main(
        [
            "--store",
            str(tmp_path / "store"),
            "report",
            "--format",
            "text",
            "--lang",
            "en",
            "--out",
            str(tmp_path / "report"),
        ]
    )
    assert code == 0
    assert "report.txt" in capsys.readouterr().out
    assert (tmp_path / "report" / "charts" / "network.svg").exists()
    assert "Dedalus France" in (tmp_path / "report" / "report.txt").read_text(encoding="utf-8")


# --- end to end: the seed articles through the article loader -------------------------------


@pytest.fixture(scope="module")
def seed_store():
    store = MemoryStore()
    ingest_inputs(store, sorted(SEEDS.glob("*.txt")))
    load_ontology(store)
    return store


@pytest.mark.slow
def test_seed_articles_softway_medical_exposes_the_most_people(seed_store):
    rows = Q.run_query(seed_store, "people-exposed-per-vendor").dicts()
    assert rows[0]["vendorName"].value == "Softway Medical"
    assert int(rows[0]["people"].value) == 758_912


@pytest.mark.slow
def test_seed_articles_dedalus_reaches_thirty_laboratories(seed_store):
    row = Q.run_query(seed_store, "blast-radius", {"vendor": "Dedalus France"}).dicts()[0]
    assert int(row["establishments"].value) == 30
    assert int(row["people"].value) == 500_000


@pytest.mark.slow
def test_seed_report_names_softway_medical(seed_store, tmp_path):
    files = build_report(seed_store, tmp_path, fmt="text", lang="fr")
    text = files.report.read_text(encoding="utf-8")
    assert "Softway Medical" in text and format_number(758_912, "fr") in text
