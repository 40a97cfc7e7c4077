"""The desk's room: schemas 4 and 6 from older caches, stored rules, exact muted flags, stories."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsterm.models import Headline, Source
from newsterm.store import SCHEMA_VERSION, open_store
from tests.support.old_cache import cache_at_schema

NOON = datetime(2025, 5, 16, 12, 0, tzinfo=UTC)
# Migrations never change once released: versions 1–3 are the SQL the previous release ran.
PREVIOUS_SCHEMA = 3


def _write_previous_file(path: Path) -> None:
    """A cache exactly as the release before stories made it, with 30 headlines."""
    from newsterm.store.records import url_key

    db = cache_at_schema(path, PREVIOUS_SCHEMA)
    db.execute(
        "INSERT INTO sources (id, url, name, timezone, added_at)"
        " VALUES (1, 'http://127.0.0.1:9/news', 'One', 'UTC', 1)"
    )
    rows = []
    for n in range(30):
        url = f"http://127.0.0.1:9/a/{n}"
        title = "Київ: нова станція метро відкрита" if n == 7 else f"Council meets on park {n}"
        published = (NOON - timedelta(minutes=n)).isoformat()
        sort_key = (NOON - timedelta(minutes=n)).timestamp()
        rows.append((n + 1, url_key(url), url, title, published, sort_key))
    db.executemany(
        "INSERT INTO headlines (id, source_id, url_key, url, title, published, sort_key,"
        " first_seen, last_seen) VALUES (?, 1, ?, ?, ?, ?, ?, 1, 1)",
        rows,
    )
    db.close()


def test_a_previous_cache_gains_stories_and_mute_with_every_headline_kept(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _write_previous_file(path)
    with open_store(path) as store:
        assert store.headline_count() == 30
        rows = store.ticker_rows(limit=100)
        assert [r.id for r in rows] == list(range(1, 31))
        assert all(r.story is None and not r.muted for r in rows)
        assert len(store.ungrouped_headlines(100)) == 30
        assert store.muted_count() == 0
        assert store.desk_rules("watch") == [] and store.desk_rules("mute") == []
        assert store.add_desk_rule("mute", "words:київ", "КИЇВ")
        assert store.desk_rules("mute") == [("words:київ", "КИЇВ")]
        assert store.integrity_ok()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = {row[1] for row in db.execute("PRAGMA table_info(headlines)")}
    assert {"story", "muted"} <= columns
    db.close()


def test_rules_are_one_per_key_and_removed_by_key(tmp_path):
    with open_store(tmp_path / "c.sqlite3") as store:
        assert store.add_desk_rule("watch", "words:kyiv", "Kyiv")
        assert not store.add_desk_rule("watch", "words:kyiv", "KYIV")
        assert store.add_desk_rule("mute", "words:kyiv", "kyiv")  # lists are separate
        assert store.desk_rules("watch") == [("words:kyiv", "Kyiv")]
        assert store.remove_desk_rule("watch", "words:kyiv")
        assert not store.remove_desk_rule("watch", "words:kyiv")
        assert store.desk_rules("mute") == [("words:kyiv", "kyiv")]


def _listing(count: int) -> list[Headline]:
    return [
        Headline(
            "Sport: derby tonight" if n % 3 == 0 else f"Budget vote number {n}",
            f"https://e.example/{n}",
            NOON - timedelta(minutes=n),
        )
        for n in range(count)
    ]


def test_muted_rows_leave_every_ticker_query_and_come_back_when_asked_for(tmp_path):
    with open_store(tmp_path / "c.sqlite3") as store:
        source = store.add_source(Source("https://e.example/news"))
        store.mute_matcher = lambda h, source: h.title.startswith("Sport")
        store.store_listing(source, _listing(30))
        shown = store.ticker_page(limit=100)
        assert len(shown) == 20 and not any(r.title.startswith("Sport") for r in shown)
        assert len(store.ticker_page(limit=100, include_muted=True)) == 30
        assert store.muted_count() == 10 and store.muted_count([source.id]) == 10
        assert store.headline_count() == 20
        assert store.headline_count(include_muted=True) == 30
        # Keyset pages stay full: the filter is in the query, not after it.
        page = store.ticker_page(limit=5)
        more = store.ticker_page(after=page[-1].key, limit=5)
        assert len(more) == 5 and not any(r.muted for r in more)
        assert store.ticker_oldest().title == "Budget vote number 29"
        assert store.ticker_position(None, page[-1].key) == (4, 20)
        assert len(list(store.iter_headlines())) == 20


def test_applying_new_mute_rules_recomputes_only_changed_flags(tmp_path):
    with open_store(tmp_path / "c.sqlite3") as store:
        source = store.add_source(Source("https://e.example/news"))
        store.store_listing(source, _listing(30))
        assert store.muted_count() == 0
        changed = store.apply_mute(lambda h: "derby" in h.title, "one")
        assert changed == 10 and store.muted_count() == 10
        assert store.desk_state("mute_rules") == "one"
        assert store.apply_mute(lambda h: "derby" in h.title, "one") == 0
        assert store.apply_mute(lambda h: h.title.endswith(" 1"), "two") == 11
        assert [r.title for r in store.ticker_page(limit=100, include_muted=True) if r.muted] == [
            "Budget vote number 1"
        ]
        assert store.apply_mute(None, "none") == 1 and store.muted_count() == 0


def test_a_title_seen_again_changed_gets_its_muted_flag_again(tmp_path):
    with open_store(tmp_path / "c.sqlite3") as store:
        source = store.add_source(Source("https://e.example/news"))
        store.mute_matcher = lambda h, source: "derby" in h.title
        store.store_listing(source, [Headline("Budget vote", "https://e.example/1", NOON)])
        assert store.muted_count() == 0
        store.store_listing(source, [Headline("Budget derby", "https://e.example/1", NOON)])
        assert store.muted_count() == 1 and store.headline_count() == 0


def test_stories_are_numbered_by_their_first_headline_and_assigned_once(tmp_path):
    with open_store(tmp_path / "c.sqlite3") as store:
        one = store.add_source(Source("https://one.example/news"))
        two = store.add_source(Source("https://two.example/news"))
        store.store_listing(one, [Headline("Bridge shut", "https://one.example/1", NOON)])
        store.store_listing(two, [Headline("Bridge closed", "https://two.example/9", NOON)])
        store.store_listing(two, [Headline("Park opens", "https://two.example/3", NOON)])
        first, second, third = sorted(row_id for row_id, _ in store.ungrouped_headlines(10))
        # A new story is given as its rows, in any order; its id is its first row's id.
        assert store.assign_stories([], [[second, first]]) == 2
        assert store.assign_stories([(first, 99)], [[first, second]]) == 0  # given once
        assert store.ungrouped_headlines(10)[0][0] == third
        assert store.assign_stories([(third, first)], []) == 1  # joins the stored story
        assert store.ungrouped_headlines(10) == []
        rows = store.story_rows(first)
        assert [r.title for r in rows] == ["Bridge shut", "Bridge closed", "Park opens"]
        assert {r.story for r in rows} == {first} and isinstance(rows[0].story, int)
        assert store.story_source_counts([first, 12345]) == {first: 2}
        grouped = store.grouped_headlines(NOON.timestamp() - 1, 10)
        assert [story for _, story in grouped] == [first] * 3


def test_a_new_story_never_takes_an_id_another_story_holds(tmp_path):
    path = tmp_path / "c.sqlite3"
    with open_store(path) as store:
        source = store.add_source(Source("https://one.example/news"))
        store.store_listing(
            source, [Headline(f"Item {n}", f"https://one.example/{n}", NOON) for n in range(4)]
        )
        ids = sorted(row_id for row_id, _ in store.ungrouped_headlines(10))
    # A hand edit gives the last row the first row's id as its story.
    db = sqlite3.connect(path)
    db.execute("UPDATE headlines SET story = ? WHERE id = ?", (ids[0], ids[3]))
    db.commit()
    db.close()
    with open_store(path) as store:
        assert store.assign_stories([], [[ids[0], ids[1]], [ids[2]]]) == 3
        stories = {r.id: r.story for r in store.ticker_page(limit=10)}
    assert stories == {ids[0]: ids[1], ids[1]: ids[1], ids[2]: ids[2], ids[3]: ids[0]}


def _write_schema_5_file(path: Path) -> None:
    """A cache as the release with text story ids made it: stories named by a URL (one
    with the suffix given to a clashing name), one headline not grouped yet."""
    from newsterm.store.records import url_key

    db = cache_at_schema(path, 5, wal=False)
    db.execute(
        "INSERT INTO sources (id, url, name, timezone, added_at) VALUES"
        " (1, 'http://127.0.0.1:9/one', 'One', 'UTC', 1),"
        " (2, 'http://127.0.0.1:9/two', 'Two', 'UTC', 1)"
    )
    stories = {
        3: "http://127.0.0.1:9/a/5",  # the story's text names a later row's URL
        4: "http://127.0.0.1:9/a/4",
        5: "http://127.0.0.1:9/a/5",
        6: "http://127.0.0.1:9/a/4#2",
        7: "http://127.0.0.1:9/a/4",
        8: None,
        9: "http://127.0.0.1:9/a/4#2",
    }
    for row_id, story in stories.items():
        url = f"http://127.0.0.1:9/a/{row_id}"
        db.execute(
            "INSERT INTO headlines (id, source_id, url_key, url, title, sort_key, first_seen,"
            " last_seen, story) VALUES (?, ?, ?, ?, ?, ?, 1, 1, ?)",
            (row_id, 1 + row_id % 2, url_key(url), url, f"Title {row_id}", row_id, story),
        )
    db.close()


def test_text_story_ids_become_their_first_headlines_ids(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _write_schema_5_file(path)
    with open_store(path) as store:
        rows = {r.id: r for r in store.ticker_page(limit=100)}
        assert {row_id: row.story for row_id, row in rows.items()} == {
            3: 3,
            4: 4,
            5: 3,
            6: 6,
            7: 4,
            8: None,
            9: 6,
        }
        assert [row_id for row_id, _ in store.ungrouped_headlines(10)] == [8]
        assert [r.id for r in store.story_rows(4)] == [7, 4]
        assert store.story_source_counts([3, 6]) == {3: 1, 6: 2}  # rows 3, 5 share a source
        assert store.integrity_ok()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT DISTINCT typeof(story) FROM headlines WHERE id <> 8").fetchall() == [
        ("integer",)
    ]
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type='index'")}
    assert {"headlines_by_story", "headlines_ungrouped"} <= indexes
    # As the store asks it: headlines_by_story holds grouped rows only (story >= 0).
    plan = " ".join(
        row[3]
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM headlines WHERE story = 4 AND story >= 0"
        )
    )
    assert "headlines_by_story" in plan
    db.close()
