"""The reference registry and its gazetteer: IRIs agree with minting, lookups forgive spelling.

Extraction resolves names through ``breachkg.gazetteer.lookup``; a registry IRI that
``mint_iri`` would not produce from the same name would split one entity in two.
"""

from __future__ import annotations

import doctest
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

import breachkg.gazetteer as gazetteer
from breachkg.gazetteer import entry_by_iri, lookup, lookup_all, registry_entries
from breachkg.iris import mint_iri, normalize_name, strip_accents
from breachkg.vocab import BK, ID_NS, SCHEMA

REGISTRY = Path(__file__).resolve().parents[1] / "ontology" / "registry"
REGISTRY_FILES = sorted(REGISTRY.glob("*.ttl"))
#: Entities with no public page we could vouch for (kept visible, not hidden).
WITHOUT_SEE_ALSO = {
    "establishment/aleo-sante",
    "establishment/centre-hospitalier-d-armentieres",
    "establishment/centre-hospitalier-d-arles",
    "establishment/centre-hospitalier-de-villefranche-sur-saone",
    "vendor/american-medical-collection-agency",
    "actor/near2tlg",
    "actor/qilin",
    "marketplace/xss",
    "marketplace/exploit-in",
}


@pytest.fixture(scope="module")
def registry() -> Graph:
    graph = Graph()
    for path in REGISTRY_FILES:
        graph.parse(path, format="turtle")
    return graph


def test_registry_files_are_collected() -> None:
    names = {p.name for p in REGISTRY_FILES}
    assert {
        "actors.ttl",
        "establishments.ttl",
        "places.ttl",
        "software.ttl",
        "vendors.ttl",
    } <= names


