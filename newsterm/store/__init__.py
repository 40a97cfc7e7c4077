"""The SQLite cache: sources, headlines, fetch state, articles, saved copies, revisions, search."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import struct
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsterm.models import Article, Headline, Source

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000
# How long a write (or opening the file) keeps retrying while another process holds the
# write lock, on top of SQLite's own busy_timeout waits.
WRITE_WAIT_SECONDS = 30.0
# Search ranks the newest this-many matches of a query: a word found in most articles
# would otherwise cost a bm25 score per matching article (100 ms+ over 100,000 of them).
SEARCH_CANDIDATES = 2000
# Words of a query beyond this are dropped: an AND of more words finds nothing anyway.
MAX_QUERY_WORDS = 32
# After a big transaction the WAL file is cut back to this size instead of staying large.
WAL_SIZE_LIMIT = 64 * 1024 * 1024
# Markers around matched words in search snippets. Control characters can never occur in
# stored text (sanitize.clean_text removes them), so they cannot be confused with content.
MATCH_START = "\x02"
MATCH_END = "\x03"

# SQLite's primary result codes (error.sqlite_errorcode & 0xFF).
_SQLITE_ERROR = 1
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_NOTADB = 26

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
    # Version 2: the raw page moves to its own table and the articles' small columns come
    # first, so reading sizes, dates or metadata no longer walks the overflow pages of the
    # text; indexes for eviction and redirect lookups; prefix indexes and a title-weighted
    # rank for search; search triggers that skip updates which change no indexed text.
    2: """
    CREATE TABLE articles_v2 (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        final_url TEXT,
        fetched_at REAL NOT NULL,
        opened_at REAL,
        size INTEGER NOT NULL,
        extractor_version INTEGER NOT NULL,
        method TEXT NOT NULL,
        content_type TEXT,
        published TEXT,
        modified TEXT,
        byline TEXT,
        site_name TEXT,
        language TEXT,
        lead_image TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        images TEXT NOT NULL DEFAULT '[]',
        title TEXT NOT NULL,
        lead TEXT,
        text TEXT NOT NULL,
        markdown TEXT NOT NULL
    );
    INSERT INTO articles_v2 (id, url, final_url, fetched_at, opened_at, size,
        extractor_version, method, content_type, published, modified, byline, site_name,
        language, lead_image, tags, images, title, lead, text, markdown)
    SELECT id, url, final_url, fetched_at, opened_at, size, extractor_version, method,
        content_type, published, modified, byline, site_name, language, lead_image, tags,
        images, title, lead, text, markdown
    FROM articles;
    CREATE TABLE article_pages (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        raw_html BLOB NOT NULL
    );
    INSERT INTO article_pages (article_id, raw_html)
    SELECT id, raw_html FROM articles WHERE raw_html IS NOT NULL;
    DROP TRIGGER articles_ai;
    DROP TRIGGER articles_ad;
    DROP TRIGGER articles_au;
    DROP TABLE article_search;
    DROP TABLE articles;
    ALTER TABLE articles_v2 RENAME TO articles;
    CREATE INDEX articles_by_final_url ON articles (final_url) WHERE final_url IS NOT NULL;
    CREATE INDEX articles_by_age ON articles (coalesce(opened_at, fetched_at), size);
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    );
    INSERT INTO article_search (article_search, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
    INSERT INTO article_search (article_search) VALUES ('rebuild');
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO article_search (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO article_search (article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles
    WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
        INSERT INTO article_search (article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO article_search (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    DROP TRIGGER headlines_ai;
    DROP TRIGGER headlines_ad;
    DROP TRIGGER headlines_au;
    DROP TABLE headline_search;
    CREATE VIRTUAL TABLE headline_search USING fts5(
        title, content='headlines', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    );
    INSERT INTO headline_search (headline_search) VALUES ('rebuild');
    CREATE TRIGGER headlines_ai AFTER INSERT ON headlines BEGIN
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER headlines_ad AFTER DELETE ON headlines BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER headlines_au AFTER UPDATE OF title ON headlines
    WHEN old.title IS NOT new.title BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE INDEX headlines_by_last_seen ON headlines (last_seen);
    """,
}


class StoreError(Exception):
    """A cache operation that failed; the message is one line for the user."""


class StoreCorrupt(StoreError):
    """The database file is damaged; the next start checks it and moves it aside if so."""


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
    """The one SQLite file; every method is a short transaction, safe to share between threads.

    Several processes may use the same file at once: WAL lets readers run beside the one
    writer, and every write takes the write lock up front (BEGIN IMMEDIATE), waiting and
    retrying while another process holds it.
    """

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        self.moved_aside: Path | None = None
        """Where a damaged cache file found at open was moved to, if one was."""
        self.salvaged = 0
        """How many saved articles were copied over from the moved-aside file."""
        self.damaged = False
        """True once a query found the file damaged; writes are refused from then on."""
        self.created = False
        """True when this open created the schema: a first run (or a replaced damaged file)."""
        self._pending_salvage: Path | None = None
        self._closed = False
        self._db = self._open()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def _in_memory(self) -> bool:
        return str(self.path) == ":memory:"

    @property
    def damage_marker(self) -> Path:
        """The file that tells the next start to check (and if need be replace) the cache."""
        return self.path.with_name(self.path.name + ".damaged")

    # -- opening, migrations and corruption -----------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self._in_memory:
            return self._connect_waiting()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db: sqlite3.Connection | None
        try:
            db = self._connect_waiting()
        except sqlite3.Error as error:
            if not _is_corrupt(error):
                raise _open_error(error, self.path) from None
            db = None
        if db is not None and self.damage_marker.exists():
            db = self._repair_or_reject(db)
        if db is None:
            self._move_aside()
            try:
                db = self._connect_waiting()
            except sqlite3.Error as error:
                raise _open_error(error, self.path) from None
        return db

    def _repair_or_reject(self, db: sqlite3.Connection) -> sqlite3.Connection | None:
        """Act on a damage report left by an earlier run: rebuild what can be, else give up.

        Damage inside the search indexes is repaired by rebuilding them from the articles;
        damage SQLite's quick_check finds in the tables themselves means the file goes aside.
        """
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
            if len(rows) != 1 or rows[0][0] != "ok":
                db.close()
                return None
            _begin_immediate(db)
            for table in ("article_search", "headline_search"):
                db.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
            db.execute("COMMIT")
        except sqlite3.Error as error:
            _rollback(db)
            db.close()
            if _is_corrupt(error):
                return None
            raise _open_error(error, self.path) from None
        self.damage_marker.unlink(missing_ok=True)
        return db

    def _connect_waiting(self) -> sqlite3.Connection:
        """Connect, retrying while another process holds a lock (first WAL switch, migration)."""
        deadline = time.monotonic() + WRITE_WAIT_SECONDS
        while True:
            try:
                return self._connect()
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE), so a writer
        # takes the write lock up front and waits on busy_timeout instead of failing late.
        db = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal" and not self._in_memory:
                raise StoreError(f"cannot use a WAL journal for {self.path} (got {mode})")
            # NORMAL in WAL mode: a commit survives a crash of the process (not always a
            # power cut); saving an article asks for FULL (see set_saved).
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
            db.row_factory = sqlite3.Row
            # Private to this connection: a listing is staged here, then upserted in bulk.
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS incoming (url TEXT, title TEXT, label TEXT,"
                " category TEXT, summary TEXT, published TEXT, published_at REAL)"
            )
            self._migrate(db)
            db.execute("PRAGMA foreign_keys = ON")
            # Reading the schema and a table here makes a damaged or cut-off file fail now,
            # while it can still be moved aside, rather than in the middle of the session.
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
        if version == SCHEMA_VERSION:
            return
        # Rebuilding a table that others reference needs foreign keys off (SQLite's own
        # procedure for schema changes); foreign_key_check proves nothing was left dangling.
        db.execute("PRAGMA foreign_keys = OFF")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            _begin_immediate(db)
            try:
                # Another instance may have migrated while we waited for the lock.
                if db.execute("PRAGMA user_version").fetchone()[0] >= target:
                    db.execute("ROLLBACK")
                    continue
                for statement in _statements(_MIGRATIONS[target]):
                    db.execute(statement)
                if target == 1:
                    self.created = True
                if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise StoreError(f"migrating {self.path} to schema {target} broke a reference")
                db.execute(f"PRAGMA user_version = {target}")
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise

    def _move_aside(self) -> None:
        """Rename a damaged file out of the way (with its WAL), for salvage after reopening."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        try:
            # Written first, so a start that dies before the salvage is done (or cannot
            # create the fresh file) leaves word for the next start to finish it.
            self.salvage_marker.write_text(aside.name + "\n", encoding="utf-8")
        except OSError:
            pass  # a full disk: the damaged file is still moved aside, only not resumed
        try:
            # The WAL goes first: if we die between renames, a WAL left beside the fresh
            # file would be replayed into it; a damaged file left alone is just retried.
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.rename(aside.with_name(aside.name + suffix))
            self.path.rename(aside)
        except OSError as error:
            raise StoreError(
                f"the cache file {self.path} is damaged and cannot be moved aside: {error.strerror}"
            ) from None
        self.damage_marker.unlink(missing_ok=True)
        self.moved_aside = aside
        self._pending_salvage = aside

    @property
    def salvage_marker(self) -> Path:
        """The file naming a moved-aside file whose saved articles are still to be copied."""
        return self.path.with_name(self.path.name + ".salvage")

    def finish_open(self) -> None:
        """Salvage from a file moved aside at open (done after the fresh schema exists).

        Also finishes a salvage that an earlier start began but did not complete.
        """
        if self._pending_salvage is None and not self._in_memory:
            try:
                name = self.salvage_marker.read_text(encoding="utf-8").strip()
            except OSError:
                name = ""
            if name and "/" not in name and self.path.with_name(name).exists():
                self._pending_salvage = self.moved_aside = self.path.with_name(name)
        aside = self._pending_salvage
        if aside is not None:
            self._pending_salvage = None
            self.salvaged = self._salvage_from(aside)
        if not self._in_memory:
            self.salvage_marker.unlink(missing_ok=True)

    def _salvage_from(self, aside: Path) -> int:
        """Copy the sources and saved articles that SQLite can still read from `aside`."""
        copied = 0
        try:
            with _readable(aside) as old:
                for row in _rows_or_empty(old, "SELECT url, name, timezone FROM sources"):
                    try:
                        self.add_source(Source(row["url"], row["name"], row["timezone"]))
                    except (StoreError, IndexError, TypeError):
                        continue
                pages = _rows_or_empty(
                    old, "SELECT 1 FROM sqlite_master WHERE name = 'article_pages'"
                )
                for saved in _rows_or_empty(old, "SELECT article_id, saved_at FROM saved"):
                    if self._salvage_one(old, saved[0], saved[1], bool(pages)):
                        copied += 1
        except (sqlite3.Error, OSError):
            pass  # whatever was copied before the damage stopped us is kept
        return copied

    def _salvage_one(
        self, old: sqlite3.Connection, article_id: int, saved_at: float, v2: bool
    ) -> bool:
        try:
            row = old.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return False
            article = _article_from_row(row)
            fetched_at, final_url, content_type = (
                row["fetched_at"],
                row["final_url"],
                row["content_type"],
            )
        except (sqlite3.Error, IndexError, TypeError, ValueError):
            return False
        raw: bytes | None = None
        try:
            if v2:
                page = old.execute(
                    "SELECT raw_html FROM article_pages WHERE article_id = ?", (article_id,)
                ).fetchone()
                raw = _decompress(page[0]) if page else None
            else:
                raw = _decompress(row["raw_html"])
        except (sqlite3.Error, IndexError):
            raw = None  # the article itself is worth keeping without its page
        try:
            with self._write(durable=True) as db:
                self._put_article(
                    db, article, _compress(raw), content_type, final_url, float(fetched_at)
                )
                db.execute(
                    "INSERT INTO saved (article_id, saved_at)"
                    " SELECT id, ? FROM articles WHERE url = ? ON CONFLICT DO NOTHING",
                    (saved_at if saved_at is not None else time.time(), article.url),
                )
        except StoreError:
            return False
        return True

    def close(self) -> None:
        """Close the connection (WAL is checkpointed by SQLite when the last one closes)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    # -- transactions and errors -----------------------------------------------------------

    @contextmanager
    def _write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back on any error, reported as one-line StoreError.

        `durable` syncs the WAL to disk at commit, so the change survives a power cut too.
        """
        if self.read_only:
            raise StoreError("the cache is open read-only")
        with self._lock:
            if self.damaged:
                raise StoreCorrupt(self._damaged_message())
            db = self._db
            if db.in_transaction:
                _rollback(db)  # never let a transaction a failed ROLLBACK left open swallow this
            try:
                if durable:
                    db.execute("PRAGMA synchronous = FULL")
                try:
                    _begin_immediate(db)
                except sqlite3.Error as error:
                    raise self._error(error, writing=True) from None
                try:
                    yield db
                    db.execute("COMMIT")
                except sqlite3.Error as error:
                    _rollback(db)
                    raise self._error(error, writing=True) from None
                except BaseException:
                    _rollback(db)
                    raise
            finally:
                if durable:
                    _quietly(db, "PRAGMA synchronous = NORMAL")

    def _read(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as error:
                raise self._error(error) from None

    def _error(self, error: sqlite3.Error, *, writing: bool = False) -> StoreError:
        """Turn an SQLite error into one line for the user; remember damage for next start."""
        code = _primary_code(error)
        if code == _SQLITE_FULL:
            undone = "; the change was not saved" if writing else ""
            return StoreError(f"disk full: cannot write {self.path}{undone}")
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return StoreError(f"cache busy: another newsterm is writing {self.path}; try again")
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            self._mark_damaged(error)
            return StoreCorrupt(self._damaged_message())
        if code == _SQLITE_IOERR:
            if _no_room(self.path):
                return StoreError(f"disk full: cannot write {self.path}")
            return StoreError(f"disk error on {self.path}: {error}")
        if code == _SQLITE_READONLY:
            return StoreError(f"cannot write {self.path}: the file or disk is read-only")
        return StoreError(f"cache error: {error}")

    def _mark_damaged(self, error: sqlite3.Error) -> None:
        # Moving the file aside now could pull it from under another running newsterm;
        # the marker makes the next start check it and move it aside if it is still bad.
        self.damaged = True
        if self._in_memory:
            return
        try:
            self.damage_marker.write_text(f"{time.time():.0f} {error}\n", encoding="utf-8")
        except OSError:
            pass  # a full or read-only disk: the next query that fails will try again

    def _damaged_message(self) -> str:
        return (
            f"the cache file {self.path} is damaged; restart newsterm to repair it"
            " (saved articles are recovered)"
        )

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
        """Upsert a listing's headlines and its fetch state in one transaction.

        Nothing is ever deleted here: a headline seen again keeps its row (and first_seen),
        one that dropped off the site stays, and a failed write changes nothing.
        """
        if source.id is None:
            raise ValueError("source must be stored first")
        now = time.time() if now is None else now
        rows = [
            (
                h.url,
                h.title,
                h.label,
                h.category,
                h.summary,
                h.published.isoformat() if h.published else None,
                h.published.timestamp() if h.published else None,
            )
            for h in headlines
        ]
        with self._write() as db:
            # Set-based: one INSERT and one UPDATE for the whole listing. Row by row, every
            # statement would make the search index flush a segment of its own (FTS5 does
            # at each statement savepoint), ten times the cost for a long listing.
            db.execute("DELETE FROM temp.incoming")
            db.executemany(
                "INSERT INTO temp.incoming (url, title, label, category, summary, published,"
                " published_at) VALUES (?,?,?,?,?,?,?)",
                rows,
            )
            # rowcount, unlike total_changes, leaves out the search index's trigger writes.
            new = db.execute(
                "INSERT INTO headlines (source_id, url, title, label, category, summary,"
                " published, sort_key, first_seen, last_seen)"
                " SELECT ?, url, title, label, category, summary, published,"
                " coalesce(published_at, ?), ?, ? FROM temp.incoming WHERE true ORDER BY rowid"
                " ON CONFLICT (source_id, url) DO NOTHING",
                (source.id, now, now, now),
            ).rowcount
            # A headline seen again: keep its first_seen, refresh what the site now says.
            # `last_seen < now` skips the rows inserted just above.
            db.execute(
                "UPDATE headlines SET title = i.title, label = i.label,"
                " category = coalesce(i.category, headlines.category),"
                " summary = coalesce(i.summary, headlines.summary),"
                " published = coalesce(i.published, headlines.published),"
                " sort_key = coalesce(i.published_at, headlines.sort_key), last_seen = ?"
                " FROM temp.incoming AS i"
                " WHERE headlines.source_id = ? AND headlines.url = i.url"
                " AND headlines.last_seen < ?",
                (now, source.id, now),
            )
            db.execute("DELETE FROM temp.incoming")
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
        where, params = _source_filter(source_ids, newest_first=True)
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
        where, params = _source_filter(source_ids, newest_first=True)
        rows = self._read(
            "SELECT h.*, s.url AS source_url FROM headlines h JOIN sources s ON s.id = h.source_id"
            f" {where} ORDER BY h.sort_key DESC, h.id LIMIT ?",
            [*params, limit],
        )
        return [_headline_from_row(r) for r in rows]

    def headline(self, url: str) -> Headline | None:
        """The newest stored headline for an article URL."""
        rows = self._read(
            "SELECT h.*, s.url AS source_url FROM headlines h JOIN sources s ON s.id = h.source_id"
            " WHERE h.url = ? ORDER BY h.last_seen DESC LIMIT 1",
            (url,),
        )
        return _headline_from_row(rows[0]) if rows else None

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
        """Store an article with its raw page; if a different version was cached, keep that.

        The raw page is kept (compressed) with the extractor version, so a better extractor
        can redo the article without a refetch. Returns True when an earlier, different
        version was kept as a revision.
        """
        compressed = _compress(raw_html)  # outside the lock: other threads need not wait
        fetched_at = time.time() if fetched_at is None else fetched_at
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
        fetched_at = time.time() if fetched_at is None else fetched_at
        batch = [(article, _compress(raw)) for article, raw in items]
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
        size = len(article.text.encode()) + len(article.markdown.encode()) + len(compressed or b"")
        values = {
            "url": article.url,
            "final_url": final_url,
            "fetched_at": fetched_at,
            "size": size,
            "extractor_version": article.extractor_version,
            "method": article.method,
            "content_type": content_type,
            "published": _iso(article.published),
            "modified": _iso(article.modified),
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
        }
        revised = False
        old = db.execute(
            "SELECT id, title, text, markdown, published, modified, fetched_at"
            " FROM articles WHERE url = ?",
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
            change = _describe_change(old, article)
            if change:
                revised = True
                db.execute(
                    "INSERT INTO revisions (article_id, title, text, markdown, published,"
                    " modified, fetched_at, replaced_at, change) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        article_id,
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
            page = self._read(
                "SELECT raw_html FROM article_pages WHERE article_id = ?", (rows[0]["id"],)
            )
            stored.raw_html = _decompress(page[0][0]) if page else None
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

    # -- saved -----------------------------------------------------------------------------

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

        The user's words are quoted for FTS5, so no input is a syntax error. Whole words are
        tried first; when they find fewer than `limit`, the last word also matches as a
        prefix, so results appear while typing. (Prefix matching merges the index entries
        of every word that starts so: skipping it when whole words suffice keeps a common
        word's search fast.) Scores are bm25 with the title weighted five times the text,
        over the newest SEARCH_CANDIDATES matches.
        """
        exact = fts_query(query, prefix=False)
        typing = fts_query(query)
        if not exact or limit <= 0:
            return []
        with self._lock:
            try:
                hits = self._search_articles(exact, limit)
                if len(hits) < limit and typing != exact:
                    hits = self._search_articles(typing, limit)
                if len(hits) < limit:
                    seen = {hit.url for hit in hits}
                    more = self._search_headlines(exact, limit - len(hits), set(seen))
                    if len(more) < limit - len(hits) and typing != exact:
                        more = self._search_headlines(typing, limit - len(hits), set(seen))
                    hits += more
            except sqlite3.Error as error:
                if _primary_code(error) == _SQLITE_ERROR and "fts5" in str(error):
                    return []  # a query FTS5 cannot parse finds nothing; it is not a failure
                raise self._error(error) from None
        return hits

    def _search_articles(self, match: str, limit: int) -> list[SearchHit]:
        ranked = _best_matches(self._db, "article_search", match, limit)
        if not ranked:
            return []
        ids = [rowid for rowid, _ in ranked]
        snippets = _marked_text(
            self._db,
            "article_search",
            "snippet(article_search, 1, ?, ?, '…', 16)",
            match,
            ids,
        )
        marks = ",".join("?" * len(ids))
        rows = {
            r["id"]: r
            for r in self._db.execute(
                f"SELECT id, url, title, published FROM articles WHERE id IN ({marks})", ids
            )
        }
        return [
            SearchHit(
                rows[rowid]["url"],
                rows[rowid]["title"],
                snippets.get(rowid) or "",
                _parse_time(rows[rowid]["published"]),
                True,
                score,
            )
            for rowid, score in ranked
            if rowid in rows
        ]

    def _search_headlines(self, match: str, limit: int, seen: set[str]) -> list[SearchHit]:
        # Several sources may list the same article: rank more rows than needed, then keep
        # the best row per URL.
        ranked = _best_matches(self._db, "headline_search", match, (limit + len(seen)) * 3)
        if not ranked:
            return []
        ids = [rowid for rowid, _ in ranked]
        titles = _marked_text(
            self._db, "headline_search", "highlight(headline_search, 0, ?, ?)", match, ids
        )
        marks = ",".join("?" * len(ids))
        rows = {
            r["id"]: r
            for r in self._db.execute(
                f"SELECT id, url, title, published FROM headlines WHERE id IN ({marks})", ids
            )
        }
        hits: list[SearchHit] = []
        for rowid, score in ranked:
            row = rows.get(rowid)
            if row is None or row["url"] in seen:
                continue
            seen.add(row["url"])
            hits.append(
                SearchHit(
                    row["url"],
                    row["title"],
                    titles.get(rowid) or row["title"],
                    _parse_time(row["published"]),
                    False,
                    score,
                )
            )
            if len(hits) == limit:
                break
        cached = self.cached_urls([hit.url for hit in hits])
        for hit in hits:
            hit.cached = hit.url in cached
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
            total = db.execute("SELECT coalesce(sum(size), 0) FROM articles").fetchone()[0]
            if total > budget_bytes:
                doomed = []
                for row in db.execute(
                    f"SELECT id, size FROM articles WHERE {unsaved}"
                    " ORDER BY coalesce(opened_at, fetched_at), id"
                ):
                    if total <= budget_bytes:
                        break
                    doomed.append(row["id"])
                    total -= row["size"]
                # A few statements for many rows: row by row, each statement would make
                # the search index flush a segment of its own.
                for start in range(0, len(doomed), 500):
                    chunk = doomed[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    db.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
                evicted += len(doomed)
            dropped = db.execute(
                # CROSS JOIN: start from the few saved rows, not from every article.
                "DELETE FROM headlines WHERE last_seen < ? AND url NOT IN"
                " (SELECT a.url FROM saved s CROSS JOIN articles a ON a.id = s.article_id)",
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
            if not self._in_memory and p.exists()
        )
        return CacheInfo(self.path, file_bytes, *row)

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
                if _primary_code(error) is not None and not _is_corrupt(error):
                    raise self._error(error) from None
                self._mark_damaged(error)  # the next start repairs it or moves it aside
                return False
        return True


def open_store(path: Path | str, *, read_only: bool = False) -> Store:
    """Open (creating, migrating or repairing) the cache file.

    A file SQLite cannot read is renamed to `<name>.corrupt-<timestamp>` (see
    `Store.moved_aside`), a fresh one is created, and the saved articles SQLite can still
    read from the old one are copied over (`Store.salvaged`).
    """
    store = Store(path, read_only=read_only)
    store.finish_open()
    return store


def fts_query(query: str, *, prefix: bool = True) -> str:
    """Turn what a user typed into a safe FTS5 query: every word quoted, the last a prefix.

    Only letters and digits survive, so operators, quotes and column filters in the input
    are plain words or nothing. With `prefix`, the last word is a prefix if the input ends
    with it and it has two letters or more (one letter would match most of the index).
    """
    typed = _WORD.findall(query)
    words = list(dict.fromkeys(word.lower() for word in typed))[:MAX_QUERY_WORDS]
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    trailing = _TRAILING_WORD.search(query)
    if prefix and trailing and len(trailing.group()) >= 2 and trailing.group().lower() == words[-1]:
        quoted[-1] += "*"
    return " ".join(quoted)


_WORD = re.compile(r"[^\W_]+")
_TRAILING_WORD = re.compile(r"[^\W_]+\Z")


# -- search pieces ---------------------------------------------------------------------------


def _best_matches(
    db: sqlite3.Connection, table: str, match: str, limit: int
) -> list[tuple[int, float]]:
    """The best-ranked rows of a match among its newest SEARCH_CANDIDATES, as (rowid, score).

    Walking the match newest first and stopping early bounds the work however common the
    words are; the bm25 sort of those few thousand happens here, not in SQLite's sorter.
    """
    rows = db.execute(
        f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
        (match, SEARCH_CANDIDATES),
    ).fetchall()
    rows.sort(key=lambda row: (row[1], -row[0]))
    return [(row[0], row[1]) for row in rows[:limit]]


def _marked_text(
    db: sqlite3.Connection, table: str, function: str, match: str, ids: list[int]
) -> dict[int, str]:
    """Snippets (or highlights) for just these rows of a match.

    Auxiliary functions only work inside the MATCH query. The CASE keeps SQLite from
    building a snippet for the other matching rows in the rowid range, and one range scan
    costs far less than one MATCH per row.
    """
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT rowid, CASE WHEN rowid IN ({marks}) THEN {function} END FROM {table}"
        f" WHERE {table} MATCH ? AND rowid BETWEEN ? AND ?",
        (*ids, MATCH_START, MATCH_END, match, min(ids), max(ids)),
    )
    return {row[0]: row[1] for row in rows if row[1] is not None}


# -- row conversions and small pieces -------------------------------------------------------


def _statements(script: str) -> list[str]:
    """Split a migration into statements (triggers hold `;` inside BEGIN … END)."""
    statements: list[str] = []
    current = ""
    for line in script.strip().splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
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


def _source_filter(
    source_ids: list[int] | None, *, newest_first: bool = False
) -> tuple[str, list[int]]:
    """A WHERE clause for headlines of these sources (all when None)."""
    if source_ids is None:
        return "", []
    if not source_ids:
        return "WHERE 0", []
    if len(source_ids) == 1:
        return "WHERE h.source_id = ?", list(source_ids)
    marks = ",".join("?" * len(source_ids))
    if newest_first:
        # `+ 0` keeps SQLite off the per-source index, which would read every headline of
        # those sources and sort them; walking the time index stops after LIMIT rows.
        return f"WHERE h.source_id + 0 IN ({marks})", list(source_ids)
    return f"WHERE h.source_id IN ({marks})", list(source_ids)


def _source_from_row(row: sqlite3.Row) -> Source:
    return Source(url=row["url"], name=row["name"], timezone=row["timezone"], id=row["id"])


def _headline_from_row(row: sqlite3.Row) -> Headline:
    return Headline(
        title=row["title"],
        url=row["url"],
        published=_parse_time(row["published"]),
        label=row["label"],
        category=row["category"],
        summary=row["summary"],
        source=row["source_url"],
    )


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


def _compress(raw: bytes | None) -> bytes | None:
    return zlib.compress(raw, 6) if raw else None


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


# -- damaged files ----------------------------------------------------------------------------


@contextmanager
def _readable(aside: Path) -> Iterator[sqlite3.Connection]:
    """Open a moved-aside file for reading whatever is left in it, without changing it.

    A file with its WAL, or cut short, is read from a copy: the WAL has to be replayed, and
    a cut-off file is padded back to the size its header states, since SQLite calls every
    table of a short file malformed while the pages that survived read normally once padded.
    """
    wal = aside.with_name(aside.name + "-wal")
    if not wal.exists() and not _looks_truncated(aside):
        # immutable: no locks, no -wal/-shm files created beside a damaged file.
        db = sqlite3.connect(f"{aside.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        db.row_factory = sqlite3.Row
        try:
            yield db
        finally:
            db.close()
        return
    with tempfile.TemporaryDirectory(prefix=".salvage-", dir=aside.parent) as folder:
        copy = Path(folder) / "salvage.sqlite3"
        shutil.copyfile(aside, copy)
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        _pad_to_header_size(copy)
        db = sqlite3.connect(copy)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA query_only = ON")
            yield db
        finally:
            db.close()


def _rows_or_empty(db: sqlite3.Connection, sql: str) -> list[sqlite3.Row]:
    """The rows of a query on a damaged file, or none if the damage is in the way."""
    try:
        return db.execute(sql).fetchall()
    except sqlite3.Error:
        return []


def _header_size(header: bytes) -> int | None:
    """The file size a database header states (page size × page count), if it is a header."""
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    return page_size * struct.unpack(">I", header[28:32])[0]


def _looks_truncated(path: Path) -> bool:
    """Whether a database file is shorter than its header says."""
    try:
        with path.open("rb") as handle:
            expected = _header_size(handle.read(100))
        return expected is not None and path.stat().st_size < expected
    except OSError:
        return False


def _pad_to_header_size(path: Path) -> None:
    with path.open("r+b") as handle:
        expected = _header_size(handle.read(100))
        size = handle.seek(0, 2)
        if expected is not None and size < expected:
            handle.truncate(expected)  # sparse zeros: cheap even for a large file


# -- errors and transactions ---------------------------------------------------------------


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _is_busy(error: sqlite3.Error) -> bool:
    return _primary_code(error) in (_SQLITE_BUSY, _SQLITE_LOCKED)


def _is_corrupt(error: sqlite3.Error) -> bool:
    return _primary_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _open_error(error: sqlite3.Error, path: Path) -> StoreError:
    code = _primary_code(error)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreError(f"the cache {path} stayed locked by another program; try again")
    if code == _SQLITE_FULL or (code == _SQLITE_IOERR and _no_room(path)):
        # A full disk can also show as an I/O error: SQLite cannot make its -shm file.
        return StoreError(f"disk full: cannot open the cache {path}")
    return StoreError(f"cannot open the cache {path}: {error}")


def _no_room(path: Path) -> bool:
    """Whether the disk holding `path` is (all but) full."""
    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False


def _begin_immediate(db: sqlite3.Connection) -> None:
    """Take the write lock, retrying past busy_timeout while another writer keeps it."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    while True:
        try:
            db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        _quietly(db, "ROLLBACK")


def _quietly(db: sqlite3.Connection, sql: str) -> None:
    try:
        db.execute(sql)
    except sqlite3.Error:
        pass  # cleanup after an error: the error being reported is the one that matters
