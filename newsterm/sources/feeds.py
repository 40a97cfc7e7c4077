"""Reads RSS and Atom feeds with feedparser, after defusing them, into a Listing of plain text."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any, NamedTuple

from newsterm.models import Headline, Listing
from newsterm.sources.feed_safety import MAX_FEED_ITEMS, UNREADABLE, FeedRefused, defuse_feed
from newsterm.sources.links import absolute_http_url, same_document_key
from newsterm.sources.rows import MAX_LABEL_CHARS, MAX_TITLE_CHARS, linkless_url
from newsterm.text import dates
from newsterm.text.sanitize import clean_markup, one_line

log = logging.getLogger(__name__)
NO_ITEMS = "the feed has no items"
MAX_SUMMARY_CHARS = 10_000
_MAX_MARKUP_CHARS = 60_000
_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "td", "th", "table", "section", "article", "figure", "figcaption", "pre", "hr",
}  # fmt: skip


def parse_feed(
    body: bytes,
    url: str,
    content_type: str | None,
    tz: tzinfo,
    *,
    cut: bool = False,
    fast: bool = True,
) -> Listing:
    """The items of an RSS 0.9x/1.0/2.0 or Atom feed as Headlines (plain text, aware times).

    `cut` says the caller kept only the head of a longer body (see defuse_feed). An ordinary
    RSS 2.0 or Atom 1.0 feed is read by fast_feed, ~4x sooner; `fast=False` sends every feed
    through feedparser, which fast_feed must agree with (tests/unit/test_fast_feed.py).
    """
    try:
        safe = defuse_feed(body, content_type, cut=cut)
    except FeedRefused as refused:
        return Listing(reason=str(refused))
    if fast:
        from newsterm.sources.fast_feed import NotOrdinary, parse_ordinary_feed

        try:
            return parse_ordinary_feed(safe, url, tz)
        except NotOrdinary:
            pass  # a part only feedparser reads: it reads the whole feed
        except Exception:  # a bug of the fast reader must not cost the feed: feedparser reads it
            log.debug("the fast feed reader failed on %s", url, exc_info=True)
    return _parse_with_feedparser(safe, url, tz)


def _parse_with_feedparser(safe: bytes, url: str, tz: tzinfo) -> Listing:
    import feedparser  # deferred: pages that are not feeds never pay for importing it

    try:
        # A file object, never bytes or str: feedparser.parse() opens a string that names
        # a file or URL. Sanitising is off because every field is reduced to text below.
        # No content-location: feedparser would join it to every element's base (40 % of
        # its time); links are made absolute against the feed's URL here instead.
        parsed = feedparser.parse(
            io.BytesIO(safe),
            sanitize_html=False,
            resolve_relative_uris=False,
            response_headers={"content-type": "application/xml; charset=utf-8"},
        )
    except Exception:  # the loose sgmllib-based parser raises assorted errors on junk
        return Listing(reason=UNREADABLE)
    version = str(parsed.get("version") or "")
    kind = "atom" if version.startswith("atom") else "rss"
    feed = parsed.get("feed") or {}
    title = _text_of(feed, "title")[:300] or None
    headlines = _headlines(parsed.get("entries") or [], url, tz)
    if not headlines:
        reason = NO_ITEMS if version else UNREADABLE
        return Listing(kind=kind if version else "empty", title=title, reason=reason)
    return Listing(headlines, _next_page(feed, url), [], kind, title)


class EntryReading(NamedTuple):
    """How one feed reader reads the parts of its entries that become a Headline."""

    link: Callable[[Any], str | None]
    summary: Callable[[Any], str]
    title: Callable[[Any], str]
    published: Callable[[Any], datetime | None]
    category: Callable[[Any], str | None]


def feed_headlines(entries: Iterable[Any], url: str, reading: EntryReading) -> list[Headline]:
    """Headlines from feed entries, each part read only when the entry is still wanted: a link
    already listed skips the entry, an entry without a title is dropped, and one without a
    usable link (none, javascript:, file:) is shown without one."""
    headlines: list[Headline] = []
    seen: set[str] = set()
    for entry in entries:
        link = reading.link(entry)
        if link is not None and same_document_key(link) in seen:
            continue
        summary = reading.summary(entry)[:MAX_SUMMARY_CHARS]
        title = reading.title(entry)[:MAX_TITLE_CHARS] or summary[:120]
        if not title:
            continue
        published = reading.published(entry)
        link = link or linkless_url(url, title, published)
        if same_document_key(link) in seen:
            continue
        seen.add(same_document_key(link))
        headlines.append(
            Headline(
                title=title,
                url=link,
                published=published,
                label=None,
                category=reading.category(entry),
                summary=summary or None,
            )
        )
    return headlines


def _headlines(entries: list[Any], url: str, tz: tzinfo) -> list[Headline]:
    reading = EntryReading(
        link=lambda entry: _entry_link(entry, url),
        summary=_summary_or_content,
        title=lambda entry: _text_of(entry, "title"),
        published=lambda entry: _published(entry, tz),
        category=_category,
    )
    return feed_headlines(entries[:MAX_FEED_ITEMS], url, reading)


def _summary_or_content(entry: Any) -> str:
    summary = _summary_text(entry)[:MAX_SUMMARY_CHARS]
    if not summary and entry.get("content"):
        first = entry["content"][0]
        summary = _as_text(first.get("value", ""), first.get("type", ""))
    return summary


def _summary_text(entry: Any) -> str:
    """The entry's summary as text. With no summary element, feedparser copies the first
    content's value to "summary" without its type: that type is the content's."""
    if not entry.get("summary_detail") and entry.get("content"):
        first = entry["content"][0]
        if first.get("value") == entry.get("summary"):
            return _as_text(first.get("value", ""), first.get("type", ""))
    return _text_of(entry, "summary")


def _entry_link(entry: Any, base: str) -> str | None:
    candidates = [entry.get("link")]
    candidates += [
        link.get("href")
        for link in entry.get("links") or []
        if link.get("rel", "alternate") == "alternate"
    ]
    if entry.get("guidislink") or str(entry.get("id", "")).startswith(("http://", "https://")):
        candidates.append(entry.get("id"))
    for candidate in candidates:
        url = absolute_http_url(candidate, base)
        if url:
            return url
    return None


def _published(entry: Any, tz: tzinfo) -> datetime | None:
    for key in ("published", "updated", "created"):
        # dict.get, not entry.get: FeedParserDict answers "updated" with "published" (and
        # warns), which would read the same unparseable date twice.
        raw = dict.get(entry, key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        moment = dates.parse_iso(raw, tz) or dates.parse_rfc822(raw, tz)
        if moment is None:
            moment = dates.parse_datetime_text(raw, tz)
        if moment is not None:
            return moment
        # feedparser reads a few more exotic formats; its result is UTC.
        parsed = dict.get(entry, f"{key}_parsed")
        if parsed:
            try:
                return datetime(*parsed[:6], tzinfo=UTC).astimezone(tz)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _category(entry: Any) -> str | None:
    for tag in entry.get("tags") or []:
        name = one_line(str(tag.get("label") or tag.get("term") or ""))[:MAX_LABEL_CHARS]
        if name:
            return name
    return None


def _next_page(feed: Any, base: str) -> str | None:
    for link in feed.get("links") or []:
        if link.get("rel") == "next":
            return absolute_http_url(link.get("href"), base)
    return None


def _text_of(container: Any, key: str) -> str:
    """A feed field as plain text, by its declared type: HTML is rendered, text kept as is.

    feedparser has already decoded the XML entities once; an HTML field ("&quot;" in an Atom
    type="html" title) is decoded a second time by the HTML parser, a text field never is,
    so a title "[bold]x[/bold]" or "a &lt; b" stays exactly as the publisher wrote it.
    """
    value = container.get(key)
    if not isinstance(value, str) or not value:
        return ""
    detail = container.get(f"{key}_detail") or {}
    return _as_text(value, str(detail.get("type", "")))


def _as_text(value: str, media_type: str) -> str:
    if "html" not in media_type.lower():
        return one_line(value)
    return html_to_text(value)


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment on one line: tags dropped, entities decoded once."""
    if "<" not in fragment and "&" not in fragment:
        return one_line(fragment)
    import lxml.html
    from lxml import etree

    # References to control characters go first: lxml would decode "&#27;" into the tree,
    # where any later edit of that text raises ValueError and costs the whole feed.
    markup = clean_markup(fragment[:_MAX_MARKUP_CHARS])
    try:
        root = lxml.html.document_fromstring("<html><body>" + markup + "</body></html>")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return ""
    etree.strip_elements(root, "script", "style", "template", with_tail=False)
    for element in root.iter():
        # Blocks end in a space so that "<p>a</p><p>b</p>" reads "a b", not "ab".
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = " " + (element.tail or "")
    return one_line(root.text_content())
