"""Read-only SPARQL 1.1 Protocol endpoint over a Store: a Flask app served by waitress.

Why this shape: the graph is public data, so the endpoint must be safe to expose.  It is
read-only unless started with ``allow_write`` *and* a bearer token; ``SERVICE`` is refused
(no requests to other hosts on a client's behalf); every query runs under a deadline and a
row cap.  pyoxigraph cannot cancel a query, so for an on-disk store queries run in a small
pool of worker processes (``ProcessRunner``) and a worker that overruns its deadline is
killed and replaced; for other stores (in memory, remote) a thread pool
(``ThreadRunner``) answers and an overrunning query is abandoned.

Routes: ``/sparql`` (GET, POST direct or form-encoded; no query -> Service Description),
``/update`` and ``/store`` (Graph Store Protocol; writes need the token), ``/queries`` and
``/queries/<name>?param=value`` (canned queries), ``/`` (HTML page).

>>> classify_query("PREFIX ex: <http://e/> # SELECT\\nASK { ?s ex:p ?o }")
'ask'
>>> has_service("SELECT * { ?service ?p 'SERVICE' }"), has_service("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
(False, True)
"""

from __future__ import annotations

import functools
import hmac
import html
import ipaddress
import json
import logging
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from breachkg.errors import BreachkgError, BreachkgParameterError, BreachkgStoreError
from breachkg.sparql_results import (
    DATASET_TYPES,
    GRAPH_TYPES,
    RESULT_TYPES,
    TYPE_ALIASES,
    negotiate,
    serialize_boolean,
    serialize_select,
    serialize_triples,
    with_charset,
)
from breachkg.store import Store
from breachkg.vocab import PREFIXES

log = logging.getLogger("breachkg.endpoint")

_UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
_QUERY_WORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_LEXICAL_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"  # IRIs
    r"|#[^\n]*"  # comments
    r"|[?$][A-Za-z0-9_\u00b7-\uffff]+"  # variables
    r"|[A-Za-z0-9_.-]*:[A-Za-z0-9_.%:-]*",  # prefixed names
    re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z]+")
_PATHS = re.compile(r"(?:[A-Za-z]:)?(?:/[\w.@+-]+){2,}/?")


def _strip_lexical_noise(sparql: str) -> str:
    """The query with strings, IRIs, comments, variables and prefixed names blanked out."""
    return _LEXICAL_NOISE.sub(" ", sparql)


def classify_query(sparql: str) -> str:
    """'select', 'ask', 'construct', 'describe', 'update' or 'unknown' from the first keyword."""
    for word in _WORD.findall(_strip_lexical_noise(sparql)):
        upper = word.upper()
        if upper in _QUERY_WORDS:
            return upper.lower()
        if upper in _UPDATE_WORDS:
            return "update"
    return "unknown"


def has_service(sparql: str) -> bool:
    """Whether the query holds a ``SERVICE`` clause (federation to another endpoint)."""
    return any(w.upper() == "SERVICE" for w in _WORD.findall(_strip_lexical_noise(sparql)))


def scrub_message(message: str) -> str:
    """An error message without file-system paths, on one line, of bounded length."""
    one_line = " ".join(_PATHS.sub("<path>", str(message)).split())
    return one_line[:500]


# --- executing one request -------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An HTTP answer computed away from Flask (possibly in a worker process)."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (scrub_message(message) + "\n").encode())


@dataclass(frozen=True)
class Task:
    """One read operation: a SPARQL query of a known kind, or a graph / dataset download."""

    op: str  # 'query' | 'graph' | 'dataset'
    media_type: str
    sparql: str = ""
    kind: str = ""
    graph: str | None = None
    max_rows: int = 10_000


