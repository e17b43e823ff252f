"""Loader for VERIS incident JSON files (the VERIS Community Database, schema 1.3.x).

One JSON file is one incident and one named graph, ``graph/veris/<incident_id>``; a folder
yields one graph per file.  The graph's source node is a ``bk:DatasetRecord`` (record key =
``incident_id``, ``schema:url`` its first reference) that ``dcterms:isPartOf`` the VCDB
``bk:Dataset``, whose license (CC BY-SA 4.0), attribution and public origin are stated in
every graph so any subset carries them.

Mapping: ``victim.victim_id`` (and ``victim.secondary.victim_id``) -> victims, their kind
from the NAICS code (622 hospital, 621511 laboratory, 6211-6213 practice, 6214 clinic),
located in ``victim.state`` / ``victim.country``; ``action.*.variety`` -> attack types
(``ACTION_VARIETIES``); ``attribute.confidentiality.data[].variety`` -> data categories
(``DATA_VARIETIES``; "Personal" is too broad for one code, so personal categories are read
from the summary instead); ``data_total`` -> ``bk:peopleAffected`` when the records are
people's (``data_victim``); ``timeline.incident`` -> ``bk:occurredOn`` at the precision
given; ``actor.partner.notes`` and vendors named in the summary -> ``bk:involvedVendor``.
Values that cannot be read are listed in ``LoadedSource.skipped`` as (field, reason).

>>> from pathlib import Path
>>> fixture = Path(__file__).parents[1] / "tests/fixtures/veris_json"
>>> sorted(s.counts["incidents"] for s in load(fixture / "iron-mountain-florida-hospital.json"))
[1]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from breachkg.loaders.breach_text import (
    NAME,
    find_attack_types,
    find_data_categories,
    find_vendor_mentions,
    is_plausible_name,
)
from breachkg.loaders.hhs_ocr_csv import dataset_quads, provider_kind
from pyoxigraph import NamedNode, Quad

from breachkg.errors import BreachkgInputError
from breachkg.iris import mint_graph_iri, mint_incident_iri, mint_iri, normalize_name
from breachkg.model import (
    Incident,
    LoadedSource,
    Organization,
    Place,
    Source,
    Stated,
    incident_quads,
    source_quads,
)
from breachkg.resolve import country, resolve_organization, us_state

EXTENSIONS = (".json",)
SOURCE_KIND = "veris"
COLLECTION = mint_graph_iri(SOURCE_KIND, "vcdb")
ORIGIN = "https://github.com/vz-risk/VCDB"
LICENSE = "https://creativecommons.org/licenses/by-sa/4.0/"
RIGHTS = (
    "VERIS Community Database (VCDB) by the Verizon DBIR team, vz-risk/VCDB "
    "(data/json/validated), licensed CC BY-SA 4.0: attribution and share-alike apply to "
    "data derived from it."
)

#: (action, variety) -> attack-type code; ``*`` is any other variety of that action.
ACTION_VARIETIES = {
    ("malware", "Ransomware"): "ransomware",
    ("malware", "*"): "malware",
    ("hacking", "Use of stolen creds"): "credential_theft",
    ("hacking", "Brute force"): "credential_theft",
    ("hacking", "Exploit vuln"): "vulnerability_exploitation",
    ("hacking", "SQLi"): "vulnerability_exploitation",
    ("hacking", "*"): "cyberattack",
    ("social", "Phishing"): "phishing",
    ("social", "Pretexting"): "phishing",
    ("misuse", "*"): "insider_misuse",
    ("error", "Misconfiguration"): "misconfiguration",
}
#: ``attribute.confidentiality.data[].variety`` -> data-category code.
DATA_VARIETIES = {
    "Medical": "medical_record",
    "Credentials": "credentials",
    "Bank": "bank_details",
    "Payment": "bank_details",
}
#: ``data_victim`` values whose records are people.
PEOPLE = frozenset({"Patient", "Customer", "Employee", "Student", "Member", "Former employee"})
_ANONYMOUS = re.compile(r"^(?:unidentified|unknown|undisclosed|unnamed|anonymous)\b", re.I)
_LEADING_NAME = re.compile(NAME)
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z]+\b)")
_NAICS_SUFFIX = re.compile(r"[;,]\s*\d{2,6}\s*$")


def _get(data: object, *path: str, default: object = None) -> object:
    """``data[path[0]][path[1]]...`` or ``default`` when any step is missing or not a dict."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _strings(value: object) -> list[str]:
    """A string or list of strings as a list of stripped, non-empty strings."""
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def naics_kind(industry: str, name: str) -> str:
    """Establishment kind from a NAICS code, refined by the name when the code is vague."""
    code = industry.strip()
    if code.startswith("622"):
        return "hospital"
    if code.startswith("621511"):
        return "laboratory"
    if code.startswith(("6211", "6212", "6213")):
        return "practice"
    if code.startswith("6214"):
        return "clinic"
    if code.startswith("524114"):
        return "insurer"
    if code.startswith("446110"):
        return "pharmacy"
    return provider_kind(name)


