"""The newsterm App, its factory (`make_app`) and `run_app`, which the CLI calls."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from newsterm.text.sanitize import screen_line
from newsterm.ui.newsterm_theme import NEWSTERM_THEME
from newsterm.ui.screens.main_screen import MainScreen
from newsterm.ui.ui_state import UiState, read_state, state_path, write_state
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker

if TYPE_CHECKING:
    from newsterm.config import Settings
    from newsterm.library import Library

Clock = Callable[[], float]
"""Returns the current time as epoch seconds; tests pass a fixed one."""

# What each binding id does, for the help screen (the footer uses the short descriptions).
HELP_TEXT = {
    "down": "move down (in the reader: scroll)",
    "up": "move up (in the reader: scroll)",
    "top": "newest headline (reader: top)",
    "bottom": "oldest cached headline (reader: end)",
    "page_down": "page down",
    "page_up": "page up",
    "open": "open the headline in the reader",
    "switch_pane": "switch between ticker and reader",
    "only_source": "show the headline's source alone, or every source again",
    "read_on": "page the article down; at its end, the next headline",
    "zoom": "zoom: the pane gets the whole screen (enter reads zoomed, escape goes back)",
    "previous_day": "previous day (older headlines)",
    "next_day": "next day (newer headlines)",
    "next_unread": "next unread headline",
    "next_watched": "next headline a watch rule matches",
    "story": "the headline's story as every source reports it",
    "save": "save / unsave the article (kept for good, readable offline)",
    "open_browser": "open the article in the web browser",
    "copy_link": "copy the article's link",
    "refresh": "refresh every source now",
    "search": "search the cache (full text)",
    "saved": "saved articles",
    "revisions": "earlier versions of the article",
    "breaking": "breaking line on/off",
    "help": "this help",
    "quit": "quit",
    "command_palette": "command palette: every action, and themes",
}

TEXTUAL_COMMANDS_KEPT = ("Theme", "Quit")
"""Of Textual's own palette commands, the ones that mean something in newsterm (Keys,
Maximize, Screenshot are developer tools here: help, zoom and the CLI do those jobs)."""

# Keys the help spells out in words rather than Textual's symbols (⏎ is easy to miss).
KEY_WORDS = {
    "enter": "enter",
    "space": "space",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
}


class NewstermApp(App[int]):
    """The TUI: a live ticker, a reader, search, saved articles; all data via the library."""

    CSS_PATH = "app.tcss"
    TITLE = "newsterm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(
        self, library: Library, *, clock: Clock | None = None, refresh_on_start: bool = True
    ) -> None:
        super().__init__()
        self.library = library
        # The ticker shows a story reported by several sources once, with "+N sources".
        library.show_each_story_once()
        self.settings: Settings = library.settings
        self.clock: Clock = clock or time.time
        self.zone = library.display_zone()
        self.refresh_on_start = refresh_on_start
        """Whether to refresh right after the first paint (tests and snapshots turn it off)."""
        self.register_theme(NEWSTERM_THEME)
        self.state_file = state_path(self.settings.data_dir)
        self.ui_state: UiState = read_state(self.state_file)
        """The choices remembered from the last run (theme, breaking line, layout)."""
        self.theme = self._starting_theme()
        self.set_keymap(self.settings.keys)

    def _starting_theme(self) -> str:
        """The theme last chosen in the palette, else the config's, else the terminal's own."""
        for chosen in (self.ui_state.theme, self.settings.theme):
            if chosen and chosen in self.available_themes:
                return chosen
        return terminal_theme()

    def remember(self, **changes: object) -> None:
        """Keep a choice for the next start; say so once if the state file cannot be written."""
        for name, value in changes.items():
            setattr(self.ui_state, name, value)
        if not write_state(self.state_file, self.ui_state):
            self.notify("Could not save settings: they last until you quit.", markup=False)

    def get_default_screen(self) -> Screen:
        """The main two-pane screen."""
        return MainScreen()

    def on_mount(self) -> None:
        """Say once if the configured theme did not exist; remember themes chosen from now."""
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.theme and self.settings.theme not in self.available_themes:
            self.notify(
                f"Unknown theme {screen_line(self.settings.theme)!r}: using {self.theme}.",
                markup=False,
            )

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.ui_state.theme:
            self.remember(theme=theme.name)

    async def on_unmount(self) -> None:
        """Close the network client and the cache."""
        await self.library.aclose()

    async def action_quit(self) -> None:
        """Quit; a save under way is let finish first, so that it is never lost."""
        pending = [w for w in self.workers if w.group == "save" and w.is_running]
        if not pending:
            self.exit()
            return
        self.notify("Finishing the save, then quitting…", timeout=10, markup=False)
        # A worker, not an await here: the screen stays live while the save ends.
        self.run_worker(self._exit_after(pending), group="quit", exclusive=True)

    async def _exit_after(self, workers: list[Worker]) -> None:
        for worker in workers:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass  # the failure was already reported; quitting goes on
        self.exit()

    def action_help(self) -> None:
        """Show every key binding."""
        from newsterm.ui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_help()))

    def _bindings_with_ids(self) -> Iterable[Binding]:
        """Every binding that has an id, first seen first (the ticker's before the reader's)."""
        seen: set[str] = set()
        for source in (HeadlineTicker, MainScreen, ArticleReader, NewstermApp):
            for binding in getattr(source, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.id and binding.id not in seen:
                    seen.add(binding.id)
                    yield binding

    def binding_help(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every binding with an id, with the keymap applied."""
        keymap = self.settings.keys
        rows = [
            (
                self.keys_display(keymap.get(binding.id, binding.key)),
                HELP_TEXT.get(binding.id or "", binding.description),
            )
            for binding in self._bindings_with_ids()
        ]
        rows.append((self.keys_display(self.COMMAND_PALETTE_BINDING), HELP_TEXT["command_palette"]))
        return rows

    def first_key_display(self, binding_id: str) -> str:
        """How the first key bound to `binding_id` is written (after the keymap), e.g. "s"."""
        for binding in self._bindings_with_ids():
            if binding.id == binding_id:
                keys = self.settings.keys.get(binding_id, binding.key)
                return self.keys_display(keys.split(",")[0])
        return "?"

    def keys_display(self, keys: str) -> str:
        """Comma-separated key names as the help shows them: "j ↓", "enter", "^s"."""
        shown = []
        for key in keys.split(","):
            key = key.strip()
            if key:
                shown.append(KEY_WORDS.get(key) or self.get_key_display(Binding(key, "")))
        return " ".join(dict.fromkeys(shown))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's theme and quit commands plus every action of the main screen."""
        for command in super().get_system_commands(screen):
            if command.title in TEXTUAL_COMMANDS_KEPT:
                yield command
        yield SystemCommand("Help", "Show every key binding", self.action_help)
        if isinstance(screen, MainScreen):
            yield from screen.palette_commands()


