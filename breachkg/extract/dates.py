"""Dates in French and English sentences, resolved against the publication date.

Explicit forms are read by rules ("19 novembre 2024", "February 21, 2024", "18/03/2022",
"février 2024", "début 2022", "mi-mars", "fin de l'année 2020"); a day without a year
takes the publication year (or the year last mentioned before it); relative days ("hier",
"last Tuesday", "il y a deux semaines") go to ``dateparser`` with the publication date as
base.  Each date says whether it bounds a period ("entre 2015 et 2020", "depuis 2021",
"since 2019"), which makes it context rather than the date of an incident.

>>> [d.iso for d in find_dates("Ce mardi 19 novembre 2024, la base a été mise en vente.")]
['2024-11-19']
>>> [d.iso for d in find_dates("La publication date du 12 février.", published="2021-02-25")]
['2021-02-12']
>>> find_dates("début 2022")[0].iso
'2022'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH2 = _MONTH.replace("month", "month2")
_WEEKDAY = (
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday),?\s+)?"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
_PATTERNS = [
    ("day", re.compile(rf"\b{_WEEKDAY}{_DAY}\s+{_MONTH}\s*,?\s*{_YEAR}?\b")),
    ("day", re.compile(rf"\b{_WEEKDAY}{_MONTH2}\s+{_DAY.replace('day', 'day2')},?\s*{_YEAR.replace('year', 'year2')}?\b")),
    ("numeric", re.compile(r"\b(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)\d\d)\b")),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("month", re.compile(rf"\b(?P<mid>mi-|mid-)?{_MONTH}(?:\s+(?:de l['’]annee\s+|of\s+)?{_YEAR})?\b")),
    ("year", re.compile(
        r"\b(?:(?:au |at the )?(?:debut|fin|courant|mi|early|late|mid|end of|beginning of|"
        r"printemps|ete|automne|hiver|spring|summer|autumn|fall|winter)[\s-]+(?:de l['’]annee\s+|"
        r"d['’]annee\s+|of\s+)?)?(?:l['’]annee\s+|the year\s+)?(?P<y>(?:19|20)\d\d)\b"
    )),
]  # fmt: skip
_RELATIVE = re.compile(
    r"\b(?:hier|avant-hier|aujourd['’]hui|yesterday|today|"
    r"(?:ce|cette|this|last|past|dernier|derniere)\s+(?:lundi|mardi|mercredi|jeudi|vendredi|"
    r"samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday|semaine|week)|"
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+derni(?:er|ere)|"
    r"il y a (?:\w+) (?:jours?|semaines?|mois)|(?:\w+) (?:days?|weeks?|months?) ago|"
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?<!chaque )(?<!le )(?<!les )(?<!tous les )(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche)(?!\s+(?:\d|prochain|soir \d|matin \d)))\b",
    re.IGNORECASE,
)
#: "ces quinze derniers jours", "the past two weeks": recent, resolved to a year only.
_RECENT = re.compile(
    r"\b(?:ces|les|the|over the)\s+(?:\w+\s+)?(?:derniers jours|dernieres semaines|derniers mois|"
    r"past (?:\w+ )?(?:days|weeks|months)|last (?:\w+ )?(?:days|weeks|months))\b",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(
    r"(?:\bentre|\bdepuis|\bfrom|\bbetween|\bsince|\bjusqu['’](?:a|en|au)|\buntil|\bthrough|"
    r"\bavant|\bbefore|\bafter|\bapres|\bdes)\s+(?:(?:le|la|l['’]|the|fin|debut|de|"
    r"l['’]annee|annee)\s*)*$",
    re.IGNORECASE,
)
_PERIOD_AFTER = re.compile(
    r"^\s*(?:et|and|to|a|au|-|–)\s+(?:la\s+|le\s+|l['’])?(?:fin |debut )?(?:de l['’]annee )?\d",
    re.I,
)
_PERIOD_BETWEEN = re.compile(r"^\s*(?:et|and|to|a|au|-|–)\s+[\w'’ ]{0,25}$", re.I)
_DEICTIC_BEFORE = re.compile(r"\b(?:ce|this)\s+$", re.IGNORECASE)
_COARSE_PREFIX = re.compile(
    r"^(?:au |at the )?(?:debut|fin|courant|early|late|end of|beginning of|printemps|ete|"
    r"automne|hiver|spring|summer|autumn|fall|winter)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date in a sentence: ISO value ('YYYY'|'YYYY-MM'|'YYYY-MM-DD'), offsets and role."""

    iso: str
    start: int
    end: int
    period: bool = False
    deictic: bool = False
    explicit_year: bool = True

    @property
    def precision(self) -> int:
        return len(self.iso)


def _fold(s: str) -> str:
    from breachkg.extract.text import fold_text

    return fold_text(s)


