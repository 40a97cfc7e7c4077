"""HeadlineChosen: the user picked a headline in the ticker (enter or a click)."""

from __future__ import annotations

from textual.message import Message


class HeadlineChosen(Message):
    """The user chose a headline to read."""

    def __init__(self, url: str, title: str) -> None:
        super().__init__()
        self.url = url
        self.title = title
