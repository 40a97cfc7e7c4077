"""Refreshing sources: one fetch per source, its page parsed, its headlines stored."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from newsterm.library.listing_parser import PARSE_POOL_MIN_SOURCES, ListingParser
from newsterm.models import Listing, Source
from newsterm.store import FetchState, StoreError
from newsterm.text.time_format import clock_text

if TYPE_CHECKING:  # the network layer imports httpx: keep it off the start-up path
    from newsterm.net import Failure, Response

LISTING_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,*/*;q=0.5"
)
NOT_MODIFIED_UNASKED = "the server answered 304 Not Modified with nothing cached to show"
ProgressCallback = Callable[["SourceStatus"], None]
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


class Refreshing:
    """The library's refreshing of sources (a part of `Library`, which it is mixed into)."""

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
        await self.desk.attach_new()  # the new headlines join stories (in a thread)
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
            fetched.body,
            fetched.url,
            fetched.content_type,
            source.timezone,
            served=(fetched.last_modified, fetched.date),  # dates a page that states none
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
        status = await self.refresh_source(source, url=next_page, force=True)
        await self.desk.attach_new()
        return status


def _report(callback: ProgressCallback | None, status: SourceStatus) -> None:
    if callback is not None:
        callback(status)


def _read_whole(listing: Listing) -> bool:
    """Whether the page behind `listing` was read to its end (not cut short, not garbled)."""
    from newsterm.sources import UNEXPECTED
    from newsterm.sources.feed_safety import CUT_SHORT, UNREADABLE

    reason = listing.reason or ""
    return reason not in (CUT_SHORT, UNREADABLE) and not reason.startswith(UNEXPECTED)
