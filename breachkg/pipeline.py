"""The sequences the CLI, notebooks, benchmarks and tests all call.

source files -> loaders -> quads per named graph -> validation -> store -> queries, reports,
exports.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from breachkg.errors import (
    BreachkgInputError,
    BreachkgParameterError,
    BreachkgStoreError,
    BreachkgValidationError,
)
from breachkg.loaders import loader_for
from breachkg.model import LoadedSource
from breachkg.rdf_io import is_rdf_file
from breachkg.store import MemoryStore, OxigraphStore, RemoteStore, Store
from breachkg.vocab import GRAPH_NS, PREFIXES

if TYPE_CHECKING:
    from breachkg.validate import ValidationReport

log = logging.getLogger(__name__)


# --- store, ingest and stats (store layer) ---------------------------------------------------
DEFAULT_STORE = os.path.join("breachkg-data", "store")


def open_store(
    path: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    memory: bool = False,
    read_only: bool = False,
    must_exist: bool = False,
) -> Store:
    """The store to use: in memory, a remote SPARQL server, or the embedded one at ``path``.

    ``path`` defaults to $BREACHKG_STORE, then ``./breachkg-data/store``.  ``must_exist``
    refuses to create an embedded store (for verbs that only read).
    """
    if memory:
        return MemoryStore()
    if endpoint:
        return RemoteStore(endpoint)
    path = Path(path or os.environ.get("BREACHKG_STORE") or DEFAULT_STORE)
    if (must_exist or read_only) and not (path / "CURRENT").exists():
        raise BreachkgStoreError(f"store {path} does not exist (run `breachkg ingest` first)")
    return OxigraphStore(path, read_only=read_only)


@dataclass
class IngestReport:
    """What an ingest wrote: quads per replaced graph, sources read, input refused."""

    graphs: dict[str, int] = field(default_factory=dict)
    sources: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def quads(self) -> int:
        return sum(self.graphs.values())


def refuse_if_invalid(source: LoadedSource, validate: Callable | None) -> None:
    """Raise ``BreachkgValidationError`` when ``validate(source)`` reports non-conformance."""
    if validate is None:
        return
    outcome = validate(source)
    if outcome is not None and not getattr(outcome, "conforms", True):
        raise BreachkgValidationError(
            f"{source.name}: graph {source.graph} does not conform to the shapes", outcome
        )


def ingest_sources(
    store: Store,
    sources: Iterable[LoadedSource],
    validate: Callable[[LoadedSource], object] | None = None,
) -> IngestReport:
    """Replace each source's named graph by its quads, all graphs in one transaction.

    ``validate(source)`` runs on every source before anything is written; it returns a
    report whose ``conforms`` is false to refuse the whole ingest (or raises itself).
    Sources naming the same graph are merged into it.
    """
    graphs: dict[str, dict] = {}
    report = IngestReport()
    for source in sources:
        refuse_if_invalid(source, validate)
        graphs.setdefault(source.graph, {}).update(dict.fromkeys(source.quads))
        report.sources += 1
        report.skipped.extend(source.skipped)
    store.replace_graphs({g: list(quads) for g, quads in graphs.items()})
    report.graphs = {g: len(quads) for g, quads in sorted(graphs.items())}
    return report


def list_input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to ingest: given files as they are, directories walked (sorted; hidden
    entries, READMEs and files no loader reads are left out)."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                rel = found.relative_to(path).parts
                if not found.is_file() or any(part.startswith(".") for part in rel):
                    continue
                if found.name.startswith("README"):
                    continue  # a folder's README describes it; it is not a source
                try:
                    loader_for(found)
                except BreachkgInputError:
                    log.info("skipped %s: no loader reads it", found)
                    continue
                files.append(found)
        elif path.is_file():
            files.append(path)
        else:
            raise BreachkgInputError(path, "no such file or directory")
    return files


def load_files(
    paths: Iterable[str | os.PathLike[str]], graph: str | None = None
) -> list[LoadedSource]:
    """Every source in ``paths``, each file read by the loader its kind calls for."""
    files = list_input_files(paths)
    if graph is not None and (len(files) != 1 or not is_rdf_file(files[0])):
        raise BreachkgParameterError("--graph", "applies to exactly one RDF file")
    sources: list[LoadedSource] = []
    for path in files:
        info = loader_for(path)
        kwargs = {"graph": graph} if graph is not None else {}
        log.debug("loading %s with %s", path, info.name)
        sources.extend(info.load_module().load(path, **kwargs))
    return sources


def ingest_files(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    graph: str | None = None,
    validate: Callable[[LoadedSource], object] | None = None,
) -> IngestReport:
    """Load every file under ``paths`` and swap their graphs into the store in one go.

    Nothing is written when any file fails to load.
    """
    return ingest_sources(store, load_files(paths, graph=graph), validate=validate)


def ingest_rdf_files(
    store: Store, paths: Iterable[str | os.PathLike[str]], graph: str | None = None
) -> IngestReport:
    """Ingest RDF files only (any syntax); other files are an input error."""
    paths = list(paths)
    for path in list_input_files(paths):
        if not is_rdf_file(path):
            raise BreachkgInputError(path, "not an RDF file")
    return ingest_files(store, paths, graph=graph)


def compact_iri(iri: str) -> str:
    """``bk:Incident`` for a known namespace, the IRI itself otherwise."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(ns) and "/" not in iri[len(ns) :]:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def store_stats(store: Store) -> dict:
    """Sizes of the store: quads, distinct triples, named graphs (per source kind), classes."""
    triples = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
    )
    classes = store.select(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class } "
        "GROUP BY ?class ORDER BY DESC(?instances) ?class"
    )
    graphs = store.graphs()
    kinds: dict[str, int] = {}
    for g in graphs:
        kind = g[len(GRAPH_NS) :].split("/", 1)[0] if g.startswith(GRAPH_NS) else "other"
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "backend": store.kind,
        "location": store.location,
        "quads": len(store),
        "triples": int(triples.rows[0][0].value),
        "graphs": len(graphs),
        "graphs_per_kind": dict(sorted(kinds.items())),
        "instances_per_class": {
            row[0].value: int(row[1].value) for row in classes.rows if row[0] is not None
        },
    }


