"""One connection to the cache file: opening, WAL, short transactions, errors in one line."""

# Every room of the store (headlines, articles, saved…) is a mixin over this class: they
# share its connection and lock, and write only through `_write`.

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from newsterm.store import errors
from newsterm.store.errors import (
    SQLITE_BUSY,
    SQLITE_CORRUPT,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_LOCKED,
    SQLITE_NOTADB,
    SQLITE_READONLY,
    StoreCorrupt,
    StoreError,
    begin_immediate,
    is_busy,
    is_corrupt,
    no_room,
    open_error,
    primary_code,
    quietly,
    rollback,
)
from newsterm.store.records import url_key
from newsterm.store.schema import SCHEMA_VERSION, migrate

BUSY_TIMEOUT_MS = 10_000
READ_ONLY_MESSAGE = "the cache is read-only: nothing will be kept"
# After a big transaction the WAL file is cut back to this size instead of staying large.
WAL_SIZE_LIMIT = 64 * 1024 * 1024


class StoreConnection:
    """The connection every room shares: opened (moving a damaged file aside), migrated,
    and used through `_write` (one BEGIN IMMEDIATE transaction) and `_read`, under one lock.
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
        self._scratch: Path | None = None
        self._db = self._open()

    def __enter__(self) -> Self:
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
        if not self.read_only and not _writable(self.path):
            self.read_only = True
        if self.read_only:
            return self._open_read_only()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db: sqlite3.Connection | None
        try:
            db = self._connect_waiting()
        except sqlite3.Error as error:
            if not is_corrupt(error):
                raise open_error(error, self.path) from None
            db = None
        if db is not None and self.damage_marker.exists():
            db = self._repair_or_reject(db)
        if db is None:
            self._move_aside()
            try:
                db = self._connect_waiting()
            except sqlite3.Error as error:
                raise open_error(error, self.path) from None
        return db

    def _open_read_only(self) -> sqlite3.Connection:
        """Open a cache that cannot be written: every read works, every write is refused.

        SQLite reads a WAL file through its -shm index, which it must be able to create.
        In a folder that cannot be written, with no -shm left there, a WAL left by a crash
        is read from a private copy of the two files (in the temp folder, removed at close);
        with no WAL, the file is read as `immutable` (no locks, no side files). Damage is
        only reported here: nothing can be moved aside or repaired.
        """
        if not self.path.exists():
            raise StoreError(f"there is no cache at {self.path}, and it cannot be created there")
        wal = self.path.with_name(self.path.name + "-wal")
        try:
            return self._connect_read_only(f"{self.path.resolve().as_uri()}?mode=ro")
        except sqlite3.Error as error:
            if is_corrupt(error):
                raise open_error(error, self.path) from None
        try:
            if wal.exists() and wal.stat().st_size > 0:
                self._scratch = Path(tempfile.mkdtemp(prefix="newsterm-read-only-"))
                copy = self._scratch / self.path.name
                shutil.copyfile(self.path, copy)
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
                return self._connect_read_only(f"{copy.as_uri()}?mode=ro")
            return self._connect_read_only(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1")
        except OSError as error:
            self._drop_scratch()
            raise StoreError(f"cannot read the cache {self.path}: {error.strerror}") from None
        except sqlite3.Error as error:
            self._drop_scratch()
            raise open_error(error, self.path) from None

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _connect_read_only(self, uri: str) -> sqlite3.Connection:
        db = sqlite3.connect(
            uri,
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.row_factory = sqlite3.Row
            db.create_function("url_key", 1, url_key, deterministic=True)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                # A migration would have to write: say what to do instead of guessing.
                newer = (
                    "a newer newsterm; upgrade newsterm"
                    if version > SCHEMA_VERSION
                    else ("an older newsterm; open it once where it can be written")
                )
                raise StoreError(f"the read-only cache {self.path} was written by {newer}")
            db.execute("SELECT count(*) FROM sources").fetchone()
        except BaseException:
            db.close()
            raise
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
            begin_immediate(db)
            for table in ("article_search", "headline_search"):
                db.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
            db.execute("COMMIT")
        except sqlite3.Error as error:
            rollback(db)
            db.close()
            if is_corrupt(error):
                return None
            raise open_error(error, self.path) from None
        self.damage_marker.unlink(missing_ok=True)
        return db

    def _connect_waiting(self) -> sqlite3.Connection:
        """Connect, retrying while another process holds a lock (first WAL switch, migration)."""
        deadline = time.monotonic() + errors.WRITE_WAIT_SECONDS
        while True:
            try:
                return self._connect()
            except sqlite3.OperationalError as error:
                if not is_busy(error) or time.monotonic() > deadline:
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
            db.create_function("url_key", 1, url_key, deterministic=True)
            # Private to this connection: a listing is staged here, then upserted in bulk.
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS incoming (url_key INTEGER, url TEXT,"
                " title TEXT, label TEXT, category TEXT, summary TEXT,"
                " published_offset INTEGER, published_at REAL, muted INTEGER)"
            )
            if migrate(db, self.path):
                self.created = True
            db.execute("PRAGMA foreign_keys = ON")
            # Reading the schema and a table here makes a damaged or cut-off file fail now,
            # while it can still be moved aside, rather than in the middle of the session.
            db.execute("SELECT count(*) FROM sources").fetchone()
        except BaseException:
            db.close()
            raise
        return db

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

    def close(self) -> None:
        """Close the connection (WAL is checkpointed by SQLite when the last one closes)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()
                self._drop_scratch()

    # -- transactions and errors -----------------------------------------------------------

    @contextmanager
    def _write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back on any error, reported as one-line StoreError.

        `durable` syncs the WAL to disk at commit, so the change survives a power cut too.
        """
        if self.read_only:
            raise StoreError(READ_ONLY_MESSAGE)
        with self._lock:
            if self.damaged:
                raise StoreCorrupt(self._damaged_message())
            db = self._db
            if db.in_transaction:
                rollback(db)  # never let a transaction a failed ROLLBACK left open swallow this
            try:
                if durable:
                    db.execute("PRAGMA synchronous = FULL")
                try:
                    begin_immediate(db)
                except sqlite3.Error as error:
                    raise self._error(error, writing=True) from None
                try:
                    yield db
                    db.execute("COMMIT")
                except sqlite3.Error as error:
                    rollback(db)
                    raise self._error(error, writing=True) from None
                except BaseException:
                    rollback(db)
                    raise
            finally:
                if durable:
                    quietly(db, "PRAGMA synchronous = NORMAL")

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same snapshot of the file."""
        with self._lock:
            db = self._db
            if db.in_transaction:
                rollback(db)
            try:
                db.execute("BEGIN")
                yield db
            except sqlite3.Error as error:
                raise self._error(error) from None
            finally:
                rollback(db)  # nothing was written: ending the snapshot is all that is left

    def _read(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as error:
                raise self._error(error) from None

    def _error(self, error: sqlite3.Error, *, writing: bool = False) -> StoreError:
        """Turn an SQLite error into one line for the user; remember damage for next start."""
        code = primary_code(error)
        if code == SQLITE_FULL:
            undone = "; the change was not saved" if writing else ""
            return StoreError(f"disk full: cannot write {self.path}{undone}")
        if code in (SQLITE_BUSY, SQLITE_LOCKED):
            return StoreError(f"cache busy: another newsterm is writing {self.path}; try again")
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            self._mark_damaged(error)
            return StoreCorrupt(self._damaged_message())
        if code == SQLITE_IOERR:
            if no_room(self.path):
                return StoreError(f"disk full: cannot write {self.path}")
            return StoreError(f"disk error on {self.path}: {error}")
        if code == SQLITE_READONLY:
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


def _writable(path: Path) -> bool:
    """Whether the cache file (or, if it is not there yet, its folder) can be written.

    access(2) answers for read-only mounts too, even for root. A folder that does not
    exist yet counts as writable: creating it is tried, and fails in one line if need be.
    """
    folder = path.parent
    if not folder.exists():
        return True
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.R_OK | os.W_OK)
