"""HeadlineTicker: the headline list as a Line API widget over a window of lightweight rows."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color, ColorParseError
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from newsterm.sanitize import screen_line
from newsterm.time_format import day_header
from newsterm.ui.component_style import component_style
from newsterm.ui.ticker_entry import UNDATED, TickerEntry

if TYPE_CHECKING:
    from newsterm.library import Library

WINDOW = 500
"""Rows read at start, and per page as the cursor nears the end of what is loaded."""
FIRST_PAINT_ROWS = 150
"""Rows read before the first paint (more than any screen shows); the window fills after."""
PAGE_IN_MARGIN = 50
"""How close (in rows) the cursor or the view gets to the loaded end before more is read."""
PREFETCH_LIMIT = 20_000
"""Rows the background prefetch reads at most; past it, rows are read as the cursor goes."""
PREFETCH_CHUNK = 2_000
LABEL_CELLS = 16
"""The widest a label chip may be; a site that writes a sentence there gets it cut."""
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


class HeadlineTicker(ScrollView, can_focus=True):
    """The ticker: day headers and one line per headline, drawn only for the lines on screen.

    Rows live in `entries` (newest first) as `TickerEntry` tuples: the first paint reads
    FIRST_PAINT_ROWS, the window of WINDOW follows, a thread reads on up to PREFETCH_LIMIT
    in the background, and past that rows are read as the cursor or the view nears the
    end. Virtual line `n` is `_lines[n]`: an entry index, `~index` for the day header
    above that entry, or `len(entries)` for the "More news" line. The cursor and the
    selection are kept by headline id across reloads, so a refresh never moves what the
    user is looking at.
    """

    class Chosen(Message):
        """The user chose a headline to read (enter or a click)."""

        def __init__(self, url: str, title: str) -> None:
            super().__init__()
            self.url = url
            self.title = title

    class EndReached(Message):
        """The ticker has shown every cached headline; the site's next page may hold more."""

        def __init__(self, pushed_past: bool = False) -> None:
            super().__init__()
            self.pushed_past = pushed_past
            """True when the user tried to move past the last row, not only reached it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="up"),
        Binding("g,home", "cursor_top", "Top", show=False, id="top"),
        Binding("G,end", "cursor_bottom", "Bottom", show=False, id="bottom"),
        Binding("pagedown", "cursor_page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "cursor_page_up", "Page up", show=False, id="page_up"),
        Binding("enter", "open", "Open", id="open"),
        Binding("left_square_bracket", "previous_day", "Older day", show=False, id="previous_day"),
        Binding("right_square_bracket", "next_day", "Newer day", show=False, id="next_day"),
        Binding("n", "next_unread", "Next unread", show=False, id="next_unread"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "headline-ticker--day",
        "headline-ticker--time",
        "headline-ticker--unread",
        "headline-ticker--read",
        "headline-ticker--cursor",
        "headline-ticker--cursor-blurred",
        "headline-ticker--selected",
        "headline-ticker--saved",
        "headline-ticker--new",
        "headline-ticker--source",
        "headline-ticker--more",
    }

    DEFAULT_CSS = """
    HeadlineTicker {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .headline-ticker--day { color: $primary; text-style: bold; }
        & > .headline-ticker--time { color: $text-muted; }
        & > .headline-ticker--unread { text-style: bold; }
        & > .headline-ticker--read { color: $text-muted; }
        & > .headline-ticker--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .headline-ticker--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .headline-ticker--selected { background: $boost; }
        & > .headline-ticker--saved { color: $warning; text-style: bold; }
        & > .headline-ticker--new { color: $success; text-style: bold; }
        & > .headline-ticker--source { color: $secondary; text-style: italic; }
        & > .headline-ticker--more { color: $text-muted; text-style: italic; }
    }
    """

    def __init__(
        self,
        library: Library,
        zone: tzinfo | None,
        *,
        window: int = WINDOW,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.library = library
        self.zone = zone
        self.window = window
        self.entries: list[TickerEntry] = []
        self.total = 0
        """How many headlines the cache holds for the shown sources."""
        self.cursor = -1
        """Index into `entries` of the cursor row, -1 when there are none."""
        self.selected_url: str | None = None
        """The article open in the reader, drawn highlighted."""
        self.new_ids: frozenset[int] = frozenset()
        """Headlines that arrived with the last refresh, marked until the next one."""
        self.show_source = False
        """Whether rows name their source (when several sources are shown)."""
        self.empty_text = "No headlines cached yet. Press r to refresh."
        self._more_text: str | None = None
        self._lines: list[int] = []
        self._entry_lines: list[int] = []
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._generation = 0
        """Bumped by every reload, so that a prefetched chunk read before it is dropped."""
        self._styles: dict[str, Style] = {}

    # -- loading ---------------------------------------------------------------------------

    @property
    def exhausted(self) -> bool:
        """Whether every cached headline is loaded."""
        return len(self.entries) >= self.total

    @property
    def cursor_entry(self) -> TickerEntry | None:
        """The headline under the cursor."""
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    @property
    def more_text(self) -> str | None:
        """The line shown after the last headline ("More news ↓"), or None for none."""
        return self._more_text

    @more_text.setter
    def more_text(self, value: str | None) -> None:
        if value != self._more_text:
            self._more_text = value
            self._layout()
            self.refresh()

    def load(self) -> None:
        """Read the newest rows from the cache: enough for the first paint, and no more.

        The rest of the window is read once that paint is on screen (see on_mount).
        """
        self.total = self.library.headline_count()
        rows = self.library.ticker_rows(0, min(self.window, FIRST_PAINT_ROWS))
        self.entries = [TickerEntry.from_row(row, self.zone) for row in rows]
        self.cursor = 0 if self.entries else -1
        self._layout()
        self.refresh()

    def on_mount(self) -> None:
        """Fill the window after the first paint (Textual runs ScrollView's on_mount too)."""
        self.call_after_refresh(self._fill_window)

    def _fill_window(self) -> None:
        missing = self.window - len(self.entries)
        if missing > 0:
            self._page_in(missing)
        self.start_prefetch()

    def reload(self, *, mark_new: bool = False) -> int:
        """Re-read the rows after the cache changed; the cursor and the view stay put.

        Only the rows up to the cursor and the view (at least a window) are read again;
        the background prefetch reads the rest. Returns how many headlines are new (ids
        the rows did not have before); with `mark_new` they are marked until the next such
        reload.
        """
        old_max_id = max((entry.id for entry in self.entries), default=0)
        cursor_id = self.cursor_entry.id if self.cursor_entry else None
        anchor = self._view_anchor()
        at_top = self.scroll_offset.y == 0
        total = self.library.headline_count()
        grown = max(0, total - self.total)
        needed = max(self.window, self.cursor + PAGE_IN_MARGIN, self._last_visible_index())
        rows = self.library.ticker_rows(0, needed + grown + PAGE_IN_MARGIN)
        self._generation += 1
        self.total = total
        self.entries = [TickerEntry.from_row(row, self.zone) for row in rows]
        new_ids = frozenset(e.id for e in self.entries if e.id > old_max_id) if old_max_id else ()
        if mark_new:
            self.new_ids = frozenset(new_ids)
        self._layout()
        self.cursor = self._index_of_id(cursor_id)
        if self.cursor < 0:
            self.cursor = 0 if self.entries else -1
        self._restore_view(anchor, at_top)
        self.refresh()
        self.start_prefetch()
        return len(new_ids)

    def _last_visible_index(self) -> int:
        """The index of the last headline in view (0 when there is none)."""
        bottom = min(self.scroll_offset.y + self.scrollable_content_region.height, len(self._lines))
        for number in range(bottom - 1, -1, -1):
            code = self._lines[number]
            if 0 <= code < len(self.entries):
                return code
        return 0

    # -- the background prefetch -----------------------------------------------------------

    def start_prefetch(self) -> None:
        """Read the rest of the cache (up to PREFETCH_LIMIT rows) in a thread, a chunk at a time.

        With the rows already in memory, G and paging through thousands of headlines cost
        nothing more than drawing the lines on screen.
        """
        if not self.exhausted and len(self.entries) < PREFETCH_LIMIT and self.is_mounted:
            self._prefetch(len(self.entries), self._generation)

    @work(thread=True, exclusive=True, group="ticker-prefetch", exit_on_error=False)
    def _prefetch(self, offset: int, generation: int) -> None:
        worker = get_current_worker()
        while offset < min(self.total, PREFETCH_LIMIT) and not worker.is_cancelled:
            rows = self.library.ticker_rows(offset, PREFETCH_CHUNK)
            if not rows:
                return
            entries = [TickerEntry.from_row(row, self.zone) for row in rows]
            if worker.is_cancelled:
                return
            try:
                # Waits for the UI to take the chunk: the reading never runs far ahead.
                self.app.call_from_thread(self._take_prefetched, entries, offset, generation)
            except RuntimeError:
                return  # the app has stopped
            offset += len(rows)

    def _take_prefetched(self, entries: list[TickerEntry], offset: int, generation: int) -> None:
        """Append a prefetched chunk, unless a reload made it stale."""
        skip = len(self.entries) - offset
        if generation != self._generation or skip < 0 or skip >= len(entries):
            return  # stale, or already paged in by the cursor
        self.entries.extend(entries[skip:])
        self.total = max(self.total, len(self.entries))
        self._layout()
        self.refresh()

    def _page_in(self, limit: int | None = None) -> bool:
        """Read the next page of cached rows after the loaded ones; False when none came."""
        if self.exhausted:
            return False
        rows = self.library.ticker_rows(len(self.entries), limit or self.window)
        # A refresh may have shifted offsets since the window was read: skip repeats.
        recent = {entry.id for entry in self.entries[-2 * len(rows) - 1 :]}
        fresh = [TickerEntry.from_row(row, self.zone) for row in rows if row.id not in recent]
        if not fresh:
            self.total = len(self.entries)
            return False
        self.entries.extend(fresh)
        self.total = max(self.total, len(self.entries))
        self._layout()
        self.refresh()
        return True

    def _layout(self) -> None:
        """Rebuild the virtual lines: a day header before each day's first row."""
        lines: list[int] = []
        entry_lines: list[int] = []
        previous_day = None
        for index, entry in enumerate(self.entries):
            if entry.day != previous_day:
                lines.append(~index)
                previous_day = entry.day
            entry_lines.append(len(lines))
            lines.append(index)
        if self._more_text and self.entries and self.exhausted:
            lines.append(len(self.entries))
        self._lines = lines
        self._entry_lines = entry_lines
        self.virtual_size = Size(0, max(len(lines), 1))

    def _index_of_id(self, headline_id: int | None) -> int:
        if headline_id is None:
            return -1
        for index, entry in enumerate(self.entries):
            if entry.id == headline_id:
                return index
        return -1

    def _view_anchor(self) -> tuple[int, int] | None:
        """The first headline in view and its distance from the top, to restore after reload."""
        top = self.scroll_offset.y
        for number in range(top, min(top + 3, len(self._lines))):
            code = self._lines[number]
            index = ~code if code < 0 else code
            if index < len(self.entries):
                return self.entries[index].id, self._entry_lines[index] - top
        return None

    def _restore_view(self, anchor: tuple[int, int] | None, at_top: bool) -> None:
        height = self.scrollable_content_region.height
        if at_top and (self.cursor < 0 or self._entry_lines[self.cursor] < height):
            self.set_scroll(None, 0)  # new headlines slide in above; nothing else moves
            return
        if anchor is None:
            return
        index = self._index_of_id(anchor[0])
        if index >= 0:
            target = max(0, self._entry_lines[index] - anchor[1])
            self.set_scroll(None, min(target, max(0, len(self._lines) - height)))

    # -- flags shown per row ---------------------------------------------------------------

    def set_flags(self, url: str, *, read: bool | None = None, saved: bool | None = None) -> None:
        """Update the read or saved mark of every row for this article."""
        for index, entry in enumerate(self.entries):
            if entry.url == url:
                self.entries[index] = entry._replace(
                    read=entry.read if read is None else read,
                    saved=entry.saved if saved is None else saved,
                )
        self.refresh()

    def select(self, url: str | None) -> None:
        """Highlight the row of the article open in the reader."""
        self.selected_url = url
        self.refresh()

    def move_to_url(self, url: str) -> bool:
        """Put the cursor on this article's row if it is loaded."""
        for index, entry in enumerate(self.entries):
            if entry.url == url:
                self.move_cursor(index)
                return True
        return False

    def latest(self, count: int) -> list[TickerEntry]:
        """The newest headlines, for the breaking line."""
        return self.entries[:count]

    # -- cursor ----------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        """Move the cursor to a row, reading more rows first when it nears the loaded end."""
        if not self.entries:
            return
        while index >= len(self.entries) - PAGE_IN_MARGIN and self._page_in():
            pass
        index = max(0, min(index, len(self.entries) - 1))
        if index != self.cursor:
            self.cursor = index
            self.refresh()
        self._scroll_cursor_into_view()
        if self.cursor == len(self.entries) - 1 and self.exhausted:
            self.post_message(self.EndReached())

    def _scroll_cursor_into_view(self) -> None:
        if self.cursor < 0:
            return
        line = self._entry_lines[self.cursor]
        top = line - 1 if line and self._lines[line - 1] < 0 else line
        if self.cursor == len(self.entries) - 1:
            line = len(self._lines) - 1  # the last row brings the "More news" line with it
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        current = self.scroll_offset.y
        if top < current:
            target = top
        elif line >= current + height:
            target = line - height + 1
        else:
            return
        self.scroll_to(y=target, animate=False, force=True)

    def action_cursor_down(self) -> None:
        """Move to the next (older) headline."""
        if self.cursor == len(self.entries) - 1 and self.exhausted:
            self.post_message(self.EndReached(pushed_past=True))
            return
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Move to the previous (newer) headline."""
        self.move_cursor(self.cursor - 1)

    def action_cursor_top(self) -> None:
        """Move to the newest headline."""
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        """Move to the oldest cached headline (reading the rest of the cache first)."""
        if not self.exhausted:
            self._page_in(self.total - len(self.entries))
        self.move_cursor(len(self.entries) - 1)

    def action_cursor_page_down(self) -> None:
        """Move a screenful down."""
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height - 2))

    def action_cursor_page_up(self) -> None:
        """Move a screenful up."""
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height - 2))

    def action_open(self) -> None:
        """Open the headline under the cursor in the reader."""
        entry = self.cursor_entry
        if entry is not None:
            self.post_message(self.Chosen(entry.url, entry.title))

    def action_previous_day(self) -> None:
        """Jump to the first headline of the day before (further down the list)."""
        entry = self.cursor_entry
        if entry is None:
            return
        index = self.cursor + 1
        while True:
            while index < len(self.entries):
                if self.entries[index].day != entry.day:
                    self.move_cursor(index)
                    return
                index += 1
            if not self._page_in():
                self.notify("No earlier day cached.", timeout=3, markup=False)
                return

    def action_next_day(self) -> None:
        """Jump to the first headline of the day after (further up the list)."""
        entry = self.cursor_entry
        if entry is None:
            return
        start = self.cursor
        while start > 0 and self.entries[start - 1].day == entry.day:
            start -= 1
        if start == 0:
            self.move_cursor(0)
            return
        newer_day = self.entries[start - 1].day
        while start > 0 and self.entries[start - 1].day == newer_day:
            start -= 1
        self.move_cursor(start)

    def action_next_unread(self) -> None:
        """Jump to the next unread headline below the cursor."""
        index = self.cursor + 1
        while True:
            while index < len(self.entries):
                if not self.entries[index].read:
                    self.move_cursor(index)
                    return
                index += 1
            if not self._page_in():
                self.notify("No unread headlines below.", timeout=3, markup=False)
                return

    # -- mouse and scrolling ---------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click on a row opens it; a click on "More news" asks for the next page."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        number = self.scroll_offset.y + offset.y
        if not 0 <= number < len(self._lines):
            return
        code = self._lines[number]
        if code == len(self.entries):
            self.post_message(self.EndReached(pushed_past=True))
        elif code >= 0:
            self.move_cursor(code)
            self.action_open()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Read more rows when the view (not only the cursor) nears the loaded end."""
        super().watch_scroll_y(old_value, new_value)
        height = self.scrollable_content_region.height
        if not self.exhausted and new_value + height >= len(self._lines) - PAGE_IN_MARGIN:
            self.call_later(self._page_in)

    def on_focus(self) -> None:
        """The cursor colour shows which pane has the keys."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor colour shows which pane has the keys."""
        self.refresh()

    def notify_style_update(self) -> None:
        """A new theme or stylesheet: every cached line is stale."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one line of the view, from the cache of drawn lines when it is unchanged."""
        width = self.scrollable_content_region.width
        number = self.scroll_offset.y + y
        base = self.rich_style
        if not self.entries:
            if y == 0:
                muted = self._component_style("headline-ticker--more")
                text = Text(" " + self.empty_text, style=base + muted, end="")
                return self._strip(text, width)
            return Strip.blank(width, base)
        if not 0 <= number < len(self._lines):
            return Strip.blank(width, base)
        code = self._lines[number]
        theme = (self.app.theme, base)
        if code < 0:
            day = self.entries[~code].day
            key: tuple = ("day", day, width, theme)
        elif code == len(self.entries):
            key = ("more", self._more_text, width, theme)
        else:
            entry = self.entries[code]
            key = (
                entry,
                code == self.cursor,
                self.has_focus,
                entry.url == self.selected_url,
                entry.id in self.new_ids,
                self.show_source,
                width,
                theme,
            )
        strip = self._strips.get(key)
        if strip is None:
            if code < 0:
                text = self._day_text(self.entries[~code].day, base)
            elif code == len(self.entries):
                muted = self._component_style("headline-ticker--more")
                text = Text("  " + (self._more_text or ""), style=base + muted, end="")
            else:
                text = self._row_text(self.entries[code], code == self.cursor, base)
            strip = self._strip(text, width)
            self._strips[key] = strip
        return strip

    def _component_style(self, name: str) -> Style:
        # Asked for several times per drawn line: keep them until the styles change.
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, name)
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

    def _row_text(self, entry: TickerEntry, is_cursor: bool, base: Style) -> Text:
        """One headline: mark, time, label chip, source, title (bold while unread)."""
        component = self._component_style
        line_style = base
        if is_cursor:
            name = (
                "headline-ticker--cursor" if self.has_focus else "headline-ticker--cursor-blurred"
            )
            line_style = base + component(name)
        elif entry.url == self.selected_url:
            line_style = base + component("headline-ticker--selected")
        text = Text(style=line_style, end="")
        if entry.saved:
            text.append("★ ", component("headline-ticker--saved"))
        elif entry.id in self.new_ids:
            text.append("• ", component("headline-ticker--new"))
        else:
            text.append("  ")
        # On the cursor row the cursor's own colours win, so every part stays readable.
        time_style = None if is_cursor else component("headline-ticker--time")
        text.append(entry.clock or "     ", time_style)
        text.append("  ")
        if entry.label:
            label = screen_line(entry.label).upper()
            if cell_len(label) > LABEL_CELLS:
                chip = Text(label)
                chip.truncate(LABEL_CELLS, overflow="ellipsis")
                label = chip.plain
            if label:
                text.append(f" {label} ", self._chip_style(label.lower()))
                text.append(" ")
        if self.show_source:
            source_style = component("headline-ticker--source")
            text.append(screen_line(entry.source_name), source_style)
            text.append(" · ", source_style)
        if is_cursor:
            title_style = None if entry.read else Style(bold=True)
        else:
            title_style = component(
                "headline-ticker--read" if entry.read else "headline-ticker--unread"
            )
        text.append(screen_line(entry.title), title_style)
        return text
