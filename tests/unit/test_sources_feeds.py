"""RSS and Atom: the sample feeds as expected, and hostile feeds defused before feedparser."""

from __future__ import annotations

import builtins
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from newsterm.sources import parse
from newsterm.sources.feed_safety import MAX_FEED_ITEMS, defuse_feed
from newsterm.sources.feeds import html_to_text, parse_feed
from newsterm.text import zones
from tests.support.hostile_feeds import big_feed, billion_laughs

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
EXPECTED = json.loads((SITE / "feeds.expected.json").read_text(encoding="utf-8"))
FEEDS = {"rss": "feed.xml", "atom": "feed.atom"}
ZONE = zones.zone("Europe/Kyiv")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_sample_feeds_match_the_expected_parse(kind):
    body = (SITE / FEEDS[kind]).read_bytes()
    listing = parse(body, f"https://global.espreso.tv/{kind}", "application/xml")
    assert listing.kind == kind
    assert listing.title == "Espreso Global — News"
    assert listing.reason is None
    expected = EXPECTED[kind]
    assert len(listing.headlines) == len(expected)
    for headline, item in zip(listing.headlines, expected, strict=True):
        assert headline.title == item["title"]
        assert headline.url == item["link"]
        assert headline.published == datetime.fromisoformat(item["published"])
        assert headline.published.isoformat() == item["published"]
        assert headline.summary == item["summary_text"]
        assert headline.label is None


def test_titles_are_shown_as_typed_and_html_titles_are_decoded_once():
    rss = parse((SITE / "feed.xml").read_bytes(), "https://global.espreso.tv/rss")
    assert rss.headlines[6].title.startswith("[bold]Breaking[/bold] Zelenskyy")
    atom = parse((SITE / "feed.atom").read_bytes(), "https://global.espreso.tv/atom")
    assert atom.headlines[4].title == (
        '"Not talks, but theater": journalist Portnikov on Istanbul negotiations'
    )
    assert "<b>" not in rss.headlines[0].summary and "&lt;" not in rss.headlines[0].summary


def test_text_fields_are_never_decoded_twice():
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title type="text">Tom &amp;amp; Jerry: &lt;b&gt;a &lt; b&lt;/b&gt;</title>
    <link href="https://example.org/a"/><summary type="text">5 &amp;lt; 6</summary></entry>
    <entry><title type="html">Tom &amp;amp; Jerry: &lt;b&gt;a &amp;lt; b&lt;/b&gt;</title>
    <link href="https://example.org/b"/></entry></feed>"""
    text, html = parse(body, "https://example.org/atom").headlines
    assert text.title == "Tom &amp; Jerry: <b>a < b</b>"  # type="text": exactly as written
    assert text.summary == "5 &lt; 6"
    assert html.title == "Tom & Jerry: a < b"  # type="html": tags dropped, decoded once


def test_rss_titles_follow_feedparsers_reading_of_their_type():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><title>a &lt; b, and c &gt; d</title><link>https://example.org/a</link></item>
    <item><title>Tom &amp;amp; Jerry</title><link>https://example.org/b</link></item>
    </channel></rss>"""
    plain, escaped = parse(body, "https://example.org/rss").headlines
    assert plain.title == "a < b, and c > d"
    # An entity in an RSS title makes feedparser call it HTML, as most feed readers do.
    assert escaped.title == "Tom & Jerry"