def victim_place(victim: dict) -> Place | None:
    """The victim's US state, else its country."""
    codes = [c for c in _strings(victim.get("country")) if c != "Unknown"]
    state = victim.get("state") if isinstance(victim.get("state"), str) else ""
    if codes[:1] == ["US"] and state:
        return us_state(state) or country("US")
    return country(codes[0]) if codes else None


def victim_of(victim: dict, incident_id: str) -> Organization | None:
    """The primary victim; an anonymous one ("Unidentified Hospital") stays per-incident."""
    name = " ".join(str(victim.get("victim_id") or "").split())
    if not name or name == "Unknown":
        return None
    kind = naics_kind(str(victim.get("industry") or ""), name)
    place = victim_place(victim)
    org = resolve_organization(name, kind, place)
    if _ANONYMOUS.match(name):
        return Organization(
            name, kind, place=place, iri=mint_iri("establishment", name, incident_id)
        )
    return org


def secondary_victims(victim: dict) -> list[Organization]:
    """Other affected establishments, their "; 621" NAICS suffixes removed."""
    out = []
    for raw in _strings(_get(victim, "secondary", "victim_id", default=[])):
        name = " ".join(_NAICS_SUFFIX.sub("", raw).split()).strip(" ,;")
        if is_plausible_name(name) and not _ANONYMOUS.match(name):
            out.append(resolve_organization(name, naics_kind("", name)))
    return out


def partner_name(notes: str) -> str | None:
    """The partner (vendor) a ``actor.partner.notes`` names, or None when it names none."""
    notes = " ".join(notes.split())
    if not notes or _ANONYMOUS.match(notes):
        return None
    m = _LEADING_NAME.match(notes)
    if not m:
        return None
    name = m.group(0)
    last = name.split()[-1]
    glued = _GLUED.search(last)
    runs_on = len(notes) > len(name) + 1
    if glued and glued.start() > 2 and runs_on:  # "SystemsAscend provided": notes ran together
        name = name[: len(name) - len(last) + glued.start()]
    name = name.strip(" ,;")
    return name if is_plausible_name(name) else None


def attack_types_of(action: object) -> list[str]:
    """Attack-type codes from the VERIS ``action`` block, in a stable order."""
    codes: dict[str, None] = {}
    if not isinstance(action, dict):
        return []
    for kind in sorted(action):
        for variety in _strings(_get(action, kind, "variety", default=[])):
            code = ACTION_VARIETIES.get((kind, variety)) or ACTION_VARIETIES.get((kind, "*"))
            if code:
                codes[code] = None
    return list(codes)


def occurred_of(timeline: object) -> str:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' from ``timeline.incident``; ValueError if bad."""
    year, month, day = (_get(timeline, "incident", k) for k in ("year", "month", "day"))
    if year is None:
        return ""
    if not isinstance(year, int) or not 1900 <= year <= 2100:
        raise ValueError(f"bad year {year!r}")
    if month is None:
        return f"{year:04d}"
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValueError(f"bad month {month!r}")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, int(day)).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"bad day {day!r}") from None


def first_url(reference: object) -> str | None:
    """The first http(s) URL of the ``reference`` field (URLs joined by ', ' or ';')."""
    if not isinstance(reference, str):
        return None
    m = re.search(r"https?://[^\s;,]+", reference)
    return m.group(0) if m else None


