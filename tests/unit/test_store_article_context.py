"""Opening an article in one read and keeping a fetched one in one write transaction."""

from __future__ import annotations

import sqlite3

import pytest

from newsterm.models import Article, Headline, Source
from newsterm.store import FetchState, StoreError, open_store

URL = "http://127.0.0.1:9/a/1"


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "cache.sqlite3") as opened:
        yield opened


def _article(title: str = "A title", text: str = "Body one.\n\nBody two.") -> Article:
    return Article(url=URL, title=title, text=text, markdown=text)


def test_context_of_an_unknown_url_is_empty(store):
    context = store.article_context(URL)
    assert context.stored is None and context.timezone is None and context.summary is None
    assert context.state == FetchState(URL)


def test_context_has_the_article_its_fetch_state_and_the_listing_sources_zone(store):
    store.add_source(Source("http://127.0.0.1:9/other", "Other", "Asia/Tokyo"))
    lister = store.add_source(Source("http://127.0.0.1:9/news", "Lister", "America/Lima"))
    store.store_listing(lister, [Headline("One", URL, summary="The summary.")])
    store.put_article(_article(), raw_html=b"<p>page</p>")
    store.record_fetch(FetchState(URL, etag='"v1"', last_status=200))
    context = store.article_context(URL)
    assert context.stored is not None and context.stored.article.title == "A title"
    assert context.state.etag == '"v1"' and context.state.last_status == 200
    assert context.timezone == "America/Lima" and context.summary == "The summary."


def test_context_finds_an_article_by_the_url_it_redirected_to(store):
    store.put_article(_article(), final_url="http://127.0.0.1:9/final/1")
    assert store.article_context("http://127.0.0.1:9/final/1").stored.article.url == URL


def test_record_article_writes_article_state_and_opened_time_together(store, tmp_path):
    state = FetchState(URL, etag='"v2"', last_status=200, last_success=5.0)
    stored, revised = store.record_article(
        _article(), b"<p>page</p>", content_type="text/html", state=state
    )
    assert not revised and stored.article.title == "A title"
    assert store.fetch_state(URL).etag == '"v2"'
    db = sqlite3.connect(tmp_path / "cache.sqlite3")
    opened = db.execute("SELECT opened_at FROM articles WHERE url = ?", (URL,)).fetchone()[0]
    db.close()
    assert opened is not None
    stored, revised = store.record_article(_article(text="Changed."), None, state=state)
    assert revised and stored.revision_count == 1 and stored.article.text == "Changed."


def test_record_article_keeps_nothing_when_the_write_fails(store):
    store.put_article(_article())
    # A trigger that fails the fetch-state write stands in for any failure mid-transaction.
    store._db.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON fetch_state"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(StoreError):
        store.record_article(_article(text="New text."), None, state=FetchState(URL, etag="x"))
    assert store.get_article(URL).article.text == "Body one.\n\nBody two."
    assert store.get_article(URL).revision_count == 0
    assert store.fetch_state(URL).etag is None
