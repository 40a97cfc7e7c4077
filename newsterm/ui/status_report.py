"""The main screen's status and breaking lines: sources, freshness, progress, new, muted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsterm.library import SourceStatus, StoreError
from newsterm.text.sanitize import screen_line
from newsterm.text.time_format import time_ago
from newsterm.ui.widgets.breaking_line import BreakingLine
from newsterm.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from newsterm.library import WatchMark
    from newsterm.ui.app import NewstermApp
    from newsterm.ui.widgets.headline_ticker import HeadlineTicker

BREAKING_COUNT = 12
STATUS_REDRAW_SECONDS = 0.2
"""Progress reports within this long of each other share one redraw of the status line."""


class StatusReport:
    """The status half of MainScreen (a mixin): what the two one-line strips say."""

    app: NewstermApp
    ticker: HeadlineTicker
    new_count: int
    refreshing: bool
    last_error: str | None
    _progress: dict[str, SourceStatus]
    _status_pending: bool
    _source_names: str | None
    _source_total: int
    _updated_at: float | None
    _muted: int
    _watch_mark: WatchMark | None

    # -- the status and breaking lines -----------------------------------------------------

    def _update_breaking(self) -> None:
        entries = self.ticker.latest(BREAKING_COUNT)
        self.query_one(BreakingLine).set_headlines([(e.clock, e.title) for e in entries])

    def _announce_watched(self) -> None:
        """Say (and ring, if the user wants) when a refresh brought watched headlines."""
        library = self.app.library
        if self._watch_mark is None:
            return
        try:
            found = library.desk.new_watch_matches(self._watch_mark, self.app.clock())
        except StoreError:
            return
        if not found:
            return
        row, rules = found[0]
        more = f" (and {len(found) - 1} more: w jumps to each)" if len(found) > 1 else ""
        words = ", ".join(screen_line(rule.text) for rule in rules)
        self.notify(
            f"{screen_line(row.title)}{more}", title=f"Watch: {words}", timeout=10, markup=False
        )
        if self.app.settings.watch_bell:
            self.app.bell()

    def _read_sources(self) -> None:
        """Read what the status line says about the sources: once per refresh, not per key."""
        library = self.app.library
        sources = library.sources()
        names = [screen_line(source.display_name) for source in sources]
        if len(names) > 3:
            names = [f"{len(names)} sources"]
        if library.only_source:
            names = [f"{', '.join(names)} only"]
        self._source_names = ", ".join(names) or "no sources"
        self._source_total = len(sources)
        self._updated_at = library.last_updated()
        try:
            self._muted = library.muted_count()
        except StoreError:
            self._muted = 0

    def _request_status(self) -> None:
        """Redraw the status line soon: a refresh of many sources reports progress thousands
        of times, and one redraw per report would keep the event loop from the keys."""
        if not self._status_pending:
            self._status_pending = True
            self.set_timer(STATUS_REDRAW_SECONDS, self._update_status)

    def _update_status(self) -> None:
        self._status_pending = False
        library = self.app.library
        if self._source_names is None:
            self._read_sources()
        parts: list[tuple[str, str]] = [(self._source_names or "", "source")]
        updated = self._updated_at
        if library.offline and not updated:
            parts.append(("offline — nothing cached yet", "offline"))
        else:
            parts.append((library.status_line(), "offline" if library.offline else "online"))
            when = f"updated {time_ago(max(0.0, self.app.clock() - updated))}" if updated else ""
            parts.append((when or "never updated", ""))
        if self.new_count:
            parts.append((f"{self.new_count} new", "new"))
        if self._muted:
            parts.append((f"{self._muted} muted", ""))
        if self.refreshing:
            total = max(self._source_total, 1)
            done = sum(1 for s in self._progress.values() if s.state != "fetching")
            retrying = [s.message for s in self._progress.values() if s.state == "fetching"]
            detail = next((m for m in retrying if m and m != "fetching…"), "")
            parts.append((f"refreshing {done}/{total}… {detail}".strip(), "busy"))
        elif self.last_error:
            parts.append((self.last_error, "error"))
        self.query_one(StatusLine).show_parts(parts)
