"""The news desk in the TUI: a story shown once with "+N sources", watch marks, w, e, muted."""

from __future__ import annotations

from newsterm.ui.app import make_app
from newsterm.ui.screens.story_screen import StoryScreen
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from newsterm.ui.widgets.status_line import StatusLine
from tests.functional.test_cli_desk import two_feeds
from tests.support.app import make_settings, screen_text


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def line_of(ticker: HeadlineTicker, title: str) -> str:
    """The painted line(s) of the row with this title."""
    entry = next(entry for entry in ticker.entries if entry.title == title)
    parts = [ticker._row_text(entry, False, ticker.rich_style, part) for part in (0, 1)]
    return " ".join(part.plain.strip() for part in parts)


async def test_a_story_shows_once_with_its_sources_and_watch_words_are_marked(tmp_path, loopback):
    one, two = two_feeds(loopback)
    settings = make_settings(tmp_path, one, watch=["riverton"], refresh_minutes=0)
    settings.display_timezone = "UTC"
    app = make_app(settings, source_urls=[one, two])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        titles = [entry.title for entry in ticker.entries]
        # The bridge story, reported by both feeds, is one row: its newest headline.
        bridge = [t for t in titles if "Riverton bridge" in t or "Riverton" in t]
        assert bridge == ["Riverton bridge shut by storm damage"]
        assert "+1 source" in line_of(ticker, bridge[0])
        entry = ticker.entries[titles.index(bridge[0])]
        assert entry.watched and entry.also == 1
        assert "◆" in line_of(ticker, bridge[0])
        # A refresh that brings a watched headline says so.
        assert any("Watch: riverton" in str(n.title) for n in app._notifications), [
            n.title for n in app._notifications
        ]
        # w goes to the watched row, e lists the story's headlines from both sources.
        await pilot.press("g", "w")
        assert ticker.cursor_entry.title == bridge[0]
        await pilot.press("e")
        await pilot.pause()
        story = app.screen
        assert isinstance(story, StoryScreen)
        assert sorted(row.title for row in story.rows) == [
            "Riverton bridge shut by storm damage",
            "Storm closes Riverton bridge for repairs",
        ]
        await pilot.press("escape")
        await pilot.pause()
        # A muted source's rows leave the ticker; the status line counts them.
        app.library.desk.add("mute", "PARK")
        app.screen._source_names = None
        ticker.reload()
        app.screen._update_status()
        await pilot.pause()
        assert not [e for e in ticker.entries if "park" in e.title.lower()]
        assert "12 muted" in screen_text(app)
        assert "12 muted" in str(app.screen.query_one(StatusLine).render())


async def test_the_reader_names_the_other_sources_of_the_story(tmp_path, loopback):
    one, two = two_feeds(loopback)
    for path in ("/one/bridge", "/two/bridge"):
        loopback.route(
            path,
            "<html><body><article><h1>Riverton bridge</h1><p>The bridge over the river at"
            " Riverton was shut after the storm damaged its supports, officials said.</p>"
            "</article></body></html>",
        )
    settings = make_settings(tmp_path, one, refresh_minutes=0)
    app = make_app(settings, source_urls=[one, two])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        titles = [entry.title for entry in ticker.entries]
        ticker.move_cursor(titles.index("Riverton bridge shut by storm damage"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Also reported by Espreso Global" in screen_text(app)  # the feed named so


async def test_a_watch_rule_added_from_the_palette_marks_rows_at_once(tmp_path, loopback):
    one, two = two_feeds(loopback)
    app = make_app(make_settings(tmp_path, one, refresh_minutes=0), source_urls=[one, two])
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        assert not [e for e in ticker.entries if e.watched]
        app.screen.action_add_watch()
        await pilot.pause()
        await pilot.press(*"кафе", "space", *"Lviv")  # a phrase: no headline has both words
        await pilot.press("enter")
        await pilot.pause()
        assert not [e for e in ticker.entries if e.watched]
        app.screen.action_add_watch()
        await pilot.pause()
        await pilot.press(*"CAFE", "enter")  # whole word, any case, accents ignored
        await pilot.pause()
        assert [e.title for e in ticker.entries if e.watched] == ["Un café à Lviv ouvre ses portes"]
        assert [entry.rule.text for entry in app.library.desk.rules("watch")] == [
            "кафе Lviv",
            "CAFE",
        ]
        app.screen.action_add_watch()
        await pilot.pause()
        await pilot.press(*"cafe", "enter")  # the same rule again: said, not added
        await pilot.pause()
        assert any("already" in str(n.message) for n in app._notifications)
        assert len(app.library.desk.rules("watch")) == 2
