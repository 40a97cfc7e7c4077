"""SVG snapshots of the main screens: fixed clock, fixed zone, a pre-filled cache, no network.

Update with `pytest tests/functional/test_snapshots.py --snapshot-update`, then look at
the SVGs under __snapshots__/ before accepting them.
"""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input

from newsterm.library import ArticleResult, SourceStatus
from newsterm.ui.app import make_app
from tests.support.app import fill_library, frozen_clock, make_settings


@pytest.fixture(autouse=True)
def kyiv_local_time(monkeypatch):
    """library.status_line() writes the cache time in the machine's zone: fix that zone."""
    monkeypatch.setenv("TZ", "Europe/Kyiv")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def filled_app(tmp_path, **overrides):
    app = make_app(make_settings(tmp_path, **overrides), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)
    return app


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_wide(snap_compare, tmp_path):
    app = filled_app(tmp_path)
    assert snap_compare(app, terminal_size=(160, 40), press=["j", "j", "j"])


def test_main_screen_medium(snap_compare, tmp_path):
    """120 columns: headlines first, whole (wrapped), the reader opening over them."""
    app = filled_app(tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), press=["j", "j", "j"])


def test_main_screen_narrow(snap_compare, tmp_path):
    app = filled_app(tmp_path)
    assert snap_compare(app, terminal_size=(80, 40), press=["j"])


def test_article_open(snap_compare, tmp_path):
    app = filled_app(tmp_path)

    async def open_seed_article(pilot):
        await pilot.press("G", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(200, 50), run_before=open_seed_article)


def test_help(snap_compare, tmp_path):
    app = filled_app(tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), press=["question_mark"])


def test_search_results(snap_compare, tmp_path):
    app = filled_app(tmp_path)

    async def search(pilot):
        await pilot.press("slash", *"Putin")
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False

    assert snap_compare(app, terminal_size=(120, 40), run_before=search)


def test_offline_mode(snap_compare, tmp_path):
    app = filled_app(tmp_path, offline=True)

    async def open_uncached(pilot):
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=open_uncached)


def test_errors(snap_compare, tmp_path):
    app = filled_app(tmp_path)
    library = app.library

    async def failing_refresh(sources=None, *, on_progress=None, force=False):
        return [SourceStatus(library.sources()[0], "failed", "HTTP 503 Service Unavailable")]

    async def failing_open(url, reload=False):
        return ArticleResult(url, error="HTTP 404 Not Found")

    library.refresh = failing_refresh
    library.open_article = failing_open

    async def refresh_and_open(pilot):
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=refresh_and_open)
