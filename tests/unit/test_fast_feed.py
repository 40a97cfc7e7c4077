"""The fast feed reader gives exactly the Listing that feedparser gives, or hands the feed over."""

from __future__ import annotations

import itertools
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsterm.sources.fast_feed import NotOrdinary, parse_ordinary_feed
from newsterm.sources.feed_safety import defuse_feed
from newsterm.sources.feeds import parse_feed
from newsterm.text import zones
from tests.support.hostile_feeds import big_feed, billion_laughs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BASE = "https://news.example.org/feeds/main.xml"
TZ = zones.zone("Europe/Kyiv")
NAMESPACES = (
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"'
    ' xmlns:media="http://search.yahoo.com/mrss/"'
    ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
    ' xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
    ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
)


def both_ways(body: bytes, content_type: str | None = "application/rss+xml") -> None:
    fast = parse_feed(body, BASE, content_type, TZ)
    slow = parse_feed(body, BASE, content_type, TZ, fast=False)
    assert fast == slow


def takes_fast_path(body: bytes, content_type: str | None = "application/rss+xml") -> bool:
    try:
        parse_ordinary_feed(defuse_feed(body, content_type), BASE, TZ)
    except NotOrdinary:
        return False
    return True


def rss(items: str, channel: str = "<title>The Daily</title>", root: str = NAMESPACES) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"{root}><channel>'
        f"{channel}{items}</channel></rss>"
    ).encode()


def atom(entries: str, head: str = "<title>The Daily</title><id>urn:x:feed</id>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:media="http://search.yahoo.com/mrss/" xml:lang="en">'
        f"{head}{entries}</feed>"
    ).encode()


