"""The news desk over a real cache file: rules from store and config, mute, watch, stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsterm.config import Settings
from newsterm.library.desk import NewsDesk, RuleError
from newsterm.models import Headline, Source
from newsterm.store import open_store

NOON = datetime(2025, 5, 16, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return NOON + timedelta(minutes=minutes)


@pytest.fixture
def cache(tmp_path):
    store = open_store(tmp_path / "newsterm.sqlite3")
    yield tmp_path, store
    store.close()


def desk_for(store, tmp_path, **rules) -> NewsDesk:
    return NewsDesk(store, Settings(data_dir=tmp_path, **rules))


def test_watch_words_match_whole_words_across_case_accents_and_scripts(cache):
    folder, store = cache
    desk = desk_for(store, folder)
    desk.add("watch", "київ")
    desk.add("watch", "cafe")
    assert [r.text for r in desk.watch_matches(Headline("КИЇВ оголосив тривогу", "u"))] == ["київ"]
    assert desk.watch_matches(Headline("Новий Café у Львові", "u"))[0].text == "cafe"
    assert desk.watch_matches(Headline("Київщина готується", "u")) == []  # a whole word only
    assert desk.watch_matches(Headline("Cafeteria prices", "u")) == []


def test_a_rule_is_refused_twice_in_any_spelling_and_removed_in_any(cache):
    folder, store = cache
    desk = desk_for(store, folder)
    desk.add("mute", "Zelensky")
    with pytest.raises(RuleError, match="already muted"):
        desk.add("mute", "ZELENSKY")
    with pytest.raises(RuleError):
        desk.add("mute", "  ?! ")
    assert desk.remove("mute", "zelensky").text == "Zelensky"
    with pytest.raises(RuleError, match="not muted"):
        desk.remove("mute", "Zelensky")
    assert store.desk_rules("mute") == []


def test_config_rules_come_first_and_cannot_be_removed_from_the_cli(cache):
    folder, store = cache
    store.add_desk_rule("watch", "words:grain", "grain")
    desk = desk_for(store, folder, watch=["Kyiv", "Grain"])
    entries = desk.rules("watch")
    assert [(e.rule.text, e.from_config) for e in entries] == [("Kyiv", True), ("Grain", True)]
    with pytest.raises(RuleError, match="config file"):
        desk.remove("watch", "kyiv")


def test_mute_hides_existing_and_new_headlines_and_a_config_change_is_applied(cache):
    folder, store = cache
    one = store.add_source(Source("https://one.example/news"))
    two = store.add_source(Source("https://two.example/feed"))
    desk = desk_for(store, folder)
    store.store_listing(one, [Headline("Ціни на пальне зросли", "https://one.example/1", at(0))])
    store.store_listing(two, [Headline("Weather today", "https://two.example/2", at(1))])
    desk.add("mute", "ПАЛЬНЕ")
    assert desk.muted_count() == 1
    assert [r.title for r in store.ticker_page()] == ["Weather today"]
    desk.add("mute", "source:two.example")
    assert desk.muted_count() == 2 and store.ticker_page() == []
    store.store_listing(two, [Headline("More weather", "https://two.example/3", at(2))])
    assert desk.muted_count() == 3
    # Next run: the stored rules are gone, the config mutes only "label:Sport".
    store.remove_desk_rule("mute", "words:пальне")
    store.remove_desk_rule("mute", "source:two.example\t")
    later = desk_for(store, folder, mute=["label:Sport"])
    assert later.sync_mute() == 3
    assert later.muted_count() == 0 and len(store.ticker_page()) == 3
    assert later.sync_mute() == 0  # the same rules: no pass over the cache


def test_new_headlines_join_recent_stories_and_grouped_ones_keep_their_ids(cache):
    folder, store = cache
    sources = [store.add_source(Source(f"https://s{n}.example/news")) for n in range(3)]
    desk = desk_for(store, folder)
    filler = [
        Headline(f"Council approves budget for park number {n}", f"https://s0.example/f{n}", at(n))
        for n in range(12)
    ]
    store.store_listing(sources[0], filler)
    store.store_listing(
        sources[1],
        [Headline("Storm closes Riverton bridge for repairs", "https://s1.example/b", at(0))],
    )
    now = at(60).timestamp()
    assert desk.attach_stories(now) == 13
    rows = store.ticker_page(limit=100)
    before = {r.url: r.story for r in rows}
    # A story's id is its first headline's row id.
    for row in rows:
        assert row.story == min(other.id for other in rows if other.story == row.story)
    store.store_listing(
        sources[2],
        [
            Headline("Riverton bridge shut by storm damage", "https://s2.example/x", at(30)),
            Headline("Lisbon orchestra names a new conductor", "https://s2.example/y", at(31)),
        ],
    )
    assert desk.attach_stories(now) == 2
    after = {r.url: r for r in store.ticker_page(limit=100)}
    assert {url: after[url].story for url in before} == before
    bridge = after["https://s2.example/x"]
    assert bridge.story == before["https://s1.example/b"] == after["https://s1.example/b"].id
    assert after["https://s2.example/y"].story not in before.values()
    members = desk.story_members(bridge)
    assert [m.url for m in members] == ["https://s1.example/b"]
    assert desk.story_source_counts([bridge])[bridge.story] == 2
    assert desk.attach_stories(now) == 0  # nothing left to group


def test_a_new_story_never_takes_the_id_of_an_old_one_outside_the_window(cache):
    folder, store = cache
    source = store.add_source(Source("https://s.example/news"))
    desk = desk_for(store, folder)
    store.store_listing(source, [Headline("Old item", "https://s.example/a", at(0))])
    desk.attach_stories(at(1).timestamp())
    old = store.ticker_page()[0].story
    # The same URL listed by another source a month later starts a story of its own.
    other = store.add_source(Source("https://t.example/news"))
    store.store_listing(other, [Headline("New item", "https://s.example/a", at(60 * 24 * 30))])
    desk.attach_stories(at(60 * 24 * 30 + 1).timestamp())
    # Read from the table: the ticker shows one copy of an article however many list it.
    stories = dict(store._read("SELECT title, story FROM headlines"))
    assert stories["Old item"] == old and stories["New item"] != old


def test_new_watch_matches_are_those_stored_after_the_mark_and_not_muted(cache):
    folder, store = cache
    source = store.add_source(Source("https://s.example/news"))
    desk = desk_for(store, folder, watch=["grain"], mute=["rumour"])
    empty = desk.watch_mark(50)
    store.store_listing(
        source, [Headline("Grain deal signed", "https://s.example/1", at(0))], now=100
    )
    mark = desk.watch_mark(150)
    store.store_listing(
        source,
        [
            Headline("Grain ships leave port", "https://s.example/2", at(5)),
            Headline("Grain rumour denied", "https://s.example/3", at(6)),
            Headline("Weather", "https://s.example/4", at(7)),
            Headline("Grain deal signed", "https://s.example/1", at(0)),  # seen again
        ],
        now=200,
    )
    found = desk.new_watch_matches(mark, 200)
    assert [(row.title, [r.text for r in rules]) for row, rules in found] == [
        ("Grain ships leave port", ["grain"])
    ]
    assert [row.title for row, _ in desk.new_watch_matches(empty, 200)] == [
        "Grain ships leave port",
        "Grain deal signed",
    ]


def test_a_refresh_within_a_second_of_the_last_write_announces_only_its_own_rows(cache):
    # Times of sight are whole seconds rounded up: the last write at 100.2 s is "101", after
    # a refresh starting at 100.8 s. The mark is the newest row when the refresh starts.
    folder, store = cache
    source = store.add_source(Source("https://s.example/news"))
    desk = desk_for(store, folder, watch=["grain"])
    store.store_listing(source, [Headline("Grain deal", "https://s.example/1", at(0))], now=100.2)
    mark = desk.watch_mark(100.8)
    store.store_listing(source, [Headline("Grain ships", "https://s.example/2", at(1))], now=100.9)
    assert [row.title for row, _ in desk.new_watch_matches(mark, 101)] == ["Grain ships"]


def test_rows_stored_after_another_process_removed_the_newest_are_still_announced(cache):
    # Removing the source that holds the newest rows lets new rows take their ids again;
    # rows first seen in a later second than the mark are announced all the same.
    folder, store = cache
    kept = store.add_source(Source("https://a.example/news"))
    removed = store.add_source(Source("https://b.example/news"))
    desk = desk_for(store, folder, watch=["grain"])
    store.store_listing(kept, [Headline("Old A", "https://a.example/1", at(0))], now=1000)
    store.store_listing(
        removed,
        [Headline(f"Old B{n}", f"https://b.example/{n}", at(0)) for n in range(3)],
        now=1001,
    )
    mark = desk.watch_mark(1001.5)
    store.remove_source("https://b.example/news")
    store.store_listing(kept, [Headline("Grain ships", "https://a.example/2", at(1))], now=1003)
    (row_id,) = store._db.execute("SELECT id FROM headlines WHERE title = 'Grain ships'").fetchone()
    assert row_id <= mark.row_id  # the id was handed out again
    assert [row.title for row, _ in desk.new_watch_matches(mark, 1003)] == ["Grain ships"]


def test_rows_stored_while_the_clock_ran_ahead_are_not_announced_again(cache):
    # Stored a day "ahead", then the clock was set right: later refreshes see those rows
    # as first seen after their start, but not before their end.
    folder, store = cache
    source = store.add_source(Source("https://a.example/news"))
    desk = desk_for(store, folder, watch=["grain"])
    grain = Headline("Grain deal signed", "https://a.example/1", at(0))
    store.store_listing(source, [grain], now=1000 + 86_400)
    for start in (1000, 1600):
        mark = desk.watch_mark(start)
        store.store_listing(source, [grain], now=start + 1)  # seen again, nothing new
        assert desk.new_watch_matches(mark, start + 2) == []
