"""Reads and writes OPML subscription lists (the feed readers' exchange format)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import quoteattr

from newsterm.models import Source
from newsterm.text.sanitize import one_line
from newsterm.text.urls import clean_url

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_NAME_CHARS = 200
PAGE = "page"
"""The kind of a source that is a web page's news list, not a feed (see write_opml)."""


def read_opml(body: bytes) -> list[tuple[str, str]]:
    """(url, name) of every http(s) outline in an OPML file; entities are never expanded.

    The file is read whole or not at all: a file that is not well-formed XML (a cut
    download, an HTML error page) raises ValueError saying where it breaks, so an import
    never adds half a list. URLs are cleaned (newsterm.text.urls) and names made one clean line.
    """
    from lxml import etree

    if len(body) > MAX_OPML_BYTES:
        raise ValueError(f"OPML file too large (more than {MAX_OPML_BYTES // 1024 // 1024} MB)")
    # No entity resolution, no network, no DTD: an OPML file is untrusted input. No
    # recovery either: libxml2 would make a tree of whatever came before the break.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        reason = one_line(error.msg or "").split(", line ")[0]
        raise ValueError(
            f"not a well-formed OPML file: line {line}, column {column}: {reason}"
        ) from None
    if root is None or etree.QName(root).localname != "opml":
        raise ValueError("not an OPML file (no <opml> root element)")
    found: dict[str, str] = {}
    for outline in root.iter("outline"):
        url = clean_url(_outline_url(outline))
        if url and url not in found:
            name = one_line(outline.get("title") or outline.get("text") or "")
            found[url] = name[:MAX_NAME_CHARS]
    return list(found.items())


def _outline_url(outline: Any) -> str | None:
    get = outline.get
    # A feed names its URL xmlUrl; a link outline (how web pages are written) names it url.
    return get("xmlUrl") or (get("url") if get("type") == "link" else None) or get("htmlUrl")


def write_opml(sources: list[Source], kinds: Mapping[str, str] | None = None) -> str:
    """An OPML 2.0 document listing the sources.

    `kinds` maps a source's URL to what it is: a news page (PAGE) is written as a link
    outline (`type="link"`, `url`, as OPML 2.0 writes web pages), so no feed reader takes it
    for a feed; anything else as a feed (`type="rss"`, `xmlUrl`).
    """
    kinds = kinds or {}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head><title>newsterm sources</title></head>",
        "  <body>",
    ]
    for source in sources:
        name = quoteattr(source.display_name)
        url = quoteattr(source.url)
        if kinds.get(source.url) == PAGE:
            lines.append(
                f'    <outline type="link" text={name} title={name} url={url} htmlUrl={url}/>'
            )
        else:
            lines.append(f'    <outline type="rss" text={name} title={name} xmlUrl={url}/>')
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
