"""Privacy (issue 10): an article naming a patient leaves no person node and no trace of that
person's name in the graph or in any export.

The two articles below are invented for this test (our own words, fictitious clinic,
software and patients).  The graph may say that a clinic was breached; it must never say
who among its patients was.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from breachkg import pipeline
from breachkg.export import EXPORTERS, export_bytes
from breachkg.iris import normalize_name
from breachkg.store import MemoryStore

FRENCH = """Fuite de données à la clinique des Tilleuls de Villefranche

La clinique des Tilleuls, établissement privé de Villefranche-sur-Saône, a été victime d'un \
piratage informatique en mars 2024. Les pirates ont mis en ligne plusieurs milliers de \
dossiers médicaux.

Jeanne Dupont, patiente de la clinique des Tilleuls, a vu son dossier publié sur un forum : \
elle y a retrouvé son compte rendu opératoire et son numéro de sécurité sociale. « Je me sens \
trahie », confie Mme Dupont, 67 ans, qui a porté plainte.

Selon la direction, 12 000 patients seraient concernés. La clinique utilise le logiciel de \
dossier patient DossierPlus, édité par la société Logimed Santé.
"""

ENGLISH = """Patient records from Riverside Family Clinic leaked online

Riverside Family Clinic in Dayton, Ohio, said on Tuesday that an intruder had copied its \
patient database in February 2024 and published part of it on a leak site.

Margaret O'Hara, a patient of Riverside Family Clinic, found her own medical history and \
insurance details on that site. "I only learned about it from a neighbour," Ms. O'Hara said. \
Her husband, Thomas O'Hara, also found his records there.

The clinic believes about 8,400 patients were affected. Its records system, CareChart, is \
supplied by Northbridge Health Software.
"""

#: Names of the individuals, as written and as they could be rewritten (slug, no accents).
PEOPLE = ["Jeanne Dupont", "Dupont", "Jeanne", "Margaret O'Hara", "O'Hara", "OHara", "O’Hara",
          "Margaret", "Thomas O'Hara"]  # fmt: skip
SCHEMA_PERSON = "https://schema.org/Person"
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"


def spellings(name: str) -> set[str]:
    """The name as written, casefolded, without accents, and as an IRI slug."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    forms = {name, name.casefold(), plain.casefold(), normalize_name(name)}
    forms.add(re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-"))
    forms.add(re.sub(r"[^a-z0-9]+", "", plain.casefold()))
    return {f for f in forms if len(f) >= 5}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> MemoryStore:
    folder = tmp_path_factory.mktemp("privacy")
    (folder / "fr-clinique-des-tilleuls.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "en-riverside-family-clinic.txt").write_text(ENGLISH, encoding="utf-8")
    store = MemoryStore()
    report = pipeline.ingest_inputs(store, [folder])
    assert report.articles == 2 and report.incidents >= 2
    return store


def test_the_breach_itself_is_in_the_graph(store):
    text = " ".join(str(q) for q in store.quads())
    assert "Tilleuls" in text and "Riverside" in text


def test_no_person_node(store):
    types = {q.object.value for q in store.quads() if q.predicate.value.endswith("#type")}
    assert SCHEMA_PERSON not in types and FOAF_PERSON not in types
    subjects = {q.subject.value for q in store.quads() if hasattr(q.subject, "value")}
    assert not [s for s in subjects if "/id/person/" in s]


@pytest.mark.parametrize("name", PEOPLE)
def test_no_name_of_a_patient_in_the_graph(store, name):
    text = "\n".join(str(q) for q in store.quads()).casefold()
    for form in spellings(name):
        assert form.casefold() not in text, (name, form)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_no_name_of_a_patient_in_any_export(store, fmt):
    data = export_bytes(store, fmt).decode("utf-8").casefold()
    escaped = data.encode("ascii", "backslashreplace").decode()
    for name in PEOPLE:
        for form in spellings(name):
            assert form.casefold() not in data, (fmt, name, form)
            assert form.casefold() not in escaped, (fmt, name, form)


def test_the_articles_name_the_patients(tmp_path):
    """The check is not vacuous: the names are there to be leaked."""
    assert "Jeanne Dupont" in FRENCH and "Margaret O'Hara" in ENGLISH
    assert Path(__file__).read_text(encoding="utf-8").count("Jeanne Dupont") >= 2


def test_masked_quotes_keep_their_offsets(store):
    """Names are masked with as many characters, so offsets still index the article."""
    bk = "https://w3id.org/breachkg/ontology#"
    rows = store.select(
        f"SELECT ?q ?s ?e WHERE {{ ?ev <{bk}quote> ?q ; <{bk}startOffset> ?s ; "
        f"<{bk}endOffset> ?e }}"
    ).rows
    masked = [q.value for q, _, _ in rows if "•" in q.value]
    assert masked, "no quote needed masking: the test articles lost their point"
    for quote, start, end in rows:
        assert len(quote.value) == int(end.value) - int(start.value)
