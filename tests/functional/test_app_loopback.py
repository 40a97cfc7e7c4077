"""The TUI against the loopback copy of the site, over real HTTP: every key, refresh, More news."""

from __future__ import annotations

import json

from newsterm.store import FetchState
from newsterm.ui.app import make_app
from newsterm.ui.screens.help_screen import HelpScreen
from newsterm.ui.screens.main_screen import MainScreen
from newsterm.ui.screens.revisions_screen import RevisionsScreen
from newsterm.ui.screens.saved_screen import SavedScreen
from newsterm.ui.screens.search_screen import SearchScreen
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.breaking_line import BreakingLine
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from newsterm.ui.widgets.status_line import StatusLine
from tests.support.app import make_settings, screen_text
from tests.support.loopback import SITE_ROOT, Reply

FIRST_TITLE = "Russian demands at Istanbul talks are unacceptable to Ukraine, MFA says"
ARTICLE_TITLE = "Russia uses new technologies to influence European elections — top EU diplomat"
FIRST_PARAGRAPH = "Politico reported the information."


def site_app(tmp_path, server, **overrides):
    """The app on a temp data dir, following the loopback /news; it refreshes at start."""
    settings = make_settings(tmp_path, server.url + "/news", **overrides)
    return make_app(settings)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def notifications(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_every_key_against_the_site(tmp_path, site_server, recording_browser):
    app = site_app(tmp_path / "data", site_server)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        library = app.library
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        status = app.screen.query_one(StatusLine)

        # The start-up refresh filled the ticker from /news.
        assert len(ticker.entries) == 40
        assert ticker.cursor_entry.title == FIRST_TITLE
        assert "2025, Friday · 16 May" in screen_text(app)
        assert "online" in status.plain and "updated just now" in status.plain

        # j k arrows g G PgDn PgUp
        await pilot.press("j", "down", "j")
        assert ticker.cursor == 3
        await pilot.press("k", "up")
        assert ticker.cursor == 1
        await pilot.press("G")
        assert ticker.cursor == 39
        await pilot.press("g")
        assert ticker.cursor == 0
        await pilot.press("pagedown")
        assert ticker.cursor > 10
        await pilot.press("pageup")
        assert ticker.cursor == 0

        # [ and ]: the older day (15 May) and back.
        await pilot.press("left_square_bracket")
        assert ticker.cursor_entry.clock == "21:40"
        await pilot.press("right_square_bracket")
        assert ticker.cursor == 0

        # enter: fetched over HTTP and extracted; title and first paragraph in the reader.
        await pilot.press("enter")
        await settle(app, pilot)
        assert reader.state == "article", reader.document_text
        assert reader.title == ARTICLE_TITLE
        assert FIRST_PARAGRAPH in reader.document_text
        assert FIRST_PARAGRAPH in screen_text(app)
        assert ticker.entries[0].read

        # n: the next unread headline is the second one.
        await pilot.press("n")
        assert ticker.cursor == 1

        # s: saving an article that is not cached yet fetches it, then says "Saved".
        url = ticker.cursor_entry.url
        await pilot.press("s")
        await settle(app, pilot)
        assert library.is_saved(url)
        assert "Saved" in notifications(app)

        # o: the URL reaches the browser as one argument.
        await pilot.press("o")
        await settle(app, pilot)
        assert [json.loads(line) for line in recording_browser.read_text().splitlines()] == [[url]]

        # y: the link goes to the clipboard.
        await pilot.press("y")
        assert app.clipboard == url

        # tab: the reader takes the keys and scrolls; the ticker stays.
        await pilot.press("tab", "j", "j")
        await pilot.pause()
        assert app.focused is reader and reader.scroll_y == 2
        await pilot.press("tab")
        assert app.focused is ticker

        # /: full-text search finds the cached article body.
        await pilot.press("slash", *"Georgescu")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.hits and all(hit.cached for hit in app.screen.hits)
        await pilot.press("escape")

        # S: the saved article is listed.
        await pilot.press("S")
        assert isinstance(app.screen, SavedScreen)
        assert [item.article.url for item in app.screen.items] == [url]
        await pilot.press("escape")

        # R: an earlier version of the article is shown with its change line.
        stored = library.store.get_article(url)
        changed = stored.article
        changed.text = "A corrected first line.\n\n" + changed.text
        changed.markdown = "A corrected first line.\n\n" + changed.markdown
        library.store.put_article(changed)
        await pilot.press("R")
        assert isinstance(app.screen, RevisionsScreen)
        assert FIRST_PARAGRAPH in screen_text(app)
        await pilot.press("escape")

        # t: the breaking line hides and comes back.
        breaking = app.screen.query_one(BreakingLine)
        await pilot.press("t")
        assert not breaking.display
        await pilot.press("t")
        assert breaking.display

        # ?: the help lists the keys.
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)

        # r: a second refresh asks the site again (a conditional GET) and changes nothing.
        before = site_server.hits("/news")
        cursor_entry = ticker.cursor_entry
        await pilot.press("r")
        await settle(app, pilot)
        assert site_server.hits("/news") == before + 1
        assert ticker.cursor_entry == cursor_entry

        # q: quit.
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_new_headlines_slide_in_while_the_cursor_stays(tmp_path, loopback):
    page2 = SITE_ROOT / "news-page2.html"
    full = SITE_ROOT / "news.html"
    html = "text/html; charset=utf-8"
    loopback.sequence("/news", Reply(page2, content_type=html), Reply(full, content_type=html))
    app = site_app(tmp_path, loopback)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        assert len(ticker.entries) == 11
        await pilot.press("j", "j", "j", "j", "j")
        before = ticker.cursor_entry
        await pilot.press("r")
        await settle(app, pilot)
        assert len(ticker.entries) == 51
        assert ticker.cursor_entry == before
        assert ticker.cursor == 45
        assert ticker.entries[0].title == FIRST_TITLE
        assert len(ticker.new_ids) == 40
        assert "40 new" in app.screen.query_one(StatusLine).plain
        # 40 rows would push the cursor off screen, so the view stayed on it; the new
        # headlines wait above, marked.
        assert before.title[:20] in screen_text(app)
        ticker.scroll_home(animate=False)
        await pilot.pause()
        assert f"• 19:58{' ' * 14}Russian demands" in screen_text(app)


