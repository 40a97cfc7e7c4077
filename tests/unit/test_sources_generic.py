"""Detection without presets on markups we have not seen: tables, <time>, flat lists, Ukrainian."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsterm.models import Listing
from newsterm.sources import parse

LISTINGS = Path(__file__).resolve().parents[1] / "fixtures" / "listings"
TODAY = date(2025, 5, 17)


def _parse(name: str, url: str, content_type: str | None = "text/html") -> Listing:
    return parse((LISTINGS / name).read_bytes(), url, content_type, today=TODAY)


def _rows(listing: Listing) -> list[tuple[str | None, str, str, str | None]]:
    return [
        (h.published.isoformat() if h.published else None, h.title, h.url, h.label)
        for h in listing.headlines
    ]


def test_a_table_with_day_header_rows_and_a_label_column():
    listing = _parse("table-list.html", "https://dnipro-evening.example/news")
    host = "https://dnipro-evening.example/news"
    assert listing.kind == "generic"
    assert _rows(listing) == [
        (
            "2025-05-16T21:05:00+03:00",
            "City council approves new tram line to the left bank",
            f"{host}/tram-line",
            "Updated",
        ),
        (
            "2025-05-16T18:40:00+03:00",
            "Heavy rain expected across the region this weekend",
            f"{host}/rain",
            None,
        ),
        (
            "2025-05-16T09:15:00+03:00",
            "Bridge repairs finish two weeks ahead of schedule",
            f"{host}/bridge",
            "Exclusive",
        ),
        (
            "2025-05-15T23:50:00+03:00",
            "Night trains to Lviv return to the timetable",
            f"{host}/night-trains",
            None,
        ),
        (
            "2025-05-15T07:30:00+03:00",
            "Local football club signs a new goalkeeper",
            f"{host}/goalkeeper",
            None,
        ),
    ]
    assert listing.next_page == "https://dnipro-evening.example/news?page=2"  # ?page=N+1
    assert listing.feeds == ["https://dnipro-evening.example/feed.xml"]  # not the hreflang one
    assert listing.title == "Dnipro Evening — all news"


def test_div_cards_with_time_elements_h3_headers_and_a_base_href():
    listing = _parse("div-time.html", "https://kharkiv-ledger.example/latest")
    base = "https://kharkiv-ledger.example/stories"
    assert _rows(listing) == [
        (
            "2025-05-16T19:58:00+03:00",
            "Parliament passes the budget amendments in second reading",
            f"{base}/parliament-budget",
            None,
        ),
        (
            "2025-05-16T15:05:00+03:00",
            "Drone factory in the region doubles its output",
            f"{base}/drone-factory",
            "Analysis",
        ),
        # Only the attribute has the time: 21:30 UTC on the 15th is 00:30 on the 16th in Kyiv.
        (
            "2025-05-16T00:30:00+03:00",
            "Shelling of the city's north overnight, no casualties reported",
            f"{base}/late-night-shelling",
            None,
        ),
        (
            "2025-05-15T20:45:00+03:00",
            "Metro extends its hours during the heat wave",
            f"{base}/metro-hours",
            None,
        ),
    ]
    assert listing.next_page == "https://kharkiv-ledger.example/stories?p=2"  # "Next ›"


def test_a_flat_definition_list_with_times_before_titles_and_relative_headers():
    listing = _parse("flat-dl.html", "https://odesa-wire.example/wire")
    assert _rows(listing) == [
        (
            "2025-05-17T10:20:00+03:00",
            "Port loads a record amount of grain this month",
            "https://odesa-wire.example/a/port-grain",
            None,
        ),
        (
            "2025-05-17T08:05:00+03:00",
            "Ferry service to the islands resumes after the storm",
            "https://odesa-wire.example/a/ferry",
            None,
        ),
        (
            "2025-05-16T19:40:00+03:00",
            "Opera house announces its summer season programme",
            "https://odesa-wire.example/a/opera",
            None,
        ),
    ]
    assert listing.next_page == "https://odesa-wire.example/wire/older"  # rel="next"


def test_times_after_titles_without_headers_take_the_pages_date():
    listing = _parse("flat-after.html", "https://lviv-morning.example/digest")
    assert _rows(listing) == [
        (
            "2025-05-14T10:45:00+03:00",
            "Tram depot gets twelve new low-floor cars",
            "https://lviv-morning.example/d/tram-depot",
            None,
        ),
        (
            "2025-05-14T09:30:00+03:00",
            "City library opens a night reading room",
            "https://lviv-morning.example/d/library",
            None,
        ),
        (
            "2025-05-14T08:05:00+03:00",
            "New cycle lane links the station and the old town",
            "https://lviv-morning.example/d/cyclists",
            None,
        ),
    ]
    assert listing.next_page is None


def test_a_windows_1251_ukrainian_page_with_the_charset_only_in_meta():
    listing = _parse("uk-cp1251.html", "https://poltava-news.example/strichka", "text/html")
    assert listing.title == "Новини Полтавщини — стрічка"
    assert _rows(listing) == [
        (
            "2025-05-16T14:49:00+03:00",
            "Графіки відключень світла в Полтавській області не застосовуватимуть",
            "https://poltava-news.example/news/hrafiky",
            "Ексклюзив",
        ),
        (
            "2025-05-16T12:05:00+03:00",
            "У Кременчуці відкрили новий пішохідний міст через Дніпро",
            "https://poltava-news.example/news/mist",
            None,
        ),
        (
            "2025-05-15T22:10:00+03:00",
            "Синоптики попередили про грози на заході країни",
            "https://poltava-news.example/news/hrozy",
            None,
        ),
    ]
    assert listing.next_page == "https://poltava-news.example/news?page=2"  # "Більше новин"


def test_a_page_without_a_timed_list_has_a_reason_and_still_its_feeds():
    listing = _parse("no-list.html", "https://poltava-courier.example/about")
    assert listing.headlines == []
    assert listing.reason == "no headline list found on the page"
    assert listing.feeds == ["https://poltava-courier.example/atom.xml"]


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


def test_a_long_untimed_sidebar_does_not_beat_a_short_timed_list():
    sidebar = "".join(
        f'<li><a href="/popular/{n}">Popular story number {n} of the week</a></li>'
        for n in range(12)
    )
    timed = "".join(
        f'<li><a href="/news/{n}">Timed story number {n} in the list</a> <i>1{n}:15</i></li>'
        for n in range(3)
    )
    listing = parse(
        _page(f"<aside><ol>{sidebar}</ol></aside><main><ul>{timed}</ul></main>"),
        "https://example.org/",
        today=TODAY,
    )
    assert [h.url for h in listing.headlines] == [f"https://example.org/news/{n}" for n in range(3)]
    assert [h.published.strftime("%H:%M") for h in listing.headlines] == [
        "10:15",
        "11:15",
        "12:15",
    ]


def test_items_before_any_header_on_an_undated_page_are_today():
    items = "".join(
        f'<p><span>0{n}:30</span> <a href="/n/{n}">Night story number {n} from the wire</a></p>'
        for n in range(1, 3)
    )
    listing = parse(_page(items), "https://example.org/", timezone="Europe/Warsaw", today=TODAY)
    assert [h.published.isoformat() for h in listing.headlines] == [
        "2025-05-17T01:30:00+02:00",
        "2025-05-17T02:30:00+02:00",
    ]


def test_each_items_own_date_wins_over_headers():
    items = "".join(
        f'<li><a href="/{n}">Story {n} that shows its own time line</a> <small>{when}</small></li>'
        for n, when in enumerate(["15 May, 22:10", "16.05.2025 14:49", "7:05 pm"])
    )
    listing = parse(_page(f"<h2>14 May 2025</h2><ul>{items}</ul>"), "https://e.org/", today=TODAY)
    assert [h.published.isoformat() for h in listing.headlines] == [
        "2025-05-15T22:10:00+03:00",
        "2025-05-16T14:49:00+03:00",
        "2025-05-14T19:05:00+03:00",  # no date of its own: the header above the list
    ]


def test_a_time_inside_the_title_link_is_not_part_of_the_title():
    items = "".join(
        f'<li><a href="/s/{n}"><time>1{n}:00</time> Story number {n} with the time inside</a></li>'
        for n in range(3)
    )
    listing = parse(_page(f"<h3>Friday, May 16, 2025</h3><ul>{items}</ul>"), "https://e.org/")
    assert [h.title for h in listing.headlines] == [
        f"Story number {n} with the time inside" for n in range(3)
    ]
    assert listing.headlines[2].published.isoformat() == "2025-05-16T12:00:00+03:00"


@pytest.mark.parametrize(
    "header",
    [
        "2025, Friday<br>16 May",
        "16 May 2025, Friday",
        "Friday, May 16, 2025",
        "16 травня, 2025 п’ятниця",
    ],
)
def test_day_header_forms(header):
    items = "".join(
        f'<div><span>1{n}:00</span><a href="/x/{n}">Headline {n} of the header test</a></div>'
        for n in range(2)
    )
    body = _page(f'<section><div class="d">2025, Thursday<br>15 May</div>{items}</section>')
    body = body.replace(b"2025, Thursday<br>15 May", header.encode())
    listing = parse(body, "https://e.org/", today=TODAY)
    assert {h.published.date() for h in listing.headlines} == {date(2025, 5, 16)}
