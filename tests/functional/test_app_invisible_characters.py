"""No zero-width or invisible format character from web text reaches the screen."""

from __future__ import annotations

from datetime import datetime

from newsterm.models import BodyBlock, Headline, Span
from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from tests.support.app import (
    FIXED_NOW,
    fill_library,
    frozen_clock,
    make_settings,
    screen_segments,
    seed_article,
)

INVISIBLE = "\u200b\u200e\u200f\u2060\ufeff"


async def test_invisible_format_characters_never_reach_the_screen(tmp_path):
    app = make_app(make_settings(tmp_path), clock=frozen_clock, refresh_on_start=False)
    source = fill_library(app.library)
    url = "https://global.espreso.tv/zero-width"
    article = seed_article(url)
    article.title = "Zero\u200bwidth\u2060 title\ufeff"
    article.text = article.markdown = "A body\u200e with\u200f marks\u200b in it."
    article.blocks = [BodyBlock("paragraph", (Span(article.text),))]
    published = datetime.fromisoformat("2025-05-16T20:04:00+03:00")
    headline = Headline("Zero\u200bwidth\u2060 title\ufeff", url, published, label="Up\u200bdated")
    app.library.store.store_listing(source, [headline], now=FIXED_NOW)
    app.library.store.put_article(article, fetched_at=FIXED_NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(ArticleReader).state == "article"
        shown = "".join(screen_segments(app))
        assert "Zerowidth title" in shown and "Updated" in shown and "A body with marks" in shown
        assert not [c for c in shown if c in INVISIBLE]
