"""The ticker pane: day headers, rows, movement keys, paging, clicks and untrusted headlines."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from rich.cells import cell_len

from newsterm.models import Headline, Source
from newsterm.ui.app import make_app
from newsterm.ui.widgets import headline_ticker
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import (
    FIXED_NOW,
    fill_library,
    frozen_clock,
    make_settings,
    screen_segments,
    screen_text,
)
from tests.support.machine_zone import machine_zone

KYIV_EVENING = datetime.fromisoformat("2025-05-16T19:00:00+03:00")


def filled_app(tmp_path, **overrides):
    app = make_app(make_settings(tmp_path, **overrides), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)
    return app


def many_headlines_app(tmp_path, count: int, per_day: int = 40):
    """An app whose cache holds `count` invented headlines, `per_day` to a day."""
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    store = app.library.store
    source = store.add_source(Source("https://global.espreso.tv/news", "Espreso Global"))
    headlines = [
        Headline(
            f"Headline {index}",
            f"https://global.espreso.tv/item-{index}",
            KYIV_EVENING - timedelta(days=index // per_day, minutes=index % per_day),
        )
        for index in range(count)
    ]
    store.store_listing(source, headlines, now=FIXED_NOW)
    return app


def ticker_of(app) -> HeadlineTicker:
    return app.screen.query_one(HeadlineTicker)


async def test_first_paint_shows_day_header_times_labels_and_titles(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)):
        text = screen_text(app)
        assert "2025, Friday · 16 May" in text
        # Labels as the page writes them, in a column as wide as the widest ("Exclusive"):
        # every title starts in the same column, with a label or without.
        assert "19:58              Russian demands at Istanbul talks" in text
        assert "19:17   Exclusive  Ukraine’s defense" in text
        assert "16:36   OPINION    Who is Medinsky" in text
        assert "EXCLUSIVE" not in text
        assert "online" in text and "updated 2 min ago" in text
        # One source: rows do not repeat its name.
        assert "Espreso Global · Russian" not in text


async def test_older_day_gets_its_own_header(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G")
        text = screen_text(app)
        assert "2025, Thursday · 15 May" in text
        assert "2024, Wednesday · 11 December" in text


@pytest.mark.parametrize(
    ("setting", "shown"),
    [
        ("", "19:58"),  # by default the site's own zone (Kyiv), as the site shows it
        ("local", "12:58"),  # the machine's zone: New York, UTC-4 in May
        ("UTC", "16:58"),
    ],
)
async def test_times_follow_the_display_zone(tmp_path, setting, shown):
    with machine_zone("America/New_York"):
        app = filled_app(tmp_path, display_timezone=setting)
        async with app.run_test(size=(120, 40)):
            assert f"{shown}{' ' * 14}Russian demands at Istanbul talks" in screen_text(app)


async def test_j_k_and_arrows_move_the_cursor(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = ticker_of(app)
        assert ticker.cursor == 0
        await pilot.press("j", "j", "down")
        assert ticker.cursor == 3
        await pilot.press("k", "up")
        assert ticker.cursor == 1
        await pilot.press("k", "k", "k")
        assert ticker.cursor == 0


async def test_g_and_capital_g_go_to_the_newest_and_the_oldest(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = ticker_of(app)
        await pilot.press("G")
        assert ticker.cursor == len(ticker.entries) - 1
        assert ticker.cursor_entry.title.startswith("Russia uses new technologies")
        assert ticker.scroll_offset.y > 0
        await pilot.press("g")
        assert ticker.cursor == 0
        assert ticker.scroll_offset.y == 0


async def test_page_down_and_page_up_move_a_screenful(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        ticker = ticker_of(app)
        await pilot.press("pagedown")
        first_page = ticker.cursor
        assert first_page > 10
        await pilot.press("pagedown")
        assert ticker.cursor > first_page
        await pilot.press("pageup", "pageup")
        assert ticker.cursor == 0


async def test_square_brackets_jump_between_days(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = ticker_of(app)
        await pilot.press("j", "j")
        await pilot.press("left_square_bracket")  # "[": the day before
        entry = ticker.cursor_entry
        assert (entry.clock, entry.title[:6]) == ("21:40", "Melani")  # first of 15 May
        await pilot.press("left_square_bracket")
        assert ticker.cursor_entry.title.startswith("Russia uses new technologies")
        await pilot.press("right_square_bracket")  # "]": the day after
        assert ticker.cursor_entry.clock == "21:40"
        await pilot.press("right_square_bracket")
        assert ticker.cursor == 0


async def test_n_jumps_to_the_next_unread_headline(tmp_path):
    app = filled_app(tmp_path)
    library = app.library
    rows = library.ticker_rows(0, 5)
    for row in rows[1:4]:
        library.mark_read(row.url)
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = ticker_of(app)
        await pilot.press("n")
        assert ticker.cursor == 4


async def test_read_rows_lose_bold_and_saved_rows_get_a_star(tmp_path):
    app = filled_app(tmp_path)
    rows = app.library.ticker_rows(0, 5)
    app.library.mark_read(rows[2].url)
    async with app.run_test(size=(120, 40)):
        ticker = ticker_of(app)
        ticker.set_flags(rows[3].url, saved=True)
        read_line = list(ticker.render_line(ticker._entry_lines[2]))
        unread_line = list(ticker.render_line(ticker._entry_lines[1]))
        saved_line = "".join(s.text for s in ticker.render_line(ticker._entry_lines[3]))
        assert not any(s.style and s.style.bold for s in read_line if "Prisoner" in s.text)
        assert any(s.style and s.style.bold for s in unread_line if "Trump" in s.text)
        assert saved_line.startswith("★")


async def test_source_names_shown_when_several_sources(tmp_path):
    app = filled_app(tmp_path)
    store = app.library.store
    other = store.add_source(Source("https://example.org/feed.xml", "Example Feed"))
    store.store_listing(
        other, [Headline("Feed item", "https://example.org/1", KYIV_EVENING)], now=FIXED_NOW
    )
    async with app.run_test(size=(140, 40)):
        text = screen_text(app)
        assert "Example Feed · Feed item" in text
        assert "Espreso Global · Russian demands" in text


async def test_enter_and_click_open_the_headline(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        ticker = ticker_of(app)
        reader = app.screen.query_one(ArticleReader)
        await pilot.press("G", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert reader.title.startswith("Russia uses new technologies")
        assert ticker.cursor_entry.read
        await pilot.press("g")
        # Line 0 is the day header, then the first headline (two lines when it wraps).
        await pilot.click(HeadlineTicker, offset=(10, ticker._entry_lines[1] + 1))
        assert ticker.cursor == 1
        assert reader.url == ticker.entries[1].url


async def test_markup_and_escape_sequences_in_headlines_show_literally(tmp_path):
    app = filled_app(tmp_path)
    store = app.library.store
    source = store.sources()[0]
    nasty = [
        Headline("[red]fake[/red] and [link=https://evil.test]click[/link]", "https://x.test/1"),
        Headline("Bell\x07 CSI\x9b31m ESC\x1b[2J done", "https://x.test/2"),
        Headline("[bold]Breaking[/bold] :warning: news", "https://x.test/3", label="[b]x[/b]"),
    ]
    for index, headline in enumerate(nasty):
        headline.published = KYIV_EVENING + timedelta(hours=2, minutes=index)
    store.store_listing(source, nasty, now=FIXED_NOW)
    async with app.run_test(size=(240, 40)):
        text = screen_text(app)
        assert "[red]fake[/red] and [link=https://evil.test]click[/link]" in text
        assert "[bold]Breaking[/bold] :warning: news" in text
        assert "[b]x[/b]" in text  # labels are shown as written, brackets and all
        assert "Bell CSI31m ESC[2J done" in text
        segments = screen_segments(app)
        assert not [s for s in segments if "\x1b" in s or "\x9b" in s or "\x07" in s]
        ticker = ticker_of(app)
        for y in range(8):
            strip = ticker.render_line(y)
            assert all(segment.style is None or not segment.style.link for segment in strip)


@pytest.mark.parametrize("width", [60, 61, 62, 63])
async def test_wide_characters_are_ellipsised_within_the_pane(tmp_path, width):
    app = filled_app(tmp_path)
    store = app.library.store
    source = store.sources()[0]
    title = "東京で大規模な抗議デモ 🇺🇦🔥 参加者は数千人に達した 報道によると警察は" * 4
    store.store_listing(
        source, [Headline(title, "https://x.test/cjk", KYIV_EVENING + timedelta(hours=3))]
    )
    async with app.run_test(size=(width * 2, 30)):
        ticker = ticker_of(app)
        content_width = ticker.scrollable_content_region.width
        first, second = (
            "".join(segment.text for segment in ticker.render_line(line)) for line in (1, 2)
        )
        assert cell_len(first) == cell_len(second) == content_width
        assert first.startswith("  22:00") and "東京" in first
        assert "…" in second  # wrapped onto a second line, the rest cut there


async def test_cursor_paging_reads_by_key_and_the_window_stays_bounded(tmp_path):
    app = many_headlines_app(tmp_path, 3000)
    async with app.run_test(size=(100, 30)) as pilot:
        ticker = ticker_of(app)
        await pilot.pause()
        assert len(ticker.entries) == headline_ticker.WINDOW  # filled after the first paint
        ticker.move_cursor(455)
        assert len(ticker.entries) == headline_ticker.WINDOW + headline_ticker.PAGE
        assert ticker.cursor_entry.title == "Headline 455"
        # Walking the whole list row by row meets every headline once, in order, and the
        # window never holds more than its bound.
        seen = [ticker.cursor_entry.title]
        largest = 0
        while not (ticker.at_oldest and ticker.cursor == len(ticker.entries) - 1):
            ticker.move_cursor(ticker.cursor + 1)
            seen.append(ticker.cursor_entry.title)
            largest = max(largest, len(ticker.entries))
        assert seen == [f"Headline {n}" for n in range(455, 3000)]
        assert largest <= headline_ticker.MAX_WINDOW
        # And back up to the newest, reading newer rows in front of the window.
        seen = []
        while not (ticker.at_newest and ticker.cursor == 0):
            ticker.move_cursor(ticker.cursor - 1)
            seen.append(ticker.cursor_entry.title)
            largest = max(largest, len(ticker.entries))
        assert seen == [f"Headline {n}" for n in range(2998, -1, -1)]
        assert largest <= headline_ticker.MAX_WINDOW


async def test_g_and_G_jump_to_either_end_without_reading_the_rows_between(tmp_path):
    app = many_headlines_app(tmp_path, 3000)
    async with app.run_test(size=(100, 30)) as pilot:
        ticker = ticker_of(app)
        await pilot.pause()
        await pilot.press("G")
        assert ticker.cursor_entry.title == "Headline 2999"
        assert ticker.at_oldest and not ticker.at_newest
        assert len(ticker.entries) == headline_ticker.WINDOW
        assert ticker.entries[0].title == f"Headline {3000 - headline_ticker.WINDOW}"
        await pilot.press("g")
        assert ticker.cursor_entry.title == "Headline 0"
        assert ticker.at_newest


async def test_scrolling_the_view_near_the_end_reads_more_rows(tmp_path):
    app = many_headlines_app(tmp_path, 700)
    async with app.run_test(size=(100, 30)) as pilot:
        ticker = ticker_of(app)
        await pilot.pause()
        assert len(ticker.entries) == 500
        ticker.scroll_to(y=len(ticker._lines), animate=False)
        await pilot.pause()
        await pilot.pause()
        assert len(ticker.entries) == 700


async def test_empty_cache_says_how_to_get_headlines(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "No headlines cached yet" in screen_text(app)
        await pilot.press("j", "k", "G", "g", "enter", "n", "left_square_bracket", "pagedown")
        assert ticker_of(app).cursor == -1


async def test_day_jumps_go_past_the_window_by_one_query_each(tmp_path):
    # 40 headlines a day for 100 days: the window holds about 12 days.
    app = many_headlines_app(tmp_path, 4000)
    async with app.run_test(size=(100, 30)) as pilot:
        ticker = ticker_of(app)
        await pilot.pause()
        days_seen = []
        for _ in range(99):
            await pilot.press("left_square_bracket")
            entry = ticker.cursor_entry
            days_seen.append(entry.title)
            assert len(ticker.entries) <= headline_ticker.MAX_WINDOW
            # The day's header is on screen, at the top of the view.
            line = ticker._entry_lines[ticker.cursor]
            assert ticker._lines[line - 1] < 0 and ticker.scroll_offset.y == line - 1
        # Each day's first (newest) headline, in order, to the oldest day.
        assert days_seen == [f"Headline {40 * day}" for day in range(1, 100)]
        await pilot.press("left_square_bracket")
        assert ticker.cursor_entry.title == "Headline 3960"  # no earlier day: it stays
        await pilot.press("G")
        for day in range(98, 0, -1):
            await pilot.press("right_square_bracket")
            assert ticker.cursor_entry.title == f"Headline {40 * day}"
        await pilot.press("right_square_bracket")
        assert ticker.cursor_entry.title == "Headline 0"
        await pilot.press("right_square_bracket")  # at the newest day it says so
        assert ticker.cursor_entry.title == "Headline 0"
        assert any("newest day" in n.message for n in app._notifications)


async def test_n_finds_the_one_unread_headline_at_the_very_end(tmp_path):
    app = many_headlines_app(tmp_path, 3000)
    store = app.library.store
    for index in range(2999):
        store.mark_read(f"https://global.espreso.tv/item-{index}")
    async with app.run_test(size=(100, 30)) as pilot:
        ticker = ticker_of(app)
        await pilot.pause()
        await pilot.press("n")
        assert ticker.cursor_entry.title == "Headline 2999"
        assert ticker.at_oldest
        await pilot.press("n")  # nothing unread below: it says so and stays
        assert ticker.cursor_entry.title == "Headline 2999"
        assert any("No unread" in n.message for n in app._notifications)


async def test_one_headline_every_key_stays_on_it(tmp_path):
    app = many_headlines_app(tmp_path, 1)
    async with app.run_test(size=(100, 30)) as pilot:
        ticker = ticker_of(app)
        for key in ("j", "k", "G", "g", "n", "left_square_bracket", "right_square_bracket"):
            await pilot.press(key)
            assert ticker.cursor_entry.title == "Headline 0"
