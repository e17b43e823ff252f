"""Sentences with their character offsets, and an accent-folded copy of the text.

Every fact the extractor states carries ``Evidence(sentence, start, end)`` where
``text[start:end] == sentence``; this module is where those offsets are decided.
Boilerplate lines of news pages ("Lire aussi", "Read more", share buttons) are dropped
here, so no later stage reads facts out of links to other articles.

>>> [s.text for s in split_sentences("Le CHU a été attaqué. Les données de 12 patients ont fuité.")]
['Le CHU a été attaqué.', 'Les données de 12 patients ont fuité.']
>>> fold_text("Santé") == "sante"
True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from breachkg.model import Evidence


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, [start, end) offsets in the article, and its line's role."""

    text: str
    start: int
    end: int
    index: int
    is_title: bool = False

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.text, self.start, self.end)


#: Lines that introduce links to other articles, bylines, share prompts, comment forms.
_BOILERPLATE = re.compile(
    r"^\s*(?:>>\s*)?(?:[àa] lire (?:aussi|également)|lire aussi|lire également|voir aussi|"
    r"read (?:more|also|next)|see also|related|more on|more from|also read|prev\b|next\b|"
    r"sur le même sujet|à voir aussi|a voir aussi|article précédent|"
    r"article suivant|for latest updates|pour ne manquer|suivez-nous|follow us|source ?:|"
    r"source link|laisser un commentaire|votre adresse|votre opinion|merci de vous|"
    r"en cliquant|réduisez vos|sign up|subscribe|share this|partager|newsletter)",
    re.IGNORECASE,
)
#: Sentence ends: . ! ? … followed by space and an upper-case letter, digit or quote.
_SENT_END = re.compile(r"(?<=[.!?…])[\"»”)]?\s+(?=[«\"“(]?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:M|Mme|Mr|Mrs|Ms|Dr|Pr|St|Ste|No|n°|p|cf|etc|vs|Inc|Corp|Ltd|Co|Jr|Sr|av|J\.-C)"
    r"|\b[A-Z])\.$"
)


class _FoldTable(dict):
    """Code point -> its lower-case, accent-free single character, computed once per code point."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        low = base.lower() if len(base) == 1 else ch.lower()
        folded = low if len(low) == 1 else ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


@functools.lru_cache(maxsize=8192)
def fold_text(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with exactly the same length and offsets."""
    return text.translate(_FOLD)


def is_boilerplate(line: str) -> bool:
    """True for navigation, related-article and comment-form lines of a news page."""
    return bool(_BOILERPLATE.match(line))


def split_sentences(text: str, *, has_title: bool = True) -> list[Sentence]:
    """Sentences of ``text`` in order, boilerplate lines left out; the first line is the
    title unless ``has_title`` is false (the title was given apart)."""
    sentences: list[Sentence] = []
    pos = 0
    first_line = has_title
    for line in text.splitlines(keepends=True):
        start, body = pos, line.rstrip("\r\n")
        pos += len(line)
        stripped = body.strip()
        if not stripped:
            continue
        title = first_line
        first_line = False
        if is_boilerplate(stripped):
            continue
        offset = start + (len(body) - len(body.lstrip()))
        for piece_start, piece in _split_line(stripped):
            s = offset + piece_start
            sentences.append(Sentence(piece, s, s + len(piece), len(sentences), title))
    return sentences


def _split_line(line: str) -> list[tuple[int, str]]:
    pieces, last = [], 0
    for m in _SENT_END.finditer(line):
        candidate = line[last : m.start()].rstrip()
        if _ABBREV.search(candidate):
            continue
        pieces.append((last, candidate))
        last = m.end()
    tail = line[last:].rstrip()
    if tail:
        pieces.append((last, tail))
    return [(s, p) for s, p in pieces if p]
