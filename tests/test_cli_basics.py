"""``breachkg ingest``, ``stats`` and ``export`` end to end, in process and as a command."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from breachkg.cli import VERBS, main
from breachkg.iris import mint_graph_iri
from breachkg.store import OxigraphStore, RemoteStore

FIXTURES = Path(__file__).parent / "fixtures"
TWO_GRAPHS = FIXTURES / "store" / "two-graphs.trig"
ONE_VENDOR = FIXTURES / "store" / "one-vendor.ttl"
BAD_CASES = sorted((FIXTURES / "bad_input").glob("rdf-*.error.txt"))
ARTICLE = "https://w3id.org/breachkg/graph/article/0123456789abcdef"
RECORD = "https://w3id.org/breachkg/graph/record/example-2024-03-01"
BK = "https://w3id.org/breachkg/ontology#"
ONE_VENDOR_GRAPH = mint_graph_iri("rdf", hashlib.sha256(ONE_VENDOR.read_bytes()).hexdigest()[:16])


def run(store: Path, *argv: str) -> int:
    return main(["--store", str(store), *argv])


def merged_graph(*paths: Path) -> rdflib.Graph:
    merged = rdflib.Graph()
    for path in paths:
        dataset = rdflib.Dataset()
        dataset.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
    return merged


def stats_json(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert main([*argv, "stats", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_ingest_stats_export(tmp_path, capsys):
    store = tmp_path / "store"
    assert run(store, "ingest", str(TWO_GRAPHS), str(ONE_VENDOR)) == 0
    assert "ingested 3 source(s): 40 quads in 3 graph(s)" in capsys.readouterr().out
    stats = stats_json(capsys, "--store", str(store))
    assert {k: stats[k] for k in ("backend", "quads", "triples", "graphs")} == {
        "backend": "oxigraph",
        "quads": 40,
        "triples": 36,
        "graphs": 3,
    }
    assert stats["graphs_per_kind"] == {"article": 1, "rdf": 1, "record": 1}
    assert stats["instances_per_class"] == {
        BK + "Incident": 2,
        BK + "Clinic": 1,
        BK + "DatasetRecord": 1,
        BK + "Evidence": 1,
        BK + "NewsArticle": 1,
        BK + "SoftwareProduct": 1,
        BK + "SoftwarePublisher": 1,
        BK + "VendorGroup": 1,
    }
    assert run(store, "stats") == 0
    text = capsys.readouterr().out
    assert "graphs   3 (article 1, rdf 1, record 1)" in text
    assert "  bk:Incident           2" in text

    first, second = tmp_path / "out" / "a.ttl", tmp_path / "b.ttl"
    assert run(store, "export", "--format", "turtle", str(first)) == 0
    assert run(store, "-q", "export", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    assert isomorphic(
        rdflib.Graph().parse(first, format="turtle"), merged_graph(TWO_GRAPHS, ONE_VENDOR)
    )
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]  # no temp file left


def test_triples_file_gets_a_graph_named_from_its_bytes_and_reingest_swaps_it(tmp_path):
    store = tmp_path / "store"
    assert run(store, "ingest", str(ONE_VENDOR)) == 0
    assert run(store, "ingest", str(ONE_VENDOR)) == 0
    with OxigraphStore(store) as opened:
        assert opened.graphs() == [ONE_VENDOR_GRAPH]
        assert len(opened) == 5


def test_graph_option_forces_the_graph_of_one_file(tmp_path, capsys):
    store = tmp_path / "store"
    assert run(store, "ingest", "--graph", "http://example.org/g", str(ONE_VENDOR)) == 0
    with OxigraphStore(store) as opened:
        assert opened.graphs() == ["http://example.org/g"]
    capsys.readouterr()
    assert (
        run(store, "ingest", "--graph", "http://example.org/g", str(ONE_VENDOR), str(TWO_GRAPHS))
        == 2
    )
    assert (
        capsys.readouterr().err
        == "breachkg ingest: error: --graph: applies to exactly one RDF file\n"
    )


def test_folders_are_walked(tmp_path, capsys):
    store = tmp_path / "store"
    assert run(store, "ingest", str(FIXTURES / "store")) == 0
    with OxigraphStore(store) as opened:
        assert opened.graphs() == sorted([ARTICLE, RECORD, ONE_VENDOR_GRAPH])


def test_bad_cases_are_counted():
    assert [p.name for p in BAD_CASES] == [
        "rdf-truncated.error.txt",
        "rdf-unterminated-string.error.txt",
    ]


@pytest.mark.parametrize("expected", BAD_CASES, ids=lambda p: p.name.split(".")[0])
def test_bad_file_exits_2_with_one_line_and_leaves_store_unchanged(tmp_path, capsys, expected):
    store = tmp_path / "store"
    assert run(store, "ingest", str(ONE_VENDOR)) == 0
    bad = next(p for p in expected.parent.glob(expected.name.split(".")[0] + ".*") if p != expected)
    capsys.readouterr()
    assert run(store, "ingest", str(TWO_GRAPHS), str(bad)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.replace(str(bad), bad.name) == expected.read_text(encoding="utf-8")
    with OxigraphStore(store) as opened:
        assert opened.graphs() == [ONE_VENDOR_GRAPH] and len(opened) == 5


def test_missing_input_and_missing_store_are_errors(tmp_path, capsys):
    assert run(tmp_path / "store", "ingest", str(tmp_path / "nope.ttl")) == 2
    assert (
        capsys.readouterr().err
        == f"breachkg ingest: error: {tmp_path / 'nope.ttl'}: no such file or directory\n"
    )
    assert run(tmp_path / "empty", "stats") == 2
    assert "does not exist (run `breachkg ingest` first)" in capsys.readouterr().err
    assert not (tmp_path / "empty").exists()


def test_locked_store_is_a_clear_error(tmp_path, capsys):
    store = tmp_path / "store"
    with OxigraphStore(store):
        assert run(store, "ingest", str(ONE_VENDOR)) == 2
    assert (
        capsys.readouterr().err
        == f"breachkg ingest: error: store {store} is in use by another process\n"
    )


def test_remote_server_through_the_cli(oxigraph_server, tmp_path, capsys):
    endpoint = oxigraph_server + "/query"
    RemoteStore(endpoint).clear()
    assert main(["--endpoint", endpoint, "ingest", str(TWO_GRAPHS), str(ONE_VENDOR)]) == 0
    stats = stats_json(capsys, "--endpoint", endpoint)
    assert (stats["backend"], stats["quads"], stats["graphs"]) == ("remote", 40, 3)
    local = tmp_path / "store"
    assert run(local, "ingest", str(TWO_GRAPHS), str(ONE_VENDOR)) == 0
    assert main(["--endpoint", endpoint, "export", str(tmp_path / "remote.ttl")]) == 0
    assert run(local, "export", str(tmp_path / "local.ttl")) == 0
    assert (tmp_path / "remote.ttl").read_bytes() == (tmp_path / "local.ttl").read_bytes()


@pytest.mark.parametrize("name", ["ingest", "stats", "export"])
def test_every_verb_has_help(name, capsys):
    assert name in VERBS
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: breachkg {name}")


def test_installed_command_from_another_folder(tmp_path):
    command = Path(sys.executable).parent / "breachkg"
    env = {**os.environ, "BREACHKG_STORE": ""}

    def call(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(command), *argv],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert call("--help").returncode == 0
    ingest = call("ingest", str(TWO_GRAPHS))
    assert ingest.returncode == 0, ingest.stderr
    assert (tmp_path / "breachkg-data" / "store" / "CURRENT").exists()
    stats = call("stats", "--format", "json")
    assert json.loads(stats.stdout)["quads"] == 35
    assert call("export", "--format", "turtle", "out.ttl").returncode == 0
    assert isomorphic(
        rdflib.Graph().parse(tmp_path / "out.ttl", format="turtle"), merged_graph(TWO_GRAPHS)
    )
    bad = call("ingest", str(FIXTURES / "bad_input" / "rdf-truncated.jsonld"))
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1
