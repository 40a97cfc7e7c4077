"""The ticker's row tuple: what one headline needs to be drawn, and nothing more."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from newsterm.text.time_format import clock_text

if TYPE_CHECKING:
    from newsterm.library import TickerRow

UNDATED = 0
"""The day of a headline the site gave no date for (sorted where the store puts it)."""


class TickerEntry(NamedTuple):
    """One headline in the ticker's window; a tuple so that thousands of them stay cheap.

    Text is kept as the store gave it and cleaned when drawn, so that loading a window
    costs no per-row text work.
    """

    id: int
    url: str
    title: str
    label: str | None
    source_name: str
    day: int
    """The date's ordinal in the display zone, or UNDATED."""
    clock: str
    """"19:58" in the display zone, or "" when undated."""
    read: bool
    saved: bool
    sort_key: float = 0.0
    """Where the row sorts in the cache (see `key`)."""
    source_id: int = 0
    """The source's id, for showing that source alone."""
    story: int | None = None
    """The story the headline belongs to (the news desk's id), if grouped."""
    also: int = 0
    """How many other sources report its story ("+N sources")."""
    watched: bool = False
    """Whether a watch rule matches it."""

    @property
    def key(self) -> tuple[float, int]:
        """The row's place in the ticker, for reading the rows next to it: (sort key, id)."""
        return (self.sort_key, self.id)

    @classmethod
    def from_row(
        cls, row: TickerRow, zone: tzinfo | None, *, also: int = 0, watched: bool = False
    ) -> TickerEntry:
        """Make an entry from the library's row, placing its time in the display zone;
        `also` and `watched` are the news desk's word on it."""
        if row.published is None and row.sort_key != row.first_seen:
            # Undated, but placed by the store next to a dated neighbour on its page: it
            # belongs to that neighbour's day (shown with no time), not to an "Undated" group.
            try:
                day, clock = datetime.fromtimestamp(row.sort_key, zone).toordinal(), ""
            except (OverflowError, OSError, ValueError):  # a key no calendar holds
                day, clock = UNDATED, ""
        elif row.published is None:
            day, clock = UNDATED, ""
        else:
            local = row.published.astimezone(zone)
            day, clock = local.toordinal(), clock_text(local)
        return cls(
            row.id,
            row.url,
            row.title,
            row.label,
            row.source_name,
            day,
            clock,
            row.read,
            row.saved,
            row.sort_key,
            row.source_id,
            row.story,
            also,
            watched,
        )
