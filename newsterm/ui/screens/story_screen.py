"""StoryScreen: one story as every source reports it, newest first; enter opens one."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsterm.text.sanitize import screen_line
from newsterm.text.time_format import clock_text, day_header

if TYPE_CHECKING:
    from newsterm.library import TickerRow


class StoryScreen(ModalScreen[str | None]):
    """The headlines of one story across sources, with each one's source and time."""

    CSS_PATH = "modal.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,e", "close", "Close", id="close_story"),
    ]

    def __init__(self, rows: list[TickerRow], zone: tzinfo | None) -> None:
        super().__init__()
        self.rows = rows
        self.zone = zone

    def compose(self) -> ComposeResult:
        """A titled list of the story's headlines."""
        sources = len({row.source_id for row in self.rows})
        with Vertical(id="story-box") as box:
            box.border_title = f"One story, {sources} sources"
            yield OptionList(*(self._option(row) for row in self.rows), id="story-list")

    def _option(self, row: TickerRow) -> Option:
        prompt = Text(screen_line(row.title), style="bold")
        details = [screen_line(row.source_name)]
        if row.published is not None:
            local = row.published.astimezone(self.zone)
            details.append(f"{day_header(local.date())} {clock_text(local)}")
        prompt.append("\n")
        prompt.append(" · ".join(details), "dim")
        return Option(prompt)

    @on(OptionList.OptionSelected, "#story-list")
    def _open_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.rows[event.option_index].url or None)

    def action_close(self) -> None:
        """Go back without opening anything."""
        self.dismiss(None)
