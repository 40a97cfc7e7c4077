"""RevisionsScreen: the earlier versions of an article, each with what changed and its text."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from newsterm.text.sanitize import for_terminal, screen_line
from newsterm.text.time_format import epoch_text

if TYPE_CHECKING:
    from newsterm.library import Revision


class RevisionsScreen(ModalScreen[None]):
    """Every stored earlier version, oldest first, in a scrollable box."""

    CSS_PATH = "modal.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="close_revisions"),
    ]

    def __init__(self, title: str, revisions: list[Revision], zone: tzinfo | None) -> None:
        super().__init__()
        self.article_title = title
        self.revisions = revisions
        self.zone = zone

    def compose(self) -> ComposeResult:
        """One section per revision: number, when it was replaced, the change, the text."""
        sections = []
        for number, revision in enumerate(self.revisions, start=1):
            heading = Text(
                f"Version {number} — replaced {epoch_text(revision.replaced_at, self.zone)}"
            )
            heading.stylize("bold")
            change = Text(screen_line(revision.change) or "changed", style="italic")
            title = Text(screen_line(revision.title), style="bold")
            body = Text(for_terminal(revision.text).strip())
            sections.extend([heading, change, Text(""), title, body, Text("")])
        with VerticalScroll(id="revisions-box") as box:
            # A str title would be read as markup; the article's title is web text.
            box.border_title = Text(f"Earlier versions: {screen_line(self.article_title)}")
            box.border_subtitle = "escape closes"
            yield Static(Group(*sections), id="revisions-text")

    @property
    def plain(self) -> str:
        """Change lines and texts as plain text."""
        return "\n".join(
            f"{revision.change}\n{revision.title}\n{revision.text}" for revision in self.revisions
        )

    def action_close(self) -> None:
        """Go back."""
        self.dismiss(None)