def terminal_theme() -> str:
    """Textual's ANSI theme, which draws in the terminal's own colours: its light variant
    when the terminal says (COLORFGBG, set by rxvt, Konsole and others) its background is
    light."""
    background = os.environ.get("COLORFGBG", "").rpartition(";")[2]
    light = background.isdigit() and int(background) in (7, 9, 10, 11, 12, 13, 14, 15)
    return "ansi-light" if light else "ansi-dark"


def make_app(
    settings: Settings,
    source_urls: list[str] | None = None,
    *,
    clock: Clock | None = None,
    refresh_on_start: bool = True,
) -> NewstermApp:
    """Open the library for these settings and build the app (tests pass a temp data dir)."""
    from newsterm.library import Library

    library = Library.open(settings, source_urls=source_urls)
    return NewstermApp(library, clock=clock, refresh_on_start=refresh_on_start)


def run_app(settings: Settings, source_urls: list[str] | None) -> int:
    """Run the TUI until the user quits; returns the process exit code."""
    from newsterm.library import StoreError

    try:
        app = make_app(settings, source_urls)
    except (StoreError, ValueError, OSError) as error:
        print(f"newsterm: {screen_line(str(error))}", file=sys.stderr)
        return 1
    result = app.run()
    if isinstance(result, int):
        return result
    return app.return_code or 0
