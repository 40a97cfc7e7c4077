"""SavedScreen: the saved articles, most recently saved first; enter opens one."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsterm.text.sanitize import screen_line
from newsterm.text.time_format import epoch_text

if TYPE_CHECKING:
    from newsterm.library import Library, StoredArticle


class SavedScreen(ModalScreen[str | None]):
    """A list of saved articles with when they were saved."""

    CSS_PATH = "modal.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="close_saved"),
    ]

    def __init__(self, library: Library, zone: tzinfo | None) -> None:
        super().__init__()
        self.library = library
        self.zone = zone
        self.items: list[StoredArticle] = library.saved()

    def compose(self) -> ComposeResult:
        """A titled list, or a line saying there is nothing saved yet."""
        with Vertical(id="saved-box") as box:
            box.border_title = f"Saved articles ({len(self.items)})"
            if not self.items:
                yield Static(Text("Nothing saved yet: press s on a headline to keep it."))
            yield OptionList(*(self._option(item) for item in self.items), id="saved-list")

    def _option(self, item: StoredArticle) -> Option:
        article = item.article
        prompt = Text(screen_line(article.title) or article.url, style="bold")
        details = [f"saved {epoch_text(item.saved_at, self.zone)}"] if item.saved_at else []
        host = urlsplit(article.url).hostname
        if host:
            details.append(screen_line(host))
        prompt.append("\n")
        prompt.append(" · ".join(details), "dim")
        return Option(prompt)

    @on(OptionList.OptionSelected, "#saved-list")
    def _open_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.items[event.option_index].article.url)

    def action_close(self) -> None:
        """Go back without opening anything."""
        self.dismiss(None)
