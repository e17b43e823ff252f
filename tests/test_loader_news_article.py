"""The news-article loader: formats, metadata, refused input, graph identity, evidence."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from breachkg.loaders import get_loader, loader_for, loader_names
from breachkg.loaders import news_article as na
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from breachkg import cli
from breachkg.errors import BreachkgInputError
from breachkg.iris import mint_article_graph_iri
from breachkg.model import Evidence, Incident, Organization, Stated
from breachkg.pipeline import ingest_inputs
from breachkg.resources import resource_dir
from breachkg.store import MemoryStore
from breachkg.vocab import BK

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "news_article"
BAD = HERE / "fixtures" / "bad_input"
SAMPLES = resource_dir("samples")
BK_NS = str(BK.Incident)[: -len("Incident")]


@dataclass
class FakeExtraction:
    language: str | None
    published: str | None
    title: str | None
    incidents: list[Incident] = field(default_factory=list)


_COUNT = re.compile(r"\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d{3,}")


def fake_extract(text: str, *, title=None, published=None, language=None) -> FakeExtraction:
    """Stands in for breachkg.extract: one incident per article, its first count as evidence."""
    found = _COUNT.search(text)
    incidents = []
    if found:
        value = int(re.sub(r"\D", "", found.group()))
        ev = Evidence(found.group(), found.start(), found.end())
        victim = Organization(name=(title or "victim")[:40], kind="establishment")
        incidents.append(
            Incident(
                key=f"fake|{value}",
                victims=(Stated(victim, ev),),
                affected_count=Stated(value, ev),
            )
        )
    return FakeExtraction(language, published, title, incidents)


# --- formats and metadata ----------------------------------------------------------------------


def test_plain_text_gives_title_body_and_language():
    article = na.read_article(FIXTURES / "clinique-exemple-fr.txt")
    assert article.title == "Cyberattaque à la clinique des Tilleuls : 12 000 patients concernés"
    assert article.text.startswith("La clinique des Tilleuls, un établissement fictif")
    assert article.text.endswith("La clinique a porté plainte et prévenu la CNIL.")
    assert article.language == "fr"
    assert article.published is None and article.url is None
    assert article.name == "clinique-exemple-fr.txt"


def test_english_text_is_detected_as_english():
    article = na.read_article(FIXTURES / "hospital-example-en.txt")
    assert article.language == "en"
    assert article.title == "Ransomware hits Example County Hospital"


def test_given_language_wins_over_detection():
    assert na.read_article(FIXTURES / "hospital-example-en.txt", language="fr").language == "fr"


def test_cp1252_text_with_crlf_comes_out_right():
    article = na.read_article(FIXTURES / "clinique-exemple-cp1252.txt")
    assert "\r" not in article.text
    assert "établissement fictif" in article.text
    assert "L’outil de prise de rendez-vous" in article.text
    assert "l’œuvre de remédiation" in article.text
    assert article.title.startswith("Cyberattaque à la clinique")
    assert article.language == "fr"


def test_markdown_markup_is_stripped_and_front_matter_read():
    article = na.read_article(FIXTURES / "laboratoire-exemple.md")
    assert article.title == "Fuite de données au laboratoire Exemple"
    assert article.published == "2023-10-12"
    assert article.url == "https://example.org/breachkg/tests/laboratoire-exemple"
    for markup in ("**", "# ", "](", "`", "> ", "- les", "---"):
        assert markup not in article.text
    assert "Le laboratoire Exemple, un laboratoire d'analyses fictif, a découvert" in article.text
    assert "Voir le communiqué et la note technique." in article.text
    assert "Ce qui a été exposé" in article.text


def test_markdown_heading_is_the_title_without_front_matter():
    article = na.read_article(FIXTURES / "heading-only.md")
    assert article.title == "Pharmacy chain reports stolen prescription records"
    assert article.text.startswith("An invented pharmacy chain said")
    assert "about 2,500 customers" in article.text
    assert article.language == "en"


def test_html_main_text_and_metadata_without_boilerplate():
    article = na.read_article(FIXTURES / "insurer-example.html")
    assert article.title == "Example Mutual insurer confirms data theft"
    assert article.published == "2023-06-15"
    assert article.url == "https://example.org/breachkg/tests/insurer-example"
    assert article.text.startswith("Example Mutual, an invented health insurer")
    for boilerplate in ("Subscribe now", "All rights reserved", "Cookie settings"):
        assert boilerplate not in article.text
    assert article.language == "en"


def test_jsonl_gives_one_article_per_line_with_metadata():
    articles = list(na.read_articles(FIXTURES / "two-articles.jsonl"))
    assert [a.name for a in articles] == ["two-articles.jsonl:1", "two-articles.jsonl:2"]
    assert [a.title for a in articles] == [
        "Hôpital fictif : messagerie piratée",
        "Invented clinic loses laptop",
    ]
    assert [a.published for a in articles] == ["2024-01-20", "2024-02-03"]
    assert [a.url for a in articles] == [
        "https://example.org/breachkg/tests/one",
        "https://example.org/breachkg/tests/two",
    ]
    assert [a.language for a in articles] == ["fr", "en"]


def test_jsonl_bad_line_is_skipped_and_reported_with_its_number():
    skipped: list[tuple[str, str]] = []
    articles = list(na.read_articles(FIXTURES / "one-bad-line.jsonl", skipped=skipped))
    assert [a.name for a in articles] == ["one-bad-line.jsonl:1", "one-bad-line.jsonl:4"]
    assert skipped == [
        (
            f"{FIXTURES / 'one-bad-line.jsonl'}:2",
            "malformed JSON (Expecting ',' delimiter at column 52)",
        )
    ]
    loaded = list(na.load(FIXTURES / "one-bad-line.jsonl", extractor=fake_extract))
    assert len(loaded) == 2
    assert [s for source in loaded for s in source.skipped] == skipped


def test_directory_is_walked_sorted_readme_and_other_kinds_left_out():
    names = [a.name for a in na.read_articles(FIXTURES / "folder")]
    assert names == ["b-hospital.txt", "c-pharmacy.md", "sub/a-clinique.txt"]


def test_directory_with_a_bad_file_skips_it(tmp_path):
    shutil.copy(FIXTURES / "hospital-example-en.txt", tmp_path / "good.txt")
    shutil.copy(BAD / "article-empty.txt", tmp_path / "empty.txt")
    skipped: list[tuple[str, str]] = []
    names = [a.name for a in na.read_articles(tmp_path, skipped=skipped)]
    assert names == ["good.txt"]
    assert skipped == [(str(tmp_path / "empty.txt"), "empty file")]


def test_directory_without_articles_is_an_error(tmp_path):
    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(BreachkgInputError, match="no article files"):
        list(na.read_articles(tmp_path))


def test_source_description_in_the_graph():
    loaded = next(na.load(FIXTURES / "two-articles.jsonl", extractor=fake_extract))
    article = next(na.read_articles(FIXTURES / "two-articles.jsonl"))
    assert loaded.graph == mint_article_graph_iri(article.text)
    facts = {
        (q.predicate.value, q.object.value) for q in loaded.quads if q.subject.value == loaded.graph
    }
    assert (BK_NS + "publishedOn", "2024-01-20") in facts
    assert (BK_NS + "language", "fr") in facts
    assert (BK_NS + "textLength", str(len(article.text))) in facts
    assert (BK_NS + "textSha256", na.sha256_text(article.text)) in facts
    assert ("https://schema.org/url", "https://example.org/breachkg/tests/one") in facts
    assert all(q.graph_name == NamedNode(loaded.graph) for q in loaded.quads)


# --- refused input -----------------------------------------------------------------------------

BAD_CASES = sorted(p for p in BAD.glob("article-*") if not p.name.endswith(".error.txt"))


def test_every_bad_article_case_is_collected():
    assert len(BAD_CASES) == 6


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda p: p.stem)
def test_bad_input_gives_one_line_error_exit_2_and_writes_nothing(case, tmp_path, monkeypatch):
    expected = (BAD / f"{case.stem}.error.txt").read_text(encoding="utf-8")
    shutil.copy(case, tmp_path / case.name)
    monkeypatch.chdir(tmp_path)
    if case.stem == "article-too-large":
        monkeypatch.setattr(na, "MAX_BYTES", 64)
    stderr, stdout = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        code = cli.main(["ingest", "--store", "store", case.name])
    assert code == 2
    assert stderr.getvalue() == expected
    assert expected.count("\n") == 1
    with pytest.raises(BreachkgInputError):
        list(na.load(case.name, extractor=fake_extract))
    store_dir = tmp_path / "store"
    if store_dir.exists():
        from breachkg.store import OxigraphStore

        with OxigraphStore(store_dir) as store:
            assert len(store) == 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
def test_arbitrary_bytes_give_articles_or_an_input_error(tmp_path, data, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    try:
        articles = list(na.read_articles(path))
    except BreachkgInputError as err:
        assert "\n" not in str(err)
        return
    for article in articles:
        assert sum(c.isalpha() for c in article.text) >= na.MIN_LETTERS


# --- graph identity and idempotence --------------------------------------------------------------


def test_same_text_gives_same_graph_and_quads(tmp_path):
    crlf = tmp_path / "copy.txt"
    crlf.write_bytes((FIXTURES / "clinique-exemple-fr.txt").read_bytes().replace(b"\n", b"\r\n"))
    first = next(na.load(FIXTURES / "clinique-exemple-fr.txt", extractor=fake_extract))
    again = next(na.load(FIXTURES / "clinique-exemple-fr.txt", extractor=fake_extract))
    copy = next(na.load(crlf, extractor=fake_extract))
    assert first.graph == again.graph == copy.graph
    assert first.graph.startswith("https://w3id.org/breachkg/graph/article/")
    assert re.fullmatch(r"[0-9a-f]{16}", first.graph.rsplit("/", 1)[1])
    assert first.quads == again.quads
    assert set(first.quads) == set(copy.quads)
    assert first.counts["incidents"] == 1


def test_ingesting_twice_gives_the_same_graph():
    store = MemoryStore()
    first = ingest_inputs(store, [FIXTURES], extractor=fake_extract)
    quads = set(store.quads())
    again = ingest_inputs(store, [FIXTURES], extractor=fake_extract)
    assert set(store.quads()) == quads
    assert len(store) == len(quads)
    assert first.graphs == again.graphs
    # 3 .txt, 2 .md, 1 .html, 2 + 2 JSONL lines, 3 in folder/: 13 articles; the second JSONL
    # file and folder/ repeat texts found elsewhere, so 8 distinct texts, 8 graphs.
    assert first.articles == 13
    assert len(first.graphs) == 8
    assert [where.rsplit("/", 1)[-1] for where, _ in first.skipped] == ["one-bad-line.jsonl:2"]


# --- registry ----------------------------------------------------------------------------------


def test_registry_knows_the_loader_by_name_and_ending():
    assert "news_article" in loader_names()
    assert get_loader("news_article") is na
    for name in ("a.txt", "a.md", "a.html", "a.htm", "a.jsonl", "A.TXT"):
        assert loader_for(name).name == "news_article"
    assert loader_for(FIXTURES).name == "news_article"


# --- the shipped samples -------------------------------------------------------------------------


def test_samples_are_twelve_articles_seven_french_five_english():
    articles = list(na.read_articles(SAMPLES))
    assert len(articles) == 12
    languages = [a.language for a in articles]
    assert languages.count("fr") == 7 and languages.count("en") == 5
    for article in articles:
        assert article.title
        assert 150 <= len(article.text.split()) <= 350, article.name
    suffixes = sorted({Path(a.name.split(":")[0]).suffix for a in articles})
    assert suffixes == [".html", ".jsonl", ".md", ".txt"]


def test_evidence_offsets_point_at_their_quotes_in_the_samples():
    """Every bk:Evidence quote is the exact slice [start, end) of the article text."""
    texts = {mint_article_graph_iri(a.text): a.text for a in na.read_articles(SAMPLES)}
    checked = 0
    for loaded in na.load(SAMPLES):
        text = texts[loaded.graph]
        evidence: dict[str, dict[str, str]] = {}
        for q in loaded.quads:
            if q.predicate.value in (BK_NS + "quote", BK_NS + "startOffset", BK_NS + "endOffset"):
                evidence.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
        for node, ev in evidence.items():
            start, end = int(ev[BK_NS + "startOffset"]), int(ev[BK_NS + "endOffset"])
            assert text[start:end] == ev[BK_NS + "quote"], (loaded.name, node)
            checked += 1
    assert checked > 0


def test_cli_ingest_prints_articles_incidents_and_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(na, "_default_extractor", lambda: fake_extract)
    shutil.copy(FIXTURES / "clinique-exemple-fr.txt", tmp_path / "good.txt")
    shutil.copy(BAD / "article-garbage.txt", tmp_path / "noise.txt")
    monkeypatch.chdir(tmp_path)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(["ingest", "--store", "store", "."])
    assert code == 0
    assert stderr.getvalue() == (
        "skipped noise.txt: garbage, not article text (61 letters in 324 characters)\n"
    )
    lines = stdout.getvalue().splitlines()
    assert lines[-1] == "articles 1, incidents 1, skipped 1"
    assert lines[0].startswith("ingested 1 source(s): ")


def test_book_sized_text_is_refused_before_extraction(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text("Titre\n\n" + "Un hôpital a été attaqué. " * 9000, encoding="utf-8")
    with pytest.raises(BreachkgInputError, match=r"book\.txt: too long for a news article"):
        na.read_article(path)