@pytest.mark.parametrize("path", REGISTRY_FILES, ids=lambda p: p.name)
def test_registry_file_parses(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 50


def test_every_iri_is_minted_from_its_name(registry: Graph) -> None:
    named = list(registry.subject_objects(SCHEMA.name))
    assert len(named) == len(registry_entries()) > 250
    for subject, name in named:
        kind = str(subject)[len(ID_NS) :].split("/")[0]
        assert str(subject) == mint_iri(kind, str(name)), (subject, name)


def test_every_entity_has_one_name_a_bk_class_and_a_source(registry: Graph) -> None:
    subjects = {s for s in registry.subjects() if isinstance(s, URIRef)}
    for subject in subjects:
        assert len(list(registry.objects(subject, SCHEMA.name))) == 1, subject
        types = [str(t) for t in registry.objects(subject, RDF.type)]
        assert any(t.startswith(str(BK.Incident)[: -len("Incident")]) for t in types), subject
    missing = {str(s)[len(ID_NS) :] for s in subjects if registry.value(s, RDFS.seeAlso) is None}
    assert missing == WITHOUT_SEE_ALSO


def test_references_point_inside_the_registry(registry: Graph) -> None:
    subjects = set(registry.subjects(SCHEMA.name, None))
    for predicate in (BK.parentOrganization, BK.publishedBy, BK.locatedIn, BK.partOf):
        for target in registry.objects(None, predicate):
            assert target in subjects, (predicate, target)


def test_seed_supply_chain() -> None:
    mediboard = lookup("Mediboard")
    xtrem = lookup("Xtrem Santé")
    softway = lookup("Softway Medical")
    assert mediboard.kind == "software" and mediboard.cls == "SoftwareProduct"
    assert mediboard.publisher == xtrem.iri == "https://w3id.org/breachkg/id/vendor/xtrem-sante"
    assert xtrem.parent == softway.iri == "https://w3id.org/breachkg/id/vendor/softway-medical"
    assert softway.cls == "VendorGroup" and softway.country_code == "FR"
    dedalus = lookup("Dedalus France")
    assert entry_by_iri(dedalus.parent).country_code == "IT"
    assert lookup("AmeliPro").publisher == lookup("CNAM").iri
    change = lookup("Change Healthcare")
    assert change.cls == "HealthPlatform" and change.country_code == "US"
    assert entry_by_iri(entry_by_iri(change.parent).parent).name == "UnitedHealth Group"
    assert lookup("Aleo Santé").cls == "EstablishmentGroup"
    assert lookup("BreachForums").kind == "marketplace"
    assert lookup("near2tlg").kind == "actor"
    assert lookup("MOVEit").publisher == lookup("Progress Software").iri


def test_lookup_forgives_case_accents_and_legal_forms() -> None:
    assert lookup("SOFTWAY MÉDICAL SAS").name == "Softway Medical"
    assert lookup("Xtrem Sante").name == "Xtrem Santé"
    assert lookup("  xtrem   SANTÉ ").name == "Xtrem Santé"
    assert lookup("BlackCat").name == "ALPHV"
    assert lookup("Cerner Corporation").name == "Oracle Health"
    assert lookup("Etats-Unis").country_code == "US"
    assert lookup("Royaume-Uni").country_code == "GB"
    assert lookup("Suisse").name == "Switzerland"
    assert lookup("Neuchâtel").country_code == "CH"
    assert lookup("Neuchatel").place_kind == "city"
    assert lookup("nothing like this") is None
    assert lookup("Mediboard", kind="vendor") is None


def test_places_form_a_hierarchy() -> None:
    dax = lookup("Dax")
    landes = entry_by_iri(dax.part_of)
    aquitaine = entry_by_iri(landes.part_of)
    assert (dax.place_kind, landes.name, landes.notation) == ("city", "Landes", "40")
    assert aquitaine.name == "Nouvelle-Aquitaine" and aquitaine.place_kind == "region"
    assert entry_by_iri(aquitaine.part_of).name == "France"
    assert dax.country_code == landes.country_code == "FR"
    paris = lookup("Paris")
    assert set(paris.classes) == {"City", "Department"} and paris.notation == "75"
    assert lookup("Villefranche-sur-Saône").part_of == lookup("Rhône").iri


def test_departments_are_101_with_unique_insee_codes(registry: Graph) -> None:
    departments = set(registry.subjects(RDF.type, BK.Department))
    codes = [str(registry.value(d, SKOS.notation)) for d in departments]
    assert len(departments) == 101
    assert len(set(codes)) == 101
    assert {"01", "2A", "2B", "95", "971", "976"} <= set(codes) and "20" not in codes
    regions = set(registry.subjects(RDF.type, BK.Region))
    assert len(regions) == 13 + 5  # metropolitan regions + overseas department-regions
    for department in departments:
        parent = registry.value(department, BK.partOf)
        assert parent in regions or registry.value(parent, BK.countryCode) is not None
    for code, region in [("22", "Bretagne"), ("45", "Centre-Val de Loire"), ("69", "Auvergne-Rhône-Alpes"),
                         ("91", "Île-de-France"), ("2A", "Corse"), ("59", "Hauts-de-France")]:  # fmt: skip
        department = lookup_department(code)
        assert entry_by_iri(department.part_of).name == region, code


def lookup_department(code: str) -> gazetteer.RegistryEntry:
    found = [e for e in registry_entries() if "Department" in e.classes and e.notation == code]
    assert len(found) == 1
    return found[0]


def test_countries_carry_iso_codes() -> None:
    countries = [e for e in registry_entries() if e.cls == "Country"]
    codes = Counter(e.country_code for e in countries)
    assert max(codes.values()) == 1
    assert {"FR", "CH", "US", "GB", "BE", "CA", "DE", "IT", "ES", "AU"} <= set(codes)


def test_registry_counts() -> None:
    kinds = Counter(e.kind for e in registry_entries())
    assert kinds["vendor"] >= 25 and kinds["software"] >= 10 and kinds["actor"] >= 10
    assert kinds["marketplace"] == 4
    assert kinds["place"] == 18 + 13 + 101 + 52 - 1  # Paris is one city-department node


def spellings(label: str, data: st.DataObject) -> str:
    """A respelling of ``label``: random case, accents maybe dropped, spacing varied."""
    text = strip_accents(label) if data.draw(st.booleans()) else label
    text = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in text)
    gap = data.draw(st.sampled_from([" ", "  ", "-", " - ", "\t"]))
    text = gap.join(text.split(" "))
    pad = data.draw(st.sampled_from(["", " ", "  "]))
    return unicodedata.normalize(data.draw(st.sampled_from(["NFC", "NFD"])), pad + text + pad)


LABELS = sorted({(label, e.iri) for e in registry_entries() for label in e.labels})


@settings(max_examples=300, deadline=None)
@given(pair=st.sampled_from(LABELS), data=st.data())
def test_lookup_is_insensitive_to_case_accents_and_spacing(
    pair: tuple[str, str], data: st.DataObject
) -> None:
    label, iri = pair
    respelt = spellings(label, data)
    assert normalize_name(respelt) == normalize_name(label)
    assert iri in {e.iri for e in lookup_all(respelt)}
    assert lookup(respelt) == lookup(label)


def test_gazetteer_docstring_examples_run() -> None:
    result = doctest.testmod(gazetteer)
    assert result.failed == 0 and result.attempted >= 8
