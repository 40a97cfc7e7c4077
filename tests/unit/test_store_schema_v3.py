"""Schema 3 from a cache the current release (schema 2) made: one URL index, nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsterm.store import SCHEMA_VERSION, open_store
from tests.support.old_cache import cache_at_schema

# Migrations never change once released, so versions 1 and 2 of MIGRATIONS are exactly
# the SQL the current release ran to make its caches.


def _write_v2_file(path: Path) -> None:
    db = cache_at_schema(path, 2)
    db.execute(
        "INSERT INTO sources (id, url, name, timezone, added_at) VALUES"
        " (1, 'http://127.0.0.1:9/one', 'One', 'UTC', 1),"
        " (2, 'http://127.0.0.1:9/two', 'Two', 'UTC', 1)"
    )
    rows = [
        (n, 1 + n % 2, f"http://127.0.0.1:9/a/{n // 2}", f"Istanbul talks {n}", 1000.0 - n)
        for n in range(1, 41)
    ]
    db.executemany(
        "INSERT INTO headlines (id, source_id, url, title, sort_key, first_seen, last_seen,"
        " read_at) VALUES (?, ?, ?, ?, ?, 1, 1, CASE WHEN ? % 3 = 0 THEN 5 END)",
        [(*row, row[0]) for row in rows],
    )
    db.close()


def _indexes(path: Path) -> dict[str, str]:
    db = sqlite3.connect(path)
    found = dict(
        db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'headlines'"
        ).fetchall()
    )
    db.close()
    return found


def test_a_v2_cache_moves_to_v3_with_every_headline_and_one_url_index(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _write_v2_file(path)
    assert "sqlite_autoindex_headlines_1" in _indexes(path)  # the duplicate, before
    with open_store(path) as store:
        assert store.headline_count() == 40
        rows = store.ticker_rows(limit=100)
        assert [r.id for r in rows] == list(range(1, 41))
        assert sum(r.read for r in rows) == 13
        assert len(store.search("istanbul", limit=100)) == 21  # one hit per URL (a/0 … a/20)
        assert store.headline("http://127.0.0.1:9/a/7").title in {
            "Istanbul talks 14",
            "Istanbul talks 15",
        }
        store.mark_read("http://127.0.0.1:9/a/1", read=False)
        assert not any(r.read for r in store.ticker_rows(limit=100) if r.url.endswith("/a/1"))
        assert store.integrity_ok()
    indexes = _indexes(path)
    on_url = [name for name, sql in indexes.items() if sql is None or "url" in sql]
    assert on_url == ["headlines_by_url"], indexes
    assert "url_key" in indexes["headlines_by_url"] and "UNIQUE" in indexes["headlines_by_url"]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
    db.close()


def test_a_listing_seen_again_after_the_migration_updates_its_rows(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _write_v2_file(path)
    from newsterm.models import Headline

    with open_store(path) as store:
        one = store.sources()[0]
        counts = store.store_listing(
            one,
            [
                Headline("Renamed", "http://127.0.0.1:9/a/1"),
                Headline("New", "http://127.0.0.1:9/new"),
            ],
        )
        assert (counts.new, counts.seen) == (1, 1)
        assert store.headline_count() == 41
        titles = {r.title for r in store.ticker_rows(limit=100)}
        assert "Renamed" in titles and "New" in titles
