"""The reader draws the extractor's blocks: page text that looks like Markdown stays text."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from newsterm.models import Article, Headline
from newsterm.store import SCHEMA_VERSION
from newsterm.store.records import url_key
from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from tests.support.app import (
    FIXED_NOW,
    fill_library,
    frozen_clock,
    make_settings,
    screen_segments,
    screen_text,
)
from tests.support.old_cache import cache_at_schema

PUBLISHED = datetime.fromisoformat("2025-05-16T20:04:00+03:00")
# Every line is what a writer typed; a reader that parsed Markdown would change each one.
LITERAL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Markup written as text</title></head>
<body><main><article>
<h1>Markup written as text</h1>
<p>The council met on Friday to discuss the budget for the coming year, and the meeting ran
late into the evening as members argued over *stars* and other details of the plan.</p>
<p># not a heading, but the first words of a paragraph that goes on for a while about the
budget and the people who wrote it.</p>
<p>&gt; not a quote either: a paragraph that starts with a greater-than sign, as some writers
do when they copy an email into the story.</p>
<p>A reader wrote [x](http://evil) in a comment, and another wrote `code` in backticks, and
neither of them is a link or code in this <a href="/budget">budget story</a>.</p>
<p>The first line of an address<br>and the second line of it, kept apart in the page.</p>
<table><tr><th>Item</th><th>Cost</th></tr><tr><td>*stars*</td><td>12</td></tr>
<tr><td>Roads</td><td>40</td></tr></table>
<pre>```
# not a heading in code
```</pre>
<p>The meeting closed with a vote, and the budget passed by a narrow margin after a long
debate among the members of the council.</p>
</article></main></body></html>
"""


async def open_cursor_row(app, pilot) -> ArticleReader:
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(ArticleReader)


async def test_markup_a_page_writes_as_text_shows_literally(tmp_path, loopback):
    url = loopback.route("/literal", LITERAL_PAGE)
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    source = fill_library(app.library)
    headline = Headline("Markup written as text", url, PUBLISHED)
    app.library.store.store_listing(source, [headline], now=FIXED_NOW)
    async with app.run_test(size=(160, 60)) as pilot:
        reader = await open_cursor_row(app, pilot)
        assert reader.state == "article", reader.document_text
        text = reader.document_text
        assert "argued over *stars* and other details" in text
        assert "\n\n# not a heading, but the first words" in text
        assert "\n\n> not a quote either:" in text
        assert "A reader wrote [x](http://evil) in a comment" in text
        assert "another wrote `code` in backticks" in text
        assert f"budget story ({loopback.url}/budget)." in text
        assert "The first line of an address\nand the second line of it" in text
        assert "\\" not in text  # no escape of the Markdown on the way shows
        assert "Item | Cost\n*stars* | 12\nRoads | 40" in text
        assert "```\n# not a heading in code\n```" in text
        on_screen = screen_text(app)
        for shown in ("*stars*", "# not a heading,", "> not a quote", "[x](http://evil)"):
            assert shown in on_screen
        assert "# not a heading in code" in on_screen


async def reopen(app, pilot, url: str) -> ArticleReader:
    """Open `url` again, whatever has focus: each time the article is read from the cache."""
    app.screen.open_url(url)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(ArticleReader)


def article_in_old_cache(path, url: str) -> None:
    """A cache as schema 7 left it: one source, a headline, an article with no blocks."""
    db = cache_at_schema(path, 7)
    db.execute(
        "INSERT INTO sources (id, url, name, timezone, added_at) VALUES (1, ?, 'Old', 'UTC', ?)",
        ("https://global.espreso.tv/news", FIXED_NOW),
    )
    db.execute(
        "INSERT INTO headlines (source_id, url_key, sort_key, first_seen, last_seen, url,"
        " title) VALUES (1, ?, ?, ?, ?, ?, 'Cached before blocks')",
        (url_key(url), FIXED_NOW - 60, FIXED_NOW, FIXED_NOW, url),
    )
    db.execute(
        "INSERT INTO articles (url, fetched_at, size, extractor_version, method, title, text,"
        " markdown) VALUES (?, ?, 10, 2, 'readability', 'Cached before blocks', ?, ?)",
        (
            url,
            FIXED_NOW,
            "First plain paragraph with *stars*.\n\nSecond plain paragraph.",
            "## Markdown heading\n\nMarkdown *paragraph*.",
        ),
    )
    db.close()


