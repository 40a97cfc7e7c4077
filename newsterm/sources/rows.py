"""Rows of a listing page in page order (day headers, items) and how they become Headlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from urllib.parse import urlsplit

from newsterm.models import Headline
from newsterm.sources.links import absolute_http_url, same_document_key
from newsterm.text import dates
from newsterm.text.sanitize import one_line

MAX_TITLE_CHARS = 500
MAX_LABEL_CHARS = 40


@dataclass(slots=True)
class DayHeader:
    """A date line between items ("2025, Friday 16 May"); the items after it are of that day."""

    text: str


@dataclass(slots=True)
class ListedItem:
    """One headline as found on the page, before its URL and time are resolved."""

    title: str
    href: str | None
    when_text: str | None = None
    """The item's visible time line: "19:58", "15 May, 22:10", "16.05.2025 14:49"."""
    when_attr: str | None = None
    """A machine-readable `datetime` attribute, when the time is a `<time>` element."""
    label: str | None = None
    category: str | None = None


Row = DayHeader | ListedItem


def build_headlines(
    rows: list[Row], base: str, tz: tzinfo, page_day: date, reference: date
) -> list[Headline]:
    """Headlines from rows in page order: each item takes the date of the header above it
    (`page_day` before the first header) unless its own time line carries a date.

    An item without an http(s) link (none, `javascript:`, `data:`) is kept in its place as a
    headline without a link (`Headline.link` is None; the unusable href goes nowhere). Items
    without a title are dropped, and a URL already listed is listed once (an image link and
    a title link to one article are one headline).
    """
    headlines: list[Headline] = []
    seen: set[str] = set()
    day = page_day
    day_text = ""
    site = _site(base)
    for row in rows:
        if isinstance(row, DayHeader):
            day = dates.find_date(row.text, reference) or day
            day_text = row.text
            continue
        title = one_line(row.title)[:MAX_TITLE_CHARS]
        if not title:
            continue
        published = item_moment(row, day, tz, reference)
        # A linkless item is known by what the page writes (its day header and time), not by
        # the date inferred for it: a bare "19:40" still listed after midnight is one row.
        url = absolute_http_url(row.href, base) or Headline.no_link_url(
            site, title, "\n".join((day_text, row.when_attr or "", row.when_text or ""))
        )
        key = same_document_key(url)
        if key in seen:
            continue
        seen.add(key)
        headlines.append(
            Headline(
                title=title,
                url=url,
                published=published,
                label=_short(row.label),
                category=_short(row.category),
            )
        )
    return headlines


def item_moment(item: ListedItem, day: date, tz: tzinfo, reference: date) -> datetime | None:
    """When an item was published, aware, in `tz`; None when it shows no time.

    A `datetime` attribute with a time wins: it is converted to the site's zone before the
    day is decided, so "2025-05-16T21:30:00Z" is 17 May in Kyiv.
    """
    attribute_day = None
    if item.when_attr:
        exact = dates.parse_iso(item.when_attr, tz)
        if exact is not None and ":" in item.when_attr:
            return exact
        attribute_day = exact.date() if exact else None
    text = item.when_text or ""
    clock = dates.find_time(text)
    if clock is None:
        return None
    own_day = dates.find_date(text, reference) or attribute_day or day
    return datetime.combine(own_day, clock, tzinfo=tz)


def linkless_url(base: str, title: str, published: datetime | None) -> str:
    """The identifier of a feed entry on `base`'s site without a usable link (a feed states
    its entries' dates, so the date is part of what the entry says)."""
    return Headline.no_link_url(_site(base), title, published.isoformat() if published else "")


def _site(base: str) -> str:
    """The site a page belongs to (scheme and host), which names its linkless items: the same
    item on a listing's first and second page is one headline."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def _short(text: str | None) -> str | None:
    if not text:
        return None
    text = one_line(text)
    return text[:MAX_LABEL_CHARS] if text else None
