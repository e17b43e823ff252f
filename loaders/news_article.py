"""News articles -> one named graph each: source description plus extracted incidents.

Reads plain text, Markdown, HTML (main text and metadata through trafilatura) and JSON
Lines files of ``{url, title, published, text}``, in UTF-8 or a legacy encoding
(cp1252/latin-1 French comes out right), one file or a directory tree.  The article text is
handed to ``breachkg.extract.extract_article``; the graph is named after the sha256 of the
normalized text, so re-loading the same text gives the same graph and the same quads.

Input that is not an article (empty, binary, garbage, an HTML page without article text, a
file over the size limit, a malformed JSONL line) raises ``BreachkgInputError`` naming the
file and the reason; inside a directory or a JSONL file such input is skipped and reported
in ``LoadedSource.skipped`` instead, and the load fails only when nothing was readable.
Nothing is ever extracted from refused input.

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "note.txt").write_text(
...     "Hospital hit by ransomware\\n\\nThe hospital said on Monday that its systems were "
...     "encrypted by a ransomware group and that patient records may have been copied.\\n")
>>> article = read_article(folder / "note.txt")
>>> article.title, article.language
('Hospital hit by ransomware', 'en')
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from breachkg.loaders.person_names import find_person_names, mask_names
from pyoxigraph import Literal, Quad

from breachkg.errors import BreachkgInputError
from breachkg.iris import mint_article_graph_iri
from breachkg.model import LoadedSource, Source, incident_quads, source_quads

log = logging.getLogger(__name__)

#: File name endings this loader reads; anything else inside a directory is ignored.
EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
#: Largest article file (or JSONL line) read, in bytes.
MAX_BYTES = 5 * 1024 * 1024
#: Fewest letters an article must hold, and the least share of letters among its
#: non-blank characters, below which the text is refused as garbage.
MIN_LETTERS = 40
MIN_LETTER_SHARE = 0.55
#: Fewest words (runs of two or more letters) an article must hold.
MIN_WORDS = 8
#: Longest article text, in characters: news articles are far shorter, and extraction
#: time grows faster than linearly with length, so a book-sized "article" is refused.
MAX_CHARS = 200_000

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WORD = re.compile(r"[^\W\d_]{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Characters a Western European text in cp1252 may hold beyond ASCII.
_WESTERN = re.compile(
    r"[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2010-\u2026\u20ac\u2122]"
)


@dataclass(frozen=True)
class Article:
    """One article's text and what is known of it before extraction.

    ``text`` is the body whose character offsets the evidence refers to (the title, when
    found on its own first line or in metadata, is kept apart in ``title``).
    """

    name: str
    text: str
    title: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    path: Path | None = None


@dataclass(frozen=True)
class Skipped:
    """Input refused inside a directory or a JSONL file: where and why."""

    where: str
    reason: str


# --- reading ---------------------------------------------------------------------------------


def read_article(
    path: str | Path, *, language: str | None = None, max_bytes: int | None = None
) -> Article:
    """The one article in a .txt, .md or .html file; raises ``BreachkgInputError`` if none."""
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        raise BreachkgInputError(
            path, "a JSON Lines file holds several articles; use read_articles"
        )
    data = _read_bytes(path, MAX_BYTES if max_bytes is None else max_bytes)
    return _parse_article(path, data, language=language, name=path.name)


def read_articles(
    path: str | Path,
    *,
    language: str | None = None,
    max_bytes: int | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> Iterator[Article]:
    """Every article in a file, JSONL file or directory tree (sorted), skipping bad input.

    Skipped input is appended to ``skipped`` as (where, reason) when a list is given and
    logged as a warning.  A single article file that cannot be read raises at once; a
    directory or JSONL file raises only when it yields no article at all.
    """
    for item in iter_articles(path, language=language, max_bytes=max_bytes):
        if isinstance(item, Skipped):
            log.warning("skipped %s: %s", item.where, item.reason)
            if skipped is not None:
                skipped.append((item.where, item.reason))
        else:
            yield item


def iter_articles(
    path: str | Path, *, language: str | None = None, max_bytes: int | None = None
) -> Iterator[Article | Skipped]:
    """Articles and refused items in reading order (the generator under ``read_articles``)."""
    path = Path(path)
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if not path.exists():
        raise BreachkgInputError(path, "no such file or directory")
    if path.is_dir():
        items = _iter_directory(path, language=language, max_bytes=max_bytes)
    elif path.suffix.lower() == ".jsonl":
        items = _iter_jsonl(path, path.name, language=language, max_bytes=max_bytes)
    else:
        items = iter([read_article(path, language=language, max_bytes=max_bytes)])
    found = 0
    first_skip: Skipped | None = None
    skips = 0
    for item in items:
        if isinstance(item, Skipped):
            skips += 1
            first_skip = first_skip or item
        else:
            found += 1
        yield item
    if not found:
        if first_skip is None:
            raise BreachkgInputError(path, "no article files (" + ", ".join(EXTENSIONS) + ") found")
        if skips == 1:
            raise BreachkgInputError(first_skip.where, first_skip.reason)
        raise BreachkgInputError(
            path,
            f"no readable article ({skips} skipped; first: {first_skip.where}: "
            f"{first_skip.reason})",
        )


def _iter_directory(root: Path, *, language: str | None, max_bytes: int):
    files = sorted(
        (p for p in root.rglob("*") if is_article_path(p) and p.is_file()),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    for file in files:
        name = file.relative_to(root).as_posix()
        if file.suffix.lower() == ".jsonl":
            try:
                yield from _iter_jsonl(file, name, language=language, max_bytes=max_bytes)
            except BreachkgInputError as err:
                yield Skipped(str(file), err.reason)
            continue
        try:
            data = _read_bytes(file, max_bytes)
            yield _parse_article(file, data, language=language, name=name)
        except BreachkgInputError as err:
            yield Skipped(str(file), err.reason)


def _iter_jsonl(path: Path, name: str, *, language: str | None, max_bytes: int):
    try:
        handle = path.open("rb")
    except OSError as err:
        raise BreachkgInputError(path, f"cannot read: {err.strerror or err}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                yield _parse_jsonl_line(raw, where, f"{name}:{number}", language, max_bytes)
            except BreachkgInputError as err:
                yield Skipped(where, err.reason)


def _parse_jsonl_line(
    raw: bytes, where: str, name: str, language: str | None, max_bytes: int
) -> Article:
    if len(raw) > max_bytes:
        raise BreachkgInputError(where, f"line too large ({len(raw)} bytes > {max_bytes})")
    try:
        record = json.loads(raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        raise BreachkgInputError(where, "line is not UTF-8") from None
    except json.JSONDecodeError as err:
        raise BreachkgInputError(
            where, f"malformed JSON ({err.msg} at column {err.colno})"
        ) from None
    if not isinstance(record, dict):
        raise BreachkgInputError(where, "line is not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BreachkgInputError(where, "no 'text' string")
    for key in ("title", "url", "published", "language"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise BreachkgInputError(where, f"'{key}' is not a string")
    text = _clean_text(text)
    _check_letters(where, text)
    return Article(
        name=name,
        text=text,
        title=_one_line(record.get("title")),
        published=_check_date(where, record.get("published")),
        language=record.get("language") or language or detect_language(text),
        url=record.get("url") or None,
        path=Path(where.rsplit(":", 1)[0]),
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BreachkgInputError(path, f"file too large ({size} bytes > {max_bytes})")
        return path.read_bytes()
    except OSError as err:
        raise BreachkgInputError(path, f"cannot read: {err.strerror or err}") from None


def _parse_article(path: Path, data: bytes, *, language: str | None, name: str) -> Article:
    if not data.strip():
        raise BreachkgInputError(path, "empty file")
    suffix = path.suffix.lower()
    raw = decode_bytes(path, data)
    if suffix in (".html", ".htm"):
        text, title, published, url = _read_html(path, raw)
    elif suffix in (".md", ".markdown"):
        text, title, published, url = _read_markdown(raw)
    else:
        text, title = _split_title(_clean_text(raw))
        published = url = None
    _check_letters(path, text)
    return Article(
        name=name,
        text=text,
        title=title,
        published=published,
        language=language or detect_language(text),
        url=url,
        path=path,
    )


def decode_bytes(where: object, data: bytes) -> str:
    """Text of ``data``: BOM, else UTF-8, else cp1252 for Western text, else a detected codec."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise BreachkgInputError(where, f"undecodable bytes after a {codec} mark") from None
    if b"\x00" in data:
        raise BreachkgInputError(where, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        if all(_WESTERN.match(c) for c in text if ord(c) > 127):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BreachkgInputError(where, "undecodable bytes, not text in a known encoding")
    return str(best)


def _clean_text(text: str) -> str:
    """NFC, unified line ends, no BOM or trailing blanks; offsets refer to this text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _check_letters(where: object, text: str) -> None:
    if len(text) > MAX_CHARS:
        raise BreachkgInputError(
            where, f"too long for a news article ({len(text)} > {MAX_CHARS} characters)"
        )
    if _CONTROL.search(text):
        raise BreachkgInputError(where, "control characters, not article text")
    letters = sum(c.isalpha() for c in text)
    visible = sum(not c.isspace() for c in text)
    if letters < MIN_LETTERS:
        raise BreachkgInputError(
            where, f"too few letters for an article ({letters} < {MIN_LETTERS})"
        )
    if letters < MIN_LETTER_SHARE * visible:
        raise BreachkgInputError(
            where, f"garbage, not article text ({letters} letters in {visible} characters)"
        )
    words = len(_WORD.findall(text))
    if words < MIN_WORDS:
        raise BreachkgInputError(where, f"too few words for an article ({words} < {MIN_WORDS})")
    blobs = sum(len(token) for token in text.split() if len(token) > 40)
    if blobs * 2 > visible:
        raise BreachkgInputError(where, "garbage, not article text (mostly unbroken runs)")


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return (
        0 < len(line) <= 200
        and not line.endswith((".", ",", ";", ":"))
        and any(c.isalpha() for c in line)
    )


def _split_title(text: str) -> tuple[str, str | None]:
    """First line as title when it reads as one and more text follows it."""
    first, sep, rest = text.partition("\n")
    if sep and rest.strip() and _looks_like_title(first):
        return rest.strip(), first.strip()
    return text, None


def _one_line(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None


def _check_date(where: object, value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", value.strip()) else value.strip()
    if not _ISO_DATE.match(value):
        raise BreachkgInputError(where, f"'published' is not an ISO date: {value!r}")
    return value


_MD_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MD_RULES = [
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$", re.M), ""),
    (re.compile(r"<[^>\n]+>"), ""),
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),
    (re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M), ""),
    (re.compile(r"^([ \t]*)[-*+][ \t]+", re.M), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]


def _read_markdown(raw: str) -> tuple[str, str | None, str | None, str | None]:
    """Markdown stripped lightly: front matter read, markup dropped, first heading as title."""
    raw = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    front = _MD_FRONT.match(raw)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("'\"")
        raw = raw[front.end() :]
    heading = re.search(r"^[ \t]{0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", raw, re.M)
    title = meta.get("title")
    if heading and (title is None or heading.group(1).strip() == title):
        title = title or heading.group(1).strip()
        raw = raw[: heading.start()] + raw[heading.end() :]
    text = raw
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    text = _clean_text(text)
    if title is None:
        text, title = _split_title(text)
    date = meta.get("published") or meta.get("date")
    return text, _one_line(title), _check_date("front matter", date), meta.get("url")


def _read_html(path: Path, raw: str) -> tuple[str, str | None, str | None, str | None]:
    """Main text and metadata of an HTML page; boilerplate (menus, footers) dropped."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = _clean_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        raise BreachkgInputError(path, "HTML page has no article text")
    title = _one_line(getattr(doc, "title", None))
    first, sep, rest = text.partition("\n")
    if title and sep and first.strip() == title:
        text = rest.strip()
    published = getattr(doc, "date", None)
    try:
        published = _check_date(path, published)
    except BreachkgInputError:
        published = None
    return text, title, published, getattr(doc, "url", None) or None


# --- language ----------------------------------------------------------------------------------


@functools.cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()


def detect_language(text: str) -> str | None:
    """'fr' or 'en' (the detector knows only these two), None when it cannot tell."""
    found = _detector().detect_language_of(text[:4000])
    return found.iso_code_639_1.name.lower() if found is not None else None


# --- loading ---------------------------------------------------------------------------------

Extractor = Callable[..., Any]


def _default_extractor() -> Extractor:
    from breachkg.extract import extract_article

    return extract_article


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_article(article: Article, *, extractor: Extractor | None = None) -> LoadedSource:
    """The named graph of one article: its Source description and its incidents."""
    extract = extractor or _default_extractor()
    found = extract(
        article.text, title=article.title, published=article.published, language=article.language
    )
    graph = mint_article_graph_iri(article.text)
    source = Source(
        graph=graph,
        kind="article",
        title=article.title or getattr(found, "title", None),
        url=article.url,
        published=article.published or getattr(found, "published", None),
        language=article.language or getattr(found, "language", None),
        text_length=len(article.text),
        text_sha256=sha256_text(article.text),
    )
    quads = dict.fromkeys(source_quads(source))
    incidents = list(getattr(found, "incidents", None) or [])
    for incident in incidents:
        quads.update(dict.fromkeys(incident_quads(incident, source_iri=graph)))
    quads = dict.fromkeys(mask_people(list(quads), article))
    evidence = sum(1 for q in quads if q.object.value.endswith("ontology#Evidence"))
    return LoadedSource(
        graph=graph,
        quads=list(quads),
        name=article.name,
        counts={
            "articles": 1,
            "incidents": len(incidents),
            "quads": len(quads),
            "evidence": evidence,
        },
        source=source,
    )


_ENTITY_NAME_PREDICATES = frozenset(
    {"https://schema.org/name", "http://www.w3.org/2004/02/skos/core#altLabel"}
)
_STRING_TYPES = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#string",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
    }
)


