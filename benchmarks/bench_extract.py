"""Article throughput: reading plus extraction plus quads, in articles per second.

Run once, by hand (it prints its figures):

    python benchmarks/bench_extract.py                 # ~200 articles, 1 then 2 workers
    python benchmarks/bench_extract.py --articles 400 --workers 1 2

1. Reads the shipped samples and the seed articles (``../shared/seeds``) with
   ``read_articles`` and repeats them to ``--articles`` articles.
2. Warms the extractor up once (spaCy model loading is reported apart, not counted).
3. Runs ``load_article`` (extraction + ``source_quads``/``incident_quads``) on every
   article with 1 worker, then with a ``multiprocessing`` pool of N workers (forked after
   the warm-up, so the model is shared copy-on-write), and prints articles/s, incidents and
   quads for each, with the speed-up over one worker.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

from breachkg.loaders.news_article import Article, load_article, read_articles

from breachkg.resources import resource_dir

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def collect_articles(total: int) -> list[Article]:
    """Samples and seeds, repeated in order until there are ``total`` articles."""
    base = list(read_articles(resource_dir("samples")))
    if SEEDS.is_dir():
        base += list(read_articles(SEEDS))
    return [base[i % len(base)] for i in range(total)]


def count_one(article: Article) -> tuple[int, int]:
    loaded = load_article(article)
    return loaded.counts["incidents"], len(loaded.quads)


def run(articles: list[Article], workers: int) -> tuple[float, int, int]:
    """Seconds, incidents and quads for every article with ``workers`` processes."""
    t0 = time.perf_counter()
    if workers == 1:
        results = [count_one(a) for a in articles]
    else:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            results = pool.map(count_one, articles, chunksize=4)
    seconds = time.perf_counter() - t0
    return seconds, sum(r[0] for r in results), sum(r[1] for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    articles = collect_articles(args.articles)
    read_s = time.perf_counter() - t0
    distinct = len({a.text for a in articles})
    chars = sum(len(a.text) for a in articles)
    print(
        f"articles {len(articles)} ({distinct} distinct, {chars / len(articles):.0f} chars "
        f"on average); reading the distinct files took {read_s:.2f} s"
    )
    t0 = time.perf_counter()
    count_one(articles[0])
    print(f"warm-up (model loading + first article): {time.perf_counter() - t0:.2f} s")
    print(f"cpus {os.cpu_count()}")
    baseline = None
    for workers in args.workers:
        seconds, incidents, quads = run(articles, workers)
        rate = len(articles) / seconds
        baseline = baseline or rate
        print(
            f"workers {workers}: {seconds:.2f} s, {rate:.1f} articles/s "
            f"(x{rate / baseline:.2f}), {incidents} incidents, {quads} quads"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
