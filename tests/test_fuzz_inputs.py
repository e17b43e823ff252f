"""Fuzzing every input path: articles, RDF files, dataset files, query parameters (issue 10).

Each generated input either loads or is refused with one stderr line that names the file
(or parameter) and the reason, exit status 2, no traceback, and the store left as it was
(its quads compared before and after).  Cases run in-process through ``cli.main`` for
speed; a few subprocess runs check the real stderr.  The "ci" hypothesis profile
(tests/conftest.py) makes the runs derandomized; ``HYPOTHESIS_PROFILE=dev`` explores.

Generated cases: 300 article byte strings, 40 nested HTML pages, 30 article files through
the CLI, 340 RDF documents (mutated Turtle, N-Quads, JSON-LD; random bytes) through the CLI,
200 CSV files, 200 VERIS JSON documents, 40 dataset files through the CLI, 250 query
parameter sets: 1,400 in all.  The CLI runs share one in-memory store (``cli_store``) so
that a case costs milliseconds, not a RocksDB open and flush; the on-disk store is used by
the fixed cases and the subprocess runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from breachkg.loaders import hhs_ocr_csv, news_article, veris_json
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkg import cli, pipeline
from breachkg.errors import BreachkgInputError
from breachkg.queries import list_queries
from breachkg.rdf_io import parse_rdf_bytes
from breachkg.resources import resource_dir
from breachkg.store import MemoryStore, OxigraphStore

HERE = Path(__file__).parent
SAMPLES = resource_dir("samples")
HHS_FIXTURE = HERE / "fixtures" / "hhs_ocr_csv" / "three-breaches.csv"
VERIS_FIXTURE = HERE / "fixtures" / "veris_json" / "iron-mountain-florida-hospital.json"
SEED_GRAPH = "https://w3id.org/breachkg/graph/rdf/fuzz-seed"
SEED_TTL = (
    b"@prefix schema: <https://schema.org/> .\n"
    b'<https://w3id.org/breachkg/id/vendor/acme> schema:name "Acme" .\n'
)


# --- helpers ----------------------------------------------------------------------------------


def store_snapshot(path: Path) -> set[str]:
    """The store's quads as N-Quads lines (the store is closed again afterwards)."""
    with OxigraphStore(path) as store:
        return {str(q) for q in store.quads()}


def seeded_store(folder: Path) -> Path:
    """A store holding one small graph, so "unchanged" means something."""
    seed = folder / "seed.ttl"
    seed.write_bytes(SEED_TTL)
    store = folder / "store"
    assert cli.main(["-q", "--store", str(store), "ingest", "--graph", SEED_GRAPH, str(seed)]) == 0
    return store


