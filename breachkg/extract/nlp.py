"""The language models the extractor loads once: lingua for the language, spaCy for persons.

French person names are told apart with ``fr_core_news_sm`` (only ``tok2vec`` and ``ner``
run; parser, morphologizer and lemmatizer are excluded), and only on the few sentences
where a weak pattern proposed a name, so an article costs a few milliseconds.  English
has no model (none may be downloaded): titles ("Mr", "minister", "CEO") decide instead.

>>> detect_language("Les données de santé de milliers de patients ont été volées.")
'fr'
>>> detect_language("The hospital said patient records were stolen.")
'en'
"""

from __future__ import annotations

import functools
import re

_FR_HINTS = re.compile(r"\b(?:les|des|du|une|est|été|données|pour|dans|avec|qui)\b", re.I)
_EN_HINTS = re.compile(r"\b(?:the|of|and|was|were|has|have|with|that|which|data)\b", re.I)


@functools.cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()


def detect_language(text: str) -> str:
    """'fr' or 'en'; the detector is restricted to those two languages and built once."""
    sample = text[:3000]
    if not sample.strip():
        return "fr"
    found = _detector().detect_language_of(sample)
    if found is not None:
        return found.iso_code_639_1.name.lower()
    return "en" if len(_EN_HINTS.findall(sample)) > len(_FR_HINTS.findall(sample)) else "fr"


@functools.cache
def french_pipeline():
    """fr_core_news_sm with only the named-entity recogniser (and its tok2vec) running."""
    import spacy

    return spacy.load(
        "fr_core_news_sm",
        exclude=["parser", "morphologizer", "lemmatizer", "attribute_ruler", "senter"],
    )


@functools.lru_cache(maxsize=512)
def person_spans(sentence: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of the PER entities spaCy finds in a French sentence."""
    doc = french_pipeline()(sentence)
    return tuple((e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER")


_TITLE_BEFORE = re.compile(
    r"(?:\b(?:M|Mme|Mlle|Dr|Pr|Mr|Mrs|Ms|Me)\.?|\b(?:ministre|minister|président|president|"
    r"directeur|directrice|director|secrétaire|secretary|porte-parole|spokesperson|"
    r"spokesman|spokeswoman|CEO|PDG|député|sénateur|senator|chef|chief|patient|patiente|"
    r"avocat|lawyer|docteur|doctor|professeur|professor|journaliste|journalist|"
    r"chercheur|researcher|expert|analyste|analyst|fondateur|founder)\b)[^.;:]{0,40}$",
    re.IGNORECASE,
)


def is_person(sentence: str, start: int, end: int, language: str) -> bool:
    """True when sentence[start:end] reads as a person's name (never stored)."""
    if _TITLE_BEFORE.search(sentence[max(0, start - 60) : start]):
        return True
    if language != "fr":
        return False
    return any(s <= start < e or start <= s < end for s, e in person_spans(sentence))
