"""A VoID + DCAT description of an export, written beside it as ``OUT.void.ttl``.

Why: catalogues (data.gouv.fr, DCAT harvesters, LOD Cloud) and users deciding whether to
download need the size, classes, licence and sources of a dump without parsing it.  The
description is computed from the exported store itself and holds no generation
timestamp, so two exports of the same graph give byte-identical descriptions
(``dcterms:modified`` is the latest source publication date, which only moves with the data).

Each source graph is a ``void:subset`` (its IRI is both the graph name and the Source node),
with its title, publication date and triple count.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from breachkg.iris import short_hash
from breachkg.rdf_io import triples_to_turtle
from breachkg.store import Store
from breachkg.vocab import BASE, BK, DCAT, ID_NS, PREFIXES, SCHEMA, VOID

#: IRI of the breachkg dataset as a whole.
DATASET_IRI = BASE + "dataset"
#: Licence of the data (the code is Apache-2.0).
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DCTERMS = PREFIXES["dcterms"]
XSD = PREFIXES["xsd"]
_RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


def _integer(n: int) -> Literal:
    return Literal(str(int(n)), datatype=NamedNode(XSD + "integer"))


def _count(store: Store, where: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


def dataset_statistics(store: Store) -> dict:
    """VoID figures of the store's union graph (distinct triples, subjects, classes...)."""
    return {
        "triples": _count(store, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"),
        "entities": _count(
            store,
            f"SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(isIRI(?s) && STRSTARTS(STR(?s), '{ID_NS}')) }}",
        ),
        "distinctSubjects": _count(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"),
        "distinctObjects": _count(store, "SELECT DISTINCT ?o WHERE { ?s ?p ?o }"),
        "properties": _count(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"),
        "classes": _count(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }"),
    }


def describe_dataset(
    store: Store, distributions: list[tuple[str, str]] = (), title: str | None = None
) -> list[Triple]:
    """VoID/DCAT triples for the store; ``distributions`` are (file name, media type) pairs."""
    ds = NamedNode(DATASET_IRI)
    triples = [
        Triple(ds, _RDF_TYPE, NamedNode(str(VOID.Dataset))),
        Triple(ds, _RDF_TYPE, NamedNode(str(DCAT.Dataset))),
        Triple(
            ds,
            NamedNode(DCTERMS + "title"),
            Literal(title or "breachkg knowledge graph", language="en"),
        ),
        Triple(
            ds,
            NamedNode(DCTERMS + "description"),
            Literal(
                "Health-sector data breaches and the software supply chain behind them: "
                "incidents, establishments, software and vendors, with the source of every fact.",
                language="en",
            ),
        ),
        Triple(ds, NamedNode(DCTERMS + "license"), NamedNode(DATA_LICENSE)),
        Triple(ds, NamedNode(str(VOID.vocabulary)), NamedNode(PREFIXES["bk"])),
        Triple(ds, NamedNode(str(VOID.vocabulary)), NamedNode(str(SCHEMA))),
        Triple(ds, NamedNode(str(VOID.uriSpace)), Literal(ID_NS)),
    ]
    for name, value in dataset_statistics(store).items():
        triples.append(Triple(ds, NamedNode(str(VOID[name])), _integer(value)))
    classes = store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c"
    )
    for cls, n in classes.rows:
        part = BlankNode("class" + short_hash(cls.value, length=12))
        triples += [
            Triple(ds, NamedNode(str(VOID.classPartition)), part),
            Triple(part, NamedNode(str(VOID["class"])), cls),
            Triple(part, NamedNode(str(VOID.entities)), _integer(int(n.value))),
        ]
    dates: list[Literal] = []
    sizes = {
        row[0].value: int(row[1].value)
        for row in store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ).rows
        if isinstance(row[0], NamedNode)
    }
    about: dict[tuple[str, str], list] = {}
    described = store.select(
        "SELECT ?g ?p ?o WHERE { GRAPH ?g { ?g ?p ?o } "
        f"VALUES ?p {{ <{SCHEMA.name}> <{BK.publishedOn}> <{SCHEMA.url}> }} }}"
    )
    for g, p, o in described.rows:
        about.setdefault((g.value, p.value), []).append(o)
    for graph in store.graphs():
        node = NamedNode(graph)
        triples += [
            Triple(ds, NamedNode(str(VOID.subset)), node),
            Triple(node, _RDF_TYPE, NamedNode(str(VOID.Dataset))),
            Triple(node, NamedNode(str(VOID.triples)), _integer(sizes.get(graph, 0))),
        ]
        for prop, target in (
            (SCHEMA.name, "title"),
            (BK.publishedOn, "issued"),
            (SCHEMA.url, "source"),
        ):
            values = sorted(about.get((graph, str(prop)), []), key=str)
            if not values:
                continue
            value = values[0] if target != "source" else Literal(values[0].value)
            triples.append(Triple(node, NamedNode(DCTERMS + target), value))
            if target == "issued":
                dates.append(values[0])
    if dates:
        latest = max(dates, key=lambda d: (d.value, d.datatype.value))
        triples.append(Triple(ds, NamedNode(DCTERMS + "modified"), latest))
    for file_name, media_type in distributions:
        dist = BlankNode("dist" + short_hash(file_name, media_type, length=12))
        triples += [
            Triple(ds, NamedNode(str(DCAT.distribution)), dist),
            Triple(dist, _RDF_TYPE, NamedNode(str(DCAT.Distribution))),
            Triple(dist, NamedNode(DCTERMS + "title"), Literal(file_name)),
            Triple(dist, NamedNode(str(DCAT.mediaType)), NamedNode(_MEDIA_TYPES + media_type)),
            Triple(dist, NamedNode(DCTERMS + "license"), NamedNode(DATA_LICENSE)),
        ]
        if media_type in (
            "text/turtle",
            "application/trig",
            "application/n-quads",
            "application/ld+json",
        ):
            triples.append(
                Triple(ds, NamedNode(str(VOID.dataDump)), NamedNode(_file_iri(file_name)))
            )
    return triples


def _file_iri(file_name: str) -> str:
    """Where the dump sits relative to the description: a relative reference, made absolute
    under the dataset IRI so the description stays a closed, deterministic graph."""
    from urllib.parse import quote

    return f"{DATASET_IRI}/dump/{quote(file_name)}"


def describe_dataset_turtle(store: Store, distributions: list[tuple[str, str]] = ()) -> bytes:
    """The description as deterministic Turtle."""
    return triples_to_turtle(describe_dataset(store, distributions))
