"""The site's list pages through the preset and through detection alone, and hostile pages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsterm.sources.html_listing
from newsterm.models import Listing
from newsterm.sources import MAX_LISTING_BYTES, UNEXPECTED, parse

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
NEWS = (SITE / "news.html").read_bytes()
NEWS_EXPECTED = json.loads((SITE / "news.expected.json").read_text(encoding="utf-8"))
PAGE2 = (SITE / "news-page2.html").read_bytes()
PAGE2_EXPECTED = json.loads((SITE / "news-page2.expected.json").read_text(encoding="utf-8"))
TODAY = date(2025, 5, 17)


def _rows(listing: Listing) -> list[dict]:
    return [
        {
            "date": h.published.date().isoformat(),
            "time": h.published.strftime("%H:%M"),
            "published": h.published.isoformat(),
            "label": h.label,
            "title": h.title,
            "href": h.url,
        }
        for h in listing.headlines
    ]


def _expected_rows(expected: dict) -> list[dict]:
    keys = ("date", "time", "published", "label", "title", "href")
    return [{key: item[key] for key in keys} for item in expected["items"]]


# -- the sample pages, item by item, on both paths ------------------------------------------------


@pytest.mark.parametrize(
    ("use_presets", "kind"),
    [(True, "preset:espreso"), (False, "generic")],
    ids=["preset", "generic"],
)
@pytest.mark.parametrize(
    ("body", "expected"), [(NEWS, NEWS_EXPECTED), (PAGE2, PAGE2_EXPECTED)], ids=["news", "page2"]
)
def test_list_pages_match_the_expected_parse(body, expected, use_presets, kind):
    listing = parse(
        body, expected["base_url"], "text/html; charset=utf-8", use_presets=use_presets, today=TODAY
    )
    assert listing.kind == kind
    assert listing.reason is None
    assert _rows(listing) == _expected_rows(expected)
    assert listing.next_page == expected["next_page"]
    assert all(h.published.tzinfo is not None for h in listing.headlines)


def test_the_preset_reads_categories_and_detection_does_not_guess_them():
    preset = parse(NEWS, NEWS_EXPECTED["base_url"], today=TODAY)
    assert [h.category for h in preset.headlines] == [
        item["category"] for item in NEWS_EXPECTED["items"]
    ]
    generic = parse(NEWS, NEWS_EXPECTED["base_url"], today=TODAY, use_presets=False)
    assert {h.category for h in generic.headlines} == {None}


@pytest.mark.parametrize("use_presets", [True, False], ids=["preset", "generic"])
def test_the_murals_headline_is_its_link_text_not_the_image_alt(use_presets):
    listing = parse(NEWS, NEWS_EXPECTED["base_url"], use_presets=use_presets, today=TODAY)
    murals = [h for h in listing.headlines if h.title.startswith("Murals")]
    assert [h.title for h in murals] == [
        "Murals in Zaporizhzhya and front line areas show that this land in Ukraine"
    ]


@pytest.mark.parametrize("use_presets", [True, False], ids=["preset", "generic"])
def test_the_most_read_sidebar_and_category_links_are_not_headlines(use_presets):
    listing = parse(NEWS, NEWS_EXPECTED["base_url"], use_presets=use_presets, today=TODAY)
    urls = [h.url for h in listing.headlines]
    # "Most read" repeats five of the list's headlines: they must not come back a second time.
    assert len(urls) == len(set(urls)) == 40
    assert "https://global.espreso.tv/politics" not in urls


def test_page_facts_title_and_no_feeds_from_hreflang_alternates():
    listing = parse(NEWS, NEWS_EXPECTED["base_url"], today=TODAY)
    assert listing.title == "Espreso Global"  # the og:site_name, not the <title> around it
    assert listing.feeds == []  # three rel="alternate" links, all hreflang, none a feed


def test_the_format_is_sniffed_from_content_not_from_the_url_or_header():
    as_feed_url = parse(NEWS, "https://global.espreso.tv/rss", "application/rss+xml")
    assert as_feed_url.kind == "preset:espreso"
    feed = (SITE / "feed.xml").read_bytes()
    assert parse(feed, "https://global.espreso.tv/news.html", "text/html").kind == "rss"


def test_the_site_zone_decides_the_offset():
    listing = parse(NEWS, NEWS_EXPECTED["base_url"], timezone="Europe/Warsaw", today=TODAY)
    first = listing.headlines[0]
    assert first.published.isoformat() == "2025-05-16T19:58:00+02:00"


# -- bad input: an empty Listing with a reason, never an exception ------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b"  \r\n\t ", "empty response"),
        (bytes(range(256)) * 40, "not HTML or a feed"),
        (b"\x00" * 5000, "not HTML or a feed"),
        (b"plain text without any markup at all", "not HTML or a feed"),
        (b"<!-- only a comment -->", "the page could not be parsed"),
        (b"<html><body><p>No list here.</p></body></html>", "no headline list found on the page"),
    ],
    ids=["empty", "whitespace", "binary", "nul", "text", "comment", "no-list"],
)
def test_bad_input_gives_a_reason(body, reason):
    listing = parse(body, "https://example.org/news")
    assert listing.headlines == []
    assert listing.kind == "empty"
    assert listing.reason == reason


def test_invalid_utf8_bytes_are_replaced_not_fatal():
    body = NEWS.replace(b"Russian demands", b"Russian \xff\xfe demands", 1)
    listing = parse(body, NEWS_EXPECTED["base_url"], "text/html; charset=utf-8", today=TODAY)
    assert len(listing.headlines) == 40
    assert listing.headlines[0].title.startswith("Russian \ufffd\ufffd demands")


# libxml2's nesting limit for HTML without huge_tree: deeper elements are not nested further.
LIBXML2_MAX_DEPTH = 256


@pytest.fixture
def loaded_pages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, object]]:
    """(body size, tree) of every page the HTML listing reader loads."""
    loaded: list[tuple[int, object]] = []
    real_load_html = newsterm.sources.html_listing.load_html

    def recording_load_html(body, content_type):  # type: ignore[no-untyped-def]
        root = real_load_html(body, content_type)
        loaded.append((len(body), root))
        return root

    monkeypatch.setattr(newsterm.sources.html_listing, "load_html", recording_load_html)
    return loaded


def _deeper_than(root, depth: int) -> bool:
    """Whether any element sits more than `depth` levels down (one XPath, no recursion)."""
    return bool(root.xpath("/*" + "/*" * depth))


@pytest.mark.parametrize("tag", [b"div", b"b", b"table", b"li"])
def test_100000_deep_nesting_is_harmless(tag, loaded_pages):
    item = b"<span>19:58</span> <a href='/a/%d'>A headline long enough to count</a>"
    body = b"<html><body>" + b"<" + tag + b">" + (b"<" + tag + b">") * 100_000
    body += b"".join(item % i for i in range(3))
    listing = parse(body, "https://example.org/news")
    assert isinstance(listing, Listing)
    assert not (listing.reason or "").startswith(UNEXPECTED), listing.reason
    # The detector's walks cost the tree's depth: the parser keeps it at libxml2's limit.
    [(_, root)] = loaded_pages
    assert not _deeper_than(root, LIBXML2_MAX_DEPTH)


def test_a_20_mb_page_is_cut_to_its_first_megabytes(loaded_pages):
    padding = b"<p>" + b"filler words " * 60 + b"</p>\n"
    body = NEWS.replace(b"</body>", padding * (20 * 1024 * 1024 // len(padding)) + b"</body>")
    assert len(body) > 20 * 1024 * 1024
    listing = parse(body, NEWS_EXPECTED["base_url"], today=TODAY)
    [(size, _)] = loaded_pages
    assert size == MAX_LISTING_BYTES  # only the first 5 MB is decoded and parsed
    assert len(listing.headlines) == 40  # the list is in the first 5 MB


def test_links_must_be_http_and_absolute_and_are_listed_once():
    """An item whose link is not http(s) is listed in its place without a link (issue 15)."""
    body = b"""<html><body><ul>
    <li><span>10:00</span> <a href="javascript:alert(1)">A script link that looks like news</a></li>
    <li><span>09:00</span> <a href="mailto:desk@example.org">Write to the news desk today</a></li>
    <li><span>08:00</span> <a href="/a/one">The first real story of the morning</a></li>
    <li><span>07:00</span> <a href="https://example.org/a/one#c">The first real story again</a></li>
    <li><span>06:00</span> <a href="//cdn.example.org/a/two">A protocol-relative story link</a></li>
    </ul></body></html>"""
    listing = parse(body, "https://example.org/news", today=TODAY)
    assert [(h.title, h.link) for h in listing.headlines] == [
        ("A script link that looks like news", None),
        ("Write to the news desk today", None),
        ("The first real story of the morning", "https://example.org/a/one"),
        ("A protocol-relative story link", "https://cdn.example.org/a/two"),
    ]
    for headline in listing.headlines[:2]:
        assert headline.url.startswith("newsterm:nolink/")
        assert "alert" not in headline.url and "mailto" not in headline.url


# -- properties -----------------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "<html>", "<body>", "<ul>", "<li>", "</li>", "<div>", "</div>", "<table><tr><td>",
        "</td><td>", "<h3>", "</h3>", "<a href='/a/1'>", "<a href='https://x.org/b'>", "</a>",
        "<a href='javascript:x'>", "Long enough headline words here", "19:58", "7:05 pm",
        "2025, Friday", "16 May", "16 травня, 2025 п’ятниця", "15.05.2025 14:49", "<span>",
        "</span>", "<time datetime='2025-05-16T16:58:00Z'>", "</time>", "<base href='//h/'>",
        "<rss>", "<item>", "<title>", "</title>", "<!DOCTYPE x [<!ENTITY a 'bb'>]>", "&a;",
        "&amp;", "<![CDATA[", "]]>", "<?xml version='1.0'?>", "\x00", "\u202e", "<", ">",
        "<a rel=next href='?page=2'>More</a>", "<link rel=alternate type=application/rss+xml>",
    ]
)  # fmt: skip
_HTMLISH = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=60).map("".join)


def _check_listing(listing: Listing) -> None:
    assert isinstance(listing, Listing)
    assert listing.headlines or listing.reason
    # parse() turns an internal error into this reason; on these inputs none may happen.
    assert not (listing.reason or "").startswith(UNEXPECTED)
    for headline in listing.headlines:
        # An http(s) link, or our identifier of an item listed without one (nothing of the page).
        assert headline.url.startswith(("http://", "https://")) or re.fullmatch(
            "newsterm:nolink/[0-9a-f]{24}", headline.url
        )
        assert headline.title and "\n" not in headline.title and "\u202e" not in headline.title
        assert headline.published is None or headline.published.tzinfo is not None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(body):
    _check_listing(parse(body, "https://example.org/news"))


@settings(max_examples=300, deadline=None)
@given(_HTMLISH, st.booleans())
def test_random_html_never_raises(text, use_presets):
    body = text.encode("utf-8", "surrogatepass")
    _check_listing(parse(body, "https://example.org/n", today=TODAY, use_presets=use_presets))
    _check_listing(parse(body, "https://example.org/feed", "application/rss+xml"))


# How long parsing the fixture news page takes (target 50 ms, preset and generic) is a figure
# of benchmarks/hostile.py, not a test: timings on a shared machine are noise.


def test_importing_sources_and_parsing_html_loads_no_ui_network_or_feed_code():
    code = (
        "import sys; from pathlib import Path; import newsterm.sources as s;"
        "loaded = [m for m in ('textual', 'httpx', 'feedparser') if m in sys.modules];"
        f"s.parse(Path({str(SITE / 'news.html')!r}).read_bytes(), 'https://global.espreso.tv/news');"
        "loaded += [m + ' (after parse)' for m in ('textual', 'httpx', 'feedparser')"
        " if m in sys.modules]; print(','.join(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_published_is_a_datetime_with_the_items_own_minute():
    listing = parse(PAGE2, PAGE2_EXPECTED["base_url"], today=TODAY)
    last = listing.headlines[-1]
    assert isinstance(last.published, datetime)
    assert last.published.isoformat() == PAGE2_EXPECTED["items"][-1]["published"]


# -- the one HTML loader: a list page is read as the reader reads an article ---------------------


def test_utf8_bytes_under_a_legacy_meta_charset_are_read_as_utf8():
    """A page re-saved as UTF-8 that kept its old `<meta charset>` (extract.parsing's rule)."""
    body = NEWS.replace(b"<head>", b'<head><meta charset="windows-1252">', 1).replace(
        b"Russian demands", "Russian \u2014 \u00ab\u00e9\u00bb demands".encode(), 1
    )
    assert b"windows-1252" in body
    listing = parse(body, NEWS_EXPECTED["base_url"], "text/html", today=TODAY)
    assert listing.headlines[0].title.startswith("Russian \u2014 \u00ab\u00e9\u00bb demands")


def test_a_list_longer_than_the_article_element_cap_is_kept_whole():
    from newsterm.extract.parsing import MAX_ELEMENTS

    item = '<li><span>{h:02d}:{m:02d}</span> <a href="/a/{i}">Story {i} of the long day</a></li>'
    rows = [item.format(h=23 - i // 60 % 24, m=59 - i % 60, i=i) for i in range(1800)]
    # Each row's <li>, <span> and <a>, wrapped in twelve <div>s: 27,000 elements.
    padded = ["<div>" * 12 + row + "</div>" * 12 for row in rows]
    body = ("<html><body><ul>" + "".join(padded) + "</ul></body></html>").encode()
    listing = parse(body, "https://example.org/news", today=TODAY)
    assert 1800 * 15 > MAX_ELEMENTS
    assert len(listing.headlines) == 1800
