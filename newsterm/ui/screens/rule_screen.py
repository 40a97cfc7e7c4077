"""RuleScreen: one line to type a watch or mute rule into (from the command palette)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

HINT = "Words (whole words, any case or accents), source:URL or label:TEXT; enter adds, escape"


class RuleScreen(ModalScreen[str | None]):
    """Asks for a rule; dismissed with its text, or None when the user goes back."""

    CSS_PATH = "modal.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close_rule"),
    ]

    def __init__(self, list_name: str) -> None:
        super().__init__()
        self.list_name = list_name

    def compose(self) -> ComposeResult:
        """A titled input with a line saying what a rule may be."""
        with Vertical(id="rule-box") as box:
            box.border_title = "Watch for" if self.list_name == "watch" else "Mute"
            yield Input(placeholder="e.g. Kyiv, source:example.org, label:Exclusive", id="rule")
            yield Static(Text(f"{HINT} goes back."), id="rule-hint")

    @on(Input.Submitted, "#rule")
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        """Go back without adding anything."""
        self.dismiss(None)
