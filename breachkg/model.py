"""The one place that decides which triples an entity becomes.

Loaders build these small frozen dataclasses; ``source_quads`` and ``incident_quads`` turn
them into pyoxigraph quads inside the source's named graph.  Every fact an extractor states
may carry an ``Evidence`` (quote and character offsets in the source text); it becomes a
reified ``bk:Evidence`` statement (``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``)
pointing at the source, so any triple can be traced back to the sentence it came from.

>>> inc = Incident(key="demo", affected_count=Stated(42))
>>> any(q.predicate.value.endswith("peopleAffected") for q in incident_quads(inc, source_iri=GRAPH_NS + "x"))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pyoxigraph import Literal, NamedNode, Quad

from breachkg.iris import mint_incident_iri, mint_iri, short_hash
from breachkg.vocab import BK, GRAPH_NS, SCHEMA, concept_iri

T = TypeVar("T")

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_SUBJECT = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
SKOS_ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
XSD = "http://www.w3.org/2001/XMLSchema#"

#: Organisation kind -> ontology class.  Establishment kinds first, then vendor kinds.
ESTABLISHMENT_KINDS = {
    "hospital": BK.Hospital,
    "clinic": BK.Clinic,
    "practice": BK.MedicalPractice,
    "laboratory": BK.Laboratory,
    "pharmacy": BK.Pharmacy,
    "insurer": BK.HealthInsurer,
    "platform": BK.HealthPlatform,
    "group": BK.EstablishmentGroup,
    "establishment": BK.HealthEstablishment,
}
VENDOR_KINDS = {
    "publisher": BK.SoftwarePublisher,
    "service_provider": BK.ServiceProvider,
    "vendor_group": BK.VendorGroup,
    "vendor": BK.Vendor,
}
ORGANIZATION_KINDS = {**ESTABLISHMENT_KINDS, **VENDOR_KINDS, "organization": BK.Organization}
PLACE_KINDS = {
    "country": BK.Country,
    "region": BK.Region,
    "department": BK.Department,
    "city": BK.City,
    "place": BK.Place,
}


def _node(iri: str) -> NamedNode:
    return NamedNode(str(iri))


def date_literal(value: str) -> Literal:
    """'2024' -> xsd:gYear, '2024-11' -> xsd:gYearMonth, '2024-11-19' -> xsd:date."""
    kind = {4: "gYear", 7: "gYearMonth", 10: "date"}.get(len(value))
    if kind is None:
        raise ValueError(f"not an ISO date, year-month or year: {value!r}")
    return Literal(value, datatype=NamedNode(XSD + kind))


def integer_literal(value: int) -> Literal:
    return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))


@dataclass(frozen=True)
class Evidence:
    """The quote a fact was read from and its [start, end) character offsets in the source."""

    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Stated(Generic[T]):
    """A value as a source states it, with the evidence for it when there is any."""

    value: T
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Place:
    name: str
    kind: str = "place"
    country_code: str | None = None
    part_of: Place | None = None
    iri: str | None = None

    @property
    def node(self) -> NamedNode:
        return _node(self.iri or mint_iri("place", self.name))


@dataclass(frozen=True)
class Organization:
    """An establishment, vendor or other organisation; ``member_count`` marks a cohort.

    A cohort stands for establishments an article only counts ("about thirty laboratories").
    """

    name: str
    kind: str = "organization"
    parent: Organization | None = None
    place: Place | None = None
    identifiers: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    member_count: int | None = None
    iri: str | None = None

    @property
    def is_vendor(self) -> bool:
        return self.kind in VENDOR_KINDS

    @property
    def is_establishment(self) -> bool:
        return self.kind in ESTABLISHMENT_KINDS

    @property
    def node(self) -> NamedNode:
        if self.iri:
            return _node(self.iri)
        if self.is_vendor:
            return _node(mint_iri("vendor", self.name))
        if self.is_establishment:
            qualifier = self.place.name if self.place and self.member_count is None else ""
            return _node(mint_iri("establishment", self.name, qualifier))
        return _node(mint_iri("organization", self.name))


@dataclass(frozen=True)
class Software:
    name: str
    publisher: Organization | None = None
    aliases: tuple[str, ...] = ()
    iri: str | None = None

    @property
    def node(self) -> NamedNode:
        return _node(self.iri or mint_iri("software", self.name))


@dataclass(frozen=True)
class ThreatActor:
    """A group, seller or pseudonym; never an individual's civil name."""

    name: str
    iri: str | None = None

    @property
    def node(self) -> NamedNode:
        return _node(self.iri or mint_iri("actor", self.name))


@dataclass(frozen=True)
class Marketplace:
    name: str
    iri: str | None = None

    @property
    def node(self) -> NamedNode:
        return _node(self.iri or mint_iri("marketplace", self.name))


