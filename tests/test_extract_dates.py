"""Dates: explicit, relative to the publication date, coarse, and periods."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachkg.extract.dates import find_dates, find_published

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CASES = [
    ("Ce mardi 19 novembre 2024, la base a été mise en vente.", None, "2024-11-19"),
    ("La publication date du 12 février.", "2021-02-25", "2021-02-12"),
    ("Le 12 décembre, l'hôpital a porté plainte.", "2022-01-10", "2021-12-12"),
    ("Le communiqué publié le 16 mars 2022.", None, "2022-03-16"),
    ("Mis à jour le 18/03/2022 à 08:47", None, "2022-03-18"),
    ("début 2022, un cabinet a été piraté", None, "2022"),
    ("en février 2024, l'hôpital a été visé", None, "2024-02"),
    ("On February 21, 2024, the company found", None, "2024-02-21"),
    ("On 3 June 2024, the provider was hit", None, "2024-06-03"),
    ("in late May 2023 the gang began", None, "2023-05"),
    ("last Tuesday the hospital said", "2024-06-13", "2024-06-11"),
    ("hier, la clinique a annoncé", "2024-05-02", "2024-05-01"),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), CASES)
def test_dates_are_resolved(sentence, published, expected):
    dates = find_dates(sentence, published=published)
    assert dates and dates[0].iso == expected


def test_a_day_without_year_before_the_publication_takes_its_year_else_the_year_before():
    assert find_dates("le 3 mars", published="2024-05-01")[0].iso == "2024-03-03"
    assert find_dates("le 3 juin", published="2024-05-01")[0].iso == "2023-06-03"


def test_periods_are_marked():
    dates = find_dates("des prélèvements effectués entre 2015 et la fin de l'année 2020")
    assert [d.iso for d in dates] == ["2015", "2020"] and all(d.period for d in dates)
    assert all(d.period for d in find_dates("depuis le début de l'année 2021"))
    assert all(d.period for d in find_dates("des analyses effectuées en 2018 et 2019"))
    assert all(d.period for d in find_dates("between 2019 and 2021"))


def test_recent_days_resolve_to_the_year_in_context():
    (d,) = find_dates("comme à Dax ces quinze derniers jours", context_year=2021)
    assert d.iso == "2021"


def test_offsets_point_at_the_date():
    sentence = "Selon le communiqué du 16 mars 2022, la caisse a porté plainte."
    (d,) = find_dates(sentence)
    assert sentence[d.start : d.end] == "16 mars 2022"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("000_ff557ea21044968e", None),
        ("001_57f095570c441e44", None),
        ("002_e5947390b8cfb22a", "2024-11-19"),
        ("003_8fe538d812ef1a42", "2021-02-25"),
        ("004_f667bede529cf0b2", "2022-03-18"),
    ],
)
def test_publication_date_of_the_seeds(stem, expected):
    assert find_published((SEEDS / f"{stem}.txt").read_text(encoding="utf-8")) == expected


def test_no_publication_date_is_invented():
    assert (
        find_published("Un hôpital a été attaqué en 2023. Les données de 1 200 patients ont fuité.")
        is None
    )
