"""Names of private individuals in article text, and their masking in what the graph keeps.

The graph records organisations, software and facts, never people: an article saying
"Jeanne Dupont, patiente de la clinique X, a vu son dossier publié" may tell us the clinic
was breached, but the patient's name must not reach the graph through an evidence quote,
a summary or a title.  Names are found by their context: an honorific ("Mme Dupont",
"Ms. O'Hara", "Dr Martin"), an apposition naming a role ("Jeanne Dupont, patiente de",
"Margaret O'Hara, a patient of") or a relation ("her husband, Thomas O'Hara").  Every
occurrence of such a name, and of each of its words, is replaced by bullets of the same
length, so that evidence offsets still index the article text.  Names of organisations
the extractor found are never masked.

>>> names = find_person_names("Jeanne Dupont, patiente de la clinique, a porté plainte.")
>>> sorted(names)
['Dupont', 'Jeanne', 'Jeanne Dupont']
>>> mask_names("Mme Dupont a porté plainte.", names)
'Mme •••••• a porté plainte.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NAME_WORD = (
    r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]*(?:['’][A-ZÀ-ÖØ-Þ]?[a-zà-öø-ÿ]+)?(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?"
)
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_FULL_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}"
_HONORIFIC = re.compile(
    r"\b(?:M\.|Mme|Mmes|Mlle|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Docteur|docteur|Professeur|"
    r"professeur|Pr\.?|Maître)\s+"
    rf"({_NAME})"
)
_ROLES = (
    r"patiente?s?|victimes?|résidente?s?|habitante?s?|mère|père|retraitée?|assurée?|"
    r"salariée?|infirmière?|aide-soignante?|cliente?|adhérente?|"
    r"patients?|residents?|victims?|mother|father|retiree|nurse|customer|member|mom|dad|"
    r"grandmother|grandfather|grand-mère|grand-père"
)
_APPOSITION = re.compile(
    rf"({_FULL_NAME}),\s+(?:\d{{1,3}}\s+(?:ans|years?\s+old),\s+)?"
    rf"(?:(?:un|une|le|la|l['’]|a|an|the|one|elle-même|lui-même)\s+)?(?:{_ROLES})\b"
)
_RELATION = re.compile(
    r"\b(?:husband|wife|son|daughter|partner|brother|sister|mari|épouse|femme|fils|fille|"
    r"frère|sœur|conjointe?|compagne|compagnon)\s*,\s+"
    rf"({_FULL_NAME})"
)
_NOT_NAMES = frozenset(
    "Le La Les Un Une The A An Mme Mlle Mr Mrs Ms Dr Pr Selon According Her His Son Sa Ses".split()
)


def find_person_names(text: str, keep: Iterable[str] = ()) -> set[str]:
    """Names of individuals in ``text`` (each full name and each of its words).

    Names overlapping one in ``keep`` (organisations, software, places the extractor
    found) are left out.
    """
    kept = [k.casefold() for k in keep if k]
    found: set[str] = set()
    for pattern in (_HONORIFIC, _APPOSITION, _RELATION):
        for match in pattern.finditer(text):
            name = match.group(1).strip()
            if any(name.casefold() in k or k in name.casefold() for k in kept):
                continue
            words = [w for w in name.split() if len(w) >= 3 and w not in _NOT_NAMES]
            if not words:
                continue
            found.add(name)
            found.update(words)
    return found


def mask_names(text: str, names: Iterable[str]) -> str:
    """``text`` with every whole-word occurrence of ``names`` replaced by bullets."""
    names = sorted(set(names), key=len, reverse=True)
    if not names or not text:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    return pattern.sub(lambda m: re.sub(r"\w", "•", m.group(0)), text)