async def test_a_schema_7_cache_opens_migrates_and_shows_plain_paragraphs(tmp_path):
    url = "https://global.espreso.tv/cached-before-blocks"
    article_in_old_cache(tmp_path / "newsterm.sqlite3", url)
    settings = make_settings(tmp_path, offline=True)
    app = make_app(settings, clock=frozen_clock, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_cursor_row(app, pilot)
        assert reader.url == url and reader.state == "article"
        text = reader.document_text
        assert "First plain paragraph with *stars*.\n\nSecond plain paragraph." in text
        assert "Markdown" not in text
    with sqlite3.connect(tmp_path / "newsterm.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 8
        assert db.execute("SELECT blocks FROM articles").fetchall() == [(None,)]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE_BLOCKS = [
    b"\x00\xff not text",
    12,
    "not json {",
    "null",
    "[]",
    json.dumps({"version": 99, "blocks": []}),
    json.dumps({"version": 1, "blocks": {"kind": "paragraph"}}),
    json.dumps({"version": 1, "blocks": [{"kind": "paragraph", "spans": [[7]]}]}),
    json.dumps({"version": 1, "blocks": [{"kind": "heading", "level": True, "spans": []}]}),
    json.dumps({"version": 1, "blocks": [{"kind": "list", "items": [["•", -1, []]]}]}),
    json.dumps({"version": 1, "blocks": [{"kind": "table", "rows": [["a", None]]}]}),
    json.dumps({"version": 1, "blocks": [{"kind": "script", "spans": [["x"]]}]}),
    json.dumps({"version": 1, "blocks": [{"kind": "paragraph", "spans": [["x"]]}] * 6000}),
    '{"version": 1, "blocks": ' + _nested(100_000) + "}",
    json.dumps({"version": 1, "blocks": [{"kind": "code", "lines": ["x" * 9_000_000]}]}),
    '{"version": 1, "blocks": [{"kind": "paragraph", "spans": [["\\ud800 half"]]}]}',
]


async def test_hostile_blocks_in_the_cache_never_crash_the_reader(tmp_path):
    url = "https://global.espreso.tv/hostile-blocks"
    settings = make_settings(tmp_path, offline=True)
    app = make_app(settings, clock=frozen_clock, refresh_on_start=False)
    source = fill_library(app.library)
    store = app.library.store
    store.store_listing(source, [Headline("Hostile blocks", url, PUBLISHED)], now=FIXED_NOW)
    text = "Plain words of the article.\n\nA second paragraph."
    store.put_article(Article(url, "Hostile blocks", text, text), fetched_at=FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        for value in HOSTILE_BLOCKS:
            with sqlite3.connect(tmp_path / "newsterm.sqlite3") as db:
                db.execute("UPDATE articles SET blocks = ? WHERE url = ?", (value, url))
            reader = await reopen(app, pilot, url)
            assert reader.state == "article", (value[:80], reader.document_text)
            shown = reader.document_text
            assert "Plain words of the article.\n\nA second paragraph." in shown or (
                "\ufffd half" in shown
            ), value[:80]
        # Blocks that are valid but hostile: escapes, markup, a script link.
        hostile = {
            "version": 1,
            "blocks": [
                {"kind": "heading", "level": 2, "spans": [["\x1b[31mred\x1b[0m [b]x[/b]"]]},
                {
                    "kind": "paragraph",
                    "spans": [["click", "javascript:alert(1)"], [" and ", None, "bic"]],
                },
                {"kind": "list", "items": [["\x9b1m", 8, [["deep", "https://a.test/\x1b]8;"]]]]},
                {"kind": "code", "quote": 3, "lines": ["\x07bell\ttab"]},
            ],
        }
        with sqlite3.connect(tmp_path / "newsterm.sqlite3") as db:
            db.execute("UPDATE articles SET blocks = ? WHERE url = ?", (json.dumps(hostile), url))
        reader = await reopen(app, pilot, url)
        shown = reader.document_text
        assert "red[0m [b]x[/b]" in shown
        assert "click and" in shown and "javascript" not in shown
        assert "deep (https://a.test/]8;)" in shown
        assert "bell    tab" in shown
        assert not [s for s in screen_segments(app) if "\x1b" in s or "\x9b" in s or "\x07" in s]
