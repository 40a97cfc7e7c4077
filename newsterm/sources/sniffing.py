"""Tells a feed from an HTML page by its first bytes, as a browser sniffs, not by its URL."""

from __future__ import annotations

import re

from newsterm.text.charset import decode_body

SNIFF_BYTES = 4096
_FEED_ROOTS = {"rss", "feed", "rdf"}
_FEED_ROOT_ANYWHERE = re.compile(r"<(?:[a-z_][\w.-]*:)?(?:rss|feed|rdf)[\s>]", re.IGNORECASE)
_ELEMENT = re.compile(r"<([A-Za-z_][\w:.-]*)")
_FEED_MEDIA = re.compile(r"\b(?:rss|atom|rdf)\b|[/+]xml\b", re.IGNORECASE)
# Control characters that do not occur in text (tab, newline, CR and form feed do).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_BINARY_SHARE = 0.05


def sniff_format(body: bytes, content_type: str | None = None) -> str | None:
    """Which format the bytes are: "feed" (RSS/Atom/RDF), "html", or None (binary, no markup).

    The document's first element decides; the Content-Type only breaks a tie, because
    servers send feeds as text/html and pages as text/xml often enough.
    """
    head = decode_body(body[:SNIFF_BYTES], content_type)
    if not head.strip() or len(_BINARY.findall(head)) > _BINARY_SHARE * len(head):
        return None
    root = first_element_name(head)
    if root is not None:
        return "feed" if root.split(":")[-1].lower() in _FEED_ROOTS else "html"
    if _FEED_ROOT_ANYWHERE.search(head):
        return "feed"  # a root hidden behind a long prolog (a DOCTYPE with entities)
    media = (content_type or "").split(";")[0].strip()
    if media and "html" not in media.lower() and _FEED_MEDIA.search(media):
        return "feed"
    return "html" if "<" in head else None


def first_element_name(text: str) -> str | None:
    """The name of the first element, past whitespace, `<?…?>`, comments and `<!…>`."""
    position = 0
    end = len(text)
    while position < end:
        while position < end and text[position].isspace():
            position += 1
        if text.startswith("<?", position):
            close = text.find("?>", position)
            close = close + 1 if close != -1 else -1
        elif text.startswith("<!--", position):
            close = text.find("-->", position)
            close = close + 2 if close != -1 else -1
        elif text.startswith("<!", position):
            close = text.find(">", position)
        else:
            match = _ELEMENT.match(text, position)
            return match.group(1) if match else None
        if close == -1:
            return None
        position = close + 1
    return None
