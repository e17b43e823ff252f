"""Exposed data categories and attack types, read with the shipped SKOS vocabularies.

Every ``skos:prefLabel``/``skos:altLabel`` of ``ontology/vocab/data-categories.ttl`` and
``attack-types.ttl`` becomes a pattern matched on accent-folded, lower-cased text with word
boundaries, longest label first, so "adresse email" is an e-mail and not a postal address.
A few verb forms the labels cannot list ("les données ... volées", "records were stolen")
are added as patterns here.  Negated sentences ("n'auraient pas obtenu ...") and
hypothetical ones ("pourraient viser", "could be used") state no category or attack.

>>> find_data_categories("les noms, dates de naissance et numéros de sécurité sociale")
['date_of_birth', 'name', 'social_security_number']
>>> find_attack_types("une attaque par rançongiciel a paralysé l'hôpital")
['ransomware']
"""

from __future__ import annotations

import functools
import re

from breachkg.extract.text import fold_text

#: Attack types stated by verb forms rather than by a label of the vocabulary.
_EXTRA_ATTACK = {
    "data_theft": r"(?:donnees|dossiers|informations|fichiers|documents|data|records|files)\b[^.;]{0,80}?\b"
    r"(?:volee?s?|derobee?s?|aspiree?s?|exfiltree?s?|siphonnee?s?|stolen|exfiltrated|"
    r"taken|copied|leaked|mis(?:es)? en vente|posted|published online|put up for sale)\b|"
    r"\b(?:vole|derobe|siphonne|exfiltre|steal|stole|stolen|exfiltrated|copied|leaked)\b[^.;]{0,40}?"
    r"\b(?:donnees|dossiers|data|records|files|informations)\b",
    "ransomware": r"\bransomware\b|\brancon\b",
    "unauthorized_access": r"\b(?:acces non[ -]autorise|unauthori[sz]ed (?:party|access|individual)"
    r"|gained access|accessed without|broke into|broken into|break into|s['’]introdui\w*|"
    r"introduits? dans)",
    "credential_theft": r"\b(?:identifiants|mots de passe|credentials|passwords)\b[^.;]{0,60}?"
    r"\b(?:en vente|vol|recuper|stolen|for sale|compromis|compromised|leaked|taken|obtained|harvested|phished)",
    "cyberattack": r"\bcyber[ -]?attaque|\bcyber[ -]?attack|\bcyber[ -]?incident",
}
_NEGATION = re.compile(
    r"\b(?:n['’]\w+ (?:pas|aucune?|jamais)|ne \w+ (?:pas|aucune?)|aucune? (?:donnee|information)|"
    r"pas (?:ete|eu) |not\b|\bno\b|none of|neither|never|"
    r"were not|was not|did not|have not|has not)",
)
#: Negation of an attack: narrower than ``_NEGATION`` ("a portal with no MFA" still states
#: an attack).
_CLAUSE_BREAKS = (", but ", " but ", ", mais ", " mais ", "; ", " ; ", ", while ", ", alors que ")
_ATTACK_NEGATION = re.compile(
    r"\b(?:n['’]\w+ (?:pas|aucune?|jamais)|ne \w+ (?:pas|aucune?)|no (?:evidence|indication|sign)|"
    r"was not|were not|did not|has not|have not|never)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:pourrai\w*|pourront|risqu\w*|a venir|potentielles? attaques?|eventuelles? attaques?|"
    r"se mefier|vigilan\w*|attention aux|could|might|may be used|would|future|beware|"
    r"be on the lookout|watch out)\b"
)


@functools.cache
def _matcher(scheme: str) -> tuple[re.Pattern, dict[str, str]]:
    from breachkg.gazetteer import concept_labels

    label_to_code: dict[str, str] = {}
    for code, labels in concept_labels(scheme).items():
        for label in labels:
            folded = fold_text(label.strip())
            if len(folded) >= 2:
                label_to_code.setdefault(folded, code)
    alternation = "|".join(re.escape(lbl) for lbl in sorted(label_to_code, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), label_to_code


def _find(scheme: str, sentence: str) -> list[tuple[str, int, int]]:
    pattern, table = _matcher(scheme)
    out = []
    for m in pattern.finditer(fold_text(sentence)):
        original = sentence[m.start() : m.end()]
        acronym = any(lbl.isupper() for lbl in _labels_of(scheme, m.group(0)))
        if acronym and len(original) <= 4 and not original.isupper():
            continue
        out.append((table[m.group(0)], m.start(), m.end()))
    return out


@functools.cache
def _labels_of(scheme: str, folded: str) -> tuple[str, ...]:
    from breachkg.gazetteer import concept_labels

    return tuple(
        lbl
        for labels in concept_labels(scheme).values()
        for lbl in labels
        if fold_text(lbl) == folded
    )


def is_negated(sentence: str) -> bool:
    """True when the sentence denies what it lists ("n'ont pas obtenu", "were not")."""
    return bool(_NEGATION.search(fold_text(sentence)))


def is_hypothetical(sentence: str) -> bool:
    """True for risks and warnings ("pourraient", "could", "à venir") rather than facts."""
    return bool(_HYPOTHETICAL.search(fold_text(sentence)))


def find_data_categories(sentence: str) -> list[str]:
    """Data-category codes a sentence names (sorted, unique); none if it is negated."""
    folded = fold_text(sentence)
    negation = _NEGATION.search(folded)
    limit = len(sentence)
    if negation is not None:
        # what comes before the clause that holds the negation is still stated
        clause = max(folded.rfind(sep, 0, negation.start()) for sep in _CLAUSE_BREAKS)
        limit = max(clause, 0)
    return sorted({code for code, _, end in _find("data-category", sentence) if end <= limit})


def find_attack_types(sentence: str) -> list[str]:
    """Attack-type codes a sentence states (sorted, unique); none if hypothetical/negated."""
    if is_hypothetical(sentence) or _ATTACK_NEGATION.search(fold_text(sentence)):
        return []
    codes = {code for code, _, _ in _find("attack-type", sentence)}
    folded = fold_text(sentence)
    for code, pattern in _EXTRA_ATTACK.items():
        if re.search(pattern, folded):
            codes.add(code)
    return sorted(codes)
