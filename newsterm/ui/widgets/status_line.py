"""StatusLine: one line saying where the ticker's data comes from and what is going on."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from newsterm.text.sanitize import screen_line
from newsterm.ui.component_style import component_style

PART_KINDS = ("source", "online", "offline", "new", "busy", "error")
# Each kind of part: (component class giving its colour, bold). Four colour classes for six
# kinds: Textual restyles every component class whenever the widget's styles change.
_PART_STYLES = {
    "source": (None, True),
    "online": ("good", False),
    "new": ("good", True),
    "offline": ("warning", True),
    "busy": ("busy", False),
    "error": ("error", True),
}
_COLOUR_CLASSES = ("good", "warning", "busy", "error")


class StatusLine(Static):
    """Sources, online/offline, last update, new headlines, refresh progress and errors."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
        & > .status-line--good { color: $success; }
        & > .status-line--warning { color: $warning; }
        & > .status-line--busy { color: $accent; }
        & > .status-line--error { color: $error; }
    }
    """
    COMPONENT_CLASSES = {f"status-line--{name}" for name in _COLOUR_CLASSES}

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.parts: list[tuple[str, str]] = []

    @property
    def plain(self) -> str:
        """The line as plain text."""
        return " · ".join(text for text, _ in self.parts)

    def show_parts(self, parts: list[tuple[str, str]]) -> None:
        """Show (text, kind) parts joined by dots; kind is one of PART_KINDS or ""."""
        self.parts = [(screen_line(text), kind) for text, kind in parts if text]
        self._draw()

    def notify_style_update(self) -> None:
        """A new theme: redraw with its colours."""
        super().notify_style_update()
        if self.parts:
            self._draw()

    def _draw(self) -> None:
        line = Text(end="", no_wrap=True, overflow="ellipsis")
        for index, (text, kind) in enumerate(self.parts):
            if index:
                line.append(" · ")
            colour, bold = _PART_STYLES.get(kind, (None, False))
            style = component_style(self, f"status-line--{colour}") if colour else Style()
            line.append(text, style + Style(bold=bold))
        self.update(line)