# Item fields that feedparser reads in its own ways: entities, CDATA, HTML in places where
# RSS says text, relative and odd links, C1 controls and UTF-8 read as Latin-1, dates that
# only feedparser reads, categories with and without domains, guids that are links or not.
TITLES = [
    "Plain headline",
    "  Spaced\n\t headline  ",
    "Fish &amp; chips &lt;3",
    "a &lt;b&gt;bold&lt;/b&gt; move",
    "&lt;i&gt;not closed",
    "<![CDATA[Council <b>votes</b> on budget]]>",
    "<![CDATA[[bold]x[/bold] & co]]>",
    "AT&amp;amp;T &amp;copy; 2025",
    "Caf\u00c3\u00a9 society",
    "\u0080\u0093 dash",
    "Київ: новини дня",
    "&#160;&#8203;",
    "",
    "&lt;script&gt;x&lt;/script&gt;only",
    "It&#8217;s &#x201C;quoted&#x201D;",
]
LINKS = [
    "<link>https://news.example.org/a/1</link>",
    "<link>/a/relative</link>",
    "<link>a/relative?x=1&amp;y=2</link>",
    "<link>http:///news.example.org//triple</link>",
    "<link>https://news.example.org/a?x=1&amp;amp;y=2&amp;copy;z</link>",
    "<link> https://news.example.org/a/1#comments </link>",
    "<link>https://news.example.org/a/2#top</link>",
    "<link>javascript:alert(1)</link>",
    "<link></link>",
    "",
    '<atom:link rel="alternate" href="/alt/1"/>',
    '<atom:link rel="alternate" type="application/xml" href="/alt/xml"/><link>/a/3</link>',
    '<link>/a/4</link><atom:link href="/alt/4" type="TEXT/HTML"/>',
    '<atom:link rel="self" href="/self"/><atom:link rel="alternate" type="" href="/x"/>',
]
DESCRIPTIONS = [
    "",
    "<description>Plain summary</description>",
    "<description>&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;</description>",
    "<description><![CDATA[<p>Caf\u00e9 <a href='/x'>link</a></p><script>x</script>]]>"
    "</description>",
    "<description>5 &lt; 6 &amp;amp; 7</description>",
    "<description>&lt;p&gt;&amp;#27;[31m red&lt;/p&gt;</description>",
    "<content:encoded><![CDATA[<p>Only <b>content</b></p>]]></content:encoded>",
    "<description></description><content:encoded>&lt;p&gt;Body&lt;/p&gt;</content:encoded>",
    "<content:encoded>&lt;p&gt;First&lt;/p&gt;</content:encoded><description>Teaser</description>",
    "<description>Teaser</description><content:encoded>&lt;p&gt;Body&lt;/p&gt;</content:encoded>",
]
DATES = [
    "",
    "<pubDate>Fri, 16 May 2025 19:58:00 +0300</pubDate>",
    "<pubDate>2025-05-16T19:58:00Z</pubDate>",
    "<pubDate>16 травня 2025, 19:58</pubDate>",
    "<pubDate>Fri, 16 May 2025 19:58:00 EDT</pubDate>",
    "<pubDate>Sun, 31 Nov 2025 10:00:00 GMT</pubDate>",
    "<pubDate>not a date at all</pubDate>",
    "<pubDate>2003-12-31T10:14:55.123-08:00</pubDate>",
    "<dc:date>2025-05-16T19:58:00+05:45</dc:date>",
    "<dc:date>2025-05-16</dc:date><pubDate>Fri, 16 May 2025 07:00:00 -0930</pubDate>",
    "<dcterms:modified>2025-05-16T19:58:00-03:30</dcterms:modified>",
    "<atom:updated>2025-05-16T19:58:00Z</atom:updated>",
    "<pubDate>Fri, 16 May 2025 19:58:00 +1400</pubDate>",
]
EXTRAS = [
    "",
    "<guid>https://news.example.org/guid/1</guid>",
    '<guid isPermaLink="false">urn:x:1</guid>',
    '<guid isPermaLink="true">/guid/relative</guid>',
    '<guid isPermaLink="True">https://news.example.org/guid/2</guid>',
    '<category domain="https://example.org/c">World</category><category>Local</category>',
    '<category domain="d"></category><category>  Sport  </category>',
    "<category>\u200b</category><category>&lt;b&gt;Tech&lt;/b&gt;</category>",
    "<comments>/c/1</comments><author>me@example.org (Me)</author>",
    '<enclosure url="/e.mp3" length="1" type="audio/mpeg"/><dc:creator>Me</dc:creator>',
    '<media:content url="/i.jpg" medium="image"><media:credit>AP</media:credit></media:content>'
    '<media:thumbnail url="/t.jpg"/>',
    "<slash:comments>3</slash:comments><wfw:commentRss>/c/rss</wfw:commentRss>",
    '<media:group><media:title>G</media:title><media:content url="/v"/></media:group>',
    '<source url="https://other.example/rss">Other</source><dc:subject>Economy</dc:subject>',
]


def pairings(columns: list[list[str]]) -> list[list[str]]:
    """Rows that pair every value of each column with values of the others (co-prime
    strides), every other row in reverse order (the order of the parts matters to feedparser)."""
    rows = []
    for number in range(max(len(column) for column in columns) * 3):
        parts = [column[(number * (i + 1)) % len(column)] for i, column in enumerate(columns)]
        rows.append(parts[::-1] if number % 2 else parts)
    return rows


def generated_items() -> list[str]:
    """RSS items: a title, then the other fields in either order."""
    rows = pairings([LINKS, DESCRIPTIONS, DATES, EXTRAS])
    return [
        f"<item><title>{title}</title>{''.join(row)}</item>"
        for title, row in zip(TITLES * 4, rows, strict=False)
    ]


@pytest.mark.parametrize("item", generated_items())
def test_each_generated_item_reads_the_same(item: str) -> None:
    both_ways(rss(item))


@pytest.mark.parametrize("item", generated_items())
def test_each_generated_item_reads_the_same_with_the_guid_first(item: str) -> None:
    both_ways(rss(item.replace("<item>", "<item><guid>https://news.example.org/g/0</guid>")))


