"""HeadlineTicker: the headline list as a Line API widget over a window of lightweight rows."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsterm.text.sanitize import screen_line
from newsterm.ui.ticker_entry import TickerEntry
from newsterm.ui.widgets.ticker_drawing import LABEL_CELLS, MAX_TITLE_CELLS, TickerDrawing
from newsterm.ui.widgets.ticker_jumps import TickerJumps

if TYPE_CHECKING:
    from newsterm.library import Library, TickerRow

WINDOW = 500
"""Rows the ticker reads at start and keeps around the cursor; it never holds more than
MAX_WINDOW, whatever the size of the cache."""
MAX_WINDOW = 1_500
FIRST_PAINT_ROWS = 150
"""Rows read before the first paint (more than any screen shows); the window fills after."""
PAGE_IN_MARGIN = 50
"""How close (in rows) the cursor or the view gets to either end of the window before the
next rows beyond it are read (by key: as cheap at the millionth row as at the first)."""
PAGE = 200
"""Rows read per step past either end of the window."""
JUMP_ABOVE = 100
JUMP_BELOW = 300
"""The window a jump reads around its target row (more follows by key as the cursor moves)."""


class HeadlineTicker(TickerJumps, TickerDrawing, ScrollView, can_focus=True):
    """The ticker: day headers and a line or two per headline, drawn only for the lines on
    screen.

    Rows live in `entries` (newest first) as `TickerEntry` tuples: a window over the cache,
    never more than MAX_WINDOW rows, read by key from the row at either end as the cursor
    or the view nears it; jumps (`g`, `G`, days, next unread) ask the library for the target
    row and read the window around it. Virtual line `n` is `_lines[n]`: an entry index,
    `~index` for the day header above that entry, or `len(entries)` for the "More news"
    line; a title too long for the pane wraps onto a second line, which has the same
    entry index (`_line_parts[n]` is 1 there) so that every lookup by line still works.
    The cursor and the selection are kept by headline id across reloads, so a refresh
    never moves what the user is looking at.
    """

    class Chosen(Message):
        """The user chose a headline to read (enter or a click)."""

        def __init__(self, url: str, title: str) -> None:
            super().__init__()
            self.url = url
            self.title = title

    class StoryWanted(Message):
        """The user asked for the other sources of a headline's story."""

        def __init__(self, headline_id: int) -> None:
            super().__init__()
            self.headline_id = headline_id

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
        Binding("w", "next_watched", "Next watched", show=False, id="next_watched"),
        Binding("e", "story", "Story's sources", show=False, id="story"),
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
        "headline-ticker--watched",
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
        & > .headline-ticker--watched { color: $accent; text-style: bold; }
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
        self.at_newest = True
        """Whether the window starts at the newest headline."""
        self.at_oldest = True
        """Whether the window ends at the oldest cached headline."""
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
        self._line_parts: list[int] = []
        """Per virtual line: 0, or 1 for the second line of a wrapped title."""
        self._entry_lines: list[int] = []
        self._label_cells = 0
        """The width of the label column: the widest label in the window, up to LABEL_CELLS."""
        self._wrap_width = 0
        """The pane width the lines were laid out for (0 before the first layout)."""
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}

    # -- loading ---------------------------------------------------------------------------

    @property
    def exhausted(self) -> bool:
        """Whether the window reaches the oldest cached headline."""
        return self.at_oldest

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
        limit = min(self.window, FIRST_PAINT_ROWS)
        self._show(self.library.ticker.newest(limit), at_newest=True, asked_older=limit)
        self.cursor = 0 if self.entries else -1
        self.refresh()

    def on_mount(self) -> None:
        """Fill the window after the first paint (Textual runs ScrollView's on_mount too)."""
        self.call_after_refresh(self._fill_window)

    def _fill_window(self) -> None:
        missing = self.window - len(self.entries)
        if missing > 0:
            self._read_older(missing)

    def _entries(self, rows: list[TickerRow]) -> list[TickerEntry]:
        """Entries for rows, with the news desk's word on each: watched, "+N sources"."""
        desk = self.library.desk
        counts = desk.story_source_counts(rows)
        return [
            TickerEntry.from_row(
                row,
                self.zone,
                also=max(0, counts.get(row.story, 1) - 1) if row.story is not None else 0,
                watched=bool(desk.watch_matches(row)),
            )
            for row in rows
        ]

    def _show(
        self, rows: list[TickerRow], *, at_newest: bool, asked_older: int | None = None
    ) -> None:
        """Make `rows` the window. `asked_older`: how many rows were asked for past the
        first one's place (fewer came: the window reaches the oldest end)."""
        self.entries = self._entries(rows)
        self.at_newest = at_newest
        self.at_oldest = asked_older is not None and len(rows) < asked_older
        self._layout()

    def reload(self, *, mark_new: bool = False) -> int:
        """Re-read the window after the cache changed; the cursor and the view stay put.

        The window is read again around the cursor's headline (from the newest row when
        the window started there), so new headlines slide in above without moving it.
        Returns how many headlines are new (ids the rows did not have before); with
        `mark_new` they are marked until the next such reload.
        """
        old_max_id = max((entry.id for entry in self.entries), default=0)
        cursor_id = self.cursor_entry.id if self.cursor_entry else None
        anchor = self._view_anchor()
        at_top = self.scroll_offset.y == 0
        ticker = self.library.ticker
        rows: list[TickerRow] = []
        if cursor_id is not None and (row := ticker.row(cursor_id)) is not None:
            above = max(self.cursor, self._last_visible_index()) + PAGE_IN_MARGIN
            above = min(above, MAX_WINDOW // 2)
            rows = ticker.around(row, above, self.window)
        if rows:
            newer = next(i for i, row in enumerate(rows) if row.id == cursor_id)
            self._show(rows, at_newest=newer < above)
            self.at_oldest = len(rows) - newer - 1 < self.window
        else:  # no cursor yet, or its headline is gone from the cache
            self._show(ticker.newest(self.window), at_newest=True, asked_older=self.window)
        new_ids = frozenset(e.id for e in self.entries if e.id > old_max_id) if old_max_id else ()
        if mark_new:
            self.new_ids = frozenset(new_ids)
        self.cursor = self._index_of_id(cursor_id)
        if self.cursor < 0:
            self.cursor = 0 if self.entries else -1
        self._restore_view(anchor, at_top)
        self.refresh()
        return len(new_ids)

    def _last_visible_index(self) -> int:
        """The index of the last headline in view (0 when there is none)."""
        bottom = min(self.scroll_offset.y + self.scrollable_content_region.height, len(self._lines))
        for number in range(bottom - 1, -1, -1):
            code = self._lines[number]
            if 0 <= code < len(self.entries):
                return code
        return 0

    # -- reading past either end of the window ---------------------------------------------

    def _read_older(self, limit: int = PAGE) -> bool:
        """Append the rows after the window's last one; False when there are none."""
        if self.at_oldest or not self.entries:
            return False
        rows = self.library.ticker.older_than(self.entries[-1].key, limit)
        self.at_oldest = len(rows) < limit
        if rows:
            self.entries.extend(self._entries(rows))
        self._layout()
        self.refresh()
        return bool(rows)

    def _read_newer(self, limit: int = PAGE) -> int:
        """Put the rows before the window's first one in front; returns how many came."""
        if self.at_newest or not self.entries:
            return 0
        rows = self.library.ticker.newer_than(self.entries[0].key, limit)
        self.at_newest = len(rows) < limit
        if not rows:
            return 0
        first_line = self._entry_lines[0] if self._entry_lines else 0
        self.entries[:0] = self._entries(rows)
        if self.cursor >= 0:
            self.cursor += len(rows)
        overflow = len(self.entries) - MAX_WINDOW
        if overflow > 0:  # far below the view, which is near the window's top
            del self.entries[-overflow:]
            self.at_oldest = False
        self._layout()
        # The rows in front push every line down: keep what is on screen where it is.
        shift = self._entry_lines[len(rows)] - first_line
        self.set_scroll(None, self.scroll_offset.y + shift)
        self.refresh()
        return len(rows)

    def _trim_newest(self) -> None:
        """Keep the window at MAX_WINDOW rows by forgetting rows far above the view."""
        overflow = len(self.entries) - MAX_WINDOW
        if overflow <= 0:
            return
        top = self.scroll_offset.y
        first_visible = next(
            (i for i, line in enumerate(self._entry_lines) if line >= top), len(self.entries)
        )
        count = min(overflow, first_visible - PAGE_IN_MARGIN, self.cursor - PAGE_IN_MARGIN)
        if count <= 0:
            return
        dropped_lines = self._entry_lines[count] - (self._entry_lines[0] if count else 0)
        del self.entries[:count]
        self.cursor -= count
        self.at_newest = False
        self._layout()
        self.set_scroll(None, max(0, top - dropped_lines))
        self.refresh()

    def _jump_to(self, target: TickerRow) -> bool:
        """Read the window around a headline the library found and put the cursor on it."""
        # A jump reads a smaller window than a first paint: the rows beyond it follow by key
        # as the cursor moves, and a key's cost is mostly laying the window out.
        rows = self.library.ticker.around(target, JUMP_ABOVE, JUMP_BELOW)
        newer = next(i for i, row in enumerate(rows) if row.id == target.id)
        self._show(rows, at_newest=newer < JUMP_ABOVE)
        self.at_oldest = len(rows) - newer - 1 < JUMP_BELOW
        self.cursor = -1
        self.move_cursor(newer)
        return True

    def _layout(self) -> None:
        """Rebuild the virtual lines: a day header before each day's first row, and a
        second line under each row whose title does not fit the pane."""
        width = self.scrollable_content_region.width if self.is_mounted else 0
        self._wrap_width = width
        self._label_cells = min(
            LABEL_CELLS,
            max((cell_len(screen_line(e.label)) for e in self.entries if e.label), default=0),
        )
        lines: list[int] = []
        parts: list[int] = []
        entry_lines: list[int] = []
        previous_day = None
        for index, entry in enumerate(self.entries):
            if entry.day != previous_day:
                lines.append(~index)
                parts.append(0)
                previous_day = entry.day
            entry_lines.append(len(lines))
            lines.append(index)
            parts.append(0)
            if width and self._title_lines(entry, width)[1]:
                lines.append(index)
                parts.append(1)
        if self._more_text and self.entries and self.exhausted:
            lines.append(len(self.entries))
            parts.append(0)
        self._lines = lines
        self._line_parts = parts
        self._entry_lines = entry_lines
        self.virtual_size = Size(0, max(len(lines), 1))

    def _row_height(self, index: int) -> int:
        """How many lines the row of entry `index` takes (1, or 2 when its title wraps)."""
        following = self._entry_lines[index] + 1
        wrapped = following < len(self._lines) and self._line_parts[following] == 1
        return 2 if wrapped else 1

    def preferred_width(self) -> int:
        """The pane width (borders included) at which most titles in view fit on one line."""
        widths = sorted(
            self._prefix_cells(entry) + min(MAX_TITLE_CELLS, cell_len(screen_line(entry.title)))
            for entry in self.entries[:FIRST_PAINT_ROWS]
        )
        if not widths:
            return 0
        # Nine rows in ten on one line: the longest few wrap rather than take the screen.
        return widths[min(len(widths) - 1, len(widths) * 9 // 10)] + 3

    def on_resize(self) -> None:
        """A new width wraps titles differently: lay the lines out again, view kept."""
        if self.scrollable_content_region.width == self._wrap_width:
            return
        anchor = self._view_anchor()
        self._layout()
        self._restore_view(anchor, self.scroll_offset.y == 0)
        self._scroll_cursor_into_view()
        self.refresh()

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
        """Move the cursor to a row, reading past the window's end first when it nears it."""
        if not self.entries:
            return
        while index < PAGE_IN_MARGIN and (added := self._read_newer()):
            index += added
        while index >= len(self.entries) - PAGE_IN_MARGIN and self._read_older():
            pass
        index = max(0, min(index, len(self.entries) - 1))
        if index != self.cursor:
            self.cursor = index
            self.refresh()
        self._scroll_cursor_into_view()
        self._trim_newest()
        if self.cursor == len(self.entries) - 1 and self.exhausted:
            self.post_message(self.EndReached())

    def _scroll_cursor_into_view(self) -> None:
        if self.cursor < 0:
            return
        line = self._entry_lines[self.cursor]
        top = line - 1 if line and self._lines[line - 1] < 0 else line
        line += self._row_height(self.cursor) - 1  # the whole row, wrapped title and all
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
        self._scroll_view_to(target)

    def _scroll_view_to(self, line: int) -> None:
        """Put `line` at the top of the view now (the window's bookkeeping reads it at once)."""
        height = self.scrollable_content_region.height
        self.set_scroll(None, max(0, min(line, len(self._lines) - height)))

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
        if not self.at_newest:
            self._show(
                self.library.ticker.newest(self.window), at_newest=True, asked_older=self.window
            )
            self.cursor = -1
        self.move_cursor(0)

    def action_cursor_bottom(self) -> None:
        """Move to the oldest cached headline (the window is read from that end)."""
        if not self.at_oldest:
            rows = self.library.ticker.oldest(self.window)
            self._show(rows, at_newest=len(rows) < self.window)
            self.at_oldest = True
            self.cursor = -1
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
        if not self.at_oldest and new_value + height >= len(self._lines) - PAGE_IN_MARGIN:
            self.call_later(self._read_older)
        elif not self.at_newest and new_value < PAGE_IN_MARGIN:
            self.call_later(self._read_newer)

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
            # The empty pane's message wraps: it says what happened and what to do.
            muted = self._component_style("headline-ticker--more")
            message = Text(screen_line(self.empty_text), style=base + muted, end="")
            lines = message.wrap(self.app.console, max(1, width - 2))
            if y < len(lines):
                return self._strip(Text(" ", style=base + muted, end="") + lines[y], width)
            return Strip.blank(width, base)
        if not 0 <= number < len(self._lines):
            return Strip.blank(width, base)
        code = self._lines[number]
        part = self._line_parts[number]
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
                self._label_cells,
                part,
                self._wrap_width,
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
                text = self._row_text(self.entries[code], code == self.cursor, base, part)
            strip = self._strip(text, width)
            self._strips[key] = strip
        return strip
