"""Properties: parse and extract never raise on hostile feeds and pages, finish fast, stay clean."""

# The plain "arbitrary bytes / text / tag soup" properties live next to the code they test
# (tests/unit/test_sources_html.py, test_extract_hostile.py); these build inputs out of the
# campaign's own ingredients: declarations, entities, escapes, bidi, author bombs, charsets.

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsterm.extract import extract_article
from newsterm.models import Listing
from newsterm.sources import UNEXPECTED, parse
from tests.hostile.test_support import UNSAFE

SECONDS = 1.0
"""The bound for one parse or extraction of these small inputs (the brief's "fast")."""

_HOSTILE_TEXT = st.sampled_from(
    [
        "\x1b[2J", "&#27;[2J", "&#x1b;]0;t&#7;", "\x1b]8;;https://evil/\x1b\\x\x1b]8;;\x1b\\",
        "\u009b31m", "&#155;", "&#x9b;", "\u202e", "&#x202e;", "\u2066", "&#8294;", "\x00",
        "[/", "[TODO]", "[bold]", '[link="https://evil"]', "[/link]", "&lol9;", "&xxe;",
        "&amp;", "&lt;b&gt;", "<![CDATA[", "]]>", "aa@" + "a." * 300, "⚛️", "👩‍👩‍👧", "e\u0301",
    ]
)  # fmt: skip
_WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
_FIELD = st.lists(st.one_of(_HOSTILE_TEXT, _WORDS), max_size=6).map("".join)
_LINK = st.sampled_from(
    [
        "https://example.org/a", "/relative", "../../etc/passwd", "javascript:alert(1)",
        "file:///etc/passwd", "data:,x", "//cdn.example.org/x", "https://exa\u202emple.org/b",
        "http://[::1", "https://example.org/$(id)&x=1", "",
    ]
)  # fmt: skip
_PROLOG = st.sampled_from(
    [
        "",
        '<?xml version="1.0"?>',
        '<?xml version="1.0" encoding="windows-1251"?>',
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;">]>',
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss SYSTEM "file:///etc/passwd">',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    ]
)
_ITEM_FIELDS = st.sampled_from(["title", "description", "author", "dc:creator", "pubDate"])


@st.composite
def hostile_feeds(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """An RSS or Atom feed made of hostile pieces, encoded as its header might claim."""
    atom = draw(st.booleans())
    items = []
    for _ in range(draw(st.integers(0, 5))):
        fields = "".join(
            f"<{name}>{draw(_FIELD)}</{name}>"
            for name in draw(st.lists(_ITEM_FIELDS, max_size=4, unique=True))
        )
        link = draw(_LINK).replace("&", "&amp;")
        if atom:
            items.append(f'<entry>{fields}<link href="{link}"/></entry>')
        else:
            items.append(f"<item>{fields}<link>{link}</link></item>")
    if atom:
        body = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(_FIELD)}</title>'
        body += "".join(items) + ("</feed>" if draw(st.booleans()) else "")
    else:
        body = '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        body += f"<title>{draw(_FIELD)}</title>" + "".join(items)
        body += "</channel></rss>" if draw(st.booleans()) else ""  # sometimes cut short
    text = draw(_PROLOG) + body
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1251", "koi8-u"]))
    header = draw(
        st.sampled_from([None, "application/rss+xml", f"text/xml; charset={encoding}", "text/html"])
    )
    return text.encode(encoding, "replace"), header


def _check_listing(listing: Listing) -> None:
    """A listing as the contract says: headlines or a reason, http(s) links, clean text."""
    assert isinstance(listing, Listing)
    assert listing.headlines or listing.reason
    assert not (listing.reason or "").startswith(UNEXPECTED), listing.reason
    for headline in listing.headlines:
        assert headline.url.startswith(("http://", "https://")), headline.url
        for text in (headline.title, headline.summary or "", headline.label or "", headline.url):
            assert not UNSAFE.search(text), text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_feeds())
def test_hostile_feeds_never_raise_finish_fast_and_come_out_clean(feed):
    body, content_type = feed
    started = time.perf_counter()
    listing = parse(body, "https://example.org/rss", content_type)
    assert time.perf_counter() - started < SECONDS
    _check_listing(listing)
    assert "lollol" not in " ".join(h.title for h in listing.headlines)
    assert "root:" not in " ".join(f"{h.title} {h.summary}" for h in listing.headlines)


_PAGE_PIECES = st.one_of(
    _HOSTILE_TEXT,
    _WORDS,
    st.sampled_from(
        [
            "<html>", "<head>", "</head>", "<body>", "<article>", "</article>", "<h1>", "</h1>",
            "<p>", "</p>", "<title>", "</title>", "<div>" * 50, "</div>" * 50, "<a href='",
            "'>", "</a>", "<meta charset='windows-1251'>", "<meta charset='utf-8'>",
            '<meta name="author" content="', '<meta property="og:title" content="', '">',
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":"',
            '","author":{"name":"', '"}}</script>', "<span class='byline'>", "</span>",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. ",
        ]
    ),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_PAGE_PIECES, max_size=80).map("".join),
    st.sampled_from(["utf-8", "cp1251", "utf-16"]),
    st.sampled_from([None, "text/html", "text/html; charset=utf-8"]),
)
def test_hostile_pages_never_raise_finish_fast_and_every_field_is_clean(page, encoding, header):
    started = time.perf_counter()
    article = extract_article(
        page.encode(encoding, "replace"), "https://example.org/a", content_type=header
    )
    assert time.perf_counter() - started < SECONDS
    fields = [article.title, article.text, article.markdown, article.byline or ""]
    fields += [article.lead or "", article.site_name or "", *article.tags]
    for field in fields:
        assert not UNSAFE.search(field), field
