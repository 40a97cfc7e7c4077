"""The service both faces use: refresh sources, open articles cache-first, save, search, export."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from newsterm.config import DEFAULT_SOURCE_URL, Settings
from newsterm.listing_parser import PARSE_POOL_MIN_SOURCES, ListingParser
from newsterm.models import Article, Headline, Listing, Source
from newsterm.store import (
    MATCH_END,
    MATCH_START,
    CacheInfo,
    FetchState,
    Revision,
    SearchHit,
    Store,
    StoreCorrupt,
    StoredArticle,
    StoreError,
    TickerRow,
    open_store,
)
from newsterm.ticker_window import TickerWindow
from newsterm.time_format import clock_text, display_zone

# Re-exported for the faces: search snippets mark matched words with these.
__all__ = ["MATCH_END", "MATCH_START", "Library", "ArticleResult", "SourceStatus", "PrefetchReport"]

if TYPE_CHECKING:  # the network layer imports httpx: keep it off the start-up path
    from newsterm.net import Failure, Fetcher, Response

# The extractor's rules version: articles made by an older one are re-extracted from their
# stored raw page when opened, without a refetch.
EXTRACTOR_VERSION = 1
ARTICLE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
LISTING_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.5"
)

ProgressCallback = Callable[["SourceStatus"], None]
NOT_MODIFIED_UNASKED = "the server answered 304 Not Modified with nothing cached to show"
log = logging.getLogger(__name__)


@dataclass(slots=True)
class SourceStatus:
    """How refreshing one source went, in a form both the CLI and the TUI can show."""

    source: Source
    state: str
    """One of "fetching", "ok", "not-modified", "failed", "deferred", "offline"."""
    message: str = ""
    """One line for the user: "12 new", "HTTP 503, retrying in 30 s", "offline: …"."""
    new: int = 0
    total: int = 0
    next_page: str | None = None
    unreachable: bool = False
    """True when the failure means no network (DNS, no route, refused), not a bad site."""
    gone: bool = False
    """True when asking for this page again will not help: the site said it has no such
    page (404, 410), or the page was read whole and lists nothing."""

    @property
    def ok(self) -> bool:
        """Whether the source's headlines are as fresh as the site's (or unchanged)."""
        return self.state in ("ok", "not-modified")


@dataclass(slots=True)
class ArticleResult:
    """The outcome of opening an article: the article, or a one-line reason there is none."""

    url: str
    stored: StoredArticle | None = None
    from_cache: bool = False
    error: str | None = None
    notice: str | None = None
    """Something worth saying even though the article is shown ("reload failed: …")."""

    @property
    def article(self) -> Article | None:
        """The article, when there is one."""
        return self.stored.article if self.stored else None


@dataclass(slots=True)
class PrefetchReport:
    """What `refresh --articles` did."""

    fetched: int = 0
    cached: int = 0
    failed: int = 0
    revised: int = 0
    errors: list[str] = field(default_factory=list)


class Library:
    """Reads go to the cache; the network is touched only to refresh, fetch or save."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.offline = settings.offline
        """True when the user asked for offline mode or the network proved unreachable."""
        self.offline_reason: str | None = "offline mode" if settings.offline else None
        self._fetcher: Fetcher | None = None
        self._active_urls: list[str] | None = None
        self._run_urls: list[str] | None = None
        self.only_source: str | None = None
        """The one source shown when the user narrowed the view to it (show_only)."""
        self._fetching: set[asyncio.Task] = set()
        """Source refreshes under way: closing cancels them before it closes the client."""

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
            from newsterm.net import Fetcher, NetLimits

            net = self.settings.net
            limits = NetLimits(
                connect_timeout=net.connect_timeout,
                read_timeout=net.read_timeout,
                deadline=net.deadline,
                max_bytes=net.max_bytes,
                per_host=net.per_host,
                total=net.total,
            )
            self._fetcher = Fetcher(limits)
        return self._fetcher

    async def _ready_fetcher(self) -> Fetcher:
        """The fetcher, its HTTP client built in a thread the first time: building its TLS
        context reads the CA bundle (~0.1 s), which on the event loop would stall the keys."""
        fetcher = self._get_fetcher()
        if not fetcher.ready:
            await asyncio.to_thread(fetcher.prepare)
        return fetcher

    # -- sources ---------------------------------------------------------------------------

    def sources(self) -> list[Source]:
        """The sources this run shows (all known ones unless narrowed by --source)."""
        known = self.store.sources()
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

    def ticker_rows(self, offset: int = 0, limit: int = 200) -> list[TickerRow]:
        """A window of the ticker, newest first."""
        return self.store.ticker_rows(self._source_ids(), offset, limit)

    def headlines(self, limit: int = 200) -> list[Headline]:
        """The newest headlines as plain Headline objects."""
        return self.store.headlines(self._source_ids(), limit)

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

    # -- refreshing ------------------------------------------------------------------------

    async def refresh(
        self,
        sources: list[Source] | None = None,
        *,
        on_progress: ProgressCallback | None = None,
        force: bool = False,
    ) -> list[SourceStatus]:
        """Fetch every source at once and store what each lists; report progress per source.

        Nothing cached is deleted: a failed or partial fetch leaves the ticker as it was.
        With `force`, a source waiting out a Retry-After is fetched anyway.
        """
        chosen = self.sources() if sources is None else sources
        if self.offline:
            statuses = [
                SourceStatus(s, "offline", self.offline_reason or "offline") for s in chosen
            ]
            for status in statuses:
                _report(on_progress, status)
            return statuses
        # Many sources: their pages are parsed in worker processes, which use the other cores.
        workers = ListingParser(processes=len(chosen) >= PARSE_POOL_MIN_SOURCES)
        tasks = [
            asyncio.ensure_future(
                self.refresh_source(s, on_progress=on_progress, force=force, parser=workers)
            )
            for s in chosen
        ]
        self._fetching.update(tasks)
        try:
            statuses = list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:  # none may go on fetching with nobody waiting for it
                task.cancel()
            raise
        finally:
            self._fetching.difference_update(tasks)
            workers.close()
        self._notice_offline(statuses)
        return statuses

    async def refresh_source(
        self,
        source: Source,
        *,
        url: str | None = None,
        on_progress: ProgressCallback | None = None,
        force: bool = False,
        parser: ListingParser | None = None,
    ) -> SourceStatus:
        """Refresh one source (or fetch one of its further pages, given `url`); `parser` is
        where its page is parsed (a thread unless refresh() passes its workers).

        Never raises: a bug met on one source's page is that source's failure, not the
        refresh's (every other source is still tried).
        """
        try:
            return await self._refresh_source(source, url, on_progress, force, parser)
        except Exception as error:
            log.debug("refreshing %s failed", source.url, exc_info=True)
            status = SourceStatus(source, "failed", f"error: {type(error).__name__}")
            _report(on_progress, status)
            return status

    async def _refresh_source(
        self,
        source: Source,
        url: str | None,
        on_progress: ProgressCallback | None,
        force: bool,
        parser: ListingParser | None,
    ) -> SourceStatus:
        page_url = url or source.url
        state = await asyncio.to_thread(self.store.fetch_state, page_url)
        now = time.time()
        if not force and state.next_try and state.next_try > now:
            wait = clock_text(datetime.fromtimestamp(state.next_try, self.display_zone()))
            status = SourceStatus(source, "deferred", f"waiting to retry until {wait}")
            _report(on_progress, status)
            return status
        _report(on_progress, SourceStatus(source, "fetching", "fetching…"))

        def retrying(message: str) -> None:
            _report(on_progress, SourceStatus(source, "fetching", message))

        conditional = url is None and bool(state.etag or state.last_modified)
        fetched = await (await self._ready_fetcher()).fetch(
            page_url,
            etag=state.etag if conditional else None,
            last_modified=state.last_modified if conditional else None,
            accept=LISTING_ACCEPT,
            on_retry=retrying,
        )
        parser = parser or ListingParser(processes=False)
        status = await self._store_fetched_listing(source, state, fetched, parser, conditional)
        _report(on_progress, status)
        return status

    async def _store_fetched_listing(
        self,
        source: Source,
        state: FetchState,
        fetched: Response | Failure,
        parser: ListingParser,
        conditional: bool,
    ) -> SourceStatus:
        from newsterm.net import Failure, is_offline

        now = time.time()
        state.last_attempt = now
        if isinstance(fetched, Failure):
            state.last_status = fetched.status
            state.last_error = fetched.message
            state.next_try = now + fetched.retry_after if fetched.retry_after else None
            self._record_quietly(state)
            return SourceStatus(
                source,
                "failed",
                fetched.message,
                unreachable=is_offline(fetched),
                gone=fetched.status in (404, 410),
            )
        state.last_status = fetched.status
        state.next_try = None
        if fetched.not_modified and not conditional:
            # "Not modified" since nothing: a server ignoring the conditions sent no listing.
            state.last_error = NOT_MODIFIED_UNASKED
            self._record_quietly(state)
            return SourceStatus(source, "failed", NOT_MODIFIED_UNASKED)
        if fetched.not_modified:
            state.last_error = None
            state.last_success = now
            self._record_quietly(state)
            return SourceStatus(source, "not-modified", "no change")
        listing = await parser.parse(
            fetched.body, fetched.url, fetched.content_type, source.timezone
        )
        read_whole = _read_whole(listing)
        # What the source's own URL serves, whatever was followed from it: for OPML export.
        kind = "feed" if listing.kind in ("rss", "atom") else "page"
        if not listing.headlines and listing.feeds:
            # The page lists nothing we can read but advertises a feed: follow that instead.
            feed = await self._get_fetcher().fetch(listing.feeds[0], accept=LISTING_ACCEPT)
            if isinstance(feed, Failure) or feed.not_modified:
                read_whole = False
            else:
                listing = await parser.parse(
                    feed.body, feed.url, feed.content_type, source.timezone
                )
                read_whole = _read_whole(listing)
        if not listing.headlines:
            state.last_error = listing.reason or "no headlines found"
            self._record_quietly(state)
            return SourceStatus(source, "failed", state.last_error, gone=read_whole)
        state.etag = fetched.etag
        state.last_modified = fetched.last_modified
        state.last_error = None
        state.last_success = now
        try:
            # In a thread: SQLite releases the GIL, so other sources' I/O goes on meanwhile.
            counts = await asyncio.to_thread(
                self.store.store_listing, source, listing.headlines, state, now
            )
            await asyncio.to_thread(self.store.set_source_kind, source.url, kind)
        except StoreError as error:
            return SourceStatus(source, "failed", str(error))
        return SourceStatus(
            source,
            "ok",
            f"{counts.new} new" if counts.new else "up to date",
            new=counts.new,
            total=len(listing.headlines),
            next_page=listing.next_page,
        )

    def _record_quietly(self, state: FetchState) -> None:
        try:
            self.store.record_fetch(state)
        except StoreError:
            pass  # failing to remember a failure must not hide the failure itself

    def _notice_offline(self, statuses: list[SourceStatus]) -> None:
        """Switch to offline mode when every source failed for want of a network."""
        if statuses and all(s.unreachable for s in statuses):
            self.offline = True
            self.offline_reason = statuses[0].message

    def go_online(self) -> None:
        """Leave the automatic offline mode so the next refresh tries the network again."""
        if not self.settings.offline:
            self.offline = False
            self.offline_reason = None

    async def load_more(self, source: Source, next_page: str) -> SourceStatus:
        """Fetch a listing's next page ("More news") and add its headlines."""
        if self.offline:
            return SourceStatus(source, "offline", self.offline_reason or "offline")
        return await self.refresh_source(source, url=next_page, force=True)

    # -- articles --------------------------------------------------------------------------

    async def open_article(self, url: str, *, reload: bool = False) -> ArticleResult:
        """The article behind a headline: from the cache, else (or on reload) from the network."""
        cached = self._cached(url)
        if cached is not None and cached.article.extractor_version < EXTRACTOR_VERSION:
            cached = await self._reextract(cached) or cached
        if cached is not None and not reload:
            self._touch(url)
            return ArticleResult(url, cached, from_cache=True)
        if self.offline:
            if cached is not None:
                return ArticleResult(url, cached, from_cache=True, notice="offline: showing cache")
            return ArticleResult(url, error="not cached (offline)")
        return await self._fetch_article(url, cached)

    async def _fetch_article(self, url: str, cached: StoredArticle | None) -> ArticleResult:
        from newsterm.net import Failure

        if not url.startswith(("http://", "https://")):
            return ArticleResult(url, error=f"not an http(s) URL: {url}")
        state = self.store.fetch_state(url)
        fetched = await (await self._ready_fetcher()).fetch(
            url,
            etag=state.etag if cached else None,
            last_modified=state.last_modified if cached else None,
            accept=ARTICLE_ACCEPT,
        )
        state.last_attempt = time.time()
        if isinstance(fetched, Failure):
            state.last_status, state.last_error = fetched.status, fetched.message
            self._record_quietly(state)
            if cached is not None:
                return ArticleResult(url, cached, True, notice=f"reload failed: {fetched.message}")
            return ArticleResult(url, error=fetched.message)
        if fetched.not_modified and cached is None:
            # Nothing cached to be "not modified": keeping the empty answer would show an
            # empty article as if it had been read.
            state.last_status, state.last_error = fetched.status, NOT_MODIFIED_UNASKED
            self._record_quietly(state)
            return ArticleResult(url, error=NOT_MODIFIED_UNASKED)
        state.last_status, state.last_error, state.last_success = fetched.status, None, time.time()
        state.etag, state.last_modified = fetched.etag, fetched.last_modified
        if fetched.not_modified and cached is not None:
            self._record_quietly(state)
            return ArticleResult(url, cached, from_cache=True, notice="unchanged since last fetch")
        headline = self.store.headline(url)
        article = await asyncio.to_thread(
            _extract,
            fetched.body,
            fetched.url,
            fetched.content_type,
            self._timezone_for(url),
            headline.summary if headline else None,
        )
        article.url = url  # keyed by the URL the ticker links to, whatever it redirected to
        try:
            revised = self.store.put_article(
                article,
                raw_html=fetched.body,
                content_type=fetched.content_type,
                final_url=fetched.url if fetched.url != url else None,
            )
            self.store.record_fetch(state)
            self._touch(url)
        except StoreError as error:
            return ArticleResult(url, error=str(error))
        stored = self._cached(url)
        notice = "the article changed since it was cached" if revised else None
        return ArticleResult(url, stored, from_cache=False, notice=notice)

    async def _reextract(self, cached: StoredArticle) -> StoredArticle | None:
        """Run the current extractor over the stored raw page of an old cached article."""
        raw = self.store.get_article(cached.article.url, with_raw=True)
        if raw is None or raw.raw_html is None:
            return None
        article = await asyncio.to_thread(
            _extract,
            raw.raw_html,
            raw.final_url or cached.article.url,
            raw.content_type,
            self._timezone_for(cached.article.url),
            None,
        )
        article.url = cached.article.url
        try:
            self.store.put_article(
                article,
                raw_html=raw.raw_html,
                content_type=raw.content_type,
                final_url=raw.final_url,
                fetched_at=raw.fetched_at,
            )
        except StoreError:
            return None
        return self._cached(cached.article.url)

    def _cached(self, url: str) -> StoredArticle | None:
        try:
            return self.store.get_article(url)
        except StoreCorrupt:
            raise  # a damaged cache must be reported, not papered over with a refetch
        except StoreError:
            return None

    def _touch(self, url: str) -> None:
        try:
            self.store.touch_article(url)
        except StoreError:
            pass  # a missed "last opened" time only affects eviction order

    def _timezone_for(self, url: str) -> str:
        headline = self.store.headline(url)
        if headline and headline.source:
            for source in self.store.sources():
                if source.url == headline.source:
                    return source.timezone
        return self.settings.sources[0].timezone if self.settings.sources else "UTC"

    async def save(self, url: str) -> ArticleResult:
        """Fetch the article if it is not cached, then pin it; committed before this returns."""
        result = await self.open_article(url)
        if result.stored is None:
            return result
        try:
            self.store.set_saved(result.stored.article.url, True)
        except StoreError as error:
            return ArticleResult(url, result.stored, result.from_cache, error=str(error))
        result.stored.saved_at = result.stored.saved_at or time.time()
        return result

    def unsave(self, url: str) -> bool:
        """Unpin a saved article (it stays cached until evicted); False if it was not saved."""
        was_saved = self.store.is_saved(url)
        self.store.set_saved(url, False)
        return was_saved

    def is_saved(self, url: str) -> bool:
        """Whether the article is saved."""
        return self.store.is_saved(url)

    def saved(self) -> list[StoredArticle]:
        """Saved articles, most recently saved first."""
        return self.store.saved()

    def revisions(self, url: str) -> list[Revision]:
        """Earlier versions of an article that changed after it was first cached."""
        return self.store.revisions(url)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over cached articles and headlines."""
        return self.store.search(query, limit)

    async def prefetch_articles(
        self,
        *,
        limit: int = 500,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> PrefetchReport:
        """Fetch the bodies of the ticker's headlines for offline reading (bounded concurrency).

        Headlines marked "Updated" since their article was cached are fetched again, so
        the revision history picks up the change.
        """
        report = PrefetchReport()
        rows = self.ticker_rows(0, limit)
        urls = list(dict.fromkeys(r.url for r in rows))
        cached = self.store.cached_urls(urls)
        updated = {r.url for r in rows if r.label and r.label.lower() == "updated"}
        todo = [u for u in urls if u not in cached or u in updated]
        report.cached = len(urls) - len(todo)
        if self.offline:
            report.errors.append(self.offline_reason or "offline")
            return report
        done = 0

        async def one(url: str) -> None:
            nonlocal done
            result = await self._fetch_article(url, self._cached(url))
            done += 1
            if result.error:
                report.failed += 1
                report.errors.append(f"{url}: {result.error}")
            else:
                report.fetched += 1
                if result.notice and "changed" in result.notice:
                    report.revised += 1
            if on_progress:
                on_progress(done, len(todo), url)

        # The fetcher bounds concurrency per host; gather in slices to bound memory too.
        for start in range(0, len(todo), 64):
            await asyncio.gather(*(one(u) for u in todo[start : start + 64]))
        return report

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
        from newsterm.export import export_articles

        if saved_only:
            articles = self.store.saved()
        else:
            articles = self.store.all_articles()
        return export_articles(articles, directory, fmt)


def _report(callback: ProgressCallback | None, status: SourceStatus) -> None:
    if callback is not None:
        callback(status)


def _read_whole(listing: Listing) -> bool:
    """Whether the page behind `listing` was read to its end (not cut short, not garbled)."""
    from newsterm.sources import UNEXPECTED
    from newsterm.sources.feed_safety import CUT_SHORT, UNREADABLE

    reason = listing.reason or ""
    return reason not in (CUT_SHORT, UNREADABLE) and not reason.startswith(UNEXPECTED)


def _extract(
    body: bytes, url: str, content_type: str | None, timezone: str, summary: str | None
) -> Article:
    from newsterm.extract import extract_article

    article = extract_article(
        body, url, content_type=content_type, timezone=timezone, summary=summary
    )
    article.extractor_version = EXTRACTOR_VERSION
    return article
