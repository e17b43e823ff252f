"""Entity resolution across sources, decided when IRIs are minted, so no store is needed.

The rule, in order:

1. A name (or alias) found in the shipped registry (``breachkg.gazetteer.lookup``) takes
   the registry IRI: "Anthem, Inc.", "Anthem Inc" and "ANTHEM" are one vendor or
   establishment whatever source spelled them.
2. Otherwise the IRI is minted from ``normalize_name`` (accents, case, punctuation and
   legal forms dropped), qualified for establishments by the place they sit in (a US state
   or a French town): two "Mercy Hospital" in different states stay two establishments,
   while the same hospital named by the HHS portal and by VERIS gets one IRI.
   Vendors are not qualified: a software vendor or business associate is one company.

``is_same_organization`` states the rule as a predicate; ``tests/test_entity_resolution.py``
measures its precision and recall on hand-checked pairs of names from the HHS portal.

>>> us_state("ca").name
'California'
>>> resolve_organization("Anthem, Inc.", "insurer", us_state("IN")).node.value
'https://w3id.org/breachkg/id/establishment/anthem/indiana'
>>> resolve_organization("Anthem Inc", "insurer", us_state("IN")).node.value
'https://w3id.org/breachkg/id/establishment/anthem/indiana'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal as PyLiteral
from pyoxigraph import NamedNode, Quad

from breachkg.iris import mint_graph_iri, mint_iri, normalize_name
from breachkg.model import (
    ESTABLISHMENT_KINDS,
    LoadedSource,
    Organization,
    Place,
    Source,
    source_quads,
)
from breachkg.vocab import BK, GRAPH_NS, ID_NS, SCHEMA

_DCTERMS = "http://purl.org/dc/terms/"

#: ISO 3166-2:US subdivision code -> name (50 states, DC, and the inhabited territories).
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam",
    "VI": "U.S. Virgin Islands", "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip

#: ISO 3166-1 alpha-2 -> English name, for the countries the datasets use.
COUNTRIES = {
    "US": "United States", "FR": "France", "GB": "United Kingdom", "CA": "Canada",
    "AU": "Australia", "MY": "Malaysia", "CH": "Switzerland", "DE": "Germany",
    "BE": "Belgium", "IT": "Italy", "ES": "Spain", "IE": "Ireland", "NZ": "New Zealand",
    "IN": "India", "NL": "Netherlands",
}  # fmt: skip

_VENDOR_KINDS = frozenset({"publisher", "service_provider", "vendor_group", "vendor"})


_ORG_KINDS = ("vendor", "establishment", "organization")


@lru_cache(maxsize=1)
def _lookup_function():
    """``breachkg.gazetteer.lookup_all`` when the registry module is installed, else None."""
    try:
        from breachkg import gazetteer
    except ImportError:  # the registry is optional: resolution falls back to minting
        return None
    return getattr(gazetteer, "lookup_all", None)


@lru_cache(maxsize=65536)
def lookup_registry(name: str, kinds: tuple[str, ...] = _ORG_KINDS):
    """The best registry entry of one of ``kinds`` named ``name`` (or aliased so), or None."""
    lookup_all = _lookup_function()
    if lookup_all is None or not name.strip():
        return None
    try:
        found = lookup_all(name)
    except (KeyError, ValueError, LookupError):
        return None
    return next((e for e in found if e.kind in kinds), None)


@lru_cache(maxsize=256)
def country(code: str) -> Place | None:
    """The country with ISO code ``code`` (registry IRI when the registry has it)."""
    code = code.strip().upper()
    name = COUNTRIES.get(code)
    if name is None:
        return None
    entry = lookup_registry(name, ("place",))
    iri = entry.iri if entry is not None else None
    return Place(name, kind="country", country_code=code, iri=iri or mint_iri("place", name))


@lru_cache(maxsize=256)
def us_state(code: str) -> Place | None:
    """The US state (or territory) with postal code ``code``, part of the United States."""
    code = code.strip().upper()
    name = US_STATES.get(code)
    if name is None:
        return None
    return Place(
        name,
        kind="region",
        country_code="US",
        part_of=country("US"),
        iri=mint_iri("place", name, "us"),
    )


def place_key(place: Place | None) -> str:
    """The qualifier that tells homonym establishments apart: the place's slug."""
    if place is None:
        return ""
    return normalize_name(place.name)


def resolve_organization(
    name: str,
    kind: str,
    place: Place | None = None,
    aliases: tuple[str, ...] = (),
) -> Organization:
    """An ``Organization`` whose IRI follows the module's rule (registry, else minted)."""
    name = " ".join(name.split())
    canonical = canonical_name(name)
    if canonical != name:
        aliases = (name, *aliases)
    entry = lookup_registry(canonical) or lookup_registry(name)
    if entry is not None:
        return Organization(
            name=entry.name,
            kind=kind,
            place=place,
            aliases=tuple(dict.fromkeys(a for a in (canonical, *aliases) if a != entry.name)),
            iri=entry.iri,
        )
    name = canonical
    if kind in _VENDOR_KINDS:
        iri = mint_iri("vendor", name)
    elif kind in ESTABLISHMENT_KINDS:
        iri = mint_iri("establishment", name, place_key(place))
    else:
        iri = mint_iri("organization", name, place_key(place))
    return Organization(name=name, kind=kind, place=place, aliases=aliases, iri=iri)