# --- articles: batched ingest, refused input reported (news_article loader) ------------------
ARTICLE_LOADER = "news_article"
#: Articles whose graphs are swapped into the store per transaction.
ARTICLE_BATCH = 8


@dataclass
class ArticleIngestReport(IngestReport):
    """An ingest that read articles: also counts articles and the incidents found in them."""

    articles: int = 0
    incidents: int = 0

    def add(self, other: IngestReport) -> None:
        """Fold another report into this one."""
        self.graphs.update(other.graphs)
        self.sources += other.sources
        self.skipped.extend(other.skipped)
        self.articles += getattr(other, "articles", 0)
        self.incidents += getattr(other, "incidents", 0)


def is_article_file(path: str | os.PathLike[str]) -> bool:
    """True for a file the news-article loader reads (README files are documentation)."""
    path = Path(path)
    if path.name.lower().startswith("readme"):
        return False
    try:
        return loader_for(path).name == ARTICLE_LOADER
    except BreachkgInputError:
        return False


def split_article_files(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[Path], list[Path]]:
    """(article files, other files) under ``paths``; README files inside folders dropped."""
    articles: list[Path] = []
    others: list[Path] = []
    for file in list_input_files(paths):
        if is_article_file(file):
            articles.append(file)
        elif not file.name.lower().startswith("readme") or not is_article_name(file):
            others.append(file)
    return articles, others


def is_article_name(path: Path) -> bool:
    try:
        return loader_for(path).name == ARTICLE_LOADER
    except BreachkgInputError:
        return False


def count_articles(files: Iterable[Path]) -> int:
    """Articles expected in ``files``: one per file, one per non-blank JSON Lines line."""
    total = 0
    for file in files:
        if file.suffix.lower() == ".jsonl":
            try:
                with file.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def load_article_files(
    files: Iterable[Path],
    skipped: list[tuple[str, str]],
    extractor: Callable | None = None,
) -> Iterable[LoadedSource]:
    """Every article in ``files``; a file refused as a whole is added to ``skipped``."""
    from breachkg.loaders.news_article import load

    for file in files:
        try:
            yield from load(file, extractor=extractor)
        except BreachkgInputError as err:
            skipped.append((err.where, err.reason))


