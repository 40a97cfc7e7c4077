"""Listing parsers, pure: a news page's or feed's bytes and URL in, a Listing of headlines out."""

from __future__ import annotations

from datetime import date, tzinfo

from newsterm.models import Listing
from newsterm.text import zones

MAX_LISTING_BYTES = 5 * 1024 * 1024
"""Only this much of a body is read: a news list is far smaller, and a 20 MB page is hostile."""
EMPTY_RESPONSE = "empty response"
NOT_MARKUP = "not HTML or a feed"
UNEXPECTED = "the page could not be read"

__all__ = ["EMPTY_RESPONSE", "MAX_LISTING_BYTES", "NOT_MARKUP", "UNEXPECTED", "parse"]


def parse(
    body: bytes,
    url: str,
    content_type: str | None = None,
    *,
    timezone: str = zones.DEFAULT_ZONE,
    today: date | None = None,
    use_presets: bool = True,
    served: tuple[str | None, ...] = (),
) -> Listing:
    """Parse a news list page or an RSS/Atom feed, recognised by its content, into a Listing.

    `timezone` is the zone the site writes local times in; `today` (a day in that zone,
    default now) dates items listed before any day header on a page that has no date.
    `served` holds the response's Last-Modified and Date headers, as sent: on a page that
    states no date of its own, the first that is a plausible HTTP date stands in for it.
    `use_presets=False` skips the known-site presets and uses detection alone.
    Never raises on bad input: an empty Listing's `reason` says what was wrong.
    """
    if not body or body.isspace():
        return Listing(reason=EMPTY_RESPONSE)
    cut = len(body) > MAX_LISTING_BYTES
    body = bytes(body[:MAX_LISTING_BYTES])
    try:
        tz = zones.zone(timezone)
    except ValueError:
        tz = zones.zone(None)  # a bad per-source setting must not stop its headlines
    try:
        return _parse_by_format(body, url, content_type, tz, today, use_presets, cut, served)
    except Exception as error:
        # Last line of defence: a page we misread must cost its source one refresh, never
        # the whole refresh. The tests assert this reason never shows up on their inputs.
        return Listing(reason=f"{UNEXPECTED} ({type(error).__name__})")


def _parse_by_format(
    body: bytes,
    url: str,
    content_type: str | None,
    tz: tzinfo,
    today: date | None,
    use_presets: bool,
    cut: bool,
    served: tuple[str | None, ...],
) -> Listing:
    from newsterm.sources.sniffing import sniff_format

    found = sniff_format(body, content_type)
    if found == "feed":
        from newsterm.sources.feeds import parse_feed

        return parse_feed(body, url, content_type, tz, cut=cut)
    if found == "html":
        from newsterm.sources.html_listing import parse_html_listing

        return parse_html_listing(body, url, content_type, tz, today, use_presets, served)
    return Listing(reason=NOT_MARKUP)
