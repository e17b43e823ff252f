"""Counts of people affected: French and English forms, and what is not a count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachkg.extract.numbers import find_approximate, find_counts, parse_digits, significant_digits

CASES = [
    ("les données de 758 912 personnes", [758912]),
    ("les données de 758\u202f912 patients", [758912]),
    ("les données de 758\u00a0912 patients", [758912]),
    ("500.000 Français touchés", [500000]),
    ("1,4 million de patients", [1400000]),
    ("100 millions de personnes", [100000000]),
    ("trois millions d'assurés", [3000000]),
    ("au moins un demi-million de Français", [500000]),
    ("plus d'un demi-million de patients, au moins 510.000 selon la caisse", [500000, 510000]),
    ("50.000 identifiants d'agents hospitaliers", [50000]),
    ("8.5 million Americans", [8500000]),
    ("records of 12.9 million people", [12900000]),
    ("about 190 million people", [190000000]),
    ("half a million patients", [500000]),
    ("1,234,567 records", [1234567]),
]
NOT_COUNTS = [
    "un plan d'un milliard d'euros",
    "19 professionnels de la santé",
    "jusqu'à 60 informations personnelles",
    "30 hôpitaux visés en deux ans",
    "en 2021 et 2022",
    "a ransom of 22 million dollars",
    "12 % des établissements",
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_counts_are_read(sentence, expected):
    assert [c.value for c in find_counts(sentence)] == expected


@pytest.mark.parametrize("sentence", NOT_COUNTS)
def test_money_years_and_staff_are_not_counts(sentence):
    assert find_counts(sentence) == []


def test_count_offsets_point_at_the_figure():
    sentence = "On parle de 758 912 patients."
    (count,) = find_counts(sentence)
    assert sentence[count.start : count.end] == "758 912"
    assert count.noun == "patients"


def test_credentials_are_flagged():
    (count,) = find_counts("50.000 identifiants sont en vente")
    assert count.is_credentials


def test_cohort_sizes():
    assert [v for v, _, _ in find_approximate("une trentaine de laboratoires")] == [30]
    assert [v for v, _, _ in find_approximate("a dozen of clinics")] == [12]


def test_significant_digits():
    assert (significant_digits(758912), significant_digits(500000), significant_digits(510000)) == (
        6,
        1,
        2,
    )


@given(
    st.integers(min_value=1000, max_value=999_999_999), st.sampled_from([" ", ".", ",", "\u202f"])
)
def test_grouped_thousands_round_trip(value, sep):
    grouped = f"{value:,}".replace(",", sep)
    assert parse_digits(grouped) == value
