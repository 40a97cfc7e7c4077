"""A date written without a year takes the page's own year, not the reader's clock's."""

from __future__ import annotations

from datetime import datetime

from newsterm.sources import parse

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
