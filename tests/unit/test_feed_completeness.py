"""Feeds cut short are refused; feeds that are not well-formed are cut before feedparser plods."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from newsterm.sources import MAX_LISTING_BYTES, parse
from newsterm.sources.feed_safety import (
    CUT_SHORT,
    MAX_FEED_ITEMS,
    MAX_ITEM_CATEGORIES,
    MAX_LOOSE_TAGS,
    FeedRefused,
    defuse_feed,
)

FEED_TYPE = "application/rss+xml"
_TAG = re.compile(rb"<[/A-Za-z_]")


def _items(count: int, extra: str = "") -> str:
    # Six elements (twelve tags) an item, as ordinary feeds have.
    return "".join(
        f"<item><title>Story {n}{extra}</title><link>https://example.org/{n}</link>"
        f"<guid>https://example.org/{n}</guid><category>World</category>"
        f"<pubDate>Fri, 16 May 2025 19:58:00 +0300</pubDate></item>"
        for n in range(count)
    )


def _rss(items: str, *, close: bool = True) -> bytes:
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
    return (head + ("</channel></rss>" if close else "")).encode()


@pytest.mark.parametrize(
    "body",
    [
        _rss(_items(3), close=False),
        _rss(_items(3))[:-8],  # "</channel>" still there, "</rss>" not
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>A</title>'
        b'<link href="https://example.org/a"/></entry>',
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item>'
        b"<title>A</title><link>https://example.org/a</link></item></rdf:RDF",
        _rss(_items(2) + "<item><description><![CDATA[a feed ends with </rss>", close=False),
        b"<!-- </rss> --><rss><channel><item><title>A</title><link>https://example.org/a</link>",
    ],
    ids=[
        "rss-unclosed",
        "rss-end-tag-cut",
        "atom-unclosed",
        "rdf-end-tag-cut",
        "end-tag-in-cdata",
        "end-tag-in-comment",
    ],
)
def test_a_feed_whose_root_is_never_closed_is_cut_short(body):
    with pytest.raises(FeedRefused, match=CUT_SHORT):
        defuse_feed(body, FEED_TYPE)
    listing = parse(body, "https://example.org/rss", FEED_TYPE)
    assert listing.headlines == [] and listing.reason == CUT_SHORT


@pytest.mark.parametrize(
    "tail",
    [
        "",
        "\n<!-- generated in 0.2 s -->\n",
        "<br />\n<b>Warning</b>: something in <b>feed.php</b> on line <b>12</b><br />",
        "\x00\x00",
    ],
    ids=["nothing", "comment", "php-warning", "nul-bytes"],
)
def test_whatever_follows_the_closed_root_does_not_make_it_cut_short(tail):
    body = _rss(_items(3)) + tail.encode()
    listing = parse(body, "https://example.org/rss", FEED_TYPE)
    assert [h.title for h in listing.headlines] == ["Story 0", "Story 1", "Story 2"]


def test_a_well_formed_feed_is_not_cut_however_many_tags_it_has():
    body = _rss(_items(MAX_FEED_ITEMS))
    assert len(_TAG.findall(body)) > MAX_LOOSE_TAGS  # 12 tags an item: 24,000
    safe = defuse_feed(body, FEED_TYPE)
    assert safe.count(b"</item>") == MAX_FEED_ITEMS
    assert len(parse(body, "https://example.org/rss", FEED_TYPE).headlines) == MAX_FEED_ITEMS


def test_a_feed_that_is_not_well_formed_is_cut_at_its_last_item_within_the_tag_limit():
    # "&nbsp;" is not an XML entity: expat refuses the feed, feedparser's loose parser reads it.
    body = _rss(_items(MAX_FEED_ITEMS, extra=" &nbsp;"))
    safe = defuse_feed(body, FEED_TYPE)
    assert len(_TAG.findall(safe)) <= MAX_LOOSE_TAGS + 2  # the re-closed channel and root
    kept = safe.count(b"</item>")
    assert MAX_LOOSE_TAGS // 12 - 1 <= kept < MAX_FEED_ITEMS
    assert safe.rstrip().endswith(b"</item>\n</channel></rss>")
    listing = parse(body, "https://example.org/rss", FEED_TYPE)
    assert [h.url for h in listing.headlines] == [f"https://example.org/{n}" for n in range(kept)]


def test_stray_tags_before_any_item_leave_the_head_and_no_items():
    body = _rss("<x>" * 100_000 + _items(1))
    safe = defuse_feed(body, FEED_TYPE)
    assert len(_TAG.findall(safe)) <= MAX_LOOSE_TAGS + 2
    assert b"<item>" not in safe
    assert parse(body, "https://example.org/rss", FEED_TYPE).reason == "the feed has no items"


def test_a_feed_longer_than_the_listing_cap_ends_at_its_last_whole_item():
    # 6 MiB of well-formed feed: parse() keeps the first MAX_LISTING_BYTES, so the end tag is
    # gone by our own hand — that is not a feed cut short by its server.
    summary = "word " * 600
    items = "".join(
        f"<item><title>Story {n}</title><link>https://example.org/{n}</link>"
        f"<description>{summary}</description></item>"
        for n in range(2_100)
    )
    body = _rss(items)
    assert len(body) > MAX_LISTING_BYTES
    listing = parse(body, "https://example.org/rss", FEED_TYPE)
    assert listing.reason is None
    kept = len(listing.headlines)
    assert 1_000 < kept < 2_100  # every item wholly inside the first 5 MiB, none cut
    assert [h.url for h in listing.headlines] == [f"https://example.org/{n}" for n in range(kept)]
    assert listing.headlines[-1].summary == summary.strip()


def test_an_empty_feed_is_not_taken_for_one_cut_short():
    listing = parse(b'<rss version="2.0"/>', "https://example.org/rss", FEED_TYPE)
    assert listing.reason == "the feed has no items"


_NAMESPACES = (
    b'<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    b' xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
)


@pytest.mark.parametrize(
    "tag",
    [
        "<category>tag {n}</category>",
        "<category><![CDATA[tag {n}]]></category>",
        "<category><!-- x -->tag {n}</category>",
        '<category domain="http://x.example/a/>b">tag {n}</category>',
        "<atom:category term='tag {n}'/>",
        "<dc:subject>tag {n}</dc:subject>",
    ],
    ids=["plain", "cdata", "comment", "slash-in-value", "atom-empty", "dc-subject"],
)
def test_an_item_with_thousands_of_categories_keeps_its_first_64(tag: str):
    # feedparser compares each tag with the item's tags so far: 20,000 of them took 5 s.
    # An itunes:summary sends the feed to feedparser rather than to the fast reader.
    tags = "".join(tag.format(n=n) for n in range(20_000))
    channel_tags = "<category>Channel</category>" * 70  # the channel's own: no item's
    items = (
        f"{channel_tags}<item><title>One</title><link>https://example.org/1</link>"
        f"<itunes:summary>x</itunes:summary>{tags}</item>"
        "<item><title>Two</title><link>https://example.org/2</link>"
        "<category>Sport</category><category-hint/></item>"
    )
    body = _rss(items).replace(b'<rss version="2.0">', _NAMESPACES)
    safe = defuse_feed(body, FEED_TYPE)
    last_kept, first_dropped = (tag.format(n=n).encode() for n in (63, 64))
    assert last_kept in safe and first_dropped not in safe and b"tag 19999" not in safe
    assert safe.count(b"<category>Channel</category>") == MAX_ITEM_CATEGORIES
    assert b"<category>Sport</category><category-hint/>" in safe
    ElementTree.fromstring(safe)  # still well-formed
    listing = parse(body, "https://example.org/rss", FEED_TYPE)
    assert [(h.title, h.category) for h in listing.headlines] == [
        ("One", "tag 0"),
        ("Two", "Sport"),
    ]


def test_nested_categories_past_the_cap_go_whole_and_an_unclosed_one_loses_nothing():
    # iTunes nests a subcategory in its category; a category left open ends with its item.
    nested = (
        "<itunes:category text='A {n}'><itunes:category text='B {n}'></itunes:category>"
        "</itunes:category>"
    )
    tags = "".join(nested.format(n=n) for n in range(100))
    second = (
        "<item><title>Two</title><link>https://example.org/2</link>"
        "<category>Sport</category></item>"
    )
    first = f"<item><title>One</title><link>https://example.org/1</link>{tags}</item>"
    body = _rss(first + second).replace(b'<rss version="2.0">', _NAMESPACES)
    safe = defuse_feed(body, FEED_TYPE)
    ElementTree.fromstring(safe)
    assert b"'A 31'" in safe and b"'B 31'" in safe and b"'A 32'" not in safe
    assert [h.title for h in parse(body, "https://example.org/rss", FEED_TYPE).headlines] == [
        "One",
        "Two",
    ]
    open_tag = first.replace("</item>", "<category>never closed</item>")
    loose = _rss(open_tag + second).replace(b'<rss version="2.0">', _NAMESPACES)
    assert b"<title>Two</title><link>https://example.org/2</link>" in defuse_feed(loose, FEED_TYPE)
