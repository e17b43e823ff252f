"""Synthetic breachkg graphs of any size, in the project's model, for benchmarks.

Shared by the validation, query and endpoint benchmarks.  ``generate(n, seed)`` returns about
``n`` pyoxigraph quads: one registry dataset graph (vendors, software, establishments with
SIREN/SIRET/FINESS numbers, places, supply-chain ``bk:usesSoftware`` edges) and one named
graph per synthetic news article (the source description, one incident with victim,
software, vendor, attack type, data categories, count, dates, place, and reified evidence
for each fact), the way ``breachkg.model`` writes them.  Same seed, same quads.

Scale at 1M triples: ~2,000 vendors, ~4,000 products, ~20,000 establishments, ~1,000
cities and ~10,000 articles.  ``defects`` > 0 breaks that share of articles in one of a few
ways (negative count, date after publication, evidence past the text end, missing source),
so validation benchmarks have results to compare.

    python benchmarks/generate_graph.py --triples 1000000 --out /tmp/g1m.nq
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from breachkg.resources import resource_dir
from breachkg.vocab import BK_NS, GRAPH_NS, ID_NS, SCHEMES, VOCAB_NS

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

_FALLBACK_CODES = {
    "data-category": [
        "identity",
        "contact",
        "health",
        "insurance",
        "financial",
        "social_security_number",
    ],
    "attack-type": ["ransomware", "data_theft", "credential_stuffing", "phishing"],
}
_SYLLABLES = "ka lo mi ne su ta ri vo de pa xo li ma ce bi ro nu fa ge zu".split()
_ESTABLISHMENT_CLASSES = ["Hospital", "Clinic", "MedicalPractice", "Laboratory", "Pharmacy"]
_VENDOR_CLASSES = ["SoftwarePublisher", "SoftwarePublisher", "ServiceProvider"]
_DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]


def read_concept_codes() -> dict[str, list[str]]:
    """Concept codes per scheme from the shipped vocabularies (fallback list when absent)."""
    codes: dict[str, set[str]] = {s: set() for s in SCHEMES}
    in_scheme = NamedNode(SKOS + "inScheme")
    for path in sorted((resource_dir("ontology") / "vocab").glob("*.ttl")):
        for t in parse(path=str(path), format=RdfFormat.TURTLE):
            if t.predicate == in_scheme:
                for scheme, iri in SCHEMES.items():
                    if t.object.value == iri and t.subject.value.startswith(
                        VOCAB_NS + scheme + "/"
                    ):
                        codes[scheme].add(t.subject.value.rsplit("/", 1)[1])
    return {s: sorted(c) or _FALLBACK_CODES[s] for s, c in codes.items()}


def luhn_digits(prefix: str) -> str:
    """``prefix`` completed with its Luhn check digit (SIREN, SIRET)."""
    total = 0
    for i, ch in enumerate(reversed(prefix + "0")):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return prefix + str((10 - total % 10) % 10)


class _Writer:
    """Quads with interned terms: the generator's hot loop builds few new objects."""

    def __init__(self) -> None:
        self.quads: list[Quad] = []
        self._nodes: dict[str, NamedNode] = {}

    def node(self, iri: str) -> NamedNode:
        n = self._nodes.get(iri)
        if n is None:
            n = self._nodes[iri] = NamedNode(iri)
        return n

    def add(self, s: NamedNode, p: str, o, g: NamedNode) -> None:
        self.quads.append(Quad(s, self.node(p), o, g))


def _typed(value: object, dt: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + dt))


