"""Counts of people or records affected, read from French and English sentences.

A count is a number followed (closely) by a noun for people, records or credentials:
"758 912 personnes", "1,4 million de patients", "un demi-million de Français",
"8.5 million Americans", "50.000 identifiants".  Euros, years, "19 professionnels" or
"60 informations" are not counts.  A bare figure qualified as a bound ("au moins
510.000") counts when the same sentence already holds a count of people.
``parse_approximate`` reads cohort sizes ("une trentaine" -> 30).

>>> [c.value for c in find_counts("les données de 758 912 personnes et 3 000 euros")]
[758912]
>>> [c.value for c in find_counts("plus d'un demi-million de patients, au moins 510.000 selon eux")]
[500000, 510000]
>>> find_counts("8.5 million Americans")[0].value
8500000
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

#: Nouns whose count is a count of people (or of their records and credentials).
PEOPLE_NOUNS_FR = (
    "personnes|patients?|patientes?|français|françaises|assurés?|assurées?|individus|victimes|"
    "usagers|utilisateurs|utilisatrices|clients|clientes|bénéficiaires|dossiers|fiches|"
    "enregistrements|identifiants|comptes|lignes|adhérents|résidents|citoyens|habitants|"
    "salariés|employés|agents|soignants|mutualistes|allocataires|belges|suisses|canadiens|"
    "québécois|européens|américains|britanniques|données de santé|profils"
)
PEOPLE_NOUNS_EN = (
    "people|persons|patients?|individuals|americans|australians|britons|brits|canadians|"
    "customers|members|users|records|accounts|credentials|residents|beneficiaries|"
    "employees|staff|policyholders|insured|enrollees|veterans|citizens|victims|"
    "health records|medical records|patient records|clients|consumers|subscribers|"
    "people's|children|adults|families|households|nurses|doctors"
)
#: Nouns that make a figure a count of credentials rather than of people.
CREDENTIAL_NOUNS = re.compile(r"identifiants|comptes|credentials|accounts|logins|passwords")

_MULT = {
    "mille": 1_000,
    "thousand": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "milliard": 1_000_000_000,
    "milliards": 1_000_000_000,
    "billion": 1_000_000_000,
    "billions": 1_000_000_000,
    "m": 1_000_000,
    "k": 1_000,
}
_APPROX = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "dozen": 12,
    "score": 20,
}
_WORD_NUMBERS = (
    "un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|"
    "quarante|cinquante|soixante|cent|cents|a|an|one|two|three|four|five|six|seven|eight|nine|"
    "ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
)
_DIGITS = r"\d{1,3}(?:(?:[ \u00a0\u202f\u2009.,’'])\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_NUMBER = re.compile(
    rf"(?P<digits>{_DIGITS})(?:\s*(?P<mult>millions?|milliards?|billions?|mille|thousand|[mk])\b)?"
    rf"|\b(?P<half>(?:un|a) demi-million|half a million|un million et demi)"
    rf"|\b(?P<words>(?:(?:{_WORD_NUMBERS})[\s-]+){{1,4}})(?P<wmult>millions?|milliards?|billions?|mille|thousand)\b",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(
    rf"^\s*(?:de |d['’]|of )?(?:(?:[\w’'-]+ ){{0,1}})?(?P<noun>{PEOPLE_NOUNS_FR}|{PEOPLE_NOUNS_EN}|"
    rf"(?-i:[A-ZÉ][a-zéèêëàâîïôûüç-]+(?:iens|iennes|ais|aises|ois|oises|ains|aines|ans|ers)))\b",
    re.IGNORECASE,
)
_BOUND_BEFORE = re.compile(
    r"(?:au moins|au minimum|plus de|près de|pres de|environ|quelque|jusqu['’]à|at least|"
    r"more than|over|nearly|almost|about|around|some|up to|approximately|roughly)\s*$",
    re.IGNORECASE,
)
_APPROX_RE = re.compile(
    r"\b(?:une|a)\s+(?P<word>" + "|".join(_APPROX) + r")\s+(?:de |d['’]|of )",
    re.IGNORECASE,
)
#: What may follow a bare bounded figure: punctuation, the end, or a source ("selon").
_BARE_END = re.compile(
    r"^\s*(?:$|[,.;:)]|selon\b|d['’]apr[èe]s\b|according\b|au total\b|in total\b|en tout\b)",
    re.IGNORECASE,
)
#: A people noun before a bare figure: "the number of people affected at about 78.8 million".
_PEOPLE_BEFORE = re.compile(rf"\b(?:{PEOPLE_NOUNS_FR}|{PEOPLE_NOUNS_EN})\b[^.;]*$", re.IGNORECASE)
_NOT_COUNT_AFTER = re.compile(r"^\s*(?:%|€|\$|euros?|dollars?|ans\b|years?\b|h\b|heures)", re.I)


@dataclass(frozen=True)
class Count:
    """A count found in a sentence: value, [start, end) in the sentence, noun and flags."""

    value: int
    start: int
    end: int
    noun: str | None
    bound: bool = False

    @property
    def is_credentials(self) -> bool:
        return bool(self.noun and CREDENTIAL_NOUNS.search(self.noun.lower()))


def parse_digits(digits: str, mult: str | None = None) -> float:
    """'758 912' -> 758912, '500.000' -> 500000, '1,4' -> 1.4, '8.5' -> 8.5."""
    raw = digits.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    groups = re.split(r"[ .,’']", raw)
    seps = re.findall(r"[ .,’']", raw)
    if (
        seps
        and all(len(g) == 3 for g in groups[1:])
        and not (mult and len(seps) == 1 and seps[0] in ".,")
    ):
        if len(set(seps)) == 1 or seps[-1] == " ":
            return float("".join(groups))
        # '1.234,5' / '1,234.5': the last separator is the decimal mark
        return float("".join(groups[:-1]) + "." + groups[-1])
    if len(seps) == 1 and seps[0] in ".,":
        return float(groups[0] + "." + groups[1])
    return float("".join(groups))


def _value(m: re.Match) -> float | None:
    if m.group("digits"):
        mult = (m.group("mult") or "").lower()
        base = parse_digits(m.group("digits"), mult)
        return base * _MULT.get(mult, 1)
    if m.group("half"):
        return 1_500_000 if "et demi" in m.group("half").lower() else 500_000
    words = m.group("words").strip().lower().replace("-", " ")
    mult = _MULT[m.group("wmult").lower()]
    if words in {"a", "an", "one", "un", "une"}:
        return mult
    for lang in ("fr", "en"):
        try:
            return text2num(words, lang) * mult
        except ValueError:
            continue
    return None


def find_counts(sentence: str) -> list[Count]:
    """Counts of people, records or credentials in one sentence, in reading order."""
    found: list[Count] = []
    bare: list[Count] = []
    for m in _NUMBER.finditer(sentence):
        if m.group("digits") and _is_part_of_word(sentence, m.start(), m.end()):
            continue
        value = _value(m)
        if value is None or value < 1:
            continue
        after = sentence[m.end() :]
        if _NOT_COUNT_AFTER.match(after):
            continue
        bound = bool(_BOUND_BEFORE.search(sentence[: m.start()]))
        noun = _NOUN_AFTER.match(after)
        if noun:
            found.append(Count(round(value), m.start(), m.end(), noun.group("noun"), bound))
        elif bound and not _is_year(m) and value >= 100 and _BARE_END.match(after):
            bare.append(Count(round(value), m.start(), m.end(), None, bound))
    if bare and (found or _PEOPLE_BEFORE.search(sentence[: bare[0].start])):
        found.extend(bare)
        found.sort(key=lambda c: c.start)
    return found


def parse_approximate(phrase: str) -> int | None:
    """'une trentaine de' -> 30, 'a dozen of' -> 12, else None."""
    m = _APPROX_RE.search(phrase + " de ")
    return _APPROX[m.group("word").lower()] if m else None


def find_approximate(sentence: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of 'une trentaine de'-style quantities in a sentence."""
    return [
        (_APPROX[m.group("word").lower()], m.start(), m.end())
        for m in _APPROX_RE.finditer(sentence)
    ]


def significant_digits(value: int) -> int:
    """758912 -> 6, 500000 -> 1, 510000 -> 2."""
    return len(str(abs(int(value))).rstrip("0")) or 1


def _is_year(m: re.Match) -> bool:
    d = m.group("digits") or ""
    return bool(re.fullmatch(r"(?:19|20)\d\d", d)) and not m.group("mult")


def _is_part_of_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isalpha() or before in "-/" or after.isalpha() and after.lower() not in "mk"