def execute_task(store: Store, task: Task, timeout: float | None = None) -> Answer:
    """Run one task against the store; every failure becomes an error Answer, never a raise."""
    try:
        if task.op == "graph":
            quads = store.quads(task.graph) if task.graph else store.quads()
            triples = list(dict.fromkeys(Triple(q.subject, q.predicate, q.object) for q in quads))
            return Answer(200, task.media_type, serialize_triples(triples, task.media_type))
        if task.op == "dataset":
            return Answer(
                200, task.media_type, serialize_triples(list(store.quads()), task.media_type)
            )
        if task.kind == "select":
            result = store.select(task.sparql, timeout=timeout)
            if len(result.rows) > task.max_rows:
                return _row_cap_error(len(result.rows), task.max_rows)
            return Answer(200, task.media_type, serialize_select(result, task.media_type))
        if task.kind == "ask":
            value = store.ask(task.sparql, timeout=timeout)
            return Answer(200, task.media_type, serialize_boolean(value, task.media_type))
        triples = store.construct(task.sparql, timeout=timeout)
        if len(triples) > task.max_rows:
            return _row_cap_error(len(triples), task.max_rows)
        return Answer(200, task.media_type, serialize_triples(triples, task.media_type))
    except (SyntaxError, ValueError, BreachkgError) as err:
        if timeout is not None and "timed out" in str(err):
            return _timeout_answer(timeout)
        return Answer.error(400, f"query failed: {err}")
    except Exception as err:  # noqa: BLE001 - an answer, never a traceback to the client
        log.exception("query failed")
        return Answer.error(500, f"internal error ({type(err).__name__})")


def _row_cap_error(count: int, cap: int) -> Answer:
    return Answer.error(
        400, f"result has {count} rows, more than this endpoint's cap of {cap}; add a LIMIT"
    )


def _timeout_answer(timeout: float) -> Answer:
    return Answer.error(503, f"query exceeded this endpoint's time limit of {timeout:g} s")


