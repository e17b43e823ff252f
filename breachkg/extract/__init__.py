"""Reading article text: numbers, dates, entities, categories, incidents.

``extract_article`` is the one entry point: it splits the text into sentences (with
offsets), reads every sentence, groups sentences into incidents and returns
``breachkg.model.Incident`` values whose facts carry ``Evidence`` pointing into the exact
text given (``text[start:end] == quote``).  The title, when given apart from the text,
is read too; facts found only there carry no evidence.

>>> ex = extract_article("Le centre hospitalier de Nulleville a subi une cyberattaque. "
...     "Les dossiers de 12 345 patients ont été volés le 3 mars 2024.")
>>> ex.language, ex.incidents[0].affected_count.value, ex.incidents[0].occurred.value
('fr', 12345, '2024-03-03')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from breachkg.extract.dates import find_published
from breachkg.extract.incidents import analyse_sentence, attach_usages, build_incident, segment
from breachkg.extract.nlp import detect_language
from breachkg.extract.text import Sentence, split_sentences
from breachkg.model import Incident, Place


@dataclass(frozen=True)
class ArticleExtraction:
    """What one article states: its language, publication date, title and incidents."""

    language: str
    published: str | None
    title: str | None
    incidents: list[Incident] = field(default_factory=list)


def extract_article(
    text: str,
    *,
    title: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> ArticleExtraction:
    """Incidents stated by one article (see the module docstring)."""
    language = language if language in ("fr", "en") else detect_language(f"{title or ''}\n{text}")
    published = published or find_published(text) or (find_published(title) if title else None)
    title_apart = bool(title and not text.lstrip().startswith(title.strip()))
    sentences = split_sentences(text, has_title=not title_apart)
    if title_apart:
        title_sentences = [Sentence(s.text, -1, -1, -1, True) for s in split_sentences(title)]
        sentences = title_sentences + sentences
    facts = []
    context_year: int | None = None
    for s in sentences:
        sf = analyse_sentence(
            s, language=language, published=published, context_year=context_year,
            evidence=s.evidence if s.start >= 0 else None,
        )  # fmt: skip
        facts.append(sf)
        years = [int(d.iso[:4]) for d in sf.dates]
        if years:
            context_year = years[-1]
    default_country = _default_country(facts)
    incidents: list[Incident] = []
    seen: set[str] = set()
    drafts = segment(facts)
    for draft in drafts:
        incident = build_incident(
            draft, language=language, published=published, default_country=default_country
        )
        if incident is not None and incident.key not in seen:
            seen.add(incident.key)
            incidents.append(incident)
    incidents = attach_usages(incidents, facts, drafts)
    if not title:
        first = next((s for s in sentences if s.is_title), None)
        title = first.text if first else None
    return ArticleExtraction(language, published, title, incidents)


def _default_country(facts) -> Place | None:
    """The country the article mentions most, standing for incidents that name no place."""
    counts: Counter[tuple[str, str | None, str | None]] = Counter()
    for sf in facts:
        for m in sf.mentions:
            if m.role == "place" and m.kind == "country":
                counts[(m.country_code or m.name, m.name, m.iri)] += 1
    if not counts:
        return None
    (code, name, iri), _ = counts.most_common(1)[0]
    names = [k[1] for k in counts if k[0] == code]
    return Place(name or names[0], "country", code if len(code) == 2 else None, iri=iri)


__all__ = ["ArticleExtraction", "extract_article"]
