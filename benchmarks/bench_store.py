"""Store round trips: replace every graph, read it back, dump it, per backend.

Loads a synthetic graph (``generate_graph.generate``) into the embedded, in-memory and
remote (``oxigraph serve`` subprocess) stores, times ``replace_graphs``, a full read and
the N-Quads and Turtle dumps, and checks that what comes back is the same dataset
(RDFC-1.0 canonical form).  Prints one line per backend with quads per second.

    python benchmarks/bench_store.py --triples 100000
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from generate_graph import generate  # noqa: E402

from breachkg.rdf_io import canonical_dataset as canonical
from breachkg.rdf_io import group_by_graph  # noqa: E402
from breachkg.store import MemoryStore, OxigraphStore, RemoteStore  # noqa: E402


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    binary = Path(sys.executable).parent / "oxigraph"
    command = [str(binary if binary.exists() else shutil.which("oxigraph")), "serve"]
    command += ["--location", str(folder), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("oxigraph serve did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    quads = list(generate(args.triples, args.seed))
    graphs = group_by_graph(quads, "https://w3id.org/breachkg/graph/default")
    expected = canonical(quads)
    print(f"{len(quads)} quads in {len(graphs)} graphs")
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    server, url = start_oxigraph(work / "server")
    try:
        backends = {
            "oxigraph": lambda: OxigraphStore(work / "embedded"),
            "memory": MemoryStore,
            "remote": lambda: RemoteStore(url, timeout=600),
        }
        for name, make in backends.items():
            with make() as store:
                t0 = time.perf_counter()
                store.replace_graphs(graphs)
                t1 = time.perf_counter()
                back = list(store.quads())
                t2 = time.perf_counter()
                store.dump("nquads")
                t3 = time.perf_counter()
                store.dump("turtle")
                t4 = time.perf_counter()
                same = canonical(back) == expected
                print(
                    f"{name:9} replace {len(quads) / (t1 - t0):>9,.0f} quads/s  "
                    f"read {len(quads) / (t2 - t1):>10,.0f} quads/s  "
                    f"nquads {t3 - t2:6.2f} s  turtle {t4 - t3:6.2f} s  same dataset: {same}"
                )
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
