"""``breachkg demo``: a fresh store from the shipped samples, summarized and exported."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import rdflib

from breachkg import cli, pipeline
from breachkg.errors import BreachkgParameterError
from breachkg.store import OxigraphStore

PREFIX = "PREFIX bk: <https://w3id.org/breachkg/ontology#>\nPREFIX schema: <https://schema.org/>\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """One demo run through the CLI (the extractor is the real one), shared by the tests."""
    root = tmp_path_factory.mktemp("demo")
    store, out = root / "store", root / "out"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = cli.main(["demo", "--store", str(store), "--out", str(out)])
    assert code == 0
    return store, out, stdout.getvalue().splitlines()


def test_demo_prints_one_heading_per_step(demo):
    _, _, lines = demo
    n = len(pipeline.DEMO_STEPS)
    headings = [line for line in lines if line.startswith("[")]
    assert headings == [f"[{i}/{n}] {title}" for i, (title, _) in enumerate(pipeline.DEMO_STEPS, 1)]
    titles = [title for title, _ in pipeline.DEMO_STEPS]
    assert titles[0] == "ingest the sample articles"
    assert titles.index("summarize the graph") < titles.index("export Turtle")
    assert any(line.startswith("  12 articles") for line in lines)


def test_demo_store_holds_the_samples_and_the_mediboard_incident(demo):
    store_dir, _, _ = demo
    with OxigraphStore(store_dir, read_only=True) as store:
        sources = store.select(
            PREFIX + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s bk:textSha256 ?h }"
        )
        assert int(sources.rows[0][0].value) >= 12
        mediboard = store.select(
            PREFIX
            + """SELECT DISTINCT ?incident WHERE {
                ?incident a bk:Incident ; bk:peopleAffected 758912 .
                { ?incident bk:involvedVendor/schema:name "Softway Medical" }
                UNION { ?incident bk:compromisedSoftware/bk:publishedBy+/schema:name
                        "Softway Medical" }
                UNION { ?incident bk:compromisedSoftware/bk:publishedBy/bk:parentOrganization+
                        /schema:name "Softway Medical" }
            }"""
        )
        assert len(mediboard.rows) == 1


def test_demo_turtle_export_parses(demo):
    _, out, _ = demo
    graph = rdflib.Graph().parse(out / "breachkg.ttl", format="turtle")
    incidents = set(
        graph.subjects(
            rdflib.RDF.type, rdflib.URIRef("https://w3id.org/breachkg/ontology#Incident")
        )
    )
    assert len(incidents) >= 10


def test_demo_refuses_to_wipe_a_folder_that_is_not_a_store(tmp_path):
    keep = tmp_path / "precious"
    keep.mkdir()
    (keep / "notes.txt").write_text("not a store")
    with pytest.raises(BreachkgParameterError, match="refusing to wipe"):
        pipeline.run_demo(keep, tmp_path / "out", echo=lambda line: None)
    assert (keep / "notes.txt").read_text() == "not a store"


def test_demo_steps_can_be_extended(tmp_path):
    seen: list[str] = []

    def count_graphs(run: pipeline.DemoRun) -> None:
        run.echo(f"  {len(run.store.graphs())} graphs")

    lines: list[str] = []
    steps = [pipeline.DEMO_STEPS[0], ("count graphs", count_graphs)]
    run = pipeline.run_demo(
        tmp_path / "store",
        tmp_path / "out",
        echo=lines.append,
        steps=steps,
        extractor=lambda text, **kw: seen.append(text) or None,
    )
    assert lines[0] == "[1/2] ingest the sample articles"
    assert "[2/2] count graphs" in lines
    assert "  12 graphs" in lines
    assert len(seen) == 12
    assert run.ingest.articles == 12 and run.ingest.incidents == 0
