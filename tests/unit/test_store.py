"""The SQLite cache: schema, migrations, upserts, articles, revisions, saved, search, eviction."""

from __future__ import annotations

import sqlite3
import threading
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsterm.models import Article, Headline, Source
from newsterm.store import (
    MATCH_END,
    MATCH_START,
    SCHEMA_VERSION,
    FetchState,
    Store,
    StoreError,
    fts_query,
    open_store,
)
from newsterm.store import schema as store_schema
from newsterm.store import search as store_search

KYIV = timezone(timedelta(hours=3))
DAY = 86400.0
NOW = 1_750_000_000.0


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "cache.sqlite3") as opened:
        yield opened


@pytest.fixture
def source(store):
    return store.add_source(Source("http://127.0.0.1:9/news", "Loopback"))


def _headline(n: int, title: str | None = None, **changes) -> Headline:
    published = datetime(2025, 5, 16, 12, 0, tzinfo=KYIV) + timedelta(minutes=n)
    values = {"title": title or f"Headline {n}", "url": f"http://127.0.0.1:9/a/{n}"}
    values |= {"published": published} | changes
    return Headline(**values)


def _article(url: str, title: str = "A title", text: str = "Body one.\n\nBody two.", **more):
    return Article(url=url, title=title, text=text, markdown=text, **more)


def _raw(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Look at the file the way a second program would (tests only)."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


# -- schema and migrations ---------------------------------------------------------------


def test_a_new_file_gets_the_current_schema_in_wal_mode(tmp_path):
    path = tmp_path / "new.sqlite3"
    with open_store(path) as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] >= 1  # NORMAL or FULL
    assert _raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    tables = {name for (name,) in _raw(path, "SELECT name FROM sqlite_master")}
    assert {"sources", "headlines", "fetch_state", "articles", "article_pages", "saved"} <= tables
    assert {"revisions", "article_search", "headline_search"} <= tables


def test_created_is_true_only_for_the_open_that_made_the_schema(tmp_path):
    with open_store(tmp_path / "cache.sqlite3") as first:
        assert first.created
    with open_store(tmp_path / "cache.sqlite3") as second:
        assert not second.created


def test_reopening_keeps_everything_and_migrates_nothing(tmp_path, store, source):
    store.store_listing(source, [_headline(1)])
    store.put_article(_article("http://127.0.0.1:9/a/1"), raw_html=b"<p>page</p>")
    store.set_saved("http://127.0.0.1:9/a/1", True)
    store.close()
    with open_store(store.path) as again:
        assert again.headline_count() == 1
        assert again.get_article("http://127.0.0.1:9/a/1", with_raw=True).raw_html == b"<p>page</p>"
        assert again.is_saved("http://127.0.0.1:9/a/1")