def test_links_are_absolute_http_and_items_without_one_are_shown_without_a_link():
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title>Relative link entry</title><link href="/a/relative"/></entry>
    <entry><title>Script link entry</title><link href="javascript:alert(1)"/></entry>
    <entry><title>Duplicate of the first</title><link href="https://example.org/a/relative"/></entry>
    <entry><title>FTP link entry</title><link href="ftp://example.org/file"/></entry>
    </feed>"""
    listing = parse(body, "https://example.org/feeds/atom")
    assert [(h.title, h.link) for h in listing.headlines] == [
        ("Relative link entry", "https://example.org/a/relative"),
        ("Script link entry", None),
        ("FTP link entry", None),
    ]
    assert not any("javascript" in h.url or "ftp" in h.url for h in listing.headlines)
    # The same item read again is the same headline (one row in the cache), another is not.
    again = parse(body, "https://example.org/feeds/atom")
    assert [h.url for h in again.headlines] == [h.url for h in listing.headlines]
    assert listing.headlines[1].url != listing.headlines[2].url


def test_a_feed_without_items_says_so():
    body = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    listing = parse(body, "https://example.org/rss")
    assert listing.headlines == []
    assert listing.reason == "the feed has no items"
    assert listing.title == "Quiet"


def test_html_to_text_keeps_words_apart_and_drops_scripts():
    html = "<p>One</p><p>two <b>three</b></p><script>alert(1)</script><br>four &amp; five"
    assert html_to_text(html) == "One two three four & five"


# -- hostile feeds --------------------------------------------------------------------------------


@pytest.fixture
def feedparser_input(monkeypatch):
    """What feedparser is given: a file object (never a path) whose bytes are recorded."""
    import feedparser

    seen: list[bytes] = []
    real_parse = feedparser.parse

    def recording_parse(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert hasattr(source, "read"), "feedparser.parse() opens str/bytes that name a file"
        data = source.read()
        seen.append(data)
        return real_parse(io.BytesIO(data), *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", recording_parse)
    # An ordinary feed is read by fast_feed in feedparser's stead: what it reads counts too.
    from newsterm.sources import fast_feed

    real_fast = fast_feed.parse_ordinary_feed

    def recording_fast(safe, *args, **kwargs):  # type: ignore[no-untyped-def]
        listing = real_fast(safe, *args, **kwargs)  # recorded once read (else feedparser reads it)
        seen.append(safe)
        return listing

    monkeypatch.setattr(fast_feed, "parse_ordinary_feed", recording_fast)
    return seen


@pytest.mark.parametrize("same_line", [True, False], ids=["doctype-on-xml-line", "own-line"])
def test_billion_laughs_is_not_expanded(same_line, feedparser_input):
    listing = parse(billion_laughs(same_line), "https://example.org/rss")
    # expat would refuse the expansion itself; we do not rely on it: no DTD reaches it.
    [given] = feedparser_input
    assert b"<!DOCTYPE" not in given.upper() and b"<!ENTITY" not in given.upper()
    assert "lollol" not in (listing.title or "")
    assert all("lollol" not in h.title for h in listing.headlines)
    assert [h.url for h in listing.headlines] == ["https://example.org/a"]


@pytest.fixture
def secret_file(tmp_path, monkeypatch):
    """A file no feed may read; opening it by any Python route fails the test."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert "secret" not in str(file), f"the parser opened {file}"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    return secret


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{path}"> %p;]>',
        '<!DOCTYPE rss SYSTEM "file://{path}">',
    ],
    ids=["entity", "parameter-entity", "external-dtd"],
)
def test_external_entities_read_no_file(secret_file, doctype, feedparser_input):
    body = (
        '<?xml version="1.0"?>' + doctype.format(path=secret_file) + '<rss version="2.0">'
        "<channel><title>t &xxe;</title><item><title>Story &xxe; here</title>"
        "<link>https://example.org/a</link><description>&xxe;</description></item>"
        "</channel></rss>"
    ).encode()
    listing = parse(body, "https://example.org/rss")
    text = " ".join([listing.title or ""] + [f"{h.title} {h.summary}" for h in listing.headlines])
    assert "TOP-SECRET" not in text
    assert [h.url for h in listing.headlines] == ["https://example.org/a"]
    assert (
        b"SYSTEM" not in feedparser_input[0]
        and str(secret_file).encode() not in (feedparser_input[0])
    )


# The elements feedparser runs its backtracking e-mail regex over (RSS and Atom spellings).
_AUTHOR_ELEMENT = re.compile(
    rb"<(?:[\w.-]+:)?(?:author|creator|contributor|publisher|managingEditor|webMaster|email|name)"
    rb"[\s/>]",
    re.IGNORECASE,
)


def _authors_reached_feedparser(given: bytes) -> list[str]:
    """Author-like elements in what feedparser was given, and the author fields it filled."""
    import feedparser

    found = [m.group().decode() for m in _AUTHOR_ELEMENT.finditer(given)]
    if found:
        return found  # not parsed again: that is the slow part
    parsed = feedparser.parse(io.BytesIO(given))
    for container in [parsed.feed, *parsed.entries]:
        found += [key for key in container if key.startswith(("author", "publisher"))]
    return found


