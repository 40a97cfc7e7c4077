"""BrowserOpened: handing a link to the web browser finished."""

from __future__ import annotations

from textual.message import Message


class BrowserOpened(Message):
    """Whether the browser accepted the link."""

    def __init__(self, url: str, opened: bool) -> None:
        super().__init__()
        self.url = url
        self.opened = opened
