"""Saved articles: pinned for good, synced to disk before "saved" is said."""

from __future__ import annotations

import time

from newsterm.store.connection import StoreConnection
from newsterm.store.errors import StoreError
from newsterm.store.records import StoredArticle, stored_from_row, writable_epoch


class SavedRoom(StoreConnection):
    """Pin and unpin articles; list the saved ones (and every cached one, for export)."""

    def set_saved(self, url: str, saved: bool, *, saved_at: float | None = None) -> bool:
        """Pin or unpin a cached article; returns whether it is saved now.

        Saving requires the article to be in the cache. The commit is synced to disk before
        this returns, so a caller may say "saved" as soon as it does.
        """
        with self._write(durable=saved) as db:
            row = db.execute(
                "SELECT id FROM articles WHERE url = ? OR final_url = ? ORDER BY url = ? DESC",
                (url, url, url),
            ).fetchone()
            if row is None:
                if saved:
                    raise StoreError(f"not cached: {url}")
                return False
            if saved:
                db.execute(
                    "INSERT INTO saved (article_id, saved_at) VALUES (?, ?)"
                    " ON CONFLICT (article_id) DO NOTHING",
                    (row["id"], writable_epoch(saved_at) or time.time()),
                )
            else:
                db.execute("DELETE FROM saved WHERE article_id = ?", (row["id"],))
        return saved

    def saved(self) -> list[StoredArticle]:
        """Saved articles, most recently saved first."""
        rows = self._read(
            "SELECT a.*, s.saved_at, (SELECT count(*) FROM revisions r"
            " WHERE r.article_id = a.id) AS revision_count"
            " FROM saved s JOIN articles a ON a.id = s.article_id ORDER BY s.saved_at DESC, a.id"
        )
        return [stored_from_row(r) for r in rows]

    def all_articles(self) -> list[StoredArticle]:
        """Every cached article, newest fetch first (for export)."""
        rows = self._read(
            "SELECT a.*, s.saved_at, (SELECT count(*) FROM revisions r"
            " WHERE r.article_id = a.id) AS revision_count"
            " FROM articles a LEFT JOIN saved s ON s.article_id = a.id ORDER BY a.fetched_at DESC"
        )
        return [stored_from_row(r) for r in rows]

    def is_saved(self, url: str) -> bool:
        """Whether the article at this URL is saved."""
        return bool(
            self._read(
                "SELECT 1 FROM saved s JOIN articles a ON a.id = s.article_id WHERE a.url = ?",
                (url,),
            )
        )
