"""ArticleLoaded: opening an article finished, with the article or a reason there is none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from newsterm.library import ArticleResult


class ArticleLoaded(Message):
    """The library answered an open request."""

    def __init__(self, result: ArticleResult) -> None:
        super().__init__()
        self.result = result
