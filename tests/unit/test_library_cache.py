"""The library's cache-first behaviour, with no network: offline mode, sources, saved, eviction."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from newsterm.config import Settings, SourceSettings
from newsterm.extract import EXTRACTOR_VERSION
from newsterm.library import Library
from newsterm.models import Article, Headline

KYIV_SUMMER = timezone(timedelta(hours=3))


@pytest.fixture
def settings(tmp_path):
    return Settings(
        data_dir=tmp_path,
        sources=[SourceSettings("http://127.0.0.1:9/news", "Loopback")],
        offline=True,
    )


@pytest.fixture
async def library(settings):
    lib = Library.open(settings)
    yield lib
    await lib.aclose()


def _article(url: str, title: str = "A title") -> Article:
    # Made by the current extractor: an older one's article would be re-extracted on open.
    return Article(
        url=url,
        title=title,
        text="Body one.\n\nBody two.",
        markdown="Body one.",
        extractor_version=EXTRACTOR_VERSION,
    )


async def test_first_run_seeds_sources_from_the_config(library):
    assert [(s.url, s.name) for s in library.sources()] == [("http://127.0.0.1:9/news", "Loopback")]


async def test_second_run_does_not_reseed_removed_sources(settings):
    first = Library.open(settings)
    first.remove_source("http://127.0.0.1:9/news")
    await first.aclose()
    second = Library.open(settings)
    assert second.sources() == []
    await second.aclose()


async def test_source_flag_adds_the_source_and_narrows_the_run(settings):
    lib = Library.open(settings, source_urls=["http://127.0.0.1:9/other"])
    assert [s.url for s in lib.sources()] == ["http://127.0.0.1:9/other"]
    assert {s.url for s in lib.store.sources()} == {
        "http://127.0.0.1:9/news",
        "http://127.0.0.1:9/other",
    }
    await lib.aclose()


async def test_non_http_sources_are_refused(library):
    with pytest.raises(ValueError, match="not an http"):
        library.add_source("file:///etc/passwd")


async def test_ticker_narrowed_to_sources_shows_only_theirs(settings):
    lib = Library.open(settings)
    other = lib.add_source("http://127.0.0.1:9/other")
    (home,) = [s for s in lib.store.sources() if s.url.endswith("/news")]
    when = datetime(2025, 5, 16, 19, 58, tzinfo=KYIV_SUMMER)
    lib.store.store_listing(home, [Headline("Home story", "http://127.0.0.1:9/a", when)])
    lib.store.store_listing(other, [Headline("Other story", "http://127.0.0.1:9/b", when)])
    assert lib.headline_count() == 2
    await lib.aclose()
    narrowed = Library.open(settings, source_urls=["http://127.0.0.1:9/other"])
    assert [r.title for r in narrowed.ticker_rows()] == ["Other story"]
    assert narrowed.headline_count() == 1
    await narrowed.aclose()


async def test_offline_refresh_touches_nothing_and_says_so(library):
    statuses = await library.refresh()
    assert [s.state for s in statuses] == ["offline"]
    assert library.status_line().startswith("offline — showing cache from never")


async def test_offline_open_of_an_uncached_article_says_not_cached(library):
    result = await library.open_article("http://127.0.0.1:9/missing")
    assert result.article is None
    assert result.error == "not cached (offline)"


async def test_offline_open_of_a_cached_article_reads_the_cache(library):
    library.store.put_article(_article("http://127.0.0.1:9/a"), raw_html=b"<p>x</p>")
    result = await library.open_article("http://127.0.0.1:9/a")
    assert result.from_cache and result.article.text == "Body one.\n\nBody two."


async def test_save_offline_pins_a_cached_article_and_unsave_releases_it(library):
    library.store.put_article(_article("http://127.0.0.1:9/a"))
    result = await library.save("http://127.0.0.1:9/a")
    assert result.error is None and library.is_saved("http://127.0.0.1:9/a")
    assert [s.article.url for s in library.saved()] == ["http://127.0.0.1:9/a"]
    assert library.unsave("http://127.0.0.1:9/a") is True
    assert library.saved() == []
    assert library.unsave("http://127.0.0.1:9/a") is False


async def test_save_offline_of_an_uncached_article_fails_clearly(library):
    result = await library.save("http://127.0.0.1:9/missing")
    assert result.error == "not cached (offline)"
    assert library.saved() == []


async def test_eviction_spares_saved_articles(library):
    for name in ("old-saved", "old-unsaved", "new-unsaved"):
        library.store.put_article(_article(f"http://127.0.0.1:9/{name}"))
    library.store.set_saved("http://127.0.0.1:9/old-saved", True)
    library.settings.cache.article_days = 0
    library.settings.cache.budget_mb = 0
    time.sleep(0.01)  # eviction compares fetch times with now
    evicted, _ = library.evict()
    assert evicted == 3 - 1
    assert library.store.get_article("http://127.0.0.1:9/old-saved") is not None
    assert library.store.get_article("http://127.0.0.1:9/old-unsaved") is None
