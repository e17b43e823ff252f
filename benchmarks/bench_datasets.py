"""Dataset ingest time: HHS OCR breach portal CSVs and the VCDB VERIS files.

Run once, by hand:

    python benchmarks/bench_datasets.py                   # data from ../shared/data
    python benchmarks/bench_datasets.py --data DIR --repeat 3

Times, each with the public functions the CLI calls (best of ``--repeat`` runs):

1. ``load``: the loaders alone (``hhs_ocr_csv.load``, ``veris_json.load``), quads in memory;
2. ``validate``: SHACL (fast engine) over every loaded graph (``validate_source``);
3. ``link``: the owl:sameAs rules (``breachkg.resolve.link_sources``);
4. ``ingest``: ``pipeline.ingest_inputs`` into a fresh embedded Oxigraph store, validation
   on, as ``breachkg ingest`` does (load + validate + store + links).

Prints seconds, rows or files per second, incidents, vendors linked and quads.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from breachkg.loaders import hhs_ocr_csv, veris_json

from breachkg.pipeline import ingest_inputs, open_store
from breachkg.resolve import link_sources
from breachkg.validate import validate_source

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def best_of(repeat: int, run):
    """(best wall seconds, best CPU seconds, last result) over ``repeat`` runs of ``run()``.

    CPU time is printed too: the machine is shared, so wall time alone overstates.
    """
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the dataset files")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step (best is kept)")
    args = parser.parse_args()
    closed = args.data / "hhs-ocr-breaches.csv"
    opened = args.data / "hhs-ocr-breaches-under-investigation.csv"
    vcdb = args.data / "vcdb"

    for name, run in (
        ("hhs closed", lambda: list(hhs_ocr_csv.load(closed, progress=False))),
        ("hhs open", lambda: list(hhs_ocr_csv.load(opened, progress=False))),
        ("vcdb", lambda: list(veris_json.load(vcdb))),
    ):
        seconds, cpu, sources = best_of(args.repeat, run)
        rows = sum(s.counts.get("rows", 1) for s in sources)
        incidents = sum(s.counts["incidents"] for s in sources)
        quads = sum(len(s.quads) for s in sources)
        print(
            f"load {name:<10} {seconds:7.2f} s (cpu {cpu:6.2f} s)  {rows / cpu:8.0f} rows/cpu-s  "
            f"{incidents} incidents  {quads} quads"
        )
    sources = (
        list(hhs_ocr_csv.load(closed, progress=False))
        + list(hhs_ocr_csv.load(opened, progress=False))
        + list(veris_json.load(vcdb))
    )
    vendors = {
        q.object.value
        for s in sources
        for q in s.quads
        if q.predicate.value == "https://w3id.org/breachkg/ontology#involvedVendor"
    }
    print(f"vendors linked to incidents: {len(vendors)}")
    seconds, cpu, reports = best_of(args.repeat, lambda: [validate_source(s) for s in sources])
    conform = all(r.conforms for r in reports)
    print(f"validate all graphs  {seconds:7.2f} s (cpu {cpu:6.2f} s)  conform: {conform}")
    seconds, cpu, links = best_of(args.repeat, lambda: link_sources(sources))
    print(f"link (owl:sameAs)    {seconds:7.2f} s (cpu {cpu:6.2f} s)  {links.counts}")

    def ingest():
        with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "store") as store:
            return ingest_inputs(store, [closed, opened, vcdb], validate=validate_source)

    seconds, cpu, report = best_of(args.repeat, ingest)
    print(
        f"ingest (CLI path)    {seconds:7.2f} s (cpu {cpu:6.2f} s)  {report.sources} sources  "
        f"{report.quads} quads  {len(report.skipped)} skipped"
    )


if __name__ == "__main__":
    main()
