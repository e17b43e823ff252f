"""Endpoint throughput and latency: 8 concurrent clients against ``breachkg serve`` on 1M triples.

Run once, by hand (loopback only, bounded to about a minute of load):

    python benchmarks/bench_endpoint.py                       # generates 1M triples
    python benchmarks/bench_endpoint.py --nquads /tmp/g1m.nq  # reuses a generated graph

1. Builds an embedded store from the synthetic graph (``generate_graph.generate``, bulk
   loaded; not timed) unless ``--store`` already holds one.
2. For each configuration (``process``: worker processes killed past the deadline, the
   default; ``thread``: a thread pool; each with the answer cache off, and ``process`` with
   it on as ``breachkg serve`` runs by default), starts ``breachkg serve --port 0`` as a
   subprocess and drives it with ``--clients`` threads for ``--seconds`` per workload:
   - ``lookup``: ``/sparql`` point lookups, all properties of one random entity (JSON);
   - ``canned``: ``/queries/people-exposed-per-software?software=<random product>``;
   - ``canned-static``: ``/queries/incidents-by-place`` (no parameter).
3. Prints requests/s, p50 and p99 latency and the error count per configuration and
   workload.  With the cache on, ``canned`` still mostly misses (500 distinct products in a
   few seconds), ``canned-static`` and repeated lookups hit.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph
import requests

sys.path.insert(0, str(Path(__file__).parent))
from generate_graph import generate  # noqa: E402

BK = "https://w3id.org/breachkg/ontology#"


def build_store(path: Path, nquads: Path | None, triples: int) -> None:
    """Bulk-load the synthetic graph into an embedded store at ``path``."""
    started = time.perf_counter()
    store = pyoxigraph.Store(str(path))
    if nquads is not None:
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    else:
        store.bulk_extend(generate(triples, seed=0))
    store.flush()
    print(f"store: {len(store)} quads loaded in {time.perf_counter() - started:.1f} s")
    del store


def pick_entities(path: Path, n: int = 500) -> tuple[list[str], list[str]]:
    """Random entity IRIs for point lookups, and software product IRIs."""
    store = pyoxigraph.Store.read_only(str(path))
    rng = random.Random(0)

    def of(cls: str, limit: int) -> list[str]:
        query = f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s a <{BK}{cls}> }} }} LIMIT {limit}"
        return sorted({s["s"].value for s in store.query(query)})

    entities = of("Incident", 2000) + of("SoftwarePublisher", 2000)
    entities += of("Hospital", 2000) + of("SoftwareProduct", 2000)
    software = of("SoftwareProduct", 2000)
    return rng.sample(entities, min(n, len(entities))), rng.sample(software, min(n, len(software)))


def start_server(
    store: Path, runner: str, workers: int, timeout: float, cache: int
) -> tuple[subprocess.Popen, str]:
    command = [
        sys.executable,
        "-m",
        "breachkg.cli",
        "-q",
        "--store",
        str(store),
        "serve",
        "--port",
        "0",
        "--runner",
        runner,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--threads",
        "8",
        "--cache",
        str(cache),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("breachkg endpoint: "):
        process.kill()
        raise RuntimeError(f"serve did not start: {line!r}")
    return process, line.split(": ", 1)[1].strip().rsplit("/sparql", 1)[0]


def drive(make_request, clients: int, seconds: float) -> dict:
    """``clients`` threads calling ``make_request(session, rng)`` for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        with requests.Session() as session:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                ok = make_request(session, rng)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "errors": errors[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--nquads", type=Path, help="load this N-Quads file instead of generating")
    parser.add_argument("--store", type=Path, help="store folder (built when missing)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="per configuration and workload")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--configs", default="process:0,thread:0,process:1024", help="runner:cache entries, ..."
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-endpoint-") as tmp:
        store = args.store or Path(tmp) / "store"
        if not (store / "CURRENT").exists():
            build_store(store, args.nquads, args.triples)
        entities, software = pick_entities(store)
        print(f"{len(entities)} lookup entities, {len(software)} software products")

        def lookup(session, rng) -> bool:
            query = f"SELECT ?p ?o WHERE {{ <{rng.choice(entities)}> ?p ?o }}"
            r = session.get(
                base + "/sparql",
                params={"query": query},
                headers={"Accept": "application/sparql-results+json"},
            )
            return r.status_code == 200

        def canned(session, rng) -> bool:
            r = session.get(
                base + "/queries/people-exposed-per-software",
                params={"software": rng.choice(software), "format": "json"},
            )
            return r.status_code == 200

        def canned_static(session, rng) -> bool:
            r = session.get(base + "/queries/incidents-by-place", params={"format": "json"})
            return r.status_code == 200

        workloads = {"lookup": lookup, "canned": canned, "canned-static": canned_static}
        print(f"{args.clients} clients, {args.seconds:g} s per workload, {args.workers} workers")
        print(
            f"{'config':14} {'workload':14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
        )
        for config in args.configs.split(","):
            runner, cache = config.split(":")
            process, base = start_server(store, runner, args.workers, 30.0, int(cache))
            try:
                for name, make_request in workloads.items():
                    drive(make_request, args.clients, 1.0)  # warm caches and connections
                    f = drive(make_request, args.clients, args.seconds)
                    print(
                        f"{config:14} {name:14} {f['per_second']:8.1f} {f['p50_ms']:8.1f} "
                        f"{f['p99_ms']:8.1f} {f['errors']:6d}",
                        flush=True,
                    )
            finally:
                process.terminate()
                process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