_DBA = re.compile(
    r"\b(?:d/b/a|d\.b\.a\.?|dba|(?:which |that |who )?(?:does|doing) business as)(?=\W)",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_TRAILING_FORM = re.compile(
    r"[\s,]+(?:L\.?L\.?C|L\.?L\.?P|P\.?L\.?L\.?C|P\.?S\.?C|S\.?C|P\.?C|P\.?A|L\.?P|Inc|Corp|Ltd)\.?$",
    re.I,
)


def canonical_name(name: str) -> str:
    """The name an organisation is known by: the trade name after "d/b/a", else the name.

    Parenthesised acronyms and trailing legal forms written with dots ("L.L.C.", "P.A.")
    are dropped, so the usual spellings of one organisation normalize alike.

    >>> canonical_name("MHNU Corporation d/b/a Medical Home Network")
    'Medical Home Network'
    >>> canonical_name("Managed Care of North America (MCNA)")
    'Managed Care of North America'
    >>> canonical_name("Radiology Regional Center, P.A.")
    'Radiology Regional Center'
    """
    text = _PARENTHESES.sub("", " ".join(name.split()))
    parts = [p.strip(" ,;-–") for p in _DBA.split(text)]
    parts = [p for p in parts if normalize_name(p)]
    chosen = parts[-1] if parts else " ".join(name.split())
    while True:
        trimmed = _TRAILING_FORM.sub("", chosen).strip(" ,;")
        if trimmed == chosen or not normalize_name(trimmed):
            return chosen
        if re.search(r"\b(?:of|in|de)$", trimmed, re.I):  # "Home Care of PA": a state, kept
            return chosen
        chosen = trimmed


def is_same_organization(
    a: str, b: str, place_a: str = "", place_b: str = "", vendors: bool = False
) -> bool:
    """The resolution rule as a predicate on two (name, place) mentions.

    Same when their IRIs would be equal: same registry entry, or same normalized name and
    (for establishments) same place.
    """
    if not vendors and normalize_name(place_a) != normalize_name(place_b):
        return False
    a, b = canonical_name(a), canonical_name(b)
    ea, eb = lookup_registry(a), lookup_registry(b)
    if ea is not None and eb is not None:
        return ea.iri == eb.iri
    return normalize_name(a) == normalize_name(b)


# --- owl:sameAs links with stated rules ---------------------------------------------------
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SAME_AS_GRAPH = mint_graph_iri("resolution", "same-as")
SAME_INCIDENT_RULE = (
    "Two incidents stated by different kinds of source (HHS OCR portal, VERIS, news "
    "article) are the same incident when a victim of each has the same canonical name "
    "(trade name after d/b/a, normalized) and both state the same number of people affected."
)
SAME_ORGANIZATION_RULE = (
    "An organisation minted as a vendor (for instance a business associate filing its own "
    "breach) and one minted as a health establishment are the same organisation when they "
    "have the same canonical name and are located in the same place."
)
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"

#: One row per (incident, graph, victim name, people affected) in a store.
INCIDENT_FACTS_QUERY = """
PREFIX bk: <https://w3id.org/breachkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?incident ?graph ?name ?count WHERE {
  GRAPH ?graph { ?incident a bk:Incident ; bk:victim ?victim ; bk:peopleAffected ?count . }
  { ?victim schema:name ?name } UNION { ?victim skos:altLabel ?name }
}
"""
#: One row per (organisation, name, place) in a store.
ORGANIZATION_FACTS_QUERY = """
PREFIX bk: <https://w3id.org/breachkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?organization ?name ?place WHERE {
  ?organization bk:locatedIn ?place .
  { ?organization schema:name ?name } UNION { ?organization skos:altLabel ?name }
}
"""


@dataclass(frozen=True)
class IncidentFact:
    """What the same-incident rule compares: a victim name and a count, per source graph."""

    incident: str
    graph: str
    name: str
    count: int


@dataclass(frozen=True)
class OrganizationFact:
    """What the same-organisation rule compares: a name and a place of one IRI."""

    organization: str
    name: str
    place: str


def source_family(graph: str) -> str:
    """The kind of source a graph holds: 'hhs-ocr', 'veris', 'article', ..."""
    rest = graph[len(GRAPH_NS) :] if graph.startswith(GRAPH_NS) else graph
    return rest.split("/", 1)[0]


def collect_facts(
    sources: Iterable[LoadedSource],
) -> tuple[list[IncidentFact], list[OrganizationFact]]:
    """The facts both rules compare, read from loaded sources."""
    names: dict[str, set[str]] = {}
    places: dict[str, set[str]] = {}
    victims: dict[tuple[str, str], set[str]] = {}
    counts: dict[tuple[str, str], int] = {}
    name_predicates = (str(SCHEMA.name), _SKOS_ALT)
    located_in, victim, people = str(BK.locatedIn), str(BK.victim), str(BK.peopleAffected)
    wanted = {*name_predicates, located_in, victim, people}
    for source in sources:
        for q in source.quads:
            p = q.predicate.value
            if p not in wanted:
                continue
            if p in name_predicates:
                names.setdefault(q.subject.value, set()).add(q.object.value)
            elif p == located_in:
                places.setdefault(q.subject.value, set()).add(q.object.value)
            elif p == victim:
                victims.setdefault((q.subject.value, q.graph_name.value), set()).add(q.object.value)
            else:
                counts[(q.subject.value, q.graph_name.value)] = int(q.object.value)
    incidents = [
        IncidentFact(incident, graph, name, counts[(incident, graph)])
        for (incident, graph), found in sorted(victims.items())
        if (incident, graph) in counts
        for victim in sorted(found)
        for name in sorted(names.get(victim, ()))
    ]
    organizations = [
        OrganizationFact(org, name, place)
        for org, located in sorted(places.items())
        for place in sorted(located)
        for name in sorted(names.get(org, ()))
    ]
    return incidents, organizations


def same_incident_pairs(facts: Iterable[IncidentFact]) -> list[tuple[str, str]]:
    """(incident, incident) pairs ``SAME_INCIDENT_RULE`` joins, each once, sorted."""
    by_key: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for fact in facts:
        slug = normalize_name(canonical_name(fact.name))
        if slug and fact.count > 0:
            by_key.setdefault((slug, fact.count), set()).add((fact.incident, fact.graph))
    pairs = set()
    for members in by_key.values():
        for a, a_graph in members:
            for b, b_graph in members:
                if a < b and source_family(a_graph) != source_family(b_graph):
                    pairs.add((a, b))
    return sorted(pairs)


def same_organization_pairs(facts: Iterable[OrganizationFact]) -> list[tuple[str, str]]:
    """(vendor, establishment) pairs ``SAME_ORGANIZATION_RULE`` joins, sorted."""
    vendor_ns, establishment_ns = ID_NS + "vendor/", ID_NS + "establishment/"
    by_key: dict[tuple[str, str], set[str]] = {}
    for fact in facts:
        slug = normalize_name(canonical_name(fact.name))
        if slug:
            by_key.setdefault((slug, fact.place), set()).add(fact.organization)
    pairs = set()
    for members in by_key.values():
        vendors = [m for m in members if m.startswith(vendor_ns)]
        establishments = [m for m in members if m.startswith(establishment_ns)]
        pairs.update((v, e) for v in vendors for e in establishments)
    return sorted(pairs)


def same_as_source(
    incident_pairs: list[tuple[str, str]], organization_pairs: list[tuple[str, str]]
) -> LoadedSource:
    """The ``graph/resolution/same-as`` graph: owl:sameAs links and the rules stated."""
    graph = NamedNode(SAME_AS_GRAPH)
    source = Source(
        graph=SAME_AS_GRAPH, kind="resolution", title="owl:sameAs links between sources"
    )
    quads = dict.fromkeys(source_quads(source))
    for rule in (SAME_INCIDENT_RULE, SAME_ORGANIZATION_RULE):
        quads[
            Quad(graph, NamedNode(_DCTERMS + "description"), PyLiteral(rule, language="en"), graph)
        ] = None
    for a, b in [*incident_pairs, *organization_pairs]:
        quads[Quad(NamedNode(a), NamedNode(OWL_SAME_AS), NamedNode(b), graph)] = None
    return LoadedSource(
        graph=SAME_AS_GRAPH,
        quads=list(quads),
        name="owl:sameAs links",
        counts={"incidents": len(incident_pairs), "organizations": len(organization_pairs)},
        source=source,
    )


def link_sources(sources: Iterable[LoadedSource]) -> LoadedSource:
    """owl:sameAs links between the incidents and organisations of loaded sources."""
    incidents, organizations = collect_facts(sources)
    return same_as_source(same_incident_pairs(incidents), same_organization_pairs(organizations))


def link_store(store) -> LoadedSource:
    """The same links computed over everything in a store (anything with ``select``)."""
    incidents = [
        IncidentFact(r[0].value, r[1].value, r[2].value, int(r[3].value))
        for r in store.select(INCIDENT_FACTS_QUERY).rows
        if r[3] is not None and r[3].value.isdigit()
    ]
    organizations = [
        OrganizationFact(r[0].value, r[1].value, r[2].value)
        for r in store.select(ORGANIZATION_FACTS_QUERY).rows
    ]
    return same_as_source(same_incident_pairs(incidents), same_organization_pairs(organizations))
