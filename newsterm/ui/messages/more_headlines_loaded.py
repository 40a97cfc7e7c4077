"""MoreHeadlinesLoaded: the sites' next pages ("More news") were fetched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from newsterm.library import SourceStatus


class MoreHeadlinesLoaded(Message):
    """Fetching older headlines is over; one status per source that had a next page."""

    def __init__(self, statuses: list[SourceStatus]) -> None:
        super().__init__()
        self.statuses = statuses
