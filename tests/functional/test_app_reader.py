"""The reader pane: the article's parts, body blocks as plain Text, errors in the pane, tab."""

from __future__ import annotations

from datetime import datetime

from newsterm.models import Article, BodyBlock, Headline, ListItem, Span
from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import (
    FIXED_NOW,
    SEED_URL,
    fill_library,
    frozen_clock,
    make_settings,
    screen_segments,
    screen_text,
)

RICH_URL = "https://global.espreso.tv/markdown-everything"
RICH_BLOCKS = [
    BodyBlock(
        "paragraph",
        (
            Span("Opening paragraph with a "),
            Span("source link", "https://example.org/report"),
            Span(" and a second line, "),
            Span("bold words", marks="b"),
            Span(" and "),
            Span("italic words", marks="i"),
            Span("."),
        ),
    ),
    BodyBlock("heading", (Span("What happened"),), level=2),
    BodyBlock(
        "list",
        items=(
            ListItem("•", (Span("first point"),)),
            ListItem("•", (Span("second point with [link=https://evil.test]fake[/link] text"),)),
            ListItem("•", (Span("a nested point"),), depth=1),
        ),
    ),
    BodyBlock(
        "list",
        items=(ListItem("1.", (Span("numbered one"),)), ListItem("2.", (Span("numbered two"),))),
    ),
    BodyBlock("paragraph", (Span("A quoted sentence from [red]someone[/red]."),), quote=1),
    BodyBlock(
        "paragraph",
        (
            Span("Text with a link to "),
            Span("https://example.org/auto", "https://example.org/auto"),
        ),
    ),
    BodyBlock("code", lines=("Control \x1b[31mred\x1b[0m and \x9b32m CSI stay out.",)),
    BodyBlock("table", rows=(("Region", "Votes"), ("North", "12"))),
]


def app_with_rich_article(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    source = fill_library(app.library)
    published = datetime.fromisoformat("2025-05-16T21:00:00+03:00")
    app.library.store.store_listing(
        source, [Headline("Markdown everything", RICH_URL, published)], now=FIXED_NOW
    )
    app.library.store.put_article(
        Article(
            url=RICH_URL,
            title="Markdown [b]everything[/b]",
            text="Opening paragraph …",
            markdown="Not *parsed*: the reader draws the blocks.",
            blocks=RICH_BLOCKS,
            byline="A. Writer",
            published=published,
        ),
        fetched_at=FIXED_NOW,
    )
    return app


async def open_cursor_row(app, pilot) -> ArticleReader:
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(ArticleReader)


async def test_opening_an_article_shows_title_meta_lead_and_first_paragraph(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G")
        reader = await open_cursor_row(app, pilot)
        text = reader.document_text
        assert reader.url == SEED_URL
        assert text.startswith(
            "Russia uses new technologies to influence European elections — top EU diplomat"
        )
        assert "Wednesday, 11 December 2024, 15:16 · Marta Ostapchuk · global.espreso.tv" in text
        assert "2 min read" in text
        assert "Kaja Kallas, stated that Russia has learned" in text
        assert "Politico reported the information." in text
        assert "What is known about elections in Romania" in text
        on_screen = screen_text(app)
        assert "Politico reported the information." in on_screen
        assert "top EU diplomat" in on_screen


async def test_body_blocks_become_plain_text_with_links_written_out(tmp_path):
    app = app_with_rich_article(tmp_path)
    async with app.run_test(size=(160, 60)) as pilot:
        reader = await open_cursor_row(app, pilot)
        text = reader.document_text
        assert text.startswith("Markdown [b]everything[/b]")
        assert "a [source link] (" not in text
        assert "source link (https://example.org/report) and a second line" in text
        assert "bold words and italic words" in text
        assert "What happened" in text
        assert "• first point" in text
        assert "• second point with [link=https://evil.test]fake[/link] text" in text
        assert "• a nested point" in text
        assert "1. numbered one" in text and "2. numbered two" in text
        assert "A quoted sentence from [red]someone[/red]." in text
        assert "a link to https://example.org/auto" in text
        assert "Region | Votes\nNorth | 12" in text
        assert "parsed" not in text
        assert "Control [31mred[0m and 32m CSI stay out." in text
        on_screen = screen_text(app)
        assert "[link=https://evil.test]fake[/link]" in on_screen
        assert "[red]someone[/red]" in on_screen
        assert not [s for s in screen_segments(app) if "\x1b" in s or "\x9b" in s]
        # No live hyperlinks anywhere: the terminal gets text, never an OSC 8 link.
        strips = app.screen._compositor.render_strips()
        assert all(seg.style is None or not seg.style.link for strip in strips for seg in strip)


async def test_not_cached_while_offline_is_said_in_the_pane(tmp_path):
    app = make_app(
        make_settings(tmp_path, offline=True), clock=frozen_clock, refresh_on_start=False
    )
    fill_library(app.library)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_cursor_row(app, pilot)
        assert reader.state == "error"
        assert "not cached (offline)" in reader.document_text
        assert "not cached (offline)" in screen_text(app)
        assert "Traceback" not in screen_text(app)


async def test_an_exception_below_is_shown_in_the_pane_not_as_a_traceback(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)

    async def broken_open(url, reload=False):
        raise RuntimeError("extractor exploded")

    app.library.open_article = broken_open
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_cursor_row(app, pilot)
        assert reader.state == "error"
        assert "extractor exploded" in reader.document_text
        assert app.is_running


async def test_tab_switches_panes_and_the_reader_scrolls_with_j_and_k(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)
    async with app.run_test(size=(140, 24)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press("G")
        reader = await open_cursor_row(app, pilot)
        assert app.focused is ticker
        await pilot.press("tab")
        assert app.focused is reader
        await pilot.press("j", "j", "down")
        await pilot.pause()
        assert reader.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert reader.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert reader.scroll_y == reader.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert reader.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert reader.scroll_y > 3
        assert ticker.cursor == len(ticker.entries) - 1  # the ticker did not move
        await pilot.press("tab")
        assert app.focused is ticker


async def test_opening_another_headline_replaces_the_article(tmp_path):
    app = app_with_rich_article(tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_cursor_row(app, pilot)
        assert reader.title.startswith("Markdown")
        await pilot.press("G")
        reader = await open_cursor_row(app, pilot)
        assert reader.title.startswith("Russia uses new technologies")
        assert "Markdown" not in reader.document_text
