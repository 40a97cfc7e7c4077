"""The ticker by key: pages and jumps land on the right rows, through indexes only."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from newsterm.models import Headline, Source
from newsterm.store import open_store

ZONE = timezone(timedelta(hours=3))
START = datetime(2025, 5, 10, 0, 30, tzinfo=ZONE)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "cache.sqlite3") as opened:
        yield opened


def _fill(store, count: int, *, sources: int = 2, ties: bool = True):
    """Headlines every 2 h 10 min over several days; every fifth shares the time before it."""
    made = [store.add_source(Source(f"http://127.0.0.1:9/s{n}", f"S{n}")) for n in range(sources)]
    listings: dict[int, list[Headline]] = {s.id: [] for s in made}
    for n in range(count):
        step = n - 1 if ties and n % 5 == 4 else n
        published = START + timedelta(minutes=130 * step)
        source = made[n % sources]
        listings[source.id].append(Headline(f"H{n}", f"http://127.0.0.1:9/a/{n}", published))
    for source in made:
        store.store_listing(source, listings[source.id], now=2_000_000_000.0)
    return made


def _expected(store) -> list[tuple[str, float, int]]:
    """The ticker's order worked out here: newest first, then by id."""
    db = sqlite3.connect(store.path)
    rows = db.execute("SELECT title, sort_key, id FROM headlines").fetchall()
    db.close()
    return sorted(rows, key=lambda r: (-r[1], r[2]))


def _titles(rows) -> list[str]:
    return [r.title for r in rows]


def test_paging_by_key_walks_every_row_once_in_order(store):
    _fill(store, 57)
    expected = [r[0] for r in _expected(store)]
    seen, key = [], None
    while True:
        page = store.ticker_page(after=key, limit=10)
        if not page:
            break
        seen += _titles(page)
        key = page[-1].key
    assert seen == expected
    assert _titles(store.ticker_rows(limit=100)) == expected  # the offset API agrees


def test_paging_up_before_a_key_returns_the_rows_above_in_order(store):
    _fill(store, 40)
    expected = [r[0] for r in _expected(store)]
    middle = store.ticker_page(limit=25)[-1]
    assert _titles(store.ticker_page(before=middle.key, limit=10)) == expected[14:24]
    assert _titles(store.ticker_page(before=middle.key, limit=100)) == expected[:24]
    assert store.ticker_page(before=store.ticker_newest().key) == []


def test_paging_one_source_and_several(store):
    first, second = _fill(store, 30, sources=3)[:2]
    rows = store.ticker_page([first.id], limit=100)
    assert {r.source_id for r in rows} == {first.id} and len(rows) == 10
    key = rows[4].key
    assert _titles(store.ticker_page([first.id], after=key, limit=100)) == _titles(rows[5:])
    both = store.ticker_page([first.id, second.id], limit=100)
    assert len(both) == 20 and {r.source_id for r in both} == {first.id, second.id}


def test_edges_of_an_empty_cache(store):
    assert store.ticker_page() == [] and store.ticker_newest() is None
    assert store.ticker_oldest() is None and store.ticker_next_unread(None, None) is None
    assert store.ticker_first_before(None, 2e9) is None and store.ticker_last_from(None, 0) is None


def test_edges_of_a_one_row_cache(store):
    _fill(store, 1, sources=1)
    only = store.ticker_newest()
    assert store.ticker_oldest().id == only.id and store.ticker_row(only.id).key == only.key
    assert store.ticker_page(after=only.key) == [] and store.ticker_page(before=only.key) == []
    assert store.ticker_position(None, only.key) == (0, 1)


def test_newest_and_oldest(store):
    _fill(store, 23)
    expected = [r[0] for r in _expected(store)]
    assert store.ticker_newest().title == expected[0]
    assert store.ticker_oldest().title == expected[-1]