@pytest.mark.parametrize(
    "item",
    [
        "<item><title>A</title><link>/a</link><link>/b</link></item>",
        '<item><title type="html">&lt;b&gt;A&lt;/b&gt;</title><link>/a</link></item>',
        '<item><title>A</title><atom:link href="/b"/><link>/a</link></item>',
        '<item><guid isPermaLink="false">/g</guid><title>A</title><link>/a</link></item>',
        # A guid after the link is not the link, even when the link is unusable.
        "<item><title>A</title><link>javascript:x</link><guid>/g/1</guid></item>"
        "<item><title>B</title><link>/b</link></item>",
        # A media:title is the item's title to feedparser only where the item has none.
        "<item><media:title>M</media:title><title>A</title><link>/a</link></item>",
        "<item><title>A</title><media:content url='/i'><media:title>M</media:title>"
        "</media:content><link>/a</link></item>",
        "<item><title>A</title><media:title type='plain'>M</media:title><link>/a</link></item>",
    ],
)
def test_parts_read_in_feedparser_order_read_the_same_and_fast(item: str) -> None:
    both_ways(rss(item))
    assert takes_fast_path(rss(item))


def test_most_generated_items_are_read_fast() -> None:
    fast = [item for item in generated_items() if takes_fast_path(rss(item))]
    assert len(fast) > len(generated_items()) // 3


def test_generated_feed_with_repeated_links_reads_the_same() -> None:
    body = rss("".join(generated_items() * 2))  # repeats: dedup keeps the first
    both_ways(body)


def test_an_ordinary_wordpress_like_feed_is_read_fast() -> None:
    item = (
        "<item><title>Council votes on the harbour budget</title>"
        "<link>https://news.example.org/2025/05/16/budget/</link>"
        "<comments>https://news.example.org/2025/05/16/budget/#respond</comments>"
        "<dc:creator><![CDATA[Jane Doe]]></dc:creator>"
        "<pubDate>Fri, 16 May 2025 19:58:00 +0000</pubDate>"
        "<category><![CDATA[City]]></category><category><![CDATA[Budget]]></category>"
        '<guid isPermaLink="false">https://news.example.org/?p=123</guid>'
        "<description><![CDATA[<p>The council met&#8230;</p>]]></description>"
        "<content:encoded><![CDATA[<p>The council met on Friday.</p>]]></content:encoded>"
        "<wfw:commentRss>https://news.example.org/2025/05/16/budget/feed/</wfw:commentRss>"
        "<slash:comments>4</slash:comments>"
        '<media:content url="https://news.example.org/i.jpg" medium="image">'
        '<media:title type="plain">x</media:title></media:content>'
        "</item>"
    )
    channel = (
        '<title>News</title><atom:link href="https://news.example.org/feed/" rel="self"'
        ' type="application/rss+xml"/><link>https://news.example.org</link>'
        "<description>All the news</description><lastBuildDate>Fri, 16 May 2025 20:00:00 +0000"
        "</lastBuildDate><language>en-US</language><sy:updatePeriod>hourly</sy:updatePeriod>"
        "<generator>https://wordpress.org/?v=6.5</generator>"
        "<image><url>https://news.example.org/logo.png</url><title>News</title>"
        "<link>https://news.example.org</link></image>"
    )
    body = rss(item * 3, channel)
    both_ways(body)
    assert takes_fast_path(body)


def test_the_benchmark_and_site_feeds_are_read_fast() -> None:
    assert takes_fast_path(big_feed(50))
    assert takes_fast_path((FIXTURES / "site" / "feed.xml").read_bytes(), None)


