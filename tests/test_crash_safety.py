"""Atomicity and durability (issue 10): exports and reports never leave a partial file, and an
ingest killed with SIGKILL leaves exactly the batches it committed, each graph complete.

The kill test runs ``breachkg ingest`` on 60 generated articles in a subprocess, waits
(with a deadline) until it reports a committed batch, lets it go on and kills it with
SIGKILL, then compares the store with a reference ingest of the same files.
"""

from __future__ import annotations

import dataclasses
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from breachkg import cli, pipeline, rdf_io
from breachkg.errors import BreachkgInputError
from breachkg.export import EXPORTERS, export_store
from breachkg.rdf_io import canonical_dataset
from breachkg.resources import resource_dir
from breachkg.store import MemoryStore, OxigraphStore

SAMPLES = resource_dir("samples")
KILL_DEADLINE = 180.0
ARTICLES = 60
UPDATES = {
    "fr": "Mise à jour numéro {i} : l'établissement précise que l'enquête se poursuit et "
    "que les patients concernés seront informés par courrier dans les prochaines semaines.",
    "en": "Update number {i}: the organisation says the investigation continues and that "
    "the people concerned will be told by letter in the coming weeks.",
}


def canonical(quads) -> set[str]:
    """The quads as canonical N-Quads lines (blank nodes relabelled by RDFC-1.0)."""
    return {str(q) for q in canonical_dataset(quads)}


def write_varied_articles(folder: Path, count: int = ARTICLES) -> list[Path]:
    """``count`` articles: each sample text with an update paragraph of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = sorted(SAMPLES.glob("*.txt"))
    files = []
    for i in range(count):
        base = bases[i % len(bases)]
        lang = base.name[:2]
        text = base.read_text(encoding="utf-8").rstrip() + "\n\n" + UPDATES[lang].format(i=i)
        path = folder / f"{i:03d}-{base.name}"
        path.write_text(text + "\n", encoding="utf-8")
        files.append(path)
    return files


# --- atomic exports and reports ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_store() -> MemoryStore:
    store = MemoryStore()
    pipeline.ingest_inputs(store, [SAMPLES])
    return store


class HalfWriter:
    """A file object whose ``write`` writes half its data, then fails (a full disk)."""

    def __init__(self, handle) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(28, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._handle.close()


def fail_midway(monkeypatch) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(rdf_io.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))


def folder_state(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_an_export_failing_midway_leaves_the_previous_file(
    tmp_path, sample_store, monkeypatch, fmt
):
    out = tmp_path / f"kg.{EXPORTERS[fmt].extension.lstrip('.')}"
    export_store(sample_store, fmt, out)
    before = folder_state(tmp_path)
    assert before[out.name]
    with monkeypatch.context() as patch:
        fail_midway(patch)
        with pytest.raises(BreachkgInputError, match="cannot write: No space left on device"):
            export_store(sample_store, fmt, out)
    assert folder_state(tmp_path) == before  # previous export intact, no temp file left


@pytest.mark.parametrize("fmt", ["turtle", "stix"])
def test_an_export_whose_serializer_raises_writes_nothing(tmp_path, sample_store, monkeypatch, fmt):
    out = tmp_path / "kg.out"
    out.write_bytes(b"previous export\n")

    def broken(store):
        raise RuntimeError("serializer failed")

    monkeypatch.setitem(EXPORTERS, fmt, dataclasses.replace(EXPORTERS[fmt], write=broken))
    with pytest.raises(RuntimeError):
        export_store(sample_store, fmt, out)
    assert folder_state(tmp_path) == {"kg.out": b"previous export\n"}


def test_a_report_failing_midway_leaves_the_previous_files(tmp_path, sample_store, monkeypatch):
    out = tmp_path / "report"
    pipeline.build_report(sample_store, out, fmt="markdown", lang="fr")
    before = folder_state(out)
    assert "report.md" in before and len(before) > 3
    fail_midway(monkeypatch)
    with pytest.raises(BreachkgInputError, match="cannot write: No space left on device"):
        pipeline.build_report(sample_store, out, fmt="markdown", lang="fr")
    assert folder_state(out) == before


def test_export_to_an_unwritable_place_is_one_line(tmp_path, capsys):
    store = tmp_path / "store"
    assert cli.main(["-q", "--store", str(store), "ingest", str(SAMPLES)]) == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    capsys.readouterr()
    assert cli.main(["-q", "--store", str(store), "export", str(blocker / "kg.ttl")]) == 2
    err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"breachkg export: error: {blocker / 'kg.ttl'}: cannot write: ")


def test_cli_export_failure_is_one_line_and_keeps_the_previous_file(tmp_path, capsys, monkeypatch):
    store = tmp_path / "store"
    assert cli.main(["-q", "--store", str(store), "ingest", str(SAMPLES)]) == 0
    out = tmp_path / "kg.ttl"
    assert cli.main(["-q", "--store", str(store), "export", str(out)]) == 0
    before = out.read_bytes()
    fail_midway(monkeypatch)
    capsys.readouterr()
    assert cli.main(["-q", "--store", str(store), "export", str(out)]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"breachkg export: error: {out}: cannot write: No space left on device"
    ]
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# --- SIGKILL in the middle of an ingest -----------------------------------------------------


#: The ingest under test: ``breachkg ingest`` itself, with a hook that reports each committed
#: batch on stdout and waits for a line on stdin before going on, so the test knows a batch
#: is committed and kills the process while it works on the next one.
CHILD = """
import sys
from breachkg import cli
from breachkg.store import OxigraphStore

