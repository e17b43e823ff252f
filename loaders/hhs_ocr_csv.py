"""Loader for the US HHS OCR breach portal CSV exports (closed cases and open cases).

Each file is one named graph, ``graph/hhs-ocr/<closed|under-investigation>``, described as
a ``bk:Dataset`` with its license, rights and public origin.  Each CSV row becomes a
``bk:DatasetRecord`` (``<file graph>/row/<entity-slug>-<submission date>``, ``dcterms:
isPartOf`` the file) and one incident whose ``bk:source`` is that row, so every fact points
at the row it came from:

- ``Name of Covered Entity`` -> the victim, its kind from ``Covered Entity Type`` (health
  plans are insurers, clearing houses platforms, business associates service providers and
  also the incident's ``bk:involvedVendor``; providers are hospitals, clinics, laboratories,
  pharmacies or practices when their name says so), located in its US state;
- ``Individuals Affected`` -> ``bk:peopleAffected``; ``Breach Submission Date`` ->
  ``bk:disclosedOn`` (xsd:date);
- ``Type of Breach`` -> attack types: Hacking/IT Incident is a cyberattack, Unauthorized
  Access/Disclosure unauthorized access; Theft, Loss and Improper Disposal are not attacks
  and get no code (theft of a laptop is not data theft by intrusion);
- ``Web Description`` -> the incident's description, business associates it names
  (``bk:involvedVendor``, linked to the registry), attack types it names (ransomware,
  phishing, ...) and the data categories it lists, each with the sentence as evidence.

The incident IRI is ``mint_incident_iri("hhs:<trade-name slug>-<date>-<count>")``, the same
whichever list holds the case; evidence offsets index the incident's ``schema:description``
(the narrative).  Rows without a name, with a bad date or a non-numeric count, and exact
duplicate rows are listed in
``LoadedSource.skipped`` as ("<file>:row <n>", reason), ``n`` counting data rows from 1.

>>> from pathlib import Path
>>> fixture = Path(__file__).parents[1] / "tests/fixtures/hhs_ocr_csv/three-breaches.csv"
>>> [(s.counts["incidents"], len(s.skipped)) for s in load(fixture, progress=False)]
[(3, 0)]
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from breachkg.loaders.breach_text import (
    find_attack_types,
    find_data_categories,
    find_vendor_mentions,
)
from pyoxigraph import Literal, NamedNode, Quad
from tqdm import tqdm

from breachkg.errors import BreachkgInputError
from breachkg.iris import mint_graph_iri, mint_incident_iri, normalize_name
from breachkg.model import (
    Incident,
    LoadedSource,
    Organization,
    Source,
    Stated,
    incident_quads,
    source_quads,
)
from breachkg.resolve import canonical_name, resolve_organization, us_state

EXTENSIONS = (".csv",)
SOURCE_KIND = "hhs-ocr"
COLUMNS = (
    "Name of Covered Entity",
    "State",
    "Covered Entity Type",
    "Individuals Affected",
    "Breach Submission Date",
    "Type of Breach",
    "Location of Breached Information",
    "Business Associate Present",
    "Web Description",
)
ORIGIN = "https://ocrportal.hhs.gov/ocr/breach/breach_report.jsf"
LICENSE = "https://creativecommons.org/publicdomain/mark/1.0/"
RIGHTS = (
    "US federal government work, public domain (17 U.S.C. 105). Published by the U.S. "
    "Department of Health and Human Services, Office for Civil Rights (breach portal); "
    "export redistributed in GitHub soudunno/Proactive-Data-Breach-Management-in-"
    "Healthcare-with-NLP."
)
TITLES = {
    "closed": "HHS OCR breach portal: archive of closed cases",
    "under-investigation": "HHS OCR breach portal: cases under investigation",
}
DCTERMS = "http://purl.org/dc/terms/"

#: ``Type of Breach`` value -> attack-type code; the others are not attacks.
BREACH_TYPES = {
    "Hacking/IT Incident": "cyberattack",
    "Unauthorized Access/Disclosure": "unauthorized_access",
}
#: ``Covered Entity Type`` -> organisation kind (providers are refined by their name).
ENTITY_TYPES = {
    "Healthcare Provider": "establishment",
    "Health Plan": "insurer",
    "Business Associate": "service_provider",
    "Healthcare Clearing House": "platform",
}
PROVIDER_KINDS = (
    ("pharmacy", re.compile(r"pharmac|drug ?store|\brx\b", re.I)),
    ("laboratory", re.compile(r"laborator|\blabs?\b|diagnostics|patholog", re.I)),
    ("hospital", re.compile(r"hospital|medical cent(?:er|re)|\bmedical center|infirmary", re.I)),
    ("clinic", re.compile(r"clinic|urgent care", re.I)),
    (
        "practice",
        re.compile(
            r"dental|dentist|orthodont|\bD\.?D\.?S\b|\bD\.?M\.?D\b|pediatrics|"
            r"physicians|family (?:medicine|practice)|chiropract|optometr|dermatolog",
            re.I,
        ),
    ),
)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def wants_progress() -> bool:
    """A progress bar by default only on a terminal and when not quiet (``-q`` logs errors only)."""
    return sys.stderr.isatty() and logging.getLogger("breachkg").getEffectiveLevel() < logging.ERROR


def file_kind(path: Path) -> str:
    """'under-investigation' for the open-cases list, else 'closed' (the archive)."""
    stem = path.stem.lower()
    return "under-investigation" if "investigation" in stem or stem == "breach_report" else "closed"


def provider_kind(name: str) -> str:
    """The establishment kind a provider's name says (hospital, clinic, ...), or generic."""
    for kind, pattern in PROVIDER_KINDS:
        if pattern.search(name):
            return kind
    return "establishment"


