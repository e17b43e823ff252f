"""Canned-query speed: pyoxigraph against rdflib's SPARQL engine on the same synthetic data.

Run once, by hand; it prints a table and, with ``--json``, writes the figures:

    python benchmarks/bench_queries.py                         # 1M both engines, 10M Oxigraph
    python benchmarks/bench_queries.py --triples 200000 --big 0    # a quick look

1. ``generate_graph.generate(--triples)`` quads go into an in-memory pyoxigraph store and,
   through an N-Quads file, into an rdflib ``Dataset(default_union=True)`` in a worker
   process that loads it once and runs each query in a forked child, killed at
   ``--rdflib-timeout`` seconds (the ratio is then a lower bound, marked ``+``).
   The shipped ontology, vocabularies and registry graphs are added to both.
2. Every ``queries/*.rq`` is bound with the same parameters (blast-radius: the vendor with
   the most establishments; evidence-for: an incident with evidence) and run on both
   engines: Oxigraph the median of ``--repeat`` runs, rdflib once.  Row counts must agree.
3. At ``--big`` triples (0 to skip), Oxigraph alone: load time and each query's median.
Peak memory is the max resident set size of this process and of the rdflib worker.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pyoxigraph

sys.path.insert(0, str(Path(__file__).parent))
from generate_graph import generate, write_nquads  # noqa: E402

from breachkg import queries as Q  # noqa: E402
from breachkg.store import SelectResult  # noqa: E402


class OxigraphSelect:
    """The ``select`` the query runner needs, over a bare pyoxigraph store (bulk-loaded)."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def select(self, sparql: str, timeout: float | None = None) -> SelectResult:
        result = self.store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return SelectResult(names, [tuple(s[n] for n in names) for s in result])


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def with_ontology(quads: list) -> list:
    """The synthetic quads plus the shipped ontology, vocabularies and registry graphs."""
    from breachkg.pipeline import ontology_graph_iri
    from breachkg.resources import ontology_files

    for path in ontology_files():
        graph = pyoxigraph.NamedNode(ontology_graph_iri(path))
        for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            quads.append(pyoxigraph.Quad(t.subject, t.predicate, t.object, graph))
    return quads


def load_oxigraph(quads: list) -> tuple[OxigraphSelect, float]:
    t0 = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_extend(quads)
    return OxigraphSelect(store), time.perf_counter() - t0


def bound_queries(store: OxigraphSelect) -> dict[str, str]:
    """Each canned query's text with the benchmark's parameters bound."""
    top = store.select(Q.find_query("establishments-per-vendor").sparql).rows[0][0]
    incident = store.select(
        "PREFIX bk: <https://w3id.org/breachkg/ontology#> PREFIX rdf: "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT ?i WHERE { ?e a bk:Evidence ; "
        "rdf:subject ?i } ORDER BY ?i LIMIT 1"
    ).rows[0][0]
    params = {"blast-radius": {"vendor": top.value}, "evidence-for": {"subject": incident.value}}
    return {q.name: Q.bind_parameters(q, params.get(q.name, {}), store) for q in Q.list_queries()}


def time_oxigraph(store: OxigraphSelect, text: str, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = len(store.select(text).rows)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), rows


# --- rdflib in a worker process -------------------------------------------------------------


def rdflib_worker(nquads: str, timeout: float, conn) -> None:
    """Load the data once; run each query in a forked child (copy-on-write, no reload),
    killed at ``timeout`` seconds."""
    import os
    import select
    import signal

    import rdflib

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    conn.send(("loaded", time.perf_counter() - t0, peak_rss_mb()))
    while True:
        text = conn.recv()
        if text is None:
            break
        read_end, write_end = os.pipe()
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child runs one query and reports its row count
            os.close(read_end)
            rows = len(list(dataset.query(text)))
            os.write(
                write_end, json.dumps([time.perf_counter() - t0, rows, peak_rss_mb()]).encode()
            )
            os._exit(0)
        os.close(write_end)
        ready, _, _ = select.select([read_end], [], [], timeout)
        if ready:
            data = b""
            while chunk := os.read(read_end, 65536):
                data += chunk
            seconds, rows, peak = json.loads(data)
            conn.send(("done", seconds, rows, peak))
        else:
            os.kill(pid, signal.SIGKILL)
            conn.send(("timeout", None, None, 0.0))
        os.close(read_end)
        os.waitpid(pid, 0)


class RdflibRunner:
    """One worker process holding the rdflib dataset (see ``rdflib_worker``)."""

    def __init__(self, nquads: Path, timeout: float) -> None:
        self.nquads, self.timeout = str(nquads), timeout
        self.load_seconds = 0.0
        self.peak_mb = 0.0

    def start(self) -> None:
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=rdflib_worker, args=(self.nquads, self.timeout, child), daemon=True
        )
        self.process.start()
        _, self.load_seconds, peak = self.conn.recv()
        self.peak_mb = max(self.peak_mb, peak)

    def run(self, text: str) -> tuple[float | None, int | None]:
        self.conn.send(text)
        _, seconds, rows, peak = self.conn.recv()
        self.peak_mb = max(self.peak_mb, peak)
        return seconds, rows

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(timeout=30)


