"""Defuses feed bytes before feedparser reads them: no DTDs, bounded fields, no author parsing."""

from __future__ import annotations

import re

from newsterm.charset import decode_body
from newsterm.sources.sniffing import first_element_name

MAX_FEED_ITEMS = 2000
"""Items kept from one feed. feedparser needs ~0.2 ms per item, so 10,000 items would take
about 2 s; a feed's reader never needs more than its newest couple of thousand."""
MAX_FIELD_CHARS = 50_000
"""Longest text run kept between two tags; longer ones are cut (a whole article is smaller)."""
_DECLARATION_PASSES = 8

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]{0,300}\?>")
_DECLARATION_START = re.compile(r"<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
# feedparser runs a backtracking e-mail regex over author-like fields (a crafted 32 KB
# <author> takes seconds). We never show authors, so these elements are renamed to names
# feedparser ignores; renaming keeps the XML well-formed, unlike cutting.
_AUTHOR_TAG = re.compile(
    r"<(/?)((?:[A-Za-z_][\w.-]*:)?)"
    r"(author|creator|contributor|publisher|managingEditor|webMaster|owner|email|name)(?=[\s/>])",
    re.IGNORECASE,
)
_ITEM_END = re.compile(r"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>", re.IGNORECASE)
_UNFINISHED_ENTITY = re.compile(r"&[#\w]{0,12}\Z")


def defuse_feed(body: bytes, content_type: str | None = None) -> bytes | None:
    """The feed re-encoded as UTF-8 XML that is safe and quick for feedparser; None if hopeless.

    - every DOCTYPE (with its internal subset) and ENTITY/ELEMENT/ATTLIST declaration is
      removed, so no entity can expand (billion laughs) or read a file (XXE);
    - text runs are cut at MAX_FIELD_CHARS;
    - author/e-mail elements are renamed out of feedparser's way;
    - items after the first MAX_FEED_ITEMS are dropped and the document closed again.
    The text is decoded once with our charset rules (BOM, header, declaration, detection),
    so the byte-level patterns work on UTF-16 feeds too.
    """
    text = decode_body(body, content_type)
    text = _XML_DECLARATION.sub("", text, count=1)
    text = _strip_declarations(text)
    if text is None:
        return None
    text = _cap_text_runs(text)
    text = _AUTHOR_TAG.sub(r"<\1\2ignored-\3", text)
    text = _cap_items(text)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text).encode("utf-8", "replace")


def _strip_declarations(text: str) -> str | None:
    # Removing one declaration can join its neighbours into a new one ("<!DOC" + "TYPE"),
    # so passes repeat until none is left; a document that keeps producing them is refused.
    for _ in range(_DECLARATION_PASSES):
        if not _DECLARATION_START.search(text):
            return text
        text = _strip_declarations_once(text)
    return None if _DECLARATION_START.search(text) else text


def _strip_declarations_once(text: str) -> str:
    pieces: list[str] = []
    position = 0
    while True:
        match = _DECLARATION_START.search(text, position)
        if match is None:
            break
        pieces.append(text[position : match.start()])
        position = _declaration_end(text, match.end())
    pieces.append(text[position:])
    return "".join(pieces)


def _declaration_end(text: str, start: int) -> int:
    """Where a declaration starting before `start` ends: past its `]>` or its `>`.

    Every search stops at the next terminator, so many declarations cost one pass in total.
    """
    close = text.find(">", start)
    limit = close if close != -1 else len(text)
    bracket = text.find("[", start, limit)
    if bracket != -1:
        subset_end = text.find("]", bracket)
        if subset_end == -1:
            return len(text)
        close = text.find(">", subset_end)
    return len(text) if close == -1 else close + 1


def _cap_text_runs(text: str) -> str:
    if len(text) <= MAX_FIELD_CHARS:
        return text
    parts = text.split("<")
    for index, part in enumerate(parts):
        if len(part) <= MAX_FIELD_CHARS:
            continue
        tag_end = part.find(">")
        if tag_end == -1:
            continue
        run = part[tag_end + 1 :]
        if len(run) > MAX_FIELD_CHARS:
            cut = _UNFINISHED_ENTITY.sub("", run[:MAX_FIELD_CHARS])
            parts[index] = part[: tag_end + 1] + cut
    return "<".join(parts)


def _cap_items(text: str) -> str:
    for count, match in enumerate(_ITEM_END.finditer(text), start=1):
        if count == MAX_FEED_ITEMS:
            root = first_element_name(text) or "rss"
            closing = "</channel>" if root.lower() == "rss" else ""
            return f"{text[: match.end()]}\n{closing}</{root}>\n"
    return text
