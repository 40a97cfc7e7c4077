"""Opening articles cache-first, saving them, and fetching bodies ahead for offline reading."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from newsterm.extract import EXTRACTOR_VERSION
from newsterm.library.refresh import NOT_MODIFIED_UNASKED
from newsterm.models import Article, Headline
from newsterm.store import (
    ArticleContext,
    FetchState,
    Revision,
    SearchHit,
    StoreCorrupt,
    StoredArticle,
    StoreError,
)

ARTICLE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
NO_LINK = "This headline has no link: the site lists it without an article to open."
"""What opening a headline without a link says (nothing is fetched: there is nothing to)."""


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


class Articles:
    """The library's articles (a part of `Library`, which it is mixed into)."""

    async def open_article(self, url: str, *, reload: bool = False) -> ArticleResult:
        """The article behind a headline: from the cache, else (or on reload) from the network.

        One read gathers what opening needs (the cached copy, the fetch state, the zone of
        the source that lists it); a fetched article is kept with its fetch state in one write.
        A headline without a link gives no article and no error, only the NO_LINK notice.
        """
        if Headline.link_of(url) is None:
            return ArticleResult(url, notice=NO_LINK)
        context = self._context(url)
        cached = context.stored
        if cached is not None and cached.article.extractor_version < EXTRACTOR_VERSION:
            cached = await self._reextract(cached, self._zone_of(context)) or cached
        if cached is not None and not reload:
            self._touch(url)
            return ArticleResult(url, cached, from_cache=True)
        if self.offline:
            if cached is not None:
                return ArticleResult(url, cached, from_cache=True, notice="offline: showing cache")
            return ArticleResult(url, error="not cached (offline)")
        context.stored = cached
        return await self._fetch_article(url, context)

    async def _fetch_article(self, url: str, context: ArticleContext) -> ArticleResult:
        from newsterm.net import Failure

        if Headline.link_of(url) is None:
            return ArticleResult(url, notice=NO_LINK)  # never requested: it is no address
        if not url.startswith(("http://", "https://")):
            return ArticleResult(url, error=f"not an http(s) URL: {url}")
        cached, state = context.stored, context.state
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
        article = await asyncio.to_thread(
            _extract,
            fetched.body,
            fetched.url,
            fetched.content_type,
            self._zone_of(context),
            context.summary,
        )
        article.url = url  # keyed by the URL the ticker links to, whatever it redirected to
        try:
            stored, revised = self.store.record_article(
                article,
                fetched.body,
                content_type=fetched.content_type,
                final_url=fetched.url if fetched.url != url else None,
                state=state,
            )
        except StoreError as error:
            return ArticleResult(url, error=str(error))
        notice = "the article changed since it was cached" if revised else None
        return ArticleResult(url, stored, from_cache=False, notice=notice)

    async def _reextract(self, cached: StoredArticle, timezone: str) -> StoredArticle | None:
        """Run the current extractor over the stored raw page of an old cached article."""
        raw = self.store.get_article(cached.article.url, with_raw=True)
        if raw is None or raw.raw_html is None:
            return None
        article = await asyncio.to_thread(
            _extract,
            raw.raw_html,
            raw.final_url or cached.article.url,
            raw.content_type,
            timezone,
            None,
        )
        article.url = cached.article.url
        try:
            stored, _ = self.store.record_article(
                article,
                raw.raw_html,
                content_type=raw.content_type,
                final_url=raw.final_url,
                fetched_at=raw.fetched_at,
            )
        except StoreError:
            return None
        return stored

    def _context(self, url: str) -> ArticleContext:
        """What opening `url` needs from the cache (nothing, if the cache cannot be read)."""
        try:
            return self.store.article_context(url)
        except StoreCorrupt:
            raise  # a damaged cache must be reported, not papered over with a refetch
        except StoreError:
            return ArticleContext(None, FetchState(url), None, None)

    def _zone_of(self, context: ArticleContext) -> str:
        """The zone the article's dates are read in: its source's, else the first configured."""
        if context.timezone:
            return context.timezone
        return self.settings.sources[0].timezone if self.settings.sources else "UTC"

    def _touch(self, url: str) -> None:
        try:
            self.store.touch_article(url)
        except StoreError:
            pass  # a missed "last opened" time only affects eviction order

    async def save(self, url: str) -> ArticleResult:
        """Fetch the article if it is not cached, then pin it; committed before this returns."""
        if Headline.link_of(url) is None:
            return ArticleResult(url, error="this headline has no link: nothing to save")
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
        # A headline without a link has no body to fetch: it is neither cached nor failed.
        urls = list(dict.fromkeys(r.url for r in rows if Headline.link_of(r.url) is not None))
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
            result = await self._fetch_article(url, self._context(url))
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


def _extract(
    body: bytes, url: str, content_type: str | None, timezone: str, summary: str | None
) -> Article:
    from newsterm.extract import extract_article

    return extract_article(body, url, content_type=content_type, timezone=timezone, summary=summary)