@dataclass(frozen=True)
class Usage:
    """The supply-chain edge: an establishment (or cohort) uses a software product."""

    establishment: Organization
    software: Software


@dataclass(frozen=True)
class Incident:
    """One breach or attack as one source reports it.

    ``key`` is the canonical co-reference key: two sources whose incidents share it are
    claimed to report the same incident and get the same IRI.
    """

    key: str
    summary: str | None = None
    victims: tuple[Stated[Organization], ...] = ()
    software: tuple[Stated[Software], ...] = ()
    vendors: tuple[Stated[Organization], ...] = ()
    threat_actors: tuple[Stated[ThreatActor], ...] = ()
    marketplaces: tuple[Stated[Marketplace], ...] = ()
    attack_types: tuple[Stated[str], ...] = ()
    data_categories: tuple[Stated[str], ...] = ()
    places: tuple[Stated[Place], ...] = ()
    usages: tuple[Stated[Usage], ...] = ()
    affected_count: Stated[int] | None = None
    occurred: Stated[str] | None = None
    discovered: Stated[str] | None = None
    disclosed: Stated[str] | None = None
    iri: str | None = None

    @property
    def node(self) -> NamedNode:
        return _node(self.iri or mint_incident_iri(self.key))


@dataclass(frozen=True)
class Source:
    """A news article, a dataset file or one dataset record; its IRI is its graph's name."""

    graph: str
    kind: str = "article"
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    text_length: int | None = None
    text_sha256: str | None = None
    record_key: str | None = None
    part_of: str | None = None
    extra: tuple[tuple[str, object], ...] = field(default=())

    @property
    def node(self) -> NamedNode:
        return _node(self.graph)


_SOURCE_CLASSES = {"article": BK.NewsArticle, "dataset": BK.Dataset, "record": BK.DatasetRecord}


class QuadWriter:
    """Collects the quads of one named graph, deduplicated, in insertion order."""

    def __init__(self, graph: str, source: str | None = None) -> None:
        self.graph = _node(graph)
        self.source = _node(source or graph)
        self._quads: dict[Quad, None] = {}

    def add(self, s, p, o) -> None:
        self._quads[Quad(s, _node(p) if isinstance(p, str) else p, o, self.graph)] = None

    def fact(self, s, p, o, evidence: Evidence | None = None) -> None:
        """Add a triple and, when given, its evidence as a reified statement."""
        p = _node(p) if isinstance(p, str) else p
        self.add(s, p, o)
        if evidence is None:
            return
        ev = _node(
            f"{self.graph.value}/evidence/" + short_hash(s, p, o, evidence.start, evidence.end)
        )
        self.add(ev, RDF_TYPE, _node(BK.Evidence))
        self.add(ev, RDF_SUBJECT, s)
        self.add(ev, RDF_PREDICATE, p)
        self.add(ev, RDF_OBJECT, o)
        self.add(ev, _node(BK.quote), Literal(evidence.quote))
        self.add(ev, _node(BK.startOffset), integer_literal(evidence.start))
        self.add(ev, _node(BK.endOffset), integer_literal(evidence.end))
        self.add(ev, _node(BK.source), self.source)

    def quads(self) -> list[Quad]:
        return list(self._quads)

    # entity descriptions -------------------------------------------------
    def place(self, place: Place) -> NamedNode:
        node = place.node
        self.add(node, RDF_TYPE, _node(PLACE_KINDS.get(place.kind, BK.Place)))
        self.add(node, _node(SCHEMA.name), Literal(place.name))
        if place.country_code:
            self.add(node, _node(BK.countryCode), Literal(place.country_code))
        if place.part_of is not None:
            self.add(node, _node(BK.partOf), self.place(place.part_of))
        return node

    def organization(self, org: Organization) -> NamedNode:
        node = org.node
        self.add(node, RDF_TYPE, _node(ORGANIZATION_KINDS.get(org.kind, BK.Organization)))
        if org.member_count is not None:
            self.add(node, RDF_TYPE, _node(BK.EstablishmentCohort))
            self.add(node, _node(BK.memberCount), integer_literal(org.member_count))
        self.add(node, _node(SCHEMA.name), Literal(org.name))
        for alias in org.aliases:
            self.add(node, SKOS_ALT, Literal(alias))
        for prop, value in org.identifiers:
            self.add(node, _node(BK[prop]), Literal(value))
        if org.parent is not None:
            self.add(node, _node(BK.parentOrganization), self.organization(org.parent))
        if org.place is not None:
            self.add(node, _node(BK.locatedIn), self.place(org.place))
        return node

    def software(self, sw: Software) -> NamedNode:
        node = sw.node
        self.add(node, RDF_TYPE, _node(BK.SoftwareProduct))
        self.add(node, _node(SCHEMA.name), Literal(sw.name))
        for alias in sw.aliases:
            self.add(node, SKOS_ALT, Literal(alias))
        if sw.publisher is not None:
            publisher = self.organization(sw.publisher)
            if not sw.publisher.is_vendor:
                # Whoever publishes software is a vendor too (bk:publishedBy ranges over
                # bk:Vendor), e.g. a health insurer that runs its own professional portal.
                self.add(publisher, RDF_TYPE, _node(BK.SoftwarePublisher))
            self.add(node, _node(BK.publishedBy), publisher)
        return node

    def named(self, entity: ThreatActor | Marketplace, cls: str) -> NamedNode:
        node = entity.node
        self.add(node, RDF_TYPE, _node(cls))
        self.add(node, _node(SCHEMA.name), Literal(entity.name))
        return node