def run_cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean_refusal(code: int, err: str, names: str) -> None:
    """Exit 2, one stderr line naming ``names`` (a file or parameter), no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("breachkg "), lines[0]
    assert ": error: " in lines[0]
    assert names in lines[0], (names, lines[0])


def ingest_and_check(capsys, store: MemoryStore, file: Path, *extra: str) -> int:
    """Ingest ``file``: accepted (then undone) or refused cleanly with the store unchanged."""
    before = quad_lines(store)
    code, _, err = run_cli(capsys, ["-q", "ingest", *extra, str(file)])
    if code == 0:
        for graph in set(store.graphs()) - graphs_of(before):
            store.remove_graph(graph)
    else:
        assert_clean_refusal(code, err, file.name)
    assert quad_lines(store) == before
    return code


class KeptMemoryStore(MemoryStore):
    """An in-memory store that ``cli.main`` may open and close again and again."""

    def close(self) -> None:
        pass


def quad_lines(store) -> set[str]:
    return {str(q) for q in store.quads()}


def graphs_of(lines: set[str]) -> set[str]:
    return {line.rsplit(" ", 1)[-1][1:-1] for line in lines}


@pytest.fixture(scope="module")
def seeded_memory_store() -> KeptMemoryStore:
    store = KeptMemoryStore()
    store.replace_graph(SEED_GRAPH, parse_rdf_bytes(SEED_TTL, "turtle"))
    return store


@pytest.fixture()
def cli_store(monkeypatch, seeded_memory_store) -> KeptMemoryStore:
    """The in-memory store that every in-process ``cli.main`` call of the test uses.

    The CLI's own code runs unchanged from argument parsing to ``replace_graphs``; only the
    RocksDB open and flush (a fifth of a second each time) are left out.
    """
    monkeypatch.setattr(pipeline, "open_store", lambda **kwargs: seeded_memory_store)
    return seeded_memory_store


# --- articles ----------------------------------------------------------------------------------

ARTICLE_SUFFIXES = st.sampled_from([".txt", ".md", ".html", ".htm"])
ARTICLE_WORDS = st.sampled_from(
    "l'hôpital clinique patients données piratage rançongiciel logiciel dossier "
    "hospital ransomware records stolen vendor software laboratoire mutuelle".split()
)


def article_bytes() -> st.SearchStrategy[bytes]:
    """Random bytes, text in odd encodings, markup soup and near-articles."""
    words = st.lists(ARTICLE_WORDS, min_size=0, max_size=60).map(" ".join)
    text = st.one_of(
        st.text(max_size=400), words, st.text(alphabet="<>/&;#!-*[]()\n ", max_size=200)
    )
    encoded = st.tuples(
        text, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"])
    ).map(lambda t: t[0].encode(t[1], errors="replace"))
    return st.one_of(
        st.binary(max_size=800),
        encoded,
        st.builds(lambda a, b: a + b, encoded, st.binary(max_size=40)),
    )


@settings(max_examples=300, deadline=None)
@given(data=article_bytes(), suffix=ARTICLE_SUFFIXES)
def test_article_reader_returns_an_article_or_a_named_refusal(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("article") / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        article = news_article.read_article(path)
    except BreachkgInputError as err:
        assert str(err).startswith(str(path)), str(err)
        assert "\n" not in str(err)
    else:
        assert article.text.strip()
        assert sum(c.isalpha() for c in article.text) >= news_article.MIN_LETTERS


@settings(max_examples=40, deadline=None)
@given(
    depth=st.integers(min_value=0, max_value=3000),
    tag=st.sampled_from(["div", "b", "table", "span", "p", "ul><li", "!--"]),
    closed=st.booleans(),
)
def test_deeply_nested_html_is_read_or_refused(tmp_path_factory, depth, tag, closed):
    body = "<p>" + " ".join(["Le centre hospitalier a subi une cyberattaque massive."] * 4) + "</p>"
    close = f"</{tag.split('>')[-1].lstrip('<')}>" * depth if closed and tag != "!--" else ""
    page = (
        f"<html><head><title>T</title></head><body>{f'<{tag}>' * depth}{body}{close}</body></html>"
    )
    path = tmp_path_factory.mktemp("html") / "nested.html"
    path.write_text(page, encoding="utf-8")
    try:
        article = news_article.read_article(path)
    except BreachkgInputError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err)
    else:
        assert "cyberattaque" in article.text


@settings(max_examples=30, deadline=None)
@given(data=article_bytes(), suffix=ARTICLE_SUFFIXES)
def test_article_ingest_through_the_cli_is_clean(tmp_path_factory, capsys, cli_store, data, suffix):
    path = tmp_path_factory.mktemp("cli-article") / f"fuzz{suffix}"
    path.write_bytes(data)
    ingest_and_check(capsys, cli_store, path, "--no-validate")


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b" \n\t\n", "empty file"),
        ("nul.txt", b"Titre\x00\x00 du texte " * 20, "binary"),
        ("huge.txt", b"mot " * (news_article.MAX_BYTES // 4 + 1), "too large"),
        ("one-long-word.txt", b"Titre\n\n" + b"a" * 200_000, "too few words"),
        ("controls.txt", "Un texte \x07 avec \x1b des contrôles ".encode() * 10, "control"),
        ("bad-bom.txt", b"\xff\xfe" + b"\x00\xd8" * 50, "undecodable"),
    ],
)
def test_bad_article_files_are_refused_in_one_line(tmp_path, capsys, name, data, reason):
    store = seeded_store(tmp_path)
    before = store_snapshot(store)
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = run_cli(capsys, ["--store", str(store), "ingest", str(path)])
    assert_clean_refusal(code, err, name)
    assert reason in err
    assert store_snapshot(store) == before


def test_a_very_long_line_without_breaks_is_read(tmp_path):
    path = tmp_path / "long-line.txt"
    path.write_text("Le laboratoire a été piraté et les résultats publiés. " * 3_000)
    article = news_article.read_article(path)
    assert len(article.text) > 150_000


def test_a_book_sized_line_is_refused_in_one_line(tmp_path):
    path = tmp_path / "book-line.txt"
    path.write_text("Le laboratoire a été piraté et les résultats publiés. " * 20_000)
    with pytest.raises(BreachkgInputError, match=r"book-line\.txt: too long for a news article"):
        news_article.read_article(path)


# --- RDF files ---------------------------------------------------------------------------------

RDF_BASES = {
    ".ttl": (
        b"@prefix bk: <https://w3id.org/breachkg/ontology#> .\n"
        b"@prefix schema: <https://schema.org/> .\n"
        b"<https://w3id.org/breachkg/id/vendor/v1> a bk:SoftwarePublisher ;\n"
        b'  schema:name "V\\u00e9ndor \\"one\\""@fr , """long\nname""" ;\n'
        b"  bk:peopleAffected 12 .\n_:b bk:quote 'q' .\n"
    ),
    ".nq": (
        b'<http://example.org/s> <http://example.org/p> "o"@en <http://example.org/g> .\n'
        b"<http://example.org/s> <http://example.org/p> _:x .\n"
        b'_:x <http://example.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> '
        b"<http://example.org/g2> .\n"
    ),
    ".jsonld": json.dumps(
        {
            "@context": {"schema": "https://schema.org/"},
            "@graph": [
                {
                    "@id": "http://example.org/a",
                    "schema:name": [{"@value": "A", "@language": "fr"}],
                },
                {"@id": "_:b", "schema:knows": {"@id": "http://example.org/a"}},
            ],
        }
    ).encode(),
}
SYNTAX = "<>\"'{}[]().,;:@^_#\\ \n\tauU0é\u0000\ud7ff\U0001f600"
BAD_FRAGMENTS = st.sampled_from(
    [
        "<http://ex.org/a b>",
        "<not an iri>",
        "<http://ex.org/\u0000>",
        "<http://[::1>",
        '"unterminated',
        "\\u00ZZ",
        "\\U0011FFFF",
        "@prefix : <> .",
        "@base <rel> .",
        '"x"^^<bad iri>',
        '"x"@-bad-',
        '{"@id": 5}',
        '{"@context": "http://example.org/remote-context"}',
        '{"@context": {"@vocab": 3}}',
        "]]]",
        "_:",
        "\ufeff",
    ]
)


@st.composite
def mutated_rdf(draw) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(RDF_BASES)))
    text = RDF_BASES[suffix].decode("utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "fragment", "giant"]))
        if kind == "insert":
            text = text[:at] + draw(st.text(alphabet=SYNTAX, min_size=1, max_size=6)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=8)) :]
        elif kind == "fragment":
            text = text[:at] + draw(BAD_FRAGMENTS) + text[at:]
        else:
            text = text[:at] + '"' + "x" * draw(st.integers(10_000, 300_000)) + '"' + text[at:]
    return suffix, text.encode("utf-8", errors="surrogatepass")


@settings(max_examples=300, deadline=None)
@given(case=mutated_rdf())
def test_rdf_ingest_of_mutated_documents_is_clean(tmp_path_factory, capsys, cli_store, case):
    suffix, data = case
    path = tmp_path_factory.mktemp("rdf") / f"fuzz{suffix}"
    path.write_bytes(data)
    ingest_and_check(capsys, cli_store, path, "--no-validate")


@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(max_size=300),
    suffix=st.sampled_from([".ttl", ".nq", ".jsonld", ".trig", ".rdf"]),
)
def test_rdf_ingest_of_random_bytes_is_clean(tmp_path_factory, capsys, cli_store, data, suffix):
    path = tmp_path_factory.mktemp("rdf") / f"bytes{suffix}"
    path.write_bytes(data)
    ingest_and_check(capsys, cli_store, path, "--no-validate")


def test_a_giant_literal_is_ingested_whole(tmp_path, capsys):
    store = seeded_store(tmp_path)
    path = tmp_path / "giant.nt"
    giant = "é" * 3_000_000
    path.write_text(f'<http://example.org/s> <http://example.org/p> "{giant}" .\n')
    code, _, err = run_cli(
        capsys, ["-q", "--store", str(store), "ingest", "--no-validate", str(path)]
    )
    assert code == 0, err
    with OxigraphStore(store) as opened:
        (row,) = opened.select("SELECT (STRLEN(?o) AS ?n) { <http://example.org/s> ?p ?o }").rows
    assert int(row[0].value) == 3_000_000


# --- dataset files -----------------------------------------------------------------------------

HHS_HEADER = HHS_FIXTURE.read_text(encoding="utf-8").splitlines()[0]
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-5",
            "1e9",
            "99999999999999999999",
            "04/31/2024",
            "2024-01-01",
            "13/13/2013",
            "Healthcare Provider",
            "Health Plan",
            "Business Associate",
            "Hacking/IT Incident",
            "Theft",
            "N/A",
            '"',
            '""',
            "\n",
            "Yes",
        ]
    ),
)


def csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@st.composite
def hhs_csv(draw) -> bytes:
    rows = draw(st.lists(st.lists(CELL, min_size=7, max_size=11), min_size=0, max_size=5))
    lines = [HHS_HEADER] + [",".join(csv_cell(c) for c in row) for row in rows]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), draw(st.text(max_size=40)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return "\n".join(lines).encode(encoding, errors="replace")


def assert_loads_or_refuses(load, path: Path) -> None:
    try:
        sources = list(load(path))
    except BreachkgInputError as err:
        assert str(path.name) in str(err) and "\n" not in str(err), str(err)
    else:
        for source in sources:
            assert source.graph.startswith("https://w3id.org/breachkg/graph/")
            list(source.quads)


@settings(max_examples=200, deadline=None)
@given(data=hhs_csv())
def test_hhs_csv_rows_load_or_are_refused(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("hhs") / "breach_report.csv"
    path.write_bytes(data)
    assert_loads_or_refuses(lambda p: hhs_ocr_csv.load(p, progress=False), path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
VERIS_BASE = json.loads(VERIS_FIXTURE.read_text(encoding="utf-8"))


@st.composite
def veris_json_doc(draw) -> bytes:
    kind = draw(st.sampled_from(["mutated", "mutated", "random", "text"]))
    if kind == "random":
        return json.dumps(draw(JSON_VALUES)).encode()
    if kind == "text":
        return draw(st.binary(max_size=200))
    doc = json.loads(json.dumps(VERIS_BASE))
    for _ in range(draw(st.integers(1, 4))):
        node, path = doc, []
        while isinstance(node, dict) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node)))
            path.append(key)
            parent, node = node, node[key]
        if path:
            parent[path[-1]] = draw(JSON_VALUES)
        else:
            doc[draw(st.text(max_size=8))] = draw(JSON_VALUES)
    return json.dumps(doc).encode()


@settings(max_examples=200, deadline=None)
@given(data=veris_json_doc())
def test_veris_json_loads_or_is_refused(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("veris") / "incident.json"
    path.write_bytes(data)
    assert_loads_or_refuses(lambda p: veris_json.load(p, progress=False), path)


@settings(max_examples=40, deadline=None)
@given(
    case=st.one_of(
        hhs_csv().map(lambda d: (".csv", d)), veris_json_doc().map(lambda d: (".json", d))
    )
)
def test_dataset_ingest_through_the_cli_is_clean(tmp_path_factory, capsys, cli_store, case):
    suffix, data = case
    path = tmp_path_factory.mktemp("dataset") / f"fuzz{suffix}"
    path.write_bytes(data)
    ingest_and_check(capsys, cli_store, path, "--no-validate")


# --- query parameters --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    """An embedded store holding the sample articles (for the subprocess runs)."""
    store = tmp_path_factory.mktemp("query-fuzz") / "store"
    assert cli.main(["-q", "--store", str(store), "ingest", "--no-validate", str(SAMPLES)]) == 0
    return store


@pytest.fixture(scope="module")
def samples_in_memory() -> KeptMemoryStore:
    store = KeptMemoryStore()
    pipeline.ingest_inputs(store, [SAMPLES])
    return store


@pytest.fixture()
def query_store(monkeypatch, samples_in_memory) -> KeptMemoryStore:
    """The samples store, used by every in-process ``cli.main`` call of the test."""
    monkeypatch.setattr(pipeline, "open_store", lambda **kwargs: samples_in_memory)
    return samples_in_memory


QUERIES = list_queries()
PARAM_NAMES = sorted({p.name for q in QUERIES for p in q.parameters})


@st.composite
def query_call(draw) -> tuple[str, list[str]]:
    query = draw(st.sampled_from(QUERIES))
    names = [p.name for p in query.parameters] or ["x"]
    params = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(
            st.one_of(st.sampled_from(names), st.sampled_from(PARAM_NAMES), st.text(max_size=8))
        )
        value = draw(
            st.one_of(
                st.text(max_size=40),
                st.sampled_from(
                    [
                        "<http://x> } UNION { ?s ?p ?o",
                        '" . } DROP ALL #',
                        "1e3",
                        "-0",
                        "bk:Vendor",
                        "<>",
                        "http://exa mple.org",
                        "Softway Medical",
                    ]
                ),
            )
        )
        params.append(f"--param={name}={value}")
    return query.name, params


@settings(max_examples=250, deadline=None)
@given(call=query_call(), fmt=st.sampled_from(["table", "json", "csv"]))
def test_query_parameters_run_or_are_refused_in_one_line(capsys, query_store, call, fmt):
    name, params = call
    before = len(query_store)
    code, out, err = run_cli(capsys, ["query", name, "-f", fmt, *params])
    assert len(query_store) == before
    if code == 0:
        assert "Traceback" not in err
        if fmt == "json":
            json.loads(out)
    else:
        assert code == 2, err
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("breachkg query: error: ")


def test_hostile_parameters_leave_the_store_unchanged(sample_store):
    before = store_snapshot(sample_store)
    for value in ['" } ; DROP ALL ; #', "x\nINSERT DATA { <a:a> <a:a> <a:a> }"]:
        cli.main(["-q", "--store", str(sample_store), "query", "establishments-per-vendor",
                  f"--param=vendor={value}"])  # fmt: skip
    assert store_snapshot(sample_store) == before


# --- real processes: nothing but one line on stderr --------------------------------------------


@pytest.mark.parametrize(
    "name, data",
    [
        ("bad.ttl", b'<http://ex.org/s> <http://ex.org/p> "unterminated .\n'),
        ("bad.jsonld", b'{"@context": {"@vocab": 3}, "@id": []}'),
        ("bad.csv", b"\xff\xfe\x00garbage"),
        ("bad.txt", b"\x00\x01\x02" * 100),
    ],
)
def test_subprocess_refusals_print_one_line_and_no_traceback(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "breachkg.cli",
            "--store",
            str(tmp_path / "store"),
            "ingest",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,  # not the checkout, whose breachkg/ lacks the mapped loaders
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0], done.stderr


def test_subprocess_query_with_hostile_parameter_is_one_line(tmp_path, sample_store):
    done = subprocess.run(
        [sys.executable, "-m", "breachkg.cli", "--store", str(sample_store), "query",
         "incidents-by-year", "--param", "since=2020 } DROP ALL {"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "breachkg query: error: since: expects an integer, got '2020 } DROP ALL {'"
    ]


# --- output parameters: one line, exit 2, the store and the file system left alone ------------


@pytest.mark.parametrize(
    "argv, where",
    [
        (["export", "{folder}"], "{folder}: cannot write: is a folder"),
        (["export", "{file}/kg.ttl"], "{file}/kg.ttl: cannot write: "),
        (["report", "--out", "{file}"], "--out: {file} exists and is not a folder"),
        (["report", "--out", "{file}/report"], "{file}/report: cannot write: "),
        (["query", "incidents-by-year", "-o", "{folder}"], "{folder}: cannot write: is a folder"),
    ],
)
def test_unwritable_outputs_are_one_line_errors(tmp_path, capsys, sample_store, argv, where):
    folder, file = tmp_path / "a-folder", tmp_path / "a-file"
    folder.mkdir()
    file.write_text("not a folder\n")
    before = store_snapshot(sample_store)
    argv = [a.format(folder=folder, file=file) for a in argv]
    code, _, err = run_cli(capsys, ["-q", "--store", str(sample_store), *argv])
    assert code == 2, err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"breachkg {argv[0]}: error: " + where.format(folder=folder, file=file))
    assert store_snapshot(sample_store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "a-folder"]
    assert file.read_text() == "not a folder\n" and not any(folder.iterdir())
