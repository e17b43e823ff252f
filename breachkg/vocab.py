"""Namespaces, the one prefix map, and the closed class of breachkg ontology terms.

``BK`` is an rdflib ``DefinedNamespace`` whose ``_fail = True`` makes a misspelt term an
AttributeError; ``tests/test_ontology.py`` keeps its term list equal to the classes and
properties declared in ``ontology/breachkg.ttl``.

>>> str(BK.Incident)
'https://w3id.org/breachkg/ontology#Incident'
>>> PREFIXES["bk"]
'https://w3id.org/breachkg/ontology#'
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

BASE = "https://w3id.org/breachkg/"
BK_NS = BASE + "ontology#"
ID_NS = BASE + "id/"
GRAPH_NS = BASE + "graph/"
VOCAB_NS = BASE + "vocab/"
SHAPES_NS = BASE + "shapes#"


class BK(DefinedNamespace):
    """breachkg ontology terms (classes UpperCamel, properties lowerCamel)."""

    _fail = True
    _NS = Namespace(BK_NS)

    # classes
    Incident: URIRef
    Organization: URIRef
    HealthEstablishment: URIRef
    Hospital: URIRef
    Clinic: URIRef
    MedicalPractice: URIRef
    Laboratory: URIRef
    Pharmacy: URIRef
    HealthInsurer: URIRef
    HealthPlatform: URIRef
    EstablishmentGroup: URIRef
    EstablishmentCohort: URIRef
    Vendor: URIRef
    SoftwarePublisher: URIRef
    ServiceProvider: URIRef
    VendorGroup: URIRef
    SoftwareProduct: URIRef
    ThreatActor: URIRef
    Marketplace: URIRef
    Source: URIRef
    NewsArticle: URIRef
    Dataset: URIRef
    DatasetRecord: URIRef
    Evidence: URIRef
    Place: URIRef
    Country: URIRef
    Region: URIRef
    Department: URIRef
    City: URIRef
    # incident properties
    victim: URIRef
    compromisedSoftware: URIRef
    involvedVendor: URIRef
    threatActor: URIRef
    marketplace: URIRef
    attackType: URIRef
    exposedDataCategory: URIRef
    peopleAffected: URIRef
    occurredOn: URIRef
    discoveredOn: URIRef
    disclosedOn: URIRef
    place: URIRef
    # supply chain and organisations
    publishedBy: URIRef
    parentOrganization: URIRef
    usesSoftware: URIRef
    memberCount: URIRef
    locatedIn: URIRef
    partOf: URIRef
    siren: URIRef
    siret: URIRef
    finess: URIRef
    npi: URIRef
    countryCode: URIRef
    # provenance
    source: URIRef
    evidence: URIRef
    quote: URIRef
    startOffset: URIRef
    endOffset: URIRef
    textLength: URIRef
    textSha256: URIRef
    language: URIRef
    publishedOn: URIRef
    recordKey: URIRef
    # vocabulary flags
    specialCategory: URIRef
    verisVariety: URIRef


SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
DPV = Namespace("https://w3id.org/dpv#")
DPV_PD = Namespace("https://w3id.org/dpv/pd#")
OA = Namespace("http://www.w3.org/ns/oa#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
ID = Namespace(ID_NS)
GRAPH = Namespace(GRAPH_NS)
VOCAB = Namespace(VOCAB_NS)

#: The single prefix map: Turtle exports, canned queries and the endpoint all use it.
PREFIXES: dict[str, str] = {
    "bk": BK_NS,
    "bkid": ID_NS,
    "bkg": GRAPH_NS,
    "bkv": VOCAB_NS,
    "dcat": str(DCAT),
    "dcterms": "http://purl.org/dc/terms/",
    "dpv": str(DPV),
    "oa": str(OA),
    "org": str(ORG),
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": str(PROV),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": str(SCHEMA),
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": str(VOID),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: SKOS concept schemes shipped in ontology/vocab/: scheme slug -> IRI of the scheme.
SCHEMES = {
    "data-category": VOCAB_NS + "data-category",
    "attack-type": VOCAB_NS + "attack-type",
}


def concept_iri(scheme: str, code: str) -> str:
    """IRI of a SKOS concept, e.g. ``concept_iri('data-category', 'hiv_status')``."""
    if scheme not in SCHEMES:
        raise KeyError(f"unknown concept scheme {scheme!r}")
    return f"{VOCAB_NS}{scheme}/{code}"


def sparql_prefixes() -> str:
    """PREFIX lines for every entry of ``PREFIXES``, sorted."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))
