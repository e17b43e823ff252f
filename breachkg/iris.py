"""Deterministic IRIs: the same name or source gives the same IRI on every run and machine.

>>> normalize_name("Softway Medical SAS")
'softway-medical'
>>> normalize_name("SOFTWAY  MÉDICAL")
'softway-medical'
>>> mint_iri("vendor", "Xtrem Santé")
'https://w3id.org/breachkg/id/vendor/xtrem-sante'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from breachkg.vocab import GRAPH_NS, ID_NS

#: Legal-form words dropped from names (French, English, German and other usual forms).
LEGAL_FORMS = frozenset(
    "sa sas sasu sarl eurl sca snc sci gie selarl selas inc incorporated corp corporation "
    "co ltd limited llc llp lp plc gmbh ag bv nv spa srl oy ab as".split()
)
#: Entity kinds that get an IRI under ``id/<kind>/``.
KINDS = frozenset(
    "incident organization establishment vendor software actor marketplace place".split()
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    """NFKD-decompose and drop combining marks: 'Santé' -> 'Sante'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_name(name: str) -> str:
    """Slug of a name: accents dropped, casefolded, legal forms dropped, other runs -> '-'.

    Idempotent: ``normalize_name(normalize_name(x)) == normalize_name(x)``.
    """
    folded = strip_accents(name).casefold().replace("&", " and ")
    words = [w for w in _NON_ALNUM.split(folded) if w]
    kept = [w for w in words if w not in LEGAL_FORMS] or words
    return "-".join(kept)


def short_hash(*parts: object, length: int = 16) -> str:
    """First ``length`` hex digits of the sha256 of the parts joined by a unit separator."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def mint_iri(kind: str, name: str, *qualifiers: str) -> str:
    """IRI ``id/<kind>/<slug>[/<qualifier-slug>...]`` for an entity of ``kind`` named ``name``.

    Qualifiers (a town, a FINESS number) tell homonyms apart; never a counter.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown entity kind {kind!r}")
    slug = normalize_name(name)
    if not slug:
        slug = "h-" + short_hash(name, length=12)
    extra = "".join("/" + (normalize_name(q) or short_hash(q, length=12)) for q in qualifiers if q)
    return f"{ID_NS}{kind}/{slug}{extra}"


def mint_incident_iri(canonical_key: str) -> str:
    """Incident IRI from its canonical co-reference key (see ``breachkg.model``)."""
    return f"{ID_NS}incident/{short_hash(canonical_key)}"


def mint_graph_iri(source_kind: str, key: str) -> str:
    """Named-graph IRI ``graph/<source-kind>/<key>`` for one source."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-") or short_hash(key)
    return f"{GRAPH_NS}{source_kind}/{safe}"


def normalize_text(text: str) -> str:
    """Article text as hashed for its graph IRI: NFC, line ends unified, blank runs folded."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+", " ", text).strip()


def mint_article_graph_iri(text: str) -> str:
    """Graph IRI of an article: the first 16 hex digits of the sha256 of its normalized text."""
    digest = hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:16]
    return mint_graph_iri("article", digest)
