"""TickerEndReached: the cursor reached the last cached headline, so older ones are wanted."""

from __future__ import annotations

from textual.message import Message


class TickerEndReached(Message):
    """The ticker has shown every cached headline; the site's next page may hold more."""

    def __init__(self, pushed_past: bool = False) -> None:
        super().__init__()
        self.pushed_past = pushed_past
        """True when the user tried to move past the last row, not only reached it."""
