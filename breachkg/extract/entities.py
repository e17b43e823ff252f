"""Organisations, software, threat actors, marketplaces and places named in a sentence.

Two sources of names, the registry first:

* every label of ``ontology/registry/*.ttl`` (through ``breachkg.gazetteer``) is matched on
  accent-folded text; a linked mention keeps the registry IRI and canonical name;
* names the registry does not know are read from their role in the sentence: a head noun
  ("le centre hospitalier de X", "l'assureur X", "X Hospital"), an apposition ("X, un
  logiciel de ...", "X, l'éditeur du logiciel Y", "X, la maison mère de Y"), an agent
  ("commercialisé par X", "developed by X"), a pseudonym ("qui se fait appeler X",
  "known as X"), a victim construction ("la cyberattaque contre X", "X was hit by").

Collective victims ("des laboratoires", "une trentaine de laboratoires", "identifiants
d'agents de centres hospitaliers") and hospitals named after their town ("comme à Dax")
are recognised too.  People are never returned: a name spaCy tags as a person, or that
follows a title ("l'ancien ministre", "Dr", "CEO"), is dropped.

>>> [(m.role, m.name) for m in find_mentions("Le logiciel Mediboard est édité par Xtrem Santé.", "fr")]
[('software', 'Mediboard'), ('vendor', 'Xtrem Santé')]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from breachkg.extract.nlp import is_person
from breachkg.extract.numbers import find_approximate
from breachkg.extract.text import fold_text

#: Organisation kind of each registry class.
CLASS_KIND = {
    "Hospital": "hospital",
    "Clinic": "clinic",
    "MedicalPractice": "practice",
    "Laboratory": "laboratory",
    "Pharmacy": "pharmacy",
    "HealthInsurer": "insurer",
    "HealthPlatform": "platform",
    "EstablishmentGroup": "group",
    "HealthEstablishment": "establishment",
    "SoftwarePublisher": "publisher",
    "ServiceProvider": "service_provider",
    "VendorGroup": "vendor_group",
    "Vendor": "vendor",
}


@dataclass(frozen=True)
class Mention:
    """A name found in a sentence and the role it plays there.

    ``role`` is victim, vendor, software, actor, marketplace or place; offsets are into
    the sentence.  ``related`` names another mention: a vendor's parent, a software's
    publisher.  ``collective`` marks "des laboratoires"-style victims, ``town`` a hospital
    named after its town.
    """

    role: str
    name: str
    start: int
    end: int
    kind: str | None = None
    iri: str | None = None
    related: str | None = None
    collective: bool = False
    member_count: int | None = None
    town: bool = False
    linked: bool = False
    unnamed: bool = False
    country_code: str | None = None
    surface: str | None = None
    place_iri: str | None = None
    listed: bool = False


# --- names -------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-Þ"
_TOKEN = rf"(?:[{_UP}0-9][\w’'&.+-]*[\w+]|[{_UP}][\w’'&.+-]*s['’](?!\w)|[{_UP}])"
_CONNECT = r"(?:de|du|des|d['’]|la|le|les|l['’]|of|and|&|for|the|sur|en|sous)"
_NAME = rf"(?:{_TOKEN}(?:(?:\s+|\s*-\s*)(?:{_CONNECT}\s*)?{_TOKEN}){{0,5}})"
_NAME_RE = re.compile(_NAME)
_ANYNAME = r"(?:[«\"“'‘]\s*)?(?P<pseudo>[\w.@-]*\w)(?:\s*[»\"”'’])?"
_DET = r"(?:l['’]\s*|le |la |les |du |de la |de l['’]|des |au |aux |à la |à l['’]|un |une |the |a |an )?"

#: Words capitalised at a sentence start, or common nouns, that never are a name alone.
_STOP_NAMES = {
    fold_text(w)
    for w in (
        "Le La Les L Un Une Des Du De Ce Cette Ces Il Elle Ils Elles On Selon Pour Dans Par "
        "Sur Avec Mais Et Ou Donc Or Ni Car Si The A An This That These Those It They He She "
        "We In On At By For With From After Before According But And Or Its Their His Her "
        "France Français Internet Web Covid Santé Health Healthcare Hospital Hôpital Data "
        "Données Monday Tuesday Wednesday Thursday Friday Saturday Sunday Lundi Mardi "
        "Mercredi Jeudi Vendredi Samedi Dimanche Aujourd Today Hier Yesterday Clubic "
        "Libération Zataz CheckNews Reuters AFP BFM Le Monde Figaro TechCrunch BleepingComputer "
        "Google Facebook Twitter WhatsApp LinkedIn Dark DarkWeb Telegram"
    ).split()
}


def _clean_name(name: str) -> str:
    name = name.strip(" ,.;:'’\"«»“”()")
    # drop trailing connector words left by the pattern
    name = re.sub(rf"(?:\s+{_CONNECT})+$", "", name, flags=re.I)
    # drop a leading article written with a capital at the start of a sentence
    name = re.sub(r"^(?:The|A|An|Le|La|Les|L['’]|Un|Une)\s*(?=[A-ZÀ-Þ0-9])", "", name.strip())
    # and a preposition of contrast ("Unlike X, which ...")
    name = re.sub(r"^(?:Unlike|Like|Contrairement à|Comme)\s+(?=[A-ZÀ-Þ0-9])", "", name)
    return name.strip()


def _is_name(name: str) -> bool:
    folded = fold_text(name)
    if not name or folded in _STOP_NAMES or len(name) < 2:
        return False
    if " " not in name and re.fullmatch(r"[A-Z][a-z]+ly|[A-Z][a-z]+ment", name):
        return False  # a capitalised adverb opening the sentence ("Separately", "Également")
    return not all(fold_text(w) in _STOP_NAMES for w in re.split(r"[\s'’-]+", name) if w)


# --- registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Linked:
    role: str
    name: str
    iri: str
    kind: str | None
    related: str | None
    country_code: str | None
    label: str
    located_in: str | None


@functools.cache
def _registry() -> tuple[re.Pattern | None, dict[str, tuple[_Linked, ...]]]:
    from breachkg.gazetteer import entry_by_iri, registry_entries

    roles = {
        "vendor": "vendor",
        "software": "software",
        "establishment": "victim",
        "actor": "actor",
        "marketplace": "marketplace",
        "place": "place",
    }
    table: dict[str, list[_Linked]] = {}
    for entry in registry_entries():
        role = roles.get(entry.kind)
        if role is None:
            continue
        related = None
        ref = entry.parent if role == "vendor" else entry.publisher if role == "software" else None
        if ref:
            target = entry_by_iri(ref)
            related = target.name if target else None
        kind = entry.place_kind if role == "place" else CLASS_KIND.get(entry.cls)
        located = entry.located_in
        for label in entry.labels:
            folded = fold_text(label.strip())
            if len(folded) < 2:
                continue
            table.setdefault(folded, []).append(
                _Linked(
                    role, entry.name, entry.iri, kind, related, entry.country_code, label, located
                )
            )
    if not table:
        return None, {}
    alternation = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), {
        k: tuple(v) for k, v in table.items()
    }


@functools.cache
def hospitals_by_town() -> dict[str, tuple[str, str]]:
    """Folded town name -> (name, iri) of the one registry hospital located there."""
    from breachkg.gazetteer import entry_by_iri, registry_entries

    found: dict[str, list[tuple[str, str]]] = {}
    for e in registry_entries():
        if e.kind == "establishment" and e.cls == "Hospital" and e.located_in:
            town = entry_by_iri(e.located_in)
            if town is not None:
                found.setdefault(fold_text(town.name), []).append((e.name, e.iri))
    return {k: v[0] for k, v in found.items() if len(v) == 1}


def _case_agrees(label: str, original: str) -> bool:
    """A capital in the label is a capital in the text ("Orange" the firm, not the fruit);
    short acronyms must be written all in capitals."""
    if len(label) <= 4 and label.isupper():
        return original.isupper()
    if len(label.split()) >= 3:
        return True  # a long multi-word name is specific whatever its case
    capitals = [i for i, c in enumerate(label) if c.isupper() and i < len(original)]
    if not capitals:
        return True
    if len(capitals) >= 2 and capitals[0] == 0 and " " in label:
        # "centre hospitalier de Versailles": a common noun may open a proper name
        capitals = capitals[1:]
    return all(original[i].isupper() or original[i].isdigit() for i in capitals)


def _registry_mentions(sentence: str) -> list[Mention]:
    pattern, table = _registry()
    if pattern is None:
        return []
    out = []
    folded = fold_text(sentence)
    pos = 0
    while (m := pattern.search(folded, pos)) is not None:
        original = sentence[m.start() : m.end()]
        pos = m.end()
        if not any(_case_agrees(x.label, original) for x in table[m.group(0)]):
            pos = m.start() + 1  # a shorter label may start inside ("groupe Aleo Santé")
            continue
        for linked in table[m.group(0)]:
            if not _case_agrees(linked.label, original):
                continue
            if linked.role == "place" and not original[:1].isupper():
                continue
            name = linked.name
            if linked.role == "place":
                name = _NICKNAMES.get(fold_text(original).replace("’", "'"), original)
            out.append(
                Mention(
                    linked.role, name, m.start(), m.end(), linked.kind, linked.iri,
                    linked.related, linked=True, country_code=linked.country_code,
                    surface=original, place_iri=linked.located_in,
                )
            )  # fmt: skip
            break
    return out


# --- patterns ----------------------------------------------------------------------------

#: Head nouns that are part of an establishment's name: "centre hospitalier de X".
_NAMED_HEADS = [
    (r"centres? hospitaliers? universitaires?|centres? hospitaliers? r[ée]gionaux?|"
     r"centres? hospitaliers?|groupes? hospitaliers?|CHU|CHR|CHRU|CH|GHT|h[ôo]pital|"
     r"polyclinique|clinique|institut|centre de sant[ée]|centre m[ée]dical|EHPAD", None),
]  # fmt: skip
_HEAD_KIND = [
    (r"clinique|polyclinique|clinic", "clinic"),
    (r"laboratoire|labo|laboratory|lab\b|pathology", "laboratory"),
    (r"pharmacie|pharmacy|drugstore", "pharmacy"),
    (r"assureur|mutuelle|insurer|insurance|caisse", "insurer"),
    (r"cabinet|practice|m[ée]decin|doctor", "practice"),
    (r"groupe|group|r[ée]seau|network|chain", "group"),
    (r"plateforme|platform", "platform"),
    (
        r"h[ôo]pital|hospital|hospitalier|CHU|CHR|CH\b|GHT|health system|medical cent|trust",
        "hospital",
    ),
]
_FR_NAMED = re.compile(
    rf"(?<![\w])(?P<head>centre hospitalier(?: universitaire| r[ée]gional| intercommunal)?|"
    rf"groupe hospitalier|CHU|CHR|CHRU|CH|GHT|[hH][ôo]pital|[pP]olyclinique|[cC]linique|"
    rf"[cC]entre de sant[ée]|EHPAD)\s+(?P<name>(?:(?:de|du|des|d['’])\s*)?{_NAME})"
)
_FR_ROLE = re.compile(
    rf"(?i:l['’]\s*|le |la |du |de la |de l['’]|au |à la |à l['’])(?P<head>assureur|mutuelle|"
    rf"groupe|laboratoire|pharmacie|plateforme|organisme|établissement|r[ée]seau|cabinet)"
    rf"(?: (?:de sant[ée]|m[ée]dical|priv[ée]|public|fran[çc]ais|am[ée]ricain|suisse|belge))?\s+"
    rf"(?P<name>{_NAME})"
)
_EN_SUFFIX = re.compile(
    rf"(?P<name>{_TOKEN}(?:\s+(?:{_CONNECT}\s+)?{_TOKEN}){{0,5}}\s+(?P<head>Hospitals?|Medical Cent(?:er|re)s?|"
    rf"Health Systems?|Health Services|Healthcare|Health Care|Health|Clinic|Clinics|NHS (?:Foundation )?Trust|"
    rf"Trust|Pharmacy|Laboratories|Labs|Pathology|Medical Group|Insurance|Health Plan))\b"
)
_EN_ROLE = re.compile(
    rf"\b(?:the |health |healthcare |US |U\.S\. |Australian |British |French )?(?P<head>insurer|health insurer|"
    rf"hospital operator|health system|hospital chain|pharmacy chain|pathology provider|"
    rf"laboratory|lab operator|healthcare provider|health provider|clinic)\s+(?P<name>{_NAME})"
)
_SOFTWARE_HEAD = (
    r"logiciels?|progiciels?|applications?|plateformes?|solutions?|outils?|portails?|"
    r"comptes?(?: professionnels?)?|espaces?(?: professionnels?)?|messageries?|"
    r"software|platforms?|applications?|apps?|portals?|tools?|systems?|products?"
)
_SW_AFTER_HEAD = re.compile(
    rf"\b(?P<head>{_SOFTWARE_HEAD})(?: (?:web|métier|metier|de gestion|en ligne|called|named|"
    rf"known as|dubbed|de gestion de sant[ée]))?"
    # "le logiciel de dossier patient X": a lower-case description before the name
    rf"(?:\s+(?:de|du|d['’])\s*(?!(?:la|le|les|l['’]|soci[ée]t[ée]|groupe|entreprise|firme|"
    rf"l['’][ée]diteur)\b)[a-zà-ÿ]+(?:\s+(?!(?:par|de|du|des|et|ou)\b)[a-zà-ÿ]+)?){{0,2}}"
    rf"\s+(?P<name>{_NAME})"
)
#: "its records system, CareChart, is ...": the name in apposition after the head.
_SW_HEAD_APPOSITION = re.compile(
    rf"\b(?:[Ii]ts|[Tt]heir|[Ss]on|[Ss]a|[Ll]eurs?)\s+(?:[\w-]+\s+){{0,2}}(?:system|software|"
    rf"platform|application|logiciel|plateforme|progiciel)\s*,\s+(?P<name>{_NAME})\s*,"
)
_SW_APPOSITION = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:un|une|le|la|son|sa|leur|a|an|the|its|their)\s+(?:\w+\s+){{0,2}}"
    rf"(?:logiciel|application|plateforme|solution|progiciel|outil|software|platform|"
    rf"application|app|tool|file[- ]transfer)"
)
_EN_SW_BEFORE_HEAD = re.compile(
    rf"(?P<name>{_NAME})\s+(?:(?:file[- ]transfer|file[- ]sharing|patient|practice management|"
    rf"electronic health record|EHR|billing)\s+)?(?:software|platform|application|app|tool|"
    rf"portal|system|product|service)\b"
)
_VENDOR_AGENT = re.compile(
    rf"\b(?:commercialis|[ée]dit|d[ée]velopp|con[çc]u|fourni|distribu|vendu|exploit|h[ée]berg|"
    rf"g[ée]r|developed|made|sold|provided|published|marketed|supplied|built|maintained|"
    rf"hosted)\w*\s+(?:par|by)\s+(?:la soci[ée]t[ée] |l['’]entreprise |"
    rf"l['’][ée]diteur |le groupe |the company |the firm |the vendor )?(?P<name>{_NAME})"
)
_VENDOR_ROLE_AFTER = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:l['’]\s*|le |la |son |sa |leur |an? |the |its )?(?:\w+\s+){{0,3}}?"
    rf"(?P<role>[ée]diteur|prestataire|fournisseur|d[ée]veloppeur|concepteur|h[ée]bergeur|"
    rf"sous-traitant|int[ée]grateur|op[ée]rateur|vendor|supplier|provider|contractor|developer|maker|operator|"
    rf"software company|technology company|IT company|firm)"
    rf"(?:\s+(?:du|de|des|of|for)\s+(?:(?:logiciel|software|la solution|l['’]application|la plateforme)\s+)?(?P<product>{_NAME})?)?"
)
_VENDOR_PAIR = re.compile(
    rf"(?P<name>{_TOKEN}(?:\s+{_TOKEN}){{0,3}})\s+(?:et|and)\s+(?P<name2>{_TOKEN}(?:\s+{_TOKEN}){{0,3}}),\s+"
    rf"(?:deux|les|des|two|both|the)\s+(?:\w+\s+)?(?:opérateurs|operateurs|prestataires|"
    rf"fournisseurs|éditeurs|editeurs|sous-traitants|h[ée]bergeurs|operators|providers|vendors|"
    rf"suppliers|contractors|software (?:companies|firms|makers))"
)
_VENDOR_ROLE_BEFORE = re.compile(
    rf"\b(?:l['’]\s*|le |la |son |sa |the |its |IT |software )(?:[ée]diteur|prestataire|fournisseur|"
    rf"sous-traitant|h[ée]bergeur|vendor|supplier|contractor|service provider|provider|"
    rf"software (?:maker|company|firm|provider|vendor)|technology (?:company|firm|provider))"
    rf"(?: (?:informatique|de logiciels?|de sant[ée]|fran[çc]ais|am[ée]ricain|technologique|"
    rf"IT|tech))?(?:,?\s+(?:la soci[ée]t[ée]|l['’]entreprise|the company|the firm))?\s+(?P<name>{_NAME})"
)
_PARENT = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:la |sa |the |its )?(?:maison[- ]m[èe]re|soci[ée]t[ée][- ]m[èe]re|"
    rf"groupe propri[ée]taire|parent company|parent|owner)\s+(?:de |d['’]|du |of )\s*(?P<child>{_NAME})"
)
_SUBSIDIARY = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:la |une |a |the )?(?:filiale|subsidiary|unit|division)"
    rf"(?:\s+\w+)?\s+(?:de |d['’]|du |of )\s*(?P<parent>{_NAME})?"
)
_ACTOR = [
    re.compile(rf"\b(?:se fait appeler|se faisant appeler|surnomm[ée]e?|alias|sous le (?:pseudonyme|pseudo|nom)(?: de)?|"
               rf"going by|goes by|calls? (?:himself|herself|itself|themselves)|known as|dubbed|"
               rf"under the (?:alias|handle|name|pseudonym)|nicknamed)\s+{_ANYNAME}"),
    re.compile(rf"\b(?:groupe|gang|collectif)\s+(?:de (?:hackers|pirates|cybercriminels|rançongiciel|ransomware)\s+|"
               rf"cybercriminel\s+|de hackers\s+)(?P<name>{_NAME})"),
    re.compile(rf"\b(?:revendiqu\w+|claimed|perpetrated|carried out)\s+(?:par|by)\s+(?:le groupe |the group |the gang |"
               rf"les hackers de |les pirates de )?(?P<name>{_NAME})"),
    re.compile(rf"\b(?:the |le |la )?(?P<name>{_NAME})\s+(?:ransomware\s+)?(?:gang|group|crew|operators|affiliates?|"
               rf"hackers|cybercriminal group|hacking group|operation)\b"),
    re.compile(rf"\b(?:groupe|gang)\s+(?:de\s+)?(?:rançongiciel|ransomware)\s+(?P<name>{_NAME})"),
    re.compile(rf"\b(?:threat actor|hacker|pirate|cybercriminel|seller|vendeur)\s+{_ANYNAME}(?=\s*[,)]|\s+(?:a|has|claims|claimed|affirme|indique)\b)"),
]  # fmt: skip
_NOT_ACTOR = re.compile(
    r"-(?:based|linked|backed|sponsored|affiliated|speaking)$|^(?:State|Russian|Chinese|North Korean|Iranian)$"
)
_MARKET = re.compile(
    rf"\b(?:forum|marketplace|market|place de march[ée]|site)\s+(?P<name>{_TOKEN})\b|"
    rf"\bsur\s+(?P<name2>{_TOKEN}),\s+un forum"
)
_VICTIM_CONSTRUCTION = [
    re.compile(rf"\b(?:cyberattaque|cyber-attaque|attaque|piratage|intrusion|fuite de données|rançongiciel|"
               rf"attack|cyberattack|breach|hack|intrusion|incident|ransomware attack)s?\s+(?:informatique\s+)?"
               rf"(?:contre|visant|chez|subie par|dont a été victime|at|on|against|targeting|affecting|hitting)\s+"
               rf"{_DET}(?P<name>{_NAME})"),
    re.compile(rf"(?P<name>{_NAME})\s+(?:a été|ont été|avait été|est|was|were|has been|had been|have been)\s+"
               rf"(?:victime|la cible|visée?s?|ciblée?s?|piratée?s?|attaquée?s?|hit|breached|attacked|"
               rf"targeted|compromised|hacked|struck)"),
    re.compile(rf"(?P<name>{_NAME})\s+(?:a subi|subit|a été frappée?|suffered|disclosed|reported|confirmed|"
               rf"announced|revealed|said)\s+(?:une?|a|an|that|the)?\s*(?:\w+\s+){{0,3}}?(?:cyberattaque|"
               rf"attaque|piratage|fuite|incident|cyberattack|attack|breach|data breach|ransomware|hack)"),
]  # fmt: skip
#: "Quest Diagnostics said that about 11.9 million of its patients", "LabCorp reported
#: about 7.7 million affected patients": the organisation whose people are counted.
_REPORTING_VICTIM = re.compile(
    rf"(?P<name>{_NAME})\s+(?:said|reported|disclosed|announced|confirmed|notified|estimated|"
    rf"a indiqué|a annoncé|a révélé|a confirmé|a signalé|indique|annonce|estime)\b"
    rf"(?=[^;]*\b(?:its|their|ses|leurs)\s+(?:\w+\s+)?(?:patients|customers|members|clients|"
    rf"adhérents|assurés|enrollees|employees)|[^;]*\d[^;]*\b(?:patients|customers|members|"
    rf"adhérents|assurés|enrollees|people|individuals|personnes)\b)"
)
#: "X, which runs 16 hospitals," / "X, qui exploite une vingtaine de cliniques,".
_OPERATOR_VICTIM = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:which|that|qui)\s+(?:runs|operates|owns|manages|has|exploite|"
    rf"g[èe]re|regroupe|compte|poss[èe]de)\s+(?:[\w'’-]+\s+){{0,4}}?(?P<head>hospitals|clinics|"
    rf"laboratories|labs|pharmacies|practices|h[ôo]pitaux|cliniques|laboratoires|pharmacies|"
    rf"centres|cabinets|[ée]tablissements|EHPAD)\b"
)
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|from|of|by|en|à|a|de|du|dans|par)\s+$", re.I)
_VENDOR_LIST = re.compile(
    rf"\b(?i:deux|trois|les|des|two|three|the)\s+(?:op[ée]rateurs|prestataires|fournisseurs|"
    rf"[ée]diteurs|sous-traitants|h[ée]bergeurs|operators|providers|vendors|suppliers|contractors)"
    rf"(?:\s+[\w'’-]+){{0,4}}?,\s+(?P<name>{_TOKEN}(?:\s+{_TOKEN}){{0,3}})"
    rf"(?:\s*(?:,|et|and)\s+(?P<name2>{_TOKEN}(?:\s+{_TOKEN}){{0,3}}))?,"
)
HEALTH_WORD = re.compile(
    r"sant|health|hospit|hopit|clini|medic|medec|patient|pharma|labo|care|bio|chu\b|chr\b|"
    r"mutuel|assur|insur|soins|doctor|nurs|infirm|radiolog|patholog|dental|dentaire",
)
_TOWNTOKEN = rf"(?:[{_UP}][\w’'-]*\w)"
_TOWN = re.compile(
    rf"\b(?:comme |notamment |ainsi qu['’]|et |ou |,\s*)?(?:à|a)\s+(?P<towns>{_TOWNTOKEN}(?:[\s-]+(?:sur|en|de|les|la|le|d['’])?[\s-]*{_TOKEN}){{0,3}}"
    rf"(?:\s*(?:,|ou|et|ou à|et à)\s+{_TOWNTOKEN}(?:[\s-]+(?:sur|en|de|les|la|le)?[\s-]*{_TOKEN}){{0,3}})*)"
)
_COLLECTIVE = re.compile(
    r"(?P<head>laboratoires?|labos|centres hospitaliers|hôpitaux|hopitaux|cliniques|pharmacies|"
    r"cabinets(?: médicaux| de radiologie)?|établissements de santé|etablissements de sante|"
    r"établissements|centres de santé|ehpad|hospitals|clinics|laboratories|labs|pharmacies|"
    r"medical practices|practices|health systems|healthcare providers|providers|nursing homes)"
    r"(?P<mod>(?: (?:de biologie médicale|de biologie|d['’]analyses?(?: médicales)?|médicaux|"
    r"privés|publics|français|américains|suisses|belges|britanniques|of [A-Z][\w-]+|"
    r"universitaires|régionaux|[a-zé]+(?:ais|ois|iens))){0,2})",
    re.IGNORECASE,
)
_COLLECTIVE_BEFORE = re.compile(
    r"(?:(?:dérob|vol|aspir|siphonn|récupér|subtilis|pris|stolen|taken|exfiltrated|copied)\w*\s+"
    r"(?:à|aux|chez|dans|from|at)\s+(?:des |les |plusieurs |several |many |multiple )?|"
    r"(?:provien\w*|proven\w*|issue?s? d[eu']s?|originat\w* from|came from|come from|belong\w* to)"
    r"\s*(?:d['’]|de |des |from )?(?:une? |des |les |plusieurs |several |multiple |\d+ )?|"
    r"(?:identifiants|comptes|agents|personnels?|employés|salariés|soignants|staff|employees|"
    r"credentials|accounts|workers)(?: d['’]agents| de personnels?)?\s+(?:de |d['’]|des |of |at )"
    r"(?:plusieurs |several |\d+ )?)\s*$",
    re.IGNORECASE,
)
_COHORT_BEFORE = re.compile(
    r"(?:\b(?:une|a)\s+(?:dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|"
    r"soixantaine|centaine|dozen)\s+(?:de |d['’]|of )|\b(?P<n>\d+|deux|trois|quatre|cinq|six|sept|"
    r"huit|neuf|dix|two|three|four|five|six|seven|eight|nine|ten)\s+)(?:autres\s+|other\s+)?$",
    re.IGNORECASE,
)
_SMALL = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10,
}  # fmt: skip
_SINGULAR_ESTABLISHMENT = re.compile(
    r"\b(?:un|une|le|la|l['’]|a|an|the)\s*(?P<head>cabinet(?: médical| de radiologie)?|clinique|hôpital|"
    r"laboratoire|pharmacie|centre hospitalier|medical practice|practice|clinic|hospital|pharmacy|"
    r"laboratory)\s+(?P<adj>[a-zéèêëàâîïôûüç-]+(?:ois|oise|ais|aise|ien|ienne|in|ine|ain|aine|an|ane|ese|ish))\b"
)
_NATIONALITY = re.compile(
    r"chain|main|certain|prochain|voisin|fran[çc]ais|anglais|am[ée]ricain|britannique|allemand|belge|suisse|canadien|europ[ée]en|"
    r"espagnol|italien|australien|irlandais|public|priv[ée]|local|r[ée]gional|national|"
    r"american|british|french|german|canadian|australian|european|local|regional|rural|urban"
)
#: "Ascension, one of the largest US health systems," / "X, un groupe de cliniques privées".
_APPOSITION_VICTIM = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:one of the (?:\w+\s+){{0,4}}|an? (?:\w+\s+){{0,3}}|the (?:\w+\s+){{0,3}}|"
    rf"(?i:l['’]un des|l['’]une des|un|une|le|la) (?:\w+\s+){{0,3}})"
    rf"(?P<head>health systems?|hospital (?:operators?|chains?|groups?|networks?)|hospitals?|"
    rf"health insurers?|insurers?|clinics?|laborator(?:y|ies)|labs?|pharmacy chains?|pharmacies|"
    rf"healthcare providers?|health networks?|groupes? hospitaliers?|h[ôo]pitaux|h[ôo]pital|"
    rf"cliniques?|laboratoires?|assureurs?|mutuelles?|groupes? de cliniques)\b"
)
_SAME_SOFTWARE = re.compile(
    r"\b(?:le |un |the )?(?:même|meme|same|common|single|shared)\s+(?:logiciel|software|application|"
    r"platform|plateforme|progiciel)", re.IGNORECASE,
)  # fmt: skip
#: Demonyms that place an incident: pattern, French name, English name, country code.
_DEMONYMS = [
    (
        r"\bfran[çc]ais(?:es?)?\b|\bl['’]hexagone\b|\bfrench\b|\bhexagone\b",
        "France",
        "France",
        "FR",
    ),
    (r"\bam[ée]ricains?(?:es?)?\b|\bamericans?\b", "États-Unis", "United States", "US"),
    (r"\bsuisses?\b|\bswiss\b", "Suisse", "Switzerland", "CH"),
    (r"\bbritanniques?\b|\bbritish\b|\bbritons?\b", "Royaume-Uni", "United Kingdom", "GB"),
    (r"\baustraliens?(?:nes?)?\b|\baustralians?\b", "Australie", "Australia", "AU"),
    (r"\bbelges?\b|\bbelgian\b", "Belgique", "Belgium", "BE"),
    (r"\bcanadiens?(?:nes?)?\b|\bcanadians?\b", "Canada", "Canada", "CA"),
    (r"\bneuch[âa]telois(?:es?)?\b", "Neuchâtel", "Neuchâtel", "CH"),
]
_DEMONYM_KIND = {"Neuchâtel": "city"}
#: Nicknames of a country that are not its name ("l'Hexagone" for France).
_NICKNAMES = {"hexagone": "France", "l'hexagone": "France"}


def _kind_of(head: str) -> str:
    for pattern, kind in _HEAD_KIND:
        if re.search(pattern, head, re.IGNORECASE):
            return kind
    return "establishment"


def kind_of_head(head: str) -> str:
    """The organisation kind a head noun names: "clinique" -> clinic, "hospitals" -> hospital."""
    return _kind_of(head)


def _mention(role: str, m: re.Match, group: str = "name", **kw) -> Mention | None:
    if m.group(group) is None:
        return None
    raw = m.group(group)
    name = _clean_name(raw)
    if not _is_name(name):
        return None
    start = m.start(group) + raw.find(name)
    return Mention(role, name, start, start + len(name), **kw)


def find_mentions(sentence: str, language: str = "fr") -> list[Mention]:
    """Mentions of one sentence, registry links first, then role patterns; no persons."""
    linked = _registry_mentions(sentence)
    found: list[Mention] = list(linked)
    found += _pattern_mentions(sentence, language)
    found += _collective_mentions(sentence)
    found += _place_mentions(sentence, found, language)
    return _attach_publishers(sentence, _resolve(sentence, found, language))


#: "S, édité par V", "the S software made by V": V publishes S.
_PUBLISHED_BY = re.compile(
    r"^[\s,]*(?:(?:qui |which |that )?(?:est |sont |is |was |are |a ete |has been )?"
    r"(?:[\w-]+\s+){0,6}?)?(?:edite|developpe|commercialise|concu|published|developed|made|"
    r"sold|marketed|built|written|supplied|provided|fourni|distribue)e?s?\s+(?:par|by)\s+(?:la societe |l['’]entreprise |"
    r"l['’]editeur |le groupe |the company |the firm |the vendor )?$"
)


def _attach_publishers(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """A software with no known publisher gets the vendor an agent phrase names after it."""
    folded = fold_text(sentence)
    out = list(mentions)
    for i, sw in enumerate(out):
        if sw.role != "software" or sw.related or sw.unnamed:
            continue
        for v in out:
            if v.role == "vendor" and v.start >= sw.end and v.start - sw.end <= 90:
                if _PUBLISHED_BY.match(folded[sw.end : v.start]):
                    out[i] = replace(sw, related=v.name)
                break
    return out


def _pattern_mentions(sentence: str, language: str) -> list[Mention]:
    out: list[Mention] = []
    for m in _FR_NAMED.finditer(sentence):
        name_part = _clean_name(m.group("name"))
        if not _is_name(re.sub(r"^(?:de|du|des|d['’])\s*", "", name_part)):
            continue
        full = _clean_name(m.group(0))
        out.append(
            Mention("victim", full, m.start(), m.start() + len(full), _kind_of(m.group("head")))
        )
    for m in _FR_ROLE.finditer(sentence):
        mention = _mention("victim", m, kind=_kind_of(m.group("head")))
        if mention and not re.match(r"(?:de|d['’])\s", sentence[m.end("head") :].lstrip()):
            out.append(mention)
    for m in _EN_SUFFIX.finditer(sentence):
        name = _clean_name(m.group("name"))
        lead = re.sub(r"^(?:The|A|An)\s+", "", name)
        if _is_name(lead.rsplit(" ", 1)[0]) and len(lead.split()) >= 2:
            start = m.start("name") + m.group("name").find(lead)
            for part, offset in _split_coordinated(lead):
                out.append(
                    Mention(
                        "victim", part, start + offset, start + offset + len(part), _kind_of(part)
                    )
                )
    for m in _EN_ROLE.finditer(sentence):
        mention = _mention("victim", m, kind=_kind_of(m.group("head")))
        if mention:
            out.append(mention)
    for pattern in (_SW_AFTER_HEAD, _SW_APPOSITION, _EN_SW_BEFORE_HEAD, _SW_HEAD_APPOSITION):
        for m in pattern.finditer(sentence):
            mention = _mention("software", m)
            if mention:
                out += _split_possessive(mention)
    for m in _VENDOR_AGENT.finditer(sentence):
        mention = _mention("vendor", m, kind="publisher")
        if mention:
            out.append(mention)
    for m in _VENDOR_ROLE_AFTER.finditer(sentence):
        product = _clean_name(m.group("product") or "")
        mention = _mention("vendor", m, kind="publisher")
        if mention:
            out.append(mention)
            if product and _is_name(product):
                start = m.start("product")
                out.append(
                    Mention("software", product, start, start + len(product), related=mention.name)
                )
    for m in _VENDOR_LIST.finditer(sentence):
        out += [
            x
            for x in (
                _mention("vendor", m, kind="service_provider"),
                _mention("vendor", m, "name2", kind="service_provider")
                if m.group("name2")
                else None,
            )
            if x
        ]
    for m in _VENDOR_PAIR.finditer(sentence):
        out += [
            x
            for x in (
                _mention("vendor", m, kind="service_provider"),
                _mention("vendor", m, "name2", kind="service_provider"),
            )
            if x
        ]
    for m in _VENDOR_ROLE_BEFORE.finditer(sentence):
        mention = _mention("vendor", m, kind="vendor")
        if mention:
            out.append(mention)
    structural: list[Mention] = []
    for m in _PARENT.finditer(sentence):
        parent = _mention("vendor", m, kind="vendor_group")
        child = _mention(
            "vendor", m, "child", kind="publisher", related=parent.name if parent else None
        )
        structural += [x for x in (parent, child) if x]
    for m in _SUBSIDIARY.finditer(sentence):
        parent = _mention("vendor", m, "parent", kind="vendor_group") if m.group("parent") else None
        child = _mention("vendor", m, kind="publisher", related=parent.name if parent else None)
        structural += [x for x in (parent, child) if x]
    # "X, la maison mère de Y" says who owns whom, not that either sells software: keep
    # these as vendors only beside a vendor or software the sentence names otherwise
    if structural and (
        any(x.role in ("vendor", "software") for x in out) or _registry_vendor_in(sentence)
    ):
        out += structural
    for i, pattern in enumerate(_ACTOR):
        for m in pattern.finditer(sentence):
            group = "pseudo" if "pseudo" in pattern.groupindex else "name"
            raw = m.group(group)
            if not raw:
                continue
            name = raw if group == "pseudo" else _clean_name(raw)
            if group == "pseudo" and (
                len(name) < 3
                or fold_text(name) in _STOP_NAMES
                or (i > 0 and not re.search(r"[A-Z0-9_]", name))
            ):
                continue
            if group == "name" and (not _is_name(name) or _NOT_ACTOR.search(name)):
                continue
            start = m.start(group) + raw.find(name)
            out.append(Mention("actor", name, start, start + len(name)))
    for m in _MARKET.finditer(sentence):
        group = "name" if m.group("name") else "name2"
        mention = _mention("marketplace", m, group)
        if mention:
            out.append(mention)
    for m in _SAME_SOFTWARE.finditer(sentence):
        out.append(Mention("software", m.group(0), m.start(), m.end(), unnamed=True))
    folded = fold_text(sentence)
    health = bool(HEALTH_WORD.search(folded))
    for pattern in _VICTIM_CONSTRUCTION:
        for m in pattern.finditer(sentence):
            mention = _mention("victim", m, kind="establishment")
            if mention and (health or HEALTH_WORD.search(fold_text(mention.name))):
                if not is_person(sentence, mention.start, mention.end, language):
                    out.append(
                        replace(
                            mention,
                            kind=_kind_of(mention.name)
                            if HEALTH_WORD.search(fold_text(mention.name))
                            else "establishment",
                        )
                    )
    for m in _APPOSITION_VICTIM.finditer(sentence):
        mention = _mention("victim", m, kind=_kind_of(m.group("head")))
        if mention:
            out.append(mention)
    for m in _OPERATOR_VICTIM.finditer(sentence):
        mention = _mention("victim", m, kind=_kind_of(m.group("head")))
        if mention:
            out.append(mention)
    for m in _REPORTING_VICTIM.finditer(sentence):
        if _PREPOSITION_BEFORE.search(sentence[: m.start()]):
            continue  # "an insurer in Texas reported": the place is not the reporter
        mention = _mention("victim", m, kind="establishment")
        if mention and not is_person(sentence, mention.start, mention.end, language):
            out.append(replace(mention, kind=_kind_of(mention.name)))
    for m in _SINGULAR_ESTABLISHMENT.finditer(sentence):
        if _NATIONALITY.fullmatch(m.group("adj")):
            continue
        name = f"{m.group('head')} {m.group('adj')}"
        out.append(
            Mention("victim", name, m.start("head"), m.end("adj"), _kind_of(m.group("head")))
        )
    return out


_POSSESSOR = re.compile(r"^(?P<owner>.+?)['’]s?\s+(?P<product>\S.*)$")


def _split_possessive(m: Mention) -> list[Mention]:
    """ "Medisys Labs' CarePoint": the publisher, then its product (related to it)."""
    found = _POSSESSOR.match(m.name)
    if found is None or not (_is_name(found["owner"]) and _is_name(found["product"])):
        return [m]
    owner, product = found["owner"], found["product"]
    start = m.start + found.start("product")
    return [
        Mention("vendor", owner, m.start, m.start + len(owner), "publisher"),
        Mention("software", product, start, start + len(product), related=owner),
    ]


_HEAD_END = re.compile(
    r"(?:Hospitals?|Cent(?:er|re)|System|Services|Healthcare|Health Care|Health|Clinics?|Trust|"
    r"Pharmacy|Laboratories|Labs|Pathology|Group|Insurance|Plan)$"
)


def _split_coordinated(name: str) -> list[tuple[str, int]]:
    """'A NHS Trust and B Hospital' -> both names with their offsets; else the name alone."""
    for m in re.finditer(r"\s+(?:and|&|et)\s+", name):
        left, right = name[: m.start()], name[m.end() :]
        if _HEAD_END.search(left) and _HEAD_END.search(right):
            return [(left, 0), (right, m.end())]
    return [(name, 0)]


def _registry_vendor_in(sentence: str) -> bool:
    return any(m.role in ("vendor", "software") for m in _registry_mentions(sentence))


def _collective_mentions(sentence: str) -> list[Mention]:
    out = []
    for m in _COLLECTIVE.finditer(sentence):
        before = sentence[: m.start()]
        cohort = _COHORT_BEFORE.search(before)
        constructed = _COLLECTIVE_BEFORE.search(before if not cohort else before[: cohort.start()])
        if not (cohort or constructed):
            continue
        size = None
        if cohort:
            approx = find_approximate(sentence[cohort.start() : m.start()] + " ")
            if approx:
                size = approx[0][0]
            elif cohort.group("n"):
                n = cohort.group("n").lower()
                size = int(n) if n.isdigit() else _SMALL.get(n)
        name = (m.group("head") + (m.group("mod") or "")).strip()
        head = m.group("head").lower()
        out.append(
            Mention(
                "victim", name, m.start(), m.start() + len(name), _kind_of(head),
                collective=True, member_count=size,
            )
        )  # fmt: skip
    return out


def _place_mentions(sentence: str, found: list[Mention], language: str) -> list[Mention]:
    out = []
    folded = fold_text(sentence)
    taken = {(m.start, m.end) for m in found if m.role == "place"}
    for pattern, name_fr, name_en, code in _DEMONYMS:
        name = name_fr if language == "fr" else name_en
        for m in _compiled(pattern).finditer(folded):
            if (m.start(), m.end()) not in taken:
                kind = _DEMONYM_KIND.get(name, "country")
                out.append(Mention("place", name, m.start(), m.end(), kind, country_code=code))
    return out


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(fold_text(pattern))


#: "les centres hospitaliers de Dax, de Villefranche-sur-Saône et d'Arles": one per town.
_TOWN_LIST = re.compile(
    rf"\b(?:centres hospitaliers|h[ôo]pitaux|cliniques)\s+(?:de |d['’]|du )"
    rf"(?P<towns>{_TOWNTOKEN}(?:[\s-]+(?:sur|en|de|les|la|le)?[\s-]*{_TOKEN}){{0,3}}"
    rf"(?:\s*(?:,|et|ou)\s*(?:de |d['’]|du )?{_TOWNTOKEN}(?:[\s-]+(?:sur|en|de|les|la|le)?[\s-]*{_TOKEN}){{0,3}})*)"
)


def find_town_victims(sentence: str) -> list[Mention]:
    """Hospitals named after their town in an attack sentence: "comme à Dax ou Villefranche"."""
    from breachkg.gazetteer import lookup

    out = []
    for m in [*_TOWN.finditer(sentence), *_TOWN_LIST.finditer(sentence)]:
        listed = m.re is _TOWN_LIST
        raw = m.group("towns")
        offset = m.start("towns")
        for part in re.finditer(
            rf"{_TOWNTOKEN}(?:[\s-]+(?:sur|en|de|les|la|le|d['’])?[\s-]*{_TOKEN}){{0,3}}", raw
        ):
            town = _clean_name(part.group(0))
            if not _is_name(town):
                continue
            entry = lookup(town)
            if entry is not None and entry.kind == "place" and entry.place_kind != "city":
                continue
            if entry is not None and entry.kind != "place":
                continue
            start = offset + part.start()
            hospital = hospitals_by_town().get(fold_text(town))
            out.append(
                Mention(
                    "victim", hospital[0] if hospital else town, start, start + len(town),
                    "hospital", hospital[1] if hospital else None, town=True, linked=bool(hospital),
                    related=town, surface=town, listed=listed,
                )
            )  # fmt: skip
    return out


_ROLE_KINDS = {
    "actor": ("actor",),
    "software": ("software",),
    "vendor": ("vendor",),
    "victim": ("establishment",),
    "marketplace": ("marketplace",),
}


def _link(m: Mention) -> Mention:
    """A pattern mention whose name the registry knows gets its IRI and canonical name."""
    from breachkg.gazetteer import lookup

    if m.iri or m.collective or m.unnamed:
        return m
    if m.role == "place":
        entry = lookup(m.name, "place")
        return replace(m, iri=entry.iri) if entry is not None else m
    for kind in _ROLE_KINDS.get(m.role, ()):
        entry = lookup(m.name, kind)
        if entry is not None:
            return replace(
                m, name=entry.name, iri=entry.iri, surface=m.surface or m.name,
                place_iri=entry.located_in, kind=CLASS_KIND.get(entry.cls, m.kind),
            )  # fmt: skip
    return m


def _is_place_name(m: Mention) -> bool:
    """A pattern-found organisation, software or actor that is only a place name
    ("Meanwhile in Australia, the provider X")."""
    from breachkg.gazetteer import lookup

    if m.role == "place" or m.iri or m.collective or m.unnamed or m.town:
        return False
    entry = lookup(m.name, "place")
    return entry is not None


def _is_registry_non_establishment(m: Mention) -> bool:
    """A pattern-found victim that the registry knows only as another kind of organisation
    (a regulator or agency such as the CNIL or ANSSI, a holding): reporting on a breach is
    not being its victim ("La CNIL a indiqué que les données de 33 millions ...")."""
    from breachkg.gazetteer import lookup

    if m.role != "victim" or m.iri or m.collective or m.unnamed or m.town:
        return False
    return lookup(m.name, "establishment") is None and lookup(m.name, "organization") is not None


def _resolve(sentence: str, found: list[Mention], language: str) -> list[Mention]:
    """Drop overlaps (registry links win, then longer spans), persons and duplicates."""
    found = [
        m
        for m in map(_link, found)
        if not _is_place_name(m) and not _is_registry_non_establishment(m)
    ]
    order = {"actor": 0, "software": 1, "vendor": 2, "marketplace": 3, "victim": 4, "place": 5}
    linked_spans = [(m.start, m.end) for m in found if m.linked and m.role != "place"]
    kept: list[Mention] = []
    seen: set[tuple[str, str]] = set()
    registry_names = {fold_text(m.name) for m in found if m.linked and m.iri}
    for m in sorted(
        found, key=lambda x: (not x.linked, order.get(x.role, 9), -(x.end - x.start), x.start)
    ):
        key = (m.role, m.iri or fold_text(m.name))
        if key in seen:
            if m.related:  # a second pattern may add the relation the first one lacked
                for i, k in enumerate(kept):
                    if (k.role, k.iri or fold_text(k.name)) == key and not k.related:
                        kept[i] = replace(k, related=m.related)
            continue
        if not m.linked and any(s < m.end and m.start < e for s, e in linked_spans):
            # a pattern overlapping a registry link: keep only when it only adds a relation
            if m.role != "vendor" or fold_text(m.name) in registry_names:
                continue
        if (
            not m.linked
            and m.role in ("victim", "vendor", "software")
            and not m.collective
            and not m.unnamed
        ):
            if (
                m.role == "victim"
                and not m.iri
                and m.kind in (None, "establishment")
                and m.name[:1].isupper()
                and not HEALTH_WORD.search(fold_text(m.name))
                and is_person(sentence, m.start, m.end, language)
            ):
                continue
            clash = [
                k
                for k in kept
                if k.role != m.role and k.start < m.end and m.start < k.end and k.role != "place"
            ]
            if clash:
                continue
        seen.add(key)
        kept.append(m)
    kept.sort(key=lambda x: x.start)
    return kept
