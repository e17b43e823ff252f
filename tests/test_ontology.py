"""The OWL ontology and the SKOS vocabularies: parse, declare every BK term, carry labels.

``breachkg.vocab.BK`` and ``ontology/breachkg.ttl`` must declare exactly the same terms;
the two concept schemes must hold exactly the agreed codes, each labelled and defined in
French and English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from breachkg.gazetteer import concept_labels, concepts, special_category_codes
from breachkg.iris import normalize_name
from breachkg.vocab import BK, BK_NS, PREFIXES, SCHEMES, concept_iri

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
TURTLE_FILES = sorted(ONTOLOGY.rglob("*.ttl"))

DATA_CATEGORIES = {
    "name", "postal_address", "email", "phone", "date_of_birth", "sex",
    "social_security_number", "insurance", "bank_details", "credentials",
    "treating_physician", "prescription", "diagnosis", "medical_condition", "hiv_status",
    "blood_group", "lab_result", "treatment", "clinical_notes", "death_record",
    "medical_record",
}  # fmt: skip
ATTACK_TYPES = {
    "ransomware", "data_theft", "unauthorized_access", "credential_theft", "phishing",
    "vulnerability_exploitation", "misconfiguration", "malware", "insider_misuse",
    "cyberattack",
}  # fmt: skip
VOCAB_FILES = {"data-category": "data-categories.ttl", "attack-type": "attack-types.ttl"}
EXPECTED_CODES = {"data-category": DATA_CATEGORIES, "attack-type": ATTACK_TYPES}


def parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse(ONTOLOGY / "breachkg.ttl")


@pytest.fixture(scope="module")
def vocabularies() -> dict[str, Graph]:
    return {scheme: parse(ONTOLOGY / "vocab" / name) for scheme, name in VOCAB_FILES.items()}


def test_turtle_files_are_collected() -> None:
    names = {p.relative_to(ONTOLOGY).as_posix() for p in TURTLE_FILES}
    assert {"breachkg.ttl", "vocab/data-categories.ttl", "vocab/attack-types.ttl"} <= names
    assert len([n for n in names if n.startswith("registry/")]) >= 5


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.relative_to(ONTOLOGY).as_posix())
def test_turtle_file_parses(path: Path) -> None:
    """Both parsers the project uses accept the file and read the same number of triples."""
    in_rdflib = len(parse(path))
    in_oxigraph = len(list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)))
    assert in_rdflib == in_oxigraph > 0


#: The OWL, vocabulary and registry files share the one prefix block of ``PREFIXES``
#: (the shapes file adds its own ``bksh:`` prefix).
SHARED_PREFIX_FILES = [p for p in TURTLE_FILES if p.name != "shapes.ttl"]


@pytest.mark.parametrize(
    "path", SHARED_PREFIX_FILES, ids=lambda p: p.relative_to(ONTOLOGY).as_posix()
)
def test_turtle_file_uses_the_shared_prefixes(path: Path) -> None:
    text = path.read_text("utf-8")
    declared = re.findall(r"^(?:PREFIX|@prefix)\s+(\w*):\s*<([^>]*)>", text, re.M)
    wrong = {p: iri for p, iri in declared if PREFIXES.get(p) != iri}
    assert declared and not wrong, f"prefixes disagreeing with breachkg.vocab.PREFIXES: {wrong}"


def declared_terms(graph: Graph) -> dict[str, URIRef]:
    """bk: local name -> its OWL kind, for every class or property declared in ``graph``."""
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    found = {}
    for kind in kinds:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(BK_NS):
                found[str(term)[len(BK_NS) :]] = kind
    return found


def test_ontology_declares_exactly_the_bk_terms(ontology: Graph) -> None:
    in_python = set(BK.__annotations__)
    in_turtle = set(declared_terms(ontology))
    assert in_python - in_turtle == set(), "in vocab.py, not declared in breachkg.ttl"
    assert in_turtle - in_python == set(), "declared in breachkg.ttl, missing from vocab.py"
    assert len(in_python) == 64


def test_classes_start_upper_and_properties_lower(ontology: Graph) -> None:
    for name, kind in declared_terms(ontology).items():
        assert name[0].isupper() == (kind == OWL.Class), name


def literals(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    return {o.language: str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_every_term_has_labels_and_comments_in_both_languages(ontology: Graph) -> None:
    for name in declared_terms(ontology):
        term = BK[name]
        assert set(literals(ontology, term, RDFS.label)) == {"en", "fr"}, name
        assert set(literals(ontology, term, RDFS.comment)) == {"en", "fr"}, name


def test_properties_have_domains_or_ranges(ontology: Graph) -> None:
    for name, kind in declared_terms(ontology).items():
        if kind == OWL.Class:
            continue
        assert ontology.value(BK[name], RDFS.range) is not None, name
    assert ontology.value(BK.victim, RDFS.domain) == BK.Incident
    assert ontology.value(BK.victim, RDFS.range) == BK.Organization
    assert ontology.value(BK.publishedBy, RDFS.range) == BK.Vendor
    assert (BK.memberCount, RDFS.domain, BK.EstablishmentCohort) in ontology


def test_ontology_header_and_alignments(ontology: Graph) -> None:
    header = URIRef(BK_NS.rstrip("#"))
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(header, OWL.versionInfo)) == "0.1.0"
    assert ontology.value(header, OWL.versionIRI) is not None
    schema, prov, org = PREFIXES["schema"], PREFIXES["prov"], PREFIXES["org"]
    expected = [
        (BK.HealthEstablishment, RDFS.subClassOf, URIRef(schema + "MedicalOrganization")),
        (BK.Hospital, RDFS.subClassOf, URIRef(schema + "Hospital")),
        (BK.Laboratory, RDFS.subClassOf, URIRef(schema + "DiagnosticLab")),
        (BK.SoftwareProduct, RDFS.subClassOf, URIRef(schema + "SoftwareApplication")),
        (BK.Source, RDFS.subClassOf, URIRef(prov + "Entity")),
        (BK.source, RDFS.subPropertyOf, URIRef(prov + "wasDerivedFrom")),
        (BK.parentOrganization, RDFS.subPropertyOf, URIRef(org + "subOrganizationOf")),
        (BK.Incident, SKOS.closeMatch, URIRef("https://w3id.org/dpv/risk#DataBreach")),
    ]
    for triple in expected:
        assert triple in ontology, triple


def test_class_hierarchy_is_the_agreed_one(ontology: Graph) -> None:
    def parents(name: str) -> set[str]:
        return {
            str(o)[len(BK_NS) :]
            for o in ontology.objects(BK[name], RDFS.subClassOf)
            if str(o).startswith(BK_NS)
        }

    for name in ("Hospital", "Clinic", "MedicalPractice", "Laboratory", "Pharmacy",
                 "HealthInsurer", "HealthPlatform", "EstablishmentGroup", "EstablishmentCohort"):  # fmt: skip
        assert parents(name) == {"HealthEstablishment"}, name
    for name in ("SoftwarePublisher", "ServiceProvider", "VendorGroup"):
        assert parents(name) == {"Vendor"}, name
    assert parents("Vendor") == parents("HealthEstablishment") == {"Organization"}
    for name in ("Country", "Region", "Department", "City"):
        assert parents(name) == {"Place"}, name


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_vocabulary_holds_exactly_the_agreed_codes(
    scheme: str, vocabularies: dict[str, Graph]
) -> None:
    graph = vocabularies[scheme]
    scheme_iri = URIRef(SCHEMES[scheme])
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in graph
    members = set(graph.subjects(SKOS.inScheme, scheme_iri))
    codes = {str(graph.value(c, SKOS.notation)) for c in members}
    assert codes == EXPECTED_CODES[scheme]
    assert len(members) == len(EXPECTED_CODES[scheme])
    for concept in members:
        code = str(graph.value(concept, SKOS.notation))
        assert str(concept) == concept_iri(scheme, code)
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert (concept, SKOS.topConceptOf, scheme_iri) in graph
        assert set(literals(graph, concept, SKOS.prefLabel)) == {"en", "fr"}, code
        assert len(list(graph.objects(concept, SKOS.prefLabel))) == 2, code
        assert "en" in literals(graph, concept, SKOS.definition), code
        alt_langs = {o.language for o in graph.objects(concept, SKOS.altLabel)}
        assert alt_langs == {"en", "fr"}, code


def test_vocabularies_total_31_codes() -> None:
    assert sum(len(concepts(s)) for s in SCHEMES) == 31


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_a_label_names_one_concept_per_scheme(scheme: str) -> None:
    owner: dict[str, str] = {}
    for code, labels in concept_labels(scheme).items():
        for label in labels:
            key = normalize_name(label)
            assert owner.setdefault(key, code) == code, f"{label!r}: {owner[key]} and {code}"


def test_labels_news_articles_use_are_present() -> None:
    """Labels compare casefolded: a label differing only in case is stored once."""
    data = concept_labels("data-category")
    attacks = concept_labels("attack-type")
    for code, label in [
        ("name", "prénoms"), ("name", "first and last names"), ("postal_address", "adresses"),
        ("insurance", "carte de mutuelle"), ("social_security_number", "numéros de Sécurité sociale"),
        ("social_security_number", "NIR"), ("treating_physician", "médecin traitant"),
        ("prescription", "ordonnances"), ("hiv_status", "VIH"), ("lab_result", "résultats d'analyses"),
        ("clinical_notes", "commentaires sur l'état de santé"), ("death_record", "déclarations de décès"),
        ("blood_group", "groupe sanguin"), ("sex", "sexe"),
    ]:  # fmt: skip
        assert label.casefold() in {x.casefold() for x in data[code]}, (code, label)
    for code, label in [
        ("ransomware", "rançongiciel"), ("data_theft", "mises en vente"), ("data_theft", "stolen data"),
        ("credential_theft", "identifiants"), ("unauthorized_access", "accès non autorisé"),
        ("cyberattack", "cyber attaque"), ("phishing", "hameçonnage"),
    ]:  # fmt: skip
        assert label.casefold() in {x.casefold() for x in attacks[code]}, (code, label)
    assert concept_labels("attack-type", lang="fr")["phishing"][0] == "Hameçonnage"


def test_special_category_flags() -> None:
    special = special_category_codes()
    assert {"hiv_status", "diagnosis", "social_security_number", "medical_record"} <= special
    assert not {"name", "email", "phone", "bank_details"} & special
    assert len(special) == 11


def test_concepts_map_to_dpv_and_veris(vocabularies: dict[str, Graph]) -> None:
    data = vocabularies["data-category"]
    name = URIRef(concept_iri("data-category", "name"))
    assert (name, SKOS.exactMatch, URIRef("https://w3id.org/dpv/pd#Name")) in data
    veris = {c.code: c.veris_varieties for c in concepts("attack-type")}
    assert veris["ransomware"] == ("action.malware.variety.Ransomware",)
    assert veris["credential_theft"] == ("action.hacking.variety.Use of stolen creds",)
    medical = {c.code for c in concepts("data-category")
               if "attribute.confidentiality.data.variety.Medical" in c.veris_varieties}  # fmt: skip
    assert special_category_codes() - {"social_security_number"} <= medical
