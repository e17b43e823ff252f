"""Data categories and attack types, from the SKOS labels, in French and English."""

from __future__ import annotations

import pytest

from breachkg.extract.categories import find_attack_types, find_data_categories


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("noms, prénoms, adresses email et dates de naissance", {"name", "email", "date_of_birth"}),
        ("le numéro de Sécurité sociale, le médecin traitant et le groupe sanguin",
         {"social_security_number", "treating_physician", "blood_group"}),
        ("des résultats d'analyses et le statut VIH", {"lab_result", "hiv_status"}),
        ("names, Social Security numbers and health insurance details",
         {"name", "social_security_number", "insurance"}),
        ("dates of birth, diagnoses and medications", {"date_of_birth", "diagnosis", "prescription"}),
    ],
)  # fmt: skip
def test_data_categories(sentence, expected):
    assert set(find_data_categories(sentence)) == expected


def test_negated_sentence_states_no_category():
    assert (
        find_data_categories(
            "Les pirates n'auraient pas obtenu l'adresse ni les coordonnées bancaires des assurés."
        )
        == []
    )


def test_acronyms_must_be_capitals():
    assert "medical_condition" not in find_data_categories("il a fait une ald dans le texte")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("L'hôpital a été frappé par un rançongiciel.", {"ransomware"}),
        ("Des attaques qui ont pour but d'obtenir une rançon.", {"ransomware"}),
        ("un accès non autorisé aux comptes des professionnels", {"unauthorized_access"}),
        ("50.000 identifiants sont en vente sur un forum", {"credential_theft"}),
        ("Les données de 2 000 patients ont été volées.", {"data_theft"}),
        ("The hospital was hit by a ransomware attack.", {"ransomware"}),
        ("The gang exploited a SQL injection vulnerability to steal files.",
         {"vulnerability_exploitation", "data_theft"}),
        ("Hackers used stolen credentials on a remote access portal.", {"credential_theft"}),
    ],
)  # fmt: skip
def test_attack_types(sentence, expected):
    assert set(find_attack_types(sentence)) == expected


def test_warnings_are_not_attacks():
    assert find_attack_types("Attention aux attaques par phishing dans les semaines à venir.") == []
    assert find_attack_types("Patients could be targeted by phishing emails.") == []