# --- the runs -------------------------------------------------------------------------------


def compare_engines(n: int, repeat: int, timeout: float, seed: int) -> dict:
    t0 = time.perf_counter()
    quads = with_ontology(generate(n, seed))
    generated = time.perf_counter() - t0
    print(f"generated {len(quads):,} quads in {generated:.1f} s", flush=True)
    store, ox_load = load_oxigraph(quads)
    print(f"oxigraph: loaded in {ox_load:.1f} s", flush=True)
    texts = bound_queries(store)
    with tempfile.TemporaryDirectory() as tmp:
        nquads = Path(tmp) / "data.nq"
        write_nquads(quads, nquads)
        del quads
        rdflib_runner = RdflibRunner(nquads, timeout)
        rdflib_runner.start()
        print(f"rdflib: loaded in {rdflib_runner.load_seconds:.1f} s", flush=True)
        rows = []
        for name, text in texts.items():
            ox_seconds, ox_rows = time_oxigraph(store, text, repeat)
            rl_seconds, rl_rows = rdflib_runner.run(text)
            ratio = (rl_seconds or timeout) / max(ox_seconds, 1e-6)
            rows.append(
                {
                    "query": name,
                    "oxigraph_s": ox_seconds,
                    "rdflib_s": rl_seconds,
                    "ratio": ratio,
                    "ratio_is_lower_bound": rl_seconds is None,
                    "rows": ox_rows,
                    "rows_agree": rl_rows is None or rl_rows == ox_rows,
                }
            )
            shown = f"{rl_seconds:9.3f}" if rl_seconds is not None else f">{timeout:7.0f} "
            print(
                f"  {name:42} oxigraph {ox_seconds:8.3f} s  rdflib {shown} s  "
                f"x{ratio:8.1f}{'+' if rl_seconds is None else ' '} rows {ox_rows}"
                f"{'' if rows[-1]['rows_agree'] else f' (rdflib {rl_rows})'}",
                flush=True,
            )
        rdflib_runner.close()
    ratios = [r["ratio"] for r in rows]
    return {
        "triples": n,
        "generate_s": generated,
        "oxigraph_load_s": ox_load,
        "rdflib_load_s": rdflib_runner.load_seconds,
        "queries": rows,
        "min_ratio": min(ratios),
        "median_ratio": statistics.median(ratios),
        "geomean_ratio": statistics.geometric_mean(ratios),
        "rdflib_peak_mb": rdflib_runner.peak_mb,
        "peak_mb": peak_rss_mb(),
    }


def oxigraph_alone(n: int, repeat: int, seed: int) -> dict:
    t0 = time.perf_counter()
    quads = with_ontology(generate(n, seed))
    generated = time.perf_counter() - t0
    print(f"generated {len(quads):,} quads in {generated:.1f} s", flush=True)
    store, load = load_oxigraph(quads)
    del quads
    print(f"oxigraph: loaded in {load:.1f} s", flush=True)
    rows = []
    for name, text in bound_queries(store).items():
        seconds, count = time_oxigraph(store, text, repeat)
        rows.append({"query": name, "oxigraph_s": seconds, "rows": count})
        print(f"  {name:42} oxigraph {seconds:8.3f} s  rows {count}", flush=True)
    return {
        "triples": n,
        "generate_s": generated,
        "oxigraph_load_s": load,
        "queries": rows,
        "max_s": max(r["oxigraph_s"] for r in rows),
        "peak_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size for both engines")
    parser.add_argument("--big", type=int, default=10_000_000, help="size for Oxigraph alone")
    parser.add_argument("--repeat", type=int, default=3, help="Oxigraph runs per query")
    parser.add_argument("--big-repeat", type=int, default=1, help="runs per query at --big")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    figures = {
        "compare": compare_engines(args.triples, args.repeat, args.rdflib_timeout, args.seed)
    }
    c = figures["compare"]
    print(
        f"ratio rdflib/oxigraph at {c['triples']:,}: min x{c['min_ratio']:.1f}, median "
        f"x{c['median_ratio']:.1f}, geometric mean x{c['geomean_ratio']:.1f}; peak RSS "
        f"{c['peak_mb']:.0f} MB (rdflib worker {c['rdflib_peak_mb']:.0f} MB)",
        flush=True,
    )
    if args.big:
        figures["big"] = b = oxigraph_alone(args.big, args.big_repeat, args.seed)
        print(
            f"oxigraph at {b['triples']:,}: slowest query {b['max_s']:.3f} s; peak RSS "
            f"{b['peak_mb']:.0f} MB",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
