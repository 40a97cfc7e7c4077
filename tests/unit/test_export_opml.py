"""Export writes one safe, unclobbered file per article; OPML round-trips and resists entities."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from newsterm.formats.export import MAX_NAME_LENGTH, export_articles, safe_file_stem
from newsterm.formats.opml import PAGE, read_opml, write_opml
from newsterm.models import Article, Source
from newsterm.store import StoredArticle

KYIV_WINTER = timezone(timedelta(hours=2))


def _stored(
    title: str, text: str = "First paragraph.\n\nSecond <b>paragraph</b>."
) -> StoredArticle:
    article = Article(
        url="https://example.org/a",
        title=title,
        text=text,
        markdown=text,
        byline="Marta Ostapchuk",
        published=datetime(2024, 12, 11, 15, 16, tzinfo=KYIV_WINTER),
        lead="The lead.",
    )
    return StoredArticle(article, fetched_at=0.0, final_url=None, saved_at=1.0, revision_count=0)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Russia uses new technologies", "russia-uses-new-technologies"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "article"),
        ("a/b\\c:d*e?f", "a-b-c-d-e-f"),
        ("Київ: нові правила", "київ-нові-правила"),
        ("CON", "article"),
        ("\x1b[2J\u202e", "2j"),
        ("", "article"),
    ],
)
def test_file_names_are_safe(title, expected):
    assert safe_file_stem(title) == expected


def test_file_names_are_length_limited():
    assert len(safe_file_stem("word " * 100)) <= MAX_NAME_LENGTH


def test_export_never_clobbers_and_stays_inside_the_folder(tmp_path):
    (tmp_path / "same-title.md").write_text("precious", encoding="utf-8")
    paths = export_articles([_stored("Same title"), _stored("Same title")], tmp_path, "md")
    assert [p.name for p in paths] == ["same-title-2.md", "same-title-3.md"]
    assert (tmp_path / "same-title.md").read_text(encoding="utf-8") == "precious"
    hostile = export_articles([_stored("../../outside")], tmp_path / "sub", "md")
    assert hostile[0].parent == tmp_path / "sub"


def test_markdown_export_has_title_date_source_byline_and_text(tmp_path):
    (path,) = export_articles([_stored("Title")], tmp_path, "md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Title\n")
    assert "Source: https://example.org/a" in text
    assert "Published: 2024-12-11T15:16:00+02:00" in text
    assert "By: Marta Ostapchuk" in text
    assert "The lead.\n\nFirst paragraph." in text


def test_html_export_escapes_everything(tmp_path):
    (path,) = export_articles([_stored("<script>alert(1)</script>")], tmp_path, "html")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p>" in text


def test_json_export(tmp_path):
    (path,) = export_articles([_stored("Title")], tmp_path, "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["title"] == "Title" and data["published"] == "2024-12-11T15:16:00+02:00"


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export_articles([_stored("x")], tmp_path, "pdf")


def test_opml_round_trip():
    sources = [Source("https://a.example/news", "A & B"), Source("https://b.example/rss")]
    assert read_opml(write_opml(sources).encode()) == [
        ("https://a.example/news", "A & B"),
        ("https://b.example/rss", "b.example"),
    ]


def test_opml_ignores_entities_external_files_and_non_http_urls(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file://{secret}">
<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<opml version="2.0"><body>
<outline text="&xxe;" xmlUrl="https://ok.example/rss"/>
<outline text="&b;" xmlUrl="file:///etc/passwd"/>
<outline text="js" xmlUrl="javascript:alert(1)"/>
</body></opml>""".encode()
    # A file that reaches for an external entity is refused whole, the file never read.
    with pytest.raises(ValueError, match="external entity") as refused:
        read_opml(body)
    assert "TOPSECRET" not in str(refused.value)
    found = read_opml(body.replace(b'"&xxe;"', b'"ok"'))  # internal entities: not expanded
    assert [url for url, _ in found] == ["https://ok.example/rss"]


@pytest.mark.parametrize(
    "cut",
    [
        b'<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.example/rss"/>'
        b'<outline xmlUrl="https://b.exa',
        b'<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.example/rss"/>',
        b"<html><body><p>502 Bad Gateway</p></body></html>",
        b"",
    ],
)
def test_a_broken_or_foreign_opml_file_is_refused_whole_saying_where(cut):
    with pytest.raises(ValueError) as refused:
        read_opml(cut)
    message = str(refused.value)
    assert "\n" not in message
    assert "OPML" in message and ("line 1, column" in message or "no <opml>" in message)


def test_opml_urls_are_read_as_a_browser_reads_them_and_names_are_clean():
    body = (
        '<opml version="2.0"><body>'
        '<outline title="Bank\u009b2J\u200b\u202e" xmlUrl="http://evil.example\\@bank.example/rss"/>'
        '<outline text="Page" type="link" url="https://news.example/latest"/>'
        "</body></opml>"
    ).encode()
    assert read_opml(body) == [
        ("http://evil.example/@bank.example/rss", "Bank2J"),
        ("https://news.example/latest", "Page"),
    ]


def test_opml_export_writes_a_news_page_as_a_link_not_a_feed():
    sources = [Source("https://a.example/news", "A"), Source("https://b.example/rss", "B")]
    text = write_opml(sources, {"https://a.example/news": PAGE})
    assert '<outline type="link" text="A" title="A" url="https://a.example/news"' in text
    assert '<outline type="rss" text="B" title="B" xmlUrl="https://b.example/rss"/>' in text
    assert read_opml(text.encode()) == [
        ("https://a.example/news", "A"),
        ("https://b.example/rss", "B"),
    ]


@pytest.mark.parametrize(
    "title",
    ["𠀀" * 600, "й" * 600, "x" * 600, "/" * 600],
    ids=["4-byte", "2-byte", "ascii", "slashes"],
)
def test_file_names_fit_any_file_system_in_bytes(title, tmp_path):
    stem = safe_file_stem(title)
    assert 0 < len(stem.encode("utf-8")) <= 200 and "/" not in stem
    (tmp_path / f"{stem}-9999.html").write_text("ok", encoding="utf-8")  # 255-byte names
