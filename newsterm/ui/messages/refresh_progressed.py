"""RefreshProgressed: one source's refresh moved on (started, retrying, done)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from newsterm.library import SourceStatus


class RefreshProgressed(Message):
    """A progress report from the library's refresh."""

    def __init__(self, status: SourceStatus) -> None:
        super().__init__()
        self.status = status
