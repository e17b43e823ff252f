"""The supply-chain network as networkx graphs, and the concentration figures read from it.

One SELECT fetches every vendor, software, establishment and incident edge of the store
(no N+1 queries); ``network_from_store`` turns it into a directed graph whose nodes carry
``kind`` (vendor, software, establishment, incident), ``name``, ``members`` (1, or a
cohort's bk:memberCount) and ``people`` (an incident's largest stated count).  From it:

- ``vendor_establishments``: the establishments depending on each vendor, through its
  subsidiaries' software too (bk:publishedBy then bk:parentOrganization upwards);
- ``vendor_concentration``: shares of the top-level vendors, HHI (sum of squared shares in
  percent, 0-10000), CR-1 and CR-3 -- the same figures as ``queries/vendor-share.rq``;
- ``single_points_of_failure``: articulation points of the vendor-software-establishment
  graph with their betweenness centrality; ``component_sizes``;
- ``write_graphml`` / ``write_gexf`` for Gephi.

>>> concentration({"a": 3, "b": 1}).hhi
6250.0
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from pyoxigraph import Literal, NamedNode

from breachkg.rdf_io import write_bytes_atomically
from breachkg.store import Store
from breachkg.vocab import BK_NS

SUPPLY_RELATIONS = ("usesSoftware", "publishedBy", "parentOrganization")
INCIDENT_RELATIONS = ("victim", "compromisedSoftware", "involvedVendor")

NETWORK_QUERY = """
PREFIX bk: <https://w3id.org/breachkg/ontology#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?subject ?relation ?object WHERE {
  { VALUES ?relation { bk:usesSoftware bk:publishedBy bk:parentOrganization
                       bk:victim bk:compromisedSoftware bk:involvedVendor
                       bk:memberCount bk:peopleAffected }
    ?subject ?relation ?object . }
  UNION
  { ?subject schema:name ?object .
    FILTER EXISTS { { ?subject bk:usesSoftware|bk:publishedBy|bk:parentOrganization ?any }
                    UNION { ?any bk:usesSoftware|bk:publishedBy|bk:parentOrganization
                                 |bk:victim|bk:compromisedSoftware|bk:involvedVendor ?subject } }
    BIND(schema:name AS ?relation) }
}
"""


@dataclass(frozen=True)
class Concentration:
    """Shares (largest first, ties by key), HHI in 0-10000, CR-1 and CR-3 in 0-1."""

    shares: tuple[tuple[str, float], ...]
    hhi: float
    cr1: float
    cr3: float

    def cr(self, n: int) -> float:
        return sum(share for _, share in self.shares[:n])


def _local(iri: str) -> str:
    return iri[len(BK_NS) :] if iri.startswith(BK_NS) else iri


def network_from_store(store: Store) -> nx.DiGraph:
    """Vendors, software, establishments and incidents with their edges, from one query."""
    graph = nx.DiGraph()
    names: dict[str, str] = {}
    members: dict[str, int] = {}
    people: dict[str, int] = {}
    edges: list[tuple[str, str, str]] = []
    for subject, relation, obj in store.select(NETWORK_QUERY).rows:
        if not isinstance(subject, NamedNode):
            continue
        rel = _local(relation.value)
        s = subject.value
        if relation.value == "https://schema.org/name":
            names[s] = min(names.get(s, obj.value), obj.value)
        elif rel == "memberCount" and isinstance(obj, Literal):
            members[s] = max(members.get(s, 0), _as_int(obj.value))
        elif rel == "peopleAffected" and isinstance(obj, Literal):
            people[s] = max(people.get(s, 0), _as_int(obj.value))
        elif isinstance(obj, NamedNode):
            edges.append((s, rel, obj.value))
    kinds = _infer_kinds(edges)
    for node, kind in kinds.items():
        attrs = {"kind": kind, "name": names.get(node, node.rsplit("/", 1)[-1]), "iri": node}
        attrs["members"] = members.get(node, 1)
        if kind == "incident":
            attrs["people"] = people.get(node, 0)
        graph.add_node(node, **attrs)
    for s, rel, o in edges:
        graph.add_edge(s, o, relation=rel)
    return graph


def _as_int(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


def _infer_kinds(edges: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Node kind from the roles it plays; the most specific role wins."""
    rank = {"incident": 4, "software": 3, "vendor": 2, "establishment": 1}
    kinds: dict[str, str] = {}

    def mark(node: str, kind: str) -> None:
        if rank[kind] > rank.get(kinds.get(node, ""), 0):
            kinds[node] = kind

    edges = list(edges)
    for s, rel, o in edges:
        if rel == "usesSoftware":
            mark(s, "establishment")
            mark(o, "software")
        elif rel == "publishedBy":
            mark(s, "software")
            mark(o, "vendor")
        elif rel in INCIDENT_RELATIONS:
            mark(s, "incident")
            mark(
                o, {"victim": "establishment", "compromisedSoftware": "software"}.get(rel, "vendor")
            )
    for s, rel, o in edges:  # a parent takes its child's side (vendor or establishment group)
        if rel == "parentOrganization":
            if s not in kinds:
                kinds[s] = "vendor"
            if o not in kinds or (kinds[s] == "vendor" and kinds[o] == "establishment"):
                kinds[o] = kinds[s] if kinds[s] in ("vendor", "establishment") else "vendor"
    return kinds