def _day_start(moment: float) -> float:
    local = datetime.fromtimestamp(moment, ZONE)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def test_day_jumps_land_on_the_first_row_of_the_next_and_previous_day(store):
    _fill(store, 60)
    order = _expected(store)
    days = [datetime.fromtimestamp(r[1], ZONE).date() for r in order]
    here = 30
    row = store.ticker_row(order[here][2])
    # `]`: the first row of the next (older) day.
    below = store.ticker_first_before(None, _day_start(row.sort_key))
    first_older = next(i for i in range(here, len(order)) if days[i] < days[here])
    assert below.id == order[first_older][2]
    # `[`: the last row of the newer day, then that day's first row.
    end_of_day = _day_start(row.sort_key) + 86400
    last_newer = store.ticker_last_from(None, end_of_day)
    newer_top = store.ticker_first_before(None, _day_start(last_newer.sort_key) + 86400)
    first_newer = days.index(min(d for d in days if d > days[here]))
    assert newer_top.id == order[first_newer][2]
    # On the last day there is no older day to go to.
    assert store.ticker_first_before(None, _day_start(order[-1][1])) is None
    assert store.ticker_last_from(None, _day_start(order[0][1]) + 86400) is None


def test_next_unread_skips_read_rows_and_finds_one_at_the_very_end(store):
    _fill(store, 20)
    order = _expected(store)
    for title, _, _ in order[:-1]:
        store.mark_read(f"http://127.0.0.1:9/a/{title[1:]}")
    assert store.ticker_next_unread(None, None).title == order[-1][0]
    assert store.ticker_next_unread(None, store.ticker_newest().key).title == order[-1][0]
    assert store.ticker_next_unread(None, store.ticker_oldest().key) is None


def test_position_is_exact_near_the_top(store):
    _fill(store, 30)
    order = _expected(store)
    for index in (0, 7, 29):
        row = store.ticker_row(order[index][2])
        assert store.ticker_position(None, row.key) == (index, 30)


def test_streaming_every_headline_in_order_with_source_names(store, monkeypatch):
    from newsterm.store import ticker

    monkeypatch.setattr(ticker, "STREAM_BATCH", 7)  # several pages, one cut inside a tie
    _fill(store, 45, sources=3)
    streamed = list(store.iter_headlines())
    assert [h.title for h, _ in streamed] == [r[0] for r in _expected(store)]
    assert {name for _, name in streamed} == {"S0", "S1", "S2"}
    assert len(list(store.iter_headlines([store.sources()[0].id]))) == 15


# -- the plans: an index, never a full scan of headlines, never a sort --------------------


def _plans(store, call) -> list[tuple[str, list[str]]]:
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        call()
    finally:
        store._db.set_trace_callback(None)
    plans = []
    for sql in statements:
        if sql.lstrip().upper().startswith("SELECT") and "headlines" in sql:
            rows = store._db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            plans.append((sql, [row[3] for row in rows]))
    assert plans, "no query on headlines was seen"
    return plans


JUMPS = {
    "page": lambda s, k, ids: s.ticker_page(ids),
    "page after": lambda s, k, ids: s.ticker_page(ids, after=k),
    "page before": lambda s, k, ids: s.ticker_page(ids, before=k),
    "newest": lambda s, k, ids: s.ticker_newest(ids),
    "oldest": lambda s, k, ids: s.ticker_oldest(ids),
    "next day": lambda s, k, ids: s.ticker_first_before(ids, k[0]),
    "previous day": lambda s, k, ids: s.ticker_last_from(ids, k[0]),
    "next unread": lambda s, k, ids: s.ticker_next_unread(ids, k),
    "row": lambda s, k, ids: s.ticker_row(k[1]),
}


@pytest.mark.parametrize("sources", ["all", "one", "several"])
@pytest.mark.parametrize("jump", sorted(JUMPS))
def test_every_jump_is_one_indexed_query_without_a_sort(store, jump, sources):
    made = _fill(store, 400, sources=4)
    ids = {"all": None, "one": [made[0].id], "several": [made[0].id, made[2].id]}[sources]
    store._db.execute("ANALYZE")  # plans as a cache that has lived a while would get them
    key = store.ticker_page(limit=150)[-1].key
    for sql, plan in _plans(store, lambda: JUMPS[jump](store, key, ids)):
        on_headlines = [line for line in plan if line.split()[1:2] == ["h"]]
        assert on_headlines, (sql, plan)
        for line in on_headlines:
            assert "INDEX" in line or "INTEGER PRIMARY KEY" in line, (sql, plan)
        assert not any("TEMP B-TREE" in line for line in plan), (sql, plan)
