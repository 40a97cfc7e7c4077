"""The news desk's room: each headline's story and muted flag, and the watch and mute rules."""

# The store keeps what newsterm.library.desk decides, so that start-up reads it instead of
# recomputing it: a story id per headline (negative, -id, until grouped: see schema 9;
# headlines_by_story holds only `story >= 0`, so queries say so) and a muted flag that every
# ticker query filters on (store/headlines.source_filter). Deciding is not done here: the
# desk hands over a matcher, which is run inside SQLite over the rows (one pass, writing
# only the rows whose flag changes) when the mute rules change.

from __future__ import annotations

import math
import sqlite3
import time
from collections.abc import Callable, Iterable

from newsterm.models import Headline
from newsterm.store.connection import StoreConnection
from newsterm.store.headlines import FIRST_SEEN_SLACK, source_filter
from newsterm.store.records import (
    TickerRow,
    headline_from_row,
    integer,
    text,
    ticker_row_from_row,
)
from newsterm.store.ticker import _COLUMNS

RULE_LISTS = ("watch", "mute")
# The desk_state entry naming the mute rules the muted flags were last computed with.
MUTE_FINGERPRINT = "mute_rules"
_HEADLINE_COLUMNS = (
    "SELECT h.id, h.url, h.title, h.published, h.label, h.category, h.summary, h.sort_key,"
    " CASE WHEN h.story >= 0 THEN h.story END AS story, s.url AS source_url"
    " FROM headlines h JOIN sources s ON s.id = h.source_id"
)