def generate(n_triples_target: int, seed: int = 0, defects: float = 0.0) -> list[Quad]:
    """About ``n_triples_target`` quads of a realistic, valid breachkg dataset."""
    rng = random.Random(seed)
    w = _Writer()
    node, add = w.node, w.add
    codes = read_concept_codes()
    rdf_type, name = RDF + "type", SCHEMA + "name"
    n = max(n_triples_target, 2_000)

    def word(k: int = 2) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(k)).capitalize()

    registry = node(GRAPH_NS + "dataset/synthetic-registry")
    add(registry, rdf_type, node(BK_NS + "Dataset"), registry)
    add(registry, name, Literal("Synthetic establishment and vendor registry"), registry)
    add(registry, BK_NS + "publishedOn", _typed("2025-01-15", "date"), registry)

    country = node(ID_NS + "place/france")
    places = [country]
    place_names = {country: "France"}
    add(country, rdf_type, node(BK_NS + "Country"), registry)
    add(country, name, Literal("France"), registry)
    add(country, BK_NS + "countryCode", Literal("FR"), registry)
    departments = []
    for code in _DEPARTMENTS:
        d = node(f"{ID_NS}place/departement-{code.lower()}")
        place_names[d] = f"Département {code}"
        add(d, rdf_type, node(BK_NS + "Department"), registry)
        add(d, name, Literal(place_names[d]), registry)
        add(d, BK_NS + "partOf", country, registry)
        departments.append(d)
    cities = []
    for i in range(max(20, n // 1000)):
        label = f"{word(3)} {i}"
        c = node(f"{ID_NS}place/{label.lower().replace(' ', '-')}")
        place_names[c] = label
        add(c, rdf_type, node(BK_NS + "City"), registry)
        add(c, name, Literal(label), registry)
        add(c, BK_NS + "partOf", rng.choice(departments), registry)
        cities.append(c)
    places += departments + cities

    vendors: list[tuple[NamedNode, str, str]] = []
    for i in range(max(10, n // 500)):
        label = f"{word(2)} {word(2)} Santé {i}"
        v = node(f"{ID_NS}vendor/{label.lower().replace(' ', '-').replace('é', 'e')}")
        cls = rng.choice(_VENDOR_CLASSES)
        vendors.append((v, label, cls))
        add(v, rdf_type, node(BK_NS + cls), registry)
        add(v, name, Literal(label), registry)
        add(
            v, BK_NS + "siren", Literal(luhn_digits(f"{rng.randrange(10**7, 10**8):08d}")), registry
        )
        add(v, BK_NS + "locatedIn", rng.choice(cities), registry)
        if i and rng.random() < 0.05:
            add(v, BK_NS + "parentOrganization", vendors[rng.randrange(i)][0], registry)

    software: list[tuple[NamedNode, str, tuple]] = []
    for i in range(len(vendors) * 2):
        vendor = vendors[i % len(vendors)] if i < len(vendors) else rng.choice(vendors)
        label = f"{word(3)} {i}"
        s = node(f"{ID_NS}software/{label.lower().replace(' ', '-')}")
        software.append((s, label, vendor))
        add(s, rdf_type, node(BK_NS + "SoftwareProduct"), registry)
        add(s, name, Literal(label), registry)
        add(s, BK_NS + "publishedBy", vendor[0], registry)

    establishments: list[tuple[NamedNode, str, str, NamedNode]] = []
    for i in range(max(50, n // 50)):
        cls = rng.choice(_ESTABLISHMENT_CLASSES)
        city = rng.choice(cities)
        label = f"{cls} {word(2)} {i}"
        e = node(f"{ID_NS}establishment/{label.lower().replace(' ', '-')}")
        establishments.append((e, label, cls, city))
        add(e, rdf_type, node(BK_NS + cls), registry)
        add(e, name, Literal(label), registry)
        dep = rng.choice(_DEPARTMENTS)
        add(e, BK_NS + "finess", Literal(f"{dep}{rng.randrange(10**7):07d}"), registry)
        add(
            e,
            BK_NS + "siret",
            Literal(luhn_digits(f"{rng.randrange(10**12, 10**13):013d}")),
            registry,
        )
        add(e, BK_NS + "locatedIn", city, registry)
        for _ in range(rng.choice((1, 2, 2, 3))):
            add(e, BK_NS + "usesSoftware", rng.choice(software)[0], registry)

    # one graph per article until the target is reached
    integer = lambda v: _typed(v, "integer")  # noqa: E731
    defect_kinds = ["negative-count", "date-after-publication", "evidence-past-end", "no-source"]
    article = 0
    while len(w.quads) < n:
        article += 1
        digest = hashlib.sha256(f"{seed}:{article}".encode()).hexdigest()
        g = node(f"{GRAPH_NS}article/{digest[:16]}")
        defect = rng.choice(defect_kinds) if rng.random() < defects else None
        year = rng.randrange(2019, 2026)
        month = rng.randrange(1, 13)
        occurred = f"{year}-{month:02d}-{rng.randrange(1, 28):02d}"
        published = f"{year + 1}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}"
        text_length = rng.randrange(1500, 9000)
        add(g, rdf_type, node(BK_NS + "NewsArticle"), g)
        add(g, name, Literal(f"Article {article}: {word(3)} {word(2)}"), g)
        add(g, SCHEMA + "url", _typed(f"https://news.example.org/{digest[:12]}", "anyURI"), g)
        add(g, BK_NS + "publishedOn", _typed(published, "date"), g)
        add(g, BK_NS + "language", Literal(rng.choice(("fr", "fr", "fr", "en"))), g)
        add(g, BK_NS + "textLength", integer(text_length), g)
        add(g, BK_NS + "textSha256", Literal(digest), g)

        est, est_label, est_cls, est_city = rng.choice(establishments)
        sw, sw_label, (vendor, vendor_label, vendor_cls) = rng.choice(software)
        inc = node(f"{ID_NS}incident/{digest[16:32]}")
        add(inc, rdf_type, node(BK_NS + "Incident"), g)
        if defect != "no-source":
            add(inc, BK_NS + "source", g, g)
        add(est, rdf_type, node(BK_NS + est_cls), g)
        add(est, name, Literal(est_label), g)
        add(est, BK_NS + "locatedIn", est_city, g)
        add(est_city, rdf_type, node(BK_NS + "City"), g)
        add(est_city, name, Literal(place_names[est_city]), g)
        add(sw, rdf_type, node(BK_NS + "SoftwareProduct"), g)
        add(sw, name, Literal(sw_label), g)
        add(sw, BK_NS + "publishedBy", vendor, g)
        add(vendor, rdf_type, node(BK_NS + vendor_cls), g)
        add(vendor, name, Literal(vendor_label), g)
        add(est, BK_NS + "usesSoftware", sw, g)

        count = rng.choice((rng.randrange(100, 5000), rng.randrange(5000, 2_000_000)))
        if defect == "negative-count":
            count = -count
        when = published if defect != "date-after-publication" else f"{year + 3}-01-01"
        facts = [
            (BK_NS + "victim", est),
            (BK_NS + "compromisedSoftware", sw),
            (BK_NS + "involvedVendor", vendor),
            (
                BK_NS + "attackType",
                node(f"{VOCAB_NS}attack-type/{rng.choice(codes['attack-type'])}"),
            ),
            (BK_NS + "peopleAffected", integer(count)),
            (BK_NS + "occurredOn", _typed(occurred, "date")),
            (BK_NS + "disclosedOn", _typed(when, "date")),
        ]
        for cat in rng.sample(
            codes["data-category"], k=min(len(codes["data-category"]), rng.randrange(1, 4))
        ):
            facts.append((BK_NS + "exposedDataCategory", node(f"{VOCAB_NS}data-category/{cat}")))
        if rng.random() < 0.3:
            facts.append((BK_NS + "place", rng.choice(departments)))
        for i, (p, o) in enumerate(facts):
            add(inc, p, o, g)
            if p == BK_NS + "place":
                add(o, rdf_type, node(BK_NS + "Department"), g)
                add(o, name, Literal(place_names[o]), g)
            if i > 4 and rng.random() < 0.5:
                continue  # not every fact carries a quote
            start = rng.randrange(0, text_length - 200)
            end = start + rng.randrange(20, 180)
            if defect == "evidence-past-end" and i == 0:
                end = text_length + 10
            ev = node(f"{g.value}/evidence/{digest[:4]}{i:02d}")
            add(ev, rdf_type, node(BK_NS + "Evidence"), g)
            add(ev, RDF + "subject", inc, g)
            add(ev, RDF + "predicate", node(p), g)
            add(ev, RDF + "object", o, g)
            add(ev, BK_NS + "quote", Literal(f"synthetic quote {i} of article {article}"), g)
            add(ev, BK_NS + "startOffset", integer(start), g)
            add(ev, BK_NS + "endOffset", integer(end), g)
            add(ev, BK_NS + "source", g, g)
    return w.quads


def write_nquads(quads: list[Quad], out: Path) -> None:
    """Write N-Quads atomically (temp file in the same folder, then rename)."""
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("wb") as f:
        serialize(quads, f, format=RdfFormat.N_QUADS)
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="about how many quads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--defects", type=float, default=0.0, help="share of broken articles")
    parser.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    quads = generate(args.triples, args.seed, args.defects)
    t1 = time.perf_counter()
    write_nquads(quads, args.out)
    graphs = len({q.graph_name for q in quads})
    print(
        f"{len(quads)} quads in {graphs} graphs: generated in {t1 - t0:.1f} s, "
        f"written in {time.perf_counter() - t1:.1f} s to {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
