"""The ``breachkg`` command: one short function per verb.

Each verb parses its arguments, calls one pipeline (or output) function, prints, and
turns ``BreachkgError`` into one stderr line and a non-zero exit:
0 ok, 1 findings (validation violations), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

from breachkg import __version__
from breachkg.errors import BreachkgError

log = logging.getLogger("breachkg")

#: verb name -> (function adding the sub-parser, function running the verb)
VERBS: dict[str, tuple[Callable[[argparse._SubParsersAction], None], Callable]] = {}


def verb(name: str, add_arguments: Callable[[argparse.ArgumentParser], None], help: str):
    """Register ``func(args) -> int`` as the verb ``name``."""

    def register(func: Callable[[argparse.Namespace], int]):
        def add(sub: argparse._SubParsersAction) -> None:
            doc = (func.__doc__ or help).strip()
            p = sub.add_parser(name, help=help, description=doc)
            add_arguments(p)
            p.set_defaults(_run=func)

        VERBS[name] = (add, func)
        return func

    return register


def store_location(args: argparse.Namespace) -> dict:
    """Where the store is: ``--endpoint``, else ``--store``, else $BREACHKG_STORE, else default."""
    return {
        "endpoint": getattr(args, "endpoint", None) or os.environ.get("BREACHKG_ENDPOINT"),
        "path": getattr(args, "store", None)
        or os.environ.get("BREACHKG_STORE")
        or os.path.join("breachkg-data", "store"),
    }


# --- verbs are registered below, one block each --------------------------------------------


# ingest, stats, export (store layer) ---------------------------------------------------------
def add_store_arguments(p: argparse.ArgumentParser) -> None:
    """``--store`` / ``--endpoint`` also after the verb (the global ones still work)."""
    p.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS, help="store folder")
    p.add_argument(
        "--endpoint", metavar="URL", default=argparse.SUPPRESS, help="remote SPARQL query URL"
    )


def open_cli_store(args: argparse.Namespace, must_exist: bool = False):
    """The store named by the command line (see ``store_location``)."""
    from breachkg.pipeline import open_store

    where = store_location(args)
    return open_store(path=where["path"], endpoint=where["endpoint"], must_exist=must_exist)


def _add_ingest(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked)")
    p.add_argument(
        "--graph", metavar="IRI", help="put the triples of a single RDF file in this named graph"
    )
    p.add_argument(
        "--no-validate",
        action="store_true",
        help="skip the SHACL validation of each source's graph before it is stored",
    )
    add_store_arguments(p)


@verb("ingest", _add_ingest, "load files into the store, one named graph per source")
def run_ingest(args: argparse.Namespace) -> int:
    """Load files into the store, one named graph per source.

    RDF files (.ttl .nt .nq .trig .jsonld .rdf .xml .owl .n3): triples go to the graph
    graph/rdf/<sha256 of the file, 16 hex digits>, named graphs keep their names; other
    kinds go to the loader registered for their ending.  Folders are walked.  Each graph is
    replaced, so ingesting a file again swaps its graph; when any file fails, nothing is
    written.  Articles (.txt .md .html .htm .jsonl) are the exception: they go in batches
    to graph/article/<sha256 of the text>, and an article that cannot be read is skipped
    and reported (the ingest fails only when none can be read).
    """
    from breachkg.pipeline import ingest_inputs

    progress = not args.quiet and sys.stderr.isatty()
    with open_cli_store(args) as store:
        from breachkg.errors import BreachkgValidationError
        from breachkg.pipeline import validate_source

        check = None if args.no_validate else validate_source
        try:
            report = ingest_inputs(
                store, args.paths, graph=args.graph, progress=progress, validate=check
            )
        except BreachkgValidationError as err:
            if err.report is not None:
                sys.stderr.write(err.report.text)
            raise
        for where, reason in report.skipped:
            print(f"skipped {where}: {reason}", file=sys.stderr)
        if not args.quiet:
            print(
                f"ingested {report.sources} source(s): {report.quads} quads in "
                f"{len(report.graphs)} graph(s) -> {store.location}"
            )
            if report.articles:
                print(
                    f"articles {report.articles}, incidents {report.incidents}, "
                    f"skipped {len(report.skipped)}"
                )
    return 0


def _add_stats(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_store_arguments(p)


@verb("stats", _add_stats, "count quads, triples, named graphs and instances per class")
def run_stats(args: argparse.Namespace) -> int:
    """Count the quads, distinct triples, named graphs and instances per class of the store."""
    import json

    from breachkg.pipeline import compact_iri, store_stats

    with open_cli_store(args, must_exist=True) as store:
        stats = store_stats(store)
    if args.format == "json":
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    kinds = ", ".join(f"{k} {n}" for k, n in stats["graphs_per_kind"].items())
    print(f"store    {stats['backend']} {stats['location']}")
    print(f"quads    {stats['quads']}")
    print(f"triples  {stats['triples']} (distinct, all graphs merged)")
    print(f"graphs   {stats['graphs']}" + (f" ({kinds})" if kinds else ""))
    print("instances per class:")
    width = max((len(compact_iri(c)) for c in stats["instances_per_class"]), default=0)
    for cls, count in stats["instances_per_class"].items():
        print(f"  {compact_iri(cls):<{width}}  {count}")
    return 0


def _add_export(p: argparse.ArgumentParser) -> None:
    from breachkg.export import EXPORTERS

    p.add_argument(
        "--format", default="turtle", choices=sorted(EXPORTERS), help="export format (turtle)"
    )
    p.add_argument("out", metavar="OUT", help="file to write (replaced atomically)")
    p.add_argument(
        "--graph", metavar="G", help="export only this named graph (one source), not the store"
    )
    add_store_arguments(p)


@verb("export", _add_export, "write the whole store to a file")
def run_export(args: argparse.Namespace) -> int:
    """Write the whole store (or one named graph) to OUT; the same store always gives the
    same bytes.  Formats: turtle (graphs merged), trig and nquads (named graphs kept),
    jsonld (compact context), stix (STIX 2.1 bundle).  A VoID/DCAT description of the
    export is written beside it as OUT.void.ttl.
    """
    from breachkg.export import export_store, void_path

    with open_cli_store(args, must_exist=True) as store:
        path = export_store(store, args.format, args.out, graph=args.graph)
    if not args.quiet:
        print(f"wrote {path} ({path.stat().st_size} bytes, {args.format})")
        print(f"wrote {void_path(path)} (VoID/DCAT description)")
    return 0


# demo (articles) -----------------------------------------------------------------------------
def _add_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="demo store folder, wiped first (default ./breachkg-data/demo-store)",
    )
    p.add_argument("--out", metavar="DIR", help="output folder (default ./breachkg-data/out)")


@verb("demo", _add_demo, "build a fresh store from the shipped sample articles, step by step")
def run_demo(args: argparse.Namespace) -> int:
    """Ingest the shipped sample articles into a fresh embedded store (wiped first), print
    what was built, and write OUT/breachkg.ttl.  Never touches the main store: only
    ``--store`` or the default demo folder is used, and a non-empty folder that is not a
    store is refused."""
    from breachkg import pipeline

    echo = (lambda line: None) if args.quiet else print
    progress = not args.quiet and sys.stderr.isatty()
    run = pipeline.run_demo(
        getattr(args, "store", None) or pipeline.DEFAULT_DEMO_STORE,
        args.out or pipeline.DEFAULT_DEMO_OUT,
        echo=echo,
        progress=progress,
    )
    if args.quiet:
        for path in run.outputs.values():
            print(path)
    return 0


# query (canned queries) ---------------------------------------------------------------------
def _add_query(p: argparse.ArgumentParser) -> None:
    from breachkg.queries import FORMATS

    p.add_argument("name", nargs="?", metavar="NAME", help="canned query name, or a .rq file")
    p.add_argument("-e", "--expression", metavar="SPARQL", help="run this query text instead")
    p.add_argument("--list", action="store_true", help="list the canned queries and parameters")
    _add_query_options(p, FORMATS)
    p.add_argument(
        "rest", nargs=argparse.REMAINDER, help="more options; --NAME VALUE sets parameter NAME"
    )
    add_store_arguments(p)


def _add_query_options(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a query parameter (repeatable); vendor and software also take a name",
    )
    p.add_argument("-f", "--format", choices=formats, default="table", help="output format")
    p.add_argument("-o", "--out", metavar="FILE", help="write the results to FILE (atomically)")
    p.add_argument("--timeout", type=float, metavar="S", help="give up after S seconds")


@verb("query", _add_query, "run a canned or given SPARQL query (read-only)")
def run_query_verb(args: argparse.Namespace) -> int:
    """Run a canned query (`breachkg query --list`), a .rq file, or -e 'SELECT ...'.

    Parameters: --param vendor="Softway Medical" or --vendor "Softway Medical". Updates are
    refused. Formats: table, csv, tsv, json (SPARQL 1.1 JSON results).
    """
    from breachkg.errors import BreachkgParameterError
    from breachkg.queries import (
        FORMATS,
        describe_queries,
        execute_query,
        find_query,
        list_queries,
        parse_param_options,
        read_query,
    )
    from breachkg.rdf_io import write_bytes_atomically

    more = argparse.ArgumentParser(prog="breachkg query", add_help=False)
    _add_query_options(more, FORMATS)
    add_store_arguments(more)
    extra_ns, extra = more.parse_known_args(args.rest or [])
    for key in ("store", "endpoint"):
        if hasattr(extra_ns, key):
            setattr(args, key, getattr(extra_ns, key))
    params = parse_param_options(args.param + extra_ns.param, extra)
    fmt = extra_ns.format if extra_ns.format != "table" else args.format
    out_path = extra_ns.out or args.out
    timeout = extra_ns.timeout or args.timeout
    if args.list:
        print(describe_queries(list_queries()), end="")
        return 0
    if args.expression and args.name:
        raise BreachkgParameterError("NAME", "give a query name or -e, not both")
    if args.expression:
        query = read_query(args.expression, name="expression")
    elif args.name:
        query = find_query(args.name)
    else:
        raise BreachkgParameterError("NAME", "give a canned query name, a .rq file or -e SPARQL")
    with open_cli_store(args, must_exist=True) as store:
        text = execute_query(store, query, params, fmt, timeout)
    if out_path:
        path = write_bytes_atomically(out_path, text.encode("utf-8"))
        if not args.quiet:
            print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# validate (SHACL) ---------------------------------------------------------------------------
def _add_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="*", metavar="FILE", help="RDF files to validate instead of the store"
    )
    p.add_argument("--format", choices=("text", "json", "turtle"), default="text")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of messages")
    p.add_argument("--shapes", metavar="FILE", help="SHACL shapes (default: the shipped ones)")
    p.add_argument("--engine", choices=("fast", "pyshacl"), default="fast")
    p.add_argument("--graph", metavar="IRI", help="validate only this named graph")
    add_store_arguments(p)


@verb("validate", _add_validate, "check the store (or files) against the SHACL shapes")
def run_validate(args: argparse.Namespace) -> int:
    """Validate every named graph of the store, or of the given RDF files, against the
    shapes, each graph with the ontology.  Prints the report; exit status 0 when no result
    is a violation (warnings alone pass), 1 when some is, 2 on an error."""
    from breachkg import pipeline

    options = dict(shapes=args.shapes, engine=args.engine, graph=args.graph, lang=args.lang)
    if args.paths:
        report = pipeline.validate_files(args.paths, **options)
    else:
        with open_cli_store(args, must_exist=True) as store:
            report = pipeline.validate_store(store, **options)
    sys.stdout.write(report.formatted(args.format, args.lang))
    return 0 if report.conforms else 1


# serve (SPARQL endpoint) --------------------------------------------------------------------
def _add_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    p.add_argument("--port", type=int, default=7878, help="port (7878; 0 picks a free one)")
    p.add_argument("--public", action="store_true", help="allow a non-loopback --host")
    p.add_argument("--allow-write", action="store_true", help="accept updates (needs --token)")
    p.add_argument(
        "--token", metavar="T", help="bearer token required for writes (or $BREACHKG_TOKEN)"
    )
    p.add_argument("--cors", action="store_true", help="send Access-Control-Allow-Origin: *")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="query deadline (10 s)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="result cap (10000)")
    p.add_argument("--workers", type=int, metavar="N", help="query worker processes (cores, <= 4)")
    p.add_argument(
        "--runner",
        choices=("process", "thread"),
        default="process",
        help="where queries run: worker processes, killed past the deadline (default), or "
        "threads, abandoned past it",
    )
    p.add_argument("--threads", type=int, default=8, metavar="N", help="HTTP threads (8)")
    p.add_argument(
        "--cache",
        type=int,
        default=1024,
        metavar="N",
        help="keep the last N answers of a read-only embedded store (1024; 0: off)",
    )
    add_store_arguments(p)


@verb("serve", _add_serve, "serve the store as a read-only SPARQL 1.1 endpoint")
def run_serve(args: argparse.Namespace) -> int:
    """Serve the store over the SPARQL 1.1 Protocol (GET/POST /sparql), with the canned
    queries at /queries/<name>, a Graph Store read at /store and an HTML page at /.
    Read-only unless --allow-write and --token are both given; SERVICE is refused;
    every query has a deadline (--timeout) and a row cap (--max-rows).
    """
    from breachkg.endpoint import build_app, check_host, serve

    check_host(args.host, args.public)
    logging.getLogger("breachkg.endpoint").setLevel(logging.ERROR if args.quiet else logging.INFO)
    where = store_location(args)
    app = build_app(
        path=where["path"],
        endpoint=where["endpoint"],
        workers=args.workers,
        runner=args.runner,
        allow_write=args.allow_write,
        token=args.token or os.environ.get("BREACHKG_TOKEN"),
        cors=args.cors,
        timeout=args.timeout,
        max_rows=args.max_rows,
        cache=args.cache,
    )
    serve(app, host=args.host, port=args.port, threads=args.threads, public=args.public)
    return 0


# report ---------------------------------------------------------------------------------------
def _add_report(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("text", "markdown", "html"),
        default="markdown",
        help="report format (markdown)",
    )
    p.add_argument("--lang", choices=("fr", "en"), default="fr", help="labels language (fr)")
    p.add_argument(
        "--out",
        metavar="DIR",
        default=os.path.join("breachkg-data", "report"),
        help="folder for the report, its charts and GraphML/GEXF (./breachkg-data/report)",
    )
    p.add_argument(
        "--no-vocabularies",
        action="store_true",
        help="do not load the ontology graphs into the store when missing",
    )
    add_store_arguments(p)


@verb("report", _add_report, "write the supply-chain report with charts and network exports")
def run_report(args: argparse.Namespace) -> int:
    """Top vendors by establishments and by people exposed, HHI and CR-n, special-category
    exposure, the incident timeline and single points of failure, with PNG and SVG charts
    and the network as GraphML and GEXF for Gephi, all in --out.
    """
    from breachkg.pipeline import build_report

    with open_cli_store(args, must_exist=True) as store:
        files = build_report(
            store,
            args.out,
            fmt=args.format,
            lang=args.lang,
            load_vocabularies=not args.no_vocabularies,
        )
    if not args.quiet:
        print(
            f"wrote {files.report} ({len(files.charts)} charts, {len(files.exports)} network files)"
        )
    return 0


# extract (article extraction engine) -------------------------------------------------------
def _add_extract(p: argparse.ArgumentParser) -> None:
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files or folders")
    p.add_argument(
        "--json", metavar="OUT_DIR", required=True, help="write OUT_DIR/NAME.json per article"
    )
    p.add_argument("--language", choices=("fr", "en"), help="language of every article")


@verb("extract", _add_extract, "extract incidents from articles into one JSON file each")
def run_extract(args: argparse.Namespace) -> int:
    """Read each article and write OUT_DIR/NAME.json (NAME = the file's stem) holding its
    language, publication date and incidents (victims, vendors, software, actors, counts,
    dates, data categories, attack types, places), in the format of score.py."""
    from breachkg.pipeline import extract_articles_to_json

    report = extract_articles_to_json(args.articles, args.json, language=args.language)
    for where, reason in report.skipped:
        print(f"skipped {where}: {reason}", file=sys.stderr)
    if not args.quiet:
        print(f"wrote {len(report.files)} file(s), {report.incidents} incident(s) -> {args.json}")
    return 0


# --- end of verbs ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breachkg",
        description="Knowledge graph of health-sector data breaches and their software "
        "supply chain.",
    )
    parser.add_argument("--version", action="version", version=f"breachkg {__version__}")
    parser.add_argument(
        "--store",
        metavar="DIR",
        help="embedded store folder (default ./breachkg-data/store, or $BREACHKG_STORE)",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="use a remote SPARQL 1.1 server instead of the "
        "embedded store (query URL; update and Graph Store URLs are derived)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    for add, _ in VERBS.values():
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except BreachkgError as err:
        print(f"breachkg {args.verb}: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"breachkg {args.verb}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
