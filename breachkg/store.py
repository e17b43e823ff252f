"""One store interface, three backends: embedded Oxigraph (default), in-memory, remote SPARQL.

One named graph per source; queries see the union of all graphs as the default graph.
``replace_graph`` is atomic, so re-ingesting a source swaps its graph instead of
duplicating it.

- ``OxigraphStore(path)``: pyoxigraph on disk (RocksDB). Single writer: a second process
  opening the same folder gets ``BreachkgStoreError("store DIR is in use by another
  process")``; ``read_only=True`` opens it for queries (``serve``) when no process writes
  to it: RocksDB makes a read-only view beside a live writer undefined behaviour.
- ``MemoryStore()``: pyoxigraph's in-memory store (nothing touches the disk).  Chosen over
  an rdflib ``Dataset`` because it runs the same SPARQL engine as the default backend, so
  tests on it say something about production, and it is one to two orders of magnitude
  faster; rdflib is still reachable through ``to_rdflib_dataset`` / ``from_rdflib``.
- ``RemoteStore(query_url)``: any SPARQL 1.1 server over the Protocol (query, update) and
  the Graph Store Protocol (``PUT``/``DELETE ?graph=`` for bulk loads of one graph).  The
  server must answer queries on the union of its graphs: ``oxigraph serve
  --union-default-graph``; Fuseki/TDB2 with ``tdb2:unionDefaultGraph true``.

Timeouts: the remote store passes ``timeout`` to HTTP and to the server.  Embedded
queries run in a worker thread: the caller gets ``BreachkgStoreError`` at the deadline and
the evaluation stops at its next result row; one long blocking step (a big ``GROUP BY``)
runs on in the background until it finishes, since pyoxigraph cannot be interrupted.

>>> with MemoryStore() as store:
...     store.replace_graph("http://example.org/g", parse_rdf_bytes(
...         b'<http://example.org/s> <http://example.org/p> "v" .', "nt"))
...     store.select("SELECT ?o WHERE { ?s ?p ?o }").rows[0][0].value
'v'
"""

from __future__ import annotations

import logging
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph
import rdflib
import requests
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Triple,
)

from breachkg.errors import BreachkgStoreError
from breachkg.rdf_io import (
    FORMATS,
    from_rdflib,
    parse_rdf_bytes,
    quads_to_nquads,
    quads_to_rdflib_dataset,
    sort_quads,
    triples_to_turtle,
)

Term = NamedNode | BlankNode | Literal | Triple
log = logging.getLogger(__name__)

__all__ = [
    "SelectResult",
    "Store",
    "OxigraphStore",
    "MemoryStore",
    "RemoteStore",
    "derive_endpoints",
    "to_rdflib_dataset",
    "from_rdflib",
    "parse_rdf_bytes",
]


