"""Headlines first: whole titles at every width, the reader's measure, space reading on, and
the choices (theme, breaking line, layout) that stick across starts."""

from __future__ import annotations

from datetime import datetime

import pytest

from newsterm.models import Headline, Source
from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import (
    FIXED_NOW,
    SEED_URL,
    fill_library,
    frozen_clock,
    make_settings,
    screen_text,
)

LATER = "2025-05-16T20:04:00+03:00"
"""After the newest fixture headline: the other source's item comes first."""


def filled_app(tmp_path, **overrides):
    app = make_app(make_settings(tmp_path, **overrides), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)
    return app


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def ticker_lines(ticker: HeadlineTicker) -> list[str]:
    height = ticker.scrollable_content_region.height
    return ["".join(s.text for s in ticker.render_line(y)) for y in range(height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_every_title_on_screen_is_whole(tmp_path, size):
    app = filled_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        ticker = app.screen.query_one(HeadlineTicker)
        lines = ticker_lines(ticker)
        assert not [line for line in lines if "…" in line]
        shown = " ".join(line.strip() for line in lines)
        on_screen = [
            entry
            for index, entry in enumerate(ticker.entries)
            if ticker._entry_lines[index] + ticker._row_height(index) <= len(lines)
        ]
        assert len(on_screen) > 5
        # Every row on screen is readable whole, its second line included.
        assert [e.title for e in on_screen if e.title not in shown] == []


@pytest.mark.parametrize("width", [80, 120])
async def test_narrow_screens_show_headlines_first_and_open_the_article_over_them(tmp_path, width):
    app = filled_app(tmp_path, offline=True)
    async with app.run_test(size=(width, 30)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        assert ticker.display and not reader.display and ticker.outer_size.width == width
        await pilot.press("G", "enter")
        await settle(app, pilot)
        assert reader.display and not ticker.display and reader.state == "article"
        await pilot.press("escape")
        await pilot.pause()
        assert ticker.display and app.focused is ticker


async def test_wide_screens_give_the_ticker_its_width_and_the_reader_a_centred_measure(tmp_path):
    app = filled_app(tmp_path, offline=True)
    async with app.run_test(size=(200, 50)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        await pilot.press("G", "enter")
        await settle(app, pilot)
        assert ticker.display and reader.display
        assert ticker.size.width > 100 and reader.size.width >= 60
        document = reader.query_one("#article-document")
        assert document.size.width <= 90
        left = document.region.x - reader.content_region.x
        right = reader.content_region.right - document.region.right
        assert abs(left - right) <= 2  # centred in the pane (the scrollbar aside)
        text = screen_text(app)
        assert "Russia uses new technologies to influence European elections" in text


async def test_space_pages_the_article_and_then_opens_the_next_headline(tmp_path):
    app = filled_app(tmp_path, offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        await pilot.press("G", "k", "space")  # nothing open: space opens the cursor's headline
        await settle(app, pilot)
        assert reader.url == ticker.entries[-2].url and reader.state == "error"
        await pilot.press("space")  # nothing to page: on to the next headline
        await settle(app, pilot)
        assert reader.url == SEED_URL and reader.state == "article"
        await pilot.press("space")
        await pilot.pause()
        assert 0 < reader.scroll_y
        for _ in range(30):
            if reader.scroll_y >= reader.max_scroll_y:
                break
            await pilot.press("space")
            await pilot.pause()
        assert reader.scroll_y == reader.max_scroll_y
        await pilot.press("space")
        await pilot.pause()
        assert reader.url == SEED_URL
        messages = [n.message for n in app._notifications]
        assert "That was the last headline." in messages
        assert "space Read on" in screen_text(app)


async def test_theme_breaking_line_and_layout_are_remembered(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        app.theme = "nord"
        await app.screen.run_action("next_layout")  # auto → split
        await pilot.pause()
        assert app.screen.query_one(ArticleReader).display
    again = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        assert again.screen.has_class("-no-breaking")
        assert again.screen.query_one(ArticleReader).display  # split, though narrow
        assert (tmp_path / "state.json").exists()


async def test_the_palette_lists_newsterms_commands_not_textuals_developer_ones(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 30)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Theme", "Quit", "Layout", "Read on", "Search"} <= set(titles)
        assert not {"Keys", "Maximize", "Screenshot"} & set(titles)


async def test_f_shows_the_headlines_source_alone_and_f_again_shows_all(tmp_path):
    app = filled_app(tmp_path)
    store = app.library.store
    other = store.add_source(Source("https://example.org/feed.xml", "Example Feed"))
    store.store_listing(
        other,
        [Headline("Feed item", "https://example.org/1", datetime.fromisoformat(LATER))],
        now=FIXED_NOW,
    )
    async with app.run_test(size=(160, 40)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        assert ticker.cursor_entry.title == "Feed item" and ticker.show_source
        await pilot.press("f")
        await pilot.pause()
        assert [entry.title for entry in ticker.entries] == ["Feed item"]
        text = screen_text(app)
        assert "Example Feed only" in text and "f All sources" in text
        await pilot.press("f")
        await pilot.pause()
        assert len(ticker.entries) > 40 and ticker.cursor_entry.title == "Feed item"
        text = screen_text(app)
        assert "only" not in text.splitlines()[1] and "f One source" in text
        await app.screen.run_action("only_source")  # the palette's command does the same
        await pilot.pause()
        assert len(ticker.entries) == 1