def ingest_articles(
    store: Store,
    files: Iterable[str | os.PathLike[str]],
    *,
    extractor: Callable | None = None,
    batch_size: int = ARTICLE_BATCH,
    progress: bool = False,
    validate: Callable[[LoadedSource], object] | None = None,
) -> ArticleIngestReport:
    """Load articles and swap their graphs into the store, ``batch_size`` graphs at a time.

    Each article's graph is replaced atomically, so ingesting an article again gives the
    same graph.  Refused files and JSONL lines are reported in ``skipped``; when no article
    at all could be read, the first refusal is raised and nothing is written.
    """
    from tqdm import tqdm

    files = [Path(f) for f in files]
    report = ArticleIngestReport()
    refused: list[tuple[str, str]] = []
    batch: dict[str, dict] = {}

    def flush() -> None:
        if batch:
            store.replace_graphs({g: list(quads) for g, quads in batch.items()})
            for g, quads in batch.items():
                report.graphs[g] = len(quads)
            log.info(
                "committed a batch of %d article graph(s), %d in all",
                len(batch),
                len(report.graphs),
            )
            batch.clear()

    bar = tqdm(
        total=count_articles(files),
        unit="article",
        desc="ingest",
        disable=not progress,
        leave=False,
    )
    with bar:
        for source in load_article_files(files, refused, extractor):
            refuse_if_invalid(source, validate)
            batch.setdefault(source.graph, {}).update(dict.fromkeys(source.quads))
            report.sources += 1
            report.articles += source.counts.get("articles", 1)
            report.incidents += source.counts.get("incidents", 0)
            refused.extend(source.skipped)
            bar.update(1 + len(source.skipped))
            if len(batch) >= batch_size:
                flush()
        flush()
    report.skipped.extend(refused)
    if not report.articles:
        if refused:
            raise BreachkgInputError(*refused[0])
        raise BreachkgInputError(", ".join(map(str, files)) or "input", "no article found")
    return report


def ingest_inputs(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    graph: str | None = None,
    extractor: Callable | None = None,
    progress: bool = False,
    validate: Callable[[LoadedSource], object] | None = None,
) -> ArticleIngestReport:
    """What ``breachkg ingest`` runs: articles in batches (bad ones skipped and reported),
    every other kind through ``ingest_files`` (all or nothing)."""
    paths = list(paths)
    report = ArticleIngestReport()
    if graph is not None:
        report.add(ingest_files(store, paths, graph=graph, validate=validate))
        return report
    articles, others = split_article_files(paths)
    if others:
        report.add(ingest_sources(store, load_files(others), validate=validate))
    if articles:
        report.add(
            ingest_articles(
                store, articles, extractor=extractor, progress=progress, validate=validate
            )
        )
    if not articles and not others:
        raise BreachkgInputError(", ".join(map(str, paths)), "no file a loader reads")
    if any(loader_for(f).name in DATASET_LOADERS for f in others) or (
        articles and has_dataset_graphs(store)
    ):
        report.add(link_same_entities(store, validate=validate))
    return report


# --- datasets: owl:sameAs links between sources (hhs_ocr_csv, veris_json loaders) -------------
#: Loaders whose ingest refreshes the owl:sameAs graph (``breachkg.resolve``).
DATASET_LOADERS = frozenset({"hhs_ocr_csv", "veris_json"})


def has_dataset_graphs(store: Store) -> bool:
    """True when the store holds a graph of a dataset loader (HHS OCR, VERIS)."""
    kinds = (GRAPH_NS + "hhs-ocr/", GRAPH_NS + "veris/")
    return any(g.startswith(kinds) for g in store.graphs())


def link_same_entities(
    store: Store, validate: Callable[[LoadedSource], object] | None = None
) -> IngestReport:
    """Replace ``graph/resolution/same-as`` by the owl:sameAs links its stated rules give
    over everything now in the store (same breach in HHS, VERIS and articles; one
    organisation filed both as vendor and as establishment)."""
    from breachkg.resolve import link_store

    return ingest_sources(store, [link_store(store)], validate=validate)


# --- demo: a fresh store built from the shipped samples, step by step ------------------------
DEFAULT_DEMO_STORE = os.path.join("breachkg-data", "demo-store")
DEFAULT_DEMO_OUT = os.path.join("breachkg-data", "out")


@dataclass
class DemoRun:
    """State shared by the demo steps; a step reads what earlier ones left and adds its own."""

    store_path: Path
    out_dir: Path
    echo: Callable[[str], None] = print
    progress: bool = False
    extractor: Callable | None = None
    store: Store | None = None
    ingest: ArticleIngestReport | None = None
    summary: dict = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)


DemoStep = Callable[[DemoRun], None]


