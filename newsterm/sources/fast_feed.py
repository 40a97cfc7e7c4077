"""Reads ordinary RSS 2.0 and Atom 1.0 feeds with lxml, to the very Listing feedparser gives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from newsterm.models import Headline, Listing
from newsterm.sources.feed_safety import MAX_FEED_ITEMS
from newsterm.sources.feeds import MAX_SUMMARY_CHARS, EntryReading, feed_headlines, html_to_text
from newsterm.sources.links import absolute_http_url
from newsterm.sources.rows import MAX_LABEL_CHARS
from newsterm.text import dates
from newsterm.text.sanitize import one_line

# feedparser costs ~0.1 ms an item (a SAX handler per element, in Python); lxml builds the
# tree in C and this module reads only the fields a Headline keeps, each as feedparser's
# handlers do (which element wins when several say the same thing, what is HTML, how a link
# or a guid becomes the link), and knows which other elements cannot change any of them.
# Anything else (an element it does not know, markup inside a field, a title that may be
# HTML, a date only feedparser reads, xml:base) raises NotOrdinary and feedparser reads the
# whole feed. tests/unit/test_fast_feed.py holds the two readers to identical Listings.


class NotOrdinary(Exception):
    """The feed has a part this reader does not read as feedparser does: feedparser reads it."""


# Namespaces by (lower-case) URI, named as feedparser names their elements; the Atom
# namespace, like no namespace, gives bare names. A URI not here: see _name.
_PREFIXES = {
    "http://www.w3.org/2005/atom": "",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://search.yahoo.com/mrss/": "media",
    "http://search.yahoo.com/mrss": "media",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://wellformedweb.org/commentapi/": "wfw",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
}
# Declaring one of these makes feedparser read the document as another format or version.
_OTHER_FORMATS = ("http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/rss/1.0/")
_ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Elements of an item that change no field a Headline keeps: feedparser stores them under
# keys of their own (or nowhere). Their children must be of this kind too.
_INERT = {
    "comments", "enclosure", "uri", "url", "rights", "copyright",
    "media:content", "media:thumbnail", "media:player", "media:rating", "media:credit",
    "media:restriction", "media:license", "media:group", "media:text", "media:hash",
    "media:copyright", "media:embed", "media:status", "media:price", "media:peerlink",
    "media:location", "media:rights", "media:scenes", "media:community", "media:comments",
    "media:responses", "media:backlinks", "media:subtitle", "media:starrating",
    "media:statistics", "media:tags", "media:param",
    "itunes:duration", "itunes:explicit", "itunes:image", "itunes:episode",
    "itunes:episodetype", "itunes:season", "itunes:block", "itunes:order", "itunes:title",
    "itunes:closedcaptioned", "itunes:subtitle",
    "dc:language", "dc:rights", "dc:format", "dc:identifier", "dc:type", "dc:source",
    "dc:relation", "dc:coverage",
    "feedburner:origlink", "feedburner:origenclosurelink",
}  # fmt: skip
_INERT_PREFIXES = ("slash:", "wfw:", "sy:")
_RENAMED = "ignored-"  # author-like elements that defuse_feed renamed: nothing reads them
# Elements whose text is a time, and the key feedparser keeps it under.
_DATES = {
    "pubdate": "published",
    "published": "published",
    "issued": "published",
    "dcterms:issued": "published",
    "updated": "updated",
    "modified": "updated",
    "dc:date": "updated",
    "dcterms:modified": "updated",
    "created": "created",
    "dcterms:created": "created",
}
# feedparser's short names for media types (its map_content_type).
_TEXT_TYPES = {
    "text": "text/plain",
    "plain": "text/plain",
    "html": "text/html",
    "xhtml": "application/xhtml+xml",
}
_READABLE_TYPES = ("text/plain", "text/html")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What feedparser takes for HTML in a text field of an RSS feed starts with these; this
# reader leaves such a field (rare) to feedparser.
_MAYBE_HTML = re.compile(r"</\w+>|&#?\w+;")
_EXTRA_SLASHES = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)")
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
# Windows-1252 letters for the C1 controls, which feedparser puts in their place.
_C1_AS_1252 = {}
for _code in range(0x80, 0xA0):
    try:
        _C1_AS_1252[_code] = bytes([_code]).decode("cp1252")
    except UnicodeDecodeError:
        pass


@dataclass(slots=True)
class _Entry:
    """One item's fields, kept as feedparser keeps them."""

    title: tuple[str, str] | None = None  # (text, media type)
    summary: tuple[str, str] | None = None
    content: tuple[str, str] | None = None
    link: str | None = None
    has_link: bool = False
    links: list[tuple[str, str | None]] = field(default_factory=list)  # (rel, href)
    guid: str | None = None
    guid_is_link: bool | None = None
    times: dict[str, str] = field(default_factory=dict)
    tags: list[list[str | None]] = field(default_factory=list)  # [term, scheme, label]


