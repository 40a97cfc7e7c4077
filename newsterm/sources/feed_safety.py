"""Defuses feed bytes before feedparser reads them: no DTDs, bounded fields, no author parsing."""

from __future__ import annotations

import re

from newsterm.sources.sniffing import first_element_name
from newsterm.text.charset import decode_body

MAX_FEED_ITEMS = 2000
"""Items kept from one feed. feedparser needs ~0.2 ms per item, so 10,000 items would take
about 2 s; a feed's reader never needs more than its newest couple of thousand."""
MAX_FIELD_CHARS = 50_000
"""Longest text run kept between two tags; longer ones are cut (a whole article is smaller)."""
MAX_LOOSE_TAGS = 20_000
"""Tags kept from a feed that is not well-formed XML. feedparser then falls back to its
pure-Python loose parser at ~25 µs a tag (a 5 MB feed of stray tags took 40 s); 20,000 tags
is ~0.5 s and still ~1,500 ordinary items. Well-formed feeds go to expat and are not cut."""
MAX_ITEM_CATEGORIES = 64
"""Categories kept per item. feedparser compares each with the item's tags so far, so
20,000 in one item took 5 s; the ticker shows the first, and no item names 64."""
UNREADABLE = "the feed could not be read"
CUT_SHORT = "the feed is cut short"
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
_TAG_START = re.compile(r"<[/A-Za-z_]")
# Comments and CDATA sections, also one the end of the text cut open.
_QUOTED = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)", re.DOTALL)
# A comment or CDATA section (passed over whole: a tag written inside one is text), an
# item's start, or a category's (or dc:subject's) start or end tag with its attributes, so
# that a "/>" inside a quoted value does not end it. No part of a tag spans a "<" (XML
# allows none in a tag), and the attributes are matched atomically: a tag that does not
# match is given up at once, not retried over the rest of the feed.
_CATEGORY_TAG = re.compile(
    rf"(?P<quoted>{_QUOTED.pattern})"
    r"|(?P<item></?(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s/>]))"
    r"|<(?P<close>/?)(?P<prefix>(?:[A-Za-z_][\w.-]*:)?)(?P<name>category|subject)"
    r"(?P<rest>(?>(?:\s+[^\s=/<>\"']+(?:\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'|[^\s<>\"']*))?)*)"
    r"\s*/?>)",
    re.IGNORECASE | re.DOTALL,
)


class FeedRefused(ValueError):
    """A feed not handed to feedparser at all; the message says why, in a few words."""


def defuse_feed(body: bytes, content_type: str | None = None, *, cut: bool = False) -> bytes:
    """The feed re-encoded as UTF-8 XML that is safe and quick for feedparser.

    - every DOCTYPE (with its internal subset) and ENTITY/ELEMENT/ATTLIST declaration is
      removed, so no entity can expand (billion laughs) or read a file (XXE);
    - a feed whose root element is never closed is refused: it stopped being written, and
      taking it as good would let the half copy's validators replace the whole copy's —
      unless `cut` says we kept only its head ourselves: then it ends at its last whole item;
    - text runs are cut at MAX_FIELD_CHARS, an item's categories at MAX_ITEM_CATEGORIES;
    - author/e-mail elements are renamed out of feedparser's way;
    - items after the first MAX_FEED_ITEMS are dropped and the document closed again, and a
      feed that is not well-formed is cut at its last item before MAX_LOOSE_TAGS tags.
    The text is decoded once with our charset rules (BOM, header, declaration, detection),
    so the byte-level patterns work on UTF-16 feeds too. Raises FeedRefused.
    """
    text = decode_body(body, content_type)
    text = _XML_DECLARATION.sub("", text, count=1)
    text = _strip_declarations(text)
    if text is None:
        raise FeedRefused(UNREADABLE)
    root = first_element_name(text)
    if root is not None and not _closes(text, root):
        if not cut:
            raise FeedRefused(CUT_SHORT)
        item_ends = [match.end() for match in _ITEM_END.finditer(text)]
        if item_ends:
            text = _close_after(text, item_ends[-1], root)
    text = _cap_text_runs(text)
    text = _cap_categories(text)
    text = _AUTHOR_TAG.sub(r"<\1\2ignored-\3", text)
    text = _cap_items(text, root or "rss")
    text = _cap_loose_tags(text, root or "rss")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text).encode("utf-8", "replace")


