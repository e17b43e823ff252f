"""The graph as a STIX 2.1 bundle, for threat-intelligence platforms (OpenCTI, MISP, TAXII).

Why STIX: CTI tools already speak it, so health-sector breaches and the software behind them
can sit beside the indicators analysts use.  Mapping (the most standard objects, as OpenCTI
imports them):

- ``bk:Incident`` -> ``incident`` SDO (STIX 2.1's stub): name, description (summary, people
  affected, dates, data categories), ``labels`` = attack types and data categories,
  ``external_references`` = the incident IRI and its sources;
- victims (health establishments) -> ``identity`` (class organization, sector healthcare),
  incident ``targets`` identity;
- vendors -> ``identity`` (class organization, sector technology); incident ``related-to``
  vendor (bk:involvedVendor); vendor ``related-to`` software (bk:publishedBy);
- software products -> ``software`` SCO with ``vendor``; incident ``related-to`` software
  (bk:compromisedSoftware); establishment ``related-to`` software (bk:usesSoftware);
- threat actors -> ``threat-actor``; incident ``attributed-to`` threat actor;
- marketplaces -> ``infrastructure``; incident ``related-to`` infrastructure.

Deterministic: SDO and SRO ids are uuid5 of the IRI (or of the edge) in a fixed namespace;
SCO ids follow the STIX rule (uuid5 of name and vendor); timestamps are the sources'
publication dates or a fixed epoch; objects are sorted by id and keys sorted.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable

import stix2

from breachkg.store import Store
from breachkg.vocab import BK, PREFIXES, SCHEMA, VOCAB_NS

#: Namespace of breachkg's STIX ids (uuid5 of the entity IRI).
STIX_NAMESPACE = uuid.UUID("6f1d3d6c-5b2a-5e8e-9c51-6b7265616368")
#: Timestamp of objects without a dated source: fixed, so exports are reproducible.
EPOCH = "1970-01-01T00:00:00.000Z"
BREACHKG_IRI = "https://w3id.org/breachkg/"

_RDF_TYPE = PREFIXES["rdf"] + "type"
_VENDOR_CLASSES = {
    str(BK[c]) for c in "Vendor SoftwarePublisher ServiceProvider VendorGroup".split()
}


def stix_id(kind: str, iri: str) -> str:
    """``<kind>--<uuid5 of the IRI>``: the same IRI always gives the same STIX id."""
    return f"{kind}--{uuid.uuid5(STIX_NAMESPACE, iri)}"


def _timestamp(date: str | None) -> str:
    """STIX timestamp of an xsd:date / gYearMonth / gYear (first day), else the epoch."""
    if not date:
        return EPOCH
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2][:2]}T00:00:00.000Z"


def _code(iri: str) -> str:
    """'attack-type:ransomware' from a SKOS concept IRI of our vocabularies."""
    return iri[len(VOCAB_NS) :].replace("/", ":", 1) if iri.startswith(VOCAB_NS) else iri


class _Facts:
    """subject -> predicate -> sorted objects (values) of the whole store, read once."""

    def __init__(self, store: Store) -> None:
        self.by_subject: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for quad in store.quads():
            self.by_subject[quad.subject.value][quad.predicate.value].add(quad.object.value)

    def values(self, subject: str, predicate: str) -> list[str]:
        return sorted(self.by_subject.get(subject, {}).get(predicate, ()))

    def first(self, subject: str, predicate: str) -> str | None:
        found = self.values(subject, predicate)
        return found[0] if found else None

    def of_type(self, classes: Iterable[str]) -> list[str]:
        wanted = set(classes)
        return sorted(s for s, p in self.by_subject.items() if wanted & p.get(_RDF_TYPE, set()))

    def sector(self, subject: str) -> str:
        """STIX industry sector: technology for vendors, healthcare for everyone else."""
        is_vendor = _VENDOR_CLASSES & set(self.values(subject, _RDF_TYPE))
        return "technology" if is_vendor else "healthcare"

    def name(self, subject: str) -> str:
        return self.first(subject, str(SCHEMA.name)) or subject.rsplit("/", 1)[-1]


def _fallback_title(facts: _Facts, incident: str) -> str:
    """A name for an incident without a named victim: the software or vendors involved."""
    software = [facts.name(s) for s in facts.values(incident, str(BK.compromisedSoftware))]
    vendors = [facts.name(v) for v in facts.values(incident, str(BK.involvedVendor))]
    if software:
        return "users of " + ", ".join(software)
    if vendors:
        return "involving " + ", ".join(vendors)
    return "unnamed victim"


def build_bundle(store: Store) -> stix2.v21.Bundle:
    """The STIX 2.1 bundle of every incident in the store and the entities around it."""
    facts = _Facts(store)
    maker = stix2.v21.Identity(
        id=stix_id("identity", BREACHKG_IRI),
        name="breachkg",
        identity_class="system",
        created=EPOCH,
        modified=EPOCH,
        description="Knowledge graph of health-sector data breaches and their software supply chain",
    )
    objects: dict[str, object] = {maker.id: maker}
    common = {"created_by_ref": maker.id, "created": EPOCH, "modified": EPOCH}

    def identity(iri: str, sector: str) -> str:
        sid = stix_id("identity", iri)
        if sid not in objects:
            objects[sid] = stix2.v21.Identity(
                id=sid,
                name=facts.name(iri),
                identity_class="organization",
                sectors=[sector],
                external_references=[{"source_name": "breachkg", "url": iri}],
                **common,
            )
        return sid

    software_ids: dict[str, str] = {}

    def software(iri: str) -> str:
        if iri in software_ids:
            return software_ids[iri]
        vendors = [facts.name(v) for v in facts.values(iri, str(BK.publishedBy))]
        sco = stix2.v21.Software(
            name=facts.name(iri), **({"vendor": vendors[0]} if vendors else {})
        )
        objects.setdefault(sco.id, sco)
        software_ids[iri] = sco.id
        for vendor in facts.values(iri, str(BK.publishedBy)):
            relate(identity(vendor, "technology"), "related-to", sco.id, "publishes", EPOCH)
        return sco.id

    def named(kind: str, iri: str, **extra) -> str:
        sid = stix_id(kind, iri)
        if sid not in objects:
            cls = {
                "threat-actor": stix2.v21.ThreatActor,
                "infrastructure": stix2.v21.Infrastructure,
            }[kind]
            objects[sid] = cls(
                id=sid,
                name=facts.name(iri),
                external_references=[{"source_name": "breachkg", "url": iri}],
                **common,
                **extra,
            )
        return sid

    def relate(source: str, kind: str, target: str, description: str, when: str) -> None:
        sid = stix_id("relationship", f"{source}|{kind}|{target}")
        if sid not in objects:
            objects[sid] = stix2.v21.Relationship(
                id=sid,
                relationship_type=kind,
                source_ref=source,
                target_ref=target,
                description=description,
                created_by_ref=maker.id,
                created=when,
                modified=when,
            )

    for inc in facts.of_type([str(BK.Incident)]):
        sources = facts.values(inc, str(BK.source))
        published = sorted(d for s in sources for d in facts.values(s, str(BK.publishedOn)))
        when = _timestamp(published[-1] if published else None)
        victims = facts.values(inc, str(BK.victim))
        dates = {
            label: facts.first(inc, str(BK[prop]))
            for label, prop in (
                ("occurred", "occurredOn"),
                ("discovered", "discoveredOn"),
                ("disclosed", "disclosedOn"),
            )
        }
        people = [
            int(v) for v in facts.values(inc, str(BK.peopleAffected)) if v.lstrip("-").isdigit()
        ]
        categories = [_code(c) for c in facts.values(inc, str(BK.exposedDataCategory))]
        attacks = [_code(c) for c in facts.values(inc, str(BK.attackType))]
        lines = facts.values(inc, str(SCHEMA.description))
        if people:
            lines.append(f"People affected: {max(people)}.")
        lines += [f"{label.capitalize()}: {d}." for label, d in dates.items() if d]
        if categories:
            lines.append(
                "Exposed data: " + ", ".join(c.split(":", 1)[-1] for c in categories) + "."
            )
        when_text = dates["occurred"] or dates["disclosed"] or dates["discovered"]
        title = ", ".join(facts.name(v) for v in victims) or _fallback_title(facts, inc)
        references = [{"source_name": "breachkg", "url": inc}] + [
            {
                "source_name": facts.first(s, str(SCHEMA.name)) or "source",
                "url": facts.first(s, str(SCHEMA.url)) or s,
            }
            for s in sources
        ]
        incident = stix2.v21.Incident(
            id=stix_id("incident", inc),
            name=f"Data breach: {title}" + (f" ({when_text})" if when_text else ""),
            description=" ".join(lines) or None,
            labels=(attacks + categories) or None,
            external_references=references,
            created_by_ref=maker.id,
            created=when,
            modified=when,
        )
        objects[incident.id] = incident
        for victim in victims:
            relate(incident.id, "targets", identity(victim, facts.sector(victim)), "victim", when)
            for sw in facts.values(victim, str(BK.usesSoftware)):
                relate(
                    identity(victim, facts.sector(victim)),
                    "related-to",
                    software(sw),
                    "uses software",
                    when,
                )
        for sw in facts.values(inc, str(BK.compromisedSoftware)):
            relate(incident.id, "related-to", software(sw), "compromised software", when)
        for vendor in facts.values(inc, str(BK.involvedVendor)):
            relate(
                incident.id, "related-to", identity(vendor, "technology"), "involved vendor", when
            )
        for actor in facts.values(inc, str(BK.threatActor)):
            relate(incident.id, "attributed-to", named("threat-actor", actor), "threat actor", when)
        for market in facts.values(inc, str(BK.marketplace)):
            relate(
                incident.id, "related-to", named("infrastructure", market), "data offered on", when
            )

    ordered = [objects[k] for k in sorted(objects)]
    bundle_id = "bundle--" + str(uuid.uuid5(STIX_NAMESPACE, "|".join(sorted(objects))))
    return stix2.v21.Bundle(objects=ordered, id=bundle_id)


def bundle_json(store: Store) -> bytes:
    """The bundle as JSON text: keys sorted, two-space indent, one trailing newline."""
    bundle = build_bundle(store)
    data = json.loads(bundle.serialize())
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