@pytest.mark.parametrize(
    "channel",
    [
        "<title>Fish &amp; Chips &lt;b&gt;Daily&lt;/b&gt;</title><link>/</link>",
        "<description>About</description><language>uk</language><title></title>",
        "<ttl>5</ttl><image><title>Logo</title><url>/l.png</url></image><title>T</title>",
        '<atom:link rel="next" href="/p2"/><atom:link rel="next" href="/p3"/>',
        '<atom:link rel="NEXT" href="http:///news.example.org/p2"/>',
        '<atom:link rel="next" href="javascript:x"/><atom:link rel="next" href="/p3"/>',
        '<atom:link rel="next" uri="/p2"/>',
        "<title>One</title><title>Two</title>",
        "<dc:title>Other</dc:title><title>T</title>",
        "<textInput><title>Search</title><link>/s</link></textInput>",
        "<foo:bar xmlns:foo='urn:foo'><title>nested</title></foo:bar><title>T</title>",
        "<foo:bar xmlns:foo='urn:foo'><atom:link rel='next' href='/n'/></foo:bar>",
        "<image><link>/i</link><atom:link rel='next' href='/n'/></image>",
        "",
    ],
)
def test_channel_parts_read_the_same(channel: str) -> None:
    both_ways(rss("<item><title>A</title><link>/a</link></item>", channel))


@pytest.mark.parametrize(
    ("root", "item"),
    [
        ("", '<item xml:base="https://other.example/"><title>A</title><link>a</link></item>'),
        ("", '<item><title>A</title><link base="https://other.example/">a</link></item>'),
        ("", "<item><title>A<!-- c --> B</title><link>/a</link></item>"),
        ("", "<item><title>A</title><title>B</title><link>/a</link></item>"),
        ("", "<item><title>A</title><link>/a</link><date>2025-05-16</date></item>"),
        ("", "<item><title>A</title><link>/a</link><keywords>k</keywords></item>"),
        ("", "<item><title>A</title><link>/a</link><abstract>k</abstract></item>"),
        ("", '<item rdf:about="x"><title>A</title><link>/a</link></item>'.replace("rdf:", "")),
        ("", "<item><title>A</title><description>a</description><description>b</description>"
         "<link>/a</link></item>"),
        (NAMESPACES, "<item><title>A</title><link>/a</link>"
         "<media:description>d</media:description></item>"),
        (NAMESPACES, "<item><title></title><link>/a</link><description>D</description>"
         "<media:group><media:title>T</media:title></media:group></item>"),
        (NAMESPACES, "<item><media:title>T</media:title><link>/a</link></item>"),
        (NAMESPACES, "<item><title>A</title><link>/a</link><dc:description>d</dc:description>"
         "</item>"),
        (' xmlns:dc="http://purl.org/dc/elements/1.0/"',
         "<item><dc:date>2025-05-16</dc:date><title>A</title><link>/a</link></item>"),
        (' xmlns="http://purl.org/rss/1.0/"', "<item><title>A</title><link>/a</link></item>"),
        (' xmlns:r="http://purl.org/rss/1.0/"', "<item><title>A</title><link>/a</link></item>"),
        ("", "<item><title>A &nbsp; B</title><link>/a</link></item>"),
        ("", "<item><title></title><description></description><link>/a</link></item>"),
        ("", '<item><title>A</title><post-id xmlns="com-wordpress:feed-additions:1">7'
         "</post-id><link>/a</link></item>"),
    ],
)  # fmt: skip
def test_parts_the_fast_reader_hands_over_read_the_same(root: str, item: str) -> None:
    body = rss(item, root=root)
    both_ways(body)
    assert not takes_fast_path(body)


