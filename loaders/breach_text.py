"""Reading the English free text of dataset records: named vendors, attack types, data.

The HHS OCR narratives and VERIS summaries follow a few fixed phrasings ("The covered
entity (CE), X, reported that its business associate (BA), Y, ..."; "The PHI involved
included names, addresses, ..."). Vendors appear only in that text, so the rules here are
written for those phrasings and favour precision: a name is taken only from the position a
business associate or vendor is introduced in, or a distinctive registry name in a sentence
giving it a supplier role (trailing periods are dropped: "Acme Billing, Inc").

>>> [m.name for m in find_vendor_mentions(
...     "The covered entity (CE) reported that its business associate (BA), Acme Billing, "
...     "Inc., was the subject of a ransomware attack.")]
['Acme Billing, Inc']
>>> [m.code for m in find_attack_types("an employee fell for a phishing email")]
['phishing']
>>> sorted(find_data_categories("The PHI involved included names, dates of birth, and diagnoses."))
['date_of_birth', 'diagnosis', 'name']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from breachkg.iris import normalize_name
from breachkg.model import Evidence

_TOKEN = r"(?:[A-Z][\w'’&\-/]*(?:\.[A-Za-z]+)*|[A-Z0-9]{2,}[\w\-]*|&)"
_CONNECTOR = r"(?:of|and|for|the|de|on|&|d/b/a|dba)"
_LEGAL = r"(?:,?\s+(?:Inc|LLC|L\.L\.C|Corp|Ltd|LLP|L\.P|P\.C|PC|PLLC|N\.A|Co)\.?)"
NAME = rf"{_TOKEN}(?:\s+(?:{_CONNECTOR}\s+)*{_TOKEN})*{_LEGAL}?"
_BA = r"(?:business associates?|vendors?|contractors?|subcontractors?|third[- ]party vendors?)(?:\s*\((?:BA|BAs)\))?"
_VERBS = (
    r"reported|experienced|was|were|which|that|who|had|has|discovered|notified|mailed|sent|"
    r"inadvertently|lost|improperly|misdirected|informed|suffered|provided|learned|became"
)
#: "its business associate (BA), Name, reported ..." — the name follows the role.
_AFTER_ROLE = re.compile(
    rf"(?:its|a|the|their|CE's|CE’s|the CE's|the CE’s)\s+{_BA},?\s+({NAME})(?=,|;|\s*\(|\s+(?:{_VERBS})\b)"
)
#: "Name, a business associate (BA) of the CE, ..." — the name precedes the role.
_BEFORE_ROLE = re.compile(
    rf"(?<![\w,])({NAME}),?\s+(?:\([^)]{{1,40}}\)\s*,?\s*)?(?:a|its|the|their|the CE's|the CE’s|one of its)\s+{_BA}\b"
)
_LEADING_NOISE = frozenset(
    "The An A CE BA BAs OCR PHI ePHI In On At However Additionally HHS Following After "
    "Specifically It This Its When As Further Also Subsequently Upon Due Because While "
    "Although Between During Since Both Each Further Moreover Can Could Will Would Did Does "
    "Do Is Was Were Why How What Who Where If Then Meanwhile Today Yesterday".split()
)
_NOT_NAMES = frozenset(
    {"ce", "ba", "phi", "ephi", "hipaa", "ocr", "hhs", "us", "u-s", "it", "fbi", "llc", "inc"}
)
_ROLE_WORDS = re.compile(
    r"\b(?:business associates?|BAs?|vendors?|contractors?|subcontractors?|third[- ]part(?:y|ies)|"
    r"service providers?|managed by|hosted by|outsourc\w*)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?](?=\s|$)|$)")


@dataclass(frozen=True)
class Mention:
    """A vendor name or a vocabulary code read from text, with the sentence it came from."""

    name: str
    code: str
    evidence: Evidence


def sentence_around(text: str, start: int, end: int) -> Evidence:
    """The sentence of ``text`` holding [start, end), with its offsets."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    s = 0 if left < 0 else left + 1
    while s < start and text[s].isspace():
        s += 1
    right = text.find(". ", end)
    e = len(text) if right < 0 else right + 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Evidence(text[s:e], s, e)


def clean_vendor_name(raw: str) -> str:
    """Drop leading sentence words ("The", "In") and trailing punctuation from a capture."""
    tokens = raw.split()
    while tokens and (tokens[0] in _LEADING_NOISE or tokens[0].lower() in {"of", "and", "the"}):
        tokens = tokens[1:]
    return " ".join(tokens).strip(" ,.;")


def is_plausible_name(name: str) -> bool:
    """A capture that can name an organisation: has letters, is not a pronoun or acronym."""
    slug = normalize_name(name)
    if not slug or slug in _NOT_NAMES or not re.search(r"[A-Za-z]{2}", name):
        return False
    if re.fullmatch(r"[\d\s,./-]+", name):
        return False
    return len(slug) >= 3


@lru_cache(maxsize=1)
def _registry_vendor_pattern() -> tuple[re.Pattern | None, dict[str, str]]:
    """One regex over distinctive registry vendor names and aliases (>= 5 characters)."""
    try:
        from breachkg import gazetteer
    except ImportError:
        return None, {}
    try:
        entries = gazetteer.registry_entries()
    except Exception:  # a registry still being written must not break loading
        return None, {}
    names: dict[str, str] = {}
    for entry in entries:
        if getattr(entry, "kind", "") != "vendor":
            continue
        for label in (entry.name, *getattr(entry, "aliases", ())):
            label = str(label).strip()
            if len(label) >= 5 and any(c.isupper() for c in label):
                names.setdefault(label, entry.name)
    if not names:
        return None, {}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), names


