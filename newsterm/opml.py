"""Reads and writes OPML subscription lists (the feed readers' exchange format)."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from newsterm.models import Source
from newsterm.sanitize import one_line

MAX_OPML_BYTES = 5 * 1024 * 1024


def read_opml(body: bytes) -> list[tuple[str, str]]:
    """(url, name) of every http(s) outline in an OPML file; entities are never expanded."""
    from lxml import etree

    if len(body) > MAX_OPML_BYTES:
        raise ValueError("OPML file too large")
    # No entity resolution, no network, no DTD: an OPML file is untrusted input.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not an OPML file: {error}") from None
    if root is None:
        raise ValueError("not an OPML file")
    found = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("htmlUrl") or "").strip()
        if url.startswith(("http://", "https://")):
            name = one_line(outline.get("title") or outline.get("text") or "")
            found.append((url, name))
    return found


def write_opml(sources: list[Source]) -> str:
    """An OPML 2.0 document listing the sources."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head><title>newsterm sources</title></head>",
        "  <body>",
    ]
    for source in sources:
        name = quoteattr(source.display_name)
        lines.append(
            f'    <outline type="rss" text={name} title={name} xmlUrl={quoteattr(source.url)}/>'
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
