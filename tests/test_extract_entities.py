"""Entity recognition and linking: registry links, role patterns, people never kept."""

from __future__ import annotations

import pytest

from breachkg.extract import extract_article
from breachkg.extract.entities import find_mentions, find_town_victims


def roles(sentence: str, language: str = "fr") -> set[tuple[str, str]]:
    return {(m.role, m.name) for m in find_mentions(sentence, language)}


def test_registry_links_keep_the_iri_and_canonical_name():
    (m,) = [
        m for m in find_mentions("Le groupe SOFTWAY MÉDICAL a réagi.", "fr") if m.role == "vendor"
    ]
    assert m.name == "Softway Medical"
    assert m.iri == "https://w3id.org/breachkg/id/vendor/softway-medical"


def test_a_common_word_is_not_a_registry_name():
    assert ("vendor", "Orange") not in roles("Il a mangé une orange.")


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        (
            "Les données ont fui via Dossiwork, un logiciel de gestion de cabinet.",
            "fr",
            ("software", "Dossiwork"),
        ),
        (
            "Le logiciel Dossiwork est utilisé par des centaines de cabinets.",
            "fr",
            ("software", "Dossiwork"),
        ),
        (
            "La solution est commercialisée par Medinova Systèmes, basée à Lyon.",
            "fr",
            ("vendor", "Medinova Systèmes"),
        ),
        (
            "Oxalide Santé, l'éditeur du logiciel, a confirmé l'incident.",
            "fr",
            ("vendor", "Oxalide Santé"),
        ),
        (
            "Le pirate, qui se fait appeler zer0cool42, réclame une rançon.",
            "fr",
            ("actor", "zer0cool42"),
        ),
        ("The Nightfall ransomware gang claimed the attack.", "en", ("actor", "Nightfall")),
        (
            "The portal was developed by Kestrel Health Systems last year.",
            "en",
            ("vendor", "Kestrel Health Systems"),
        ),
        (
            "Riverbend Medical Center said patient records were stolen.",
            "en",
            ("victim", "Riverbend Medical Center"),
        ),
        (
            "La cyberattaque contre la clinique Saint-Roch a paralysé les urgences.",
            "fr",
            ("victim", "clinique Saint-Roch"),
        ),
    ],
)
def test_unknown_names_are_read_from_their_role(sentence, language, expected):
    assert expected in roles(sentence, language)


def test_parent_company_and_publisher_relations():
    found = find_mentions(
        "Contacté, Groupe Alpha, la maison mère d'Oxalide Santé, l'éditeur du logiciel Pulsar, "
        "confirme avoir subi une cyberattaque.",
        "fr",
    )
    by_name = {m.name: m for m in found}
    assert by_name["Oxalide Santé"].related == "Groupe Alpha"
    assert by_name["Pulsar"].role == "software" and by_name["Pulsar"].related == "Oxalide Santé"


def test_collective_victims_and_cohorts():
    (m,) = [
        m
        for m in find_mentions(
            "Ces données proviennent d'une trentaine de laboratoires d'analyse.", "fr"
        )
        if m.role == "victim"
    ]
    assert m.collective and m.member_count == 30 and m.kind == "laboratory"
    assert not [
        m
        for m in find_mentions("Hôpitaux et cliniques sont des cibles.", "fr")
        if m.role == "victim"
    ]


def test_hospitals_named_after_their_town():
    towns = find_town_victims(
        "Des attaques visant à obtenir une rançon, comme à Dax ou à Montbrison."
    )
    assert [m.surface for m in towns] == ["Dax", "Montbrison"]
    assert towns[0].iri == "https://w3id.org/breachkg/id/establishment/centre-hospitalier-de-dax"


def test_people_are_never_victims_or_actors():
    text = (
        "Les données de 12 345 patients de la clinique du Parc ont été volées. "
        "L'ancien ministre Jean Dupont est l'une des victimes de cette fuite. "
        "Mme Claire Martin a été victime du piratage."
    )
    (incident,) = extract_article(text, language="fr").incidents
    names = {v.value.name for v in incident.victims} | {
        a.value.name for a in incident.threat_actors
    }
    assert not any("Dupont" in n or "Martin" in n for n in names)


def test_a_non_health_organisation_makes_no_incident():
    text = "Plusieurs entreprises françaises ont été victimes d'intrusions : Air France et EDF ont été visés."
    assert extract_article(text, language="fr").incidents == []


@pytest.mark.parametrize(
    ("text", "victims", "count"),
    [
        ("Les données de santé de 1,4 million de Franciliens ont été volées lors de la "
         "cyberattaque contre l'AP-HP à l'été 2021.", ["Assistance publique – Hôpitaux de Paris"], 1400000),
        ("Un hacker se faisant appeler « Sh4d0w » affirme détenir les dossiers de 45 000 patients "
         "de la clinique des Cèdres, à Toulouse.", ["clinique des Cèdres"], 45000),
        ("Ascension, one of the largest US health systems, said a ransomware attack exposed the "
         "data of 5.6 million people.", ["Ascension"], 5600000),
        ("La mutuelle Mutaxa a informé ses adhérents d'une fuite de données touchant 1 300 "
         "personnes après le piratage de son prestataire Infogest.", ["Mutaxa"], 1300),
        ("Hackers stole data on 4.5 million patients from the hospital chain Prime Health.",
         ["Prime Health"], 4500000),
    ],
)  # fmt: skip
def test_victims_and_counts_of_short_reports(text, victims, count):
    (incident,) = extract_article(text, published="2024-06-01").incidents
    assert [v.value.name for v in incident.victims] == victims
    assert incident.affected_count.value == count


def test_a_regulator_reporting_a_breach_is_not_its_victim():
    text = (
        "Deux opérateurs de tiers payant ont été piratés en février 2024. La CNIL a indiqué "
        "que les données de plus de 33 millions de personnes étaient concernées."
    )
    ex = extract_article(text, language="fr", published="2024-02-08")
    victims = {st.value.name for inc in ex.incidents for st in inc.victims}
    assert "CNIL" not in victims