ATOM_TITLES = [
    "<title>Plain</title>",
    '<title type="text">a &lt;b&gt; c &amp;amp; d</title>',
    '<title type="html">a &lt;b&gt;bold&lt;/b&gt; &amp;amp; d</title>',
    '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X <b>y</b></div></title>',
    "<title></title>",
    '<title type="HTML">&lt;i&gt;Caps&lt;/i&gt;</title>',
]
ATOM_LINKS = [
    '<link href="https://news.example.org/e/1"/>',
    '<link rel="alternate" type="text/html" href="/e/rel"/>',
    '<link rel="self" href="/self"/><link rel="alternate" href="/e/2"/>',
    '<link rel="enclosure" href="/a.mp3"/>',
    '<link rel="alternate" type="application/pdf" href="/e.pdf"/>',
    '<link rel="alternate" type="image/png" href="/e/png"/><link type="xhtml" href="/e/xhtml"/>',
    "",
    "<link>/text/link</link>",
]
ATOM_BODIES = [
    "",
    '<summary type="html">&lt;p&gt;S&lt;/p&gt;</summary>',
    "<summary>plain &lt;b&gt;</summary>",
    '<content type="html">&lt;p&gt;C&lt;/p&gt;</content>',
    '<content type="html">&lt;p&gt;C&lt;/p&gt;</content><summary>S</summary>',
    '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>X</p></div></content>',
    '<content src="/c"/>',
    '<content type="text">T</content>',
]
ATOM_IDS = [
    "<id>tag:news.example.org,2025:1</id>",
    "<id>https://news.example.org/id/1</id>",
    "<id>/id/relative</id>",
    "",
]
ATOM_DATES = [
    "<published>2025-05-16T19:58:00+03:00</published><updated>2025-05-17T10:00:00Z</updated>",
    "<updated>2025-05-16T19:58:00.5-05:00</updated>",
    "",
    "<published>May 2025</published>",
    '<category term="world" label="World"/><category term="x" scheme="s"/>',
]


def generated_entries() -> list[str]:
    author = "<author><name>N</name><uri>/u</uri></author>"
    rows = pairings([ATOM_TITLES, ATOM_LINKS, ATOM_BODIES, ATOM_IDS, ATOM_DATES])
    return [f"<entry>{''.join(row)}{author}</entry>" for row in rows]


@pytest.mark.parametrize("entry", generated_entries())
def test_each_generated_atom_entry_reads_the_same(entry: str) -> None:
    both_ways(atom(entry), "application/atom+xml")


@pytest.mark.parametrize(
    "entry",
    [
        # The last HTML alternate is the link; "xhtml" is HTML to feedparser too.
        '<entry><title>T</title><link rel="alternate" type="image/png" href="/e/png"/>'
        '<link type="xhtml" href="/e/xhtml"/></entry>',
        # An id is the link until an HTML alternate comes.
        "<entry><id>https://news.example.org/id/1</id><title>T</title>"
        '<link rel="alternate" type="application/pdf" href="/e.pdf"/></entry>',
        '<entry><title>T</title><link href="/e/1"/><id>/id/relative</id></entry>',
        '<entry><title>T</title><content type="html">&lt;p&gt;C&lt;/p&gt;</content>'
        "<summary></summary><link href='/e/2'/></entry>",
    ],
)
def test_atom_parts_read_in_feedparser_order_read_the_same_and_fast(entry: str) -> None:
    both_ways(atom(entry), "application/atom+xml")
    assert takes_fast_path(atom(entry), "application/atom+xml")


def test_an_ordinary_atom_feed_is_read_fast() -> None:
    entry = (
        '<entry><title type="html">Council &amp;amp; harbour</title>'
        '<link rel="alternate" type="text/html" href="https://news.example.org/e/{n}"/>'
        "<id>tag:news.example.org,2025:{n}</id><published>2025-05-16T19:58:00+03:00</published>"
        "<updated>2025-05-16T19:58:00+03:00</updated><author><name>Jane</name></author>"
        '<category term="city"/><summary type="html">&lt;p&gt;S&lt;/p&gt;</summary>'
        '<content type="html">&lt;p&gt;Body&lt;/p&gt;</content>'
        '<media:thumbnail url="https://news.example.org/t.jpg"/></entry>'
    )
    head = (
        '<title>News</title><link rel="self" href="https://news.example.org/atom"/>'
        '<link rel="next" href="/atom?page=2"/><id>urn:x</id><updated>2025-05-16T20:00:00Z'
        "</updated><generator>x</generator><subtitle>All</subtitle>"
    )
    body = atom("".join(entry.replace("{n}", str(n)) for n in range(5)), head)
    both_ways(body, "application/atom+xml")
    assert takes_fast_path(body, "application/atom+xml")


def test_site_fixture_feeds_read_the_same() -> None:
    for name in ("feed.xml", "feed.atom"):
        both_ways((FIXTURES / "site" / name).read_bytes(), None)


