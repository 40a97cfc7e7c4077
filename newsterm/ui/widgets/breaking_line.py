"""BreakingLine: one line across the top that scrolls the latest headlines past."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from newsterm.text.sanitize import screen_line
from newsterm.ui.component_style import component_style

CELLS_PER_SECOND = 8
SEPARATOR = "   •   "


class BreakingLine(Widget):
    """A marquee of the newest headlines; its position is a function of the app's clock.

    Deriving the offset from the clock (rather than counting ticks) means a frozen clock
    gives a still line, which keeps screenshots and snapshot tests deterministic.
    """

    DEFAULT_CSS = """
    BreakingLine {
        height: 1;
        background: $primary;
        color: $text;
        & > .breaking-line--chip { background: $foreground; color: $background; text-style: bold; }
    }
    """
    COMPONENT_CLASSES = {"breaking-line--chip"}

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self._loop = ""

    def on_mount(self) -> None:
        """Advance a few times a second (only drawing work while it is displayed)."""
        self.set_interval(1 / CELLS_PER_SECOND, self._tick)

    def _tick(self) -> None:
        if self.display and self.screen.is_current:
            self.refresh()

    def set_headlines(self, headlines: list[tuple[str, str]]) -> None:
        """The (time, title) pairs to scroll, newest first."""
        items = [f"{clock}  {screen_line(title)}".strip() for clock, title in headlines]
        self._loop = SEPARATOR.join(items) + SEPARATOR if items else ""
        self.refresh()

    def render(self) -> Text:
        """The chip, then the part of the loop that the clock says is in view."""
        chip_style = component_style(self, "breaking-line--chip")
        text = Text(end="")
        text.append(" LATEST ", chip_style)
        text.append(" ")
        width = self.content_region.width - cell_len(text.plain)
        if width <= 0:
            return text
        if not self._loop:
            text.append("No headlines yet")
            return text
        offset = int(self.clock() * CELLS_PER_SECOND) % len(self._loop)
        # Only as many characters as can fill the line are measured: a character takes at
        # most two cells, and a grapheme cluster (an emoji with modifiers) a few characters.
        needed = width * 4 + 8
        visible = self._loop[offset : offset + needed]
        while len(visible) < needed:
            visible += self._loop[: needed - len(visible)]
        shown = Text(visible, end="")
        shown.truncate(width)
        text.append_text(shown)
        return text
