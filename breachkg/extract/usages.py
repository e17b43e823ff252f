"""Who uses which software: the supply-chain statements of one sentence.

An establishment (or a vendor, or a counted cohort) uses a software product when a
sentence says so with a usage verb between the two, in one clause:

* active: "X utilise / utilisait / s'appuie sur / est équipé du / a déployé le logiciel S",
  "X uses / used / relies on / runs / deployed S", "X, a customer of V's S platform",
  "les hôpitaux A, B et C, clients de l'éditeur V, utilisent S" (coordinated subjects);
* passive: "S, utilisé par X et Y", "S is used by 120 hospitals", "S, used by organisations
  including X and Y", "customers of S include X and Y";
* possessive: "X ... through its S server", "Its records system, S, ...".

Users are organisations the sentence already names (registry or role pattern), hospitals
named after their town, or counted cohorts ("250 établissements"); a definite "la
clinique" / "the hospital" (or a possessive with no owner in the sentence) is an *unnamed*
user that the incident resolves to its one named victim.  Software is a named
product (registry, "le logiciel S", "the S software").  A negated verb ("X n'utilise pas
S", "which does not use S") gives a *negated* usage: no edge, and it vetoes the edge an
incident would otherwise imply.  Names merely co-occurring in a sentence give nothing.

>>> from breachkg.extract.entities import find_mentions
>>> s = "Le centre hospitalier de Nulleville utilise le logiciel Zorgmed."
>>> [(u.user.name, u.software.name, u.negated) for u in find_usages(s, find_mentions(s, "fr"))]
[('centre hospitalier de Nulleville', 'Zorgmed', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from breachkg.extract.entities import Mention, find_town_victims, kind_of_head
from breachkg.extract.text import fold_text


@dataclass(frozen=True)
class UsageMention:
    """One usage statement: ``user`` uses ``software`` (or, when ``negated``, does not)."""

    user: Mention
    software: Mention
    negated: bool = False


# Patterns run on accent-folded text (same length as the sentence, so offsets agree).
_ACTIVE_VERB = re.compile(
    r"\b(?:utilis(?:e|es|ent|ait|aient|ant|er|e|ee|es|ees)|"
    r"s['’]\s*appui(?:e|ent|ait|aient|yant)\s+sur|"
    r"(?:est|sont|etait|etaient|a ete|ont ete)\s+equipee?s?\s+(?:de|du|des|d['’])|"
    r"(?:a|ont|avait|avaient)\s+(?:\w+\s+)?deploye|deploie(?:nt)?|"
    r"(?:a|ont|avait|avaient)\s+recours\s+a|recour(?:t|ent|ait|aient)\s+a|"
    r"clients?\s+(?:de|du|d['’])|"
    r"uses|use|used|using|rel(?:y|ies|ied|ying)\s+on|runs|ran|running|"
    r"deploy(?:s|ed)?|(?:is|are|was|were|be(?:en)?)\s+(?:an?\s+)?(?:\w+\s+)?customers?\s+of|"
    r"(?:an?|the)\s+(?:\w+\s+)?customers?\s+of|clients?\s+of)\b"
)
_PASSIVE_VERB = re.compile(
    r"\b(?:(?:est|sont|etait|etaient|a ete|ont ete|is|are|was|were|has been|have been|had been)"
    r"\s+)?(?:(?:\w+ment|widely|also|still|now|aussi|encore|deja|notamment)\s+)?"
    r"(?:utilisee?s?|employee?s?|deployee?s?|used|deployed|relied on|run)\s+"
    r"(?:par|by|dans|chez|in|at|across)\s+"
)
_CUSTOMERS_OF = re.compile(
    r"\b(?:customers|clients|users|utilisateurs)\s+(?:of|de|du|d['’])\s+(?:the |le |la |l['’])?$"
)
_CUSTOMERS_INCLUDE = re.compile(
    r"^(?:\s+\w+)?\s+(?:include|includes|included|including|are|were|comptent|incluent|"
    r"comprennent|sont|etaient|figurent)\s+"
)
_POSSESSIVE = re.compile(r"\b(?:its|their|son|sa|ses|leur|leurs)\s+$")
#: "its records system, CareChart,": the owner's product named in apposition.
_POSSESSIVE_HEAD = re.compile(
    r"\b(?:its|their|son|sa|ses|leur|leurs)\s+(?:[\w-]+\s+){0,2}(?:system|software|platform|"
    r"application|logiciel|plateforme|progiciel)\s*,\s*$"
)
_INSTALLATION = re.compile(
    r"^\s+(?:servers?|instances?|installations?|systems?|environments?|serveurs?|systemes?)\b"
)
_NEGATION_BEFORE = re.compile(
    r"(?:\bne\b|\bn['’]|\bnot\b|n['’]t\b|\bnever\b|\bno longer\b|\bpas\b|\bjamais\b|"
    r"\bplus\b|\bsans\b|\bwithout\b|\bni\b)\W*(?:\w+\W+){0,2}$"
)
_NEGATION_AFTER = re.compile(r"^\W*(?:pas|plus|jamais|aucun|aucune|never|not)\b")
#: Where one clause ends and another begins.
_BOUNDARY = re.compile(
    r"[;:!?]|\.\s|\s(?:mais|but|whereas|while|tandis que|alors que|however|cependant|"
    r"toutefois|pourtant|yet)\s"
)
#: What may separate two coordinated names: "A, B et C", "X and Y".
_COORD = re.compile(
    r"^\s*(?:,|\bet\b|\band\b|&|\bainsi que\b|\bas well as\b|,\s*(?:et|and)\b)\s*"
    r"(?:(?:le|la|les|l['’]|du|de|d['’]|the|its|son|sa|ses)\s*)?"
    r"(?:(?:logiciels?|plateformes?|applications?|software|platforms?|de)\s+)?$"
)
#: The gap between a verb and its object: determiners and a product head noun.
_OBJECT_GAP = re.compile(
    r"^\s*(?:(?:le|la|les|l['’]|un|une|des|du|de|d['’]|son|sa|ses|leur|leurs|the|an?|its|their|"
    r"this|ce|cet|cette|meme|same|tous|toutes|all|also|aussi|toujours|still|depuis|notamment|"
    r"desormais|now|on|logiciels?|progiciels?|plateformes?|applications?|solutions?|outils?|"
    r"software|platforms?|apps?|tools?|systems?|products?|services?|web|metier|"
    r"de gestion(?: \w+)?|en ligne|\d+|pas|plus|jamais|never|not|no longer|aucun)\s*)*"
    r"(?:(?:de|du|d['’])\s*[a-z]+(?:\s+[a-z]+)?\s*){0,2}$"
)
#: A vendor introduced as the supplier ("clients de l'éditeur V", "published by V") is
#: not the user.
_SAME_SUBJECT = re.compile(
    r"^\s*,?\s*(?:et|and|puis|then)\s+(?:(?:il|elle|ils|elles|it|they)\s+)?$"
)
#: The gap between "used by" and its first user: determiners, a count, "such as".
_USER_GAP = re.compile(
    r"^(?:(?:le|la|les|l['’]|des|de|du|the|plusieurs|several|many|some|quelques?|"
    r"about|around|over|nearly|almost|more than|plus de|pres de|environ|au moins|at least)\s*)*"
    r"(?:\d[\d\s.,]*|(?:une|a)\s+\w+aine\s+(?:de|d['’])\s*|(?:a\s+)?dozen\s+)?"
    r"(?:(?:\w+\s+){0,2}(?:including|such as|like|comme|dont|notamment|parmi lesquels)\s+"
    r"(?:(?:le|la|les|l['’]|the)\s*)?)?$"
)
_SUPPLIER_BEFORE = re.compile(
    r"(?:clients?|customers?|editeur|vendor|supplier|fournisseur|prestataire|publisher|"
    r"\bpar|\bby|\bof|\bde)\W+(?:\w+\W+){0,2}$"
)
_SUBJECT_SHORT_GAP = re.compile(
    r"^\s*(?:(?:ne|n['’]|not|also|aussi|still|toujours|deja|already|has|have|had|does|did|"
    r"do|doesn['’]t|didn['’]t|a|ont|avait|avaient|est|sont|etait|etaient|egalement|"
    r"notamment|currently|actuellement|longtemps|never|jamais|no longer|tous|toutes|all|both|"
    r"which|who|qui|that|been|is|are|was|were|will|would|had been|has been)\s*)*$"
)


def _is_user(m: Mention) -> bool:
    if m.role == "victim":
        return not m.collective or bool(m.member_count)
    return m.role == "vendor"


def _clauses(folded: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for b in _BOUNDARY.finditer(folded):
        out.append((start, b.start()))
        start = b.end()
    out.append((start, len(folded)))
    return out


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next((c for c in clauses if c[0] <= pos <= c[1]), (0, 0))


#: "La clinique utilise ...", "the hospital uses ...": the incident's victim, unnamed here.
_DEFINITE = re.compile(
    r"\b(?:[Ll]a|[Ll]e|[Ll]['’]|[Tt]he|[Tt]his|[Cc]ette|[Cc]et)\s*(?P<head>clinique|polyclinique|"
    r"h[ôo]pital|centre hospitalier|établissement|laboratoire|pharmacie|mutuelle|assureur|"
    r"hospital|clinic|laboratory|lab|pharmacy|insurer|health system|trust)\b"
    r"(?!\s+(?:de|du|des|d['’]|of|[A-ZÀ-Þ])|-)"
)


def _users(sentence: str, mentions: list[Mention]) -> list[Mention]:
    users = [m for m in mentions if _is_user(m)]
    for d in _DEFINITE.finditer(sentence):
        if not any(u.start < d.end() and d.start() < u.end for u in mentions):
            kind = kind_of_head(d.group("head"))
            users.append(Mention("victim", d.group(0), d.start(), d.end(), kind, unnamed=True))
    for town in find_town_victims(sentence):
        if any(u.start < town.end and town.start < u.end for u in users):
            continue
        if not town.linked:  # "les hôpitaux de Nulleville, ..." -> "hôpital de Nulleville"
            de = "d’" if fold_text(town.name[:1]) in "aeiouyh" else "de "
            town = replace(town, name=f"hôpital {de}{town.name}")
        users.append(town)
    return sorted(users, key=lambda m: m.start)


def _negated(folded: str, before_start: int, verb_start: int, verb_end: int) -> bool:
    window = folded[max(before_start, verb_start - 30) : verb_start]
    return bool(_NEGATION_BEFORE.search(window) or _NEGATION_AFTER.search(folded[verb_end:]))


def _chain(items: list[Mention], first: Mention, folded: str, forward: bool) -> list[Mention]:
    """``first`` and the mentions coordinated with it ("A, B et C"), in one direction."""
    out = [first]
    ordered = items if forward else list(reversed(items))
    for m in ordered:
        last = out[-1]
        if (forward and m.start < last.end) or (not forward and m.end > last.start):
            continue
        gap = folded[last.end : m.start] if forward else folded[m.end : last.start]
        if _COORD.match(gap):
            out.append(m)
        else:
            break
    return out


def _objects(softwares: list[Mention], start: int, clause_end: int, folded: str, vendors):
    """The software objects right after a verb ending at ``start``."""
    for sw in softwares:
        if sw.start < start or sw.start > clause_end:
            continue
        gap = folded[start : sw.start]
        for v in vendors:  # "V's S": a publisher written before its product
            if start <= v.start and v.end <= sw.start:
                gap = gap.replace(folded[v.start : v.end], " ")
        gap = re.sub(r"['’]s?\s", " ", gap)
        if _OBJECT_GAP.match(gap):
            return _chain(softwares, sw, folded, forward=True)
        return []
    return []


def _subjects(users: list[Mention], verb_start: int, clause_start: int, folded: str, software):
    """The users a verb at ``verb_start`` has for subject: the nearest organisation before it
    (skipping a vendor introduced as the supplier), with those coordinated with it."""
    published_by = {fold_text(s.related) for s in software if s.related}
    candidates = [u for u in users if clause_start <= u.start and u.end <= verb_start]
    for u in reversed(candidates):
        if u.role == "vendor" and (
            fold_text(u.name) in published_by or _SUPPLIER_BEFORE.search(folded[: u.start])
        ):
            continue
        gap = folded[u.end : verb_start]
        if any(o.start >= u.end and o.end <= verb_start and o.role == "victim" for o in users):
            return []
        apposition = gap.lstrip().startswith(",") and len(gap) <= 160
        if not (apposition or (len(gap) <= 40 and _SUBJECT_SHORT_GAP.match(gap))):
            # "n'" and friends sit in the short gap; anything else is another subject
            if not (len(gap) <= 40 and _SUBJECT_SHORT_GAP.match(re.sub(r"n['’]", " ", gap))):
                return []
        return _chain(candidates, u, folded, forward=False)
    return []


def same_clause(sentence: str, a: int, b: int) -> bool:
    """Offsets ``a`` and ``b`` of the sentence fall in one clause (no ";", "mais", "while"
    between them)."""
    lo, hi = sorted((a, b))
    return not _BOUNDARY.search(fold_text(sentence)[lo:hi])


def find_usages(sentence: str, mentions: list[Mention]) -> list[UsageMention]:
    """Usage statements of one sentence (see the module docstring)."""
    softwares = sorted(
        (m for m in mentions if m.role == "software" and not m.unnamed), key=lambda m: m.start
    )
    if not softwares:
        return []
    folded = fold_text(sentence)
    users = _users(sentence, mentions)
    vendors = [m for m in mentions if m.role == "vendor"]
    clauses = _clauses(folded)
    found: dict[tuple[str, str], UsageMention] = {}

    def add(user: Mention, sw: Mention, negated: bool) -> None:
        if fold_text(user.name) == fold_text(sw.related or "") or sw.start == user.start:
            return
        key = (user.iri or fold_text(user.name), sw.iri or fold_text(sw.name))
        if key not in found or negated:
            found[key] = UsageMention(user, sw, negated)

    last_end, last_subjects = -1, []
    for v in _ACTIVE_VERB.finditer(folded):
        c_start, c_end = _clause_of(clauses, v.start())
        objects = _objects(softwares, v.end(), c_end, folded, vendors)
        if not objects:
            continue
        if last_end >= 0 and _SAME_SUBJECT.match(folded[last_end : v.start()]):
            subjects = last_subjects  # "X s'appuie sur S1 et a déployé S2"
        else:
            subjects = _subjects(users, v.start(), c_start, folded, objects)
        if not subjects:
            continue
        last_end, last_subjects = objects[-1].end, subjects
        negated = _negated(folded, subjects[0].end, v.start(), v.end())
        for sw in objects:
            for user in subjects:
                add(user, sw, negated)
    for v in _PASSIVE_VERB.finditer(folded):
        c_start, c_end = _clause_of(clauses, v.start())
        before = [s for s in softwares if c_start <= s.start and s.end <= v.start()]
        if not before or any(
            u.start >= before[-1].end and u.end <= v.start() and u.role == "victim" for u in users
        ):
            continue
        sw = before[-1]
        after = [u for u in users if u.start >= v.end() and u.end <= c_end]
        if not after:
            continue
        if not _USER_GAP.match(folded[v.end() : after[0].start]):
            continue
        negated = _negated(folded, sw.end, v.start(), v.start())
        for user in _chain(after, after[0], folded, forward=True):
            add(user, sw, negated)
    for sw in softwares:
        c_start, c_end = _clause_of(clauses, sw.start)
        head = folded[c_start : sw.start]
        if _CUSTOMERS_OF.search(head):
            tail = _CUSTOMERS_INCLUDE.match(folded[sw.end : c_end])
            after = [u for u in users if tail and u.start >= sw.end + tail.end() and u.end <= c_end]
            if tail and after and _USER_GAP.match(folded[sw.end + tail.end() : after[0].start]):
                for user in _chain(after, after[0], folded, forward=True):
                    add(user, sw, False)
        owned = _POSSESSIVE_HEAD.search(head)
        if owned or (_POSSESSIVE.search(head) and _INSTALLATION.match(folded[sw.end : c_end])):
            owners = [u for u in users if c_start <= u.start and u.end <= sw.start]
            if len({fold_text(u.name) for u in owners}) == 1:
                add(owners[0], sw, False)
            elif not owners and owned:
                # "Its records system, S," with the owner in an earlier sentence
                start = c_start + owned.start()
                owner = Mention("victim", sentence[start : start + 3], start, start + 3,
                                "establishment", unnamed=True)  # fmt: skip
                add(owner, sw, False)
    return list(found.values())


__all__ = ["UsageMention", "find_usages", "same_clause"]