def wipe_demo_store(path: Path) -> None:
    """Remove an earlier demo store; refuse a folder that holds anything but a store."""
    if not path.exists():
        return
    if not path.is_dir():
        raise BreachkgParameterError("--store", f"{path} is a file, not a store folder")
    if any(path.iterdir()) and not (path / "CURRENT").exists():
        raise BreachkgParameterError(
            "--store", f"{path} is not empty and holds no store; refusing to wipe it"
        )
    import shutil

    shutil.rmtree(path)


def demo_ingest_samples(run: DemoRun) -> None:
    """Wipe the demo store and ingest every shipped sample article into it."""
    from breachkg.resources import resource_dir

    wipe_demo_store(run.store_path)
    run.store = OxigraphStore(run.store_path)
    samples = resource_dir("samples")
    run.ingest = ingest_inputs(run.store, [samples], extractor=run.extractor, progress=run.progress)
    r = run.ingest
    run.echo(
        f"  {r.articles} articles, {r.incidents} incidents, {r.quads} quads in "
        f"{len(r.graphs)} graphs -> {run.store_path}"
    )
    for where, reason in r.skipped:
        run.echo(f"  skipped {where}: {reason}")


_BK = PREFIXES["bk"]
_VENDOR_CLASSES = "bk:Vendor bk:SoftwarePublisher bk:ServiceProvider bk:VendorGroup"
_ESTABLISHMENT_CLASSES = (
    "bk:HealthEstablishment bk:Hospital bk:Clinic bk:MedicalPractice bk:Laboratory "
    "bk:Pharmacy bk:HealthInsurer bk:HealthPlatform bk:EstablishmentGroup bk:EstablishmentCohort"
)


def summarize_graph(store: Store, top: int = 5) -> dict:
    """Counts of sources, incidents, vendors, software, establishments, and the top lines."""
    head = f"PREFIX bk: <{_BK}>\nPREFIX schema: <{PREFIXES['schema']}>\n"

    def count(where: str) -> int:
        rows = store.select(head + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}").rows
        return int(rows[0][0].value) if rows and rows[0][0] is not None else 0

    summary: dict = {
        "sources": count("?x bk:textSha256 ?h"),
        "incidents": count("?x a bk:Incident"),
        "vendors": count(f"VALUES ?c {{ {_VENDOR_CLASSES} }} ?x a ?c"),
        "software": count("?x a bk:SoftwareProduct"),
        "establishments": count(f"VALUES ?c {{ {_ESTABLISHMENT_CLASSES} }} ?x a ?c"),
    }
    largest = store.select(
        head
        + "SELECT ?incident (MAX(?n) AS ?people) (GROUP_CONCAT(DISTINCT ?name; separator=', ') "
        "AS ?victims) (GROUP_CONCAT(DISTINCT ?other; separator=', ') AS ?others) WHERE { "
        "?incident a bk:Incident ; bk:peopleAffected ?n . "
        "OPTIONAL { ?incident bk:victim/schema:name ?name } "
        "OPTIONAL { ?incident bk:compromisedSoftware|bk:involvedVendor ?thing . "
        "?thing schema:name ?other } } GROUP BY ?incident "
        f"ORDER BY DESC(?people) ?incident LIMIT {top}"
    )
    summary["largest_incidents"] = [
        (
            int(row[1].value),
            row[2].value if row[2] is not None and row[2].value else "",
            row[3].value if row[3] is not None else "",
        )
        for row in largest.rows
    ]
    chain = store.select(
        head + "SELECT ?vendorName ?softwareName (COUNT(DISTINCT ?est) AS ?users) WHERE { "
        "?software bk:publishedBy ?vendor . ?vendor schema:name ?vendorName . "
        "?software schema:name ?softwareName . OPTIONAL { ?est bk:usesSoftware ?software } } "
        f"GROUP BY ?vendorName ?softwareName ORDER BY DESC(?users) ?vendorName ?softwareName "
        f"LIMIT {top}"
    )
    summary["vendor_software"] = [
        (row[0].value, row[1].value, int(row[2].value)) for row in chain.rows
    ]
    return summary


def demo_summarize(run: DemoRun) -> None:
    """Print what the graph holds: counts, largest incidents, vendors and their software."""
    s = run.summary = summarize_graph(run.store)
    run.echo(
        f"  sources {s['sources']} · incidents {s['incidents']} · vendors {s['vendors']} · "
        f"software {s['software']} · establishments {s['establishments']}"
    )
    if s["largest_incidents"]:
        run.echo("  largest incidents (people affected):")
        for people, victims, others in s["largest_incidents"]:
            shown = victims or (f"(via {others})" if others else "(victim not named)")
            shown = shown if len(shown) <= 72 else shown[:71] + "…"
            run.echo(f"    {people:>12,}  {shown}")
    if s["vendor_software"]:
        run.echo("  vendor -> software (establishments using it):")
        for vendor, software, users in s["vendor_software"]:
            run.echo(f"    {vendor} -> {software} ({users})")


