"""MainScreen: the breaking line, the status line, the ticker and the reader, and their keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from newsterm.library import ArticleResult, SourceStatus, StoreError
from newsterm.models import Headline, Source
from newsterm.text.sanitize import screen_line
from newsterm.ui.browser_launch import plan_browser, run_console_browser, start_window_browser
from newsterm.ui.desk_actions import DeskActions
from newsterm.ui.link_policy import is_browsable
from newsterm.ui.main_commands import FOOTER_KEYS, PALETTE_ACTIONS
from newsterm.ui.pane_layout import PaneLayout
from newsterm.ui.status_report import StatusReport
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.breaking_line import BreakingLine
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from newsterm.ui.widgets.key_footer import KeyFooter
from newsterm.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from newsterm.library import WatchMark
    from newsterm.ui.app import NewstermApp

MIN_WIDTH = 40
MIN_HEIGHT = 10
"""Below this size the panes cannot show a headline and an article: say so instead."""
STATUS_TICK_SECONDS = 30
MORE_NEWS = "More news ↓ (press j or click)"
LOADING_MORE = "Loading more news…"


# The footer's keys: (binding id, what it says, action on this screen or the app).
class MainScreen(DeskActions, StatusReport, PaneLayout, Screen[None]):
    """The two panes: the ticker (left, or on top when narrow) and the reader."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_pane", "Pane", id="switch_pane"),
        Binding("space", "read_on", "Read on", show=False, id="read_on"),
        Binding("z", "zoom", "Zoom", id="zoom"),
        Binding("escape", "unzoom", "Both panes", show=False),
        Binding("s", "toggle_saved", "Save", id="save"),
        Binding("o", "open_in_browser", "Browser", id="open_browser"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy_link"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("slash", "search", "Search", id="search"),
        Binding("S", "saved", "Saved", id="saved"),
        Binding("R", "revisions", "Revisions", show=False, id="revisions"),
        Binding("t", "toggle_breaking", "Breaking", show=False, id="breaking"),
        Binding("f", "only_source", "One source", show=False, id="only_source"),
    ]

    class RefreshProgressed(Message):
        """One source's refresh moved on (started, retrying, done)."""

        def __init__(self, status: SourceStatus) -> None:
            super().__init__()
            self.status = status

    class SourcesRefreshed(Message):
        """The refresh is over; one status per source, or an error when it broke off."""

        def __init__(self, statuses: list[SourceStatus], error: str | None = None) -> None:
            super().__init__()
            self.statuses = statuses
            self.error = error

    class MoreHeadlinesLoaded(Message):
        """Fetching older headlines ("More news") is over; a status per source asked."""

        def __init__(self, statuses: list[SourceStatus]) -> None:
            super().__init__()
            self.statuses = statuses

    class ArticleLoaded(Message):
        """The library answered an open request: the article or a reason there is none."""

        def __init__(self, result: ArticleResult) -> None:
            super().__init__()
            self.result = result

    class SavedStateChanged(Message):
        """The article is now saved or not; `error` says why a save failed."""

        def __init__(self, url: str, saved: bool, error: str | None = None) -> None:
            super().__init__()
            self.url = url
            self.saved = saved
            self.error = error

    class BrowserOpened(Message):
        """Handing a link to the browser finished; whether the browser took it."""

        def __init__(self, url: str, opened: bool) -> None:
            super().__init__()
            self.url = url
            self.opened = opened

    app: NewstermApp

    def __init__(self) -> None:
        super().__init__()
        self.next_pages: dict[str, tuple[Source, str]] = {}
        """The "More news" page to fetch next, per source URL (from the last statuses)."""
        self.new_count = 0
        self.refreshing = False
        self.loading_more = False
        self.last_error: str | None = None
        self._progress: dict[str, SourceStatus] = {}
        self.last_statuses: list[SourceStatus] = []
        self._status_pending = False
        self._source_names: str | None = None
        """The sources as the status line names them; None until read (see _read_sources)."""
        self._source_total = 0
        self._muted = 0
        self._watch_mark: WatchMark | None = None
        """Where this refresh's headlines begin (NewsDesk.watch_mark); None if unread."""
        self._updated_at: float | None = None
        """How each source's last refresh went (from the last SourcesRefreshed)."""
        self.zoomed: str | None = None
        """The id of the pane given the whole screen ("ticker" or "reader"), or None."""
        self.zoom_came_from_ticker = False
        """Whether the zoomed reader was opened from the zoomed ticker (escape returns there)."""
        self.auto_refresh_timer: Timer | None = None
        """Refreshes every Settings.refresh_minutes; None when that is 0."""
        self.headlines_first: bool | None = None
        """Whether the layout shows the headlines alone, the reader opening over them."""

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Breaking line, status line, the two panes, a too-small notice and the footer."""
        app = self.app
        yield BreakingLine(app.clock, id="breaking")
        yield StatusLine(id="status")
        with Container(id="panes"):
            ticker = HeadlineTicker(app.library, app.zone, id="ticker")
            ticker.show_source = len(app.library.sources()) > 1
            # Read before mounting, so the first layout already has the rows: one paint.
            ticker.load()
            ticker.border_title = "Headlines"
            yield ticker
            reader = ArticleReader(app.zone, id="reader")
            reader.border_title = "Article"
            yield reader
        yield Static(
            Text(f"Terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT})"),
            id="too-small",
        )
        yield KeyFooter(self._footer_keys())

    def _footer_keys(self) -> list[KeyFooter.Key]:
        app = self.app
        keys = [
            KeyFooter.Key(app.first_key_display(binding_id), description, action)
            for binding_id, description, action in FOOTER_KEYS
        ]
        if app.library.only_source:
            keys = [
                KeyFooter.Key(key.key, "All sources", key.action)
                if key.action == "only_source"
                else key
                for key in keys
            ]
        palette = app.keys_display(app.COMMAND_PALETTE_BINDING)
        return [*keys, KeyFooter.Key(palette, "Palette", "app.command_palette")]

    @property
    def ticker(self) -> HeadlineTicker:
        """The headline pane."""
        return self.query_one(HeadlineTicker)

    @property
    def reader(self) -> ArticleReader:
        """The article pane."""
        return self.query_one(ArticleReader)

    def on_mount(self) -> None:
        """Paint from the cache at once; the network comes after the first paint."""
        library = self.app.library
        ticker = self.ticker
        ticker.focus()
        self.set_class(not self.app.ui_state.breaking, "-no-breaking")
        self._update_breaking()
        self._update_status()
        if library.open_notice:
            self.notify(library.open_notice, severity="warning", timeout=10, markup=False)
        if self.app.refresh_on_start and not self.app.settings.offline:
            self.call_after_refresh(self.refresh_sources)
        minutes = self.app.settings.refresh_minutes
        if minutes > 0:
            self.auto_refresh_timer = self.set_interval(minutes * 60, self.refresh_sources)
        self.set_interval(STATUS_TICK_SECONDS, self._update_status)

    def on_resize(self, event: Resize) -> None:
        """Below the minimum size, show a notice instead of squashed panes; choose the
        layout for this width."""
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        self.set_class(small, "-too-small")
        self._apply_layout()

    # -- refreshing ------------------------------------------------------------------------

    @work(exclusive=True, group="refresh")
    async def refresh_sources(self) -> None:
        """Fetch every shown source; progress and the outcome come back as messages."""
        library = self.app.library
        library.go_online()  # an automatic offline switch is retried; --offline is not
        self.refreshing = True
        try:
            self._watch_mark = library.desk.watch_mark(self.app.clock())
        except StoreError:  # an unreadable cache: nothing to announce after this refresh
            self._watch_mark = None
        self._progress.clear()
        self._source_names = None  # sources may have been added since the last refresh
        self._update_status()
        error = None
        try:
            statuses = await library.refresh(
                on_progress=lambda status: self.post_message(self.RefreshProgressed(status))
            )
        except Exception as exception:  # a failure below must not end the app
            statuses, error = [], f"refresh failed: {exception}"
        self.post_message(self.SourcesRefreshed(statuses, error))

    def on_main_screen_refresh_progressed(self, message: MainScreen.RefreshProgressed) -> None:
        """Show how far the refresh has got."""
        self._progress[message.status.source.url] = message.status
        self._request_status()

    def on_main_screen_sources_refreshed(self, message: MainScreen.SourcesRefreshed) -> None:
        """Slide new headlines in without moving the cursor or the view; report failures."""
        self.refreshing = False
        self._progress.clear()
        self._source_names = None  # read again: names and times may have changed
        statuses = self.last_statuses = message.statuses
        error = message.error
        for status in statuses:
            if status.ok:
                if status.next_page:
                    self.next_pages[status.source.url] = (status.source, status.next_page)
                elif status.state == "ok":
                    self.next_pages.pop(status.source.url, None)
        failures = [s for s in statuses if s.state == "failed"]
        # A source still waiting out a Retry-After was not asked this time; it stays named
        # in the status line until it answers, but only new failures pop up a notice.
        waiting = [s for s in statuses if s.state == "deferred"]
        if (failures or waiting) and not error:
            error = "; ".join(f"{s.source.display_name}: {s.message}" for s in failures + waiting)
        self.last_error = screen_line(error) if error else None
        library = self.app.library
        if library.offline and failures and not self.ticker.entries:
            # First run with no network: one notice that says what happened and what to do,
            # in place of a failure notice and an "offline, cache from never" line.
            names = ", ".join(screen_line(s.source.display_name) for s in failures)
            reason = screen_line(library.offline_reason or "no network")
            self.last_error = None
            self.ticker.empty_text = (
                f"Nothing is cached yet: could not reach {names} ({reason}). "
                "Check the connection, then press r to retry."
            )
            self.notify(self.ticker.empty_text, title="Offline", severity="error", markup=False)
        elif self.last_error and (failures or message.error):
            self.notify(self.last_error, title="Refresh", severity="error", timeout=8, markup=False)
        self.new_count = sum(status.new for status in statuses if status.ok)
        self._announce_watched()
        try:
            self.ticker.reload(mark_new=True)
        except StoreError as store_error:
            self.notify(str(store_error), severity="error", markup=False)
        self._update_more_line()
        self._update_breaking()
        self._update_status()

    # -- opening articles ------------------------------------------------------------------

    def on_headline_ticker_chosen(self, message: HeadlineTicker.Chosen) -> None:
        """A headline was chosen in the ticker: read it."""
        self.open_url(message.url, message.title)

    def open_url(self, url: str, title: str = "") -> None:
        """Show the article at `url` in the reader (loaded in a worker) and mark it read."""
        self.reader.show_loading(url, screen_line(title))
        if self.zoomed == "ticker":  # zoomed on the headlines: read zoomed too; escape goes back
            self._zoom(self.reader)
            self.zoom_came_from_ticker = True
            self.reader.focus()
        self.ticker.select(url)
        try:
            self.app.library.mark_read(url)
            self.ticker.set_flags(url, read=True)
        except StoreError:
            pass  # a read mark that could not be stored is not worth interrupting reading
        self.load_article(url)

    @work(exclusive=True, group="article")
    async def load_article(self, url: str) -> None:
        """Ask the library for the article (cache first); the result comes back as a message."""
        try:
            result = await self.app.library.open_article(url)
        except Exception as exception:  # a failure below must not end the app
            result = ArticleResult(url, error=f"could not open the article: {exception}")
        self.post_message(self.ArticleLoaded(result))

    def on_main_screen_article_loaded(self, message: MainScreen.ArticleLoaded) -> None:
        """Show the article, unless the user has since asked for another."""
        result = message.result
        if result.url != self.reader.url:
            return
        self.reader.show_result(result, self._also_reported_by(result.url))
        if result.error:
            self.notify(screen_line(result.error), title="Article", severity="error", markup=False)
        elif result.notice and result.stored is not None:  # else the reader says it
            self.notify(
                screen_line(result.notice), title="Article", severity="warning", markup=False
            )

    # -- the actions on the current article ------------------------------------------------

    def _target(self) -> tuple[str, str] | None:
        """The article an action is about: the reader's when it has the keys, else the cursor's."""
        reader, entry = self.reader, self.ticker.cursor_entry
        if reader.url and (self.focused is reader or entry is None):
            return reader.url, reader.title
        if entry is not None:
            return entry.url, entry.title
        return None

    def action_open_headline(self) -> None:
        """Open the headline under the cursor."""
        self.ticker.action_open()

    def action_switch_pane(self) -> None:
        """Give the keys to the other pane (zoomed, if the panes are zoomed)."""
        pane = self.reader if self.focused is self.ticker else self.ticker
        if self.zoomed is not None:
            self._zoom(pane)
        pane.focus()

    def action_zoom(self) -> None:
        """Give the whole screen to the pane with the keys (whole headlines, wide pages), or
        go back to the two panes."""
        if self.zoomed is not None:
            self._zoom(None)
        else:
            pane = self.reader if self.focused is self.reader else self.ticker
            self._zoom(pane)
            pane.focus()  # the keys go to the pane on screen, even if none had them

    def action_unzoom(self) -> None:
        """Back from an article opened in the zoomed ticker to that ticker; else both panes."""
        if self.zoomed == "reader" and self.zoom_came_from_ticker:
            self._zoom(self.ticker)
            self.ticker.focus()
        else:
            self._zoom(None)

    def action_read_on(self) -> None:
        """Page the open article down; at its end (or with none open), open the next
        headline, as mail and feed readers do with space."""
        reader, ticker = self.reader, self.ticker
        if reader.url is None:
            ticker.action_open()
            return
        if reader.state == "article" and reader.scroll_y < reader.max_scroll_y:
            reader.scroll_page_down(animate=False)
            return
        if reader.state == "loading":
            return
        if ticker.move_to_url(reader.url) or ticker.cursor_entry is not None:
            if ticker.cursor == len(ticker.entries) - 1 and ticker.exhausted:
                self.notify("That was the last headline.", timeout=3, markup=False)
                return
            ticker.move_cursor(ticker.cursor + 1)
            ticker.action_open()

    def _zoom(self, pane: HeadlineTicker | ArticleReader | None) -> None:
        # Classes, not Screen.maximize(): a maximized widget keeps its CSS width and is laid
        # out above the breaking and status lines; hiding the other pane keeps the layout.
        self.zoomed = None if pane is None else pane.id
        self.zoom_came_from_ticker = False
        self.set_class(pane is self.ticker, "-zoom-ticker")
        self.set_class(pane is self.reader, "-zoom-reader")
        self._fit_panes()

    def action_toggle_saved(self) -> None:
        """Save the article (fetching it if need be), or unsave it if it is saved."""
        target = self._target()
        if target is None:
            self.notify("No article to save.", severity="warning", markup=False)
            return
        if self._has_no_link(target[0], "nothing to save"):
            return
        self.toggle_saved(target[0])

    @work(group="save")
    async def toggle_saved(self, url: str) -> None:
        """Save or unsave; "Saved" is said only once the library has committed it."""
        library = self.app.library
        try:
            if library.is_saved(url):
                library.unsave(url)
                self.post_message(self.SavedStateChanged(url, False))
                return
            result = await library.save(url)
        except Exception as exception:  # a failure below must not end the app
            self.post_message(self.SavedStateChanged(url, False, f"could not save: {exception}"))
            return
        if result.error or result.stored is None:
            self.post_message(self.SavedStateChanged(url, False, result.error or "could not save"))
        else:
            self.post_message(self.SavedStateChanged(url, True))

    def on_main_screen_saved_state_changed(self, message: MainScreen.SavedStateChanged) -> None:
        """Say what happened and update the marks in both panes."""
        if message.error:
            self.notify(screen_line(message.error), title="Save", severity="error", markup=False)
            return
        self.ticker.set_flags(message.url, saved=message.saved)
        self.reader.set_saved(message.url, message.saved)
        self.notify("Saved" if message.saved else "Removed from saved", timeout=3, markup=False)

    def action_open_in_browser(self) -> None:
        """Open the article's link in the web browser (http and https links only)."""
        target = self._target()
        if target is None:
            self.notify("No article to open.", severity="warning", markup=False)
            return
        url = target[0]
        if self._has_no_link(url, "nothing to open in the browser"):
            return
        if not is_browsable(url):
            self.notify(
                f"Not opening {screen_line(url)[:80]!r}: only http(s) links go to the browser.",
                severity="error",
                markup=False,
            )
            return
        plan = plan_browser(url)
        if plan.kind == "window":
            self.launch_browser(url, plan.argv)
        elif plan.kind == "console":
            self._run_console_browser(url, plan.argv)
        else:
            self.app.copy_to_clipboard(url)
            self.notify(
                "No web browser found (set $BROWSER): the link is copied.", timeout=6, markup=False
            )

    def _run_console_browser(self, url: str, argv: tuple[str, ...]) -> None:
        """Lend the terminal to a console browser and take it back when it quits."""
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                opened = run_console_browser(argv, terminal=True)
        except SuspendNotSupported:  # no terminal to lend (a test harness, a web driver)
            opened = run_console_browser(argv, terminal=False)
        self.post_message(self.BrowserOpened(url, opened))

    @work(thread=True, group="browser")
    def launch_browser(self, url: str, argv: tuple[str, ...]) -> None:
        """Start a window browser away from the terminal, the link one argument (no shell)."""
        self.post_message(self.BrowserOpened(url, start_window_browser(argv)))

    def on_main_screen_browser_opened(self, message: MainScreen.BrowserOpened) -> None:
        """Say whether the browser took the link."""
        if message.opened:
            self.notify("Opened in the browser", timeout=3, markup=False)
        else:
            self.notify("The web browser did not start.", severity="error", markup=False)

    def action_copy_link(self) -> None:
        """Copy the article's link to the clipboard (OSC 52, where the terminal allows it)."""
        target = self._target()
        if target is None:
            self.notify("No article to copy.", severity="warning", markup=False)
            return
        if self._has_no_link(target[0], "nothing to copy"):
            return
        self.app.copy_to_clipboard(target[0])
        self.notify("Link copied", timeout=3, markup=False)

    def _has_no_link(self, url: str, consequence: str) -> bool:
        """Whether the headline has no link (the site lists it without one); if so, say so
        in one line. Its `url` is newsterm's own identifier and never leaves the app."""
        if Headline.link_of(url) is not None:
            return False
        self.notify(f"This headline has no link: {consequence}.", timeout=4, markup=False)
        return True

    def action_revisions(self) -> None:
        """Show the earlier versions of the article."""
        target = self._target()
        if target is None:
            self.notify("No article open.", severity="warning", markup=False)
            return
        url, title = target
        revisions = self.app.library.revisions(url)
        if not revisions:
            self.notify("No earlier versions of this article.", timeout=3, markup=False)
            return
        from newsterm.ui.screens.revisions_screen import RevisionsScreen

        self.app.push_screen(RevisionsScreen(title, revisions, self.app.zone))

    # -- screens and toggles ---------------------------------------------------------------

    def action_refresh(self) -> None:
        """Refresh every source now."""
        self.refresh_sources()

    def action_search(self) -> None:
        """Open the search screen; the chosen result opens in the reader."""
        # The modal screens load when first used, keeping their widgets off the start-up path.
        from newsterm.ui.screens.search_screen import SearchScreen

        self.app.push_screen(SearchScreen(self.app.library, self.app.zone), self._open_chosen)

    def action_saved(self) -> None:
        """Open the saved articles; the chosen one opens in the reader."""
        from newsterm.ui.screens.saved_screen import SavedScreen

        self.app.push_screen(SavedScreen(self.app.library, self.app.zone), self._open_chosen)

    def _open_chosen(self, url: str | None) -> None:
        if url:
            self.ticker.move_to_url(url)
            self.open_url(url)

    def action_only_source(self) -> None:
        """Show the cursor headline's source alone, or every source again; the footer and
        the status line say which."""
        library, ticker = self.app.library, self.ticker
        entry = ticker.cursor_entry
        if library.only_source:
            library.show_only(None)
        else:
            source_id = entry.source_id if entry else None
            urls = [source.url for source in library.sources() if source.id == source_id]
            if not urls:
                self.notify("No headline to take the source from.", timeout=3, markup=False)
                return
            library.show_only(urls[0])
        ticker.show_source = len(library.sources()) > 1
        try:
            ticker.reload()
        except StoreError as store_error:
            self.notify(str(store_error), severity="error", markup=False)
        self._source_names = None
        footer = self.query_one(KeyFooter)
        footer.keys = self._footer_keys()
        footer.refresh()
        self._update_more_line()
        self._update_breaking()
        self._update_status()

    def action_toggle_breaking(self) -> None:
        """Show or hide the breaking line, and remember it."""
        self.toggle_class("-no-breaking")
        self.app.remember(breaking=not self.has_class("-no-breaking"))

    def action_next_unread(self) -> None:
        """Jump to the next unread headline (for the command palette)."""
        self.ticker.action_next_unread()

    def action_previous_day(self) -> None:
        """Jump to the day before (for the command palette)."""
        self.ticker.action_previous_day()

    def action_next_day(self) -> None:
        """Jump to the day after (for the command palette)."""
        self.ticker.action_next_day()

    def action_top(self) -> None:
        """Jump to the newest headline (for the command palette)."""
        self.ticker.action_cursor_top()

    def action_bottom(self) -> None:
        """Jump to the oldest cached headline (for the command palette)."""
        self.ticker.action_cursor_bottom()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every action of this screen, for the command palette."""
        for title, help_text, action in PALETTE_ACTIONS:

            async def run(action: str = action) -> None:
                await self.run_action(action)

            yield SystemCommand(title, help_text, run)

    # -- "More news" -----------------------------------------------------------------------

    def on_headline_ticker_end_reached(self, message: HeadlineTicker.EndReached) -> None:
        """The cursor reached the oldest cached headline: fetch the sites' next pages."""
        if self.loading_more:
            return
        pending = list(self.next_pages.values())
        if not pending:
            if not message.pushed_past:
                return
            if self.app.library.offline:
                self.notify("Offline: no older headlines cached.", timeout=3, markup=False)
            else:
                self.notify("No older headlines.", timeout=3, markup=False)
            return
        self.loading_more = True
        self.ticker.more_text = LOADING_MORE
        self.load_more_headlines(pending)

    @work(exclusive=True, group="more")
    async def load_more_headlines(self, pending: list[tuple[Source, str]]) -> None:
        """Fetch each source's next page; the outcome comes back as a message."""
        statuses = []
        for source, page in pending:
            try:
                statuses.append(await self.app.library.load_more(source, page))
            except Exception as exception:  # a failure below must not end the app
                statuses.append(SourceStatus(source, "failed", str(exception)))
        self.post_message(self.MoreHeadlinesLoaded(statuses))

    def on_main_screen_more_headlines_loaded(self, message: MainScreen.MoreHeadlinesLoaded) -> None:
        """Add the older headlines below; remember each source's following page."""
        self.loading_more = False
        failures = []
        for status in message.statuses:
            if status.ok:
                if status.next_page:
                    self.next_pages[status.source.url] = (status.source, status.next_page)
                else:
                    self.next_pages.pop(status.source.url, None)
            else:
                failures.append(f"{status.source.display_name}: {status.message}")
                if status.gone:  # a 404 or an empty page: the list ends here, not offered again
                    self.next_pages.pop(status.source.url, None)
        if failures:
            self.notify(
                screen_line("; ".join(failures)), title="More news", severity="error", markup=False
            )
        try:
            self.ticker.reload()
        except StoreError as store_error:
            self.notify(str(store_error), severity="error", markup=False)
        self._update_more_line()
        self._update_status()

    def _update_more_line(self) -> None:
        ticker = self.ticker
        ticker.more_text = MORE_NEWS if self.next_pages and ticker.exhausted else None