def _base(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        parts = [int(p) for p in published.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _year_for(month: int, day: int, published: str | None, context_year: int | None) -> int | None:
    base = _base(published)
    if base is not None:
        return base.year if (month, day) <= (base.month, base.day) else base.year - 1
    return context_year


def _valid(y: int, m: int, d: int | None = None) -> bool:
    try:
        dt.date(y, m, d or 1)
    except ValueError:
        return False
    return True


def find_dates(
    sentence: str, *, published: str | None = None, context_year: int | None = None
) -> list[DateMention]:
    """Dates of one sentence in reading order; overlapping forms keep the longest match."""
    folded = _fold(sentence)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            a, b = m.span()
            if not free(a, b):
                continue
            mention = _read(kind, m, published, context_year)
            if mention is None:
                continue
            iso, explicit = mention
            before, after = folded[:a], folded[b:]
            period = bool(_PERIOD_BEFORE.search(before) or _PERIOD_AFTER.match(after))
            deictic = bool(_DEICTIC_BEFORE.search(before)) or bool(
                re.match(r"(?:ce|this)\b", m.group(0))
            )
            taken.append((a, b))
            out.append(DateMention(iso, a, b, period, deictic, explicit))
    for m in _RELATIVE.finditer(folded):
        if free(*m.span()) and published:
            iso = _parse_relative(sentence[m.start() : m.end()], published)
            if iso:
                taken.append(m.span())
                out.append(DateMention(iso, m.start(), m.end(), False, True, False))
    for m in _RECENT.finditer(folded):
        year = (_base(published).year if published else None) or context_year
        if year and free(*m.span()):
            out.append(DateMention(str(year), m.start(), m.end(), False, False, False))
    out.sort(key=lambda d: d.start)
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        if prev.period and not cur.period and _PERIOD_BETWEEN.match(folded[prev.end : cur.start]):
            out[i] = DateMention(cur.iso, cur.start, cur.end, True, cur.deictic, cur.explicit_year)
    return out


def _read(kind: str, m: re.Match, published: str | None, context_year: int | None):
    g = m.groupdict()
    if kind == "day":
        month = MONTHS[(g.get("month") or g.get("month2")).rstrip(".")]
        day = int(g.get("day") or g.get("day2"))
        year_s = g.get("year") or g.get("year2")
        year = int(year_s) if year_s else _year_for(month, day, published, context_year)
        if year is None or not _valid(year, month, day) or not 1 <= day <= 31:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}", bool(year_s)
    if kind in ("numeric", "iso"):
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        return (f"{y:04d}-{mo:02d}-{d:02d}", True) if _valid(y, mo, d) else None
    if kind == "month":
        word = g["month"].rstrip(".")
        if word in {
            "mar",
            "may",
            "jun",
            "jul",
            "sep",
            "oct",
            "dec",
            "nov",
            "jan",
            "feb",
            "apr",
            "aug",
        } and not g.get("year"):
            return None  # short English forms are too ambiguous without a year
        if word == "mai" and not g.get("year") and not g.get("mid"):
            return None
        month = MONTHS[word]
        year = int(g["year"]) if g.get("year") else _year_for(month, 1, published, context_year)
        if year is None:
            return None
        return f"{year:04d}-{month:02d}", bool(g.get("year"))
    if kind == "year":
        return g["y"], True
    return None


@lru_cache(maxsize=256)
def _parse_relative(expression: str, published: str) -> str | None:
    import dateparser

    base = _base(published)
    if base is None:
        return None
    expr = re.sub(r"\b(?:ce|cette|this|on)\s+", "", expression, flags=re.I)
    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
    }
    parsed = dateparser.parse(expr, languages=["fr", "en"], settings=settings)
    return parsed.date().isoformat() if parsed else None


def is_coarse(sentence: str, mention: DateMention) -> bool:
    """True when the date is introduced by 'début', 'fin', 'early'... (a year, not a day)."""
    return bool(_COARSE_PREFIX.match(_fold(sentence)[mention.start : mention.end]))


#: A dateline: "Mis à jour le 18/03/2022", "Publié le ...", "Published ...", a line that is a date.
_DATELINE = re.compile(
    r"(?:mis a jour|publie|publiee|modifie|updated|published|posted|date)\s*(?:le|on|:)?\s*",
    re.IGNORECASE,
)


def find_published(text: str) -> str | None:
    """Publication date read from the text: a dateline ("Mis à jour le 18/03/2022", a line
    holding only a date), else a deictic full date ("Ce mardi 19 novembre 2024"), else None."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    dated: list[str] = []
    deictic: list[str] = []
    for i, line in enumerate(lines):
        for d in find_dates(line):
            if d.precision != 10 or not d.explicit_year:
                continue
            head = line[: d.start]
            rest = _fold(line)[d.end :].strip(" .,|")
            if (
                _DATELINE.search(_fold(head)[-30:])
                or (
                    len(line) < 60
                    and not re.search(r"[a-z]{4,}", rest)
                    and len(head) < 25
                    and i < 12
                )
                or (len(line) < 40 and i >= len(lines) - 4)
            ):
                dated.append(d.iso)
            if d.deictic:
                deictic.append(d.iso)
    for group in (dated, deictic):
        if group:
            return max(group)
    return None
