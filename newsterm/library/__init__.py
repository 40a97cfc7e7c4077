"""The service both faces use: refresh sources, open articles cache-first, save, search, export."""

from __future__ import annotations

import asyncio
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from newsterm.config import DEFAULT_SOURCE_URL, Settings
from newsterm.library.articles import ArticleResult, Articles, PrefetchReport
from newsterm.library.desk import NewsDesk, WatchMark
from newsterm.library.listing_parser import ListingParser
from newsterm.library.refresh import LISTING_ACCEPT, Refreshing, SourceStatus
from newsterm.library.ticker_window import TickerWindow
from newsterm.models import Source
from newsterm.store import (
    MATCH_END,
    MATCH_START,
    CacheInfo,
    Revision,
    Store,
    StoreError,
    TickerRow,
    open_store,
)
from newsterm.text.time_format import clock_text, display_zone

# Re-exported for the faces: what they read back, and the markers around search matches.
__all__ = [
    "MATCH_END",
    "MATCH_START",
    "ArticleResult",
    "Library",
    "PrefetchReport",
    "Revision",
    "SourceStatus",
    "StoreError",
    "TickerRow",
    "WatchMark",
]

WATCH_SCAN_ROWS = 20_000
"""How far past the ticker's window `w` looks for the next watched headline."""
WATCH_SCAN_PAGE = 500

if TYPE_CHECKING:  # the network layer imports httpx: keep it off the start-up path
    from newsterm.net import Fetcher


