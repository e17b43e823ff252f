"""Canned queries: every ``queries/*.rq`` beside expected results on a tiny hand-made world.

Cases live in ``tests/fixtures/queries/<query-stem>/``: ``<case>.expected.srj`` (SPARQL
JSON results) with an optional ``<case>.params.yaml`` (none = no parameters), run on
``world.trig`` unless the folder has its own ``data.trig``.  Rows compare as lists when
the query has ORDER BY, else as multisets; decimals compare to 6 places.
``pytest --update-expected`` (or BREACHKG_UPDATE_EXPECTED=1) rewrites the expected files.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pyoxigraph import Literal, NamedNode

from breachkg import queries as Q
from breachkg.cli import main
from breachkg.errors import BreachkgInputError, BreachkgParameterError
from breachkg.rdf_io import group_by_graph, read_rdf_file
from breachkg.store import MemoryStore, SelectResult

HERE = Path(__file__).parent
CASES_DIR = HERE / "fixtures" / "queries"
WORLD = CASES_DIR / "world.trig"
QUERIES = Q.list_queries()
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int")}
EXPECTED_QUERY_COUNT = 16
EXPECTED_CASE_COUNT = 37


def load_world(path: Path = WORLD) -> MemoryStore:
    store = MemoryStore()
    store.replace_graphs(group_by_graph(read_rdf_file(path), "urn:x-breachkg:default"))
    return store


@pytest.fixture(scope="module")
def world() -> MemoryStore:
    return load_world()


def collect_cases() -> list[tuple[str, str]]:
    cases = []
    for q in QUERIES:
        folder = CASES_DIR / q.name
        for expected in sorted(folder.glob("*.expected.srj")):
            cases.append((q.name, expected.name.removesuffix(".expected.srj")))
    return cases


CASES = collect_cases()


def data_file(folder: Path, case: str) -> Path:
    """The world a case runs on: ``<case>.data.trig``, the folder's ``data.trig``, a shared
    ``<case>.trig`` beside world.trig (e.g. ``same-as.trig``), else ``world.trig``."""
    for path in (folder / f"{case}.data.trig", folder / "data.trig", CASES_DIR / f"{case}.trig"):
        if path.exists():
            return path
    return WORLD


def row_key(term) -> tuple:
    if term is None:
        return ("unbound",)
    if isinstance(term, Literal) and term.datatype.value in NUMERIC:
        return ("number", round(float(term.value), 6))
    if isinstance(term, Literal):
        return ("literal", term.value, term.language or term.datatype.value)
    return (type(term).__name__, term.value)


def comparable(result: SelectResult, ordered: bool):
    rows = [tuple(row_key(t) for t in row) for row in result.rows]
    return (list(result.variables), rows if ordered else Counter(rows))


def test_every_query_is_collected_and_has_a_case():
    assert len(QUERIES) == EXPECTED_QUERY_COUNT
    without = [q.name for q in QUERIES if not any(name == q.name for name, _ in CASES)]
    assert without == [], f"queries without a case in {CASES_DIR}: {without}"
    assert len(CASES) == EXPECTED_CASE_COUNT


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_header_agrees_with_query(query):
    assert Q.check_query(query) == []
    assert query.title and query.summary
    assert query.name == query.path.stem


@pytest.mark.parametrize(("stem", "case"), CASES, ids=[f"{s}/{c}" for s, c in CASES])
def test_query_case(stem, case, world, request):
    folder = CASES_DIR / stem
    query = Q.find_query(stem)
    params_file = folder / f"{case}.params.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8")) if params_file.exists() else {}
    store = world if data_file(folder, case) == WORLD else load_world(data_file(folder, case))
    result = Q.run_query(store, query, params or {})
    expected_file = folder / f"{case}.expected.srj"
    if request.config.getoption("--update-expected", default=False) or os.environ.get(
        "BREACHKG_UPDATE_EXPECTED"
    ):
        expected_file.write_text(Q.format_result(result, "json"), encoding="utf-8")
    expected = Q.result_from_json(json.loads(expected_file.read_text(encoding="utf-8")))
    ordered = re.search(r"\bORDER\s+BY\b", query.sparql, re.IGNORECASE) is not None
    assert comparable(result, ordered) == comparable(expected, ordered)


# --- figures worth stating outright (the expected files hold them too) ----------------------


def test_mediboard_counts_for_xtrem_sante_and_softway_medical(world):
    rows = {
        r["vendorName"].value: int(r["establishments"].value)
        for r in Q.run_query(world, "establishments-per-vendor").dicts()
    }
    assert rows["Xtrem Santé"] == 2
    assert rows["Softway Medical"] == 3
    assert rows["Dedalus France"] == 30


def test_incident_reported_twice_counts_once_with_the_largest_count(world):
    rows = {
        r["vendorName"].value: int(r["people"].value)
        for r in Q.run_query(world, "people-exposed-per-vendor").dicts()
    }
    assert rows == {"Softway Medical": 759_912, "Xtrem Santé": 758_912, "Dedalus France": 500_000}


def test_same_as_twins_count_once_with_their_largest_count():
    twins = load_world(CASES_DIR / "same-as.trig")
    by_vendor = {
        r["vendorName"].value: (int(r["people"].value), int(r["incidents"].value))
        for r in Q.run_query(twins, "people-exposed-per-vendor").dicts()
    }
    assert by_vendor == {"Editeur P": (1500 + 10, 2), "Groupe G": (1500 + 10, 2)}
    by_year = [
        tuple(int(t.value) for t in row) for row in Q.run_query(twins, "incidents-by-year").rows
    ]
    assert by_year == [(2022, 1, 1500), (2024, 1, 10)]


def test_vendor_share_figures(world):
    rows = Q.run_query(world, "vendor-share").dicts()
    assert [r["vendorName"].value for r in rows][:2] == ["Dedalus France", "Softway Medical"]
    assert float(rows[0]["share"].value) == pytest.approx(30 / 36)
    assert float(rows[0]["cr1"].value) == pytest.approx(30 / 36)
    assert sum(float(r["share"].value) for r in rows[:3]) == pytest.approx(35 / 36)  # CR-3
    shares = [30, 3, 2, 1]
    assert float(rows[0]["hhi"].value) == pytest.approx(sum((100 * s / 36) ** 2 for s in shares))


# --- parameters -----------------------------------------------------------------------------


def test_vendor_name_resolves_to_its_iri(world):
    query = Q.find_query("blast-radius")
    for name in ("Softway Medical", "softway medical", "SOFTWAY  MÉDICAL SAS"):
        row = Q.run_query(world, query, {"vendor": name}).dicts()[0]
        assert row["vendor"] == NamedNode("https://w3id.org/breachkg/id/vendor/softway-medical")


def test_prefixed_name_binds_an_iri(world):
    rows = Q.run_query(
        world,
        "evidence-for",
        {"subject": "bkid:incident/mediboard-2024", "predicate": "bk:peopleAffected"},
    ).dicts()
    assert {r["quote"].value for r in rows} == {"758 912 patients", "750 000 people"}


@pytest.mark.parametrize(
    ("name", "params", "fragment"),
    [
        ("establishments-per-vendor", {"minimum": "two"}, "minimum: expects an integer"),
        ("establishments-per-vendor", {"minimum": "1 } UNION { ?s ?p ?o"}, "minimum"),
        ("establishments-per-vendor", {"colour": "red"}, "colour: unknown parameter"),
        ("blast-radius", {}, "vendor: is required"),
        ("evidence-for", {"subject": "http://example.org/a>b"}, "subject: is not a valid IRI"),
        ("evidence-for", {"subject": "Nobody Known"}, "subject: no entity named"),
    ],
)
def test_bad_parameters_name_the_parameter(world, name, params, fragment):
    with pytest.raises(BreachkgParameterError) as err:
        Q.run_query(world, name, params)
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    "value",
    ['x" } UNION { ?s ?p ?o } #', 'fr"@en', "x'''", "en> <http://evil", "} } SELECT * {"],
)
def test_hostile_literals_are_bound_as_one_term(world, value):
    query = Q.find_query("incidents-by-attack-type")
    text = Q.bind_parameters(query, {"lang": value})
    brace = query.sparql.index("{") + 1
    inserted = text[brace : brace + len(text) - len(query.sparql)]
    assert text[:brace] + text[brace + len(inserted) :] == query.sparql
    assert inserted.startswith("\n  VALUES (?__lang_literal)") and inserted.count("\n") == 1
    row = re.search(r"VALUES \(\?__lang_literal\) \{ \((.*)\) \}", text).group(1)
    assert row == str(Literal(value))
    result = Q.run_query(world, query, {"lang": value})
    assert {r["label"] for r in result.dicts()} == {None}  # no label in that "language"
    assert len(result.rows) == 2


def test_binding_adds_one_values_row_at_the_top_of_the_outer_where():
    query = Q.find_query("establishments-per-vendor")
    text = Q.bind_parameters(query, {"minimum": "2", "vendor": "https://example.org/v"})
    assert text.count("VALUES") == 1
    before, after = text.split("VALUES", 1)
    assert before == query.sparql[: query.sparql.index("{") + 1] + "\n  "
    assert after.startswith(
        " (?__vendor_iri ?__minimum_integer) { (<https://example.org/v> "
        '"2"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    )


def test_binding_repeats_the_row_in_each_sub_select_projecting_the_parameter():
    query = Q.find_query("blast-radius")
    vendor = "https://w3id.org/breachkg/id/vendor/softway-medical"
    text = Q.bind_parameters(query, {"vendor": vendor})
    row = f"\n  VALUES (?_vendor_iri) {{ (<{vendor}>) }}"
    sub_selects = re.findall(r"SELECT (?:DISTINCT )?[^{]*\?_vendor_iri[^{]*\{", query.sparql)
    assert len(sub_selects) > 5  # the outer SELECT and the sub-selects projecting the vendor
    assert text.count(row) == len(sub_selects)
    for match in re.finditer(r"SELECT (?:DISTINCT )?[^{]*\{", text):
        follows = text[match.end() : match.end() + len(row)]
        assert (follows == row) == ("?_vendor_iri" in match.group(0)), match.group(0)
    assert text.replace(row, "") == query.sparql


def test_binding_leaves_sub_selects_that_hide_the_parameter():
    query = Q.read_query(
        "SELECT ?n WHERE { { SELECT ?n WHERE { ?s <urn:p> ?n FILTER(?n != ?__x_literal) } }"
        " { SELECT ?__x_literal WHERE { ?y <urn:q> ?__x_literal } } }"
    )
    text = Q.bind_parameters(query, {"x": 'a" } #'})
    row = '\n  VALUES (?__x_literal) { ("a\\" } #") }'
    assert text.count(row) == 2
    assert text.index(row) == text.index("{") + 1
    assert text.count(f"WHERE {{{row} ?y") == 1  # inside the projecting sub-select only


def test_one_vendor_blast_radius_is_that_vendors_row_of_the_unbound_computation(world):
    query = Q.find_query("blast-radius")
    everyone = {r[0]: r for r in world.select(query.sparql.replace("?_vendor_iri", "?v")).rows}
    for name in ("softway-medical", "xtrem-sante", "dedalus-france", "maincare"):
        iri = NamedNode(f"https://w3id.org/breachkg/id/vendor/{name}")
        rows = Q.run_query(world, query, {"vendor": iri.value}).rows
        assert len(rows) == 1
        assert rows[0] == everyone[iri]


def test_updates_are_refused(world):
    query = Q.read_query(
        "PREFIX bk: <https://w3id.org/breachkg/ontology#>\nDELETE WHERE { ?s ?p ?o }"
    )
    with pytest.raises(BreachkgInputError, match="read-only"):
        Q.run_query(world, query)
    assert len(world) > 0


# --- formats and the CLI --------------------------------------------------------------------


def test_formats_round_trip_and_list(world):
    result = Q.run_query(world, "people-exposed-per-software")
    assert Q.result_from_json(json.loads(Q.format_result(result, "json"))) == result
    csv_text = Q.format_result(result, "csv")
    assert (
        csv_text.splitlines()[1]
        == "https://w3id.org/breachkg/id/software/mediboard,Mediboard,758912,1"
    )
    tsv_first = Q.format_result(result, "tsv").splitlines()[1].split("\t")
    assert tsv_first[0] == "<https://w3id.org/breachkg/id/software/mediboard>"
    assert "bkid:software/mediboard" in Q.format_result(result, "table")


@pytest.fixture
def store_dir(tmp_path) -> Path:
    from breachkg.store import OxigraphStore

    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        store.replace_graphs(group_by_graph(read_rdf_file(WORLD), "urn:x-breachkg:default"))
    return path


def test_cli_query_by_name_with_params(store_dir, capsys):
    code = main(
        [
            "--store",
            str(store_dir),
            "query",
            "blast-radius",
            "--param",
            "vendor=Softway Medical",
            "--format",
            "csv",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[1] == (
        "https://w3id.org/breachkg/id/vendor/softway-medical,Softway Medical,3,3,2,759912,2"
    )


def test_cli_query_option_style_params_and_list(store_dir, capsys):
    code = main(
        [
            "--store",
            str(store_dir),
            "query",
            "establishments-per-vendor",
            "--minimum",
            "3",
            "--format",
            "tsv",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and len(out.splitlines()) == 3
    assert main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "blast-radius" in listing and "--param vendor=<iri>  (required)" in listing


def test_cli_query_expression_and_errors(store_dir, capsys, tmp_path):
    code = main(
        [
            "--store",
            str(store_dir),
            "query",
            "-e",
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/breachkg/ontology#Incident> }",
            "--format",
            "csv",
        ]
    )
    assert code == 0 and capsys.readouterr().out.splitlines()[1] == "4"
    code = main(["--store", str(store_dir), "query", "-e", "DROP ALL"])
    assert code == 2
    assert "read-only" in capsys.readouterr().err
    code = main(["--store", str(store_dir), "query", "establishments-per-vendor", "--minimum", "x"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == (
        "breachkg query: error: minimum: expects an integer, got 'x'"
    )
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?n WHERE { ?s <https://schema.org/name> ?n FILTER(?n = ?_who_literal) }")
    code = main(
        ["--store", str(store_dir), "query", str(rq), "--param", "who=Maincare", "--format", "csv"]
    )
    assert code == 0 and capsys.readouterr().out.splitlines()[1:] == ["Maincare"]


# --- the same text runs on rdflib's SPARQL engine (the in-memory alternative) ---------------


def load_rdflib(path: Path = WORLD):
    import rdflib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(path, format="trig")
    return dataset


@pytest.fixture(scope="module")
def rdflib_world():
    return load_rdflib()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own internals
@pytest.mark.parametrize(("stem", "case"), CASES, ids=[f"{s}/{c}" for s, c in CASES])
def test_rdflib_gives_the_expected_results(stem, case, world, rdflib_world):
    from breachkg.rdf_io import from_rdflib_term

    folder = CASES_DIR / stem
    query = Q.find_query(stem)
    params_file = folder / f"{case}.params.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8")) if params_file.exists() else {}
    text = Q.bind_parameters(query, params or {}, world)
    path = data_file(folder, case)
    answer = (rdflib_world if path == WORLD else load_rdflib(path)).query(text)
    rows = [
        tuple(None if row[v] is None else from_rdflib_term(row[v]) for v in answer.vars)
        for row in answer
    ]
    result = SelectResult([str(v) for v in answer.vars], rows)
    expected = Q.result_from_json(
        json.loads((folder / f"{case}.expected.srj").read_text(encoding="utf-8"))
    )
    ordered = re.search(r"\bORDER\s+BY\b", query.sparql, re.IGNORECASE) is not None
    assert comparable(result, ordered) == comparable(expected, ordered)
