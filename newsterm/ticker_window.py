"""The ticker's window over the headlines: pages by key and jumps, each one indexed query.

The ticker shows headlines newest first (`sort_key DESC, id ASC`, the `headlines_by_time`
index). A window never asks for rows by offset: it pages from the id of a row it holds
(keyset paging), and every jump — oldest end, another day, next unread — is one query that
finds the target row, after which the window is read around it. So a key costs the same at
the millionth row as at the first.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from newsterm.store import TickerRow

if TYPE_CHECKING:
    from newsterm.store import Store

_COLUMNS = (
    "SELECT h.id, h.title, h.url, h.published, h.label, h.source_id, h.first_seen,"
    " h.read_at, s.name AS source_name, s.url AS source_url, a.id AS article_id, sv.saved_at"
    " FROM headlines h JOIN sources s ON s.id = h.source_id"
    " LEFT JOIN articles a ON a.url = h.url"
    " LEFT JOIN saved sv ON sv.article_id = a.id"
)
# The key of a row, read by its id (a primary-key lookup) in the same statement.
_KEY = "(SELECT sort_key FROM headlines WHERE id = ?)"
_NEWEST_FIRST = " ORDER BY h.sort_key DESC, h.id ASC LIMIT ?"
_OLDEST_FIRST = " ORDER BY h.sort_key ASC, h.id DESC LIMIT ?"


def newest(store: Store, source_ids: list[int] | None, limit: int) -> list[TickerRow]:
    """The newest `limit` rows, newest first."""
    where, params = _sources(source_ids)
    return _rows(store, f"{_COLUMNS} WHERE {where}{_NEWEST_FIRST}", [*params, limit])


def oldest(store: Store, source_ids: list[int] | None, limit: int) -> list[TickerRow]:
    """The oldest `limit` rows, newest first (the end `G` goes to)."""
    where, params = _sources(source_ids)
    rows = _rows(store, f"{_COLUMNS} WHERE {where}{_OLDEST_FIRST}", [*params, limit])
    rows.reverse()
    return rows


def older_than(
    store: Store, source_ids: list[int] | None, headline_id: int, limit: int
) -> list[TickerRow]:
    """Up to `limit` rows after the row `headline_id` in the ticker's order (older ones)."""
    where, params = _sources(source_ids)
    sql = (
        f"{_COLUMNS} WHERE {where} AND h.sort_key <= {_KEY}"
        f" AND (h.sort_key < {_KEY} OR h.id > ?){_NEWEST_FIRST}"
    )
    return _rows(store, sql, [*params, headline_id, headline_id, headline_id, limit])


def newer_than(
    store: Store, source_ids: list[int] | None, headline_id: int, limit: int
) -> list[TickerRow]:
    """Up to `limit` rows before the row `headline_id` in the ticker's order, newest first."""
    where, params = _sources(source_ids)
    sql = (
        f"{_COLUMNS} WHERE {where} AND h.sort_key >= {_KEY}"
        f" AND (h.sort_key > {_KEY} OR h.id < ?){_OLDEST_FIRST}"
    )
    rows = _rows(store, sql, [*params, headline_id, headline_id, headline_id, limit])
    rows.reverse()
    return rows


def around(
    store: Store, source_ids: list[int] | None, headline_id: int, before: int, after: int
) -> list[TickerRow]:
    """The row `headline_id` with up to `before` newer and `after` older rows around it."""
    where, params = _sources(source_ids)
    own = _rows(store, f"{_COLUMNS} WHERE {where} AND h.id = ?", [*params, headline_id])
    if not own:
        return []
    return [
        *newer_than(store, source_ids, headline_id, before),
        *own,
        *older_than(store, source_ids, headline_id, after),
    ]


def first_older_than_time(
    store: Store, source_ids: list[int] | None, moment: float
) -> tuple[int, float] | None:
    """(id, sort_key) of the newest row older than `moment` (epoch seconds): `[`'s target."""
    where, params = _sources(source_ids)
    found = store._read(
        f"SELECT h.id, h.sort_key FROM headlines h WHERE {where} AND h.sort_key < ?"
        " ORDER BY h.sort_key DESC, h.id ASC LIMIT 1",
        [*params, moment],
    )
    return (found[0][0], found[0][1]) if found else None