class Library(Refreshing, Articles):
    """Reads go to the cache; the network is touched only to refresh, fetch or save."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.offline = settings.offline
        """True when the user asked for offline mode or the network proved unreachable."""
        self.offline_reason: str | None = "offline mode" if settings.offline else None
        self._fetcher: Fetcher | None = None
        self._active_urls: list[str] | None = None
        self._known_sources: tuple[tuple[int, int, int], list[Source]] | None = None
        self._run_urls: list[str] | None = None
        self.only_source: str | None = None
        """The one source shown when the user narrowed the view to it (show_only)."""
        self._fetching: set[asyncio.Task] = set()
        self._preparing = asyncio.Lock()
        """Source refreshes under way: closing cancels them before it closes the client."""
        self.desk = NewsDesk(store, settings)
        """Stories, watch and mute rules (newsterm.library.desk)."""

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, *, source_urls: list[str] | None = None) -> Library:
        """Open the cache (seeding sources from the config on first run) and narrow to sources.

        `source_urls` are added if new, and this run then shows only them.
        """
        store = open_store(settings.database_path)
        library = cls(settings, store)
        # Seed only a new cache: a user who removed every source must not get them back;
        # and one started with --source has chosen: the built-in home source is left out.
        if store.created and store.source_count() == 0 and not store.read_only:
            for item in settings.sources:
                if not (source_urls and item.url == DEFAULT_SOURCE_URL):
                    store.add_source(Source(item.url, item.name, item.timezone))
        if source_urls:
            for url in source_urls:
                library.add_source(url)
            library._active_urls = list(dict.fromkeys(source_urls))
        library.desk.sync_mute(quiet=True)  # mute rules edited in the config since last run
        return library

    @property
    def open_notice(self) -> str | None:
        """A line to show once if the cache file had to be replaced at start-up."""
        if self.store.moved_aside is None:
            return None
        return (
            f"the cache file was damaged and was moved aside to {self.store.moved_aside};"
            f" a new one was created ({self.store.salvaged} saved articles recovered)"
        )

    async def aclose(self) -> None:
        """Stop any refresh under way, then close the network client and the cache."""
        running = [task for task in self._fetching if not task.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None
        self.store.close()

    def _get_fetcher(self) -> Fetcher:
        if self._fetcher is None:
            from newsterm.net import Fetcher

            self._fetcher = Fetcher(self.settings.net)
        return self._fetcher

    async def _ready_fetcher(self) -> Fetcher:
        """The fetcher, its HTTP client built in a thread the first time: building its TLS
        context reads the CA bundle (~0.1 s), which on the event loop would stall the keys."""
        fetcher = self._get_fetcher()
        if not fetcher.ready:
            async with self._preparing:  # one build, however many sources start at once
                if not fetcher.ready:
                    await asyncio.to_thread(fetcher.prepare)
        return fetcher

    # -- sources ---------------------------------------------------------------------------

    def sources(self) -> list[Source]:
        """The sources this run shows (all known ones unless narrowed by --source)."""
        # Kept while the store's mark of its sources is unchanged: start-up asks several
        # times (names, zone, status line), and a list of hundreds is worth reading once.
        version = self.store.sources_version()
        if self._known_sources is None or self._known_sources[0] != version:
            self._known_sources = (version, self.store.sources())
        known = self._known_sources[1]
        if self._active_urls is None:
            return known
        by_url = {s.url: s for s in known}
        return [by_url[url] for url in self._active_urls if url in by_url]

    def show_only(self, url: str | None) -> None:
        """Show one source's headlines only, or (None) every source of this run again."""
        if self.only_source is None:
            self._run_urls = self._active_urls
        self.only_source = url
        self._active_urls = [url] if url else self._run_urls

    def add_source(self, url: str, name: str = "", timezone: str | None = None) -> Source:
        """Add a source by URL (http or https only); returns the stored source."""
        url = url.strip()
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {url}")
        tz = timezone or (self.settings.sources[0].timezone if self.settings.sources else "UTC")
        self._known_sources = None
        return self.store.add_source(Source(url, name, tz))

    async def add_source_checked(
        self, url: str, name: str = "", timezone: str | None = None
    ) -> SourceStatus:
        """Add a source only if it lists headlines now, named as it names itself.

        The page is fetched; the feed it advertises is preferred (autodiscovery) unless a
        site preset reads the page itself; the source is named after the feed's title or the
        site's og:site_name unless `name` is given; its headlines are stored by
        refresh_source. A URL that fails or lists nothing adds nothing (a source already
        known stays); the returned status says why, or how many headlines were found.
        """
        from newsterm.net import Failure

        tz = timezone or (self.settings.sources[0].timezone if self.settings.sources else "UTC")
        parser = ListingParser(processes=False)
        fetched = await self._get_fetcher().fetch(url, accept=LISTING_ACCEPT)
        if isinstance(fetched, Failure):
            return SourceStatus(Source(url, name, tz), "failed", fetched.message)
        listing = await parser.parse(fetched.body, fetched.url, fetched.content_type, tz)
        chosen = url
        for feed_url in [] if listing.kind.startswith("preset:") else listing.feeds[:3]:
            feed = await self._get_fetcher().fetch(feed_url, accept=LISTING_ACCEPT)
            if isinstance(feed, Failure) or feed.not_modified:
                continue
            found = await parser.parse(feed.body, feed.url, feed.content_type, tz)
            if found.headlines:
                listing, chosen = found, feed_url
                break
        if not listing.headlines:
            reason = listing.reason or "no headlines found"
            return SourceStatus(Source(url, name, tz), "failed", reason)
        known = any(s.url == chosen for s in self.store.sources())
        # A site's name is short; a page title used in its place is cut to a name's length.
        source = self.add_source(chosen, name or (listing.title or "")[:80], tz)
        status = await self.refresh_source(source, force=True)
        if not status.ok and not known:
            self.remove_source(chosen)
        status.total = status.total or len(listing.headlines)  # "no change" lists them too
        return status

    def remove_source(self, url: str) -> bool:
        """Forget a source and its headlines; saved articles stay."""
        self._known_sources = None
        return self.store.remove_source(url)

    def _source_ids(self) -> list[int] | None:
        if self._active_urls is None:
            return None
        return [s.id for s in self.sources() if s.id is not None]

    # -- the ticker ------------------------------------------------------------------------

    def headline_count(self) -> int:
        """How many headlines the ticker has."""
        return self.store.headline_count(self._source_ids())

    @property
    def ticker(self) -> TickerWindow:
        """The ticker's window queries (keyset pages and jumps) for the shown sources."""
        return TickerWindow(self.store, self._source_ids())

    def ticker_with_muted(self) -> TickerWindow:
        """The ticker's window with the headlines mute rules hide shown too."""
        return TickerWindow(self.store, self._source_ids(), include_muted=True)

    def show_each_story_once(self) -> None:
        """From now on the ticker's pages show a story that several sources report once, as
        its newest headline (the TUI's view; command-line listings keep every row)."""
        self.store.stories_once = True

    def next_watched(self, key: tuple[float, int]) -> TickerRow | None:
        """The first headline after a key that a watch rule matches (`w`), or None.

        Rules match whole words without regard to case or accents, which SQL cannot say:
        the rows are read by key a page at a time, WATCH_SCAN_ROWS at most.
        """
        if not self.desk.rules("watch"):
            return None
        window = self.ticker
        for _ in range(WATCH_SCAN_ROWS // WATCH_SCAN_PAGE):
            page = window.older_than(key, WATCH_SCAN_PAGE)
            for row in page:
                if self.desk.watch_matches(row):
                    return row
            if len(page) < WATCH_SCAN_PAGE:
                return None
            key = page[-1].key
        return None

    def muted_count(self) -> int:
        """How many of the shown sources' headlines mute rules hide ("N muted")."""
        return self.desk.muted_count(self._source_ids())

    def ticker_rows(self, offset: int = 0, limit: int = 200) -> list[TickerRow]:
        """A window of the ticker, newest first."""
        return self.store.ticker_rows(self._source_ids(), offset, limit)

    def mark_read(self, url: str, read: bool = True) -> None:
        """Mark a headline read (or unread)."""
        self.store.mark_read(url, read)

    def last_updated(self) -> float | None:
        """When any shown source was last refreshed successfully (epoch seconds)."""
        return self.store.last_success([s.url for s in self.sources()])

    def status_line(self) -> str:
        """One line on where the ticker's data comes from: live, or the cache of a given time."""
        if not self.offline:
            return "online"
        updated = self.last_updated()
        when = (
            clock_text(datetime.fromtimestamp(updated, self.display_zone())) if updated else "never"
        )
        reason = f" ({self.offline_reason})" if self.offline_reason else ""
        return f"offline — showing cache from {when}{reason}"

    def display_zone(self) -> tzinfo | None:
        """The zone times are shown in: the sources' own by default, None for the machine's."""
        return display_zone(self.settings.display_timezone, (s.timezone for s in self.sources()))

    # -- cache upkeep and export -----------------------------------------------------------

    def evict(self) -> tuple[int, int]:
        """Apply the retention settings; saved articles are never evicted."""
        cache = self.settings.cache
        return self.store.evict(
            article_max_age_days=cache.article_days,
            budget_bytes=cache.budget_mb * 1024 * 1024,
            headline_max_age_days=cache.headline_days,
        )

    def cache_info(self) -> CacheInfo:
        """Counts and sizes of the cache."""
        return self.store.info()

    def vacuum(self) -> None:
        """Compact the cache file."""
        self.store.vacuum()

    def export(self, directory: Path, fmt: str, *, saved_only: bool = True) -> list[Path]:
        """Write articles (saved ones, or every cached one) to one file each."""
        from newsterm.formats.export import export_articles

        if saved_only:
            articles = self.store.saved()
        else:
            articles = self.store.all_articles()
        return export_articles(articles, directory, fmt)
