"""KeyFooter: one line naming the main keys (as remapped); clicking a key runs its action."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

from newsterm.ui.component_style import component_style


class KeyFooter(Widget):
    """A footer drawn as a single Text line.

    Textual's Footer rebuilds one widget per key whenever bindings or focus change, which
    cost about 100 ms of start-up here; the keys shown are fixed, so one line does.
    """

    DEFAULT_CSS = """
    KeyFooter {
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
        & > .key-footer--key { color: $footer-key-foreground; text-style: bold; }
    }
    """
    COMPONENT_CLASSES = {"key-footer--key"}

    class Key(NamedTuple):
        """A key the footer shows and the action it runs (on the screen, or "app.…")."""

        key: str
        description: str
        action: str

    def __init__(
        self,
        keys: list[KeyFooter.Key],
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.keys = keys
        self._spans: list[tuple[int, int, str]] = []

    @property
    def plain(self) -> str:
        """The footer as plain text."""
        return self.render().plain

    def render(self) -> Text:
        """ " enter Open  tab Pane  s Save …", remembering where each key's cells are."""
        key_style = component_style(self, "key-footer--key")
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        spans = []
        for item in self.keys:
            start = cell_len(text.plain)
            text.append(f" {item.key} ", key_style)
            text.append(item.description)
            text.append(" ")
            spans.append((start, cell_len(text.plain), item.action))
        self._spans = spans
        return text

    async def on_click(self, event: events.Click) -> None:
        """Run the action of the key that was clicked."""
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.screen.run_action(action)
                return
