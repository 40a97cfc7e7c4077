"""What can go wrong in the cache, said in one line, and the transaction steps that guard it."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

# How long a write (or opening the file) keeps retrying while another process holds the
# write lock, on top of SQLite's own busy_timeout waits.
WRITE_WAIT_SECONDS = 30.0

# SQLite's primary result codes (error.sqlite_errorcode & 0xFF).
SQLITE_ERROR = 1
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26


class StoreError(Exception):
    """A cache operation that failed; the message is one line for the user."""


class StoreCorrupt(StoreError):
    """The database file is damaged; the next start checks it and moves it aside if so."""


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_busy(error: sqlite3.Error) -> bool:
    return primary_code(error) in (SQLITE_BUSY, SQLITE_LOCKED)


def is_corrupt(error: sqlite3.Error) -> bool:
    return primary_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def open_error(error: sqlite3.Error, path: Path) -> StoreError:
    code = primary_code(error)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreError(f"the cache {path} stayed locked by another program; try again")
    if code == SQLITE_FULL or (code == SQLITE_IOERR and no_room(path)):
        # A full disk can also show as an I/O error: SQLite cannot make its -shm file.
        return StoreError(f"disk full: cannot open the cache {path}")
    return StoreError(f"cannot open the cache {path}: {error}")


def no_room(path: Path) -> bool:
    """Whether the disk holding `path` is (all but) full."""
    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False


def begin_immediate(db: sqlite3.Connection) -> None:
    """Take the write lock, retrying past busy_timeout while another writer keeps it."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    while True:
        try:
            db.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        quietly(db, "ROLLBACK")


def quietly(db: sqlite3.Connection, sql: str) -> None:
    try:
        db.execute(sql)
    except sqlite3.Error:
        pass  # cleanup after an error: the error being reported is the one that matters
