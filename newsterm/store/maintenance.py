"""Keeping the cache in bounds and in health: eviction, counts, vacuum, integrity checks."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from newsterm.store.articles import trim_revisions
from newsterm.store.connection import StoreConnection
from newsterm.store.errors import is_corrupt, primary_code
from newsterm.store.headlines import FIRST_SEEN_SLACK
from newsterm.store.records import CacheInfo

# What the cache budget counts: articles (text, markdown, compressed page) and revisions.
# CAST: a size an older release or a hand edit left as text counts as its number, or 0.
_TOTAL_BYTES = (
    "SELECT (SELECT coalesce(sum(CAST(size AS INTEGER)), 0) FROM articles)"
    " + (SELECT coalesce(sum(CAST(size AS INTEGER)), 0) FROM revisions)"
)


class MaintenanceRoom(StoreConnection):
    """Evict by age and budget, report sizes, compact the file, check it is sound."""

    def evict(
        self,
        *,
        article_max_age_days: float,
        budget_bytes: int,
        headline_max_age_days: float,
        now: float | None = None,
    ) -> tuple[int, int]:
        """Drop unsaved articles past their age or beyond the size budget, and old headlines.

        Age counts from the last time an article was opened (else fetched); the budget
        evicts oldest first. Saved articles are never candidates (and the schema refuses to
        delete them); headlines of saved articles stay too. Returns (articles evicted,
        headlines dropped).
        """
        now = time.time() if now is None else now
        article_cutoff = now - article_max_age_days * 86400
        headline_cutoff = now - headline_max_age_days * 86400
        unsaved = "id NOT IN (SELECT article_id FROM saved)"
        with self._write() as db:
            evicted = db.execute(
                f"DELETE FROM articles WHERE coalesce(opened_at, fetched_at) < ? AND {unsaved}",
                (article_cutoff,),
            ).rowcount
            trim_revisions(db)  # caches from before the cap may hold more
            total = db.execute(_TOTAL_BYTES).fetchone()[0]
            if total > budget_bytes:
                doomed = []
                # An article weighs its own size plus its revisions' (they go with it).
                for row in db.execute(
                    "SELECT id, CAST(size AS INTEGER) + (SELECT coalesce(sum(r.size), 0)"
                    " FROM revisions r WHERE r.article_id = articles.id) AS weight"
                    f" FROM articles WHERE {unsaved}"
                    " ORDER BY coalesce(opened_at, fetched_at), id"
                ):
                    if total <= budget_bytes:
                        break
                    doomed.append(row["id"])
                    total -= row["weight"]
                # A few statements for many rows: row by row, each statement would make
                # the search index flush a segment of its own.
                for start in range(0, len(doomed), 500):
                    chunk = doomed[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    db.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
                evicted += len(doomed)
            # A row last seen before the cutoff was first seen before it too: it lies below
            # the first id first seen after it (FIRST_SEEN_SLACK), so only the old rows are
            # read, from the start of the table, with no index of times. (NOT INDEXED: when
            # many rows share a time, SQLite may prefer skipping through the time index.)
            # A first_seen in the future (a refresh while the clock ran ahead) or not a number
            # (a hand edit) cannot be that first id: it would stay oldest by id for good and
            # keep every row after it. Skipping it only ever narrows the delete below.
            newer = db.execute(
                "SELECT coalesce((SELECT id FROM headlines WHERE first_seen >= ?"
                " AND first_seen <= ? AND typeof(first_seen) IN ('integer', 'real')"
                " ORDER BY id LIMIT 1), (SELECT max(id) + 1 FROM headlines), 0)",
                (headline_cutoff + FIRST_SEEN_SLACK, now + FIRST_SEEN_SLACK),
            ).fetchone()[0]
            dropped = db.execute(
                # CROSS JOIN: start from the few saved rows, not from every article.
                "DELETE FROM headlines NOT INDEXED WHERE id < ? AND last_seen < ? AND url NOT IN"
                " (SELECT a.url FROM saved s CROSS JOIN articles a ON a.id = s.article_id)",
                (newer, headline_cutoff),
            ).rowcount
        return evicted, dropped

    def info(self) -> CacheInfo:
        """Counts and sizes of what the cache holds; article bytes include revisions."""
        row = self._read(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM headlines),"
            " (SELECT count(*) FROM articles), (SELECT count(*) FROM saved),"
            " (SELECT count(*) FROM revisions), (SELECT coalesce(sum(size), 0) FROM revisions)"
        )[0]
        total = self._read(_TOTAL_BYTES)[0][0]
        file_bytes = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"))
            if not self._in_memory and p.exists()
        )
        return CacheInfo(
            self.path,
            file_bytes,
            sources=row[0],
            headlines=row[1],
            articles=row[2],
            saved=row[3],
            revisions=row[4],
            article_bytes=total,
            revision_bytes=row[5],
        )

    def vacuum(self) -> None:
        """Compact the file: merge the search indexes, checkpoint the WAL, then VACUUM."""
        with self._write() as db:
            # One segment per index instead of many: smaller, and faster to search.
            for table in ("article_search", "headline_search"):
                db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        with self._lock:
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._db.execute("VACUUM")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as error:
                raise self._error(error, writing=True) from None

    def integrity_ok(self) -> bool:
        """Whether SQLite's integrity_check and both search indexes' own checks find no fault."""
        with self._lock:
            try:
                rows = self._db.execute("PRAGMA integrity_check").fetchall()
                if len(rows) != 1 or rows[0][0] != "ok":
                    raise sqlite3.DatabaseError("; ".join(str(row[0]) for row in rows[:3]))
                for table in ("article_search", "headline_search"):
                    self._db.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as error:
                if primary_code(error) is not None and not is_corrupt(error):
                    raise self._error(error) from None
                self._mark_damaged(error)  # the next start repairs it or moves it aside
                return False
        return True
