"""Turns a listing page into a Listing: a site preset when its markup is known, else detection."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from newsterm.models import Headline, Listing
from newsterm.sources.generic_listing import find_listing_rows
from newsterm.sources.html_page import load_html, page_date, page_title
from newsterm.sources.links import absolute_http_url, feed_links, find_next_page, page_base
from newsterm.sources.preset_listing import read_with_preset
from newsterm.sources.presets import PRESETS
from newsterm.sources.rows import build_headlines

EARLIEST_SERVED_YEAR = 1995
"""A Last-Modified or Date before this year is a server's zero (1970), not a page's date."""
_MAX_HTTP_DATE = 40
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_CLOCK = r"[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"
_HTTP_DATES = (
    re.compile(rf"{_DAY}, [0-3][0-9] {_MONTH} [0-9]{{4}} {_CLOCK} GMT"),
    re.compile(rf"{_DAY}[a-z]{{3,6}}, [0-3][0-9]-{_MONTH}-[0-9]{{2}} {_CLOCK} GMT"),
    re.compile(rf"{_DAY} {_MONTH} [ 1-3][0-9] {_CLOCK} [0-9]{{4}}"),
)
UNPARSABLE = "the page could not be parsed"
NO_LIST = "no headline list found on the page"


def parse_html_listing(
    body: bytes,
    url: str,
    content_type: str | None,
    tz: tzinfo,
    today: date | None,
    use_presets: bool = True,
    served: tuple[str | None, ...] = (),
) -> Listing:
    """The headlines of an HTML news list, with its next page and advertised feeds.

    `today` is the day in the site's zone that dates items listed before any day header
    when the page itself carries no date. A date written without a year ("15 May, 22:10")
    takes its year from `today` when given, else from the page's own date (its
    modification metas, or its first full date), else from the response's date (`served`:
    its Last-Modified, then its Date header), and only then from the clock: a page from
    2025 read in 2026 still says 2025.
    """
    root = load_html(body, content_type)
    if root is None:
        return Listing(reason=UNPARSABLE)
    base = page_base(root, url)
    title = page_title(root)
    feeds = feed_links(root, base)
    reference = today or page_date(root, tz) or served_day(served, tz) or datetime.now(tz).date()
    headlines: list[Headline] = []
    next_href: str | None = None
    kind = "generic"
    if use_presets:
        for preset in PRESETS:
            found = read_with_preset(root, preset)
            if found is None:
                continue
            page_day = page_date(root, tz, skip=set(found.items)) or reference
            headlines = build_headlines(found.rows, base, tz, page_day, reference)
            if headlines:
                next_href, kind = found.next_href, f"preset:{preset.name}"
                break
    if not headlines:
        # No preset matched, or its markup matched but held nothing usable: detect instead.
        rows, items = find_listing_rows(root, base)
        page_day = page_date(root, tz, skip=set(items)) or reference
        headlines = build_headlines(rows, base, tz, page_day, reference)
    if not headlines:
        return Listing(feeds=feeds, title=title, reason=NO_LIST)
    next_page = absolute_http_url(next_href, base) or find_next_page(root, base, url)
    return Listing(headlines, next_page, feeds, kind, title)


def served_day(
    headers: tuple[str | None, ...], tz: tzinfo, now: datetime | None = None
) -> date | None:
    """The day (in the site's zone) of the first header value that is an HTTP date.

    Read strictly: one of the three forms RFC 9110 allows ("Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"), short, ASCII; a date
    before EARLIEST_SERVED_YEAR (a server's zero: 1970) or after tomorrow is no page's date.
    """
    now = now or datetime.now(UTC)
    for value in headers:
        if not isinstance(value, str) or len(value) > _MAX_HTTP_DATE:
            continue
        value = value.strip(" ")
        if not any(form.fullmatch(value) for form in _HTTP_DATES):
            continue
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if when.tzinfo is None:  # the asctime form, which is GMT without saying so
            when = when.replace(tzinfo=UTC)
        if when.year < EARLIEST_SERVED_YEAR or when > now + timedelta(days=1):
            continue
        return when.astimezone(tz).date()
    return None
