"""The SQLite cache: sources, headlines, fetch state, articles, saved copies, revisions, search."""

from __future__ import annotations

import json
import re
import sqlite3
import struct
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsterm.models import Article, Headline, Source

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
# Markers around matched words in search snippets. Control characters can never occur in
# stored text (sanitize.clean_text removes them), so they cannot be confused with content.
MATCH_START = "\x02"
MATCH_END = "\x03"

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        timezone TEXT NOT NULL DEFAULT 'Europe/Kyiv',
        added_at REAL NOT NULL
    );
    CREATE TABLE fetch_state (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,
        last_error TEXT,
        last_attempt REAL,
        last_success REAL,
        next_try REAL
    );
    CREATE TABLE headlines (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        label TEXT,
        category TEXT,
        summary TEXT,
        published TEXT,
        sort_key REAL NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        read_at REAL,
        UNIQUE (source_id, url)
    );
    CREATE INDEX headlines_by_time ON headlines (sort_key DESC, id);
    CREATE INDEX headlines_by_source_time ON headlines (source_id, sort_key DESC, id);
    CREATE INDEX headlines_by_url ON headlines (url);
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        final_url TEXT,
        title TEXT NOT NULL,
        byline TEXT,
        published TEXT,
        modified TEXT,
        lead TEXT,
        text TEXT NOT NULL,
        markdown TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        lead_image TEXT,
        images TEXT NOT NULL DEFAULT '[]',
        site_name TEXT,
        language TEXT,
        method TEXT NOT NULL,
        extractor_version INTEGER NOT NULL,
        raw_html BLOB,
        content_type TEXT,
        fetched_at REAL NOT NULL,
        opened_at REAL,
        size INTEGER NOT NULL
    );
    CREATE INDEX articles_by_fetch ON articles (fetched_at);
    CREATE TABLE saved (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE RESTRICT,
        saved_at REAL NOT NULL
    );
    CREATE TABLE revisions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        markdown TEXT NOT NULL,
        published TEXT,
        modified TEXT,
        fetched_at REAL NOT NULL,
        replaced_at REAL NOT NULL,
        change TEXT NOT NULL
    );
    CREATE INDEX revisions_by_article ON revisions (article_id, replaced_at);
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE VIRTUAL TABLE headline_search USING fts5(
        title, content='headlines', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER headlines_ai AFTER INSERT ON headlines BEGIN
        INSERT INTO headline_search(rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER headlines_ad AFTER DELETE ON headlines BEGIN
        INSERT INTO headline_search(headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER headlines_au AFTER UPDATE OF title ON headlines BEGIN
        INSERT INTO headline_search(headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO headline_search(rowid, title) VALUES (new.id, new.title);
    END;
    """,
}


class StoreError(Exception):
    """A cache operation that failed; the message is one line for the user."""


class StoreCorrupt(StoreError):
    """The database file is damaged."""


@dataclass(slots=True)
class FetchState:
    """What the cache remembers about the last fetch of one URL."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_attempt: float | None = None
    last_success: float | None = None
    next_try: float | None = None


@dataclass(slots=True)
class TickerRow:
    """A headline as the ticker shows it, with its read and saved state."""

    id: int
    title: str
    url: str
    published: datetime | None
    label: str | None
    source_id: int
    source_name: str
    first_seen: float
    read: bool
    saved: bool
    cached: bool


@dataclass(slots=True)
class StoredArticle:
    """An article from the cache with where and when it came from."""

    article: Article
    fetched_at: float
    final_url: str | None
    saved_at: float | None
    revision_count: int
    raw_html: bytes | None = None
    content_type: str | None = None

    @property
    def saved(self) -> bool:
        """Whether the article is pinned for good."""
        return self.saved_at is not None


@dataclass(slots=True)
class Revision:
    """An earlier version of an article, kept when a refetch found it changed."""

    title: str
    text: str
    markdown: str
    published: datetime | None
    modified: datetime | None
    fetched_at: float
    replaced_at: float
    change: str


@dataclass(slots=True)
class SearchHit:
    """One search result: an article (cached) or a headline (only the title is known)."""

    url: str
    title: str
    snippet: str
    published: datetime | None
    cached: bool
    score: float


@dataclass(slots=True)
class CacheInfo:
    """Counts and sizes for `newsterm cache info`."""

    path: Path
    file_bytes: int
    sources: int
    headlines: int
    articles: int
    saved: int
    revisions: int
    article_bytes: int


@dataclass(slots=True)
class RefreshCounts:
    """What one listing's upsert changed."""

    new: int
    seen: int


class Store:
    """The one SQLite file; every method is a short transaction, safe to share between threads."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        self.moved_aside: Path | None = None
        self.salvaged = 0
        self._db = self._open()

    # -- opening, migrations and corruption -----------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and _looks_truncated(self.path):
                self._move_aside_and_salvage()
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if _is_busy(error):
                raise StoreError(f"cache is locked by another process: {self.path}") from None
            if _is_full(error):
                raise StoreError(f"disk full: cannot write {self.path}") from None
            self._move_aside_and_salvage()
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE), so a writer
        # takes the write lock up front and waits on busy_timeout instead of failing late.
        db = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal" and str(self.path) != ":memory:":
                raise sqlite3.DatabaseError(f"cannot use WAL journal ({mode})")
            db.execute("PRAGMA synchronous = NORMAL")
            db.row_factory = sqlite3.Row
            self._migrate(db)
            db.execute("SELECT count(*) FROM sources").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer newsterm (schema {version}); upgrade newsterm"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            db.execute("BEGIN IMMEDIATE")
            try:
                # Another instance may have migrated while we waited for the lock.
                if db.execute("PRAGMA user_version").fetchone()[0] >= target:
                    db.execute("ROLLBACK")
                    continue
                for statement in _split_sql(_MIGRATIONS[target]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _move_aside_and_salvage(self) -> None:
        """Rename a damaged file out of the way, then copy what saved articles it still yields."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))
        self.moved_aside = aside
        self._pending_salvage = aside

    def _salvage_from(self, aside: Path) -> int:
        """Copy saved articles (and the sources) that SQLite can still read from `aside`."""
        readable = aside
        if _looks_truncated(aside) and _has_sqlite_header(aside):
            # SQLite calls every table of a cut-off file malformed; padded back to the size
            # its header states, the pages that survived read normally again.
            readable = aside.with_name(aside.name + ".salvage")
            _write_padded_copy(aside, readable)
        try:
            # immutable: read without locks or creating -wal/-shm files beside a damaged copy.
            old = sqlite3.connect(f"file:{readable}?mode=ro&immutable=1", uri=True)
            old.row_factory = sqlite3.Row
        except sqlite3.Error:
            if readable != aside:
                readable.unlink(missing_ok=True)
            return 0
        copied = 0
        try:
            try:
                sources = old.execute("SELECT url, name, timezone FROM sources").fetchall()
            except sqlite3.Error:
                sources = []
            for row in sources:
                self.add_source(Source(row["url"], row["name"], row["timezone"]))
            try:
                ids = [r[0] for r in old.execute("SELECT article_id FROM saved").fetchall()]
            except sqlite3.Error:
                ids = []
            for article_id in ids:
                try:
                    row = old.execute(
                        "SELECT a.*, s.saved_at FROM articles a JOIN saved s ON s.article_id = a.id"
                        " WHERE a.id = ?",
                        (article_id,),
                    ).fetchone()
                except sqlite3.Error:
                    continue
                if row is None:
                    continue
                article = _article_from_row(row)
                raw = _decompress(row["raw_html"])
                self.put_article(article, raw_html=raw, content_type=row["content_type"])
                self.set_saved(article.url, True, saved_at=row["saved_at"])
                copied += 1
        finally:
            old.close()
            if readable != aside:
                readable.unlink(missing_ok=True)
        return copied

    def finish_open(self) -> None:
        """Salvage from a file moved aside at open (done after the fresh schema exists)."""
        aside = getattr(self, "_pending_salvage", None)
        if aside is not None:
            self._pending_salvage = None
            self.salvaged = self._salvage_from(aside)

    def close(self) -> None:
        """Close the connection (WAL is checkpointed by SQLite when the last one closes)."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back on any error, disk full reported in one line."""
        if self.read_only:
            raise StoreError("the cache is open read-only")
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise _store_error(error, self.path) from None
            try:
                yield db
                db.execute("COMMIT")
            except sqlite3.Error as error:
                _rollback(db)
                raise _store_error(error, self.path) from None
            except BaseException:
                _rollback(db)
                raise

    def _read(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as error:
                raise _store_error(error, self.path) from None

    # -- sources ----------------------------------------------------------------------------

    def add_source(self, source: Source) -> Source:
        """Add a source (or return the existing one with that URL)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO sources (url, name, timezone, added_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (url) DO NOTHING",
                (source.url, source.name, source.timezone, time.time()),
            )
            row = db.execute("SELECT * FROM sources WHERE url = ?", (source.url,)).fetchone()
        return _source_from_row(row)

    def remove_source(self, url: str) -> bool:
        """Remove a source and its headlines (articles and saved copies stay)."""
        with self._write() as db:
            return db.execute("DELETE FROM sources WHERE url = ?", (url,)).rowcount > 0

    def sources(self) -> list[Source]:
        """All sources, in the order they were added."""
        return [_source_from_row(r) for r in self._read("SELECT * FROM sources ORDER BY id")]

    def source_count(self) -> int:
        """How many sources there are (0 on a new data dir)."""
        return self._read("SELECT count(*) FROM sources")[0][0]

    # -- fetch state -----------------------------------------------------------------------

    def fetch_state(self, url: str) -> FetchState:
        """The remembered validators and last outcome for a URL (empty if never fetched)."""
        rows = self._read("SELECT * FROM fetch_state WHERE url = ?", (url,))
        return FetchState(**dict(rows[0])) if rows else FetchState(url)

    def record_fetch(self, state: FetchState) -> None:
        """Remember the outcome of a fetch."""
        with self._write() as db:
            _upsert_fetch_state(db, state)

    # -- headlines -------------------------------------------------------------------------

    def store_listing(
        self,
        source: Source,
        headlines: list[Headline],
        state: FetchState | None = None,
        now: float | None = None,
    ) -> RefreshCounts:
        """Upsert a listing's headlines in one transaction; nothing is ever deleted here."""
        if source.id is None:
            raise ValueError("source must be stored first")
        now = time.time() if now is None else now
        rows = [
            (
                source.id,
                h.url,
                h.title,
                h.label,
                h.category,
                h.summary,
                h.published.isoformat() if h.published else None,
                h.published.timestamp() if h.published else now,
                now,
                now,
            )
            for h in headlines
        ]
        with self._write() as db:
            # rowcount, unlike total_changes, leaves out the search index's trigger writes.
            new = db.executemany(
                "INSERT INTO headlines (source_id, url, title, label, category, summary,"
                " published, sort_key, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (source_id, url) DO NOTHING",
                rows,
            ).rowcount
            # A headline seen again: keep its first_seen, refresh what the site now says.
            db.executemany(
                "UPDATE headlines SET title = ?, label = ?, category = coalesce(?, category),"
                " summary = coalesce(?, summary), published = coalesce(?, published),"
                " sort_key = CASE WHEN ? IS NULL THEN sort_key ELSE ? END, last_seen = ?"
                " WHERE source_id = ? AND url = ? AND last_seen < ?",
                [(r[2], r[3], r[4], r[5], r[6], r[6], r[7], now, r[0], r[1], now) for r in rows],
            )
            if state is not None:
                _upsert_fetch_state(db, state)
        return RefreshCounts(new=new, seen=len(rows) - new)

    def headline_count(self, source_ids: list[int] | None = None) -> int:
        """How many headlines the ticker has for these sources (all when None)."""
        where, params = _source_filter(source_ids)
        return self._read(f"SELECT count(*) FROM headlines h {where}", params)[0][0]

    def ticker_rows(
        self, source_ids: list[int] | None = None, offset: int = 0, limit: int = 200
    ) -> list[TickerRow]:
        """A window of the ticker, newest first: only the rows asked for are read."""
        where, params = _source_filter(source_ids)
        rows = self._read(
            "SELECT h.id, h.title, h.url, h.published, h.label, h.source_id, h.first_seen,"
            " h.read_at, s.name AS source_name, s.url AS source_url,"
            " a.id AS article_id, sv.saved_at"
            " FROM headlines h JOIN sources s ON s.id = h.source_id"
            " LEFT JOIN articles a ON a.url = h.url"
            " LEFT JOIN saved sv ON sv.article_id = a.id"
            f" {where} ORDER BY h.sort_key DESC, h.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [
            TickerRow(
                id=r["id"],
                title=r["title"],
                url=r["url"],
                published=_parse_time(r["published"]),
                label=r["label"],
                source_id=r["source_id"],
                source_name=r["source_name"] or _host(r["source_url"]),
                first_seen=r["first_seen"],
                read=r["read_at"] is not None,
                saved=r["saved_at"] is not None,
                cached=r["article_id"] is not None,
            )
            for r in rows
        ]

    def headlines(self, source_ids: list[int] | None = None, limit: int = 200) -> list[Headline]:
        """The newest headlines as Headline objects (for the CLI and export)."""
        where, params = _source_filter(source_ids)
        rows = self._read(
            "SELECT h.*, s.url AS source_url FROM headlines h JOIN sources s ON s.id = h.source_id"
            f" {where} ORDER BY h.sort_key DESC, h.id LIMIT ?",
            [*params, limit],
        )
        return [
            Headline(
                title=r["title"],
                url=r["url"],
                published=_parse_time(r["published"]),
                label=r["label"],
                category=r["category"],
                summary=r["summary"],
                source=r["source_url"],
            )
            for r in rows
        ]

    def headline(self, url: str) -> Headline | None:
        """The newest stored headline for an article URL."""
        rows = self._read(
            "SELECT h.*, s.url AS source_url FROM headlines h JOIN sources s ON s.id = h.source_id"
            " WHERE h.url = ? ORDER BY h.last_seen DESC LIMIT 1",
            (url,),
        )
        if not rows:
            return None
        r = rows[0]
        return Headline(
            r["title"],
            r["url"],
            _parse_time(r["published"]),
            r["label"],
            r["category"],
            r["summary"],
            r["source_url"],
        )

    def mark_read(self, url: str, read: bool = True) -> None:
        """Mark every headline for this article read (or unread)."""
        with self._write() as db:
            db.execute(
                "UPDATE headlines SET read_at = ? WHERE url = ?",
                (time.time() if read else None, url),
            )

    def last_success(self, urls: list[str]) -> float | None:
        """When any of these URLs was last fetched successfully."""
        if not urls:
            return None
        marks = ",".join("?" * len(urls))
        row = self._read(f"SELECT max(last_success) FROM fetch_state WHERE url IN ({marks})", urls)
        return row[0][0]

    # -- articles --------------------------------------------------------------------------

    def put_article(
        self,
        article: Article,
        *,
        raw_html: bytes | None = None,
        content_type: str | None = None,
        final_url: str | None = None,
        fetched_at: float | None = None,
    ) -> bool:
        """Store an article; if a different version was cached, keep it as a revision.

        Returns True when an earlier, different version was kept as a revision.
        """
        fetched_at = time.time() if fetched_at is None else fetched_at
        compressed = zlib.compress(raw_html, 6) if raw_html else None
        size = len(article.text) + len(article.markdown) + len(compressed or b"")
        values = {
            "url": article.url,
            "final_url": final_url,
            "title": article.title,
            "byline": article.byline,
            "published": _iso(article.published),
            "modified": _iso(article.modified),
            "lead": article.lead,
            "text": article.text,
            "markdown": article.markdown,
            "tags": json.dumps(article.tags, ensure_ascii=False),
            "lead_image": article.lead_image,
            "images": json.dumps(article.images, ensure_ascii=False),
            "site_name": article.site_name,
            "language": article.language,
            "method": article.method,
            "extractor_version": article.extractor_version,
            "raw_html": compressed,
            "content_type": content_type,
            "fetched_at": fetched_at,
            "size": size,
        }
        revised = False
        with self._write() as db:
            old = db.execute("SELECT * FROM articles WHERE url = ?", (article.url,)).fetchone()
            if old is None:
                columns = ", ".join(values)
                marks = ", ".join("?" * len(values))
                db.execute(
                    f"INSERT INTO articles ({columns}) VALUES ({marks})", list(values.values())
                )
            else:
                change = _describe_change(old, article)
                if change:
                    revised = True
                    db.execute(
                        "INSERT INTO revisions (article_id, title, text, markdown, published,"
                        " modified, fetched_at, replaced_at, change) VALUES (?,?,?,?,?,?,?,?,?)",
                        (
                            old["id"],
                            old["title"],
                            old["text"],
                            old["markdown"],
                            old["published"],
                            old["modified"],
                            old["fetched_at"],
                            fetched_at,
                            change,
                        ),
                    )
                assignments = ", ".join(f"{k} = ?" for k in values if k != "url")
                db.execute(
                    f"UPDATE articles SET {assignments} WHERE id = ?",
                    [v for k, v in values.items() if k != "url"] + [old["id"]],
                )
        return revised

    def get_article(self, url: str, *, with_raw: bool = False) -> StoredArticle | None:
        """A cached article by its URL (or the URL it finally redirected to)."""
        rows = self._read(
            "SELECT a.*, s.saved_at,"
            " (SELECT count(*) FROM revisions r WHERE r.article_id = a.id) AS revision_count"
            " FROM articles a LEFT JOIN saved s ON s.article_id = a.id"
            " WHERE a.url = ? OR a.final_url = ? ORDER BY a.url = ? DESC LIMIT 1",
            (url, url, url),
        )
        if not rows:
            return None
        stored = _stored_from_row(rows[0])
        if with_raw:
            stored.raw_html = _decompress(rows[0]["raw_html"])
        return stored

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
        return [
            Revision(
                r["title"],
                r["text"],
                r["markdown"],
                _parse_time(r["published"]),
                _parse_time(r["modified"]),
                r["fetched_at"],
                r["replaced_at"],
                r["change"],
            )
            for r in rows
        ]

    def articles_needing_reextract(self, version: int) -> list[str]:
        """URLs of cached articles made by an older extractor that still have their raw page."""
        rows = self._read(
            "SELECT url FROM articles WHERE extractor_version < ? AND raw_html IS NOT NULL",
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

    # -- saved -----------------------------------------------------------------------------

    def set_saved(self, url: str, saved: bool, *, saved_at: float | None = None) -> bool:
        """Pin or unpin a cached article; returns whether it is saved now.

        Saving requires the article to be in the cache; the commit happens before return,
        so a caller may say "saved" as soon as this returns.
        """
        with self._write() as db:
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
                    (row["id"], time.time() if saved_at is None else saved_at),
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
        return [_stored_from_row(r) for r in rows]

    def all_articles(self) -> list[StoredArticle]:
        """Every cached article, newest fetch first (for export)."""
        rows = self._read(
            "SELECT a.*, s.saved_at, (SELECT count(*) FROM revisions r"
            " WHERE r.article_id = a.id) AS revision_count"
            " FROM articles a LEFT JOIN saved s ON s.article_id = a.id ORDER BY a.fetched_at DESC"
        )
        return [_stored_from_row(r) for r in rows]

    def is_saved(self, url: str) -> bool:
        """Whether the article at this URL is saved."""
        return bool(
            self._read(
                "SELECT 1 FROM saved s JOIN articles a ON a.id = s.article_id WHERE a.url = ?",
                (url,),
            )
        )

    # -- search ----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over cached articles, then headlines not cached, best first.

        The user's words are quoted for FTS5, so no input is a syntax error; the last
        word matches as a prefix, so results appear while typing.
        """
        match = fts_query(query)
        if not match:
            return []
        articles = self._read(
            "SELECT a.url, a.title, a.published,"
            f" snippet(article_search, 1, '{MATCH_START}', '{MATCH_END}', '…', 16) AS snippet,"
            " bm25(article_search, 5.0, 1.0) AS score"
            " FROM article_search JOIN articles a ON a.id = article_search.rowid"
            " WHERE article_search MATCH ? ORDER BY score LIMIT ?",
            (match, limit),
        )
        hits = [
            SearchHit(
                r["url"], r["title"], r["snippet"], _parse_time(r["published"]), True, r["score"]
            )
            for r in articles
        ]
        if len(hits) < limit:
            seen = {hit.url for hit in hits}
            headlines = self._read(
                "SELECT h.url, h.title, h.published,"
                f" highlight(headline_search, 0, '{MATCH_START}', '{MATCH_END}') AS snippet,"
                " bm25(headline_search) AS score"
                " FROM headline_search JOIN headlines h ON h.id = headline_search.rowid"
                " WHERE headline_search MATCH ? ORDER BY score LIMIT ?",
                (match, limit * 2),
            )
            for r in headlines:
                if r["url"] not in seen and len(hits) < limit:
                    seen.add(r["url"])
                    hits.append(
                        SearchHit(
                            r["url"],
                            r["title"],
                            r["snippet"],
                            _parse_time(r["published"]),
                            False,
                            r["score"],
                        )
                    )
        return hits

    # -- retention -------------------------------------------------------------------------

    def evict(
        self,
        *,
        article_max_age_days: float,
        budget_bytes: int,
        headline_max_age_days: float,
        now: float | None = None,
    ) -> tuple[int, int]:
        """Drop unsaved articles past their age or beyond the size budget, and old headlines.

        Saved articles are never candidates (and the schema refuses to delete them).
        Returns (articles evicted, headlines dropped).
        """
        now = time.time() if now is None else now
        article_cutoff = now - article_max_age_days * 86400
        headline_cutoff = now - headline_max_age_days * 86400
        unsaved = "id NOT IN (SELECT article_id FROM saved)"
        with self._write() as db:
            evicted = db.execute(
                f"DELETE FROM articles WHERE {unsaved} AND coalesce(opened_at, fetched_at) < ?",
                (article_cutoff,),
            ).rowcount
            total = db.execute("SELECT coalesce(sum(size), 0) FROM articles").fetchone()[0]
            if total > budget_bytes:
                doomed = []
                for row in db.execute(
                    f"SELECT id, size FROM articles WHERE {unsaved}"
                    " ORDER BY coalesce(opened_at, fetched_at), id"
                ):
                    if total <= budget_bytes:
                        break
                    doomed.append((row["id"],))
                    total -= row["size"]
                db.executemany("DELETE FROM articles WHERE id = ?", doomed)
                evicted += len(doomed)
            dropped = db.execute(
                "DELETE FROM headlines WHERE last_seen < ? AND url NOT IN"
                " (SELECT a.url FROM articles a JOIN saved s ON s.article_id = a.id)",
                (headline_cutoff,),
            ).rowcount
        return evicted, dropped

    def info(self) -> CacheInfo:
        """Counts and sizes of what the cache holds."""
        row = self._read(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM headlines),"
            " (SELECT count(*) FROM articles), (SELECT count(*) FROM saved),"
            " (SELECT count(*) FROM revisions), (SELECT coalesce(sum(size), 0) FROM articles)"
        )[0]
        file_bytes = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"))
            if str(self.path) != ":memory:" and p.exists()
        )
        return CacheInfo(self.path, file_bytes, *row)

    def vacuum(self) -> None:
        """Compact the file (checkpoint the WAL, then VACUUM)."""
        with self._lock:
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._db.execute("VACUUM")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as error:
                raise _store_error(error, self.path) from None

    def integrity_ok(self) -> bool:
        """Whether SQLite's integrity_check finds nothing wrong."""
        rows = self._read("PRAGMA integrity_check")
        return len(rows) == 1 and rows[0][0] == "ok"


def open_store(path: Path | str, *, read_only: bool = False) -> Store:
    """Open (creating, migrating or repairing) the cache file."""
    store = Store(path, read_only=read_only)
    store.finish_open()
    return store


def fts_query(query: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word quoted, the last a prefix."""
    words = re.findall(r"\w+", query)[:32]
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


# -- row conversions and small pieces -------------------------------------------------------


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (triggers hold `;` inside BEGIN … END)."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and (
            not joined.upper().startswith("CREATE TRIGGER") or joined.upper().endswith("END;")
        ):
            statements.append(joined)
            current = []
    if "".join(current).strip():
        statements.append("\n".join(current))
    return statements


def _upsert_fetch_state(db: sqlite3.Connection, state: FetchState) -> None:
    db.execute(
        "INSERT INTO fetch_state (url, etag, last_modified, last_status, last_error,"
        " last_attempt, last_success, next_try) VALUES (?,?,?,?,?,?,?,?)"
        " ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
        " last_modified = excluded.last_modified, last_status = excluded.last_status,"
        " last_error = excluded.last_error, last_attempt = excluded.last_attempt,"
        " last_success = coalesce(excluded.last_success, fetch_state.last_success),"
        " next_try = excluded.next_try",
        (
            state.url,
            state.etag,
            state.last_modified,
            state.last_status,
            state.last_error,
            state.last_attempt,
            state.last_success,
            state.next_try,
        ),
    )


def _source_filter(source_ids: list[int] | None) -> tuple[str, list[int]]:
    if source_ids is None:
        return "", []
    if not source_ids:
        return "WHERE 0", []
    return f"WHERE h.source_id IN ({','.join('?' * len(source_ids))})", list(source_ids)


def _source_from_row(row: sqlite3.Row) -> Source:
    return Source(url=row["url"], name=row["name"], timezone=row["timezone"], id=row["id"])


def _article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        url=row["url"],
        title=row["title"],
        text=row["text"],
        markdown=row["markdown"],
        byline=row["byline"],
        published=_parse_time(row["published"]),
        modified=_parse_time(row["modified"]),
        lead=row["lead"],
        tags=_json_list(row["tags"]),
        lead_image=row["lead_image"],
        images=_json_list(row["images"]),
        site_name=row["site_name"],
        language=row["language"],
        method=row["method"],
        extractor_version=row["extractor_version"],
    )


def _stored_from_row(row: sqlite3.Row) -> StoredArticle:
    return StoredArticle(
        article=_article_from_row(row),
        fetched_at=row["fetched_at"],
        final_url=row["final_url"],
        saved_at=row["saved_at"],
        revision_count=row["revision_count"],
        content_type=row["content_type"],
    )


def _describe_change(old: sqlite3.Row, new: Article) -> str:
    """Say what differs between a cached article and a refetched one ('' when nothing)."""
    changes = []
    if old["title"] != new.title:
        changes.append("title")
    if old["text"] != new.text:
        old_paragraphs = set(old["text"].split("\n\n"))
        new_paragraphs = set(new.text.split("\n\n"))
        added = len(new_paragraphs - old_paragraphs)
        removed = len(old_paragraphs - new_paragraphs)
        changes.append(f"text (+{added} −{removed} paragraphs)")
    return ", ".join(changes)


def _json_list(value: str | None) -> list[str]:
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(item) for item in data] if isinstance(data, list) else []


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _decompress(blob: bytes | None) -> bytes | None:
    if not blob:
        return None
    try:
        return zlib.decompress(blob)
    except zlib.error:
        return None


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url


def _looks_truncated(path: Path) -> bool:
    """Whether the file is shorter than its header says: a cheap check for a cut-off copy."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if size == 0:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return True
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", header[28:32])[0]
    return pages > 0 and size < pages * page_size


def _has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def _write_padded_copy(source: Path, target: Path) -> None:
    """Copy a truncated database, padding it with zeros to the page count in its header."""
    data = source.read_bytes()
    page_size = struct.unpack(">H", data[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", data[28:32])[0]
    target.write_bytes(data + b"\0" * max(0, pages * page_size - len(data)))


def _is_busy(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _is_full(error: sqlite3.Error) -> bool:
    return "full" in str(error)


def _store_error(error: sqlite3.Error, path: Path) -> StoreError:
    if _is_full(error):
        return StoreError(f"disk full: could not write to {path}; nothing was changed")
    if _is_busy(error):
        return StoreError(f"cache busy: another newsterm is writing {path}; try again")
    if isinstance(error, sqlite3.DatabaseError) and "malformed" in str(error):
        return StoreCorrupt(f"cache file is damaged: {path}")
    return StoreError(f"cache error: {error}")


def _rollback(db: sqlite3.Connection) -> None:
    try:
        db.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the transaction may already be gone (SQLite rolls back on some errors)
