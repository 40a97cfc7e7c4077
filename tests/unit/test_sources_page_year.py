"""A date written without a year takes the page's own year, not the reader's clock's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsterm.sources import parse
from newsterm.sources.html_listing import served_day
from newsterm.text import zones

PAGE = """<html><head><title>Desk</title>
<meta property="og:updated_time" content="2025-05-16T20:00:00+03:00"></head><body><ul>
<li><span>16 May, 19:58</span> <a href="/a/talks">Talks in Istanbul end without a ceasefire</a></li>
<li><span>15 May, 22:10</span> <a href="/a/swap">Prisoner swap agreed for the coming week</a></li>
<li><span>14 May, 08:05</span> <a href="/a/rail">Night trains return to the western line</a></li>
</ul></body></html>"""


def test_a_yearless_date_takes_the_year_of_the_page_not_of_today():
    # Read now (2026 or later): the page says it was updated in May 2025.
    assert datetime.now().year > 2025
    listing = parse(PAGE.encode(), "https://example.org/news", timezone="Europe/Kyiv")
    assert [h.published.isoformat() for h in listing.headlines] == [
        "2025-05-16T19:58:00+03:00",
        "2025-05-15T22:10:00+03:00",
        "2025-05-14T08:05:00+03:00",
    ]


def test_without_a_page_date_the_clock_decides_as_before():
    body = PAGE.replace('<meta property="og:updated_time" content="2025-05-16T20:00:00+03:00">', "")
    listing = parse(body.encode(), "https://example.org/news", timezone="Europe/Kyiv")
    assert {h.published.year for h in listing.headlines} <= {
        datetime.now().year,
        datetime.now().year - 1,
    }


NO_DATE = PAGE.replace('<meta property="og:updated_time" content="2025-05-16T20:00:00+03:00">', "")


def test_a_page_without_a_date_takes_the_year_of_its_last_modified_header():
    served = ("Fri, 16 May 2025 18:00:00 GMT", "Sun, 06 Dec 2026 05:00:00 GMT")
    listing = parse(
        NO_DATE.encode(), "https://example.org/news", timezone="Europe/Kyiv", served=served
    )
    assert [h.published.isoformat() for h in listing.headlines] == [
        "2025-05-16T19:58:00+03:00",
        "2025-05-15T22:10:00+03:00",
        "2025-05-14T08:05:00+03:00",
    ]


def test_the_page_own_date_comes_before_its_headers():
    served = ("Sat, 16 May 2020 18:00:00 GMT",)
    listing = parse(
        PAGE.encode(), "https://example.org/news", timezone="Europe/Kyiv", served=served
    )
    assert {h.published.year for h in listing.headlines} == {2025}


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("Fri, 16 May 2025 21:30:00 GMT", "2025-05-17"),  # past midnight in Kyiv
        ("Friday, 16-May-25 21:30:00 GMT", "2025-05-17"),  # RFC 850, obsolete but allowed
        ("Fri May 16 10:00:00 2025", "2025-05-16"),  # asctime
        (" Fri, 16 May 2025 10:00:00 GMT ", "2025-05-16"),
        ("Thu, 01 Jan 1970 00:00:00 GMT", None),  # a server's zero
        ("Fri, 16 May 2098 10:00:00 GMT", None),  # the future
        ("Fri, 16 May 2025 10:00:00 +0000", None),  # not an HTTP date form
        ("2025-05-16T10:00:00Z", None),
        ("Fri, 39 May 2025 10:00:00 GMT", None),
        ("Fri, 16 May 2025 10:00:00 GMT" + " " * 5000, None),
        ("Fri, 16 May ２０２５ 10:00:00 GMT", None),  # full-width digits
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_a_served_date_is_read_strictly(value, day):
    found = served_day((value,), zones.zone("Europe/Kyiv"), now=datetime(2026, 12, 6, tzinfo=UTC))
    assert (found.isoformat() if found else None) == day


@pytest.mark.parametrize(
    "garbage",
    ["not a date at all", "Thu, 01 Jan 1970 00:00:00 GMT", "Sat, 01 Jan 2300 00:00:00 GMT"],
)
def test_a_garbage_header_falls_back_to_the_clock(garbage):
    listing = parse(
        NO_DATE.encode(), "https://example.org/news", timezone="Europe/Kyiv", served=(garbage,)
    )
    by_clock = parse(NO_DATE.encode(), "https://example.org/news", timezone="Europe/Kyiv")
    assert [h.published for h in listing.headlines] == [h.published for h in by_clock.headlines]
    assert {h.published.year for h in listing.headlines} == {datetime.now().year}  # "16 May"
