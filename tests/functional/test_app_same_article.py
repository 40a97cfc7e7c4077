"""The same article reached through two sources is one row in the ticker."""

from __future__ import annotations

from datetime import datetime

from newsterm.models import Headline, Source
from newsterm.ui.app import make_app
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import (
    FIXED_NOW,
    fill_library,
    frozen_clock,
    make_settings,
)

SHARED = "https://global.espreso.tv/news-shared-story"


async def test_one_article_through_two_sources_is_one_row(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    home = fill_library(app.library)
    store = app.library.store
    other = store.add_source(Source("https://example.org/feed.xml", "Example Feed"))
    when = datetime.fromisoformat("2025-05-16T20:04:00+03:00")
    store.store_listing(home, [Headline("Shared story", SHARED, when)], now=FIXED_NOW)
    store.store_listing(
        other,
        [
            Headline("Shared story (as the feed words it)", SHARED, when),
            Headline("Only in the feed", "https://example.org/only", when),
        ],
        now=FIXED_NOW,
    )
    async with app.run_test(size=(160, 40)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        urls = [entry.url for entry in ticker.entries]
        assert urls.count(SHARED) == 1 and "https://example.org/only" in urls
        # Reading the feed alone, its copy is the one shown.
        ticker.move_to_url("https://example.org/only")
        await pilot.press("f")
        await pilot.pause()
        assert [e.title for e in ticker.entries if e.url == SHARED] == [
            "Shared story (as the feed words it)"
        ]