class DeskRoom(StoreConnection):
    """Stories and mute flags of headlines, and the rules the user keeps."""

    # -- rules ------------------------------------------------------------------------------

    def desk_rules(self, list_name: str) -> list[tuple[str, str]]:
        """(key, text) of the stored rules of one list ("watch" or "mute"), oldest first."""
        _check_list(list_name)
        rows = self._read(
            "SELECT rule_key, text FROM desk_rules WHERE list = ? ORDER BY id", (list_name,)
        )
        return [(text(row["rule_key"]), text(row["text"])) for row in rows]

    def add_desk_rule(self, list_name: str, key: str, rule_text: str) -> bool:
        """Keep a rule; False when the list already holds one with this key."""
        _check_list(list_name)
        with self._write() as db:
            return (
                db.execute(
                    "INSERT INTO desk_rules (list, rule_key, text, added_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (list, rule_key) DO NOTHING",
                    (list_name, key, rule_text, time.time()),
                ).rowcount
                > 0
            )

    def remove_desk_rule(self, list_name: str, key: str) -> bool:
        """Forget a rule by key; False when there was none."""
        _check_list(list_name)
        with self._write() as db:
            return (
                db.execute(
                    "DELETE FROM desk_rules WHERE list = ? AND rule_key = ?", (list_name, key)
                ).rowcount
                > 0
            )

    def desk_state(self, name: str) -> str | None:
        """A value the desk remembers between runs (see MUTE_FINGERPRINT)."""
        rows = self._read("SELECT value FROM desk_state WHERE name = ?", (name,))
        return text(rows[0]["value"]) if rows else None

    # -- stories ----------------------------------------------------------------------------

    def ungrouped_headlines(self, limit: int) -> list[tuple[int, Headline]]:
        """Headlines with no story yet (the newest `limit`), with their row ids."""
        rows = self._read(
            f"{_HEADLINE_COLUMNS} WHERE h.story < 0 ORDER BY h.id DESC LIMIT ?", (limit,)
        )
        return [(row["id"], headline_from_row(row)) for row in rows]

    def grouped_headlines(self, since: float, limit: int) -> list[tuple[Headline, int]]:
        """Grouped headlines sorting at or after `since` (the newest `limit`), with stories."""
        rows = self._read(
            f"{_HEADLINE_COLUMNS} WHERE h.sort_key >= ? AND h.story >= 0"
            " ORDER BY h.sort_key DESC, h.id LIMIT ?",
            (since, limit),
        )
        # A story that is no number (a hand edit) is left out: it takes no new headlines.
        return [
            (headline_from_row(row), story)
            for row in rows
            if (story := integer(row["story"])) is not None
        ]

    def assign_stories(
        self, joined: Iterable[tuple[int, int]], started: Iterable[Iterable[int]]
    ) -> int:
        """Put headlines into stories in one transaction; how many took theirs.

        `joined` is (row id, story id) for headlines joining stored stories; `started` is
        the row ids of each new story. A new story's id is the id of its first (lowest)
        headline, a row of the story itself, so no other story holds it (a story's id is
        never above its rows' ids, and a new row's id is above every row's); an id that a
        hand edit gave another story is skipped all the same. Only a headline with no
        story yet takes one: if another process grouped it first, its story stands, so
        ids already handed out never change under a reader.
        """
        # Written in ascending (story, row id) order, the order of headlines_by_story: its
        # entries then mostly go to the end of the index, which keeps its pages full
        # (entries written in descending order split pages and leave them half empty).
        with self._write() as db:
            taken = db.executemany(
                "UPDATE headlines SET story = ? WHERE id = ? AND story < 0",
                sorted((story, row_id) for row_id, story in joined),
            ).rowcount
            free_lists = [sorted(_ungrouped_among(db, list(members))) for members in started]
            for free in sorted(filter(None, free_lists)):
                story = _unheld_story(db, free)
                taken += db.executemany(
                    "UPDATE headlines SET story = ? WHERE id = ? AND story < 0",
                    [(story, row_id) for row_id in free],
                ).rowcount
            return taken

    def story_rows(
        self, story: int, *, include_muted: bool = False, limit: int = 50
    ) -> list[TickerRow]:
        """The headlines of one story, newest first."""
        where, params = source_filter(None, include_muted=include_muted)
        joiner = "AND" if where else "WHERE"
        rows = self._read(
            f"{_COLUMNS} {where} {joiner} h.story = ? AND h.story >= 0"
            " ORDER BY h.sort_key DESC, h.id LIMIT ?",
            [*params, story, limit],
        )
        return [ticker_row_from_row(row) for row in rows]

    def story_source_counts(self, stories: Iterable[int]) -> dict[int, int]:
        """How many sources list each story (muted rows not counted), for "+N sources"."""
        wanted = list(dict.fromkeys(story for story in stories if story is not None))
        counts: dict[int, int] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._read(
                "SELECT story, count(DISTINCT source_id) AS sources FROM headlines"
                f" WHERE story IN ({marks}) AND story >= 0 AND muted = 0 GROUP BY story",
                part,
            )
            counts.update({row["story"]: row["sources"] for row in rows})
        return counts

    # -- mute -------------------------------------------------------------------------------

    def muted_count(self, source_ids: list[int] | None = None) -> int:
        """How many headlines of these sources a mute rule hides."""
        where, params = source_filter(source_ids, include_muted=True)
        joiner = "AND" if where else "WHERE"
        return self._read(f"SELECT count(*) FROM headlines h {where} {joiner} h.muted", params)[0][
            0
        ]

    def apply_mute(self, is_muted: Callable[[Headline], bool] | None, fingerprint: str) -> int:
        """Set every headline's muted flag with `is_muted` (None: nothing is muted) and
        remember `fingerprint` as the rules applied; how many flags changed.

        One UPDATE with the matcher as an SQL function: SQLite walks the rows once and
        writes only those whose flag changes.
        """

        def muted(title: object, url: object, label: object, source: object) -> int:
            headline = Headline(
                text(title), text(url), label=text(label) or None, source=text(source)
            )
            try:
                return int(bool(is_muted and is_muted(headline)))
            except Exception:  # a row an older release wrote oddly stays shown, never fatal
                return 0

        with self._write() as db:
            if is_muted is None:
                changed = db.execute("UPDATE headlines SET muted = 0 WHERE muted").rowcount
            else:
                db.create_function("desk_muted", 4, muted, deterministic=True)
                try:
                    changed = db.execute(
                        "UPDATE headlines SET muted = 1 - muted WHERE muted IS NOT desk_muted("
                        "title, url, label, (SELECT url FROM sources WHERE id = source_id))"
                    ).rowcount
                finally:
                    db.create_function("desk_muted", 4, None)
            db.execute(
                "INSERT INTO desk_state (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (MUTE_FINGERPRINT, fingerprint),
            )
            return changed

    # -- watch ------------------------------------------------------------------------------

    def newest_row_id(self) -> int:
        """The id of the newest headline (0 when there is none): rows are numbered as they
        are first stored, so the rows a refresh adds are those above it."""
        return self._read("SELECT coalesce(max(id), 0) FROM headlines")[0][0]

    def rows_added_since(
        self, row_id: int, moment: float, until: float, limit: int = 1000
    ) -> list[TickerRow]:
        """Shown headlines stored after the row `row_id`, or first seen in a later second
        than `moment` and not after `until` (now: a row stored while the clock ran ahead
        is no news again at every refresh), newest first (the new watch matches of a
        refresh that began at `moment`).

        The id says it exactly, unless another process removed the newest rows meanwhile
        (a source removed, an eviction of a cache grown old): new rows then take their ids
        again. The time catches those stored from the next second on; alone it would also
        take the rows a refresh wrote in the same second before this one began, as times
        of sight are rounded up. (A row both stored in the mark's second and given a reused
        id is missed: that needs the other process to delete in that very second.)
        """
        where, params = source_filter(None)
        joiner = "AND" if where else "WHERE"
        # The rows first seen after `moment` are the newest ids (FIRST_SEEN_SLACK): the
        # walk down from the last id stops at the first row older than that by the slack.
        older = self._read(
            "SELECT coalesce((SELECT id FROM headlines WHERE first_seen <= ?"
            " ORDER BY id DESC LIMIT 1), 0)",
            (moment - FIRST_SEEN_SLACK,),
        )[0][0]
        # NOT INDEXED: sorting those few rows beats walking the time index past the others
        # (which SQLite may prefer when many rows share a time, as undated listings do).
        columns = _COLUMNS.replace("FROM headlines h", "FROM headlines h NOT INDEXED", 1)
        rows = self._read(
            f"{columns} {where} {joiner} h.id > ?"
            " AND (h.id > ? OR h.first_seen BETWEEN ? + 1 AND ?)"
            " ORDER BY h.sort_key DESC, h.id LIMIT ?",
            [*params, min(row_id, older), row_id, math.ceil(moment), math.ceil(until), limit],
        )
        return [ticker_row_from_row(row) for row in rows]