def parse_date(value: str) -> str:
    """'04/26/2024' -> '2024-04-26'; ValueError when it is not a real MM/DD/YYYY date."""
    m = _DATE.fullmatch(value.strip())
    if not m:
        raise ValueError(f"bad Breach Submission Date {value.strip()!r} (want MM/DD/YYYY)")
    month, day, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"bad Breach Submission Date {value.strip()!r} (no such day)") from None


def parse_count(value: str) -> int:
    """'13055' or '13,055' -> 13055; ValueError when not a non-negative integer."""
    text = value.strip().replace(",", "")
    if not text.isdigit():
        raise ValueError(f"non-numeric Individuals Affected {value.strip()!r}")
    return int(text)


def split_values(value: str) -> list[str]:
    """'Loss, Theft' -> ['Loss', 'Theft'] (the portal joins several values with ', ')."""
    return [v.strip() for v in value.split(", ") if v.strip()]


def read_rows(path: Path) -> tuple[list[dict[str, str]], bytes]:
    """The CSV records as dicts (multi-line fields kept) and the file's bytes."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BreachkgInputError(path, f"cannot read: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BreachkgInputError(path, f"not UTF-8 text (byte {err.start})") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        missing = [c for c in COLUMNS if c not in header]
        if missing and {"incident_id", "git_blob_sha1"} <= set(header):
            raise BreachkgInputError(
                path, "a VCDB manifest (index of vcdb/*.json), not source data: ingest the JSON"
            )
        if missing:
            raise BreachkgInputError(
                path, f"not an HHS OCR breach export: missing column(s) {', '.join(missing)}"
            )
        return list(reader), data
    except csv.Error as err:
        raise BreachkgInputError(path, f"bad CSV: {err}") from None


def row_key(slug: str, submitted: str, count: int, row: dict[str, str], seen: set[str]) -> str:
    """The row's key in its file: entity slug and submission date, then the count, then a hash.

    The portal has no breach id and repeats (name, date) pairs, so repeated pairs are told
    apart by their count, and rows equal on those by a hash of the whole row.
    """
    key = f"{slug}-{submitted}"
    if key in seen:
        key = f"{slug}-{submitted}-{count}"
    if key in seen:
        key = f"{slug}-{submitted}-{count}-{row_digest(row)}"
    return key


def incident_key(slug: str, submitted: str, count: int, row: dict[str, str], seen: set[str]) -> str:
    """The incident's canonical key: ``hhs:<slug>-<date>-<count>``, whatever file holds it.

    The count is always part of it: one organisation files two breaches on one day, and
    the closed and open lists share (name, date) pairs with different counts.  A case that
    moves from the open list to the archive keeps its incident IRI.
    """
    key = f"hhs:{slug}-{submitted}-{count}"
    return f"{key}-{row_digest(row)}" if key in seen else key


def row_digest(row: dict[str, str]) -> str:
    """8 hex digits of the sha256 of the whole row."""
    joined = "\x1f".join(row.get(c) or "" for c in COLUMNS)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:8]


def victim_of(row: dict[str, str]) -> Organization:
    """The covered entity (or business associate) that reported the breach."""
    name = " ".join(row["Name of Covered Entity"].split())
    entity_type = (row["Covered Entity Type"] or "").strip()
    kind = ENTITY_TYPES.get(entity_type, "organization")
    if kind == "establishment":
        kind = provider_kind(name)
    return resolve_organization(name, kind, us_state(row["State"] or ""))


def incident_of(row: dict[str, str], key: str, submitted: str, count: int) -> Incident:
    """The incident one row states (``key`` its canonical key), with its narrative's facts."""
    victim = victim_of(row)
    description = (row["Web Description"] or "").strip()
    if description in {"\\N", "NULL", "N/A"}:
        description = ""
    vendors: list[Stated[Organization]] = []
    if victim.is_vendor:
        vendors.append(Stated(victim))
    if description:
        exclude = (victim.name, row["Name of Covered Entity"], *victim.aliases)
        linked = {victim.node}
        for mention in find_vendor_mentions(description, exclude=exclude):
            vendor = resolve_organization(mention.name, "service_provider")
            if vendor.node not in linked:
                linked.add(vendor.node)
                vendors.append(Stated(vendor, mention.evidence))
    attack_types: dict[str, Stated[str]] = {}
    for value in split_values(row["Type of Breach"] or ""):
        code = BREACH_TYPES.get(value)
        if code:
            attack_types.setdefault(code, Stated(code))
    for mention in find_attack_types(description):
        attack_types.setdefault(mention.code, Stated(mention.code, mention.evidence))
    categories = find_data_categories(description)
    place = us_state(row["State"] or "")
    return Incident(
        key=key,
        summary=description or None,
        victims=(Stated(victim),),
        vendors=tuple(vendors),
        attack_types=tuple(attack_types.values()),
        data_categories=tuple(Stated(c, ev) for c, ev in categories.items()),
        places=(Stated(place),) if place else (),
        affected_count=Stated(count),
        disclosed=Stated(submitted),
        iri=mint_incident_iri(key),
    )


