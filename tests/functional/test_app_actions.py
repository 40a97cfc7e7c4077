"""Keys that act on an article or open a screen: s, o, y, /, S, R, t, ?, q, ctrl+p, keymaps."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import re
from datetime import datetime

import pytest
from textual.command import CommandPalette

import newsterm.ui
from newsterm.config import BINDING_IDS
from newsterm.library import Library
from newsterm.models import Headline
from newsterm.ui.app import make_app
from newsterm.ui.screens.help_screen import HelpScreen
from newsterm.ui.screens.main_screen import MainScreen
from newsterm.ui.screens.revisions_screen import RevisionsScreen
from newsterm.ui.screens.saved_screen import SavedScreen
from newsterm.ui.screens.search_screen import SearchScreen
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.breaking_line import BreakingLine
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from newsterm.ui.widgets.key_footer import KeyFooter
from tests.support.app import (
    FIXED_NOW,
    SEED_URL,
    fill_library,
    frozen_clock,
    make_settings,
    screen_text,
    seed_article,
)


def filled_app(tmp_path, **overrides):
    app = make_app(make_settings(tmp_path, **overrides), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)
    return app


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def notifications(app) -> list[str]:
    return [notification.message for notification in app._notifications]


# -- s: save / unsave ---------------------------------------------------------------------


async def test_s_saves_the_cursor_article_and_says_so_after_the_library_returned(tmp_path):
    app = filled_app(tmp_path)
    library = app.library
    said_before_return: list[bool] = []
    real_save = library.save

    async def watched_save(url):
        said_before_return.append("Saved" in notifications(app))
        return await real_save(url)

    library.save = watched_save
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press("G", "s")
        await settle(app, pilot)
        assert library.is_saved(SEED_URL)
        assert said_before_return == [False]
        assert "Saved" in notifications(app)
        assert ticker.cursor_entry.saved
        assert "".join(
            s.text for s in ticker.render_line(ticker._entry_lines[-1] - ticker.scroll_offset.y)
        ).startswith("★")
        await pilot.press("s")
        await settle(app, pilot)
        assert not library.is_saved(SEED_URL)
        assert "Removed from saved" in notifications(app)
        assert not ticker.cursor_entry.saved


async def test_saving_an_uncached_article_offline_fails_with_a_message(tmp_path):
    app = filled_app(tmp_path, offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        first = app.library.ticker_rows(0, 1)[0]
        assert not app.library.is_saved(first.url)
        assert any("not cached" in message for message in notifications(app))
        assert "Saved" not in notifications(app)


async def test_s_in_the_reader_saves_the_open_article(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "enter")
        await settle(app, pilot)
        await pilot.press("g", "tab", "s")  # cursor elsewhere; the reader has the keys
        await settle(app, pilot)
        assert app.library.is_saved(SEED_URL)
        reader = app.screen.query_one(ArticleReader)
        assert "★ Saved" in reader.document_text


async def test_quitting_waits_for_a_save_under_way(tmp_path):
    app = filled_app(tmp_path)
    gate = asyncio.Event()
    real_save = app.library.save

    async def slow_save(url):
        await gate.wait()
        return await real_save(url)

    app.library.save = slow_save
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "s")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running  # the save is still under way
        gate.set()
        await app.workers.wait_for_complete()  # the save, then the quit that waited for it
    reopened = Library.open(make_settings(tmp_path))
    assert reopened.is_saved(SEED_URL)
    reopened.store.close()


# -- o: open in the browser ---------------------------------------------------------------


async def test_o_hands_the_url_to_the_browser_as_one_argument(tmp_path, recording_browser):
    app = filled_app(tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "o")
        await settle(app, pilot)
        assert recording_browser.read_text().splitlines() == [f'["{SEED_URL}"]']
        assert "Opened in the browser" in notifications(app)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "https://example.org/a b; rm -rf ~",
        "http:///no-host",
        # Drawn without the joiner and the selector, so not the host the reader shows.
        "https://bank\u200d\ufe0f.example/login",
    ],
)
async def test_o_refuses_links_that_are_not_plain_http(tmp_path, recording_browser, url):
    app = filled_app(tmp_path / "data")
    source = app.library.store.sources()[0]
    published = datetime.fromisoformat("2025-05-16T23:00:00+03:00")
    app.library.store.store_listing(source, [Headline("Trap", url, published)], now=FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.query_one(HeadlineTicker).cursor_entry.url == url
        await pilot.press("o")
        await settle(app, pilot)
        assert not recording_browser.exists()
        assert any("only http(s) links" in message for message in notifications(app))


# -- z: zoom ------------------------------------------------------------------------------


async def test_z_gives_the_ticker_the_screen_enter_reads_zoomed_and_escape_goes_back(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(160, 30)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        await pilot.press("G")  # the seed article's headline
        title = ticker.cursor_entry.title
        assert reader.display and ticker.size.width < 110  # both panes share the screen
        await pilot.press("z")
        await pilot.pause()
        assert not reader.display and ticker.size.width > 150
        assert title in screen_text(app)  # whole
        assert "LATEST" in screen_text(app) and "online" in screen_text(app)  # lines kept
        await pilot.press("enter")
        await settle(app, pilot)
        assert not ticker.display and reader.display and app.screen.focused is reader
        assert reader.state == "article" and reader.size.width > 150
        await pilot.press("escape")  # back to the zoomed headlines, where we were
        await pilot.pause()
        assert ticker.display and not reader.display and app.screen.focused is ticker
        assert ticker.cursor_entry.title == title
        await pilot.press("escape")  # and back to both panes
        await pilot.pause()
        assert ticker.display and reader.display and ticker.size.width < 110


async def test_z_zooms_the_pane_with_the_keys_tab_swaps_and_z_again_unzooms(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(140, 30)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        await pilot.press("tab", "z")
        await pilot.pause()
        assert reader.display and not ticker.display and app.screen.focused is reader
        await pilot.press("tab")
        await pilot.pause()
        assert ticker.display and not reader.display and app.screen.focused is ticker
        await pilot.press("z")
        await pilot.pause()
        assert ticker.display and reader.display
        await pilot.press("question_mark")
        assert re.search(r"│ z\s+zoom: the pane gets the whole screen", screen_text(app))


# -- y: copy the link ---------------------------------------------------------------------


async def test_y_copies_the_link(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "y")
        assert app.clipboard == SEED_URL
        assert "Link copied" in notifications(app)


# -- /: search ----------------------------------------------------------------------------


async def test_slash_searches_the_cache_and_enter_opens_a_result(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"Georgescu")
        await pilot.pause()
        search = app.screen
        assert [hit.url for hit in search.hits] == [SEED_URL]
        text = screen_text(app)
        assert "1 result" in text
        assert "Russia uses new technologies" in text
        assert "Georgescu" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        reader = app.screen.query_one(ArticleReader)
        assert reader.url == SEED_URL and reader.state == "article"
        assert app.screen.query_one(HeadlineTicker).cursor_entry.url == SEED_URL


async def test_search_finds_headlines_too_and_escape_goes_back(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"Medinsky")
        await pilot.pause()
        assert any("Medinsky" in hit.title for hit in app.screen.hits)
        assert "(headline only)" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("slash", "escape")
        assert isinstance(app.screen, MainScreen)


# -- S: saved articles --------------------------------------------------------------------


async def test_capital_s_lists_saved_articles_and_opens_one(tmp_path):
    app = filled_app(tmp_path)
    app.library.store.set_saved(SEED_URL, True, saved_at=FIXED_NOW - 3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        assert isinstance(app.screen, SavedScreen)
        text = screen_text(app)
        assert "Saved articles (1)" in text
        assert "Russia uses new technologies" in text
        assert "saved 16 May 2025, 19:05" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one(ArticleReader).url == SEED_URL


async def test_capital_s_with_nothing_saved_says_so(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        assert "Nothing saved yet" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


# -- R: revisions -------------------------------------------------------------------------


async def test_capital_r_shows_each_revision_with_its_change_and_text(tmp_path):
    app = filled_app(tmp_path)
    store = app.library.store
    stored = store.get_article(SEED_URL)
    changed = stored.article
    old_text = changed.text
    changed.title = changed.title + " (updated)"
    changed.text = "A new first paragraph.\n\n" + old_text
    changed.markdown = "A new first paragraph.\n\n" + changed.markdown
    store.put_article(changed, fetched_at=FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "enter")
        await settle(app, pilot)
        assert "1 earlier version (press R)" in app.screen.query_one(ArticleReader).document_text
        await pilot.press("R")
        assert isinstance(app.screen, RevisionsScreen)
        revision = app.library.revisions(SEED_URL)[0]
        text = screen_text(app)
        assert "Earlier versions: Russia uses" in text
        assert "Version 1" in text
        assert revision.change.split(";")[0] in text
        assert "Politico reported the information." in app.screen.plain
        assert "Politico reported the information." in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        # The box title is web text too: shown as typed.
        await app.push_screen(RevisionsScreen("[b]Draft[/b] title", [revision], None))
        assert "Earlier versions: [b]Draft[/b] title" in screen_text(app)


async def test_capital_r_without_revisions_says_so(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("R")
        assert isinstance(app.screen, MainScreen)
        assert "No earlier versions of this article." in notifications(app)


# -- t, ?, q, ctrl+p ----------------------------------------------------------------------


async def test_t_toggles_the_breaking_line(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        breaking = app.screen.query_one(BreakingLine)
        assert breaking.display
        assert screen_text(app).startswith(" LATEST ")
        await pilot.press("t")
        assert not breaking.display
        assert not screen_text(app).startswith(" LATEST ")
        await pilot.press("t")
        assert breaking.display


async def test_breaking_line_scrolls_with_the_clock(tmp_path):
    now = [FIXED_NOW]
    app = make_app(make_settings(tmp_path), clock=lambda: now[0], refresh_on_start=False)
    fill_library(app.library)
    async with app.run_test(size=(120, 40)) as pilot:
        breaking = app.screen.query_one(BreakingLine)
        first = str(breaking.render())
        now[0] += 2
        assert str(breaking.render()) != first
        await pilot.pause()


async def test_question_mark_lists_every_binding(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for keys, words in [
            ("j ↓", "move down"),
            ("enter", "open the headline"),
            ("tab", "switch between ticker and reader"),
            ("[", "previous day"),
            ("]", "next day"),
            ("n", "next unread"),
            ("s", "save / unsave"),
            ("o", "open the article in the web browser"),
            ("y", "copy the article's link"),
            ("r", "refresh every source now"),
            ("/", "search the cache"),
            ("S", "saved articles"),
            ("R", "earlier versions"),
            ("t", "breaking line on/off"),
            ("?", "this help"),
            ("q", "quit"),
            ("^p", "command palette"),
        ]:
            pattern = rf"│ {re.escape(keys)}\s+{re.escape(words)}"
            assert re.search(pattern, text), (keys, words)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_q_quits(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_p_offers_every_action_in_the_palette(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        commands = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Save / unsave", "Open in browser", "Copy link", "Refresh", "Search"):
            assert title in commands
        assert "Theme" in commands and "Help" in commands
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Saved articles")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)


async def test_clicking_a_key_in_the_footer_runs_it(tmp_path):
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        assert footer.plain.startswith(" enter Open  space Read on  s Save ")
        start = footer.plain.index(" / Search")
        await pilot.click(KeyFooter, offset=(start + 2, 0))
        assert isinstance(app.screen, SearchScreen)


async def test_themes_default_to_the_terminals_and_built_ins_are_selectable(tmp_path, monkeypatch):
    monkeypatch.delenv("COLORFGBG", raising=False)
    app = filled_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "ansi-dark"  # the terminal's own colours, not a white page
        app.theme = "textual-dark"
        await pilot.pause()
        assert "Russian demands" in screen_text(app)
    other = make_app(
        make_settings(tmp_path / "other", theme="nord"),
        clock=frozen_clock,
        refresh_on_start=False,
    )
    assert other.theme == "nord"
    unknown = make_app(
        make_settings(tmp_path / "unknown", theme="no-such-theme"),
        clock=frozen_clock,
        refresh_on_start=False,
    )
    async with unknown.run_test(size=(120, 40)):
        assert unknown.theme == "ansi-dark"
        assert any("Unknown theme" in message for message in notifications(unknown))


def test_the_config_knows_every_binding_id_the_app_has():
    ids = set()
    for module_info in pkgutil.walk_packages(newsterm.ui.__path__, "newsterm.ui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                ids |= {b.id for b in getattr(cls, "BINDINGS", []) if getattr(b, "id", None)}
    assert ids == BINDING_IDS


async def test_keymap_from_settings_remaps_binding_ids(tmp_path):
    app = filled_app(tmp_path, keys={"save": "ctrl+s", "down": "ctrl+n", "quit": "ctrl+x"})
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press("ctrl+n", "ctrl+n")
        assert ticker.cursor == 2
        await pilot.press("G", "s")
        await settle(app, pilot)
        assert not app.library.is_saved(SEED_URL)  # "s" no longer saves
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.library.is_saved(SEED_URL)
        assert " ^s Save " in app.screen.query_one(KeyFooter).plain
        await pilot.press("question_mark")
        assert re.search(r"│ \^s\s+save / unsave", screen_text(app))
        await pilot.press("escape", "q")
        assert app.is_running
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert not app.is_running


async def test_search_results_name_the_article_light_its_words_and_list_it_once(tmp_path):
    app = filled_app(tmp_path)
    untitled = seed_article("https://global.espreso.tv/untitled-report")
    untitled.title = ""
    app.library.store.store_listing(
        app.library.store.sources()[0],
        [Headline("Technologies report", untitled.url, untitled.published)],
        now=FIXED_NOW,
    )
    app.library.store.put_article(untitled, fetched_at=FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"technologies")
        await pilot.pause()
        search = app.screen
        urls = [hit.url for hit in search.hits]
        assert len(urls) == len(set(urls)) and SEED_URL in urls
        text = screen_text(app)
        assert "Untitled article · global.espreso.tv" in text
        assert untitled.url not in text and "https://" not in text
        prompt = search._option(search.hits[urls.index(SEED_URL)]).prompt
        title_line = prompt.plain.split("\n")[0]
        lit = [
            title_line[span.start : span.end]
            for span in prompt.spans
            if "reverse" in str(span.style)
        ]
        assert "technologies" in [word.lower() for word in lit]
