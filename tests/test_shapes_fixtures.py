"""Every shape fixture through both engines: valid ones conform, each broken one gives
exactly its expected results (focus node, path, severity, source shape, value).

Fixtures: ``tests/fixtures/shapes/<NodeShape>/valid-<what>.ttl`` and
``invalid-<why>.ttl`` + ``invalid-<why>.report.ttl`` (written from pySHACL's results by
``--update-expected``, compared as graphs).  See the README there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from breachkg.validate import ENGINES, open_data, report_graph, validate_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
VALID = sorted(FIXTURES.glob("*/valid-*.ttl"))
INVALID = sorted(p for p in FIXTURES.glob("*/invalid-*.ttl") if not p.name.endswith(".report.ttl"))
SHAPES_NS = "https://w3id.org/breachkg/shapes#"


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_collected_cases():
    """A glob that quietly matches nothing would pass every parametrized test below."""
    assert len(VALID) == 5
    assert len(INVALID) == 87
    assert len({p.parent.name for p in INVALID}) == 17


@pytest.mark.parametrize("path", VALID, ids=case_id)
@pytest.mark.parametrize("engine", ENGINES)
def test_valid_fixture_conforms(path: Path, engine: str):
    report = validate_graph(path, engine=engine)
    assert report.conforms
    assert report.results == [], report.text


def as_written(report) -> rdflib.Graph:
    """The report graph after a Turtle round trip, so literals read as the expected file's
    do (the writer shortens ``"60"^^xsd:decimal`` to ``60.0``)."""
    text = report_graph(report, messages=False).serialize(format="longturtle")
    return rdflib.Graph().parse(data=text, format="turtle")


def expected_report(path: Path) -> Path:
    return path.with_name(path.stem + ".report.ttl")


@pytest.mark.parametrize("path", INVALID, ids=case_id)
def test_invalid_fixture(path: Path, request):
    data = open_data(path)  # parsed once: blank nodes keep their labels in both engines
    fast = validate_graph(data, engine="fast")
    reference = validate_graph(data, engine="pyshacl")
    assert fast.keys() == reference.keys(), f"fast:\n{fast.text}\npyshacl:\n{reference.text}"
    assert fast.results, "the broken graph gave no result"
    shapes = {r.source_shape.removeprefix(SHAPES_NS) for r in reference.results}
    folder = path.parent.name.removesuffix("Shape")
    assert any(s == path.parent.name or s.startswith(folder + "-") for s in shapes), shapes
    for r in fast.results:
        assert r.message_en and r.message_fr and r.message_en != r.message_fr

    target = expected_report(path)
    if request.config.getoption("--update-expected"):
        text = report_graph(reference, messages=False).serialize(format="longturtle")
        target.write_text(text, encoding="utf-8")
    got = as_written(reference)
    expected = rdflib.Graph().parse(target, format="turtle")
    if not isomorphic(got, expected):
        _, missing, added = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(
            "report differs\nmissing:\n"
            + missing.serialize(format="nt")
            + "\nadded:\n"
            + added.serialize(format="nt")
        )
    assert isomorphic(as_written(fast), expected)


def test_every_shape_with_a_constraint_has_a_broken_fixture():
    """Each compiled check's shape shows up in at least one expected report."""
    from breachkg.validate import load_shapes

    reported = set()
    for report in FIXTURES.glob("*/invalid-*.report.ttl"):
        graph = rdflib.Graph().parse(report, format="turtle")
        reported |= {str(o) for o in graph.objects(None, rdflib.SH.sourceShape)}
    checked = {check.shape for check in load_shapes().checks}
    assert checked - reported == set()
