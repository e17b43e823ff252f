"""Validation speed: pySHACL (the reference) against the compiled-SPARQL fast engine.

Run once, by hand; it prints its figures and exits 1 when the engines disagree:

    python benchmarks/bench_validate.py --prepared       # 1M fast, pySHACL at 100k
    python benchmarks/bench_validate.py --pyshacl-triples 1000000 --only-prepared
    python benchmarks/bench_validate.py --pyshacl-triples 1000000   # the full baseline

1. Generates a synthetic graph (``generate_graph.generate``, 3% broken articles so both
   engines have results to agree on).
2. Full validation with the fast engine at ``--triples`` and at ``--pyshacl-triples``.
3. pySHACL at ``--pyshacl-triples`` on in-memory rdflib graphs (one per named graph, built
   beforehand and not timed), the same results asserted, the ratio printed.  When that is
   less than ``--triples``, pySHACL's time at ``--triples`` is extrapolated linearly in the
   number of named graphs (it validates graph by graph) and marked as such.
4. One new article graph against the big store: ``validate_graph(quads)`` as the ingest
   hook runs it, and ``validate_graph(store, graph=IRI)`` on the loaded store (median wall
   time of ``--repeat`` runs each).

Times are CPU seconds of this process (the machine is shared), wall time beside.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph

sys.path.insert(0, str(Path(__file__).parent))
from generate_graph import generate  # noqa: E402

from breachkg.validate import (  # noqa: E402
    load_shapes,
    open_data,
    rdflib_graphs,
    results_fast,
    results_pyshacl,
    validate_graph,
)


class Timing(float):
    """CPU seconds of this process (the machine may be shared), with the wall time beside."""

    wall: float

    def __str__(self) -> str:
        return f"{float(self):8.2f} s cpu ({self.wall:8.2f} s wall)"


def timed(func, *args, **kwargs) -> tuple[object, Timing]:
    t0, c0 = time.perf_counter(), time.process_time()
    value = func(*args, **kwargs)
    spent = Timing(time.process_time() - c0)
    spent.wall = time.perf_counter() - t0
    return value, spent


def article_graphs(quads) -> dict[str, list]:
    graphs: dict[str, list] = {}
    for q in quads:
        if "/graph/article/" in q.graph_name.value:
            graphs.setdefault(q.graph_name.value, []).append(q)
    return graphs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--pyshacl-triples", type=int, default=100_000)
    parser.add_argument("--defects", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument(
        "--prepared", action="store_true", help="also time pySHACL with prepared SPARQL queries"
    )
    parser.add_argument(
        "--only-prepared",
        action="store_true",
        help="time only pySHACL with prepared queries (stock pySHACL takes ~1 h at 1M)",
    )
    args = parser.parse_args(argv)
    bundle = load_shapes()
    _ = bundle.checks  # compile once, outside the timings
    print(f"shapes: {len(bundle.checks)} compiled checks")
    ok = True

    # pySHACL against fast, same data -------------------------------------------------------
    small = generate(args.pyshacl_triples, args.seed, args.defects)
    small_store, t_load_small = timed(open_data, small)
    n_graphs_small = sum(1 for _ in small_store.named_graphs())
    fast_small, t_fast_small = timed(results_fast, small_store, bundle)
    graphs, t_rdflib = timed(rdflib_graphs, small_store)
    print(
        f"\n{len(small):,} quads, {n_graphs_small:,} graphs: oxigraph load {t_load_small.wall:.2f} s, "
        f"rdflib graphs built in {t_rdflib.wall:.1f} s (not timed below)"
    )
    if not args.only_prepared:
        ref, t_ref = timed(results_pyshacl, graphs, bundle, prepare=False)
        ok &= {r.key() for r in ref} == {r.key() for r in fast_small}
        print(
            f"  pyshacl : {t_ref}  {len(ref)} results (stock: rdflib parses each query per focus node)"
        )
    if args.prepared or args.only_prepared:
        prepared, t_prep = timed(results_pyshacl, graphs, bundle, prepare=True)
        ok &= {r.key() for r in prepared} == {r.key() for r in fast_small}
        print(f"  pyshacl+: {t_prep}  {len(prepared)} results (SPARQL parsed once per text)")
    if args.only_prepared:
        ref, t_ref = prepared, t_prep
    same = {r.key() for r in ref} == {r.key() for r in fast_small}
    print(f"  fast    : {t_fast_small}  {len(fast_small)} results")
    print(f"  identical results: {same};  ratio pyshacl/fast = {t_ref / t_fast_small:.0f}x (cpu)")
    if args.prepared and not args.only_prepared:
        print(f"  ratio pyshacl+/fast = {t_prep / t_fast_small:.0f}x (cpu)")

    # fast at full size ---------------------------------------------------------------------
    if args.triples != args.pyshacl_triples:
        big, t_gen = timed(generate, args.triples, args.seed, args.defects)
        store, t_load = timed(open_data, big)
        n_graphs = sum(1 for _ in store.named_graphs())
        fast, t_fast = timed(results_fast, store, bundle)
        per_graph = t_ref / n_graphs_small
        estimate = per_graph * n_graphs
        print(
            f"\n{len(big):,} quads, {n_graphs:,} graphs (generated in {t_gen.wall:.1f} s, "
            f"oxigraph load {t_load.wall:.1f} s)"
        )
        print(f"  fast    : {t_fast}  {len(fast)} results")
        print(
            f"  pyshacl : ~{estimate:8.0f} s cpu  EXTRAPOLATED ({per_graph * 1000:.0f} ms per graph "
            f"measured on {n_graphs_small:,} graphs x {n_graphs:,} graphs)"
        )
        print(f"  ratio pyshacl/fast ~ {estimate / t_fast:.0f}x (cpu, extrapolated)")
        if args.prepared and not args.only_prepared:
            est_prep = t_prep / n_graphs_small * n_graphs
            print(f"  ratio pyshacl+/fast ~ {est_prep / t_fast:.0f}x (cpu, extrapolated)")
    else:
        store = small_store

    # one new article graph against the big store ----------------------------------------------
    fresh = article_graphs(generate(5_000, args.seed + 1000, 0.0))
    iri, quads = sorted(fresh.items())[0]
    times_hook = [timed(validate_graph, quads)[1].wall for _ in range(args.repeat)]
    store.extend(quads)
    times_graph = [timed(validate_graph, store, graph=iri)[1].wall for _ in range(args.repeat)]
    report = validate_graph(store, graph=iri)
    print(f"\none new article graph ({len(quads)} quads) against {len(store):,} quads:")
    print(
        f"  ingest hook, validate_graph(quads)       median {statistics.median(times_hook) * 1000:6.1f} ms"
    )
    print(
        f"  validate_graph(store, graph=IRI)         median {statistics.median(times_graph) * 1000:6.1f} ms"
    )
    print(f"  conforms: {report.conforms}")
    assert isinstance(store, pyoxigraph.Store)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
