"""Segmenting an article into incidents and giving each the facts of its sentences.

Sentences are read in order.  A sentence opens a new incident when it carries an anchor
(a victim, a count of people, a hospital named after its town) that no incident seen so
far holds and that conflicts with the current one (another victim, a count more than 15 %
away) -- unless it refers back to the incident ("the breach", "cette fuite") or states no
attack at all ("Guy's and St Thomas' had to cancel operations").  It joins an incident
whose victim, count or software it shares; otherwise its facts (data categories, attack
types, places, dates, vendors) go to the current incident.  "comme à Dax ou Villefranche"
and "les centres hospitaliers de Dax, de ... et le CH X" give one incident per hospital.

Generic statements ("30 hôpitaux visés en deux ans", "les hôpitaux sont des cibles
privilégiées") and sentences about other sectors ("Air France et EDF ont été visés") open
nothing and give nothing.  A headline without a count opens no incident of its own: its
facts go to the incident most of the article is about.  An incident that names no victim,
count, software, vendor or date is dropped.

Per incident: specific victims win over collective ones ("laboratoires"), the count is the
most precise figure of the largest cluster of close figures (510 000 over "un
demi-million"), and the date is the earliest stated to the month or day, refined by a
finer date of the same month (periods such as "entre 2015 et 2020" are context).

Supply-chain usages (``Incident.usages``, ``bk:usesSoftware``) come from three places:
usage statements of the incident's sentences ("X utilise le logiciel S", see
``breachkg.extract.usages``; "la clinique" stands for the incident's one named clinic);
victims of an attack through a named software (the sentence naming both in one clause,
else the attack sentence naming the incident's only software), unless a sentence says the
victim does not use it; and victims of a vendor's unnamed product ("le même logiciel,
commercialisé par V" -> "logiciel de V").  Usage statements in sentences no incident took go
to the incident naming the same software, else the first one.  ``Incident.summary`` is the
incident's first body sentence, cut near 200 characters at a word boundary.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from breachkg.extract.categories import find_attack_types, find_data_categories
from breachkg.extract.coref import canonical_key
from breachkg.extract.dates import DateMention, find_dates, is_coarse
from breachkg.extract.entities import (
    CLASS_KIND,
    HEALTH_WORD,
    Mention,
    find_mentions,
    find_town_victims,
)
from breachkg.extract.numbers import Count, find_counts, significant_digits
from breachkg.extract.text import Sentence, fold_text
from breachkg.extract.usages import UsageMention, find_usages, same_clause
from breachkg.iris import mint_iri, normalize_name, short_hash
from breachkg.model import (
    Evidence,
    Incident,
    Marketplace,
    Organization,
    Place,
    Software,
    Stated,
    ThreatActor,
    Usage,
)

_CUE = re.compile(
    r"pirat|hack|fuite|fuit|vol[eé]|\bvol\b|derob|cyber|attaqu|attack|rancon|ransom|breach|leak|"
    r"stolen|steal|stole|intrusion|compromi|exfiltr|en vente|for sale|expos|acces non|unauthori|"
    r"incident|siphon|divulg|disclos|publi|revente|dark ?web|forum|extorsion|extortion|encrypt|"
    r"chiffr"
)
_GENERIC = re.compile(
    r"en l['’]espace d|par (?:semaine|jour|mois|an)\b|chaque (?:annee|semaine|mois|jour)|"
    r"ces dernieres annees|de plus en plus|cibles? (?:privilegiee|preferee|de choix|ideale)|"
    r"multiplication|recrudescence|every (?:year|week|month|day)|per (?:week|month|year)|"
    r"in recent years|increasingly|more and more|favou?rite targets?|prime targets?|"
    r"au moins une par|tous sont|generalement|en general|generally|typically|"
    r"\bsecteur de la sante\b.*\b(?:cible|vulnerab)|en moyenne|on average"
)
_DISCLOSURE = re.compile(
    r"communique|annonc|devoil|revel|disclos|announc|notifi|informe|reported|confirm|statement|"
    r"depose plainte|plainte"
)
_DATELINE_ONLY = re.compile(r"^\W*(?:le\s+|on\s+)?[\w\s,./:-]{0,40}$")
_NON_HEALTH = re.compile(
    r"\bentreprises\b|\binstitutions\b|\bministere\b|\bcompanies\b|\bbanks?\b|\bbanques?\b|"
    r"\bretailers?\b|\bcollectivites\b|\bmairies?\b|\bcommunes\b"
)
#: A definite reference back to the incident being told ("the breach", "cette fuite"), or a
#: revision of its figures: such a sentence continues the current incident.
_ANAPHORA = re.compile(
    r"\b(?:the|this|that) (?:breach|attack|hack|incident|leak|cyberattack|intrusion)\b|"
    r"\b(?:cette|la|ce|le) (?:fuite|attaque|cyberattaque|piratage|intrusion|incident)\b|"
    r"\bl['’](?:attaque|incident|intrusion)\b|\b(?:raised|revised|updated) (?:its|the) "
    r"(?:estimate|count|figure|tally)|\b(?:revu|réévalué|reevalue|rehausse) "
)
_DATA_WORD = re.compile(r"donnees|data|dossiers|records|informations|fichiers|files|details")


@dataclass
class SentenceFacts:
    """What one sentence states, before it is assigned to an incident."""

    sentence: Sentence
    evidence: Evidence | None
    counts: list[Count]
    dates: list[DateMention]
    mentions: list[Mention]
    towns: list[Mention]
    attack_types: list[str]
    categories: list[str]
    cue: bool
    generic: bool
    dateline: bool
    disclosure: bool
    non_health: bool
    anaphora: bool = False
    usages: list[UsageMention] = field(default_factory=list)

    def of(self, role: str) -> list[Mention]:
        return [m for m in self.mentions if m.role == role]

    @property
    def specific_victims(self) -> list[Mention]:
        return [m for m in self.of("victim") if not m.collective]

    @property
    def collective_victims(self) -> list[Mention]:
        return [m for m in self.of("victim") if m.collective]


@dataclass
class Draft:
    """An incident being assembled: the sentence facts assigned to it."""

    facts: list[SentenceFacts] = field(default_factory=list)
    victims: list[tuple[Mention, Evidence | None]] = field(default_factory=list)
    counts: list[tuple[Count, Evidence | None]] = field(default_factory=list)
    anchored: int = 0
    town: Mention | None = None

    def add(self, sf: SentenceFacts, anchored: bool = True, other_victims: bool = True) -> None:
        """Take the sentence's facts; ``other_victims=False`` keeps only victims this
        incident already has (a headline naming the hospital another way)."""
        self.facts.append(sf)
        self.anchored += int(anchored)
        for m in sf.of("victim"):
            if not other_victims and not self.has_victim(m) and self.specific_victims():
                continue
            if self.town is None or m.town or _same_victim(self.town, m):
                self.victims.append((m, sf.evidence))
        for c in sf.counts:
            self.counts.append((c, sf.evidence))

    def specific_victims(self) -> list[Mention]:
        return [v for v, _ in self.victims if not v.collective]

    def has_victim(self, mention: Mention) -> bool:
        return any(_same_victim(v, mention) for v, _ in self.victims)

    def has_count(self, value: int) -> bool:
        return any(_close(c.value, value) for c, _ in self.counts)

    def software_names(self) -> set[str]:
        return {fold_text(m.name) for sf in self.facts for m in sf.of("software") if not m.unnamed}


def _close(a: int, b: int) -> bool:
    return abs(a - b) <= 0.15 * max(a, b)


def _tokens(name: str) -> list[str]:
    return [
        t
        for t in re.split(r"[^a-z0-9]+", fold_text(name))
        if t and t not in {"de", "du", "des", "la", "le", "l", "d", "the", "of"}
    ]


def _same_victim(a: Mention, b: Mention) -> bool:
    if a.iri and b.iri:
        return a.iri == b.iri
    if a.collective and b.collective:
        return a.kind == b.kind
    if a.collective != b.collective:
        return False
    ta, tb = _tokens(a.name), _tokens(b.name)
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    n = len(short)
    return bool(n) and any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def analyse_sentence(
    sentence: Sentence, *, language: str, published: str | None, context_year: int | None,
    evidence: Evidence | None,
) -> SentenceFacts:  # fmt: skip
    """Every fact one sentence states, with no decision yet on which incident it belongs to."""
    text = sentence.text
    folded = fold_text(text)
    dates = find_dates(text, published=published, context_year=context_year)
    attack = find_attack_types(text)
    cue = bool(_CUE.search(folded)) or bool(attack)
    mentions = find_mentions(text, language)
    usages = find_usages(text, mentions)
    if not cue:
        # "S est utilisé par 250 établissements": a counted user, not a victim
        users = {(u.user.start, u.user.end) for u in usages if u.user.collective}
        mentions = [m for m in mentions if not (m.collective and (m.start, m.end) in users)]
    towns = find_town_victims(text) if (attack or cue) and language == "fr" else []
    dateline = bool(dates) and len(text) < 60 and bool(_DATELINE_ONLY.match(folded)) and not cue
    return SentenceFacts(
        sentence=sentence,
        evidence=evidence,
        counts=find_counts(text),
        dates=dates,
        mentions=mentions,
        towns=towns,
        attack_types=attack,
        categories=find_data_categories(text),
        cue=cue,
        generic=bool(_GENERIC.search(folded)),
        dateline=dateline
        or bool(
            re.search(r"mis a jour|updated on|published on|publie le", folded) and len(text) < 90
        ),
        disclosure=bool(_DISCLOSURE.search(folded)),
        non_health=bool(_NON_HEALTH.search(folded)) and not HEALTH_WORD.search(folded),
        anaphora=bool(_ANAPHORA.search(folded)),
        usages=usages,
    )


def segment(facts: list[SentenceFacts], titles_open: bool = False) -> list[Draft]:
    """Group sentence facts into incident drafts (see the module docstring).

    A headline without a count opens no incident of its own: it often names the victim
    differently ("l'hôpital de <town>" for "le centre hospitalier du <pays>"), so its facts
    wait and go to the main incident; only when the body opens none does it count.
    """
    drafts: list[Draft] = []
    pending: list[SentenceFacts] = []
    current: Draft | None = None
    for sf in facts:
        if sf.generic or sf.dateline or (sf.non_health and not sf.counts):
            continue
        if sf.sentence.is_title and not sf.counts and not titles_open:
            pending.append(sf)
            continue
        listed = any(t.listed for t in sf.towns)
        if sf.towns and (listed or not sf.specific_victims):
            # "comme à Dax ou Villefranche", "les centres hospitaliers de Dax, de ... et le
            # CH X": one incident per hospital listed
            others = [
                v
                for v in (sf.specific_victims if listed else [])
                if not v.town and not any(_same_victim(v, t) for t in sf.towns)
            ]
            for town in [*sf.towns, *others]:
                target = next((d for d in drafts if d.has_victim(town)), None)
                if target is None:
                    target = Draft(town=town)
                    drafts.append(target)
                town_sf = _only_town(sf, town)
                target.add(town_sf)
                current = target
            continue
        victims = sf.specific_victims + sf.collective_victims
        counts = [c.value for c in sf.counts]
        has_anchor = bool(victims or counts)
        target = _matching_draft(drafts, sf)
        if target is not None:
            target.add(sf)
            current = target
            continue
        if not has_anchor:
            if current is None:
                pending.append(sf)
            else:
                current.add(sf, anchored=False)
            continue
        if current is not None and (
            not _conflicts(current, sf)
            or not (sf.cue or counts)
            or (sf.anaphora and not sf.specific_victims)
        ):
            current.add(sf)
            continue
        if not (sf.cue or counts or sf.specific_victims):
            if current is not None:
                current.add(sf, anchored=False)
            continue
        current = Draft()
        current.add(sf)
        drafts.append(current)
    if not drafts and not titles_open and any(sf.sentence.is_title for sf in pending):
        return segment(facts, titles_open=True)
    if drafts and pending:
        main = max(drafts, key=lambda d: (d.anchored, -drafts.index(d)))
        for sf in pending:
            main.add(sf, anchored=False, other_victims=False)
    return drafts


def _only_town(sf: SentenceFacts, town: Mention) -> SentenceFacts:
    """The facts of an "à Dax ou Villefranche" sentence as they concern one town."""
    if town.town:
        place = [Mention("place", town.related or town.name, town.start, town.end, "city")]
    else:
        place = []
    mentions = [m for m in sf.mentions if m.role not in ("victim", "place")] + [town, *place]
    return SentenceFacts(
        sf.sentence, sf.evidence, sf.counts, sf.dates, mentions, [], sf.attack_types,
        sf.categories, sf.cue, sf.generic, sf.dateline, sf.disclosure, sf.non_health,
        sf.anaphora, sf.usages,
    )  # fmt: skip


def _matching_draft(drafts: list[Draft], sf: SentenceFacts) -> Draft | None:
    for d in reversed(drafts):
        if any(d.has_victim(v) for v in sf.specific_victims):
            return d
    for d in reversed(drafts):
        if any(d.has_count(c.value) for c in sf.counts):
            if not any(not d.has_victim(v) for v in sf.specific_victims if d.victims):
                return d
    names = {fold_text(m.name) for m in sf.of("software") if not m.unnamed}
    for d in reversed(drafts):
        if names & d.software_names() and not sf.counts and not sf.specific_victims:
            return d
    return None


def _conflicts(d: Draft, sf: SentenceFacts) -> bool:
    victims = sf.specific_victims + sf.collective_victims
    if d.town is not None:
        return True
    if victims and d.victims and not any(d.has_victim(v) for v in victims):
        # a named victim beside a collective one of the same incident is no conflict
        if not (sf.specific_victims and all(v.collective for v, _ in d.victims)):
            return True
    if sf.counts and d.counts and not any(d.has_count(c.value) for c in sf.counts):
        return True
    return False


# --- from drafts to incidents ------------------------------------------------------------


def _org(m: Mention, parents: dict[str, Mention]) -> Organization:
    parent = None
    if m.related and m.role == "vendor":
        p = parents.get(fold_text(m.related))
        parent = Organization(
            m.related, p.kind if p and p.kind else "vendor_group", iri=p.iri if p else None
        )
    kind = m.kind or ("vendor" if m.role == "vendor" else "establishment")
    if m.role == "vendor" and kind not in (
        "publisher",
        "service_provider",
        "vendor_group",
        "vendor",
    ):
        kind = "vendor"
    aliases = (
        (m.surface,) if m.surface and normalize_name(m.surface) != normalize_name(m.name) else ()
    )
    return Organization(
        m.name, kind, parent=parent, aliases=aliases, member_count=m.member_count, iri=m.iri
    )


@functools.cache
def _vendor_index() -> dict[str, Mention]:
    """Registry vendors and establishments by folded name, for parents and publishers."""
    from breachkg.gazetteer import registry_entries

    out = {}
    for e in registry_entries():
        if e.kind in ("vendor", "establishment", "organization"):
            kind = CLASS_KIND.get(e.cls, "vendor" if e.kind == "vendor" else "establishment")
            out[fold_text(e.name)] = Mention("vendor", e.name, 0, 0, kind, e.iri)
    return out


def build_incident(
    draft: Draft, *, language: str, published: str | None, default_country: Place | None
) -> Incident | None:
    """The ``Incident`` a draft describes, or None when it states too little."""
    registry = _vendor_index()
    victims = _final_victims(draft)
    count = _final_count(draft)
    date, date_ev, disclosed = _final_date(draft, published)

    software: dict[str, Stated[Software]] = {}
    vendors: dict[str, Stated[Organization]] = {}
    actors: dict[str, Stated[ThreatActor]] = {}
    markets: dict[str, Stated[Marketplace]] = {}
    places: dict[str, Stated[Place]] = {}
    attacks: dict[str, Stated[str]] = {}
    categories: dict[str, Stated[str]] = {}
    unnamed_software: list[tuple[Mention, SentenceFacts]] = []
    for sf in draft.facts:
        ev = sf.evidence
        for m in sf.of("vendor"):
            key = fold_text(m.name)
            if key not in vendors:
                vendors[key] = Stated(_org(m, registry), ev)
        for m in sf.of("software"):
            if m.unnamed:
                unnamed_software.append((m, sf))
                continue
            key = fold_text(m.name)
            if key not in software:
                software[key] = Stated(_software(m, sf, registry), ev)
        for m in sf.of("actor"):
            actors.setdefault(
                m.iri or fold_text(m.name), Stated(ThreatActor(m.name, iri=m.iri), ev)
            )
        for m in sf.of("marketplace"):
            markets.setdefault(fold_text(m.name), Stated(Marketplace(m.name, iri=m.iri), ev))
        for m in sf.of("place"):
            key = m.iri or normalize_name(m.name)
            if key in places and len(m.name) > len(places[key].value.name):
                places[key] = Stated(replace(places[key].value, name=m.name), places[key].evidence)
            if key not in places:
                places[key] = Stated(
                    Place(m.name, m.kind or "place", m.country_code, iri=m.iri), ev
                )
        for code in sf.attack_types:
            attacks.setdefault(code, Stated(code, ev))
        if len(sf.categories) >= 2 or (
            sf.categories and (sf.cue or _DATA_WORD.search(fold_text(sf.sentence.text)))
        ):
            for code in sf.categories:
                categories.setdefault(code, Stated(code, ev))
    for m, ev in victims:
        place = _victim_place(m)
        if place is not None and (place.iri or normalize_name(place.name)) not in places:
            places[place.iri or normalize_name(place.name)] = Stated(place, ev)
    if not places and default_country is not None:
        places[normalize_name(default_country.name)] = Stated(default_country, None)
    # a vendor that is also named as a victim is a vendor
    vendor_keys = set(vendors)
    victims = [(m, ev) for m, ev in victims if fold_text(m.name) not in vendor_keys]
    if not victims and count is None and not software and not vendors and date is None:
        return None
    count_st = Stated(count[0].value, count[1]) if count else None
    date_st = Stated(date, date_ev) if date else None
    key = canonical_key(
        count=count[0].value if count else None,
        victims=[_slug(m) for m, _ in victims if not m.collective],
        collective_kinds=[m.kind or "establishment" for m, _ in victims if m.collective],
        software=[_slug(s.value) for s in software.values()],
        vendors=[_slug(v.value) for v in vendors.values()],
        places=[normalize_name(p.value.name) for p in places.values()],
        date=date,
        quotes=[sf.sentence.text for sf in draft.facts],
    )
    group = short_hash(key, length=8)
    usages = _usages(draft, victims, unnamed_software, language, group)
    usages = _merge_usages(
        usages
        + _stated_usages(draft.facts, software, registry, group, victims)
        + _implied_usages(draft, victims, software, registry, group)
    )
    victim_orgs = tuple(
        Stated(_cohort(m, group) if m.collective else _org(m, registry), ev) for m, ev in victims
    )
    return Incident(
        key=key,
        victims=victim_orgs,
        software=tuple(software.values()),
        vendors=tuple(vendors.values()),
        threat_actors=tuple(actors.values()),
        marketplaces=tuple(markets.values()),
        attack_types=tuple(attacks[c] for c in sorted(attacks)),
        data_categories=tuple(categories[c] for c in sorted(categories)),
        places=tuple(places.values()),
        usages=tuple(usages),
        summary=_summary(draft),
        affected_count=count_st,
        occurred=None if disclosed else date_st,
        disclosed=date_st if disclosed else None,
    )


def _victim_place(m: Mention) -> Place | None:
    """The town a registry establishment is located in."""
    from breachkg.gazetteer import entry_by_iri

    entry = entry_by_iri(m.place_iri) if m.place_iri else None
    if entry is None:
        return None
    return Place(entry.name, entry.place_kind or "place", entry.country_code, iri=entry.iri)


def _software(m: Mention, sf: SentenceFacts, registry: dict[str, Mention]) -> Software:
    """A named software with its publisher (and the publisher's registry parent group)."""
    publisher = None
    if m.related:
        p = registry.get(fold_text(m.related)) or next(
            (v for v in sf.of("vendor") if fold_text(v.name) == fold_text(m.related)), None
        )
        kind = (p.kind if p else None) or "publisher"
        publisher = Organization(m.related, kind, iri=p.iri if p else None)
        if p is not None and p.iri and kind in VENDOR_KIND_NAMES:
            parent_name = _registry_parent(p.iri)
            if parent_name:
                publisher = Organization(
                    m.related,
                    kind,
                    parent=Organization(parent_name[0], "vendor_group", iri=parent_name[1]),
                    iri=p.iri,
                )
    return Software(m.name, publisher=publisher, iri=m.iri)


VENDOR_KIND_NAMES = ("publisher", "vendor", "service_provider", "vendor_group")


def _registry_parent(iri: str) -> tuple[str, str] | None:
    from breachkg.gazetteer import entry_by_iri

    entry = entry_by_iri(iri)
    if entry is None or not entry.parent:
        return None
    parent = entry_by_iri(entry.parent)
    return (parent.name, parent.iri) if parent else None


def _slug(entity) -> str:
    iri = getattr(entity, "iri", None)
    if iri:
        return iri.rstrip("/").rsplit("/", 1)[-1]
    return normalize_name(entity.name)


def _final_victims(draft: Draft) -> list[tuple[Mention, Evidence | None]]:
    """Specific victims when there are any (each with its longest written form), else one
    collective victim per kind ("laboratoires", with the largest cohort size)."""
    specific = [(m, ev) for m, ev in draft.victims if not m.collective]
    if specific:
        groups: list[list[tuple[Mention, Evidence | None]]] = []
        for m, ev in specific:
            group = next((g for g in groups if _same_victim(g[0][0], m)), None)
            if group is None:
                groups.append([(m, ev)])
            else:
                group.append((m, ev))
        chosen = []
        for group in groups:
            m, ev = group[0]
            surface = max((x.surface or x.name for x, _ in group), key=len)
            chosen.append((replace(m, surface=surface), ev))
        return chosen
    chosen = []
    by_kind: dict[str, list[tuple[Mention, Evidence | None]]] = {}
    for m, ev in draft.victims:
        by_kind.setdefault(m.kind or "establishment", []).append((m, ev))
    for group in by_kind.values():
        best, ev = max(group, key=lambda x: (len(x[0].name), -x[0].start))
        size = max((m.member_count for m, _ in group if m.member_count), default=None)
        name = re.sub(r"^laboratoire\b", "laboratoires", best.name)
        chosen.append(
            (
                Mention(
                    best.role,
                    name,
                    best.start,
                    best.end,
                    best.kind,
                    collective=True,
                    member_count=size,
                ),
                ev,
            )
        )
    return chosen


def _final_count(draft: Draft) -> tuple[Count, Evidence | None] | None:
    counts = [(c, ev) for c, ev in draft.counts]
    if not counts:
        return None
    people = [(c, ev) for c, ev in counts if not c.is_credentials] or counts
    clusters: list[list[tuple[Count, Evidence | None]]] = []
    for c, ev in people:
        for cl in clusters:
            if _close(cl[0][0].value, c.value):
                cl.append((c, ev))
                break
        else:
            clusters.append([(c, ev)])
    best = max(clusters, key=lambda cl: (len(cl), -clusters.index(cl)))
    return max(best, key=lambda x: (significant_digits(x[0].value), -best.index(x)))


def _final_date(draft: Draft, published: str | None) -> tuple[str | None, Evidence | None, bool]:
    candidates: list[tuple[DateMention, SentenceFacts]] = []
    for sf in draft.facts:
        if sf.dateline:
            continue
        for d in sf.dates:
            if d.period:
                continue
            if published and d.iso[: len(published)] > published[: len(d.iso)]:
                continue
            candidates.append((d, sf))
    if not candidates:
        candidates = _intrusion_windows(draft, published)
    if not candidates:
        return None, None, False

    def coarse_iso(item) -> str:
        d, sf = item
        return d.iso[:4] if is_coarse(sf.sentence.text, d) else d.iso

    # the earliest date stated to the month or day (a bare year is often the period the
    # data covers), refined by a finer date of the same month; else the earliest year
    precise = [item for item in candidates if len(coarse_iso(item)) >= 7] or candidates
    earliest = min(precise, key=lambda item: (coarse_iso(item), -len(coarse_iso(item))))
    iso = coarse_iso(earliest)
    finer = [item for item in candidates if coarse_iso(item).startswith(iso)]
    d, sf = max(finer, key=lambda item: (len(coarse_iso(item)), -candidates.index(item)))
    iso = coarse_iso((d, sf))
    disclosed = bool(sf.disclosure) and not re.search(
        r"publication|mis en vente|mise en vente|attaqu|pirat|intrusion",
        fold_text(sf.sentence.text),
    )
    return iso, sf.evidence, disclosed


_COLLECTION = re.compile(
    r"effectu|prelev|analyse|collect|recueilli|soign|treated|seen|visit|sejour|stay|"
    r"admitted|hospitalis|consult|inscrit|enrolled|served"
)
_RANGE_START = re.compile(r"(?:\bentre|\bbetween|\bfrom|\bdu)\s+(?:le\s+|the\s+)?$")


def _intrusion_windows(draft: Draft, published: str | None) -> list:
    """First days of "accessed between March 1 and March 9" windows: the date of an
    intrusion when nothing better is stated (data-collection periods are not)."""
    out = []
    for sf in draft.facts:
        folded = fold_text(sf.sentence.text)
        if sf.dateline or not sf.cue or _COLLECTION.search(folded):
            continue
        for d in sf.dates:
            if d.period and _RANGE_START.search(folded[: d.start]):
                if not published or d.iso[: len(published)] <= published[: len(d.iso)]:
                    out.append((d, sf))
    return out


def _cohort(m: Mention, group: str) -> Organization:
    """A collective victim: its IRI comes from its kind and is qualified by its incident, so
    that "laboratoires" of two different incidents stay two cohorts, while "laboratoires" and
    "laboratoires de biologie médicale" of one incident told by two articles are one."""
    kind = m.kind or "establishment"
    return Organization(
        m.name,
        kind,
        member_count=m.member_count,
        iri=mint_iri("establishment", f"{kind} cohort", group),
    )


def _usages(draft, victims, unnamed_software, language, group) -> list[Stated[Usage]]:
    """Victims of an incident whose software the article leaves unnamed ("le même
    logiciel, commercialisé par V"): each uses "logiciel de V"."""
    out = []
    cohorts = list(victims)
    if not cohorts:
        return out
    for product, sf in unnamed_software:
        # the vendor named right after the product ("le même logiciel, fourni par V"),
        # in its longest form, else the sentence's first vendor
        vendors = sf.of("vendor")
        after = sorted(
            (v for v in vendors if v.start >= product.end), key=lambda v: (v.start, v.start - v.end)
        )
        vendor = after[0] if after else next(iter(vendors), None)
        if vendor is None:
            continue
        registry = _vendor_index()
        publisher = _org(vendor, registry)
        name = f"logiciel de {vendor.name}" if language == "fr" else f"software of {vendor.name}"
        sw = Software(name, publisher=publisher, iri=mint_iri("software", name))
        for cohort, _ in cohorts:
            est = _user_org(cohort, group, registry)
            out.append(Stated(Usage(est, sw), sf.evidence))
    return out


def _user_org(m: Mention, group: str, registry: dict[str, Mention]) -> Organization:
    """The organisation a usage is stated for: a cohort qualified by its incident, else the
    same node the organisation has as victim or vendor."""
    return _cohort(m, group) if m.collective else _org(m, registry)


def _user_key(m: Mention) -> str:
    return m.iri or fold_text(m.name)


def _resolve_user(user: Mention, victims) -> Mention | None:
    """A usage's user; "la clinique" stands for the incident's one named victim of that
    kind (None when there is no single one)."""
    if not user.unnamed:
        return user
    named = [v for v, _ in victims if not v.collective]
    fitting = [v for v in named if user.kind in (v.kind, "establishment")] or (
        named if len(named) == 1 and user.kind == "establishment" else []
    )
    return fitting[0] if len({_user_key(v) for v in fitting}) == 1 else None


def _stated_usages(facts, software, registry, group, victims=()) -> list[Stated[Usage]]:
    """The usages the sentences state in so many words ("X utilise le logiciel S")."""
    out = []
    for sf in facts:
        for u in sf.usages:
            user = _resolve_user(u.user, victims)
            if u.negated or user is None:
                continue
            u = replace(u, user=user)
            st = software.get(fold_text(u.software.name))
            sw = st.value if st else _software(u.software, sf, registry)
            out.append(Stated(Usage(_user_org(u.user, group, registry), sw), sf.evidence))
    return out


def _implied_usages(draft, victims, software, registry, group) -> list[Stated[Usage]]:
    """Victims of an incident through a named software use it: evidence is a sentence
    naming both in one clause with an attack cue, else -- when the incident has a single
    named software -- the attack sentence naming the software.  A statement that the victim
    does not use the software vetoes the edge; a publisher does not "use" its own product."""
    denied = {
        (_user_key(user), fold_text(u.software.name))
        for sf in draft.facts
        for u in sf.usages
        if u.negated and (user := _resolve_user(u.user, victims)) is not None
    }
    attack = [sf for sf in draft.facts if (sf.cue or sf.attack_types) and not sf.generic]
    out = []
    for key, st in software.items():
        sw = st.value
        naming = [sf for sf in attack if any(fold_text(m.name) == key for m in sf.of("software"))]
        for v, _ in victims:
            if (_user_key(v), key) in denied or (
                sw.publisher and fold_text(sw.publisher.name) == fold_text(v.name)
            ):
                continue
            linking = next((sf for sf in naming if _links(sf, v, key)), None)
            if linking is None and len(software) == 1 and naming:
                if any(_names_victim(sf, v) for sf in attack):
                    linking = naming[0]
            if linking is not None:
                out.append(Stated(Usage(_user_org(v, group, registry), sw), linking.evidence))
    return out


def _names_victim(sf: SentenceFacts, v: Mention) -> list[Mention]:
    return [m for m in [*sf.of("victim"), *sf.towns] if _same_victim(m, v)]


def _links(sf: SentenceFacts, v: Mention, key: str) -> bool:
    """The sentence names the victim and the software in one clause."""
    text = sf.sentence.text
    return any(
        same_clause(text, a.start, b.start)
        for a in _names_victim(sf, v)
        for b in sf.of("software")
        if fold_text(b.name) == key
    )


def _merge_usages(usages: list[Stated[Usage]]) -> list[Stated[Usage]]:
    """One usage per (establishment, software) pair, the first evidence kept."""
    out: dict[tuple[str, str], Stated[Usage]] = {}
    for st in usages:
        key = (st.value.establishment.node.value, st.value.software.node.value)
        if key not in out or (out[key].evidence is None and st.evidence is not None):
            out[key] = st
    return list(out.values())


_SUMMARY_LENGTH = 200


def _summary(draft: Draft) -> str | None:
    """The incident's first evidence sentence (a body sentence before the headline), cut
    at a word boundary near 200 characters: the source's own words, as a short quote."""
    quoted = [sf for sf in draft.facts if sf.evidence is not None]
    if not quoted:
        return None
    first = min(quoted, key=lambda sf: (sf.sentence.is_title, sf.evidence.start))
    text = " ".join(first.evidence.quote.split())
    if len(text) <= _SUMMARY_LENGTH:
        return text
    cut = text[:_SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:-–—(")
    return cut + "…"


def attach_usages(
    incidents: list[Incident], facts: list[SentenceFacts], drafts: list[Draft]
) -> list[Incident]:
    """Usages stated in sentences no incident took (a generic "S is used by 250 hospitals"
    paragraph) go to the incident that names the software, else to the first incident."""
    if not incidents:
        return incidents
    taken = {id(sf.sentence) for d in drafts for sf in d.facts}
    leftover = [sf for sf in facts if id(sf.sentence) not in taken and sf.usages]
    if not leftover:
        return incidents
    registry = _vendor_index()
    out = list(incidents)
    for sf in leftover:
        for u in sf.usages:
            if u.negated or u.user.unnamed:
                continue
            name = fold_text(u.software.name)
            i = next(
                (i for i, inc in enumerate(out) if any(
                    fold_text(s.value.name) == name for s in inc.software)),
                0,
            )  # fmt: skip
            inc = out[i]
            sw = next(
                (s.value for s in inc.software if fold_text(s.value.name) == name),
                _software(u.software, sf, registry),
            )
            group = short_hash(inc.key, length=8)
            usage = Stated(Usage(_user_org(u.user, group, registry), sw), sf.evidence)
            out[i] = replace(inc, usages=tuple(_merge_usages([*inc.usages, usage])))
    return out