def parse_ordinary_feed(safe: bytes, url: str, tz: tzinfo) -> Listing:
    """The Listing that feedparser gives for `safe` (defuse_feed's output) in feeds.py.

    Raises NotOrdinary when the feed has anything this reader does not read as feedparser.
    """
    if b"base=" in safe:
        raise NotOrdinary  # xml:base (or base) changes how feedparser resolves links
    root = _tree(safe)
    if root.tag == "rss":
        children = [child for child in root if isinstance(child.tag, str)]
        if len(children) != 1 or children[0].tag != "channel":
            raise NotOrdinary
        feed, item_name, atom = children[0], "item", False
    elif root.tag == _ATOM_FEED:
        feed, item_name, atom = root, "entry", True
    else:
        raise NotOrdinary
    _check_attributes(root, set() if atom else {"version"})
    if root is not feed:
        _check_attributes(feed, set())
    for uri in root.nsmap.values():
        if uri.lower() in _OTHER_FORMATS or "backend.userland.com/rss" in uri.lower():
            raise NotOrdinary
    title: tuple[str, str] | None = None
    next_page: str | None | bool = False
    entries: list[_Entry] = []
    for child in feed:
        if not isinstance(child.tag, str):
            continue
        name = _name(child)
        if name == item_name:
            if len(entries) < MAX_FEED_ITEMS:
                entries.append(_read_entry(child, atom))
            continue
        if name == "title":
            if title is not None:
                raise NotOrdinary
            title = _content(child, atom, "text/plain")
            continue
        _check_feed_part(child, name, item_name)
        if name == "link" and next_page is False:
            if child.get("url") is not None or child.get("uri") is not None:
                raise NotOrdinary  # feedparser takes either for href
            rel = (child.get("rel", "alternate")).lower()
            if child.get("href") is not None and rel == "next":
                next_page = absolute_http_url(_resolve(child.get("href")), url)
    headlines = _headlines(entries, url, tz)
    if not headlines:
        raise NotOrdinary  # feedparser words why
    feed_title = _as_text(*title)[:300] if title else ""
    return Listing(
        headlines,
        next_page or None,
        [],
        "atom" if atom else "rss",
        feed_title or None,
    )


