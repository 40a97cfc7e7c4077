"""Headlines: a listing stored in bulk, and the ticker's rows read back newest first."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime

from newsterm.models import Headline, Source
from newsterm.store.connection import StoreConnection
from newsterm.store.records import (
    FetchState,
    RefreshCounts,
    headline_from_row,
    url_key,
    writable_datetime,
    writable_epoch,
)
from newsterm.store.sources import upsert_fetch_state

PLACE_STEP = 0.001
"""Seconds between undated items placed next to each other: far below any real time gap."""
FIRST_SEEN_SLACK = 3600.0
"""How far a row's first_seen may sit below that of a row written before it (a writer that
read the clock, then waited for the lock; a clock set back). New rows take the next ids, so
first_seen grows with id within this: queries by first_seen (and last_seen, never below it)
walk ids from an end instead of keeping an index of times (schema 9)."""


def page_places(moments: list[float | None]) -> list[float | None]:
    """Sort keys that keep a listing in page order where it gives no time.

    An undated item sorts just after the dated item above it on the page (the ticker is
    newest first), or just before the first dated item when it comes above all of them; in
    a listing with no times at all, items keep their page order at `now`. So an undated
    item stays where the page puts it, rather than sorting first as new. A listing with no
    time at all gets None throughout: its items sort by when they were first seen, in page
    order, as they always have.
    """
    places: list[float | None] = list(moments)
    above: float | None = None
    steps = 0
    for index, moment in enumerate(moments):
        if moment is not None:
            above, steps = moment, 0
        elif above is not None:
            steps += 1
            places[index] = above - steps * PLACE_STEP
    first = next((index for index, m in enumerate(moments) if m is not None), len(moments))
    anchor = moments[first] if first < len(moments) else None
    if anchor is not None:
        for index in range(first):
            places[index] = anchor + (first - index) * PLACE_STEP
    return places


class HeadlineRoom(StoreConnection):
    """What the ticker shows: headlines per source, newest first, with read state."""

    mute_matcher: Callable[[Headline, str], bool] | None = None
    """Whether a mute rule hides a headline listed by the source at a URL (set by
    newsterm.library.desk): each stored headline's muted flag is set from it as it is written,
    so a muted one is never shown even briefly."""

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
        # Whole seconds, rounded up: SQLite writes a whole number in 4 bytes where one with
        # a fraction takes 8 (first_seen, last_seen and an undated row's sort key hold it),
        # and rounded up, a row stored after a moment never reads as stored before it.
        now = float(math.ceil(writable_epoch(time.time() if now is None else now) or time.time()))
        rows = []
        matcher = self.mute_matcher
        # A date at the edge of datetime's range could not be shown in every zone.
        moments = [writable_datetime(h.published) for h in headlines]
        places = page_places([m.timestamp() if m else None for m in moments])
        for h, published, place in zip(headlines, moments, places, strict=True):
            rows.append(
                (
                    url_key(h.url),
                    h.url,
                    h.title,
                    h.label,
                    h.category,
                    h.summary,
                    _offset_minutes(published),
                    place,  # the sort key: the item's time, or its place on the page
                    int(bool(matcher(h, source.url))) if matcher else 0,
                )
            )
        first_per_key: dict[int, tuple] = {}
        for row in rows:
            first_per_key.setdefault(row[0], row)
        with self._write() as db:
            # Set-based: one INSERT and one UPDATE for the whole listing. Row by row, every
            # statement would make the search index flush a segment of its own (FTS5 does
            # at each statement savepoint), ten times the cost for a long listing.
            db.execute("DELETE FROM temp.incoming")
            # One row per URL key (the first on the page, as the upsert would keep), so
            # that the new rows below can be numbered before they are inserted.
            db.executemany(
                "INSERT INTO temp.incoming (url_key, url, title, label, category, summary,"
                " published_offset, published_at, muted) VALUES (?,?,?,?,?,?,?,?,?)",
                list(first_per_key.values()),
            )
            # Rows above this id are the ones inserted just below: the update skips them.
            newest_before = db.execute("SELECT coalesce(max(id), 0) FROM headlines").fetchone()[0]
            # New rows are numbered here, in page order and with no gap, so that each can
            # hold its placeholder story, -id (see schema 9): the desk's story replaces it
            # in place. rowcount, unlike total_changes, leaves out the search index's writes.
            new = db.execute(
                "INSERT INTO headlines (id, story, source_id, url_key, url, title, label,"
                " category, summary, published_offset, sort_key, first_seen, last_seen, muted)"
                " SELECT ? + n, -(? + n), ?, url_key, url, title, label, category, summary,"
                " published_offset, coalesce(published_at, ?), ?, ?, muted FROM ("
                " SELECT row_number() OVER (ORDER BY i.rowid) AS n, i.* FROM temp.incoming i"
                " WHERE NOT EXISTS (SELECT 1 FROM headlines h"
                " WHERE h.url_key = i.url_key AND h.source_id = ?))"
                " WHERE true ORDER BY n"
                " ON CONFLICT (url_key, source_id) DO NOTHING",
                (newest_before, newest_before, source.id, now, now, now, source.id),
            ).rowcount
            # A headline seen again: keep its first_seen, refresh what the site now says.
            db.execute(
                "UPDATE headlines SET title = i.title, label = i.label,"
                " category = coalesce(i.category, headlines.category),"
                " summary = coalesce(i.summary, headlines.summary),"
                # The offset and the sort key say the published time together: both or neither.
                " published_offset = CASE WHEN i.published_at IS NULL"
                " THEN headlines.published_offset ELSE i.published_offset END,"
                " sort_key = coalesce(i.published_at, headlines.sort_key), last_seen = ?,"
                " muted = i.muted"
                " FROM temp.incoming AS i"
                " WHERE headlines.url_key = i.url_key AND headlines.source_id = ?"
                " AND headlines.url = i.url AND headlines.id <= ?",
                (now, source.id, newest_before),
            )
            db.execute("DELETE FROM temp.incoming")
            if state is not None:
                upsert_fetch_state(db, state)
        return RefreshCounts(new=new, seen=len(rows) - new)

    def headline_count(
        self, source_ids: list[int] | None = None, *, include_muted: bool = False
    ) -> int:
        """How many headlines the ticker has for these sources (all when None)."""
        where, params = source_filter(source_ids, include_muted=include_muted)
        return self._read(f"SELECT count(*) FROM headlines h {where}", params)[0][0]

    def headlines(
        self, source_ids: list[int] | None = None, limit: int = 200, *, include_muted: bool = False
    ) -> list[Headline]:
        """The newest headlines as Headline objects (for the CLI and export)."""
        where, params = source_filter(source_ids, newest_first=True, include_muted=include_muted)
        rows = self._read(
            "SELECT h.*, s.url AS source_url FROM headlines h JOIN sources s ON s.id = h.source_id"
            f" {where} ORDER BY h.sort_key DESC, h.id LIMIT ?",
            [*params, limit],
        )
        return [headline_from_row(r) for r in rows]

    def headline(self, url: str) -> Headline | None:
        """The newest stored headline for an article URL."""
        rows = self._read(
            "SELECT h.*, s.url AS source_url FROM headlines h JOIN sources s ON s.id = h.source_id"
            " WHERE h.url_key = ? AND h.url = ? ORDER BY h.last_seen DESC LIMIT 1",
            (url_key(url), url),
        )
        return headline_from_row(rows[0]) if rows else None

    def mark_read(self, url: str, read: bool = True) -> None:
        """Mark every headline for this article read (or unread)."""
        with self._write() as db:
            db.execute(
                "UPDATE headlines SET read_at = ? WHERE url_key = ? AND url = ?",
                (time.time() if read else None, url_key(url), url),
            )


def source_filter(
    source_ids: list[int] | None, *, newest_first: bool = False, include_muted: bool = False
) -> tuple[str, list[int]]:
    """A WHERE clause for headlines of these sources (all when None), muted ones left out
    unless `include_muted` (the muted flag is exact: newsterm.library.desk keeps it up to date)."""
    conditions: list[str] = [] if include_muted else ["h.muted = 0"]
    params: list[int] = []
    if source_ids is not None and not source_ids:
        return "WHERE 0", []
    if source_ids is not None and len(source_ids) == 1:
        conditions.insert(0, "h.source_id = ?")
        params = list(source_ids)
    elif source_ids is not None:
        marks = ",".join("?" * len(source_ids))
        # `+ 0` keeps SQLite off the per-source index, which would read every headline of
        # those sources and sort them; walking the time index stops after LIMIT rows.
        column = "h.source_id + 0" if newest_first else "h.source_id"
        conditions.insert(0, f"{column} IN ({marks})")
        params = list(source_ids)
    return (f"WHERE {' AND '.join(conditions)}" if conditions else ""), params


def _offset_minutes(moment: datetime | None) -> int | None:
    """The UTC offset a time was written with, in minutes (the store keeps the instant as
    the sort key and this beside it; `published` is rebuilt from the two when read)."""
    if moment is None:
        return None
    offset = moment.utcoffset()
    return round(offset.total_seconds() / 60) if offset is not None else 0