def demo_export_turtle(run: DemoRun) -> None:
    """Write the whole graph as Turtle to OUT/breachkg.ttl."""
    from breachkg.export import export_store

    path = export_store(run.store, "turtle", run.out_dir / "breachkg.ttl")
    run.outputs["turtle"] = path
    run.echo(f"  wrote {path} ({path.stat().st_size:,} bytes)")


def demo_validate(run: DemoRun) -> None:
    """Validate every graph of the demo store against the SHACL shapes; print the outcome
    and the violations (the report is kept in ``run.summary['validation']``)."""
    from breachkg.validate import validate_graph

    report = validate_graph(run.store)
    run.summary["validation"] = report
    run.echo(
        f"  {'conforms' if report.conforms else 'DOES NOT CONFORM'}: {report.graphs} graphs, "
        f"{len(report.violations)} violations, {len(report.warnings)} warnings"
    )
    for r in report.violations[:20]:
        run.echo(f"    {r.focus} {compact_iri(r.path or '')}: {r.message_en}")


#: The demo, in order: (heading, step).  Later stages append or insert their own steps.
DEMO_STEPS: list[tuple[str, DemoStep]] = [
    ("ingest the sample articles", demo_ingest_samples),
    ("validate the graph (SHACL)", demo_validate),
    ("summarize the graph", demo_summarize),
    ("export Turtle", demo_export_turtle),
]


def run_demo(
    store_path: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    *,
    echo: Callable[[str], None] = print,
    progress: bool = False,
    extractor: Callable | None = None,
    steps: list[tuple[str, DemoStep]] | None = None,
) -> DemoRun:
    """Build a fresh demo store from the samples and run every step of ``DEMO_STEPS``.

    Each step prints one heading line, ``[n/N] heading``, then its own indented lines.
    """
    run = DemoRun(
        store_path=Path(store_path or DEFAULT_DEMO_STORE),
        out_dir=Path(out_dir or DEFAULT_DEMO_OUT),
        echo=echo,
        progress=progress,
        extractor=extractor,
    )
    steps = list(DEMO_STEPS if steps is None else steps)
    try:
        for number, (heading, step) in enumerate(steps, start=1):
            echo(f"[{number}/{len(steps)}] {heading}")
            step(run)
    finally:
        if run.store is not None:
            run.store.close()
    return run


# --- ontology in the store, and the report (queries and report layer) ------------------------
ONTOLOGY_GRAPH_NS = GRAPH_NS + "ontology/"


def ontology_graph_iri(path: Path) -> str:
    """``graph/ontology/<file-stem>`` for a shipped ontology, vocabulary or registry file."""
    return ONTOLOGY_GRAPH_NS + path.stem


def load_ontology(store: Store) -> dict[str, int]:
    """Put ontology/breachkg.ttl, the SKOS vocabularies and the registry in the store.

    One named graph per file (``graph/ontology/<file-stem>``), replaced in one transaction,
    so canned queries see labels, ``bk:specialCategory`` flags and the known supply chain
    (software publishers, vendor groups).  Returns quads per graph.
    """
    from pyoxigraph import NamedNode, Quad

    from breachkg.rdf_io import read_rdf_file
    from breachkg.resources import ontology_files

    graphs = {}
    for path in ontology_files():
        iri = ontology_graph_iri(path)
        graphs[iri] = [
            Quad(q.subject, q.predicate, q.object, NamedNode(iri)) for q in read_rdf_file(path)
        ]
    store.replace_graphs(graphs)
    return {iri: len(quads) for iri, quads in graphs.items()}


def has_ontology(store: Store) -> bool:
    from breachkg.resources import ontology_files

    present = set(store.graphs())
    return all(ontology_graph_iri(p) in present for p in ontology_files())


