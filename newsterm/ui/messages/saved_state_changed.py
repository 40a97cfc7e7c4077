"""SavedStateChanged: saving or unsaving an article finished (or failed)."""

from __future__ import annotations

from textual.message import Message


class SavedStateChanged(Message):
    """The article is now saved or not; `error` says why a save failed."""

    def __init__(self, url: str, saved: bool, error: str | None = None) -> None:
        super().__init__()
        self.url = url
        self.saved = saved
        self.error = error