def _write_v1_file(path: Path) -> None:
    """A cache as schema version 1 wrote it: raw pages inside the articles table."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for statement in store_schema.statements(store_schema.MIGRATIONS[1]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO sources (id, url, name, timezone, added_at)"
        " VALUES (1, 'http://127.0.0.1:9/news', 'Old', 'Europe/Kyiv', 1)"
    )
    db.execute(
        "INSERT INTO headlines (source_id, url, title, sort_key, first_seen, last_seen)"
        " VALUES (1, 'http://127.0.0.1:9/a/1', 'Istanbul talks headline', 5, 1, 1)"
    )
    db.execute(
        "INSERT INTO articles (id, url, title, text, markdown, method, extractor_version,"
        " raw_html, content_type, fetched_at, size) VALUES (7, 'http://127.0.0.1:9/a/1',"
        " 'Talks in Istanbul', 'Delegations met in Istanbul.', 'md', 'readability', 1, ?,"
        " 'text/html', 100, 10)",
        (zlib.compress(b"<html>old page</html>"),),
    )
    db.execute("INSERT INTO saved (article_id, saved_at) VALUES (7, 200)")
    db.execute(
        "INSERT INTO revisions (article_id, title, text, markdown, fetched_at, replaced_at,"
        " change) VALUES (7, 'Earlier', 'Earlier text.', 'md', 50, 100, 'title')"
    )
    db.close()


def test_a_version_1_file_is_migrated_keeping_articles_pages_saved_and_revisions(tmp_path):
    path = tmp_path / "v1.sqlite3"
    _write_v1_file(path)
    with open_store(path) as store:
        stored = store.get_article("http://127.0.0.1:9/a/1", with_raw=True)
        assert stored.article.title == "Talks in Istanbul"
        assert stored.raw_html == b"<html>old page</html>"
        assert stored.fetched_at == 100 and stored.saved_at == 200
        assert stored.revision_count == 1
        assert [r.title for r in store.revisions("http://127.0.0.1:9/a/1")] == ["Earlier"]
        # The search indexes were rebuilt for the new schema.
        assert [h.url for h in store.search("istanbul")] == ["http://127.0.0.1:9/a/1"]
        assert store.search("headline")[0].cached is True
        assert store.integrity_ok()
        assert store._db.execute("PRAGMA foreign_key_check").fetchall() == []
        # The migrated schema still refuses to delete a saved article.
        with pytest.raises(sqlite3.IntegrityError):
            store._db.execute("DELETE FROM articles WHERE id = 7")
    assert _raw(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert _raw(path, "SELECT count(*) FROM sqlite_master WHERE name = 'articles_v2'") == [(0,)]


def test_a_file_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="newer newsterm"):
        open_store(path)
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_statements_keep_trigger_bodies_whole():
    parts = store_schema.statements(store_schema.MIGRATIONS[2])
    triggers = [p for p in parts if p.startswith("CREATE TRIGGER")]
    assert len(triggers) == 6 and all(p.endswith("END;") for p in triggers)


# -- headlines: upsert semantics -----------------------------------------------------------


def test_a_headline_seen_again_is_not_duplicated_and_keeps_first_seen(store, source):
    first = store.store_listing(source, [_headline(1), _headline(2)], now=NOW)
    again = store.store_listing(
        source, [_headline(1, "Headline 1, updated", label="Updated"), _headline(2)], now=NOW + 60
    )
    assert (first.new, first.seen) == (2, 0)
    assert (again.new, again.seen) == (0, 2)
    assert store.headline_count() == 2
    row = _raw(
        store.path,
        "SELECT title, label, first_seen, last_seen FROM headlines WHERE url = ?",
        ("http://127.0.0.1:9/a/1",),
    )
    assert row == [("Headline 1, updated", "Updated", NOW, NOW + 60)]
    assert store.search("updated")[0].url == "http://127.0.0.1:9/a/1"  # index follows the title


def test_a_headline_that_drops_off_the_site_stays(store, source):
    store.store_listing(source, [_headline(1), _headline(2), _headline(3)], now=NOW)
    store.store_listing(source, [_headline(4)], now=NOW + 60)
    assert [r.title for r in store.ticker_rows()] == [
        "Headline 4",
        "Headline 3",
        "Headline 2",
        "Headline 1",
    ]


def test_a_failed_fetch_deletes_nothing_and_keeps_the_last_success(store, source):
    ok = FetchState(source.url, etag='"v1"', last_status=200, last_success=NOW)
    store.store_listing(source, [_headline(1)], ok, now=NOW)
    store.record_fetch(FetchState(source.url, etag='"v1"', last_status=503, last_error="HTTP 503"))
    assert store.headline_count() == 1
    state = store.fetch_state(source.url)
    assert (state.last_status, state.last_error, state.last_success) == (503, "HTTP 503", NOW)


def test_a_listing_that_fails_half_way_stores_none_of_it(store, source):
    store.store_listing(source, [_headline(1)], now=NOW)
    broken = [_headline(2), _headline(3, title=None)]
    broken[1].title = None  # NOT NULL: the upsert fails after the first row went in
    with pytest.raises(StoreError):
        store.store_listing(source, broken, FetchState(source.url, etag='"new"'), now=NOW + 60)
    assert [r.title for r in store.ticker_rows()] == ["Headline 1"]
    assert store.fetch_state(source.url).etag is None  # the state went with the rollback
    assert store.store_listing(source, [_headline(2)], now=NOW + 120).new == 1  # still usable


def test_a_listing_that_names_an_article_twice_stores_it_once(store, source):
    counts = store.store_listing(source, [_headline(1), _headline(1, "Same link, other text")])
    assert (counts.new, counts.seen) == (1, 1)
    assert store.headline_count() == 1


def test_fetch_state_round_trips_every_field(store):
    state = FetchState(
        "http://127.0.0.1:9/news",
        etag='W/"abc"',
        last_modified="Fri, 16 May 2025 16:58:00 GMT",
        last_status=304,
        last_error=None,
        last_attempt=NOW,
        last_success=NOW - 5,
        next_try=NOW + 30,
    )
    store.record_fetch(state)
    assert store.fetch_state(state.url) == state
    assert store.fetch_state("http://127.0.0.1:9/never") == FetchState("http://127.0.0.1:9/never")
    assert store.last_success([state.url, "http://127.0.0.1:9/never"]) == NOW - 5


def test_ticker_rows_page_newest_first_with_read_saved_and_cached_flags(store, source):
    store.store_listing(source, [_headline(n) for n in range(10)])
    store.put_article(_article("http://127.0.0.1:9/a/9"))
    store.put_article(_article("http://127.0.0.1:9/a/8"))
    store.set_saved("http://127.0.0.1:9/a/8", True)
    store.mark_read("http://127.0.0.1:9/a/9")
    first = store.ticker_rows(offset=0, limit=3)
    assert [r.title for r in first] == ["Headline 9", "Headline 8", "Headline 7"]
    assert [(r.read, r.saved, r.cached) for r in first] == [
        (True, False, True),
        (False, True, True),
        (False, False, False),
    ]
    assert [r.title for r in store.ticker_rows(offset=8, limit=5)] == ["Headline 1", "Headline 0"]
    assert first[0].source_name == "Loopback"
    assert first[0].published == datetime(2025, 5, 16, 12, 9, tzinfo=KYIV)


def test_ticker_rows_narrowed_to_sources(store, source):
    other = store.add_source(Source("http://127.0.0.1:9/other"))
    third = store.add_source(Source("http://127.0.0.1:9/third"))
    store.store_listing(source, [_headline(1)])
    store.store_listing(other, [_headline(2, url="http://127.0.0.1:9/b/2")])
    store.store_listing(third, [_headline(3, url="http://127.0.0.1:9/c/3")])
    assert [r.title for r in store.ticker_rows([other.id])] == ["Headline 2"]
    assert [r.title for r in store.ticker_rows([source.id, third.id])] == [
        "Headline 3",
        "Headline 1",
    ]
    assert store.ticker_rows([]) == []
    assert store.headline_count([source.id, other.id]) == 2
    assert [h.title for h in store.headlines([other.id])] == ["Headline 2"]
    assert store.ticker_rows([other.id])[0].source_name == "127.0.0.1"  # no name: the host


def test_removing_a_source_drops_its_headlines_but_not_articles(store, source):
    store.store_listing(source, [_headline(1)])
    store.put_article(_article("http://127.0.0.1:9/a/1"))
    assert store.remove_source(source.url) is True
    assert store.headline_count() == 0 and store.search("headline") == []
    assert store.get_article("http://127.0.0.1:9/a/1") is not None
    assert store.remove_source(source.url) is False


# -- articles and revisions ------------------------------------------------------------------


def test_an_article_is_kept_with_its_page_where_and_when_fetched_and_extractor(store):
    page = b"<html><body>" + b"<p>Delegations met in Istanbul.</p>" * 200 + b"</body></html>"
    article = _article(
        "http://127.0.0.1:9/a/1",
        byline="Espreso",
        published=datetime(2025, 5, 16, 19, 58, tzinfo=KYIV),
        tags=["Istanbul", "talks"],
        extractor_version=3,
        method="readability",
    )
    revised = store.put_article(
        article,
        raw_html=page,
        content_type="text/html; charset=utf-8",
        final_url="https://127.0.0.1:9/a/1?from=redirect",
        fetched_at=NOW,
    )
    assert revised is False
    stored = store.get_article("http://127.0.0.1:9/a/1", with_raw=True)
    assert stored.article == article
    assert stored.raw_html == page and stored.content_type == "text/html; charset=utf-8"
    assert (stored.fetched_at, stored.final_url) == (NOW, "https://127.0.0.1:9/a/1?from=redirect")
    assert store.get_article("http://127.0.0.1:9/a/1").raw_html is None  # only when asked
    assert store.get_article("https://127.0.0.1:9/a/1?from=redirect").article.url == article.url
    (blob,) = _raw(store.path, "SELECT length(raw_html) FROM article_pages")[0]
    assert blob < len(page) / 10  # kept compressed
    assert store.articles_needing_reextract(4) == ["http://127.0.0.1:9/a/1"]
    assert store.articles_needing_reextract(3) == []


def test_a_refetch_that_changed_keeps_the_previous_version_and_says_what_changed(store):
    url = "http://127.0.0.1:9/a/1"
    store.put_article(_article(url, "Talks begin", "One.\n\nTwo."), fetched_at=NOW)
    assert (
        store.put_article(_article(url, "Talks begin", "One.\n\nTwo."), fetched_at=NOW + 1) is False
    )
    assert store.put_article(
        _article(url, "Talks end", "One.\n\nTwo, corrected.\n\nThree."), fetched_at=NOW + 60
    )
    stored = store.get_article(url)
    assert stored.article.title == "Talks end" and stored.revision_count == 1
    (revision,) = store.revisions(url)
    assert (revision.title, revision.text) == ("Talks begin", "One.\n\nTwo.")
    assert (revision.fetched_at, revision.replaced_at) == (NOW + 1, NOW + 60)
    assert revision.change == "title, text (+2 −1 paragraphs)"
    # Search follows the current version only.
    assert [h.url for h in store.search("corrected")] == [url]
    assert store.search("begin") == []


def test_a_new_extractor_version_with_the_same_text_is_not_a_revision(store):
    url = "http://127.0.0.1:9/a/1"
    store.put_article(_article(url, extractor_version=1), raw_html=b"<p>x</p>")
    assert store.put_article(_article(url, extractor_version=2), raw_html=b"<p>x</p>") is False
    assert store.get_article(url).article.extractor_version == 2
    assert store.revisions(url) == []


def test_storing_an_article_without_a_page_drops_the_stale_page(store):
    url = "http://127.0.0.1:9/a/1"
    store.put_article(_article(url), raw_html=b"<p>old page</p>")
    store.put_article(_article(url, method="feed-summary"))
    assert store.get_article(url, with_raw=True).raw_html is None


def test_put_articles_stores_a_batch_in_one_go(store):
    items = [
        (_article(f"http://127.0.0.1:9/a/{n}", f"Story {n}"), b"<p>page</p>") for n in range(50)
    ]
    assert store.put_articles(items) == 0
    assert store.info().articles == 50
    assert store.cached_urls([f"http://127.0.0.1:9/a/{n}" for n in (1, 49, 50)]) == {
        "http://127.0.0.1:9/a/1",
        "http://127.0.0.1:9/a/49",
    }


# -- saved -----------------------------------------------------------------------------------


def test_saving_needs_a_cached_article_and_unsaving_keeps_it_cached(store):
    with pytest.raises(StoreError, match="not cached"):
        store.set_saved("http://127.0.0.1:9/missing", True)
    store.put_article(_article("http://127.0.0.1:9/a/1", "First"))
    store.put_article(_article("http://127.0.0.1:9/a/2", "Second"))
    store.set_saved("http://127.0.0.1:9/a/1", True, saved_at=NOW)
    store.set_saved("http://127.0.0.1:9/a/2", True, saved_at=NOW + 1)
    store.set_saved("http://127.0.0.1:9/a/2", True, saved_at=NOW + 9)  # saving twice: no-op
    assert [(s.article.title, s.saved_at) for s in store.saved()] == [
        ("Second", NOW + 1),
        ("First", NOW),
    ]
    assert store.set_saved("http://127.0.0.1:9/a/2", False) is False
    assert not store.is_saved("http://127.0.0.1:9/a/2")
    assert store.get_article("http://127.0.0.1:9/a/2") is not None
    assert store.set_saved("http://127.0.0.1:9/never", False) is False


def test_a_saved_article_cannot_be_deleted_even_by_sql(store):
    store.put_article(_article("http://127.0.0.1:9/a/1"))
    store.set_saved("http://127.0.0.1:9/a/1", True)
    with pytest.raises(sqlite3.IntegrityError):
        store._db.execute("DELETE FROM articles")


def test_saving_commits_with_a_full_sync_then_goes_back_to_normal(store):
    store.put_article(_article("http://127.0.0.1:9/a/1"))
    seen = []
    store._db.set_trace_callback(seen.append)
    store.set_saved("http://127.0.0.1:9/a/1", True)
    store._db.set_trace_callback(None)
    assert seen.index("PRAGMA synchronous = FULL") < seen.index("COMMIT")
    assert seen[-1] == "PRAGMA synchronous = NORMAL"
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 1


# -- search ----------------------------------------------------------------------------------


@pytest.fixture
def searchable(store, source):
    store.put_article(
        _article(
            "http://127.0.0.1:9/a/title",
            "Romania annuls the election",
            "The court met on Friday.\n\nIt decided late.",
        ),
        fetched_at=NOW,
    )
    store.put_article(
        _article(
            "http://127.0.0.1:9/a/body-once",
            "Court news",
            "Parliament met.\n\nA word on the election in passing.",
        ),
        fetched_at=NOW + 1,
    )
    store.put_article(
        _article(
            "http://127.0.0.1:9/a/body-often",
            "Weekly digest",
            "Election day. The election count. Election results and election fraud claims.",
        ),
        fetched_at=NOW + 2,
    )
    store.put_article(
        _article("http://127.0.0.1:9/a/diacritics", "Călin Georgescu speaks", "Text."),
        fetched_at=NOW + 3,
    )
    store.store_listing(
        source,
        [
            Headline("Election headline only", "http://127.0.0.1:9/a/headline-only"),
            Headline("Romania annuls the election", "http://127.0.0.1:9/a/title"),
        ],
    )
    return store


def test_search_ranks_title_matches_first_then_by_how_often_the_text_says_it(searchable):
    hits = searchable.search("election")
    assert [h.url for h in hits[:3]] == [
        "http://127.0.0.1:9/a/title",
        "http://127.0.0.1:9/a/body-often",
        "http://127.0.0.1:9/a/body-once",
    ]
    assert all(h.cached for h in hits[:3])
    assert hits[0].score <= hits[1].score <= hits[2].score  # bm25: lower is better


def test_search_adds_uncached_headlines_once_after_the_articles(searchable):
    hits = searchable.search("election")
    assert [h.url for h in hits] == [
        "http://127.0.0.1:9/a/title",
        "http://127.0.0.1:9/a/body-often",
        "http://127.0.0.1:9/a/body-once",
        "http://127.0.0.1:9/a/headline-only",
    ]
    assert hits[-1].cached is False
    assert hits[-1].snippet == f"{MATCH_START}Election{MATCH_END} headline only"


def test_search_snippets_mark_the_matched_words(searchable):
    (hit,) = searchable.search("parliament")
    assert hit.snippet.startswith(f"{MATCH_START}Parliament{MATCH_END} met.")
    often = [h for h in searchable.search("election") if h.url.endswith("body-often")][0]
    assert often.snippet.count(MATCH_START) == often.snippet.count(MATCH_END) == 4


def test_search_matches_the_last_word_as_a_prefix_while_typing(searchable):
    assert [h.url for h in searchable.search("parlia")] == ["http://127.0.0.1:9/a/body-once"]
    assert searchable.search("parlia ") == []  # a finished word is a whole word
    assert searchable.search("p") == []  # one letter is not a prefix search


def test_search_ignores_case_and_diacritics(searchable):
    assert [h.url for h in searchable.search("calin GEORGESCU")] == [
        "http://127.0.0.1:9/a/diacritics"
    ]
    assert [h.url for h in searchable.search("Călin")] == ["http://127.0.0.1:9/a/diacritics"]


def test_search_needs_every_word(searchable):
    assert [h.url for h in searchable.search("court friday")] == ["http://127.0.0.1:9/a/title"]


def test_search_respects_the_limit(searchable):
    assert len(searchable.search("election", limit=2)) == 2
    assert searchable.search("election", limit=0) == []


def test_search_ranks_only_the_newest_candidates_of_a_common_word(store, monkeypatch):
    for n in range(30):
        store.put_article(_article(f"http://127.0.0.1:9/a/{n}", f"Story {n}", "Common word."))
    monkeypatch.setattr(store_search, "SEARCH_CANDIDATES", 10)
    hits = store.search("common", limit=50)
    assert {h.url for h in hits} == {f"http://127.0.0.1:9/a/{n}" for n in range(20, 30)}


HOSTILE = [
    '"',
    '""',
    "AND(",
    "*",
    "NEAR/",
    "NEAR(a b",
    "title:",
    "text:election",
    "-election",
    "^election",
    "election OR",
    "NOT",
    "(((",
    "a:b:c",
    "{title text}: x",
    "\x00\x01\x1b[31m",
    "\u202e",
    "'; DROP TABLE articles; --",
    "election " * 1000,
    " ".join(f"word{n}" for n in range(1000)),
    "x" * 10_000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_raise(searchable, query):
    assert isinstance(searchable.search(query), list)
    assert searchable.info().articles == 4


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_any_text_searches_without_raising(searchable, query):
    hits = searchable.search(query)
    assert isinstance(hits, list) and len(hits) <= 50
    assert all(hit.url for hit in hits)


def test_fts_query_quotes_every_word_and_prefixes_only_a_trailing_one():
    assert fts_query('Kallas "said" AND(') == '"kallas" "said" "and"'
    assert fts_query("istanbul tal") == '"istanbul" "tal"*'
    assert fts_query("istanbul t") == '"istanbul" "t"'
    assert fts_query("snake_case") == '"snake" "case"*'
    assert fts_query("war war") == '"war"*'
    assert fts_query("* - ( ) :") == ""
    assert fts_query(" ".join(f"w{n}" for n in range(100))).count('"') == 2 * 32


# -- retention -------------------------------------------------------------------------------


def test_eviction_drops_old_unsaved_articles_but_never_saved_ones(store):
    for name, title, fetched in (
        ("old-saved", "Archive piece", NOW - 90 * DAY),
        ("old", "Stale piece", NOW - 40 * DAY),
        ("new", "Fresh piece", NOW - DAY),
    ):
        store.put_article(_article(f"http://127.0.0.1:9/{name}", title), fetched_at=fetched)
    store.set_saved("http://127.0.0.1:9/old-saved", True)
    evicted, _ = store.evict(
        article_max_age_days=30, budget_bytes=10**9, headline_max_age_days=180, now=NOW
    )
    assert evicted == 1
    assert store.cached_urls(
        ["http://127.0.0.1:9/old-saved", "http://127.0.0.1:9/old", "http://127.0.0.1:9/new"]
    ) == {"http://127.0.0.1:9/old-saved", "http://127.0.0.1:9/new"}
    assert store.search("stale") == [] and store.search("archive")[0].cached


def test_eviction_over_budget_goes_oldest_first_and_spares_saved_and_recently_opened(store):
    text = "Paragraph. " * 100  # about 1 KB of text, stored twice (text and markdown)
    for n in range(10):
        store.put_article(
            _article(f"http://127.0.0.1:9/a/{n}", text=text), fetched_at=NOW - (10 - n) * 60
        )
    store.set_saved("http://127.0.0.1:9/a/0", True)  # the oldest, but saved
    store._db.execute(  # opened just now: the age that counts is the last open
        "UPDATE articles SET opened_at = ? WHERE url = 'http://127.0.0.1:9/a/1'", (NOW,)
    )
    size = store.info().article_bytes // 10
    evicted, _ = store.evict(
        article_max_age_days=30, budget_bytes=size * 5, headline_max_age_days=180, now=NOW
    )
    assert evicted == 5
    left = store.cached_urls([f"http://127.0.0.1:9/a/{n}" for n in range(10)])
    assert left == {f"http://127.0.0.1:9/a/{n}" for n in (0, 1, 7, 8, 9)}
    assert store.info().article_bytes <= size * 5
    # Even a budget of nothing leaves saved articles alone.
    store.evict(article_max_age_days=0, budget_bytes=0, headline_max_age_days=180, now=NOW + 1)
    assert [s.article.url for s in store.saved()] == ["http://127.0.0.1:9/a/0"]
    assert store.info().articles == 1


def test_eviction_drops_headlines_unseen_for_long_except_those_of_saved_articles(store, source):
    store.store_listing(source, [_headline(1), _headline(2)], now=NOW - 200 * DAY)
    store.store_listing(source, [_headline(3)], now=NOW - 100 * DAY)
    store.put_article(_article("http://127.0.0.1:9/a/2"), fetched_at=NOW)
    store.set_saved("http://127.0.0.1:9/a/2", True)
    _, dropped = store.evict(
        article_max_age_days=30, budget_bytes=10**9, headline_max_age_days=180, now=NOW
    )
    assert dropped == 1
    assert [r.title for r in store.ticker_rows()] == ["Headline 3", "Headline 2"]
    assert store.search("headline 1") == []


def test_eviction_takes_revisions_and_pages_along(store):
    url = "http://127.0.0.1:9/a/1"
    store.put_article(_article(url, "v1"), raw_html=b"<p>1</p>", fetched_at=NOW - 60 * DAY)
    store.put_article(_article(url, "v2"), raw_html=b"<p>2</p>", fetched_at=NOW - 50 * DAY)
    store.evict(article_max_age_days=30, budget_bytes=10**9, headline_max_age_days=180, now=NOW)
    assert _raw(store.path, "SELECT count(*) FROM revisions") == [(0,)]
    assert _raw(store.path, "SELECT count(*) FROM article_pages") == [(0,)]
    assert store.integrity_ok()


# -- info, vacuum, threads ----------------------------------------------------------------


def test_info_counts_and_vacuum_keeps_everything(store, source):
    store.store_listing(source, [_headline(n) for n in range(5)])
    for n in range(3):
        store.put_article(_article(f"http://127.0.0.1:9/a/{n}", text="Words. " * 500))
    store.put_article(_article("http://127.0.0.1:9/a/0", "Changed title"))
    store.set_saved("http://127.0.0.1:9/a/1", True)
    info = store.info()
    assert (info.sources, info.headlines, info.articles, info.saved, info.revisions) == (
        1,
        5,
        3,
        1,
        1,
    )
    assert info.file_bytes > 0 and info.article_bytes > 0
    store.vacuum()
    assert store.info().articles == 3 and store.integrity_ok()
    assert [h.url for h in store.search("changed")] == ["http://127.0.0.1:9/a/0"]


def test_threads_can_share_one_store(store, source):
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(20):
                url = f"http://127.0.0.1:9/t/{n}/{i}"
                store.put_article(_article(url, f"Thread {n} story {i}"))
                store.store_listing(source, [Headline(f"Thread {n} {i}", url)])
                store.search(f"thread {n}")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert store.info().articles == 80 and store.headline_count() == 80
    assert store.integrity_ok()


def test_read_only_store_refuses_writes(tmp_path):
    path = tmp_path / "cache.sqlite3"
    open_store(path).close()
    with open_store(path, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.add_source(Source("http://127.0.0.1:9/news"))
        assert store.sources() == []


def test_an_in_memory_store_works(tmp_path):
    with Store(":memory:") as store:
        store.put_article(_article("http://127.0.0.1:9/a/1"))
        assert store.search("body")[0].url == "http://127.0.0.1:9/a/1"