def build_report(
    store: Store,
    out_dir: str | os.PathLike[str] | None = None,
    fmt: str = "markdown",
    lang: str = "fr",
    load_vocabularies: bool = True,
):
    """Write the report (text, charts, GraphML/GEXF) for the store into ``out_dir``.

    Loads the ontology graphs first when they are missing (labels and special-category
    flags come from them); ``load_vocabularies=False`` leaves the store untouched.
    """
    from breachkg.report import build_report as write_report

    out = Path(out_dir or DEFAULT_REPORT_DIR)
    if out.exists() and not out.is_dir():
        raise BreachkgParameterError("--out", f"{out} exists and is not a folder")
    try:  # before the vocabularies go in, so a bad --out leaves the store alone
        out.mkdir(parents=True, exist_ok=True)
        if load_vocabularies and not has_ontology(store):
            load_ontology(store)
        return write_report(store, out, fmt=fmt, lang=lang)
    except OSError as err:  # a folder that cannot be made: one line, no trace
        raise BreachkgInputError(out, f"cannot write: {err.strerror or err}") from None


DEFAULT_REPORT_DIR = os.path.join("breachkg-data", "report")


def demo_load_ontology(run: DemoRun) -> None:
    """Load the ontology, vocabularies and registry as graphs graph/ontology/<file-stem>."""
    counts = load_ontology(run.store)
    run.echo(f"  {sum(counts.values())} quads in {len(counts)} graphs")


def demo_report(run: DemoRun) -> None:
    """Write the report (markdown, French) with its charts into OUT/report."""
    files = build_report(
        run.store, run.out_dir / "report", fmt="markdown", lang="fr", load_vocabularies=False
    )
    run.outputs["report"] = files.report
    run.echo(f"  wrote {files.report} and {len(files.charts)} charts in {files.report.parent}")


DEMO_STEPS.append(("load the ontology and vocabularies", demo_load_ontology))
DEMO_STEPS.append(("write the report", demo_report))


# --- extract: articles -> one JSON file each (the extraction engine's scored output) ---------


@dataclass
class ExtractReport:
    """What ``extract_articles_to_json`` wrote: files, counts and refused input."""

    files: list[Path] = field(default_factory=list)
    incidents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)


def json_name_for(article_name: str) -> str:
    """``NAME.json`` for an article: its file stem ('a/b/003_x.txt' -> '003_x'; a JSON Lines
    record 'feed.jsonl:7' -> 'feed-7')."""
    import re

    stem = Path(article_name.replace(":", "-")).name
    stem = (
        Path(stem).stem
        if Path(stem).suffix.lower() in (".txt", ".md", ".markdown", ".html", ".htm")
        else stem
    )
    stem = re.sub(r"\.jsonl-", "-", stem)
    return re.sub(r"[^\w.-]+", "-", stem).strip("-.") + ".json"


def extract_articles_to_json(
    paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str],
    language: str | None = None,
) -> ExtractReport:  # fmt: skip
    """Extract every article under ``paths`` and write ``OUT_DIR/NAME.json`` for each.

    Unreadable input inside a folder or JSONL file is skipped and reported; a single
    article file that cannot be read raises ``BreachkgInputError``.
    """
    from breachkg.extract import extract_article
    from breachkg.extract.json_output import extraction_json, write_json_atomically
    from breachkg.loaders.news_article import read_articles

    report = ExtractReport()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BreachkgParameterError("--json", f"{out} exists and is not a folder")
    for path in paths:
        for article in read_articles(path, language=language, skipped=report.skipped):
            found = extract_article(
                article.text, title=article.title, published=article.published,
                language=article.language,
            )  # fmt: skip
            name = Path(article.name).name if ":" not in article.name else article.name
            target = out / json_name_for(name)
            write_json_atomically(target, extraction_json(found, name))
            report.files.append(target)
            report.incidents += len(found.incidents)
    return report


# --- validate: SHACL over the store or over RDF files (breachkg.validate) -------------------
def validate_source(source: LoadedSource) -> ValidationReport:
    """The ingest hook: validate one source's graph before it is stored (pass it as
    ``validate=`` to the ingest functions; ``breachkg ingest`` does unless --no-validate)."""
    from breachkg import validate

    return validate.validate_source(source)


def validate_store(store: Store, **options) -> ValidationReport:
    """Validate every named graph of ``store`` (``options``: shapes, engine, graph, lang)."""
    from breachkg.validate import validate_graph

    return validate_graph(store, **options)


def validate_files(paths: Iterable[str | os.PathLike[str]], **options) -> ValidationReport:
    """Validate RDF files (their graphs merged in one dataset) without any store."""
    from pyoxigraph import Store as OxStore

    from breachkg.validate import open_data, validate_graph

    merged = OxStore()
    for path in paths:
        merged.extend(open_data(path))
    return validate_graph(merged, **options)