async def test_the_end_of_the_ticker_loads_more_news(tmp_path, site_server):
    app = site_app(tmp_path, site_server)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        assert len(ticker.entries) == 40
        page2, page3 = site_server.hits("/news?page=2"), site_server.hits("/news?page=3")
        await pilot.press("G")
        await settle(app, pilot)
        assert site_server.hits("/news?page=2") == page2 + 1
        assert len(ticker.entries) == 51
        assert ticker.cursor == 39  # the cursor stays; the older headlines wait below
        assert ticker.entries[-1].clock == "14:12"
        assert ticker.more_text.startswith("More news")
        await pilot.press("G")  # the new end: page 3 is asked for
        await settle(app, pilot)
        # Page 3 does not exist on the fixture site (404): said once, and not offered again.
        assert site_server.hits("/news?page=3") == page3 + 1
        assert any("More news" in (n.title or "") for n in app._notifications)
        assert ticker.more_text is None
        assert "More news" not in screen_text(app)
        assert len(ticker.entries) == 51
        await pilot.press("G", "j")  # pushing past the end again asks nobody
        await settle(app, pilot)
        assert site_server.hits("/news?page=3") == page3 + 1
        assert any("No older headlines" in n.message for n in app._notifications)


async def test_a_next_page_that_fails_for_now_stays_offered(tmp_path, loopback):
    loopback.route("/news", (SITE_ROOT / "news.html").read_bytes())
    loopback.route("/news?page=2", b"busy", status=500)
    app = site_app(tmp_path, loopback)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press("G")
        await settle(app, pilot)
        assert loopback.hits("/news?page=2") >= 1
        assert any("HTTP 500" in n.message for n in app._notifications)
        assert ticker.more_text.startswith("More news")  # a server error may pass: ask again
        loopback.route("/news?page=2", (SITE_ROOT / "news-page2.html").read_bytes())
        await pilot.press("G", "j")
        await settle(app, pilot)
        assert len(ticker.entries) == 51


async def test_a_failing_site_is_reported_and_the_cache_stays(tmp_path, loopback):
    app = site_app(tmp_path, loopback)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert len(app.screen.query_one(HeadlineTicker).entries) == 40
        loopback.route("/news", "down for maintenance", status=503)
        await pilot.press("r")
        await settle(app, pilot)
        status = app.screen.query_one(StatusLine).plain
        assert "Espreso Global:" in status and "503" in status
        assert any("503" in message for message in notifications(app))
        assert len(app.screen.query_one(HeadlineTicker).entries) == 40


async def test_offline_restart_reads_the_saved_article(tmp_path, loopback):
    app = site_app(tmp_path, loopback)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        saved_url = app.screen.query_one(HeadlineTicker).cursor_entry.url
        assert app.library.is_saved(saved_url)
    loopback.stop()
    offline = site_app(tmp_path, loopback, offline=True)
    async with offline.run_test(size=(140, 40)) as pilot:
        await settle(offline, pilot)
        assert "offline" in offline.screen.query_one(StatusLine).plain
        await pilot.press("S", "enter")
        await settle(offline, pilot)
        reader = offline.screen.query_one(ArticleReader)
        assert reader.url == saved_url and reader.state == "article"
        assert FIRST_PARAGRAPH in reader.document_text
        await pilot.press("j", "enter")  # never fetched: said in the pane
        await settle(offline, pilot)
        assert "not cached (offline)" in reader.document_text


async def test_unreachable_site_switches_to_offline_and_says_so(tmp_path, loopback):
    app = site_app(tmp_path, loopback)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        app.library.store.record_fetch(FetchState(loopback.url + "/news", last_success=1.0))
        loopback.stop()
        await pilot.press("r")
        await settle(app, pilot)
        status = app.screen.query_one(StatusLine).plain
        assert "offline" in status
        assert "Russian demands" in screen_text(app)


async def test_quitting_mid_refresh_ends_every_fetch_quietly(tmp_path, loopback, caplog):
    # Sources that answer only long after the user has quit: no fetch may outlive the app
    # (closing the client under one logged "client has been closed" over the terminal).
    import logging

    urls = [loopback.route(f"/slow-{n}", b"late", delay=20) for n in range(6)]
    settings = make_settings(tmp_path, urls[0])
    app = make_app(settings, source_urls=urls)
    caplog.set_level(logging.WARNING)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert app.screen.refreshing
        fetching = set(app.library._fetching)
        assert len(fetching) == len(urls)
        await pilot.press("q")
    assert all(task.done() for task in fetching)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
