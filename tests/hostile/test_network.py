"""Cases 7-12 end to end: a hostile server costs one line for its source; the cache stays whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from newsterm.store import open_store
from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from newsterm.ui.widgets.status_line import StatusLine
from tests.support.app import fill_library, make_settings
from tests.support.hostile import (
    NEWS_COUNT,
    NEWS_PAGE,
    cache_is_intact,
    cached_titles,
    painted_text,
    run_newsterm,
    seed_cache,
    settle,
)
from tests.support.loopback import SITE_ROOT, LoopbackServer

DEADLINE = 1.5
"""The overall deadline set for these runs (config `net.deadline`), so a trickle ends soon."""


def _loop(server: LoopbackServer, path: str) -> None:
    """`path` redirects to `path`-back, which redirects back to `path`."""
    server.route(path, redirect_to=f"{path}-back")
    server.route(f"{path}-back", redirect_to=path)


# Each hostile reply, put at the source's URL after a good refresh: (program it, the message).
HOSTILE: dict[str, tuple[Callable[[LoopbackServer, str], object], str]] = {
    "gzip-bomb-200MiB": (
        lambda server, path: server.gzip_bomb(path),
        "response larger than 10 MiB",
    ),
    "trickle-1-byte-a-second": (
        lambda server, path: server.trickle(path, size=100, interval=1.0),
        f"timed out after {DEADLINE} s",
    ),
    "redirect-loop": (_loop, "too many redirects (more than 5)"),
    "21-redirects": (
        lambda server, path: server.redirect_chain(path, 21),
        "too many redirects (more than 5)",
    ),
    "redirect-to-file": (
        lambda server, path: server.route(path, redirect_to="file:///etc/passwd"),
        "redirect to a non-http URL refused",
    ),
    "redirect-to-javascript": (
        lambda server, path: server.route(path, redirect_to="javascript:alert(1)"),
        "redirect to a non-http URL refused",
    ),
    "truncated-body": (
        lambda server, path: server.route(path, NEWS_PAGE, truncate_to=5000),
        "body cut short (got 5000 of",
    ),
    "gzip-stream-cut": (
        lambda server, path: server.route(
            path, stream=_cut_gzip, headers={"Content-Encoding": "gzip"}
        ),
        "body cut short (gzip stream ended early)",
    ),
    "http-500": (
        lambda server, path: server.route(path, "oops", status=500),
        "HTTP 500 Internal Server Error",
    ),
    "http-429-retry-after": (
        lambda server, path: server.route(path, status=429, retry_after=3600),
        "HTTP 429 (retry after 3600 s)",
    ),
}


def _cut_gzip():
    """The news page gzip-compressed, with the end of the stream missing."""
    import gzip

    packed = gzip.compress(NEWS_PAGE.read_bytes())
    yield packed[: len(packed) // 2]


def _config(folder: Path) -> Path:
    """A config file setting the short overall deadline."""
    config = folder / "config.toml"
    config.write_text(f"[net]\ndeadline = {DEADLINE}\n", encoding="utf-8")
    return config


@pytest.mark.parametrize("case", list(HOSTILE))
async def test_cli_a_hostile_refresh_costs_one_line_and_keeps_the_cache(tmp_path, loopback, case):
    program, message = HOSTILE[case]
    source = loopback.route("/news", NEWS_PAGE)
    assert await seed_cache(tmp_path, source) == NEWS_COUNT
    before = cached_titles(tmp_path)
    with open_store(tmp_path / "newsterm.sqlite3") as store:
        validators = (store.fetch_state(source).etag, store.fetch_state(source).last_success)
    program(loopback, "/news")
    # `headlines` refreshes, says what went wrong, then prints the cache.
    result = run_newsterm(
        tmp_path, "headlines", "--json", "--source", source, config=_config(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"newsterm: 127.0.0.1: {message}"), line
    assert [item["title"] for item in json.loads(result.stdout)] == before
    assert cached_titles(tmp_path) == before and cache_is_intact(tmp_path)
    with open_store(tmp_path / "newsterm.sqlite3") as store:
        state = store.fetch_state(source)
    # The validators of the good copy stay, so the next good answer is still compared to it.
    assert (state.etag, state.last_success) == validators
    assert state.last_error and state.last_error.startswith(message)


async def test_tui_each_hostile_refresh_is_one_line_and_the_ticker_stays(tmp_path, loopback):
    source = loopback.route("/news", NEWS_PAGE)
    settings = make_settings(tmp_path, source)
    settings.net.deadline = DEADLINE
    app = make_app(settings)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        good = [entry.title for entry in ticker.entries]
        assert len(good) == NEWS_COUNT
        for case, (program, message) in HOSTILE.items():
            if case == "http-429-retry-after":
                continue  # deferred afterwards; covered by the per-source test below
            loopback.route("/news", NEWS_PAGE)  # reset, then make it hostile
            program(loopback, "/news")
            await pilot.press("r")
            await settle(app, pilot)
            status = app.screen.query_one(StatusLine).plain
            assert f"Espreso Global: {message}" in status, (case, status)
            assert "\n" not in status
            assert [entry.title for entry in ticker.entries] == good, case
            assert f"Espreso Global: {message}" in painted_text(app)  # the notification


async def _two_sources_throttled(tmp_path, loopback, pilot_steps):
    """Run the app on a feed and a page, both refreshed once, then both answering with a
    one-hour Retry-After; `pilot_steps(app, pilot)` runs after that answer; returns its result.
    """
    busy = loopback.route("/busy", (SITE_ROOT / "feed.xml"), content_type="application/rss+xml")
    calm = loopback.route("/calm", NEWS_PAGE)
    settings = make_settings(tmp_path, busy)
    settings.sources[0].name = "Busy"
    app = make_app(settings, source_urls=[busy, calm])
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        loopback.route("/busy", status=429, retry_after=3600)
        loopback.route("/calm", "<html><body>down</body></html>", status=503, retry_after=3600)
        await pilot.press("r")
        await settle(app, pilot)
        return await pilot_steps(app, pilot)


async def test_per_source_status_backoff_and_old_items_kept(tmp_path, loopback):
    async def steps(app, pilot):
        ticker = app.screen.query_one(HeadlineTicker)
        kept = [entry.title for entry in ticker.entries]
        # The page's 40 and the feed's 8 are all kept; a story both sources report shows
        # once (the desk), so every stored headline is a row or a member of a row's story.
        assert app.library.headline_count() == NEWS_COUNT + 8
        shown = {entry.id for entry in ticker.entries}
        members = {
            member.id
            for entry in ticker.entries
            if entry.also
            for member in app.library.desk.story_members(app.library.ticker.row(entry.id))
        }
        assert len(shown | members) == NEWS_COUNT + 8
        status = app.screen.query_one(StatusLine).plain
        assert "Busy: HTTP 429 (retry after 3600 s)" in status
        assert "127.0.0.1: HTTP 503 (retry after 3600 s)" in status
        hits = loopback.hits("/busy"), loopback.hits("/calm")
        await pilot.press("r")  # both wait out their Retry-After: no request goes out
        await settle(app, pilot)
        assert (loopback.hits("/busy"), loopback.hits("/calm")) == hits
        assert [entry.title for entry in ticker.entries] == kept

    await _two_sources_throttled(tmp_path, loopback, steps)


async def test_sources_waiting_to_retry_stay_visible_in_the_status_line(tmp_path, loopback):
    async def steps(app, pilot):
        await pilot.press("r")
        await settle(app, pilot)
        return app.screen.query_one(StatusLine).plain

    status = await _two_sources_throttled(tmp_path, loopback, steps)
    assert "Busy: waiting to retry until" in status, status
    assert "127.0.0.1: waiting to retry until" in status, status


async def test_dns_failure_at_start_shows_the_cache_and_offline(tmp_path):
    source = "http://newsterm-test.invalid/news"  # never resolves; the conftest guard answers
    app = make_app(make_settings(tmp_path, source))
    fill_library(app.library)  # the fixture cache, under another source URL
    app.library.add_source(source)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        status = app.screen.query_one(StatusLine).plain
        assert "offline — showing cache from" in status, status
        assert "host not found: newsterm-test.invalid" in status
        assert len(app.screen.query_one(HeadlineTicker).entries) == NEWS_COUNT + 1
        await pilot.press("G", "enter")
        await settle(app, pilot)
        assert app.screen.query_one(ArticleReader).state == "article"


def test_an_article_whose_reload_is_hostile_is_still_read_from_the_cache(tmp_path, loopback):
    page = (SITE_ROOT / "article.html").read_bytes()
    url = loopback.route("/story", page)
    first = run_newsterm(tmp_path, "read", url)
    assert first.returncode == 0, first.stderr
    for program in (
        lambda: loopback.gzip_bomb("/story"),
        lambda: loopback.route("/story", page, truncate_to=100),
        lambda: loopback.route("/story", redirect_to="file:///etc/passwd"),
    ):
        program()
        again = run_newsterm(tmp_path, "read", url, "--reload")
        assert again.returncode == 0, again.stderr
        assert again.stdout == first.stdout
        [line] = again.stderr.splitlines()
        assert line.startswith("reload failed: ")