class ThreadRunner:
    """Runs tasks in a thread pool; an overrunning task is abandoned (pyoxigraph frees the GIL)."""

    def __init__(self, store: Store, workers: int = 4) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="breachkg-sparql")

    def run(self, task: Task, timeout: float) -> Answer:
        future = self._pool.submit(execute_task, self.store, task, timeout)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            return _timeout_answer(timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _worker_main(conn, open_store: Callable[[], Store]) -> None:
    """Worker process: open the store once, then answer tasks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    try:
        store = open_store()
    except BreachkgError as err:
        conn.send(("error", str(err)))
        return
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute_task(store, task))


class ProcessRunner:
    """Runs tasks in worker processes that each open the store; overrunning workers are killed.

    ``open_store`` must be picklable (a module-level function or ``functools.partial``).
    """

    def __init__(self, open_store: Callable[[], Store], workers: int = 2) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._open_store = open_store
        self._idle: queue.Queue = queue.Queue()
        self._closed = False
        starting = [self._start_worker() for _ in range(workers)]
        for worker in starting:
            self._await_ready(worker)

    def _start_worker(self):
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker_main, args=(child, self._open_store), daemon=True, name="breachkg-sparql"
        )
        proc.start()
        child.close()
        return proc, parent

    def _await_ready(self, worker, deadline: float = 120.0) -> None:
        proc, conn = worker
        try:
            message = conn.recv() if conn.poll(deadline) else None
        except (EOFError, OSError):
            message = None
        if message == "ready":
            self._idle.put(worker)
            return
        proc.kill()
        proc.join(5)
        reason = message[1] if isinstance(message, tuple) else "it stopped or did not answer"
        raise BreachkgStoreError(f"endpoint: a query worker could not open the store: {reason}")

    def _replace_worker(self, worker) -> None:
        proc, conn = worker
        proc.kill()
        proc.join(5)
        conn.close()
        if self._closed:
            return

        def restart() -> None:
            try:
                self._await_ready(self._start_worker())
            except BreachkgError:
                log.exception("could not restart a query worker")

        threading.Thread(target=restart, daemon=True).start()

    def run(self, task: Task, timeout: float) -> Answer:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Answer.error(503, "all query workers are busy; try again later")
        proc, conn = worker
        left = max(0.0, timeout - (time.monotonic() - started))
        try:
            conn.send(task)
            if conn.poll(left):
                answer = conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            self._replace_worker(worker)
            return Answer.error(500, "internal error (query worker stopped)")
        self._replace_worker(worker)
        return _timeout_answer(timeout)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                proc, conn = self._idle.get_nowait()
            except queue.Empty:
                return
            proc.kill()
            conn.close()


class AnswerCache:
    """Successful answers of a read-only endpoint, least recently used dropped first.

    Safe only while the store cannot change (read-only serving): there is no invalidation.
    """

    MAX_BODY = 1_000_000

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Task, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, task: Task) -> Answer | None:
        if not self.size:
            return None
        with self._lock:
            found = self._answers.get(task)
            if found is not None:
                self._answers.move_to_end(task)
            return found

    def put(self, task: Task, answer: Answer) -> None:
        if not self.size or answer.status != 200 or len(answer.body) > self.MAX_BODY:
            return
        with self._lock:
            self._answers[task] = answer
            self._answers.move_to_end(task)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


# --- the Flask app ----------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (127.0.0.0/8, ::1, localhost)."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"
_SD_RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
]


def service_description(endpoint_url: str, allow_write: bool) -> list[Triple]:
    """The sd:Service triples describing this endpoint."""
    svc = NamedNode(endpoint_url)
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    dataset = BlankNode("dataset")
    default_graph = BlankNode("defaultGraph")
    triples = [
        Triple(svc, rdf_type, NamedNode(SD + "Service")),
        Triple(svc, NamedNode(SD + "endpoint"), svc),
        Triple(svc, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Query")),
        Triple(svc, NamedNode(SD + "feature"), NamedNode(SD + "UnionDefaultGraph")),
        Triple(svc, NamedNode(SD + "defaultDataset"), dataset),
        Triple(dataset, rdf_type, NamedNode(SD + "Dataset")),
        Triple(dataset, NamedNode(SD + "defaultGraph"), default_graph),
        Triple(default_graph, rdf_type, NamedNode(SD + "Graph")),
        Triple(
            svc,
            NamedNode("http://purl.org/dc/terms/title"),
            Literal("breachkg SPARQL endpoint", language="en"),
        ),
    ]
    if allow_write:
        triples.append(
            Triple(svc, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Update"))
        )
    triples += [
        Triple(svc, NamedNode(SD + "resultFormat"), NamedNode(_FORMATS_NS + f))
        for f in _SD_RESULT_FORMATS
    ]
    return triples


def _canned_queries() -> list:
    """The canned queries shipped with breachkg (empty when none can be read)."""
    try:
        from breachkg import queries
    except ImportError:  # pragma: no cover - the query module ships with the package
        return []
    return list(queries.list_queries())


def create_app(
    store: Store | None = None,
    *,
    runner: ThreadRunner | ProcessRunner | None = None,
    allow_write: bool = False,
    token: str | None = None,
    cors: bool = False,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    max_request_bytes: int = 1_000_000,
    cache: int = 0,
):
    """The Flask app.  Give a ``store`` (answered by a ThreadRunner) or a ready ``runner``.

    Writes (``/update``, Graph Store PUT/POST/DELETE) need ``allow_write`` and ``token``,
    sent as ``Authorization: Bearer <token>``; they go to ``store``.  ``cache`` keeps that
    many successful query answers (LRU, each under 1 MB): only for a store that cannot
    change while served, so never together with ``allow_write``.
    """
    from flask import Flask, Response, request

    if allow_write and not token:
        raise BreachkgParameterError("--token", "--allow-write needs a token for writes")
    if runner is None:
        if store is None:
            raise BreachkgParameterError("store", "give a store or a runner")
        runner = ThreadRunner(store)
    app = Flask("breachkg.endpoint")
    app.config["MAX_CONTENT_LENGTH"] = max_request_bytes
    app.extensions["breachkg_runner"] = runner
    canned = {q.name: q for q in _canned_queries()}  # read once: files do not change
    answers = AnswerCache(0 if allow_write else cache)
    result_types = list(RESULT_TYPES)
    graph_types = list(GRAPH_TYPES)

    def answer(a: Answer) -> Response:
        return Response(a.body, status=a.status, content_type=with_charset(a.content_type))

    def fail(status: int, message: str) -> Response:
        return answer(Answer.error(status, message))

    def may_write() -> Response | None:
        """None when the request may write, else the refusal."""
        if not allow_write:
            return fail(403, "this endpoint is read-only")
        sent = request.headers.get("Authorization", "")
        if not (sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip(), token)):
            return fail(403, "writes need a valid bearer token")
        return None

    def run_query(sparql: str, format_param: str | None = None) -> Response:
        if request.args.getlist("default-graph-uri") or request.args.getlist("named-graph-uri"):
            return fail(400, "default-graph-uri and named-graph-uri are not supported; use GRAPH")
        kind = classify_query(sparql)
        if kind == "update":
            return fail(
                403, "SPARQL Update is refused on the query endpoint; this endpoint is read-only"
            )
        if kind == "unknown":
            return fail(400, "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
        if has_service(sparql):
            return fail(400, "SERVICE (federated query) is not allowed on this endpoint")
        offered = result_types if kind in ("select", "ask") else graph_types
        media = negotiate(request.headers.get("Accept"), format_param, offered)
        if media is None:
            return fail(406, "no acceptable result format; offered: " + ", ".join(offered))
        task = Task("query", media, sparql=sparql, kind=kind, max_rows=max_rows)
        found = answers.get(task)
        if found is None:
            found = runner.run(task, timeout)
            answers.put(task, found)
        return answer(found)

    @app.before_request
    def start_clock() -> None:
        request.environ["breachkg.started"] = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        if cors:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        started = request.environ.get("breachkg.started", time.perf_counter())
        log.info(
            '%s "%s %s" %s %s %.1fms',
            request.remote_addr,
            request.method,
            request.path,
            response.status_code,
            response.calculate_content_length() or "-",
            (time.perf_counter() - started) * 1000,
        )
        return response

    @app.errorhandler(Exception)
    def on_error(err: Exception) -> Response:
        from werkzeug.exceptions import HTTPException

        if isinstance(err, HTTPException):
            return fail(err.code or 500, err.name)
        log.exception("request failed")
        return fail(500, "internal error")

    @app.route("/sparql", methods=["GET", "POST", "OPTIONS"])
    def sparql_endpoint() -> Response:
        if request.method == "OPTIONS":
            return Response(status=204)
        fmt = request.args.get("format")
        if request.method == "GET":
            sparql = request.args.get("query")
            if request.args.get("update") is not None:
                return may_write() or fail(405, "send updates with POST to /update")
        else:
            ctype = (request.mimetype or "").lower()
            if ctype == "application/sparql-query":
                sparql = request.get_data(as_text=True)
            elif ctype == "application/sparql-update" or "update" in request.form:
                return do_update()
            elif ctype == "application/x-www-form-urlencoded":
                sparql = request.form.get("query")
                fmt = request.form.get("format", fmt)
            else:
                return fail(415, "POST application/sparql-query or a form with query=")
        if not sparql:
            offered = graph_types if fmt else [*graph_types, "text/html"]
            media = negotiate(request.headers.get("Accept"), fmt, offered)
            if media == "text/html":  # a browser: the page with the query form
                return home()
            if media is None:
                return fail(406, "no acceptable format for the service description")
            triples = service_description(request.base_url, allow_write)
            return Response(serialize_triples(triples, media), content_type=with_charset(media))
        return run_query(sparql, fmt)

    @app.route("/update", methods=["POST"])
    def do_update() -> Response:
        refused = may_write()
        if refused:
            return refused
        ctype = (request.mimetype or "").lower()
        text = (
            request.get_data(as_text=True)
            if ctype == "application/sparql-update"
            else request.form.get("update")
        )
        if not text:
            return fail(400, "no update given")
        if has_service(text):
            return fail(400, "SERVICE (federated query) is not allowed on this endpoint")
        update = getattr(store, "update", None)
        if update is None:
            return fail(501, "this store does not take SPARQL Update; use the Graph Store Protocol")
        try:
            update(text)
        except (SyntaxError, ValueError, BreachkgError) as err:
            return fail(400, f"update failed: {err}")
        return Response(status=204)

    @app.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
    def graph_store() -> Response:
        graph = request.args.get("graph")
        if request.method in ("GET", "HEAD"):
            fmt = request.args.get("format")
            if graph or "default" in request.args:
                media = negotiate(request.headers.get("Accept"), fmt, graph_types)
                task = Task("graph", media or "", graph=graph)
            else:
                offered = list(DATASET_TYPES)
                media = negotiate(request.headers.get("Accept"), fmt, offered)
                task = Task("dataset", media or "")
            if media is None:
                return fail(406, "no acceptable RDF format")
            if graph and graph not in _graph_names(runner):
                return fail(404, "no such graph")
            return answer(runner.run(task, timeout))
        refused = may_write()
        if refused:
            return refused
        return write_graph(graph)

    def write_graph(graph: str | None) -> Response:
        from pyoxigraph import parse

        if not graph:
            return fail(
                400, "writes need ?graph=IRI (the default graph is the union of all graphs)"
            )
        if request.method == "DELETE":
            if graph not in store.graphs():
                return fail(404, "no such graph")
            store.remove_graph(graph)
            return Response(status=204)
        media = TYPE_ALIASES.get(request.mimetype, request.mimetype)
        fmt = GRAPH_TYPES.get(media)
        if fmt is None:
            return fail(415, "send Turtle, N-Triples, JSON-LD or RDF/XML")
        try:
            triples = list(parse(request.get_data(), format=fmt))
        except SyntaxError as err:
            return fail(400, f"could not parse the graph: {err}")
        node = NamedNode(graph)
        new = [Quad(t.subject, t.predicate, t.object, node) for t in triples]
        existed = graph in store.graphs()
        if request.method == "POST" and existed:
            new = list(store.quads(graph)) + new
        store.replace_graph(graph, new)
        return Response(status=204 if existed else 201)

    @app.route("/queries")
    def list_queries() -> Response:
        described = [_describe_query(q) for q in canned.values()]
        return Response(
            json.dumps(described, ensure_ascii=False, indent=1), content_type="application/json"
        )

    @app.route("/queries/<name>", methods=["GET", "POST"])
    def canned_query(name: str) -> Response:
        from breachkg import queries

        found = canned
        if name not in found:
            return fail(404, f"no canned query named {name!r}")
        values = {k: v for k, v in request.values.items() if k != "format"}
        try:
            sparql = queries.bind_parameters(
                found[name], values, store=getattr(runner, "store", None)
            )
        except BreachkgError as err:
            return fail(400, str(err))
        return run_query(sparql, request.values.get("format"))

    @app.route("/")
    def home() -> Response:
        if (
            negotiate(request.headers.get("Accept"), None, ["text/html", *graph_types])
            in graph_types
        ):
            media = negotiate(request.headers.get("Accept"), None, graph_types)
            triples = service_description(request.url_root + "sparql", allow_write)
            return Response(serialize_triples(triples, media), content_type=with_charset(media))
        return Response(render_home(list(canned.values())), content_type="text/html; charset=utf-8")

    return app


def _graph_names(runner) -> set[str]:
    store = getattr(runner, "store", None)
    if store is None:
        return _graph_names_by_query(runner)
    return set(store.graphs())


def _graph_names_by_query(runner) -> set[str]:
    task = Task(
        "query",
        "text/tab-separated-values",
        sparql="SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
        kind="select",
        max_rows=10**9,
    )
    answer = runner.run(task, 30.0)
    lines = answer.body.decode().splitlines()[1:]
    return {line.strip("<>") for line in lines if line}


def _describe_query(q) -> dict:
    return {
        "name": q.name,
        "title": getattr(q, "title", None),
        "summary": getattr(q, "summary", None),
        "description": getattr(q, "header", {}).get("description"),
        "parameters": [
            {
                "name": p.name,
                "type": getattr(p, "type", None),
                "required": getattr(p, "required", False),
                "description": getattr(p, "description", None),
            }
            for p in getattr(q, "parameters", [])
        ],
        "url": f"/queries/{q.name}",
    }


def render_home(canned: list) -> bytes:
    """The HTML page: a query form, the canned queries with their descriptions, downloads."""
    e = html.escape
    items = []
    for q in canned:
        d = _describe_query(q)
        params = ", ".join(
            f"<code>{e(p['name'])}</code>{'' if p['required'] else '?'}"
            + (f" ({e(str(p['description']))})" if p["description"] else "")
            for p in d["parameters"]
        )
        items.append(
            f'<li><a href="{e(d["url"])}?format=json"><b>{e(d["name"])}</b></a>'
            f" — {e(d['title'] or d['summary'] or '')}"
            f"<br><small>{e(d['description'] or '')}</small>"
            + (f"<br><small>parameters: {params}</small>" if params else "")
            + "</li>"
        )
    prefixes = "".join(
        f"PREFIX {p}: &lt;{e(i)}&gt;\n"
        for p, i in sorted(PREFIXES.items())
        if p in ("bk", "schema", "rdfs")
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>breachkg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}textarea{{width:100%;font-family:monospace}}</style>
</head><body>
<h1>breachkg SPARQL endpoint</h1>
<p>A knowledge graph of health-sector data breaches and the software supply chain behind them.
SPARQL 1.1 Protocol at <code>/sparql</code> (read-only; all named graphs are the default graph).</p>
<form action="sparql" method="get">
<textarea name="query" rows="10">{prefixes}SELECT ?incident ?victim WHERE {{
  ?incident a bk:Incident ; bk:victim/schema:name ?victim .
}} LIMIT 20</textarea>
<p>Results as <select name="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option>
<option>turtle</option><option>jsonld</option></select> <button type="submit">Run query</button></p>
</form>
<h2>Canned queries</h2>
<ul>{"".join(items) or "<li>none</li>"}</ul>
<p>Machine-readable list: <a href="queries">/queries</a></p>
<h2>Exports</h2>
<ul>
<li><a href="store?format=trig">whole graph as TriG</a> (named graphs = sources, provenance kept)</li>
<li><a href="store?format=nquads">whole graph as N-Quads</a></li>
<li><a href="store?default&amp;format=turtle">union graph as Turtle</a></li>
<li><a href="sparql?format=turtle">service description</a></li>
</ul>
</body></html>
"""
    return page.encode("utf-8")


# --- serving ----------------------------------------------------------------------------------


def _open_read_only(path: str) -> Store:
    """Worker-process opener (module level, so it pickles)."""
    from breachkg.store import OxigraphStore

    return OxigraphStore(path, read_only=True)


def build_app(
    path: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    workers: int | None = None,
    runner: str = "process",
    **options,
):
    """The app over the store named like the CLI names it, with the fitting runner.

    Embedded and read-only: worker processes (``runner="process"``), each opening the store
    read-only; a query past its deadline kills its worker.  ``runner="thread"`` answers from
    a thread pool instead (less overhead, but an overrunning query keeps a core busy until
    it ends); both keep the last ``cache`` answers.  Writable (``allow_write``) or remote: a
    thread pool over one store object, no cache.
    """
    if runner not in ("process", "thread"):
        raise BreachkgParameterError("--runner", f"expects process or thread, got {runner!r}")
    from breachkg.store import OxigraphStore, RemoteStore

    workers = workers or min(4, os.cpu_count() or 2)
    cache = options.pop("cache", 1024)  # only a store that cannot change may be cached
    if endpoint:
        return create_app(RemoteStore(endpoint), **options)
    if path is None or not (Path(path) / "CURRENT").exists():
        raise BreachkgParameterError("--store", f"no store at {path} (run `breachkg ingest` first)")
    if options.get("allow_write"):
        return create_app(OxigraphStore(path), **options)
    options["cache"] = cache
    if runner == "thread":
        return create_app(
            runner=ThreadRunner(OxigraphStore(path, read_only=True), workers), **options
        )
    runner = ProcessRunner(functools.partial(_open_read_only, str(path)), workers=workers)
    return create_app(runner=runner, **options)


def check_host(host: str, public: bool) -> None:
    """Refuse to bind a non-loopback address unless ``public`` was asked for."""
    if not is_loopback(host) and not public:
        raise BreachkgParameterError("--host", f"{host} is not a loopback address; add --public")


def make_server(
    app, host: str = "127.0.0.1", port: int = 7878, threads: int = 8, public: bool = False
):
    """A waitress server for ``app`` (not yet running); ``server.effective_port`` is the port."""
    import waitress

    check_host(host, public)
    return waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="breachkg",
        max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
        clear_untrusted_proxy_headers=True,
    )


def print_flushed(line: str) -> None:
    print(line, flush=True)


def serve(
    app,
    host: str = "127.0.0.1",
    port: int = 7878,
    threads: int = 8,
    public: bool = False,
    announce: Callable[[str], None] = print_flushed,
) -> None:
    """Serve ``app`` with waitress until interrupted; announces the URL with the real port."""
    server = make_server(app, host, port, threads, public)
    shown = f"[{host}]" if ":" in host else host
    announce(f"breachkg endpoint: http://{shown}:{server.effective_port}/sparql")
    try:
        server.run()
    finally:
        server.close()
        runner = app.extensions.get("breachkg_runner")
        if runner is not None:
            runner.close()
