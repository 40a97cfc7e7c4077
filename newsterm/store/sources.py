"""Sources the user follows and what the cache remembers about fetching each URL."""

from __future__ import annotations

import sqlite3
import time

from newsterm.models import Source
from newsterm.store.connection import StoreConnection
from newsterm.store.records import (
    LATEST_TIME,
    MAX_DEFERRAL_SECONDS,
    FetchState,
    epoch,
    fetch_state_from_row,
    source_from_row,
    writable_epoch,
)


class SourceRoom(StoreConnection):
    """Sources (add, remove, list) and fetch state (validators, last outcome, next try)."""

    def add_source(self, source: Source) -> Source:
        """Add a source (or return the existing one with that URL)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO sources (url, name, timezone, added_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (url) DO NOTHING",
                (source.url, source.name, source.timezone, time.time()),
            )
            row = db.execute("SELECT * FROM sources WHERE url = ?", (source.url,)).fetchone()
        return source_from_row(row)

    def remove_source(self, url: str) -> bool:
        """Remove a source and its headlines (articles and saved copies stay)."""
        with self._write() as db:
            return db.execute("DELETE FROM sources WHERE url = ?", (url,)).rowcount > 0

    def sources(self) -> list[Source]:
        """All sources, in the order they were added."""
        return [source_from_row(r) for r in self._read("SELECT * FROM sources ORDER BY id")]

    def set_source_kind(self, url: str, kind: str) -> None:
        """Remember what a source's URL serves: "page" (a news list) or "feed"."""
        with self._write() as db:
            db.execute("UPDATE sources SET kind = ? WHERE url = ?", (kind, url))

    def source_kinds(self) -> dict[str, str]:
        """Each source's URL and what it serves, for those refreshed since version 4."""
        rows = self._read("SELECT url, kind FROM sources WHERE typeof(kind) = 'text'")
        return {row[0]: row[1] for row in rows if isinstance(row[0], str)}

    def source_count(self) -> int:
        """How many sources there are (0 on a new data dir)."""
        return self._read("SELECT count(*) FROM sources")[0][0]

    def sources_version(self) -> tuple[int, int, int]:
        """A cheap mark that changes when a source is added, removed or renamed (by anyone):
        whoever keeps the list of sources reads it again only when this changes."""
        row = self._read(
            "SELECT count(*), coalesce(max(id), 0), coalesce(sum(length(name)), 0) FROM sources"
        )[0]
        return row[0], row[1], row[2]

    # -- fetch state -----------------------------------------------------------------------

    def fetch_state(self, url: str) -> FetchState:
        """The remembered validators and last outcome for a URL (empty if never fetched)."""
        with self._reading() as db:
            return read_fetch_state(db, url)

    def record_fetch(self, state: FetchState) -> None:
        """Remember the outcome of a fetch."""
        with self._write() as db:
            upsert_fetch_state(db, state)

    def last_success(self, urls: list[str]) -> float | None:
        """When any of these URLs was last fetched successfully."""
        if not urls:
            return None
        marks = ",".join("?" * len(urls))
        # Only times a datetime can hold take part: a poisoned row must not win the max.
        row = self._read(
            f"SELECT max(last_success) FROM fetch_state WHERE url IN ({marks})"
            " AND typeof(last_success) IN ('integer', 'real') AND last_success BETWEEN 0 AND ?",
            [*urls, LATEST_TIME],
        )
        return epoch(row[0][0])


def upsert_fetch_state(db: sqlite3.Connection, state: FetchState) -> None:
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
            writable_epoch(state.last_attempt),
            writable_epoch(state.last_success),
            writable_next_try(state.next_try),
        ),
    )


def writable_next_try(value: float | None) -> float | None:
    """A next try as it may be stored: in range, and at most MAX_DEFERRAL_SECONDS away."""
    value = writable_epoch(value)
    return None if value is None else min(value, time.time() + MAX_DEFERRAL_SECONDS)


def read_fetch_state(db: sqlite3.Connection, url: str) -> FetchState:
    """The fetch state of a URL as stored (empty if never fetched)."""
    row = db.execute("SELECT * FROM fetch_state WHERE url = ?", (url,)).fetchone()
    return fetch_state_from_row(row) if row else FetchState(url)
