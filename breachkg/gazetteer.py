"""Lookup tables read from the shipped SKOS vocabularies and reference registry.

Extraction and loaders need plain Python tables, not graphs: the labels that name each
data category or attack type, and the known vendors, software, establishments, threat
actors, marketplaces and places with their aliases. This module reads
``ontology/vocab/*.ttl`` and ``ontology/registry/*.ttl`` once with rdflib (cached) and
answers from memory. It imports nothing above ``vocab``/``iris`` (layer 0-1).

Matching is on :func:`breachkg.iris.normalize_name`, so case, accents, spacing,
punctuation and legal-form words (SAS, Inc.) do not matter.

>>> lookup("SOFTWAY MÉDICAL SAS").name
'Softway Medical'
>>> entry = lookup("xtrem sante")
>>> entry.kind, entry.cls, entry.parent == lookup("Softway Medical").iri
('vendor', 'SoftwarePublisher', True)
>>> lookup("Mediboard").publisher == entry.iri
True
>>> concept_labels("attack-type", lang="fr")["phishing"][:2]
['Hameçonnage', 'arnaque par courriel']
>>> "hiv_status" in special_category_codes()
True
>>> lookup("Côtes-d'Armor").notation, lookup("cotes d armor").place_kind
('22', 'department')
>>> lookup("no such organisation at all") is None
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from breachkg.iris import normalize_name
from breachkg.resources import ontology_path
from breachkg.vocab import BK, BK_NS, ID_NS, SCHEMA, SCHEMES

#: Kinds of registry entity, in the order lookup prefers them when two share a name.
REGISTRY_KINDS = (
    "vendor",
    "software",
    "establishment",
    "organization",
    "actor",
    "marketplace",
    "place",
)
_PLACE_CLASSES = {"Place", "Country", "Region", "Department", "City"}


@dataclass(frozen=True)
class RegistryEntry:
    """One reference entity of the registry, flattened for lookups."""

    iri: str
    kind: str
    cls: str
    name: str
    aliases: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    parent: str | None = None
    publisher: str | None = None
    country_code: str | None = None
    place_kind: str | None = None
    part_of: str | None = None
    located_in: str | None = None
    notation: str | None = None
    siren: str | None = None
    see_also: tuple[str, ...] = field(default=())

    @property
    def labels(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Concept:
    """One SKOS concept of a shipped scheme."""

    code: str
    iri: str
    pref_labels: dict[str, str]
    alt_labels: dict[str, tuple[str, ...]]
    definition: str
    special_category: bool = False
    veris_varieties: tuple[str, ...] = ()


def _files(folder: str) -> list[Path]:
    return sorted(ontology_path(folder).glob("*.ttl"))


@functools.cache
def load_vocabulary_graph() -> Graph:
    """Every SKOS vocabulary of ``ontology/vocab/`` in one rdflib graph (parsed once)."""
    graph = Graph()
    for path in _files("vocab"):
        graph.parse(path, format="turtle")
    return graph


@functools.cache
def load_registry_graph() -> Graph:
    """Every reference file of ``ontology/registry/`` in one rdflib graph (parsed once)."""
    graph = Graph()
    for path in _files("registry"):
        graph.parse(path, format="turtle")
    return graph


def _lang_map(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for obj in graph.objects(subject, predicate):
        if isinstance(obj, Literal):
            out.setdefault(obj.language or "", []).append(str(obj))
    return {lang: sorted(values) for lang, values in out.items()}


@functools.cache
def concepts(scheme: str) -> tuple[Concept, ...]:
    """The concepts of ``scheme`` ('data-category' or 'attack-type'), sorted by code."""
    if scheme not in SCHEMES:
        raise KeyError(f"unknown concept scheme {scheme!r}")
    graph = load_vocabulary_graph()
    found = []
    for iri in graph.subjects(SKOS.inScheme, URIRef(SCHEMES[scheme])):
        prefs = _lang_map(graph, iri, SKOS.prefLabel)
        definitions = _lang_map(graph, iri, SKOS.definition)
        found.append(
            Concept(
                code=str(graph.value(iri, SKOS.notation)),
                iri=str(iri),
                pref_labels={lang: values[0] for lang, values in prefs.items()},
                alt_labels={k: tuple(v) for k, v in _lang_map(graph, iri, SKOS.altLabel).items()},
                definition=(definitions.get("en") or [""])[0],
                special_category=bool(
                    graph.value(iri, BK.specialCategory, default=Literal(False)).toPython()
                ),
                veris_varieties=tuple(sorted(str(v) for v in graph.objects(iri, BK.verisVariety))),
            )
        )
    return tuple(sorted(found, key=lambda c: c.code))


def concept_labels(scheme: str, lang: str | None = None) -> dict[str, list[str]]:
    """Code -> labels (preferred first, then alternatives; French then English).

    ``lang`` ('fr' or 'en') keeps one language only. Labels are deduplicated, and the
    vocabularies store a label once whatever its case ("Hameçonnage", not also
    "hameçonnage"): match them casefolded.
    """
    table: dict[str, list[str]] = {}
    langs = [lang] if lang else ["fr", "en"]
    for concept in concepts(scheme):
        labels: list[str] = []
        for wanted in langs:
            if wanted in concept.pref_labels:
                labels.append(concept.pref_labels[wanted])
        for wanted in langs:
            labels.extend(concept.alt_labels.get(wanted, ()))
        table[concept.code] = list(dict.fromkeys(labels))
    return table


def concept_code(iri: str) -> str | None:
    """The notation of a concept IRI of any shipped scheme, or None."""
    for scheme in SCHEMES:
        for concept in concepts(scheme):
            if concept.iri == iri:
                return concept.code
    return None


def special_category_codes() -> frozenset[str]:
    """Data-category codes flagged ``bk:specialCategory`` (GDPR art. 9 health data, NIR)."""
    return frozenset(c.code for c in concepts("data-category") if c.special_category)


def _kind_of(iri: str) -> str | None:
    if not iri.startswith(ID_NS):
        return None
    kind = iri[len(ID_NS) :].split("/", 1)[0]
    return kind if kind in REGISTRY_KINDS else None


def _bk_classes(graph: Graph, subject: URIRef) -> tuple[str, ...]:
    """Local names of the bk: classes ``subject`` is typed with, sorted."""
    types = [str(t) for t in graph.objects(subject, RDF.type)]
    return tuple(sorted(t[len(BK_NS) :] for t in types if t.startswith(BK_NS)))


#: Classes preferred as an entry's ``cls`` for each kind (an insurer that also publishes
#: software is an establishment first; Paris, city and department, is a city first).
_KIND_CLASSES = {
    "vendor": ("SoftwarePublisher", "ServiceProvider", "VendorGroup", "Vendor"),
    "place": ("City", "Department", "Region", "Country", "Place"),
    "establishment": (
        "Hospital", "Clinic", "MedicalPractice", "Laboratory", "Pharmacy", "HealthInsurer",
        "HealthPlatform", "EstablishmentGroup", "EstablishmentCohort", "HealthEstablishment",
    ),
}  # fmt: skip


def _main_class(kind: str, classes: tuple[str, ...]) -> str:
    """The one class that best describes an entry of ``kind``."""
    for preferred in _KIND_CLASSES.get(kind, ()):
        if preferred in classes:
            return preferred
    return classes[0] if classes else ""


def _optional(graph: Graph, subject: URIRef, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


def _country_code(graph: Graph, subject: URIRef, depth: int = 0) -> str | None:
    """bk:countryCode of the entity, else of the place it is located in or part of."""
    code = graph.value(subject, BK.countryCode)
    if code is not None or depth > 5:
        return None if code is None else str(code)
    for predicate in (BK.locatedIn, BK.partOf, BK.parentOrganization):
        target = graph.value(subject, predicate)
        if isinstance(target, URIRef):
            found = _country_code(graph, target, depth + 1)
            if found:
                return found
    return None


@functools.cache
def registry_entries() -> tuple[RegistryEntry, ...]:
    """Every registry entity with a ``schema:name``, sorted by IRI."""
    graph = load_registry_graph()
    entries = []
    for subject in set(graph.subjects(SCHEMA.name, None)):
        iri = str(subject)
        kind = _kind_of(iri)
        if kind is None:
            continue
        classes = _bk_classes(graph, subject)
        cls = _main_class(kind, classes)
        entries.append(
            RegistryEntry(
                iri=iri,
                kind=kind,
                cls=cls,
                name=str(graph.value(subject, SCHEMA.name)),
                aliases=tuple(sorted({str(a) for a in graph.objects(subject, SKOS.altLabel)})),
                classes=classes,
                parent=_optional(graph, subject, BK.parentOrganization),
                publisher=_optional(graph, subject, BK.publishedBy),
                country_code=_country_code(graph, subject),
                place_kind=cls.lower() if cls in _PLACE_CLASSES else None,
                part_of=_optional(graph, subject, BK.partOf),
                located_in=_optional(graph, subject, BK.locatedIn),
                notation=_optional(graph, subject, SKOS.notation),
                siren=_optional(graph, subject, BK.siren),
                see_also=tuple(sorted(str(s) for s in graph.objects(subject, RDFS.seeAlso))),
            )
        )
    return tuple(sorted(entries, key=lambda e: e.iri))


@functools.cache
def _index() -> dict[str, tuple[RegistryEntry, ...]]:
    """normalized label -> entries, canonical-name matches before alias matches."""
    by_name: dict[str, list[RegistryEntry]] = {}
    by_alias: dict[str, list[RegistryEntry]] = {}
    for entry in registry_entries():
        by_name.setdefault(normalize_name(entry.name), []).append(entry)
        for alias in entry.aliases:
            key = normalize_name(alias)
            if key:
                by_alias.setdefault(key, []).append(entry)
    rank = {k: i for i, k in enumerate(REGISTRY_KINDS)}
    index: dict[str, tuple[RegistryEntry, ...]] = {}
    for key in by_name.keys() | by_alias.keys():
        first = sorted(by_name.get(key, []), key=lambda e: (rank[e.kind], e.iri))
        rest = sorted(by_alias.get(key, []), key=lambda e: (rank[e.kind], e.iri))
        index[key] = tuple(dict.fromkeys(first + rest))
    return index


def lookup_all(name: str, kind: str | None = None) -> tuple[RegistryEntry, ...]:
    """Every registry entry whose name or alias normalizes like ``name`` (best first)."""
    found = _index().get(normalize_name(name), ())
    return tuple(e for e in found if kind is None or e.kind == kind)


def lookup(name: str, kind: str | None = None) -> RegistryEntry | None:
    """The registry entry named ``name`` (or aliased so), optionally of one ``kind``.

    A canonical-name match wins over an alias match; then kinds rank as in
    ``REGISTRY_KINDS``. None when nothing matches.
    """
    found = lookup_all(name, kind)
    return found[0] if found else None


def entry_by_iri(iri: str) -> RegistryEntry | None:
    """The registry entry with this IRI, or None."""
    return _by_iri().get(iri)


@functools.cache
def _by_iri() -> dict[str, RegistryEntry]:
    return {e.iri: e for e in registry_entries()}
