"""The ticker's window over the store: pages by key meet every row once, jumps find their rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsterm.library.ticker_window import TickerWindow
from newsterm.models import Headline, Source
from newsterm.store import open_store

START = datetime(2025, 5, 16, 20, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "cache.sqlite3")
    yield store
    store.close()


def fill(store, count: int, name: str = "a", step: int = 10) -> Source:
    source = store.add_source(Source(f"https://{name}.example/news"))
    store.store_listing(
        source,
        [
            Headline(
                f"{name}{i}", f"https://{name}.example/{i}", START - timedelta(minutes=step * i)
            )
            for i in range(count)
        ],
    )
    return source


def titles(rows) -> list[str]:
    return [row.title for row in rows]


def test_an_empty_cache_has_no_rows_and_no_targets(store):
    window = TickerWindow(store, None)
    assert window.newest(10) == [] and window.oldest(10) == []
    assert window.row(1) is None
    assert window.first_older_than(START.timestamp()) is None
    assert window.first_at_or_after(0) is None
    assert window.next_unread((START.timestamp(), 1)) is None


def test_pages_follow_each_other_by_key_without_gaps_or_repeats(store):
    fill(store, 50, "a")
    fill(store, 30, "b", step=7)  # interleaved in time, and some at the same minute
    window = TickerWindow(store, None)
    everything = titles(window.newest(1000))
    assert len(everything) == 80
    pages, rows = [], window.newest(7)
    while rows:
        pages += titles(rows)
        rows = window.older_than(rows[-1].key, 7)
    assert pages == everything
    back, rows = [], window.oldest(6)
    while rows:
        back = titles(rows) + back
        rows = window.newer_than(rows[0].key, 6)
    assert back == everything
    middle = window.newest(40)[-1]
    around = window.around(middle, 3, 4)
    assert titles(around) == everything[36:44]


def test_one_source_only(store):
    fill(store, 20, "a")
    other = fill(store, 20, "b", step=3)
    window = TickerWindow(store, [other.id])
    assert titles(window.newest(100)) == [f"b{i}" for i in range(20)]
    assert titles(window.oldest(2)) == ["b18", "b19"]


def test_day_targets_and_next_unread_at_the_very_end(store):
    fill(store, 300, "a", step=60)  # one an hour: 12.5 days
    window = TickerWindow(store, None)
    rows = window.newest(300)
    boundary = (START - timedelta(hours=100, minutes=30)).timestamp()
    older = window.first_older_than(boundary)
    assert older is not None and older.title == "a101"
    later = window.first_at_or_after(boundary)
    assert later is not None and later.title == "a100"
    for row in rows[:-1]:
        store.mark_read(row.url)
    assert window.next_unread(rows[0].key).id == rows[-1].id
    assert window.next_unread(rows[-1].key) is None
