"""The ticker as a window over a million headlines: keyset pages and one-query jumps."""

# Every query here walks an index in the ticker's order (sort_key DESC, id ASC) from a
# key and stops after LIMIT rows: its cost does not grow with how deep the key is.
# Keys are (sort_key, id) pairs (TickerRow.key). Day boundaries are epochs the caller
# computes in its display zone; SQL never reasons about zones.

from __future__ import annotations

from collections.abc import Iterator

from newsterm.models import Headline
from newsterm.store.connection import StoreConnection
from newsterm.store.headlines import source_filter
from newsterm.store.records import TickerRow, headline_from_row, host, text, ticker_row_from_row

Key = tuple[float, int]

# How many rows a position is counted over exactly; beyond, it is estimated from times.
EXACT_POSITION_LIMIT = 10_000
# Rows read per query while streaming every headline.
STREAM_BATCH = 1000

_COLUMNS = (
    "SELECT h.id, h.title, h.url, h.published, h.label, h.source_id, h.first_seen,"
    " h.sort_key, h.read_at, CASE WHEN h.story >= 0 THEN h.story END AS story, h.muted,"
    " s.name AS source_name, s.url AS source_url,"
    " a.id AS article_id, sv.saved_at"
    " FROM headlines h JOIN sources s ON s.id = h.source_id"
    " LEFT JOIN articles a ON a.url = h.url"
    " LEFT JOIN saved sv ON sv.article_id = a.id"
)
_DOWN = "ORDER BY h.sort_key DESC, h.id"  # the ticker's order: newest first
_UP = "ORDER BY h.sort_key, h.id DESC"  # the same index walked backwards
# The same article (same URL) through two sources is one row: its first-stored copy among
# the shown sources. An index probe per row (headlines_by_url), so paging stays cheap.
_FIRST_COPY = (
    "NOT EXISTS (SELECT 1 FROM headlines d WHERE d.url_key = h.url_key AND d.url = h.url"
    " AND d.id < h.id{sources})"
)
# One story across sources shown once, as its newest headline (the desk's story ids); the
# others are its members ("+N sources", listed on request). A story only one source reports
# is that source's own run of headlines, and shows as the site shows it. A row not grouped
# yet (a negative story, see schema 9) is a story of its own; `story >= 0` in the probes
# lets SQLite use headlines_by_story, which holds only grouped rows.
_STORY_HEAD = (
    "(h.story IS NULL OR h.story < 0 OR NOT EXISTS (SELECT 1 FROM headlines o"
    " WHERE o.story = h.story AND o.story >= 0"
    " AND o.muted = 0 AND (o.sort_key > h.sort_key OR (o.sort_key = h.sort_key"
    " AND o.id < h.id)){sources})"
    " OR NOT EXISTS (SELECT 1 FROM headlines x WHERE x.story = h.story AND x.story >= 0"
    " AND x.source_id <> h.source_id AND x.muted = 0{other_sources}))"
)
# Rows after a key in the ticker's order, and rows before it.
_AFTER = "h.sort_key <= ? AND (h.sort_key < ? OR h.id > ?)"
_BEFORE = "h.sort_key >= ? AND (h.sort_key > ? OR h.id < ?)"


