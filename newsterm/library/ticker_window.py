"""The ticker's view of the store for one set of sources: pages by key and jump targets."""

# The ticker never asks for rows by offset: it pages from the key of a row it holds (keyset
# paging), and every jump — oldest end, another day, next unread — is one indexed query for
# the target row (see store/ticker.py), after which the window is read around it. So a key
# costs the same at the millionth row as at the first.

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsterm.store import Store, TickerRow

Key = tuple[float, int]
"""A row's place in the ticker: (sort key, headline id)."""


class TickerWindow:
    """What the ticker widget asks of the cache, for the sources it shows."""

    def __init__(
        self, store: Store, source_ids: list[int] | None, *, include_muted: bool = False
    ) -> None:
        self._store = store
        self._sources = source_ids
        self._muted = include_muted
        """Whether rows hidden by a mute rule are shown too (`headlines --all`)."""

    def newest(self, limit: int) -> list[TickerRow]:
        """The newest rows, newest first."""
        return self._store.ticker_page(self._sources, limit=limit, include_muted=self._muted)

    def oldest(self, limit: int) -> list[TickerRow]:
        """The oldest rows, newest first (the end `G` goes to)."""
        last = self._store.ticker_oldest(self._sources, include_muted=self._muted)
        if last is None or limit < 1:
            return []
        return [*self.newer_than(last.key, limit - 1), last]

    def older_than(self, key: Key, limit: int) -> list[TickerRow]:
        """The rows right after a key, in the ticker's order."""
        if limit < 1:
            return []
        return self._store.ticker_page(
            self._sources, after=key, limit=limit, include_muted=self._muted
        )

    def newer_than(self, key: Key, limit: int) -> list[TickerRow]:
        """The rows right before a key, in the ticker's order."""
        if limit < 1:
            return []
        return self._store.ticker_page(
            self._sources, before=key, limit=limit, include_muted=self._muted
        )

    def around(self, row: TickerRow, before: int, after: int) -> list[TickerRow]:
        """A row with up to `before` rows above it and `after` below it."""
        return [*self.newer_than(row.key, before), row, *self.older_than(row.key, after)]

    def first_older_than(self, moment: float) -> TickerRow | None:
        """The newest row older than an epoch second (a day's start: `[`'s target)."""
        return self._store.ticker_first_before(self._sources, moment, include_muted=self._muted)

    def first_at_or_after(self, moment: float) -> TickerRow | None:
        """The oldest row at or after an epoch second (the newer day's last row, for `]`)."""
        return self._store.ticker_last_from(self._sources, moment, include_muted=self._muted)

    def next_unread(self, key: Key) -> TickerRow | None:
        """The first unread row after a key (`n`)."""
        return self._store.ticker_next_unread(self._sources, key, include_muted=self._muted)

    def row(self, headline_id: int) -> TickerRow | None:
        """One row by headline id, with its key."""
        return self._store.ticker_row(headline_id)
