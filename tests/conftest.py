"""Shared fixtures: the seed articles, an Oxigraph server, and a store on every backend.

The Oxigraph server is a subprocess (``oxigraph serve``, from the PyPI ``oxigraph``
package of the ``test`` extra) on a free loopback port, started once per session.
"""

from __future__ import annotations

import os
import selectors
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from breachkg.store import MemoryStore, OxigraphStore, RemoteStore, Store

# hypothesis: "ci" (default) is derandomized and has no deadline, so every run tries the same
# cases on a loaded machine; HYPOTHESIS_PROFILE=dev explores new random cases each run.
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hypothesis_settings.register_profile(
    "dev", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TESTS = Path(__file__).resolve().parent
SERVER_START_DEADLINE = 30.0
STORE_BACKENDS = ("oxigraph", "memory", "remote")


def pytest_addoption(parser) -> None:
    """``--update-expected`` rewrites expected-output fixtures (review the diff like code)."""
    try:
        parser.addoption(
            "--update-expected",
            action="store_true",
            default=False,
            help="rewrite expected outputs (*.expected.*) from the current code",
        )
    except ValueError:  # already added by a plugin or another conftest
        pass


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The shared seed articles, beside the checkout (``../shared/seeds``)."""
    return TESTS.parents[1] / "shared" / "seeds"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return TESTS / "fixtures"


def find_oxigraph_binary() -> str:
    """The ``oxigraph`` command of this venv, else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is missing: pip install '.[test]'")
    return found


def pick_free_port() -> int:
    """A port the OS reports free on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(process: subprocess.Popen, deadline: float) -> str:
    """Read the server's output until it says where it listens; return that line."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        seen = []
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=left):
                break
            line = process.stdout.readline().decode("utf-8", "replace")
            if not line:  # the process closed its output: it exited
                process.wait(timeout=10)
                raise RuntimeError(f"oxigraph serve exited ({process.returncode}): {seen}")
            seen.append(line.strip())
            if "Listening" in line:
                return line
    raise RuntimeError(f"oxigraph serve did not start within {SERVER_START_DEADLINE} s: {seen}")


def drain_output(process: subprocess.Popen, log: Path) -> None:
    """Copy the rest of the server's output to ``log`` so that its pipe never fills."""
    with log.open("ab") as out:
        for chunk in iter(lambda: process.stdout.read1(65536), b""):
            out.write(chunk)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of an ``oxigraph serve --union-default-graph`` on a free loopback port."""
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = pick_free_port()
    command = [
        find_oxigraph_binary(),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_listening(process, time.monotonic() + SERVER_START_DEADLINE)
        log = location.parent / "oxigraph-server.log"
        threading.Thread(target=drain_output, args=(process, log), daemon=True).start()
        requests.get(base, timeout=10).raise_for_status()
        yield base
    finally:
        process.kill()
        process.wait(timeout=10)


def make_store(kind: str, tmp_path: Path, server: str | None) -> Store:
    if kind == "oxigraph":
        return OxigraphStore(tmp_path / "store")
    if kind == "memory":
        return MemoryStore()
    store = RemoteStore(server + "/query")
    store.clear()
    return store


@pytest.fixture(params=STORE_BACKENDS)
def store(request, tmp_path) -> Iterator[Store]:
    """An empty store on each backend: embedded Oxigraph, in memory, remote server."""
    server = request.getfixturevalue("oxigraph_server") if request.param == "remote" else None
    with make_store(request.param, tmp_path, server) as opened:
        yield opened


# --- Virtuoso (Debian package virtuoso-opensource), for the remote-store tests (issue 7) ------
VIRTUOSO_START_DEADLINE = 120.0
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
MaxQueryMem = 200M
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _which_virtuoso() -> tuple[str | None, str | None]:
    return shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")


def install_virtuoso() -> None:
    """Install Debian's virtuoso-opensource when the suite runs as root with apt-get: a
    server a test needs is installed by the suite, not skipped."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=env, check=False, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "virtuoso-opensource"],
        env=env,
        check=False,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )


def find_virtuoso() -> tuple[str, str]:
    """The ``virtuoso-t`` server and ``isql-vt`` client of the Debian package."""
    server, client = _which_virtuoso()
    if server is None or client is None:
        install_virtuoso()
        server, client = _which_virtuoso()
    if server is None or client is None:
        raise RuntimeError(
            "Virtuoso is missing: apt-get install -y virtuoso-opensource (.ci/run does it)"
        )
    return server, client


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[str]:
    """SPARQL URL (``…/sparql``) of a fresh Virtuoso on free loopback ports.

    Its anonymous SPARQL user may update (``GRANT SPARQL_UPDATE``), so the Protocol update
    and the Graph Store Protocol (``/sparql-graph-crud``) work as on Oxigraph; it binds
    127.0.0.1 only and lives in a temp folder.
    """
    server, client = find_virtuoso()
    db = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = pick_free_port(), pick_free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, sql_port=sql_port, http_port=http_port))
    log = (db / "stdout.log").open("wb")
    process = subprocess.Popen(
        [server, "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + VIRTUOSO_START_DEADLINE
        while True:
            try:
                requests.get(url, params={"query": "ASK {}"}, timeout=2.0).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Virtuoso did not answer on {url}; see {db}") from None
                try:  # wait on the process itself: returns early only if it died
                    process.wait(timeout=0.25)
                    raise RuntimeError(f"virtuoso-t exited with code {process.returncode}")
                except subprocess.TimeoutExpired:
                    pass
        grant = (
            "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        )
        subprocess.run(
            [client, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={grant}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def assert_expected_quads(request):
    """Compare loaded quads with the ``*.expected.trig`` beside their input, as sets of quads
    (no blank nodes in loader output), printing missing and added ones; ``--update-expected``
    (or $BREACHKG_UPDATE_EXPECTED) rewrites the file instead, to be reviewed like code."""
    import pyoxigraph

    from breachkg.vocab import PREFIXES

    def check(quads, expected_file: Path) -> None:
        if request.config.getoption("--update-expected", default=False) or os.environ.get(
            "BREACHKG_UPDATE_EXPECTED"
        ):
            pyoxigraph.serialize(
                sorted(quads, key=str),
                str(expected_file),
                format=pyoxigraph.RdfFormat.TRIG,
                prefixes=PREFIXES,
            )
        expected = set(pyoxigraph.parse(path=str(expected_file), format=pyoxigraph.RdfFormat.TRIG))
        got = set(quads)
        missing = "\n".join(sorted(map(str, expected - got)))
        added = "\n".join(sorted(map(str, got - expected)))
        assert got == expected, f"missing:\n{missing}\nadded:\n{added}"

    return check
