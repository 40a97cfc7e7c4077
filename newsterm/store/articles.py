"""Cached articles with their raw pages, and the earlier versions kept when one changed."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable

from newsterm.models import Article
from newsterm.store.blocks_json import encode_blocks
from newsterm.store.connection import StoreConnection
from newsterm.store.errors import StoreError
from newsterm.store.records import (
    ArticleContext,
    FetchState,
    Revision,
    StoredArticle,
    compress,
    decompress,
    iso,
    revision_from_row,
    stored_from_row,
    text,
    url_key,
    writable_epoch,
)
from newsterm.store.sources import read_fetch_state, upsert_fetch_state

# Earlier versions kept per article (the newest ones), besides the version a user saved:
# a page changed on every fetch would otherwise grow without bound.
MAX_REVISIONS = 20


class ArticleRoom(StoreConnection):
    """Articles by URL (or the URL they redirected to), their pages and their revisions."""

    def put_article(
        self,
        article: Article,
        *,
        raw_html: bytes | None = None,
        content_type: str | None = None,
        final_url: str | None = None,
        fetched_at: float | None = None,
    ) -> bool:
        """Store an article with its raw page; if a different version was cached, keep that.

        The raw page is kept (compressed) with the extractor version, so a better extractor
        can redo the article without a refetch. Returns True when an earlier, different
        version was kept as a revision.
        """
        compressed = compress(raw_html)  # outside the lock: other threads need not wait
        fetched_at = writable_epoch(fetched_at) or time.time()
        with self._write() as db:
            return self._put_article(db, article, compressed, content_type, final_url, fetched_at)

    def put_articles(
        self,
        items: Iterable[tuple[Article, bytes | None]],
        *,
        content_type: str | None = "text/html",
        fetched_at: float | None = None,
    ) -> int:
        """Store many (article, raw page) pairs in one transaction; returns how many revised.

        For imports and benchmarks: one commit for the batch instead of one per article.
        """
        fetched_at = writable_epoch(fetched_at) or time.time()
        batch = [(article, compress(raw)) for article, raw in items]
        revised = 0
        with self._write() as db:
            for article, compressed in batch:
                revised += self._put_article(
                    db, article, compressed, content_type, None, fetched_at
                )
        return revised

    def _put_article(
        self,
        db: sqlite3.Connection,
        article: Article,
        compressed: bytes | None,
        content_type: str | None,
        final_url: str | None,
        fetched_at: float,
    ) -> bool:
        blocks = encode_blocks(article.blocks)
        size = (
            len(article.text.encode())
            + len(article.markdown.encode())
            + len(blocks.encode())
            + len(compressed or b"")
        )
        values = {
            "url": article.url,
            "final_url": final_url,
            "fetched_at": fetched_at,
            "size": size,
            "extractor_version": article.extractor_version,
            "method": article.method,
            "content_type": content_type,
            "published": iso(article.published),
            "modified": iso(article.modified),
            "byline": article.byline,
            "site_name": article.site_name,
            "language": article.language,
            "lead_image": article.lead_image,
            "tags": json.dumps(article.tags, ensure_ascii=False),
            "images": json.dumps(article.images, ensure_ascii=False),
            "title": article.title,
            "lead": article.lead,
            "text": article.text,
            "markdown": article.markdown,
            "blocks": blocks or None,
        }
        revised = False
        old = db.execute(
            "SELECT id, title, text FROM articles WHERE url = ?",
            (article.url,),
        ).fetchone()
        if old is None:
            columns = ", ".join(values)
            marks = ", ".join("?" * len(values))
            article_id = db.execute(
                f"INSERT INTO articles ({columns}) VALUES ({marks})", list(values.values())
            ).lastrowid
        else:
            article_id = old["id"]
            change = describe_change(old, article)
            if change:
                revised = True
                # Copied inside SQLite: the old text never round-trips through Python.
                db.execute(
                    "INSERT INTO revisions (article_id, size, fetched_at, replaced_at,"
                    " published, modified, change, title, text, markdown, blocks)"
                    " SELECT id, length(CAST(text AS BLOB)) + length(CAST(markdown AS BLOB))"
                    " + coalesce(length(CAST(blocks AS BLOB)), 0),"
                    " fetched_at, ?, published, modified, ?, title, text, markdown, blocks"
                    " FROM articles WHERE id = ?",
                    (fetched_at, change, article_id),
                )
                trim_revisions(db, article_id)
            assignments = ", ".join(f"{k} = ?" for k in values if k != "url")
            db.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?",
                [v for k, v in values.items() if k != "url"] + [article_id],
            )
        # The page always matches the extracted article beside it, or is absent.
        if compressed is None:
            db.execute("DELETE FROM article_pages WHERE article_id = ?", (article_id,))
        else:
            db.execute(
                "INSERT INTO article_pages (article_id, raw_html) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET raw_html = excluded.raw_html",
                (article_id, compressed),
            )
        return revised

    def get_article(self, url: str, *, with_raw: bool = False) -> StoredArticle | None:
        """A cached article by its URL (or the URL it finally redirected to)."""
        with self._reading() as db:
            return stored_article(db, url, with_raw=with_raw)

    def article_context(self, url: str) -> ArticleContext:
        """All that opening an article needs to know, read from one snapshot of the cache.

        The cached article (or None), the URL's fetch state, and the timezone and summary
        of the newest headline that links to it (None when no source lists it).
        """
        with self._reading() as db:
            stored = stored_article(db, url)
            state = read_fetch_state(db, url)
            listed = db.execute(
                "SELECT s.timezone, h.summary FROM headlines h JOIN sources s"
                " ON s.id = h.source_id WHERE h.url_key = ? AND h.url = ?"
                " ORDER BY h.last_seen DESC LIMIT 1",
                (url_key(url), url),
            ).fetchone()
        return ArticleContext(
            stored,
            state,
            listed["timezone"] if listed else None,
            listed["summary"] if listed else None,
        )

    def record_article(
        self,
        article: Article,
        raw_html: bytes | None,
        *,
        content_type: str | None = None,
        final_url: str | None = None,
        state: FetchState | None = None,
        fetched_at: float | None = None,
    ) -> tuple[StoredArticle, bool]:
        """Store a fetched article, its fetch state and "opened now" in one transaction.

        Returns the article as now cached and whether an earlier, different version was
        kept as a revision. Either all of it is written or none of it.
        """
        compressed = compress(raw_html)
        now = time.time()
        fetched_at = writable_epoch(fetched_at) or now
        with self._write() as db:
            revised = self._put_article(
                db, article, compressed, content_type, final_url, fetched_at
            )
            db.execute("UPDATE articles SET opened_at = ? WHERE url = ?", (now, article.url))
            if state is not None:
                upsert_fetch_state(db, state)
            stored = stored_article(db, article.url)
        if stored is None:  # only if the row vanished inside our own transaction
            raise StoreError(f"not cached: {article.url}")
        return stored, revised

    def touch_article(self, url: str) -> None:
        """Remember that the article was opened (eviction goes oldest-opened first)."""
        with self._write() as db:
            db.execute("UPDATE articles SET opened_at = ? WHERE url = ?", (time.time(), url))

    def revisions(self, url: str) -> list[Revision]:
        """Earlier versions of an article, oldest first."""
        rows = self._read(
            "SELECT r.* FROM revisions r JOIN articles a ON a.id = r.article_id"
            " WHERE a.url = ? ORDER BY r.replaced_at, r.id",
            (url,),
        )
        return [revision_from_row(r) for r in rows]

    def articles_needing_reextract(self, version: int) -> list[str]:
        """URLs of cached articles made by an older extractor that still have their raw page."""
        rows = self._read(
            "SELECT a.url FROM articles a JOIN article_pages p ON p.article_id = a.id"
            " WHERE a.extractor_version < ?",
            (version,),
        )
        return [r[0] for r in rows]

    def cached_urls(self, urls: list[str]) -> set[str]:
        """Which of these article URLs are in the cache."""
        found: set[str] = set()
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0] for r in self._read(f"SELECT url FROM articles WHERE url IN ({marks})", chunk)
            )
        return found


def trim_revisions(db: sqlite3.Connection, article_id: int | None = None) -> int:
    """Keep the newest MAX_REVISIONS revisions of an article (of all when None).

    The version a user saved is kept however old: for a saved article changed since, it
    is the first revision replaced after the save. Returns how many were dropped.
    """
    only = "WHERE article_id = ?" if article_id is not None else ""
    params = [article_id] if article_id is not None else []
    return db.execute(
        "DELETE FROM revisions WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER"
        " (PARTITION BY article_id ORDER BY replaced_at DESC, id DESC) AS newer"
        f" FROM revisions {only}) WHERE newer > ?)"
        " AND id NOT IN (SELECT snapshot FROM (SELECT (SELECT r.id FROM revisions r"
        " WHERE r.article_id = s.article_id AND r.replaced_at >= s.saved_at"
        " ORDER BY r.replaced_at, r.id LIMIT 1) AS snapshot FROM saved s)"
        " WHERE snapshot IS NOT NULL)",
        [*params, MAX_REVISIONS],
    ).rowcount


def describe_change(old: sqlite3.Row, new: Article) -> str:
    """Say what differs between a cached article and a refetched one ('' when nothing)."""
    changes = []
    if text(old["title"]) != new.title:
        changes.append("title")
    if text(old["text"]) != new.text:
        old_paragraphs = set(text(old["text"]).split("\n\n"))
        new_paragraphs = set(new.text.split("\n\n"))
        added = len(new_paragraphs - old_paragraphs)
        removed = len(old_paragraphs - new_paragraphs)
        changes.append(f"text (+{added} −{removed} paragraphs)")
    return ", ".join(changes)


def stored_article(
    db: sqlite3.Connection, url: str, *, with_raw: bool = False
) -> StoredArticle | None:
    """A cached article by its URL, else by the URL it redirected to."""
    row = db.execute(
        "SELECT a.*, s.saved_at,"
        " (SELECT count(*) FROM revisions r WHERE r.article_id = a.id) AS revision_count"
        " FROM articles a LEFT JOIN saved s ON s.article_id = a.id"
        " WHERE a.url = ? OR a.final_url = ? ORDER BY a.url = ? DESC LIMIT 1",
        (url, url, url),
    ).fetchone()
    if row is None:
        return None
    stored = stored_from_row(row)
    if with_raw:
        page = db.execute(
            "SELECT raw_html FROM article_pages WHERE article_id = ?", (row["id"],)
        ).fetchone()
        stored.raw_html = decompress(page[0]) if page else None
    return stored