def dataset_quads(source: Source, license_iri: str, rights: str, origin: str) -> list[Quad]:
    """The file's description plus its license, rights statement and public origin."""
    quads = source_quads(source)
    node, graph = source.node, NamedNode(source.graph)
    quads += [
        Quad(node, NamedNode(DCTERMS + "license"), NamedNode(license_iri), graph),
        Quad(node, NamedNode(DCTERMS + "rights"), Literal(rights, language="en"), graph),
        Quad(node, NamedNode(DCTERMS + "source"), NamedNode(origin), graph),
    ]
    return quads


def record_quads(record: Source, graph: str) -> list[Quad]:
    """A row's ``bk:DatasetRecord`` description, placed in the file's graph."""
    g = NamedNode(graph)
    return [Quad(q.subject, q.predicate, q.object, g) for q in source_quads(record)]


def load(
    path: str | Path, *, progress: bool | None = None, kind: str | None = None
) -> Iterator[LoadedSource]:
    """Yield the one named graph of an HHS OCR breach CSV file.

    ``progress`` shows a tqdm bar (default: when stderr is a terminal); ``kind`` overrides
    the file kind ('closed' or 'under-investigation') read from the file name.
    """
    path = Path(path)
    rows, data = read_rows(path)
    kind = kind or file_kind(path)
    graph = mint_graph_iri(SOURCE_KIND, kind)
    dataset = Source(
        graph=graph,
        kind="dataset",
        title=TITLES.get(kind, f"HHS OCR breach portal: {kind}"),
        url=ORIGIN,
        text_length=len(data),
        text_sha256=hashlib.sha256(data).hexdigest(),
    )
    quads: dict[Quad, None] = dict.fromkeys(dataset_quads(dataset, LICENSE, RIGHTS, ORIGIN))
    skipped: list[tuple[str, str]] = []
    seen: set[str] = set()
    seen_rows: dict[tuple, int] = {}
    vendors: set[str] = set()
    incidents = 0
    show = wants_progress() if progress is None else progress
    for n, row in enumerate(tqdm(rows, desc=path.name, unit="row", disable=not show), 1):
        where = f"{path.name}:row {n}"
        if None in row or any(row.get(c) is None for c in COLUMNS):
            skipped.append((where, "wrong number of fields"))
            continue
        name = " ".join(row["Name of Covered Entity"].split())
        slug = normalize_name(canonical_name(name)) if name else ""
        if not slug:
            skipped.append((where, "missing Name of Covered Entity"))
            continue
        try:
            submitted = parse_date(row["Breach Submission Date"])
            count = parse_count(row["Individuals Affected"])
        except ValueError as err:
            skipped.append((where, str(err)))
            continue
        identity = tuple(" ".join((row[c] or "").split()) for c in COLUMNS)
        if identity in seen_rows:
            skipped.append((where, f"duplicate of row {seen_rows[identity]}"))
            continue
        seen_rows[identity] = n
        key = row_key(slug, submitted, count, row, seen)
        canonical = incident_key(slug, submitted, count, row, seen)
        seen.update((key, canonical))
        record = Source(
            graph=f"{graph}/row/{key}",
            kind="record",
            title=name,
            record_key=key,
            part_of=graph,
        )
        incident = incident_of(row, canonical, submitted, count)
        quads.update(dict.fromkeys(record_quads(record, graph)))
        quads.update(dict.fromkeys(incident_quads(incident, source_iri=record.graph, graph=graph)))
        vendors.update(v.value.node.value for v in incident.vendors)
        incidents += 1
    yield LoadedSource(
        graph=graph,
        quads=list(quads),
        name=path.name,
        counts={
            "rows": len(rows),
            "incidents": incidents,
            "vendors": len(vendors),
            "skipped": len(skipped),
        },
        skipped=skipped,
        source=dataset,
    )
