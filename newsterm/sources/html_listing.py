"""Turns a listing page into a Listing: a site preset when its markup is known, else detection."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from newsterm.models import Headline, Listing
from newsterm.sources.generic_listing import find_listing_rows
from newsterm.sources.html_page import load_html, page_date, page_title
from newsterm.sources.links import absolute_http_url, feed_links, find_next_page, page_base
from newsterm.sources.preset_listing import read_with_preset
from newsterm.sources.presets import PRESETS
from newsterm.sources.rows import build_headlines

UNPARSABLE = "the page could not be parsed"
NO_LIST = "no headline list found on the page"


def parse_html_listing(
    body: bytes,
    url: str,
    content_type: str | None,
    tz: tzinfo,
    today: date | None,
    use_presets: bool = True,
) -> Listing:
    """The headlines of an HTML news list, with its next page and advertised feeds.

    `today` is the day in the site's zone that dates items listed before any day header
    when the page itself carries no date. A date written without a year ("15 May, 22:10")
    takes its year from `today` when given, else from the page's own date (its
    modification metas, or its first full date), and only then from the clock: a page
    from 2025 read in 2026 still says 2025.
    """
    root = load_html(body, content_type)
    if root is None:
        return Listing(reason=UNPARSABLE)
    base = page_base(root, url)
    title = page_title(root)
    feeds = feed_links(root, base)
    reference = today or page_date(root, tz) or datetime.now(tz).date()
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
