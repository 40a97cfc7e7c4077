"""Revisions of an article that keeps changing: bounded per article, counted in the budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsterm.models import Article
from newsterm.store import MAX_REVISIONS, open_store
from tests.support.old_cache import cache_at_schema

URL = "http://127.0.0.1:9/a/1"
DAY = 86400.0


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "cache.sqlite3") as opened:
        yield opened


def _version(n: int, size: int = 10) -> Article:
    text = f"Version {n}. " + "word " * size
    return Article(url=URL, title="Updated story", text=text, markdown=text)


def test_an_article_changed_on_every_fetch_keeps_only_the_newest_revisions(store):
    for n in range(MAX_REVISIONS + 15):
        store.put_article(_version(n), fetched_at=1000.0 + n)
    revisions = store.revisions(URL)
    assert len(revisions) == MAX_REVISIONS
    # The newest earlier versions are the ones kept; the current one is the article.
    kept = [int(r.text.split()[1].rstrip(".")) for r in revisions]
    assert kept == list(range(14, MAX_REVISIONS + 14))
    assert store.get_article(URL).article.text.startswith(f"Version {MAX_REVISIONS + 14}.")


def test_the_version_a_user_saved_is_never_trimmed(store):
    store.put_article(_version(0), fetched_at=1000.0)
    store.set_saved(URL, True, saved_at=1500.0)
    for n in range(1, MAX_REVISIONS + 30):
        store.put_article(_version(n), fetched_at=2000.0 + n)
    texts = [r.text for r in store.revisions(URL)]
    assert any(t.startswith("Version 0.") for t in texts)
    assert len(texts) == MAX_REVISIONS + 1


def test_revisions_count_in_the_size_the_cache_reports(store):
    store.put_article(_version(0, size=1000))
    before = store.info()
    for n in range(1, 6):
        store.put_article(_version(n, size=1000))
    after = store.info()
    assert after.revisions == 5
    assert after.revision_bytes >= 5 * 5000
    assert after.article_bytes >= before.article_bytes + after.revision_bytes


def test_the_budget_evicts_an_article_whose_revisions_exceed_it(store):
    for n in range(10):
        store.put_article(_version(n, size=2000), fetched_at=1000.0 + n)
    other = Article(url="http://127.0.0.1:9/a/2", title="Small", text="Small.", markdown="x")
    store.put_article(other, fetched_at=5000.0)
    article_only = store.get_article(URL).article
    one_version = len(article_only.text.encode()) + len(article_only.markdown.encode())
    # Room for the article itself and the small one, not for its nine earlier versions.
    evicted, _ = store.evict(
        article_max_age_days=10**6,
        budget_bytes=one_version * 3,
        headline_max_age_days=10**6,
        now=6000.0,
    )
    assert evicted == 1 and store.get_article(URL) is None
    assert store.info().revisions == 0 and store.get_article(other.url) is not None


def _write_v2_file(path: Path, revisions: int) -> None:
    """A cache as schema version 2 (the current release) wrote it, revisions unbounded."""
    db = cache_at_schema(path, 2)
    db.execute(
        "INSERT INTO articles (id, url, fetched_at, size, extractor_version, method, title,"
        " text, markdown) VALUES (1, ?, 1000, 20, 1, 'readability', 'T', 'Now.', 'Now.')",
        (URL,),
    )
    for n in range(revisions):
        db.execute(
            "INSERT INTO revisions (article_id, title, text, markdown, fetched_at,"
            " replaced_at, change) VALUES (1, 'T', ?, ?, ?, ?, 'text')",
            (f"Old {n}.", f"Old {n}.", 900.0 + n, 901.0 + n),
        )
    db.close()


def test_revisions_of_an_older_cache_are_sized_and_trimmed(tmp_path):
    path = tmp_path / "cache.sqlite3"
    _write_v2_file(path, MAX_REVISIONS + 10)
    with open_store(path) as store:
        expected = sum(2 * len(f"Old {n}.".encode()) for n in range(MAX_REVISIONS + 10))
        assert store.info().revision_bytes == expected
        store.evict(article_max_age_days=10**6, budget_bytes=10**9, headline_max_age_days=10**6)
        texts = [r.text for r in store.revisions(URL)]
        assert len(texts) == MAX_REVISIONS and texts[-1] == f"Old {MAX_REVISIONS + 9}."
