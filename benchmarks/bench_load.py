"""Bounded load test of the loopback endpoint: 8 clients, at most a minute, zero errors wanted.

Run once, by hand:

    python benchmarks/bench_load.py --triples 500000          # generates the graph
    python benchmarks/bench_load.py --nquads /tmp/g.nq        # reuses a generated graph

1. Bulk-loads a synthetic graph (``generate_graph.generate``) into an embedded store in a
   temp folder (not timed), unless ``--store`` already holds one.
2. Starts ``breachkg serve --host 127.0.0.1 --port 0`` as a subprocess (read-only, worker
   processes, the default deadline) and reads the port it announces.
3. Runs ``--clients`` threads (8) until ``--seconds`` (at most 60) have passed or
   ``--requests`` (at most 20,000) have been sent, a fixed mix of: point lookups on
   ``/sparql`` (all properties of one entity, JSON), a canned query with a parameter
   (``/queries/people-exposed-per-software?software=<IRI>``), a canned query without one
   (``/queries/incidents-by-year``), and ``ASK`` queries.
4. Prints requests, requests/s, p50 and p99 latency and the errors (any status but 200, or
   a failed connection), per workload and overall; exits 1 when there was any error.
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
MAX_SECONDS = 60.0
MAX_REQUESTS = 20_000
WORKLOADS = ("lookup", "canned-param", "canned-static", "ask")


def build_store(path: Path, nquads: Path | None, triples: int) -> int:
    """Bulk-load the synthetic graph into an embedded store at ``path``; its quad count."""
    store = pyoxigraph.Store(str(path))
    if nquads is not None:
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    else:
        store.bulk_extend(generate(triples, seed=0))
    store.flush()
    count = len(store)
    del store
    return count


def pick_iris(path: Path, cls: str, n: int = 300) -> list[str]:
    store = pyoxigraph.Store.read_only(str(path))
    query = f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{BK}{cls}> }} }} LIMIT 3000"
    found = sorted(s["s"].value for s in store.query(query))
    del store
    return random.Random(0).sample(found, min(n, len(found)))


def start_server(store: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """``breachkg serve`` on a free loopback port; (process, base URL)."""
    command = [sys.executable, "-m", "breachkg.cli", "-q", "--store", str(store), "serve",
               "--host", "127.0.0.1", "--port", "0", "--workers", str(workers),
               "--threads", "8"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("breachkg endpoint: "):
        process.kill()
        raise RuntimeError(f"serve did not start: {line!r}")
    return process, line.split(": ", 1)[1].strip().rsplit("/sparql", 1)[0]


def make_requests(base: str, entities: list[str], software: list[str]):
    """Workload name -> ``call(session, rng) -> bool`` (True for a 200 answer)."""
    json_accept = {"Accept": "application/sparql-results+json"}

    def lookup(session, rng) -> bool:
        query = f"SELECT ?p ?o WHERE {{ <{rng.choice(entities)}> ?p ?o }}"
        r = session.get(f"{base}/sparql", params={"query": query}, headers=json_accept, timeout=30)
        return r.status_code == 200

    def canned_param(session, rng) -> bool:
        r = session.get(f"{base}/queries/people-exposed-per-software",
                        params={"software": rng.choice(software)}, headers=json_accept, timeout=30)  # fmt: skip
        return r.status_code == 200

    def canned_static(session, rng) -> bool:
        r = session.get(f"{base}/queries/incidents-by-year", headers=json_accept, timeout=30)
        return r.status_code == 200

    def ask(session, rng) -> bool:
        query = f"ASK {{ <{rng.choice(entities)}> a ?type }}"
        r = session.get(f"{base}/sparql", params={"query": query}, headers=json_accept, timeout=30)
        return r.status_code == 200

    return {"lookup": lookup, "canned-param": canned_param, "canned-static": canned_static,
            "ask": ask}  # fmt: skip


def run_load(calls: dict, clients: int, seconds: float, max_requests: int) -> dict:
    """Drive the endpoint; latencies and errors per workload."""
    latencies: dict[str, list[float]] = {name: [] for name in calls}
    errors: dict[str, int] = dict.fromkeys(calls, 0)
    lock = threading.Lock()
    sent = [0]
    stop = time.perf_counter() + seconds
    names = list(calls)

    def client(index: int) -> None:
        rng = random.Random(index)
        with requests.Session() as session:
            while time.perf_counter() < stop:
                with lock:
                    if sent[0] >= max_requests:
                        return
                    sent[0] += 1
                    name = names[sent[0] % len(names)]
                started = time.perf_counter()
                try:
                    ok = calls[name](session, rng)
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[name].append(elapsed)
                    errors[name] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    rows = {name: summarize(latencies[name], errors[name], wall) for name in names}
    rows["all"] = summarize(
        [x for name in names for x in latencies[name]], sum(errors.values()), wall
    )
    return rows


def summarize(latencies: list[float], errors: int, wall: float) -> dict:
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"requests": len(latencies), "per_second": len(latencies) / wall,
            "p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000, "errors": errors}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=500_000)
    parser.add_argument("--nquads", type=Path, help="load this N-Quads file instead")
    parser.add_argument("--store", type=Path, help="store folder (built when missing)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=MAX_SECONDS)
    parser.add_argument("--requests", type=int, default=MAX_REQUESTS)
    parser.add_argument("--workers", type=int, default=2, help="query worker processes")
    args = parser.parse_args(argv)
    seconds = min(args.seconds, MAX_SECONDS)
    max_requests = min(args.requests, MAX_REQUESTS)

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        store = args.store or Path(tmp) / "store"
        if not (store / "CURRENT").exists():
            started = time.perf_counter()
            count = build_store(store, args.nquads, args.triples)
            print(f"store: {count} quads bulk-loaded in {time.perf_counter() - started:.1f} s")
        entities = pick_iris(store, "Incident") + pick_iris(store, "Hospital")
        software = pick_iris(store, "SoftwareProduct")
        process, base = start_server(store, args.workers)
        try:
            calls = make_requests(base, entities, software)
            for call in calls.values():  # warm up the workers once per workload
                with requests.Session() as session:
                    call(session, random.Random(0))
            print(f"load: {args.clients} clients, <= {seconds:g} s, <= {max_requests} requests "
                  f"on {base}")  # fmt: skip
            rows = run_load(calls, args.clients, seconds, max_requests)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    print(
        f"{'workload':<14} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
    )
    for name, row in rows.items():
        print(f"{name:<14} {row['requests']:>8} {row['per_second']:>8.1f} {row['p50_ms']:>8.1f} "
              f"{row['p99_ms']:>8.1f} {row['errors']:>6}")  # fmt: skip
    return 1 if rows["all"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
