"""Properties: parse and extract never raise on hostile feeds and pages, and stay clean."""

# The plain "arbitrary bytes / text / tag soup" properties live next to the code they test
# (tests/unit/test_sources_html.py, test_extract_hostile.py); these build inputs out of the
# campaign's own ingredients: declarations, entities, escapes, bidi, author bombs, charsets.

# How long they take is not asserted (a shared machine makes any bound flaky): the fuzz run
# (benchmarks/fuzz.py) lists slow cases, and benchmarks/hostile.py times the campaign's own.

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsterm.extract import extract_article
from newsterm.models import Listing
from newsterm.sources import UNEXPECTED, parse
from tests.support.hostile import UNSAFE

# What the defusing must keep from feedparser: declarations (entities, external files) and
# the author-like elements its backtracking e-mail regex reads.
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_AUTHOR_ELEMENT = re.compile(
    rb"<(?:[\w.-]+:)?(?:author|creator|contributor|publisher|managingEditor|webMaster|email|name)"
    rb"[\s/>]",
    re.IGNORECASE,
)

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
    """A listing as the contract says: headlines or a reason, http(s) links or none (our
    identifier of a headline without a link, which holds nothing of the page), clean text."""
    assert isinstance(listing, Listing)
    assert listing.headlines or listing.reason
    assert not (listing.reason or "").startswith(UNEXPECTED), listing.reason
    for headline in listing.headlines:
        if headline.link is None:
            assert re.fullmatch("newsterm:nolink/[0-9a-f]{24}", headline.url), headline.url
        else:
            assert headline.url.startswith(("http://", "https://")), headline.url
        for text in (headline.title, headline.summary or "", headline.label or "", headline.url):
            assert not UNSAFE.search(text), text


@contextmanager
def _feedparser_inputs() -> Iterator[list[bytes]]:
    """The documents feedparser.parse is given inside the block (a context manager, as
    Hypothesis runs many examples per function-scoped fixture)."""
    import feedparser

    given: list[bytes] = []
    real_parse = feedparser.parse

    def recording_parse(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        given.append(source.read())
        return real_parse(io.BytesIO(given[-1]), *args, **kwargs)

    feedparser.parse = recording_parse
    try:
        yield given
    finally:
        feedparser.parse = real_parse


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_feeds())
def test_hostile_feeds_never_raise_are_defused_and_come_out_clean(feed):
    body, content_type = feed
    with _feedparser_inputs() as given:
        listing = parse(body, "https://example.org/rss", content_type)
    _check_listing(listing)
    for document in given:
        assert not _DECLARATION.search(document), document[:300]
        assert not _AUTHOR_ELEMENT.search(document), document[:300]
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
def test_hostile_pages_never_raise_and_every_field_is_clean(page, encoding, header):
    article = extract_article(
        page.encode(encoding, "replace"), "https://example.org/a", content_type=header
    )
    fields = [article.title, article.text, article.markdown, article.byline or ""]
    fields += [article.lead or "", article.site_name or "", *article.tags]
    for field in fields:
        assert not UNSAFE.search(field), field