def test_listing_fixtures_read_the_same() -> None:
    for path in sorted((FIXTURES / "listings").iterdir()):
        both_ways(path.read_bytes(), None)


def test_hostile_feeds_read_the_same() -> None:
    both_ways(billion_laughs(True))
    both_ways(billion_laughs(False))
    both_ways(big_feed(2500))  # past MAX_FEED_ITEMS
    assert takes_fast_path(big_feed(2500))


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [("utf-8", "utf-8"), ("windows-1251", "cp1251"), ("iso-8859-1", "latin-1"), (None, None)],
)
def test_encodings_and_bom_read_the_same(declared: str | None, encoding: str | None) -> None:
    text = "<item><title>Café — Київ</title><link>/a</link></item>"
    if encoding == "latin-1":
        text = "<item><title>Café à la carte</title><link>/a</link></item>"
    if encoding == "cp1251":
        text = "<item><title>Київ — «новини»</title><link>/a</link></item>"
    prolog = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    document = f'{prolog}<rss version="2.0"><channel><title>T</title>{text}</channel></rss>'
    body = document.encode(encoding) if encoding else b"\xef\xbb\xbf" + document.encode()
    both_ways(body, "application/rss+xml")
    both_ways(body, None)


def test_every_cut_of_a_feed_reads_the_same() -> None:
    body = rss("".join(generated_items()[:6]))
    for end in itertools.chain(range(0, len(body), 37), [len(body) - 1]):
        for cut in (False, True):
            fast = parse_feed(body[:end], BASE, None, TZ, cut=cut)
            assert fast == parse_feed(body[:end], BASE, None, TZ, cut=cut, fast=False)


_ITEM_PARTS = st.lists(
    st.sampled_from(
        LINKS + DESCRIPTIONS + DATES + EXTRAS + [f"<title>{t}</title>" for t in TITLES]
    ),
    max_size=7,
)
# Any text at all, escaped as XML allows (control characters cannot be written in XML 1.0).
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"),
    max_size=40,
).map(lambda text: "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_ITEM_PARTS, _TEXT, _TEXT), min_size=1, max_size=4))
def test_random_items_read_the_same(items: list[tuple[list[str], str, str]]) -> None:
    body = "".join(
        f"<item>{''.join(parts)}<title>{escape(title)}</title><link>/{escape(path)}</link></item>"
        for parts, title, path in items
    )
    both_ways(rss(body))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(ATOM_TITLES + ATOM_LINKS + ATOM_BODIES + ATOM_IDS + ATOM_DATES), max_size=8
    ),
    _TEXT,
)
def test_random_atom_entries_read_the_same(parts: list[str], title: str) -> None:
    entry = f"<entry>{''.join(parts)}<title type='html'>{escape(title)}</title></entry>"
    both_ways(
        atom(entry + entry.replace("<entry>", "<entry><id>urn:x:2</id>")), "application/atom+xml"
    )


def test_a_failure_of_the_fast_reader_leaves_the_feed_to_feedparser(monkeypatch) -> None:
    from newsterm.sources import fast_feed

    body = big_feed(3)
    expected = parse_feed(body, BASE, "application/rss+xml", TZ, fast=False)

    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(fast_feed, "_headlines", broken)
    assert parse_feed(body, BASE, "application/rss+xml", TZ) == expected


def test_a_media_title_after_a_source_reads_the_same() -> None:
    """feedparser's <source> resets its title depth, so a media:title after it wins."""
    root = ' xmlns:media="http://search.yahoo.com/mrss/"'
    item = (
        '<item><title>A</title><source url="https://other.example/rss">Other</source>'
        "<media:title>M</media:title><link>https://news.example.org/a</link></item>"
    )
    both_ways(rss(item, root=root))


def test_thousands_of_categories_read_the_same() -> None:
    tags = "".join(f"<category>Tag {n}</category>" for n in range(3000))
    both_ways(rss(f"<item><title>A</title><link>/a</link>{tags}</item>"))
    assert takes_fast_path(rss(f"<item><title>A</title><link>/a</link>{tags}</item>"))