class TickerRoom(StoreConnection):
    """Pages of the ticker by key, and the rows its jump keys land on."""

    stories_once = False
    """Whether the ticker's pages show one story across sources once, as its newest row
    (the TUI sets it; listings on the command line keep every row, each with its story)."""

    def ticker_rows(
        self,
        source_ids: list[int] | None = None,
        offset: int = 0,
        limit: int = 200,
        *,
        include_muted: bool = False,
    ) -> list[TickerRow]:
        """A window of the ticker by offset (kept until every caller pages by key)."""
        where, params = source_filter(source_ids, newest_first=True, include_muted=include_muted)
        rows = self._read(f"{_COLUMNS} {where} {_DOWN} LIMIT ? OFFSET ?", [*params, limit, offset])
        return [ticker_row_from_row(r) for r in rows]

    def ticker_page(
        self,
        source_ids: list[int] | None = None,
        *,
        after: Key | None = None,
        before: Key | None = None,
        limit: int = 200,
        include_muted: bool = False,
    ) -> list[TickerRow]:
        """Up to `limit` rows in the ticker's order: the newest, or just after/before a key.

        With `before`, the rows are the `limit` that come right before the key, still
        returned in the ticker's order (oldest last). Muted rows are left out unless
        `include_muted`, here and in every query of this room.
        """
        if after is not None and before is not None:
            raise ValueError("page after a key or before one, not both")
        muted = include_muted
        if before is not None:
            rows = self._rows(source_ids, _BEFORE, _key_params(before), _UP, limit, muted)
            return rows[::-1]
        if after is not None:
            return self._rows(source_ids, _AFTER, _key_params(after), _DOWN, limit, muted)
        return self._rows(source_ids, "", [], _DOWN, limit, muted)

    def ticker_newest(
        self, source_ids: list[int] | None = None, *, include_muted: bool = False
    ) -> TickerRow | None:
        """The first row of the ticker (`g`)."""
        return _first(self._rows(source_ids, "", [], _DOWN, 1, include_muted))

    def ticker_oldest(
        self, source_ids: list[int] | None = None, *, include_muted: bool = False
    ) -> TickerRow | None:
        """The last row of the ticker (`G`)."""
        return _first(self._rows(source_ids, "", [], _UP, 1, include_muted))

    def ticker_first_before(
        self, source_ids: list[int] | None, boundary: float, *, include_muted: bool = False
    ) -> TickerRow | None:
        """The first row older than `boundary`: with the start of a row's day, `]`."""
        return _first(self._rows(source_ids, "h.sort_key < ?", [boundary], _DOWN, 1, include_muted))

    def ticker_last_from(
        self, source_ids: list[int] | None, boundary: float, *, include_muted: bool = False
    ) -> TickerRow | None:
        """The last row at or after `boundary` (the oldest of the newer rows).

        For `[`: with the end of the current row's day it is the last row of the day
        above; the end of *its* day then gives that day's first row (ticker_first_before).
        """
        return _first(self._rows(source_ids, "h.sort_key >= ?", [boundary], _UP, 1, include_muted))

    def ticker_next_unread(
        self, source_ids: list[int] | None, after: Key | None, *, include_muted: bool = False
    ) -> TickerRow | None:
        """The first unread row after a key (from the top when None): `n`."""
        where, params = (_AFTER, _key_params(after)) if after is not None else ("", [])
        where = f"h.read_at IS NULL AND {where}" if where else "h.read_at IS NULL"
        return _first(self._rows(source_ids, where, params, _DOWN, 1, include_muted))

    def ticker_row(self, headline_id: int) -> TickerRow | None:
        """One row by headline id (a search hit, the "N new" marker), with its key, muted
        or not, and whichever copy it is."""
        return _first(self._rows(None, "h.id = ?", [headline_id], "", 1, True, first_copy=False))

    def ticker_position(
        self, source_ids: list[int] | None, key: Key, *, include_muted: bool = False
    ) -> tuple[int, int]:
        """(rows before the key, rows in all), for a scroll bar: exact near the top.

        Up to EXACT_POSITION_LIMIT rows above the key are counted; further down the
        position is estimated from the key's time between the newest and oldest rows.
        """
        where, params = source_filter(source_ids, include_muted=include_muted)
        joiner = "AND" if where else "WHERE"
        total = self._read(f"SELECT count(*) FROM headlines h {where}", params)[0][0]
        above = self._read(
            f"SELECT count(*) FROM (SELECT 1 FROM headlines h {where} {joiner} {_BEFORE} LIMIT ?)",
            [*params, *_key_params(key), EXACT_POSITION_LIMIT],
        )[0][0]
        if above < EXACT_POSITION_LIMIT:
            return above, total
        newest = self.ticker_newest(source_ids, include_muted=include_muted)
        oldest = self.ticker_oldest(source_ids, include_muted=include_muted)
        if newest is None or oldest is None or newest.sort_key <= oldest.sort_key:
            return above, total
        share = (newest.sort_key - key[0]) / (newest.sort_key - oldest.sort_key)
        return max(above, min(total - 1, round(share * (total - 1)))), total

    def iter_headlines(
        self, source_ids: list[int] | None = None, *, include_muted: bool = False
    ) -> Iterator[tuple[Headline, str]]:
        """Every headline in the ticker's order with its source's name, read in pages.

        Memory stays flat however many there are: each page is one keyset query, and the
        lock is not held between pages. Source names come from one read of the sources.
        """
        names = {
            r["id"]: text(r["name"]) or host(text(r["url"]))
            for r in self._read("SELECT id, name, url FROM sources")
        }
        where, params = source_filter(source_ids, newest_first=True, include_muted=include_muted)
        joiner = "AND" if where else "WHERE"
        key: Key | None = None
        while True:
            if key is None:
                sql, args = f"{where}", params
            else:
                sql, args = f"{where} {joiner} {_AFTER}", [*params, *_key_params(key)]
            rows = self._read(
                "SELECT h.id, h.source_id, h.sort_key, h.url, h.title, h.published, h.label,"
                f" h.category, h.summary, NULL AS source_url FROM headlines h {sql}"
                f" {_DOWN} LIMIT ?",
                [*args, STREAM_BATCH],
            )
            for row in rows:
                headline = headline_from_row(row)
                yield headline, names.get(row["source_id"], "")
            if len(rows) < STREAM_BATCH:
                return
            last = rows[-1]
            key = (last["sort_key"], last["id"])

    def _rows(
        self,
        source_ids: list[int] | None,
        condition: str,
        params: list,
        order: str,
        limit: int,
        include_muted: bool = False,
        *,
        first_copy: bool = True,
    ) -> list[TickerRow]:
        where, filter_params = source_filter(
            source_ids, newest_first=True, include_muted=include_muted
        )
        if first_copy:
            copy, copy_params = first_copy_condition(source_ids, self.stories_once)
            where = f"{where} AND {copy}" if where else f"WHERE {copy}"
            filter_params = [*filter_params, *copy_params]
        if condition:
            where = f"{where} AND {condition}" if where else f"WHERE {condition}"
        rows = self._read(f"{_COLUMNS} {where} {order} LIMIT ?", [*filter_params, *params, limit])
        return [ticker_row_from_row(r) for r in rows]


def first_copy_condition(
    source_ids: list[int] | None, stories_once: bool = False
) -> tuple[str, list[int]]:
    """The condition that keeps one row per URL (and with `stories_once`, one per story)
    among these sources (all when None)."""
    marks = ",".join("?" * len(source_ids)) if source_ids else ""
    copy = _FIRST_COPY.format(sources=f" AND d.source_id IN ({marks})" if marks else "")
    params = list(source_ids or [])
    if stories_once:
        head = _STORY_HEAD.format(
            sources=f" AND o.source_id IN ({marks})" if marks else "",
            other_sources=f" AND x.source_id IN ({marks})" if marks else "",
        )
        copy, params = f"{copy} AND {head}", [*params, *params, *params]
    return copy, params


def _key_params(key: Key) -> list[float | int]:
    sort_key, row_id = key
    return [sort_key, sort_key, row_id]


def _first(rows: list[TickerRow]) -> TickerRow | None:
    return rows[0] if rows else None