def read_incident(path: Path) -> dict:
    """The JSON object of one VERIS file; ``BreachkgInputError`` when it is not one."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as err:
        raise BreachkgInputError(path, f"cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise BreachkgInputError(path, f"not UTF-8 text (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise BreachkgInputError(path, f"not JSON: {err.msg} at line {err.lineno}") from None
    if not isinstance(data, dict):
        raise BreachkgInputError(path, "not a VERIS incident: the JSON is not an object")
    incident_id = data.get("incident_id")
    if not isinstance(incident_id, str) or not normalize_name(incident_id):
        raise BreachkgInputError(path, "not a VERIS incident: no incident_id")
    if not isinstance(data.get("victim"), dict):
        raise BreachkgInputError(path, "not a VERIS incident: no victim object")
    return data


def regraph(quads: list[Quad], graph: str) -> list[Quad]:
    """The same triples placed in ``graph``."""
    g = NamedNode(graph)
    return [Quad(q.subject, q.predicate, q.object, g) for q in quads]


def load_incident(path: Path) -> LoadedSource:
    """The named graph of one VERIS incident file."""
    data = read_incident(path)
    incident_id = data["incident_id"].strip().lower()
    graph = mint_graph_iri(SOURCE_KIND, incident_id)
    skipped: list[tuple[str, str]] = []
    victim = data["victim"]
    main = victim_of(victim, incident_id)
    victims = ([main] if main else []) + secondary_victims(victim)
    summary = data.get("summary") if isinstance(data.get("summary"), str) else ""
    summary = summary.strip()

    vendors: dict[str, Stated[Organization]] = {}
    exclude = tuple(v.name for v in victims)
    for notes in _strings(_get(data, "actor", "partner", "notes")):
        name = partner_name(notes)
        if name and normalize_name(name) not in {normalize_name(n) for n in exclude}:
            vendor = resolve_organization(name, "service_provider")
            vendors.setdefault(vendor.node.value, Stated(vendor))
    for mention in find_vendor_mentions(summary, exclude=exclude):
        vendor = resolve_organization(mention.name, "service_provider")
        vendors.setdefault(vendor.node.value, Stated(vendor, mention.evidence))

    attack_types: dict[str, Stated[str]] = {
        c: Stated(c) for c in attack_types_of(data.get("action"))
    }
    for mention in find_attack_types(summary):
        attack_types.setdefault(mention.code, Stated(mention.code, mention.evidence))

    confidentiality = _get(data, "attribute", "confidentiality", default={})
    categories: dict[str, Stated[str]] = {}
    items = _get(confidentiality, "data", default=[])
    for item in items if isinstance(items, list) else []:
        code = DATA_VARIETIES.get(str(_get(item, "variety", default="")))
        if code:
            categories.setdefault(code, Stated(code))
    for code, evidence in find_data_categories(summary).items():
        categories.setdefault(code, Stated(code, evidence))

    affected = None
    total = _get(confidentiality, "data_total")
    if total is not None:
        whose = set(_strings(_get(confidentiality, "data_victim", default=[])))
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            skipped.append(
                (f"{path.name}:attribute.confidentiality.data_total", f"not a count: {total!r}")
            )
        elif whose & PEOPLE:
            affected = Stated(total)
        else:
            skipped.append(
                (
                    f"{path.name}:attribute.confidentiality.data_total",
                    "records are not people's: "
                    + (", ".join(sorted(whose)) or "data_victim missing"),
                )
            )
    try:
        occurred = occurred_of(data.get("timeline"))
    except ValueError as err:
        skipped.append((f"{path.name}:timeline.incident", str(err)))
        occurred = ""
    place = victim_place(victim)
    key = f"veris:{incident_id}"
    incident = Incident(
        key=key,
        summary=summary or None,
        victims=tuple(Stated(v) for v in victims),
        vendors=tuple(vendors.values()),
        attack_types=tuple(attack_types.values()),
        data_categories=tuple(categories.values()),
        places=(Stated(place),) if place else (),
        affected_count=affected,
        occurred=Stated(occurred) if occurred else None,
        iri=mint_incident_iri(key),
    )
    created = str(_get(data, "plus", "created", default="") or "")[:10]
    record = Source(
        graph=graph,
        kind="record",
        title=f"VCDB incident {incident_id}" + (f": {main.name}" if main else ""),
        url=first_url(data.get("reference")),
        published=created if re.fullmatch(r"\d{4}-\d{2}-\d{2}", created) else None,
        record_key=incident_id,
        part_of=COLLECTION,
    )
    collection = Source(
        graph=COLLECTION, kind="dataset", title="VERIS Community Database (VCDB)", url=ORIGIN
    )
    quads = dict.fromkeys(source_quads(record))
    quads.update(dict.fromkeys(regraph(dataset_quads(collection, LICENSE, RIGHTS, ORIGIN), graph)))
    quads.update(dict.fromkeys(incident_quads(incident, source_iri=graph)))
    return LoadedSource(
        graph=graph,
        quads=list(quads),
        name=path.name,
        counts={"incidents": 1, "victims": len(victims), "vendors": len(vendors)},
        skipped=skipped,
        source=record,
    )


def load(path: str | Path, *, progress: bool | None = None) -> Iterator[LoadedSource]:
    """Yield one named graph per VERIS incident: the file, or each ``*.json`` in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json" and p.is_file())
        if not files:
            raise BreachkgInputError(path, "no .json VERIS files in this folder")
    else:
        files = [path]
    for file in files:
        yield load_incident(file)
