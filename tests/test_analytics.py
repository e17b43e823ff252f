"""Network analytics on the hand-made query world (tests/fixtures/queries/world.trig)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from breachkg import analytics as A
from breachkg import queries as Q
from breachkg.rdf_io import group_by_graph, read_rdf_file
from breachkg.store import MemoryStore

HERE = Path(__file__).parent
WORLD = HERE / "fixtures" / "queries" / "world.trig"
ID = "https://w3id.org/breachkg/id/"


@pytest.fixture(scope="module")
def world() -> MemoryStore:
    store = MemoryStore()
    store.replace_graphs(group_by_graph(read_rdf_file(WORLD), "urn:x-breachkg:default"))
    return store


@pytest.fixture(scope="module")
def network(world) -> nx.DiGraph:
    return A.network_from_store(world)


def test_network_nodes_and_kinds(network):
    kinds = nx.get_node_attributes(network, "kind")
    assert sum(1 for k in kinds.values() if k == "vendor") == 5
    assert sum(1 for k in kinds.values() if k == "software") == 5
    assert sum(1 for k in kinds.values() if k == "establishment") == 5
    assert sum(1 for k in kinds.values() if k == "incident") == 4
    assert network.nodes[ID + "establishment/laboratoires-dxlab"]["members"] == 30
    assert network.nodes[ID + "incident/mediboard-2024"]["people"] == 758_912


def test_vendor_dependency_through_parents(network):
    rows = {name: n for _, name, n in A.vendor_dependency(network)}
    assert rows == {
        "Dedalus France": 30,
        "Softway Medical": 3,
        "Xtrem Santé": 2,
        "Maincare": 2,
        "Petit Éditeur": 1,
    }


def test_concentration_figures(network):
    figures = A.vendor_concentration(network)
    counts = [30, 3, 2, 1]
    assert [v.rsplit("/", 1)[1] for v, _ in figures.shares] == [
        "dedalus-france",
        "softway-medical",
        "maincare",
        "petit-editeur",
    ]
    assert figures.hhi == pytest.approx(sum((100 * c / 36) ** 2 for c in counts))
    assert figures.hhi == pytest.approx(7052.469, abs=1e-3)
    assert figures.cr1 == pytest.approx(30 / 36)
    assert figures.cr3 == pytest.approx(35 / 36)
    assert A.concentration({"only": 5}).hhi == pytest.approx(10_000)
    assert A.concentration({}).hhi == 0


def test_sparql_and_networkx_concentration_agree(world, network):
    rows = Q.run_query(world, "vendor-share").dicts()
    figures = A.vendor_concentration(network)
    assert [r["vendor"].value for r in rows] == [v for v, _ in figures.shares]
    for row, (_, share) in zip(rows, figures.shares, strict=True):
        assert float(row["share"].value) == pytest.approx(share)
        assert float(row["hhi"].value) == pytest.approx(figures.hhi)
    assert float(rows[0]["cr1"].value) == pytest.approx(figures.cr1)
    assert sum(float(r["share"].value) for r in rows[:3]) == pytest.approx(figures.cr3)
    per_vendor = {
        r["vendor"].value: int(r["establishments"].value)
        for r in Q.run_query(world, "establishments-per-vendor").dicts()
    }
    assert per_vendor == {v: n for v, _, n in A.vendor_dependency(network)}


def test_single_points_of_failure(network):
    points = A.single_points_of_failure(network)
    names = [name for _, name, _, _ in points]
    assert set(names) == {
        "Mediboard",
        "M-Crossway",
        "CH Alpha",
        "Xtrem Santé",
        "Clinique Delta",
        "Softway Medical",
        "Hopital Manager",
        "PetitSoft",
        "DxLab",
    }
    assert names[0] == "Mediboard"  # the most central cut vertex
    assert points[0][3] == pytest.approx(0.3736, abs=1e-4)
    assert A.component_sizes(network) == [12, 3]


def test_graphml_and_gexf_exports(network, tmp_path):
    graphml = A.write_graphml(network, tmp_path / "net.graphml")
    gexf = A.write_gexf(network, tmp_path / "net.gexf")
    back = nx.read_graphml(graphml)
    assert back.number_of_nodes() == network.number_of_nodes() == 19
    assert back.number_of_edges() == network.number_of_edges()
    assert back.nodes[ID + "vendor/xtrem-sante"]["name"] == "Xtrem Santé"
    assert ET.parse(gexf).getroot().tag.endswith("gexf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.gexf", "net.graphml"]