@dataclass
class SelectResult:
    """Rows of a SELECT: ``variables`` in projection order, ``rows`` of terms or None."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    def dicts(self) -> list[dict[str, Term | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


class Store(ABC):
    """What every backend offers (see module docstring)."""

    #: short name of the backend, shown by ``breachkg stats``
    kind = "store"
    #: where the data lives (folder, URL or "memory")
    location = ""

    @abstractmethod
    def replace_graphs(self, graphs: dict[str, Iterable[Quad]]) -> None:
        """Atomically replace each named graph by the given quads (all or nothing).

        The quads land in the graph named by their key, whatever their own graph name;
        an empty iterable removes the graph.
        """

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        self.replace_graphs({graph: quads})

    @abstractmethod
    def remove_graph(self, graph: str) -> None: ...

    @abstractmethod
    def graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """All quads, or those of one named graph."""

    @abstractmethod
    def select(self, sparql: str, timeout: float | None = None) -> SelectResult: ...

    @abstractmethod
    def ask(self, sparql: str, timeout: float | None = None) -> bool: ...

    @abstractmethod
    def construct(self, sparql: str, timeout: float | None = None) -> list[Triple]:
        """CONSTRUCT or DESCRIBE results."""

    @abstractmethod
    def update(self, sparql: str, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update in one transaction."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    def clear(self) -> None:
        """Remove every graph."""
        self.update("DROP ALL")

    def dump(self, format: str = "nquads") -> bytes:
        """The whole store, sorted; triple-only formats (turtle, nt) get the merged graphs.

        ``format`` is a short name of ``breachkg.rdf_io.FORMATS``.
        """
        quads = sort_quads(self.quads())
        if format == "turtle":
            return triples_to_turtle(quads)
        if format == "nquads":
            return quads_to_nquads(quads)
        if format not in FORMATS:
            raise BreachkgStoreError(f"dump: unknown format {format!r}")
        if format in ("nt", "rdfxml", "n3"):
            seen = dict.fromkeys(Triple(q.subject, q.predicate, q.object) for q in quads)
            return pyoxigraph.serialize(list(seen), format=FORMATS[format])
        return pyoxigraph.serialize(quads, format=FORMATS[format])

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def to_rdflib_dataset(store: Store) -> rdflib.Dataset:
    """An rdflib ``Dataset`` copy of the store, one rdflib graph per named graph."""
    return quads_to_rdflib_dataset(store.quads())


# --- embedded pyoxigraph ---------------------------------------------------------------------


def _in_graph(quads: Iterable[Quad], graph: NamedNode) -> list[Quad]:
    return [Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def _term_text(term) -> str:
    if isinstance(term, Triple):
        raise BreachkgStoreError("RDF-star triple terms are not supported by replace_graphs")
    return str(term)


def replace_graphs_update(graphs: dict[str, Iterable[Quad]]) -> str:
    """One SPARQL update that drops each graph and inserts its quads (sorted)."""
    parts: list[str] = []
    for iri in sorted(graphs):
        node = NamedNode(iri)
        parts.append(f"DROP SILENT GRAPH {node}")
        quads = sort_quads(_in_graph(graphs[iri], node))
        if quads:
            body = "\n".join(
                f"{_term_text(q.subject)} {q.predicate} {_term_text(q.object)} ." for q in quads
            )
            if any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object)):
                # Virtuoso refuses blank nodes in INSERT DATA; a template means the same
                parts.append(f"INSERT {{ GRAPH {node} {{\n{body}\n}} }} WHERE {{}}")
            else:
                parts.append(f"INSERT DATA {{ GRAPH {node} {{\n{body}\n}} }}")
    return " ;\n".join(parts)


class _PyoxigraphStore(Store):
    """Shared code of the two pyoxigraph backends."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self._store = store

    def replace_graphs(self, graphs: dict[str, Iterable[Quad]]) -> None:
        if not graphs:
            return
        graphs = {iri: list(quads) for iri, quads in graphs.items()}
        if not any(self._store.contains_named_graph(NamedNode(iri)) for iri in graphs):
            # Only new graphs: ``extend`` is one transaction too, and about twice as fast.
            new = [q for iri in sorted(graphs) for q in _in_graph(graphs[iri], NamedNode(iri))]
            for q in new:
                _term_text(q.subject), _term_text(q.object)
            try:
                self._store.extend(new)
            except (OSError, RuntimeError) as err:
                raise BreachkgStoreError(f"store {self.location}: {err}") from None
            return
        # One SPARQL update is one transaction: readers see the old graphs or the new ones.
        self.update(replace_graphs_update(graphs))

    def remove_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {NamedNode(graph)}")

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        if graph is None:
            return iter(self._store)
        return iter(self._store.quads_for_pattern(None, None, None, NamedNode(graph)))

    def _query(self, sparql: str, timeout: float | None, collect: Callable):
        def run(cancelled: threading.Event):
            result = self._store.query(sparql, use_default_graph_as_union=True)
            return collect(result, cancelled)

        try:
            return _run_with_deadline(run, timeout)
        except SyntaxError as err:
            raise BreachkgStoreError(f"query: {' '.join(str(err).split())}") from None
        except OSError as err:
            raise BreachkgStoreError(f"store {self.location}: {err}") from None

    def select(self, sparql: str, timeout: float | None = None) -> SelectResult:
        def collect(result, cancelled):
            if not isinstance(result, pyoxigraph.QuerySolutions):
                raise BreachkgStoreError("select: the query is not a SELECT")
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if cancelled.is_set():
                    break
                rows.append(tuple(solution[n] for n in names))
            return SelectResult(names, rows)

        return self._query(sparql, timeout, collect)

    def ask(self, sparql: str, timeout: float | None = None) -> bool:
        def collect(result, cancelled):
            if not isinstance(result, pyoxigraph.QueryBoolean):
                raise BreachkgStoreError("ask: the query is not an ASK")
            return bool(result)

        return self._query(sparql, timeout, collect)

    def construct(self, sparql: str, timeout: float | None = None) -> list[Triple]:
        def collect(result, cancelled):
            if not isinstance(result, pyoxigraph.QueryTriples):
                raise BreachkgStoreError("construct: the query is not a CONSTRUCT or DESCRIBE")
            out = []
            for triple in result:
                if cancelled.is_set():
                    break
                out.append(triple)
            return out

        return self._query(sparql, timeout, collect)

    def update(self, sparql: str, timeout: float | None = None) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as err:
            raise BreachkgStoreError(f"update: {' '.join(str(err).split())}") from None
        except (OSError, RuntimeError) as err:
            raise BreachkgStoreError(f"store {self.location}: {err}") from None

    def clear(self) -> None:
        self.update("DROP ALL")

    def __len__(self) -> int:
        return len(self._store)