@pytest.mark.parametrize(
    "element",
    [
        "<author>{bomb}</author>",
        "<managingEditor>{bomb}</managingEditor>",
        "<dc:creator>{bomb}</dc:creator>",
        "<webMaster>{bomb}</webMaster>",
    ],
    ids=["author", "managingEditor", "dc-creator", "webMaster"],
)
def test_a_crafted_32_kb_author_field_never_reaches_feedparser_as_an_author(
    element, feedparser_input
):
    bomb = "aa@" + "a." * 16_000  # feedparser's e-mail regex backtracks for seconds on this
    body = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>t</title>"
        "<item><title>A story with a hostile byline</title><link>https://example.org/a</link>"
        + element.format(bomb=bomb)
        + "</item></channel></rss>"
    ).encode()
    listing = parse(body, "https://example.org/rss")
    assert [h.title for h in listing.headlines] == ["A story with a hostile byline"]
    # Renamed out of feedparser's way: its e-mail regex never sees the field.
    [given] = feedparser_input
    assert _authors_reached_feedparser(given) == []


def test_a_crafted_atom_author_is_harmless(feedparser_input):
    bomb = "aa@" + "a." * 16_000
    body = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>'
        "<title>Entry with a hostile author</title>"
        f'<link href="https://example.org/e"/><author>{bomb}</author></entry></feed>'
    ).encode()
    listing = parse(body, "https://example.org/atom")
    assert listing.kind == "atom"
    assert [h.url for h in listing.headlines] == ["https://example.org/e"]
    [given] = feedparser_input
    assert _authors_reached_feedparser(given) == []


def test_a_10000_item_feed_is_cut_to_the_first_items_before_feedparser(feedparser_input):
    body = big_feed(10_000)
    listing = parse(body, "https://example.org/rss")
    # feedparser's time grows with the items it reads: it is given MAX_FEED_ITEMS, not 10,000.
    [given] = feedparser_input
    assert given.count(b"</item>") == MAX_FEED_ITEMS
    assert given.rstrip().endswith(b"</channel></rss>")
    assert len(listing.headlines) == MAX_FEED_ITEMS
    assert listing.headlines[0].title == "Headline number 0 about the city"
    assert listing.headlines[-1].url == f"https://example.org/a/{MAX_FEED_ITEMS - 1}"
    assert listing.headlines[-1].summary == f"Summary {MAX_FEED_ITEMS - 1} with bold"


def test_defusing_caps_fields_and_strips_every_declaration():
    huge = "x" * 200_000
    body = (
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "v">]><!ENT<!ENTITY f "w">ITY g "z">'
        f'<rss version="2.0"><channel><title>{huge}</title></channel></rss>'
    ).encode()
    safe = defuse_feed(body).decode()
    assert "<!ENTITY" not in safe.upper() and "<!DOCTYPE" not in safe.upper()
    assert len(safe) < 60_000


def test_a_feed_sent_as_utf16_is_defused_too(feedparser_input):
    body = billion_laughs(True).decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"')
    listing = parse(body.encode("utf-16"), "https://example.org/rss")
    assert [h.url for h in listing.headlines] == ["https://example.org/a"]
    # Decoded first, then defused: the UTF-16 DOCTYPE is found and removed like a UTF-8 one.
    [given] = feedparser_input
    assert b"<!DOCTYPE" not in given.upper() and b"<!ENTITY" not in given.upper()
    assert "lollol" not in (listing.title or "")


def test_a_summary_copied_from_html_content_is_read_as_html() -> None:
    # feedparser copies content:encoded to "summary" without its type when an item has no
    # description: the summary is still HTML, never its tags as text.
    body = (
        b'<?xml version="1.0"?><rss version="2.0"'
        b' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
        b"<item><title>A</title><link>https://news.example.org/a</link>"
        b"<content:encoded>&lt;p&gt;Body &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</content:encoded>"
        b"</item></channel></rss>"
    )
    for fast in (True, False):
        listing = parse_feed(body, "https://news.example.org/feed", None, ZONE, fast=fast)
        assert listing.headlines[0].summary == "Body text"