def source_quads(source: Source) -> list[Quad]:
    """The description of a source inside its own named graph."""
    w = QuadWriter(source.graph)
    node = source.node
    w.add(node, RDF_TYPE, _node(_SOURCE_CLASSES.get(source.kind, BK.Source)))
    if source.title:
        w.add(node, _node(SCHEMA.name), Literal(source.title))
    if source.url:
        w.add(node, _node(SCHEMA.url), Literal(source.url, datatype=NamedNode(XSD + "anyURI")))
    if source.published:
        w.add(node, _node(BK.publishedOn), date_literal(source.published))
    if source.language:
        w.add(node, _node(BK.language), Literal(source.language))
    if source.text_length is not None:
        w.add(node, _node(BK.textLength), integer_literal(source.text_length))
    if source.text_sha256:
        w.add(node, _node(BK.textSha256), Literal(source.text_sha256))
    if source.record_key:
        w.add(node, _node(BK.recordKey), Literal(source.record_key))
    if source.part_of:
        w.add(node, _node("http://purl.org/dc/terms/isPartOf"), _node(source.part_of))
    return w.quads()


def incident_quads(incident: Incident, source_iri: str, graph: str | None = None) -> list[Quad]:
    """The triples one source states about one incident, with evidence, in its graph."""
    w = QuadWriter(graph or source_iri, source_iri)
    inc = incident.node
    w.add(inc, RDF_TYPE, _node(BK.Incident))
    w.add(inc, _node(BK.source), w.source)
    if incident.summary:
        w.add(inc, _node(SCHEMA.description), Literal(incident.summary))
    for st in incident.victims:
        w.fact(inc, BK.victim, w.organization(st.value), st.evidence)
    for st in incident.software:
        w.fact(inc, BK.compromisedSoftware, w.software(st.value), st.evidence)
    for st in incident.vendors:
        w.fact(inc, BK.involvedVendor, w.organization(st.value), st.evidence)
    for st in incident.threat_actors:
        w.fact(inc, BK.threatActor, w.named(st.value, BK.ThreatActor), st.evidence)
    for st in incident.marketplaces:
        w.fact(inc, BK.marketplace, w.named(st.value, BK.Marketplace), st.evidence)
    for st in incident.attack_types:
        w.fact(inc, BK.attackType, _node(concept_iri("attack-type", st.value)), st.evidence)
    for st in incident.data_categories:
        w.fact(
            inc, BK.exposedDataCategory, _node(concept_iri("data-category", st.value)), st.evidence
        )
    for st in incident.places:
        w.fact(inc, BK.place, w.place(st.value), st.evidence)
    for st in incident.usages:
        est = w.organization(st.value.establishment)
        w.fact(est, BK.usesSoftware, w.software(st.value.software), st.evidence)
    if incident.affected_count is not None:
        st = incident.affected_count
        w.fact(inc, BK.peopleAffected, integer_literal(st.value), st.evidence)
    for prop, st in (
        (BK.occurredOn, incident.occurred),
        (BK.discoveredOn, incident.discovered),
        (BK.disclosedOn, incident.disclosed),
    ):
        if st is not None:
            w.fact(inc, prop, date_literal(st.value), st.evidence)
    return w.quads()


__all__ = [
    "Evidence",
    "Stated",
    "Place",
    "Organization",
    "Software",
    "ThreatActor",
    "Marketplace",
    "Usage",
    "Incident",
    "Source",
    "QuadWriter",
    "source_quads",
    "incident_quads",
    "date_literal",
    "GRAPH_NS",
]


@dataclass
class LoadedSource:
    """What a loader yields for one source: its named graph, quads and counts.

    ``skipped`` lists (where, reason) for input the loader refused, so nothing is dropped
    silently.
    """

    graph: str
    quads: list[Quad]
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    source: Source | None = None