def vendor_ancestors(graph: nx.DiGraph, vendor: str) -> set[str]:
    """The vendor and every organisation above it through bk:parentOrganization."""
    seen, todo = {vendor}, [vendor]
    while todo:
        node = todo.pop()
        for _, parent, data in graph.out_edges(node, data=True):
            if data["relation"] == "parentOrganization" and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def vendor_establishments(graph: nx.DiGraph) -> dict[str, set[str]]:
    """Vendor -> establishments using its or its subsidiaries' software."""
    depending: dict[str, set[str]] = {}
    for est, software, data in graph.edges(data=True):
        if data["relation"] != "usesSoftware":
            continue
        for _, publisher, d in graph.out_edges(software, data=True):
            if d["relation"] != "publishedBy":
                continue
            for vendor in vendor_ancestors(graph, publisher):
                depending.setdefault(vendor, set()).add(est)
    return depending


def weighted_count(graph: nx.DiGraph, nodes: Iterable[str]) -> int:
    """Establishments a set of nodes stands for (a cohort counts its members)."""
    return sum(graph.nodes[n].get("members", 1) for n in nodes)


def vendor_dependency(
    graph: nx.DiGraph, top_level_only: bool = False
) -> list[tuple[str, str, int]]:
    """(vendor, name, weighted establishments), largest first, then by name."""
    rows = []
    for vendor, ests in vendor_establishments(graph).items():
        if top_level_only and not is_top_level(graph, vendor):
            continue
        rows.append((vendor, graph.nodes[vendor].get("name", vendor), weighted_count(graph, ests)))
    return sorted(rows, key=lambda r: (-r[2], r[1], r[0]))


def is_top_level(graph: nx.DiGraph, vendor: str) -> bool:
    return not any(
        d["relation"] == "parentOrganization" for _, _, d in graph.out_edges(vendor, data=True)
    )


def concentration(counts: Mapping[str, float]) -> Concentration:
    """Shares of each key's count in the total, HHI (0-10000), CR-1 and CR-3."""
    total = float(sum(counts.values()))
    if total <= 0:
        return Concentration((), 0.0, 0.0, 0.0)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shares = tuple((key, value / total) for key, value in ordered)
    hhi = sum((100.0 * share) ** 2 for _, share in shares)
    top = [share for _, share in shares]
    return Concentration(shares, hhi, sum(top[:1]), sum(top[:3]))


def vendor_concentration(graph: nx.DiGraph) -> Concentration:
    """Concentration among top-level vendors, their subsidiaries' establishments included."""
    return concentration({v: n for v, _, n in vendor_dependency(graph, top_level_only=True)})


def supply_chain_graph(graph: nx.DiGraph) -> nx.Graph:
    """Undirected vendor-software-establishment projection (incidents left out)."""
    keep = [(s, o) for s, o, d in graph.edges(data=True) if d["relation"] in SUPPLY_RELATIONS]
    projection = nx.Graph()
    for s, o in keep:
        projection.add_node(s, **graph.nodes[s])
        projection.add_node(o, **graph.nodes[o])
        projection.add_edge(s, o)
    return projection


def single_points_of_failure(graph: nx.DiGraph) -> list[tuple[str, str, str, float]]:
    """Articulation points of the supply chain: (node, name, kind, betweenness), most central first."""
    projection = supply_chain_graph(graph)
    if projection.number_of_nodes() == 0:
        return []
    betweenness = nx.betweenness_centrality(projection, normalized=True)
    points = [
        (n, projection.nodes[n].get("name", n), projection.nodes[n].get("kind", ""), betweenness[n])
        for n in nx.articulation_points(projection)
    ]
    return sorted(points, key=lambda p: (-p[3], p[1], p[0]))


def component_sizes(graph: nx.DiGraph) -> list[int]:
    """Sizes of the connected components of the supply chain, largest first."""
    projection = supply_chain_graph(graph)
    return sorted((len(c) for c in nx.connected_components(projection)), reverse=True)


def _exportable(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes are all str, int or float (what GraphML/GEXF accept)."""
    out = nx.DiGraph()
    for n, attrs in graph.nodes(data=True):
        out.add_node(
            n,
            **{k: v for k, v in attrs.items() if isinstance(v, str | int | float)},
            label=attrs.get("name", n),
        )
    for s, o, attrs in graph.edges(data=True):
        out.add_edge(s, o, **{k: v for k, v in attrs.items() if isinstance(v, str | int | float)})
    return out


def write_graphml(graph: nx.DiGraph, path: str | os.PathLike[str]) -> Path:
    """GraphML for Gephi or yEd, written atomically."""
    text = "\n".join(nx.generate_graphml(_exportable(graph)))
    return write_bytes_atomically(path, text.encode("utf-8"))


def write_gexf(graph: nx.DiGraph, path: str | os.PathLike[str]) -> Path:
    """GEXF for Gephi, written atomically."""
    text = "\n".join(nx.generate_gexf(_exportable(graph)))
    return write_bytes_atomically(path, text.encode("utf-8"))
