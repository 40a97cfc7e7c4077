"""An item the page gives no time stays where the page puts it, in its neighbours' day."""

from __future__ import annotations

from datetime import datetime

from newsterm.models import Headline
from newsterm.store.headlines import PLACE_STEP, page_places
from newsterm.ui.app import make_app
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import (
    FIXED_NOW,
    fill_library,
    frozen_clock,
    make_settings,
    screen_text,
)


def test_undated_items_take_a_place_between_their_neighbours():
    assert page_places([100.0, None, None, 50.0]) == [
        100.0,
        100.0 - PLACE_STEP,
        100.0 - 2 * PLACE_STEP,
        50.0,
    ]
    assert page_places([None, 80.0]) == [80.0 + PLACE_STEP, 80.0]
    assert page_places([None, None]) == [None, None]  # no time anywhere: first seen, as ever


async def test_an_undated_item_is_shown_where_the_page_lists_it(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    source = fill_library(app.library)

    def at(clock: str) -> datetime:
        return datetime.fromisoformat(f"2025-05-16T{clock}:00+03:00")

    listing = [
        Headline("Dated at the top of the page", "https://x.test/1", at("20:04")),
        Headline("A column with no time, second on the page", "https://x.test/2"),
        Headline("Dated third", "https://x.test/3", at("20:03")),
    ]
    app.library.store.store_listing(source, listing, now=FIXED_NOW)
    async with app.run_test(size=(160, 40)):
        ticker = app.screen.query_one(HeadlineTicker)
        titles = [entry.title for entry in ticker.entries[:3]]
        assert titles == [
            "Dated at the top of the page",
            "A column with no time, second on the page",
            "Dated third",
        ]
        text = screen_text(app)
        assert "Undated" not in text  # in its neighbours' day, not a group of its own
        assert f"       {' ' * 14}A column with no time" in text  # no time shown