def _ungrouped_among(db: sqlite3.Connection, row_ids: list[int]) -> list[int]:
    """Which of these headlines exist and have no story yet."""
    found: list[int] = []
    for start in range(0, len(row_ids), 500):
        part = row_ids[start : start + 500]
        marks = ",".join("?" * len(part))
        found.extend(
            row[0]
            for row in db.execute(
                f"SELECT id FROM headlines WHERE id IN ({marks}) AND story < 0", part
            )
        )
    return found


def _unheld_story(db: sqlite3.Connection, candidates: list[int]) -> int:
    """The first of these row ids that no story holds yet, else a number above every row
    id and story (a later row given that id starts its own story with another: this check
    skips a held id). Never negative: a negative story means "not grouped yet"."""
    for candidate in candidates:
        held = db.execute(
            "SELECT 1 FROM headlines WHERE story = ? AND story >= 0", (candidate,)
        ).fetchone()
        if held is None:
            return candidate
    highest = db.execute(
        "SELECT max(coalesce((SELECT max(id) FROM headlines), 0),"
        " coalesce((SELECT max(story) FROM headlines WHERE story >= 0"
        " AND typeof(story) = 'integer'), 0))"
    ).fetchone()[0]
    return highest + 1


def _check_list(list_name: str) -> None:
    if list_name not in RULE_LISTS:
        raise ValueError(f"no such rule list: {list_name}")