def mask_people(quads: list[Quad], article: Article) -> list[Quad]:
    """The quads with names of private individuals masked in every text literal (quotes,
    summaries, title); see ``breachkg.loaders.person_names``."""
    keep = [q.object.value for q in quads if q.predicate.value in _ENTITY_NAME_PREDICATES]
    names = find_person_names(article.text + "\n" + (article.title or ""), keep)
    if not names:
        return quads
    masked = []
    for q in quads:
        o = q.object
        if isinstance(o, Literal) and o.datatype.value in _STRING_TYPES:
            text = mask_names(o.value, names)
            if text != o.value:
                o = Literal(text, language=o.language) if o.language else Literal(text)
                q = Quad(q.subject, q.predicate, o, q.graph_name)
        masked.append(q)
    return masked


def load(
    path: str | Path,
    *,
    extractor: Extractor | None = None,
    language: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[LoadedSource]:
    """One ``LoadedSource`` per article under ``path``, in reading order.

    Refused input inside a directory or JSONL file is reported, once, in the ``skipped``
    list of the article loaded next (or of the last one when it comes at the end).
    """
    extract = extractor
    pending: list[tuple[str, str]] = []
    held: LoadedSource | None = None
    for item in iter_articles(path, language=language, max_bytes=max_bytes):
        if isinstance(item, Skipped):
            log.warning("skipped %s: %s", item.where, item.reason)
            pending.append((item.where, item.reason))
            continue
        if held is not None:
            yield held
        extract = extract or _default_extractor()
        held = load_article(item, extractor=extract)
        held.skipped.extend(pending)
        pending = []
    if held is not None:
        held.skipped.extend(pending)
        yield held


def is_article_path(path: str | Path) -> bool:
    """True for a directory or a file with an article extension (README files excluded).

    Hidden files and folders are left out, like README files, which document a folder.
    """
    path = Path(path)
    if path.name.startswith(".") or path.name.lower().startswith("readme"):
        return False
    return path.is_dir() or path.suffix.lower() in EXTENSIONS


__all__ = [
    "Article",
    "EXTENSIONS",
    "MAX_BYTES",
    "Skipped",
    "decode_bytes",
    "detect_language",
    "is_article_path",
    "iter_articles",
    "load",
    "load_article",
    "read_article",
    "read_articles",
]
