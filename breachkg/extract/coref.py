"""Canonical co-reference keys: the same incident gets the same IRI from any article.

The key is computed from the incident's OWN facts only, never from what other articles
said or from the order of ingest, so loading articles one by one or all together gives
the same IRIs (``mint_incident_iri(key)``).  The hierarchy, first that applies:

1. a distinctive affected count (three or more significant digits, e.g. 758 912) alone:
   ``count:758912`` -- two reports of 758 912 records are one incident;
2. a round count, bucketed to one significant digit so that one source's "510 000" and
   another's "un demi-million" agree, with a qualifier: ``count:500000|<q>``, q being the
   named victim's slug, else the kind of the collective victim ("laboratory"), else the
   software, else the vendor, else the year;
3. no count: ``<q>|<year>`` with q the named victim, else the software, else the vendor,
   else the collective victim kind and place; the year is the incident date's year;
4. nothing to go on: ``text:`` plus a hash of the sentences the incident was read from.

Named victims, software and vendors use their registry IRI when linked (so spelling
variants agree), else the ``normalize_name`` slug.

>>> canonical_key(count=758912)
'count:758912'
>>> canonical_key(count=500000, collective_kinds=["laboratory"], vendors=["dedalus-france"])
'count:500000|laboratory'
>>> canonical_key(count=510000, victims=["assurance-maladie"])
'count:500000|victim:assurance-maladie'
>>> canonical_key(victims=["dax"], date="2021-02")
'victim:dax|2021'
"""

from __future__ import annotations

from collections.abc import Iterable

from breachkg.extract.numbers import significant_digits
from breachkg.iris import short_hash


def bucket_count(count: int) -> int:
    """A round count to one significant digit, halves up: 510000 -> 500000, 750000 -> 800000."""
    if count <= 0:
        return 0
    magnitude = 10 ** (len(str(int(count))) - 1)
    return int((count + magnitude // 2) // magnitude * magnitude)


def canonical_key(
    *,
    count: int | None = None,
    victims: Iterable[str] = (),
    collective_kinds: Iterable[str] = (),
    software: Iterable[str] = (),
    vendors: Iterable[str] = (),
    places: Iterable[str] = (),
    date: str | None = None,
    quotes: Iterable[str] = (),
) -> str:
    """The co-reference key of an incident from its own facts (see the module docstring)."""
    victims, software, vendors = sorted(set(victims)), sorted(set(software)), sorted(set(vendors))
    kinds, places = sorted(set(collective_kinds)), sorted(set(places))
    year = date[:4] if date else None
    if count is not None and significant_digits(count) >= 3:
        return f"count:{count}"
    if count is not None:
        qualifier = (
            (victims and "victim:" + victims[0])
            or (kinds and kinds[0])
            or (software and "software:" + software[0])
            or (vendors and "vendor:" + vendors[0])
            or year
            or "any"
        )
        return f"count:{bucket_count(count)}|{qualifier}"
    qualifier = (
        (victims and "victim:" + victims[0])
        or (software and "software:" + software[0])
        or (vendors and "vendor:" + vendors[0])
        or (kinds and "collective:" + kinds[0] + ("@" + places[0] if places else ""))
    )
    if qualifier:
        return f"{qualifier}|{year or 'undated'}"
    return "text:" + short_hash(*sorted(quotes))
