"""Hostile feed bodies, shared by the tests and benchmarks/hostile.py."""

from __future__ import annotations


def billion_laughs(doctype_on_the_xml_line: bool) -> bytes:
    """A feed whose &lol9; would be 10^9 "lol"s, its DOCTYPE on the <?xml?> line or not."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol;" if n == 1 else f"&lol{n - 1};") * 10}">' for n in range(1, 10)
    )
    separator = "" if doctype_on_the_xml_line else "\n"
    return (
        f'<?xml version="1.0"?>{separator}<!DOCTYPE rss [{entities}]>'
        '<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>Laughs &lol9; here</title><link>https://example.org/a</link></item>"
        "</channel></rss>"
    ).encode()


def big_feed(items: int) -> bytes:
    """An RSS feed of `items` items with HTML summaries."""
    body = "".join(
        f"<item><title>Headline number {n} about the city</title>"
        f"<link>https://example.org/a/{n}</link>"
        f"<pubDate>Fri, 16 May 2025 19:58:00 +0300</pubDate>"
        f"<description>&lt;p&gt;Summary {n} with &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;</description>"
        "</item>"
        for n in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{body}'.encode() + (
        b"</channel></rss>"
    )
