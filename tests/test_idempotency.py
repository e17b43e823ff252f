"""Idempotency (issue 10): ingesting the same sources twice, or in another order, gives an
isomorphic graph.

Sources: the shared seed articles (``../shared/seeds``), the shipped samples, a small HHS
OCR CSV and a few VERIS JSON files from the loader fixtures; the graphs are compared after
RDFC-1.0 canonicalization (blank nodes relabelled), never as text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from breachkg import cli, pipeline
from breachkg.rdf_io import canonical_dataset
from breachkg.resources import resource_dir
from breachkg.store import MemoryStore, OxigraphStore

HERE = Path(__file__).parent
SEEDS = HERE.parents[1] / "shared" / "seeds"
SAMPLES = resource_dir("samples")
HHS = HERE / "fixtures" / "hhs_ocr_csv" / "three-breaches.csv"
VERIS = HERE / "fixtures" / "veris_json"
VERIS_FILES = ["iron-mountain-florida-hospital.json", "baclesse-fr.json", "nextmotion-fr.json"]


def all_sources() -> list[Path]:
    """Each source file on its own (seed articles, samples, one CSV, three VERIS files)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    samples = sorted(p for p in SAMPLES.iterdir() if pipeline.is_article_file(p))
    assert len(seeds) >= 5 and len(samples) >= 10
    return seeds + samples + [HHS] + [VERIS / name for name in VERIS_FILES]


def canonical(quads) -> set[str]:
    return {str(q) for q in canonical_dataset(quads)}


def assert_isomorphic(got: set[str], expected: set[str]) -> None:
    missing, added = sorted(expected - got), sorted(got - expected)
    assert not missing and not added, (
        f"{len(missing)} missing, {len(added)} added\n- " + "\n- ".join(missing[:10])
        + "\n+ " + "\n+ ".join(added[:10])
    )  # fmt: skip


def ingest_each(store, files: list[Path]) -> None:
    for file in files:
        pipeline.ingest_inputs(store, [file])


@pytest.fixture(scope="module")
def once() -> set[str]:
    store = MemoryStore()
    pipeline.ingest_inputs(store, all_sources())
    assert len(store.graphs()) >= 20
    return canonical(store.quads())


def test_ingesting_everything_twice_changes_nothing(once):
    store = MemoryStore()
    pipeline.ingest_inputs(store, all_sources())
    pipeline.ingest_inputs(store, all_sources())
    assert_isomorphic(canonical(store.quads()), once)


def test_ingesting_one_file_at_a_time_in_reverse_order_gives_the_same_graph(once):
    store = MemoryStore()
    ingest_each(store, list(reversed(all_sources())))
    assert_isomorphic(canonical(store.quads()), once)


def test_ingesting_in_a_shuffled_order_twice_gives_the_same_graph(once):
    files = all_sources()
    shuffled = files[1::2] + files[::2]  # a fixed interleaving: no randomness in tests
    store = MemoryStore()
    ingest_each(store, shuffled)
    ingest_each(store, files[:5])
    assert_isomorphic(canonical(store.quads()), once)


def test_cli_ingest_twice_on_disk_gives_the_same_graph(tmp_path, once):
    store = tmp_path / "store"
    args = ["-q", "--store", str(store), "ingest", *map(str, all_sources())]
    assert cli.main(args) == 0
    with OxigraphStore(store) as opened:
        first = canonical(opened.quads())
    assert cli.main(args) == 0
    with OxigraphStore(store) as opened:
        second = canonical(opened.quads())
    assert_isomorphic(second, first)
    assert_isomorphic(first, once)