def find_vendor_mentions(text: str, exclude: tuple[str, ...] = ()) -> list[Mention]:
    """Vendors named in ``text`` (business associates, contractors, registry vendors).

    ``exclude`` holds names of the reporting organisation, which never count as its own
    vendor.
    """
    excluded = {normalize_name(n) for n in exclude if n}
    found: dict[str, Mention] = {}

    def keep(name: str, start: int, end: int) -> None:
        slug = normalize_name(name)
        if not is_plausible_name(name) or slug in excluded or slug in found:
            return
        found[slug] = Mention(name, "", sentence_around(text, start, end))

    for pattern in (_AFTER_ROLE, _BEFORE_ROLE):
        for m in pattern.finditer(text):
            keep(clean_vendor_name(m.group(1)), m.start(1), m.end(1))
    registry, canonical = _registry_vendor_pattern()
    if registry is not None:
        for m in registry.finditer(text):
            # a registry name counts only in a sentence giving it a supplier role, so
            # "a fake Microsoft Support number" does not make Microsoft a vendor
            if _ROLE_WORDS.search(sentence_around(text, m.start(), m.end()).quote):
                keep(canonical.get(m.group(0), m.group(0)), m.start(), m.end())
    return list(found.values())


#: attack-type code -> pattern, for English breach narratives.
ATTACK_TYPE_PATTERNS = {
    "ransomware": r"ransomware|ransom demand|encrypted by (?:a |the )?(?:threat actor|attacker)",
    "phishing": r"phishing|spoofed email|business email compromise",
    "malware": r"malware|malicious software|computer virus|trojan|keylogg",
    "credential_theft": r"(?:stolen|compromised|harvested) (?:user |employee |login |account )?(?:credentials|passwords?)|credential harvesting|credential stuffing",
    "vulnerability_exploitation": r"exploit(?:ed|ing|ation of)? (?:a |an |the )?(?:software |security |zero-day |known )?vulnerabilit|zero-day",
    "misconfiguration": r"misconfigur",
}
_ATTACK_RES = {code: re.compile(p, re.IGNORECASE) for code, p in ATTACK_TYPE_PATTERNS.items()}


def find_attack_types(text: str) -> list[Mention]:
    """Attack types a narrative names, first mention of each with its sentence."""
    out = []
    for code, pattern in _ATTACK_RES.items():
        m = pattern.search(text)
        if m:
            out.append(Mention(m.group(0), code, sentence_around(text, m.start(), m.end())))
    return out


#: data-category code -> pattern over the "PHI involved included ..." enumeration.
DATA_CATEGORY_PATTERNS = {
    "name": r"\b(?:(?:patient|member|first|last|full) )?names?\b(?! of (?:the )?(?:provider|physician|doctor))",
    "postal_address": r"(?<!email )(?<!e-mail )(?<!IP )\b(?:mailing |home |postal |street )?address(?:es)?\b",
    "email": r"\be-?mail address(?:es)?\b",
    "phone": r"\b(?:tele)?phone numbers?\b",
    "date_of_birth": r"\bdates? of birth\b|\bbirth ?dates?\b|\bDOBs?\b",
    "sex": r"\bgender\b|\bsex\b",
    "social_security_number": r"\bsocial security(?: numbers?)?\b|\bSSNs?\b",
    "insurance": r"\b(?:health )?insurance (?:information|numbers?|details|ID|policy)|\bmember (?:ID|identification)|\bpolicy numbers?\b|\bsubscriber (?:ID|numbers?)\b|\bhealth plan (?:information|numbers?|ID)",
    "bank_details": r"\bbank(?:ing)? (?:account|information|details)|\bfinancial account|\bcredit card|\bdebit card|\bpayment card|\baccount numbers?\b|\brouting numbers?\b",
    "credentials": r"\busernames?\b|\bpasswords?\b|\blog-?in credentials\b",
    "treating_physician": r"\b(?:treating|referring) (?:physician|provider)s?\b|\bprovider names?\b|\bphysician names?\b",
    "prescription": r"\bprescriptions?\b|\bmedications?\b",
    "diagnosis": r"\bdiagnos(?:is|es|tic information)\b",
    "medical_condition": r"\bmedical conditions?\b|\bhealth conditions?\b",
    "hiv_status": r"\bHIV\b",
    "blood_group": r"\bblood types?\b",
    "lab_result": r"\b(?:lab|laboratory|test) results?\b",
    "treatment": r"\btreatment (?:information|details|dates?|records?)\b|\bprocedures?\b|\btreatments?\b",
    "clinical_notes": r"\bclinical (?:information|notes|details)\b|\bprogress notes\b|\bmedical notes\b",
    "death_record": r"\bdates? of death\b|\bdeath (?:records?|certificates?)\b",
    "medical_record": r"\bmedical records?(?: numbers?)?\b|\bMRNs?\b|\bmedical record numbers?\b",
}
_DATA_RES = {code: re.compile(p, re.IGNORECASE) for code, p in DATA_CATEGORY_PATTERNS.items()}
_ENUMERATION = re.compile(
    r"\b(?:PHI|ePHI|information|data)\b.*\b(?:involved|included|includes|including|"
    r"consisted of|contained|such as)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence of ``text``, surrounding blanks excluded."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, start, m.end())
        start = m.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        yield s, e


def find_data_categories(text: str) -> dict[str, Evidence]:
    """Data categories enumerated in the sentences that list the exposed information."""
    found: dict[str, Evidence] = {}
    for s, e in sentence_spans(text):
        chunk = text[s:e]
        if not _ENUMERATION.search(chunk):
            continue
        for code, pattern in _DATA_RES.items():
            if code not in found and pattern.search(chunk):
                found[code] = Evidence(chunk, s, e)
    return found
