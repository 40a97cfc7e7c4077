"""A cache poisoned by an older release or by hand: every value out of range reads as absent."""

from __future__ import annotations

import math
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsterm.models import Article, Headline, Source
from newsterm.store import FetchState, StoreError, open_store

NEWSTERM = Path(sys.executable).with_name("newsterm")
URL = "http://127.0.0.1:9/a/1"
SOURCE = "http://127.0.0.1:9/news"
# The furthest east and west any zone is from UTC: a time must stay a datetime in both.
ZONES = (timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), UTC)


def _build(path: Path) -> None:
    """A healthy cache with one of everything: source, headline, article, revision, saved."""
    with open_store(path) as store:
        source = store.add_source(Source(SOURCE, "Loopback"))
        published = datetime(2025, 5, 16, 12, tzinfo=UTC)
        store.store_listing(source, [Headline("A headline", URL, published, "Updated")])
        store.put_article(Article(URL, "Title", "First.", "First.", published=published))
        store.put_article(Article(URL, "Title", "Second.", "Second.", published=published))
        store.set_saved(URL, True)
        store.record_fetch(FetchState(SOURCE, etag='"e"', last_success=1.0, next_try=2.0))


def _poison(path: Path) -> None:
    """Write, as an older release or a hand edit could, values no datetime can hold."""
    db = sqlite3.connect(path)
    db.execute(
        "UPDATE fetch_state SET next_try = 1e300, last_success = 'garbage',"
        " last_attempt = -1e300, last_status = 'x', etag = x'ff00'"
    )
    # `published` is read back from the sort key and the offset the site wrote it with
    # (schema 5): poison those, so the text SQLite makes of them is no time at all.
    db.execute(
        "UPDATE headlines SET published_offset = 1e15,"
        " first_seen = 1e300, sort_key = 'garbage', title = x'c3'"
    )
    db.execute(
        "UPDATE articles SET fetched_at = 'nan', opened_at = 1e300,"
        " published = '9999-12-31T23:00:00-05:00', modified = 12,"
        " extractor_version = 'new', tags = '{\"not\": \"a list\"}', title = x'00ff'"
    )
    db.execute("UPDATE saved SET saved_at = 'yesterday'")
    db.execute("UPDATE revisions SET fetched_at = 1e300, replaced_at = 'x', published = 5")
    db.commit()
    db.close()


def _usable_time(value: float | None) -> None:
    """The checks a caller makes with a time from the store: none of them may raise."""
    if value is None:
        return
    assert math.isfinite(value)
    for zone in ZONES:
        datetime.fromtimestamp(value, zone)


def _usable_datetime(value: datetime | None) -> None:
    if value is None:
        return
    for zone in ZONES:
        value.astimezone(zone)
    value.timestamp()


def test_every_read_of_a_poisoned_cache_is_usable(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _build(path)
    _poison(path)
    with open_store(path) as store:
        state = store.fetch_state(SOURCE)
        assert state.next_try is None and state.last_success is None
        assert state.last_attempt is None and state.last_status is None
        assert state.etag is None  # a NUL can never go back out in a header
        _usable_time(store.last_success([SOURCE]))
        (row,) = store.ticker_rows()
        assert isinstance(row.title, str) and row.published is None
        _usable_time(row.first_seen)
        (headline,) = store.headlines()
        assert headline.published is None and isinstance(headline.title, str)
        assert store.headline(URL) is not None
        stored = store.get_article(URL)
        assert isinstance(stored.article.title, str)
        assert isinstance(stored.article.extractor_version, int)
        assert stored.article.tags == []
        _usable_time(stored.fetched_at)
        _usable_datetime(stored.article.published)
        _usable_datetime(stored.article.modified)
        (saved,) = store.saved()  # still saved: a bad time never unpins an article
        assert saved.saved
        _usable_time(saved.saved_at)
        for stored in store.all_articles():
            _usable_time(stored.fetched_at)
        for revision in store.revisions(URL):
            _usable_time(revision.fetched_at)
            _usable_time(revision.replaced_at)
            _usable_datetime(revision.published)
        context = store.article_context(URL)
        assert context.state.next_try is None
        for hit in store.search("headline"):
            _usable_datetime(hit.published)
        store.info()
        store.evict(article_max_age_days=1, budget_bytes=1, headline_max_age_days=1)
        assert store.is_saved(URL)


def test_the_command_reads_a_poisoned_cache_without_a_traceback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _build(data / "newsterm.sqlite3")
    _poison(data / "newsterm.sqlite3")
    env = {**os.environ, "NEWSTERM_DATA_DIR": str(data)}
    env.pop("NEWSTERM_CONFIG", None)
    command = [str(NEWSTERM)] if NEWSTERM.exists() else [sys.executable, "-m", "newsterm"]
    for args in (["headlines", "--offline"], ["headlines", "--offline", "--json"], ["saved"]):
        result = subprocess.run(
            [*command, *args], capture_output=True, text=True, env=env, timeout=60
        )
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode == 0, (args, result.stderr)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e300, 99999999999999.0, -1e300])
def test_a_time_that_cannot_be_read_back_is_never_stored(tmp_path, value):
    with open_store(tmp_path / "cache.sqlite3") as store:
        store.record_fetch(
            FetchState(SOURCE, last_attempt=value, last_success=value, next_try=value)
        )
        db = sqlite3.connect(tmp_path / "cache.sqlite3")
        stored = db.execute(
            "SELECT last_attempt, last_success, next_try FROM fetch_state"
        ).fetchone()
        db.close()
        for column in stored:
            assert column is None or (isinstance(column, float) and math.isfinite(column))
            _usable_time(column)
        _usable_time(store.fetch_state(SOURCE).next_try)


def test_a_headline_dated_at_the_edge_of_time_is_stored_undated(tmp_path):
    edge = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    with open_store(tmp_path / "cache.sqlite3") as store:
        source = store.add_source(Source(SOURCE))
        store.store_listing(source, [Headline("Edge", URL, edge)])
        (row,) = store.ticker_rows()
        _usable_datetime(row.published)


def test_a_refused_write_says_so_in_one_line(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _build(path)
    with open_store(path, read_only=True) as store, pytest.raises(StoreError) as error:
        store.mark_read(URL)
    assert "\n" not in str(error.value)