def _tree(safe: bytes) -> Any:
    from xml.parsers import expat

    from lxml import etree

    # feedparser reads with expat (namespaces on) and, when expat refuses the document, with
    # a loose parser of its own; such a document is left to it.
    try:
        expat.ParserCreate(namespace_separator=" ").Parse(safe, True)
    except expat.ExpatError as error:
        raise NotOrdinary from error
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(safe, parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise NotOrdinary from error


def _name(element: Any) -> str:
    """The element's name as feedparser's handlers know it ("title", "dc:date", …)."""
    tag = element.tag
    if tag[0] != "{":
        return tag.lower()
    uri, local = tag[1:].split("}", 1)
    prefix = _PREFIXES.get(uri.lower())
    if prefix is None:
        # feedparser names an element of a namespace it does not know by the document's
        # own prefix: nothing is known about it.
        prefix = element.prefix or ""
        if prefix in _PREFIXES.values():
            raise NotOrdinary
    return f"{prefix}:{local.lower()}" if prefix else local.lower()


def _check_attributes(element: Any, allowed: set[str]) -> dict[str, str]:
    """The element's attributes, names in lower case (as feedparser has them)."""
    found = {}
    for key, value in element.attrib.items():
        if key == _XML_LANG:
            continue
        name = key.lower()
        if name not in allowed:
            raise NotOrdinary
        found[name] = value.lower() if name in ("rel", "type") else value
    return found


def _check_feed_part(element: Any, name: str, item_name: str) -> None:
    """A part of the channel that is not an item nor the title: it may say anything but
    the feed's title, and hold no items nor links of the feed's (a nested rel="next")."""
    for inner in element.iter():
        if not isinstance(inner.tag, str):
            continue
        inner_name = name if inner is element else _name(inner)
        if inner_name in (item_name, "item", "entry", "source"):
            raise NotOrdinary
        if inner_name == "link" and inner is not element and name not in ("image", "textinput"):
            raise NotOrdinary
        if inner_name in ("title", "dc:title", "media:title"):
            parent = inner.getparent()
            if parent is element and name in ("image", "textinput") and inner_name == "title":
                continue
            raise NotOrdinary


def _text(element: Any) -> str:
    """The element's text as feedparser keeps it: stripped, with its last touches."""
    if len(element):
        raise NotOrdinary  # markup or a comment inside: feedparser's handlers rebuild it
    return (element.text or "").strip()


def _as_feedparser_leaves(text: str) -> str:
    """feedparser's last touches on every field of a UTF-8 feed: text that reads as UTF-8
    taken for Latin-1 is decoded again, and C1 controls become Windows-1252 letters."""
    if text.isascii():
        return text
    try:
        text = text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    return text.translate(_C1_AS_1252)


def _content(element: Any, atom: bool, default_type: str) -> tuple[str, str]:
    """A text field and its media type (plain or HTML), as feedparser decides them."""
    attributes = _check_attributes(element, {"type"})
    media_type = attributes.get("type", default_type)
    media_type = _TEXT_TYPES.get(media_type, media_type)
    if media_type not in _READABLE_TYPES:
        raise NotOrdinary  # XHTML, base64, other media: feedparser's handlers
    raw = _text(element)
    if not atom and media_type == "text/plain" and _MAYBE_HTML.search(raw):
        raise NotOrdinary  # feedparser may take it for HTML, by rules of its own
    return _as_feedparser_leaves(raw), media_type


def _resolve(uri: str) -> str:
    """A link as feedparser resolves it with no base: extra slashes after "://" dropped
    (joining to an empty base changes nothing else)."""
    return _EXTRA_SLASHES.sub(r"\1", uri) if ":///" in uri else uri


def _read_entry(item: Any, atom: bool) -> _Entry:
    _check_attributes(item, set())
    entry = _Entry()
    media_titles = 0
    after_source = False
    for child in item:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction between fields means nothing
        name = _name(child)
        if name == "source":
            after_source = True
        elif name == "media:title" and after_source:
            raise NotOrdinary  # feedparser's <source> resets its title depth: this one wins
        if name == "title":
            if entry.title is not None:
                raise NotOrdinary  # which title wins depends on depths and order
            entry.title = _content(child, atom, "text/plain")
        elif name in ("description", "summary"):
            if entry.summary is not None:
                raise NotOrdinary  # a second one becomes feedparser's content
            default = "text/plain" if name == "summary" else "text/html"
            entry.summary = _content(child, atom, default)
        elif name in ("content:encoded", "content"):
            if entry.content is not None:
                raise NotOrdinary
            default = "text/html" if name == "content:encoded" else "text/plain"
            entry.content = _content(child, atom, default)
        elif name == "link":
            _read_link(child, entry)
        elif name in ("guid", "id"):
            _read_guid(child, entry)
        elif name in _DATES:
            key = _DATES[name]
            _check_attributes(child, set())
            if key in entry.times:
                raise NotOrdinary
            entry.times[key] = _as_feedparser_leaves(_text(child))
        elif name in ("category", "dc:subject"):
            _read_category(child, entry)
        else:
            media_titles += _check_inert(child, name)
    if media_titles and not (entry.title and entry.title[0]):
        # feedparser takes a media:title for the item's title unless the item's own title
        # (not empty) comes first or after it: only then is a media:title inert.
        raise NotOrdinary
    return entry


def _read_link(element: Any, entry: _Entry) -> None:
    if element.get("href") is None:
        # RSS: the link is the element's text.
        _check_attributes(element, set())
        value = _text(element)
        if value:
            value = _resolve(value)
        value = _as_feedparser_leaves(value)
        if "&" in value:
            value = _ENTITY_IN_LINK.sub(r"&\g<1>", value.replace("&amp;", "&"))
        entry.link, entry.has_link = value, True
        entry.links.append(("alternate", value or None))
        return
    # Atom: the link is an attribute; an HTML alternate is the entry's link.
    attributes = _check_attributes(element, {"href", "rel", "type", "title", "hreflang", "length"})
    _text(element)  # no markup inside
    rel = attributes.get("rel", "alternate")
    href = _resolve(attributes["href"])
    entry.links.append((rel, href))
    default_type = "application/atom+xml" if rel == "self" else "text/html"
    media_type = attributes.get("type", default_type)
    if rel == "alternate" and _TEXT_TYPES.get(media_type, media_type) in _HTML_TYPES:
        entry.link, entry.has_link = href, True


def _read_guid(element: Any, entry: _Entry) -> None:
    if entry.guid is not None:
        raise NotOrdinary
    attributes = _check_attributes(element, {"ispermalink"})
    is_link = attributes.get("ispermalink", "true") == "true"
    value = _text(element)
    if value and is_link:
        value = _resolve(value)
    value = _as_feedparser_leaves(value)
    entry.guid = value
    if entry.guid_is_link is None:
        entry.guid_is_link = is_link and not entry.has_link
    if is_link and not entry.has_link:
        entry.link, entry.has_link = value, True


def _read_category(element: Any, entry: _Entry) -> None:
    attributes = _check_attributes(element, {"term", "scheme", "domain", "label"})
    term = attributes.get("term")
    scheme = attributes.get("scheme", attributes.get("domain"))
    _add_tag(entry.tags, term, scheme, attributes.get("label"))
    value = _as_feedparser_leaves(_text(element))
    if not value:
        return
    if entry.tags and not entry.tags[-1][0]:
        entry.tags[-1][0] = value
    else:
        _add_tag(entry.tags, value, None, None)


# Only an entry's first named tag is used: past this many, a later one changes nothing, and
# checking each against all the others would cost quadratic time on a hostile feed.
_MAX_TAGS = 64


def _add_tag(tags: list[list[str | None]], term: Any, scheme: Any, label: Any) -> None:
    if not term and not scheme and not label:
        return
    if len(tags) >= _MAX_TAGS:
        if any(tag[0] or tag[2] for tag in tags[:-1]):
            return
        raise NotOrdinary  # dozens of tags with neither term nor label: feedparser decides
    tag = [term, scheme, label]
    if tag not in tags:
        tags.append(tag)


def _check_inert(element: Any, name: str) -> int:
    """How many media:title elements the element is or holds (inert only beside a title);
    NotOrdinary if any part of it could change a field a Headline keeps."""
    media_titles = 0
    for inner in element.iter():
        if not isinstance(inner.tag, str):
            continue
        inner_name = name if inner is element else _name(inner)
        if inner_name == "media:title":
            media_titles += 1
            _text(inner)  # no markup inside
            continue
        if inner_name.startswith(_RENAMED) or ":" + _RENAMED in inner_name:
            continue
        if inner_name in _INERT or inner_name.startswith(_INERT_PREFIXES):
            continue
        if inner_name == "source" and inner is element and not len(element):
            continue  # RSS: the feed an item was taken from, a name and a URL
        raise NotOrdinary
    return media_titles


def _headlines(entries: list[_Entry], url: str, tz: tzinfo) -> list[Headline]:
    """As feeds._headlines does with feedparser's entries."""
    reading = EntryReading(
        link=lambda entry: _entry_link(entry, url),
        summary=_summary_or_content,
        title=lambda entry: _as_text(*entry.title) if entry.title else "",
        published=lambda entry: _published(entry.times, tz),
        category=lambda entry: _category(entry.tags),
    )
    return feed_headlines(entries, url, reading)


def _summary_or_content(entry: _Entry) -> str:
    summary = (_as_text(*entry.summary) if entry.summary else "")[:MAX_SUMMARY_CHARS]
    if not summary and entry.content:
        summary = _as_text(*entry.content)
    return summary


def _entry_link(entry: _Entry, base: str) -> str | None:
    candidates = [entry.link]
    candidates += [href for rel, href in entry.links if rel == "alternate"]
    if entry.guid_is_link or (entry.guid or "").startswith(("http://", "https://")):
        candidates.append(entry.guid)
    for candidate in candidates:
        url = absolute_http_url(candidate, base)
        if url:
            return url
    return None


def _published(times: dict[str, str], tz: tzinfo) -> datetime | None:
    for key in ("published", "updated", "created"):
        raw = times.get(key, "")
        if not raw.strip():
            continue
        moment = dates.parse_iso(raw, tz) or dates.parse_rfc822(raw, tz)
        if moment is None:
            moment = dates.parse_datetime_text(raw, tz)
        if moment is None:
            raise NotOrdinary  # feedparser reads a few more formats
        return moment
    return None


def _category(tags: list[list[str | None]]) -> str | None:
    for term, _scheme, label in tags:
        name = one_line(str(label or term or ""))[:MAX_LABEL_CHARS]
        if name:
            return name
    return None


def _as_text(value: str, media_type: str) -> str:
    if "html" not in media_type:
        return one_line(value)
    return html_to_text(value)