commit = OxigraphStore.replace_graphs


def replace_graphs(self, graphs):
    commit(self, graphs)
    print("committed", len(graphs), flush=True)
    sys.stdin.readline()


OxigraphStore.replace_graphs = replace_graphs
sys.exit(cli.main(sys.argv[1:]))
"""


def wait_for_commit(process: subprocess.Popen, deadline: float) -> str:
    """Read the ingest's stdout until a batch is committed; that line."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=left):
                break
            line = process.stdout.readline().decode("utf-8", "replace")
            if not line:
                break
            if line.startswith("committed"):
                return line.strip()
    raise AssertionError("no batch committed before the deadline")


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kill-articles") / "articles"
    write_varied_articles(folder)
    return folder


@pytest.fixture(scope="module")
def reference(articles) -> dict[str, set[str]]:
    """Canonical quads per graph of a clean, uninterrupted ingest of the articles."""
    store = MemoryStore()
    report = pipeline.ingest_inputs(store, [articles])
    assert report.articles == ARTICLES and not report.skipped
    return {g: canonical(store.quads(g)) for g in store.graphs()}


def test_sigkill_mid_ingest_keeps_whole_committed_batches(tmp_path, articles, reference):
    store_dir = tmp_path / "store"
    command = [sys.executable, "-c", CHILD, "-q", "--store", str(store_dir), "ingest",
               "--no-validate", str(articles)]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.PIPE,
        cwd=tmp_path,  # not the checkout, whose breachkg/ lacks the mapped loaders
    )
    try:
        assert wait_for_commit(process, time.monotonic() + KILL_DEADLINE) == (
            f"committed {pipeline.ARTICLE_BATCH}"
        )
        process.stdin.write(b"go on\n")  # let it work on the next batch, and kill it there
        process.stdin.flush()
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
        process.stdout.close()
        process.stdin.close()
    assert process.returncode == -signal.SIGKILL

    with OxigraphStore(store_dir) as store:
        kept = {g: canonical(store.quads(g)) for g in store.graphs()}
    assert kept, "the committed batch was lost"
    assert len(kept) < len(reference), "the ingest finished before it was killed"
    assert len(kept) % pipeline.ARTICLE_BATCH == 0, "a batch was half written"
    for graph, quads in kept.items():
        assert quads == reference[graph], f"graph {graph} is not complete"

    # running the same ingest again completes the store: the same as a clean full ingest
    assert (
        cli.main(["-q", "--store", str(store_dir), "ingest", "--no-validate", str(articles)]) == 0
    )
    with OxigraphStore(store_dir) as store:
        after = {g: canonical(store.quads(g)) for g in store.graphs()}
    assert after == reference
