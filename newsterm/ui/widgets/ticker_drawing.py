"""How the ticker draws its lines: rows with their time, label column and wrapped title."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color, ColorParseError
from textual.strip import Strip

from newsterm.text.sanitize import screen_line
from newsterm.text.time_format import day_header
from newsterm.ui.component_style import component_style
from newsterm.ui.ticker_entry import UNDATED, TickerEntry
from newsterm.ui.title_wrap import fit_cells, split_title

if TYPE_CHECKING:
    pass

LABEL_CELLS = 12
"""The widest the label column may be; a site that writes a sentence there gets it cut."""
ROW_PREFIX_CELLS = 9
"""The mark (2 cells), the time (5) and the gap after it (2), before the label column."""
MAX_TITLE_CELLS = 100
"""The widest title the ticker asks room for (see preferred_width); longer ones wrap."""
# Label chip colours: (theme variable for the background, text colour). Read from the theme
# rather than from component classes, which Textual restyles one by one on every change.
CHIP_COLOURS = {
    "exclusive": ("error", "white"),
    "breaking": ("error", "white"),
    "opinion": ("secondary", "white"),
    "updated": ("warning", "black"),
    "review": ("success", "black"),
    "video": ("accent", "black"),
    "photo": ("accent", "black"),
}
OTHER_CHIP = ("panel", "foreground")


class TickerDrawing:
    """The drawing half of HeadlineTicker (a mixin): turns an entry into one or two Texts.

    Reads the widget's `_styles`, `_label_cells`, `_wrap_width`, `show_source`,
    `selected_url`, `new_ids` and `has_focus`; changes nothing but the style cache.
    """

    _styles: dict[str, Style]
    _label_cells: int
    _wrap_width: int
    show_source: bool
    selected_url: str | None
    new_ids: frozenset[int]

    def _prefix_cells(self, entry: TickerEntry) -> int:
        """The cells before a row's title: mark, time, label column, source name."""
        cells = ROW_PREFIX_CELLS + (self._label_cells + 3 if self._label_cells else 0)
        if self.show_source:
            cells += cell_len(_screen(entry.source_name)) + 3
        return cells

    def _title_lines(self, entry: TickerEntry, width: int) -> tuple[str, str]:
        """The row's title as it is drawn: its first line and what wraps onto the second
        (room is kept for the "+N" of a story that other sources report too)."""
        room = width - self._prefix_cells(entry) - cell_len(_also_text(entry))
        return _split(entry.title, room)

    def _continuation_indent(self, entry: TickerEntry, rest: str, width: int) -> int:
        """Where a wrapped title's second line starts: under the title, or under the label
        column when that leaves room for the whole rest (narrow panes, long titles)."""
        prefix = self._prefix_cells(entry)
        return prefix if cell_len(rest) <= width - prefix else ROW_PREFIX_CELLS

    def _component_style(self, name: str) -> Style:
        # Asked for several times per drawn line: keep them until the styles change.
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, name)  # type: ignore[arg-type]
        return style

    def _chip_style(self, kind: str) -> Style:
        key = f"chip-{kind}"
        style = self._styles.get(key)
        if style is None:
            background, foreground = CHIP_COLOURS.get(kind, OTHER_CHIP)
            variables = self.app.get_css_variables()
            try:
                style = Style(
                    bgcolor=Color.parse(variables.get(background, "grey")).rich_color,
                    color=Color.parse(variables.get(foreground, foreground)).rich_color,
                )
            except ColorParseError:  # a theme with an unusual value: fall back to reverse
                style = Style(reverse=True)
            self._styles[key] = style
        return style

    def _strip(self, text: Text, width: int) -> Strip:
        text.truncate(max(width, 0), overflow="ellipsis", pad=True)
        if not text.spans:
            # Text.render applies the base style only through spans; a plain line needs it here.
            return Strip([Segment(text.plain, text.style)], max(width, 0))
        return Strip(text.render(self.app.console), max(width, 0))

    def _day_text(self, day: int, base: Style) -> Text:
        style = base + self._component_style("headline-ticker--day")
        title = "Undated" if day == UNDATED else day_header(date.fromordinal(day))
        return Text(" " + title, style=style, end="")

    def _row_text(self, entry: TickerEntry, is_cursor: bool, base: Style, part: int = 0) -> Text:
        """One line of a headline: mark, time, label column, source, title (bold while
        unread); `part` 1 is the second line of a wrapped title, under the first."""
        component = self._component_style
        line_style = base
        if is_cursor:
            name = (
                "headline-ticker--cursor" if self.has_focus else "headline-ticker--cursor-blurred"
            )
            line_style = base + component(name)
        elif entry.url == self.selected_url:
            line_style = base + component("headline-ticker--selected")
        if is_cursor:
            title_style = None if entry.read else Style(bold=True)
        else:
            title_style = component(
                "headline-ticker--read" if entry.read else "headline-ticker--unread"
            )
        text = Text(style=line_style, end="")
        first, rest = self._title_lines(entry, self._wrap_width)
        also = _also_text(entry)
        if part:
            text.append(" " * self._continuation_indent(entry, rest, self._wrap_width))
            text.append(rest, title_style)
            text.append(also, component("headline-ticker--source"))
            return text
        if entry.saved:
            text.append("★ ", component("headline-ticker--saved"))
        elif entry.watched:
            text.append("◆ ", component("headline-ticker--watched"))
        elif entry.id in self.new_ids:
            text.append("• ", component("headline-ticker--new"))
        else:
            text.append("  ")
        # On the cursor row the cursor's own colours win, so every part stays readable.
        time_style = None if is_cursor else component("headline-ticker--time")
        text.append(entry.clock or "     ", time_style)
        text.append("  ")
        if self._label_cells:
            # The label as the page writes it, in a column as wide as the widest one, so
            # that titles line up whether a row has a label or not.
            label = screen_line(entry.label or "")
            label = label[: fit_cells(label, self._label_cells)]
            if label != screen_line(entry.label or ""):
                label = label[: fit_cells(label, self._label_cells - 1)] + "…"
            if label:
                text.append(f" {label} ", self._chip_style(label.lower()))
            text.append(" " * (self._label_cells - cell_len(label) + (1 if label else 3)))
        if self.show_source:
            source_style = component("headline-ticker--source")
            text.append(screen_line(entry.source_name), source_style)
            text.append(" · ", source_style)
        text.append(first, title_style)
        if not rest:
            text.append(also, component("headline-ticker--source"))
        return text


def _also_text(entry: TickerEntry) -> str:
    """ " +2 sources" after the title of a story that other sources report too."""
    if not entry.also:
        return ""
    return f" +{entry.also} source{'s' if entry.also > 1 else ''}"


@lru_cache(maxsize=4096)
def _screen(text: str) -> str:
    """screen_line, kept for the names a window repeats on every row."""
    return screen_line(text)


@lru_cache(maxsize=8192)
def _split(title: str, room: int) -> tuple[str, str]:
    """A title cleaned and split to its lines: laid out again on every read of the window,
    the same titles at the same width give the same lines."""
    return split_title(screen_line(title), room)
