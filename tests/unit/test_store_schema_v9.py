"""Schema 9 from a cache the current release (schema 7) made: fewer bytes, nothing lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsterm.models import Headline, Source
from newsterm.store import SCHEMA_VERSION, open_store
from newsterm.store.records import url_key
from newsterm.store.search import MATCH_END, MATCH_START
from tests.support.old_cache import cache_at_schema

NOON = datetime(2025, 5, 16, 12, 0, tzinfo=UTC)
# Migrations never change once released: versions 1–7 are the SQL the current release ran.
CURRENT_RELEASE_SCHEMA = 7

# id: (source, story as schema 7 holds it, read, muted, title)
ROWS = {
    1: (1, 1, True, 0, "Harbour budget passes"),
    2: (2, 1, False, 0, "Harbour budget approved"),
    3: (1, 3, False, 1, "Derby result"),
    4: (2, None, False, 0, "Rail strike called"),  # not grouped yet
    # A story below zero: what the release handed out when every id it tried was held
    # (only after a hand edit). Two rows share it.
    5: (1, -1, True, 0, "Bridge shut for repairs"),
    6: (2, -1, False, 0, "Bridge closed for repairs"),
    7: (1, None, False, 0, "Метро: нова станція"),
}


def _write_schema_7_file(path: Path) -> None:
    db = cache_at_schema(path, CURRENT_RELEASE_SCHEMA)
    db.execute(
        "INSERT INTO sources (id, url, name, timezone, added_at) VALUES"
        " (1, 'http://127.0.0.1:9/one', 'One', 'UTC', 1),"
        " (2, 'http://127.0.0.1:9/two', 'Two', 'UTC', 1)"
    )
    for row_id, (source, story, read, muted, title) in ROWS.items():
        url = f"http://127.0.0.1:9/a/{row_id}"
        db.execute(
            "INSERT INTO headlines (id, source_id, url_key, url, title, sort_key,"
            " published_offset, first_seen, last_seen, read_at, muted, story)"
            " VALUES (?, ?, ?, ?, ?, ?, 120, 1, 1, ?, ?, ?)",
            (
                row_id,
                source,
                url_key(url),
                url,
                title,
                (NOON - timedelta(minutes=row_id)).timestamp(),
                5.0 if read else None,
                muted,
                story,
            ),
        )
    db.close()


def test_a_schema_7_cache_keeps_every_row_read_state_story_mute_and_search(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _write_schema_7_file(path)
    with open_store(path) as store:
        rows = {r.id: r for r in store.ticker_page(limit=100, include_muted=True)}
        assert sorted(rows) == sorted(ROWS)
        for row_id, (_, _, read, muted, title) in ROWS.items():
            row = rows[row_id]
            assert (row.title, row.url) == (title, f"http://127.0.0.1:9/a/{row_id}")
            assert (row.read, row.muted) == (read, bool(muted))
            assert row.published == (NOON - timedelta(minutes=row_id)).astimezone(
                row.published.tzinfo
            )
            assert row.published.utcoffset() == timedelta(hours=2)
        # Stories: numbers kept; not grouped yet is still None and still to be grouped;
        # the story below zero is one positive story for both its rows, above every id.
        assert [rows[n].story for n in (1, 2, 3, 4, 7)] == [1, 1, 3, None, None]
        bridge = rows[5].story
        assert bridge is not None and bridge > max(ROWS) and rows[6].story == bridge
        assert [r.id for r in store.story_rows(bridge)] == [5, 6]
        assert store.story_source_counts([1, bridge]) == {1: 2, bridge: 2}
        assert [row_id for row_id, _ in store.ungrouped_headlines(10)] == [7, 4]
        # Muted: hidden from the ticker, counted.
        assert 3 not in {r.id for r in store.ticker_page(limit=100)}
        assert store.muted_count() == 1
        # Search: the index rebuilt without title lengths still finds and marks titles.
        hits = store.search("harbour budget")
        assert {h.url for h in hits} == {"http://127.0.0.1:9/a/1", "http://127.0.0.1:9/a/2"}
        assert all(f"{MATCH_START}Harbour{MATCH_END}" in h.snippet for h in hits)
        assert [h.url for h in store.search("метро")] == ["http://127.0.0.1:9/a/7"]
        assert {h.url for h in store.search("bri")} == {
            "http://127.0.0.1:9/a/5",
            "http://127.0.0.1:9/a/6",
        }
        # Grouping goes on: the ungrouped rows take stories, and keep them.
        assert store.assign_stories([(4, 1)], [[7]]) == 2
        assert store.ungrouped_headlines(10) == []
        assert [r.id for r in store.story_rows(1)] == [1, 2, 4]
        assert [r.id for r in store.story_rows(7)] == [7]
        assert store.integrity_ok()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 9
    search_sql = db.execute(
        "SELECT sql FROM sqlite_schema WHERE name = 'headline_search'"
    ).fetchone()[0]
    assert "columnsize=0" in search_sql
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema")}
    assert "headline_search_docsize" not in tables
    db.close()


def _payload_bytes(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.execute("SELECT sum(payload) FROM dbstat WHERE name = 'headlines'").fetchone()[0]
    finally:
        db.close()


def test_grouping_a_stored_listing_makes_no_row_longer(tmp_path):
    # A row that grew when the desk wrote its story would no longer fit its page: the
    # page splits, and the table ends a tenth empty. A new row holds a placeholder the
    # story never outgrows.
    path = tmp_path / "cache.sqlite3"
    with open_store(path) as store:
        source = store.add_source(Source("https://one.example/news"))
        listing = [
            Headline(f"Item {n}", f"https://one.example/{n}", NOON - timedelta(minutes=n))
            for n in range(300)
        ]
        store.store_listing(source, listing)
        ids = sorted(row_id for row_id, _ in store.ungrouped_headlines(1000))
        before = _payload_bytes(path)
        # The worst case: every row its own story, numbered by its own (largest) id.
        assert store.assign_stories([], [[row_id] for row_id in ids]) == 300
        assert store.ungrouped_headlines(10) == []
        assert _payload_bytes(path) <= before


def test_new_rows_are_numbered_without_gaps_however_often_a_listing_is_seen(tmp_path):
    with open_store(tmp_path / "cache.sqlite3") as store:
        source = store.add_source(Source("https://one.example/news"))
        first = [Headline(f"Item {n}", f"https://one.example/{n}", NOON) for n in range(3)]
        repeated = Headline("Item 0 again", "https://one.example/0", NOON)
        assert store.store_listing(source, first).new == 3
        counts = store.store_listing(source, [*first, repeated])
        assert (counts.new, counts.seen) == (0, 4)
        more = [Headline(f"More {n}", f"https://one.example/m{n}", NOON) for n in range(2)]
        counts = store.store_listing(source, [more[0], *first, more[0], more[1]])
        assert (counts.new, counts.seen) == (2, 4)
        rows = store.ticker_page(limit=100)
        assert sorted(r.id for r in rows) == [1, 2, 3, 4, 5]
        assert {r.title for r in rows if r.id in (4, 5)} == {"More 0", "More 1"}
        # The first copy of a URL on the page is the one kept.
        assert [r.title for r in rows if r.url.endswith("/0")] == ["Item 0"]


DAY = 86400.0


def _traced(store, call) -> list[str]:
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    try:
        call()
    finally:
        store._db.set_trace_callback(None)
    return statements


def _plan(store, sql: str) -> str:
    return " | ".join(row[3] for row in store._db.execute(f"EXPLAIN QUERY PLAN {sql}"))


def test_new_rows_and_eviction_walk_ids_with_no_index_of_times(tmp_path):
    now = NOON.timestamp()
    with open_store(tmp_path / "cache.sqlite3") as store:
        source = store.add_source(Source("https://one.example/news"))

        def listing(*numbers: int) -> list[Headline]:
            return [Headline(f"Item {n}", f"https://one.example/{n}", NOON) for n in numbers]

        # Rows enough that a walk over all of them would be the worse plan; undated, so
        # they share one time, which tempts SQLite to skip-scan the time index.
        filler = [Headline(f"Old {n}", f"https://one.example/old/{n}") for n in range(300)]
        store.store_listing(source, filler, now=now - 300 * DAY)
        store.store_listing(source, listing(1, 2), now=now - 200 * DAY)
        store.store_listing(source, listing(3), now=now - 100 * DAY)
        mark = store.newest_row_id()
        store.store_listing(source, listing(1, 4, 5), now=now)  # 1 is seen again
        indexes = {row[0] for row in store._db.execute("SELECT name FROM sqlite_schema")}
        assert "headlines_by_last_seen" not in indexes
        store._db.execute("ANALYZE")

        found = []
        statements = _traced(
            store, lambda: found.extend(store.rows_added_since(mark, now - 1, now))
        )
        assert sorted(r.title for r in found) == ["Item 4", "Item 5"]
        plans = [_plan(store, sql) for sql in statements if "h.id >" in sql]
        assert plans and all(
            "rowid>?" in plan and "headlines_by_time" not in plan for plan in plans
        )

        statements = _traced(
            store,
            lambda: store.evict(
                article_max_age_days=30, budget_bytes=10**9, headline_max_age_days=120, now=now
            ),
        )
        left = {r.title for r in store.ticker_page(limit=1000)}
        assert left == {"Item 1", "Item 3", "Item 4", "Item 5"}
        deletes = {sql for sql in statements if sql.startswith("DELETE FROM headlines")}
        assert deletes and all("rowid<?" in _plan(store, sql) for sql in deletes)


def test_times_of_sight_are_whole_seconds_rounded_up(tmp_path):
    # A whole number takes SQLite 4 bytes where one with a fraction takes 8; rounded up, a
    # row stored just after a moment is still first seen after it.
    moment = NOON.timestamp() + 0.25
    with open_store(tmp_path / "cache.sqlite3") as store:
        source = store.add_source(Source("https://one.example/news"))
        undated = Headline("Undated", "https://one.example/u")
        store.store_listing(source, [undated], now=moment + 0.5)
        (row,) = store.rows_added_since(0, moment, moment + 1)
        assert row.first_seen > moment
        assert row.first_seen == row.sort_key == NOON.timestamp() + 1
        store.store_listing(source, [undated], now=moment + 60.5)
        seen = store._db.execute("SELECT first_seen, last_seen FROM headlines").fetchone()
        assert tuple(seen) == (NOON.timestamp() + 1, NOON.timestamp() + 61)


def test_a_headline_first_seen_in_the_future_does_not_stop_eviction(tmp_path):
    """A refresh while the clock ran a year ahead: that row must not keep every later one."""
    now = NOON.timestamp()
    with open_store(tmp_path / "cache.sqlite3") as store:
        source = store.add_source(Source("https://one.example/news"))
        ahead = [Headline("From a clock ahead", "https://one.example/ahead", NOON)]
        store.store_listing(source, ahead, now=now + 365 * DAY)
        for n in range(5):
            old = [Headline(f"Old {n}", f"https://one.example/old/{n}", NOON)]
            store.store_listing(source, old, now=now + n)
        store.evict(
            article_max_age_days=30,
            budget_bytes=10**9,
            headline_max_age_days=30,
            now=now + 60 * DAY,
        )
        left = {r.title for r in store.ticker_page(limit=100)}
        assert left == {"From a clock ahead"}