def _run_with_deadline(run: Callable[[threading.Event], object], timeout: float | None):
    """``run(cancelled)`` in a worker thread; past ``timeout`` seconds, raise and cancel."""
    if timeout is None:
        return run(threading.Event())
    cancelled = threading.Event()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = run(cancelled)
        except BaseException as err:  # handed to the caller below
            outcome["error"] = err

    worker = threading.Thread(target=work, name="breachkg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        cancelled.set()
        raise BreachkgStoreError(f"query: timed out after {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


class OxigraphStore(_PyoxigraphStore):
    """Embedded on-disk Oxigraph store in folder ``path`` (created if missing)."""

    kind = "oxigraph"

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = read_only
        try:
            if read_only:
                if not (self.path / "CURRENT").exists():
                    raise BreachkgStoreError(
                        f"store {self.path} does not exist (run `breachkg ingest` first)"
                    )
                store = pyoxigraph.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                store = pyoxigraph.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            if "lock" in str(err).lower():
                raise BreachkgStoreError(
                    f"store {self.path} is in use by another process"
                ) from None
            raise BreachkgStoreError(f"store {self.path}: {err}") from None
        super().__init__(store)

    def _check_writable(self) -> None:
        if self.read_only:
            raise BreachkgStoreError(f"store {self.path} is open read-only")

    def update(self, sparql: str, timeout: float | None = None) -> None:
        self._check_writable()
        super().update(sparql, timeout)

    def replace_graphs(self, graphs: dict[str, Iterable[Quad]]) -> None:
        self._check_writable()
        super().replace_graphs(graphs)

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is None:
            return
        if not self.read_only:
            store.flush()
        # pyoxigraph releases the RocksDB lock when the object is collected
        self._store = None  # type: ignore[assignment]
        del store


class MemoryStore(_PyoxigraphStore):
    """pyoxigraph in-memory store: nothing written to disk, gone when closed."""

    kind = "memory"
    location = "memory"

    def __init__(self) -> None:
        super().__init__(pyoxigraph.Store())


# --- remote SPARQL 1.1 server ---------------------------------------------------------------


def derive_endpoints(query_url: str) -> tuple[str, str, str]:
    """(query, update, graph store) URLs of a server from its query URL.

    Oxigraph server: ``http://h:7878`` or ``http://h:7878/query`` -> ``/query``, ``/update``,
    ``/store``.  Fuseki: ``http://h:3030/ds`` (the dataset answers queries), ``/ds/query``
    or ``/ds/sparql`` -> that query URL, ``/ds/update``, ``/ds/data``.  Any other query URL
    is kept as given, with update and Graph Store URLs guessed the Fuseki way: pass them
    to ``RemoteStore`` when the server differs.  Virtuoso: ``http://h:8890/sparql`` ->
    ``/sparql`` for both, ``/sparql-graph-crud``.

    >>> derive_endpoints("http://localhost:3030/ds/sparql")[1:]
    ('http://localhost:3030/ds/update', 'http://localhost:3030/ds/data')
    """
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")

    def url(p: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, p, "", ""))

    if path in ("", "/query"):
        return url("/query"), url("/update"), url("/store")
    if path == "/sparql":  # Virtuoso: one endpoint for query and update, GSP beside it
        return url("/sparql"), url("/sparql"), url("/sparql-graph-crud")
    base = path.rsplit("/", 1)[0] if path.endswith(("/query", "/sparql")) else path
    return url(path), url(base + "/update"), url(base + "/data")


def _valid_bnode_labels(results_json: bytes) -> bytes:
    """JSON results with blank-node labels made valid (Virtuoso sends ``nodeID://b1``)."""
    if b'"bnode"' not in results_json:
        return results_json
    import json
    import re

    data = json.loads(results_json)

    def fix(term: dict) -> None:
        if term.get("type") == "bnode":
            term["value"] = re.sub(r"[^A-Za-z0-9_-]", "_", term["value"])
        elif term.get("type") == "triple":
            for part in term["value"].values():
                fix(part)

    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            fix(term)
    return json.dumps(data).encode("utf-8")


class RemoteStore(Store):
    """A SPARQL 1.1 server (Protocol + Graph Store Protocol) queried on its union graph."""

    kind = "remote"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        query, update, gsp = derive_endpoints(query_url)
        self.query_url = query
        self.update_url = update_url or update
        self.gsp_url = gsp_url or gsp
        self.location = self.query_url
        self.timeout = timeout
        self._http = requests.Session()

    # HTTP ------------------------------------------------------------------------------
    def _post(self, url: str, data: dict, accept: str | None, timeout: float | None):
        headers = {"Accept": accept} if accept else {}
        if timeout is not None:
            data = {**data, "timeout": f"{timeout:g}"}
        try:
            response = self._http.post(
                url, data=data, headers=headers, timeout=timeout or self.timeout
            )
        except requests.Timeout:
            raise BreachkgStoreError(
                f"{url}: timed out after {timeout or self.timeout:g} s"
            ) from None
        except requests.RequestException as err:
            raise BreachkgStoreError(f"{url}: {err.__class__.__name__}: {err}") from None
        self._check(url, response)
        return response

    @staticmethod
    def _check(url: str, response: requests.Response) -> None:
        if response.status_code >= 400:
            body = " ".join(response.text.split())[:300]
            raise BreachkgStoreError(f"{url}: HTTP {response.status_code}: {body}")

    def _results(self, sparql: str, timeout: float | None):
        response = self._post(
            self.query_url, {"query": sparql}, "application/sparql-results+json", timeout
        )
        return pyoxigraph.parse_query_results(
            _valid_bnode_labels(response.content), QueryResultsFormat.JSON
        )

    # queries ---------------------------------------------------------------------------
    def select(self, sparql: str, timeout: float | None = None) -> SelectResult:
        result = self._results(sparql, timeout)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise BreachkgStoreError("select: the query is not a SELECT")
        names = [v.value for v in result.variables]
        return SelectResult(names, [tuple(s[n] for n in names) for s in result])

    def ask(self, sparql: str, timeout: float | None = None) -> bool:
        result = self._results(sparql, timeout)
        if not isinstance(result, pyoxigraph.QueryBoolean):
            raise BreachkgStoreError("ask: the query is not an ASK")
        return bool(result)

    def construct(self, sparql: str, timeout: float | None = None) -> list[Triple]:
        response = self._post(self.query_url, {"query": sparql}, "application/n-triples", timeout)
        quads = parse_rdf_bytes(response.content, "nt", where=self.query_url)
        return [Triple(q.subject, q.predicate, q.object) for q in quads]

    def update(self, sparql: str, timeout: float | None = None) -> None:
        self._post(self.update_url, {"update": sparql}, None, timeout)

    # graphs ----------------------------------------------------------------------------
    def replace_graphs(self, graphs: dict[str, Iterable[Quad]]) -> None:
        if not graphs:
            return
        if len(graphs) == 1 and self.gsp_url:
            # Graph Store Protocol PUT: the server swaps the one graph in one transaction.
            [(iri, quads)] = graphs.items()
            quads = list(quads)
            if quads:
                self._put_graph(iri, quads)
                return
        # Several graphs: one update request, one transaction on the server.
        self.update(replace_graphs_update(graphs))

    def _put_graph(self, iri: str, quads: list[Quad]) -> None:
        triples = [Triple(q.subject, q.predicate, q.object) for q in sort_quads(quads)]
        body = pyoxigraph.serialize(triples, format=RdfFormat.N_TRIPLES)
        try:
            response = self._http.put(
                self.gsp_url,
                params={"graph": iri},
                data=body,
                headers={"Content-Type": "application/n-triples"},
                timeout=self.timeout,
            )
        except requests.RequestException as err:
            raise BreachkgStoreError(f"{self.gsp_url}: {err.__class__.__name__}: {err}") from None
        self._check(self.gsp_url, response)

    def remove_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {NamedNode(graph)}")

    def graphs(self) -> list[str]:
        result = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row[0].value for row in result.rows if isinstance(row[0], NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        if graph is None:
            query = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        else:
            query = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {NamedNode(graph)} }} }}"
        for s, p, o, g in self.select(query).rows:
            yield Quad(s, p, o, g if g is not None else DefaultGraph())

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return int(rows[0][0].value)

    def close(self) -> None:
        self._http.close()