def _closes(text: str, root: str) -> bool:
    """Whether the root element ends: its end tag is there (anything after it is ignored, as
    feedparser ignores a PHP warning printed after `</rss>`), or it is empty (`<rss/>`)."""
    name = re.escape(root)
    # An end tag quoted in a comment or a CDATA section ends nothing.
    markup = _QUOTED.sub("", text)
    if re.search(rf"</{name}\s*>", markup, re.IGNORECASE):
        return True
    start = re.search(rf"<{name}(?=[\s/>])[^>]*>", markup, re.IGNORECASE)
    return start is not None and start.group().endswith("/>")


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


def _cap_categories(text: str) -> str:
    """Drop an item's categories past MAX_ITEM_CATEGORIES, each whole from its start tag to
    its end tag (nested ones with it, as iTunes nests them), so the XML stays as
    well-formed as it was (renamed, feedparser would still read each one: 100,000 took
    2.6 s). A category still open at its item's end is kept: nothing past it is lost."""
    lowered = text.lower()
    if lowered.count("category") + lowered.count("subject") <= MAX_ITEM_CATEGORIES:
        return text
    kept: list[str] = []
    position = 0  # where the text not yet copied begins
    seen = 0
    depth = 0  # how many categories being dropped are open
    for match in _CATEGORY_TAG.finditer(text):
        if match.group("quoted"):
            continue
        if match.group("item"):
            # An item's start or end: counting starts again, and a category it leaves
            # open was never closed (what was held back from the copy is kept).
            seen = depth = 0
            continue
        opens = not match.group("close") and not match.group("rest").endswith("/>")
        if depth:
            depth += 1 if opens else -1 if match.group("close") else 0
            if not depth:
                position = match.end()
            continue
        if match.group("close"):
            continue
        seen += 1
        if seen > MAX_ITEM_CATEGORIES:
            kept.append(text[position : match.start()])
            position = match.start() if opens else match.end()
            depth = 1 if opens else 0
    kept.append(text[position:])
    return "".join(kept)


def _cap_items(text: str, root: str) -> str:
    for count, match in enumerate(_ITEM_END.finditer(text), start=1):
        if count == MAX_FEED_ITEMS:
            return _close_after(text, match.end(), root)
    return text


def _cap_loose_tags(text: str, root: str) -> str:
    if text.count("<") <= MAX_LOOSE_TAGS or _is_well_formed(text):
        return text
    position = 0
    for _ in range(MAX_LOOSE_TAGS):
        match = _TAG_START.search(text, position)
        if match is None:
            return text
        position = match.end()
    item_ends = [match.end() for match in _ITEM_END.finditer(text, 0, position)]
    # No item ends in time: keep what comes before the limit (the channel's title with it).
    cut = item_ends[-1] if item_ends else text.rfind("<", 0, position)
    return _close_after(text, cut, root)


def _close_after(text: str, end: int, root: str) -> str:
    """The text up to `end`, with the root element (and an RSS channel) closed again."""
    closing = "</channel>" if root.lower() == "rss" else ""
    return f"{text[:end]}\n{closing}</{root}>\n"


def _is_well_formed(text: str) -> bool:
    """Whether expat reads the text whole, which is what feedparser tries before its loose
    parser (expat takes a few ms a megabyte)."""
    from xml.parsers import expat

    try:
        # With namespaces, as feedparser's strict parser reads: an undeclared prefix fails it.
        expat.ParserCreate(namespace_separator=" ").Parse(text.encode("utf-8", "replace"), True)
    except expat.ExpatError:
        return False
    return True
