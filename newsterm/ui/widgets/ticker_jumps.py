"""The ticker's jumps: to another day, the next unread or watched headline, a story's sources."""

# Each asks the window it holds first, then the library for the one row past it (one indexed
# query, or a bounded walk by key for watch rules, which SQL cannot match), and reads the
# window around that row (`HeadlineTicker._jump_to`).

from __future__ import annotations

from datetime import date, datetime
from datetime import time as dt_time
from typing import TYPE_CHECKING

from newsterm.ui.ticker_entry import UNDATED

if TYPE_CHECKING:
    from newsterm.ui.widgets.headline_ticker import HeadlineTicker

    _Base = HeadlineTicker
else:
    _Base = object


class TickerJumps(_Base):
    """Mixed into HeadlineTicker: the keys that jump rather than move a row."""

    def action_previous_day(self) -> None:
        """Jump to the first headline of the day before (further down the list)."""
        entry = self.cursor_entry
        if entry is None:
            return
        for index in range(self.cursor + 1, len(self.entries)):
            if self.entries[index].day != entry.day:
                self._land_on_day(index)
                return
        found = None
        if not self.at_oldest and entry.day != UNDATED:
            found = self.library.ticker.first_older_than(self._day_start(entry.day))
        if found is None or not self._jump_to(found):
            self.notify("No earlier day cached.", timeout=3, markup=False)
            return
        self._land_on_day(self.cursor)

    def action_next_day(self) -> None:
        """Jump to the first headline of the day after (further up the list)."""
        entry = self.cursor_entry
        if entry is None:
            return
        start = self.cursor
        while start > 0 and self.entries[start - 1].day == entry.day:
            start -= 1
        if start == 0 and not self.at_newest and entry.day != UNDATED:
            if self._jump_to_newer_day(entry.day):
                return
        if start == 0:
            self.move_cursor(0)
            self.notify("This is the newest day.", timeout=3, markup=False)
            return
        newer_day = self.entries[start - 1].day
        while start > 0 and self.entries[start - 1].day == newer_day:
            start -= 1
        self._land_on_day(start)

    def _jump_to_newer_day(self, day: int) -> bool:
        """Put the cursor on the first (newest) headline of the nearest newer day."""
        ticker = self.library.ticker
        later = ticker.first_at_or_after(self._day_start(day + 1))
        if later is None:
            return False
        newer_day = datetime.fromtimestamp(later.sort_key, self.zone).toordinal()
        newest = ticker.first_older_than(self._day_start(newer_day + 1))
        if newest is None or not self._jump_to(newest):
            return False
        self._land_on_day(self.cursor)
        return True

    def _land_on_day(self, index: int) -> None:
        """Put the cursor on a day's first row with the day's header at the top of the view."""
        self.move_cursor(index)
        line = self._entry_lines[self.cursor]
        header = line - 1 if line and self._lines[line - 1] < 0 else line
        self._scroll_view_to(header)

    def _day_start(self, day: int) -> float:
        """The epoch second at which a day (a date ordinal in the display zone) begins."""
        midnight = datetime.combine(date.fromordinal(day), dt_time.min)
        if self.zone is None:
            return midnight.astimezone().timestamp()  # the machine's own zone
        return midnight.replace(tzinfo=self.zone).timestamp()

    def action_next_unread(self) -> None:
        """Jump to the next unread headline below the cursor."""
        for index in range(self.cursor + 1, len(self.entries)):
            if not self.entries[index].read:
                self.move_cursor(index)
                return
        found = None
        if not self.at_oldest and self.entries:
            found = self.library.ticker.next_unread(self.entries[-1].key)
        if found is None or not self._jump_to(found):
            self.notify("No unread headlines below.", timeout=3, markup=False)

    def action_next_watched(self) -> None:
        """Jump to the next headline a watch rule matches (reading on past the window)."""
        for index in range(self.cursor + 1, len(self.entries)):
            if self.entries[index].watched:
                self.move_cursor(index)
                return
        found = None
        if not self.at_oldest and self.entries:
            found = self.library.next_watched(self.entries[-1].key)
        if found is None or not self._jump_to(found):
            self.notify("No watched headlines below.", timeout=3, markup=False)

    def action_story(self) -> None:
        """Show the other sources' headlines of the cursor's story."""
        entry = self.cursor_entry
        if entry is not None:
            self.post_message(self.StoryWanted(entry.id))