def last_at_or_after_time(
    store: Store, source_ids: list[int] | None, moment: float
) -> tuple[int, float] | None:
    """(id, sort_key) of the oldest row at or after `moment`: the start of the next newer day."""
    where, params = _sources(source_ids)
    found = store._read(
        f"SELECT h.id, h.sort_key FROM headlines h WHERE {where} AND h.sort_key >= ?"
        " ORDER BY h.sort_key ASC, h.id DESC LIMIT 1",
        [*params, moment],
    )
    return (found[0][0], found[0][1]) if found else None


def next_unread(store: Store, source_ids: list[int] | None, headline_id: int) -> int | None:
    """The id of the first unread row after the row `headline_id`, or None."""
    where, params = _sources(source_ids)
    found = store._read(
        f"SELECT h.id FROM headlines h WHERE {where} AND h.read_at IS NULL"
        f" AND h.sort_key <= {_KEY} AND (h.sort_key < {_KEY} OR h.id > ?)"
        " ORDER BY h.sort_key DESC, h.id ASC LIMIT 1",
        [*params, headline_id, headline_id, headline_id],
    )
    return found[0][0] if found else None


def newer_count(store: Store, source_ids: list[int] | None, headline_id: int) -> int:
    """How many rows come before the row `headline_id` (its position, for the scroll bar)."""
    where, params = _sources(source_ids)
    found = store._read(
        f"SELECT count(*) FROM headlines h WHERE {where} AND h.sort_key >= {_KEY}"
        f" AND (h.sort_key > {_KEY} OR h.id < ?)",
        [*params, headline_id, headline_id, headline_id],
    )
    return found[0][0]


def _sources(source_ids: list[int] | None) -> tuple[str, list[int]]:
    """A condition on the headlines' sources (all when None), with its parameters."""
    if source_ids is None:
        return "true", []
    if not source_ids:
        return "false", []
    marks = ",".join("?" * len(source_ids))
    # `+ 0` keeps SQLite on the time index: the per-source index would read every row of
    # those sources and sort them, where walking the time index stops after LIMIT rows.
    return f"h.source_id + 0 IN ({marks})", list(source_ids)


def _rows(store: Store, sql: str, params: list) -> list[TickerRow]:
    return [
        TickerRow(
            id=r["id"],
            title=r["title"] or "",
            url=r["url"] or "",
            published=_time(r["published"]),
            label=r["label"],
            source_id=r["source_id"],
            source_name=r["source_name"] or _host(r["source_url"] or ""),
            first_seen=r["first_seen"] if _finite(r["first_seen"]) else 0.0,
            read=r["read_at"] is not None,
            saved=r["saved_at"] is not None,
            cached=r["article_id"] is not None,
        )
        for r in store._read(sql, params)
    ]


def _time(value: object) -> datetime | None:
    """A stored ISO time, or None for anything that does not read back as an aware one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


class TickerWindow:
    """The queries above for one set of sources: what the ticker widget asks the library."""

    def __init__(self, store: Store, source_ids: list[int] | None) -> None:
        self._store = store
        self._sources = source_ids

    def newest(self, limit: int) -> list[TickerRow]:
        """The newest rows, newest first."""
        return newest(self._store, self._sources, limit)

    def oldest(self, limit: int) -> list[TickerRow]:
        """The oldest rows, newest first."""
        return oldest(self._store, self._sources, limit)

    def older_than(self, headline_id: int, limit: int) -> list[TickerRow]:
        """The rows after a row, in the ticker's order."""
        return older_than(self._store, self._sources, headline_id, limit)

    def newer_than(self, headline_id: int, limit: int) -> list[TickerRow]:
        """The rows before a row, newest first."""
        return newer_than(self._store, self._sources, headline_id, limit)

    def around(self, headline_id: int, before: int, after: int) -> list[TickerRow]:
        """A row with rows before and after it; empty when the row is gone."""
        return around(self._store, self._sources, headline_id, before, after)

    def first_older_than(self, moment: float) -> tuple[int, float] | None:
        """(id, sort key) of the newest row older than an epoch second."""
        return first_older_than_time(self._store, self._sources, moment)

    def first_at_or_after(self, moment: float) -> tuple[int, float] | None:
        """(id, sort key) of the oldest row at or after an epoch second."""
        return last_at_or_after_time(self._store, self._sources, moment)

    def next_unread(self, headline_id: int) -> int | None:
        """The first unread row after a row."""
        return next_unread(self._store, self._sources, headline_id)

    def position(self, headline_id: int) -> int:
        """How many rows come before a row."""
        return newer_count(self._store, self._sources, headline_id)
