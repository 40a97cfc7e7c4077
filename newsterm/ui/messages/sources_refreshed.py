"""SourcesRefreshed: a refresh of every shown source finished."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from newsterm.library import SourceStatus


class SourcesRefreshed(Message):
    """The refresh is over; one status per source, or an error when it broke off."""

    def __init__(self, statuses: list[SourceStatus], error: str | None = None) -> None:
        super().__init__()
        self.statuses = statuses
        self.error = error
