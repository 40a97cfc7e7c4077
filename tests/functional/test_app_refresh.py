"""Refreshing without moving anything, "More news", auto-refresh, offline, errors, tiny terminals.

The library's network side is replaced here by a stand-in that writes to the same cache,
so each test controls exactly what a refresh brings; test_app_loopback.py does the same
things against the loopback site over real HTTP.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from newsterm.library import SourceStatus
from newsterm.models import Headline
from newsterm.store import FetchState
from newsterm.ui.app import make_app
from newsterm.ui.screens.main_screen import MainScreen
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from newsterm.ui.widgets.status_line import StatusLine
from tests.support.app import (
    FIXED_NOW,
    fill_library,
    frozen_clock,
    make_settings,
    screen_text,
)

EVENING = datetime.fromisoformat("2025-05-16T20:00:00+03:00")


def later_headlines(count: int, start: int = 0) -> list[Headline]:
    return [
        Headline(
            f"Fresh story {index}",
            f"https://global.espreso.tv/fresh-{index}",
            EVENING + timedelta(minutes=index + 1),
        )
        for index in range(start, start + count)
    ]


class StandInNetwork:
    """Replaces Library.refresh and Library.load_more with writes of chosen headlines."""

    def __init__(self, library, batches=(), pages=None, fail=None):
        self.library = library
        self.batches = list(batches)
        self.pages = dict(pages or {})
        self.fail = fail
        self.calls = 0
        self.gate: asyncio.Event | None = None
        library.refresh = self.refresh
        library.load_more = self.load_more

    async def refresh(self, sources=None, *, on_progress=None, force=False):
        self.calls += 1
        source = self.library.sources()[0]
        if on_progress:
            on_progress(SourceStatus(source, "fetching", "fetching…"))
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            status = SourceStatus(source, "failed", self.fail)
        else:
            headlines = self.batches.pop(0) if self.batches else []
            state = FetchState(source.url, last_status=200, last_success=FIXED_NOW)
            counts = self.library.store.store_listing(source, headlines, state, now=FIXED_NOW)
            next_page = f"{source.url}?page=2" if self.pages else None
            status = SourceStatus(source, "ok", "", counts.new, len(headlines), next_page)
        if on_progress:
            on_progress(status)
        return [status]

    async def load_more(self, source, next_page):
        headlines = self.pages.pop(next_page, [])
        counts = self.library.store.store_listing(source, headlines, now=FIXED_NOW)
        following = next(iter(self.pages), None)
        return SourceStatus(source, "ok", "", counts.new, len(headlines), following)


def filled_app(tmp_path, refresh_on_start=False, **overrides):
    app = make_app(
        make_settings(tmp_path, **overrides), clock=frozen_clock, refresh_on_start=refresh_on_start
    )
    fill_library(app.library)
    return app


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def status_text(app) -> str:
    return app.screen.query_one(StatusLine).plain


async def test_refresh_keeps_the_cursor_on_the_same_headline_and_marks_new_ones(tmp_path):
    app = filled_app(tmp_path)
    network = StandInNetwork(app.library, batches=[later_headlines(3)])
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press("j", "j", "j", "j", "j")
        before = ticker.cursor_entry
        await pilot.press("r")
        await settle(app, pilot)
        assert network.calls == 1
        assert ticker.cursor_entry == before
        assert ticker.cursor == 8
        assert [entry.title for entry in ticker.entries[:3]] == [
            "Fresh story 2",
            "Fresh story 1",
            "Fresh story 0",
        ]
        assert ticker.new_ids == {entry.id for entry in ticker.entries[:3]}
        assert "3 new" in status_text(app)
        text = screen_text(app)
        assert f"• 20:03{' ' * 14}Fresh story 2" in text  # slid in at the top, marked new


async def test_refresh_while_scrolled_down_keeps_the_view_still(tmp_path):
    app = filled_app(tmp_path)
    StandInNetwork(app.library, batches=[later_headlines(5)])
    async with app.run_test(size=(120, 20)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press(*["j"] * 25)
        top_before = ticker.scroll_offset.y
        first_visible = screen_text(app).splitlines()[3]
        cursor_before = ticker.cursor_entry
        await pilot.press("r")
        await settle(app, pilot)
        assert ticker.cursor_entry == cursor_before
        assert ticker.scroll_offset.y == top_before + 5
        assert screen_text(app).splitlines()[3] == first_visible


async def test_refresh_leaves_the_reader_and_its_scroll_alone(tmp_path):
    app = filled_app(tmp_path)
    StandInNetwork(app.library, batches=[later_headlines(2)])
    async with app.run_test(size=(140, 24)) as pilot:
        reader = app.screen.query_one(ArticleReader)
        await pilot.press("G", "enter")
        await settle(app, pilot)
        await pilot.press("tab", "j", "j", "j", "j")
        await pilot.pause()
        url, scroll = reader.url, reader.scroll_y
        assert scroll == 4
        await pilot.press("r")
        await settle(app, pilot)
        assert (reader.url, reader.scroll_y) == (url, scroll)
        assert app.focused is reader


async def test_status_line_shows_progress_while_refreshing(tmp_path):
    app = filled_app(tmp_path)
    network = StandInNetwork(app.library, batches=[later_headlines(1)])
    network.gate = asyncio.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert "refreshing 0/1…" in status_text(app)
        network.gate.set()
        await settle(app, pilot)
        assert "refreshing" not in status_text(app)
        assert "1 new" in status_text(app)


async def test_first_paint_comes_from_the_cache_before_the_refresh_ends(tmp_path):
    app = filled_app(tmp_path, refresh_on_start=True)
    network = StandInNetwork(app.library, batches=[later_headlines(1)])
    network.gate = asyncio.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert network.calls == 1  # started after the first paint, still waiting
        assert "Russian demands at Istanbul talks" in screen_text(app)
        network.gate.set()
        await settle(app, pilot)
        assert "Fresh story 0" in screen_text(app)


async def test_failed_refresh_is_notified_and_shown_in_the_status_line(tmp_path):
    app = filled_app(tmp_path)
    StandInNetwork(app.library, fail="HTTP 503 [bold]Service[/bold] Unavailable")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        said = "Espreso Global: HTTP 503 [bold]Service[/bold] Unavailable"
        assert said in status_text(app)
        assert said in [n.message for n in app._notifications]
        assert said in screen_text(app)  # the toast shows it as typed, not as markup
        assert "Russian demands at Istanbul talks" in screen_text(app)  # cache untouched


async def test_an_exception_in_refresh_does_not_end_the_app(tmp_path):
    app = filled_app(tmp_path)

    async def broken(*args, **kwargs):
        raise OSError("disk on fire")

    app.library.refresh = broken
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        assert app.is_running
        assert "refresh failed: disk on fire" in status_text(app)


async def test_reaching_the_end_loads_the_next_page(tmp_path):
    app = filled_app(tmp_path)
    older = [
        Headline(f"Older story {i}", f"https://global.espreso.tv/older-{i}", None) for i in range(4)
    ]
    for index, headline in enumerate(older):
        headline.published = datetime.fromisoformat("2024-12-10T12:00:00+02:00") - timedelta(
            hours=index
        )
    network = StandInNetwork(
        app.library,
        batches=[[]],
        pages={"https://global.espreso.tv/news?page=2": older},
    )
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.next_pages
        await pilot.press("G")
        await settle(app, pilot)
        assert len(ticker.entries) == 45
        assert ticker.entries[-1].title == "Older story 3"
        assert ticker.cursor_entry.title.startswith("Russia uses new technologies")
        assert not network.pages
        await pilot.press("G", "j")
        await settle(app, pilot)
        assert any("No older headlines" in n.message for n in app._notifications)


async def test_auto_refresh_runs_every_refresh_minutes(tmp_path):
    app = filled_app(tmp_path, refresh_minutes=0.001)  # every 60 ms
    network = StandInNetwork(app.library)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = asyncio.get_running_loop().time() + 5
        while network.calls < 2 and asyncio.get_running_loop().time() < deadline:
            await pilot.pause(0.05)
        assert network.calls >= 2


async def test_auto_refresh_off_with_zero_minutes(tmp_path):
    app = filled_app(tmp_path, refresh_minutes=0)
    async with app.run_test(size=(120, 40)):
        assert app.screen.auto_refresh_timer is None
    app = filled_app(tmp_path / "default")
    async with app.run_test(size=(120, 40)):
        assert app.screen.auto_refresh_timer is not None


async def test_offline_mode_says_so_and_serves_the_cache(tmp_path):
    app = filled_app(tmp_path, offline=True, refresh_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        status = status_text(app)
        assert "offline — showing cache from" in status
        assert "(offline mode)" in status
        assert "Russian demands at Istanbul talks" in screen_text(app)
        await pilot.press("G", "enter")
        await settle(app, pilot)
        assert app.screen.query_one(ArticleReader).state == "article"


async def test_tiny_terminal_shows_a_notice_and_survives_resize_storms(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.has_class("-too-small")
        assert "Terminal too small" in screen_text(app)
        await pilot.press("j", "enter", "G", "tab", "s")
        await settle(app, pilot)
        for width, height in [(1, 1), (200, 60), (39, 9), (80, 24), (3, 50), (120, 40)] * 3:
            await pilot.resize_terminal(width, height)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        assert "Russian demands" in screen_text(app)
        await pilot.resize_terminal(80, 40)
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        # Narrow: one pane at a time, the whole width (headlines first, the reader over them).
        shown = [pane for pane in (ticker, reader) if pane.display]
        assert len(shown) == 1 and shown[0].region.width == 80
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert ticker.region.x < reader.region.x and ticker.region.y == reader.region.y
