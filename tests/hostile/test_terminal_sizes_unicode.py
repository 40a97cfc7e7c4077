"""Cases 22, 23: 400 columns and resize storms mid-load; emoji and scripts stay in their column."""

from __future__ import annotations

import re
import unicodedata

import pytest
from rich.cells import cell_len

from newsterm.text.sanitize import clean_text, for_terminal
from newsterm.ui.app import make_app
from newsterm.ui.screens.main_screen import MainScreen
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.breaking_line import BreakingLine
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import frozen_clock, make_settings
from tests.support.hostile import painted_text, rss, settle, wait_until
from tests.support.loopback import SITE_ROOT

ROW = re.compile(r"^  \d\d:\d\d  ")
TITLES_BY_KIND = {
    "variation-selectors": "Atom ⚛️ energy and heart ❤️ here",
    "zwj-sequences": "Family 👩‍👩‍👧 and astronaut 🧑🏽‍🚀 on a day out",
    "skin-tone-and-keycap": "Thumbs 👍🏽 up and keycap 1️⃣ first",
    "flags-and-tags": "Flags 🇺🇦 and 🏳️‍🌈 and 🏴󠁧󠁢󠁳󠁣󠁴󠁿 in a row",
    "combining-marks": "Marks e\u0301\u0301 a\u0308 o\u0303\u0331 and Zalgo z\u0336\u0335\u0334",
    "cjk": "日本語のニュース見出しがとても長い場合の表示について",
    "arabic-hebrew": "العربية في العنوان and עברית בכותרת mixed with English",
}
UNICODE_TITLES = list(TITLES_BY_KIND.values())


def terminal_cells(text: str) -> int:
    """Columns a terminal laying out code point by code point (wcwidth) gives `text`.

    xterm, VTE and most terminals do this: wide and fullwidth characters take 2, combining
    and format characters 0, the rest 1. Rich instead measures whole grapheme clusters.
    """
    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def unicode_app(tmp_path, loopback):
    """The app following a feed of UNICODE_TITLES, with a frozen clock."""
    items = [(title, f"{loopback.url}/u/{n}") for n, title in enumerate(UNICODE_TITLES)]
    source = loopback.route("/rss", rss(items), content_type="application/rss+xml; charset=utf-8")
    return make_app(make_settings(tmp_path, source), clock=frozen_clock)


def ticker_rows(app) -> list[str]:
    """The drawn text of each headline row of the ticker (day headers left out)."""
    ticker = app.screen.query_one(HeadlineTicker)
    rows = []
    for y in range(ticker.scrollable_content_region.height):
        line = "".join(segment.text for segment in ticker.render_line(y))
        if ROW.match(line):
            rows.append(line)
    return rows


@pytest.mark.parametrize("width", [60, 61, 62, 100, 101, 400])
async def test_unicode_headlines_fit_their_rows_as_rich_measures(tmp_path, loopback, width):
    app = unicode_app(tmp_path, loopback)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        content = ticker.scrollable_content_region.width
        rows = ticker_rows(app)
        assert len(rows) == len(UNICODE_TITLES)
        assert all(cell_len(row) == content for row in rows)
        breaking = app.screen.query_one(BreakingLine)
        line = "".join(s.text for s in breaking.render_lines(breaking.region.reset_offset)[0])
        assert cell_len(line) == breaking.outer_size.width


async def test_unicode_headlines_fit_their_rows_in_a_wcwidth_terminal(tmp_path, loopback):
    app = unicode_app(tmp_path, loopback)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        content = app.screen.query_one(HeadlineTicker).scrollable_content_region.width
        widths = {row.strip(): terminal_cells(row) for row in ticker_rows(app)}
        breaking = app.screen.query_one(BreakingLine)
        line = "".join(s.text for s in breaking.render_lines(breaking.region.reset_offset)[0])
    assert widths == dict.fromkeys(widths, content)
    assert terminal_cells(line) == breaking.outer_size.width


@pytest.mark.parametrize("title", UNICODE_TITLES, ids=list(TITLES_BY_KIND))
def test_for_terminal_makes_rich_and_wcwidth_agree(title):
    shown = for_terminal(title)
    assert cell_len(shown) == terminal_cells(shown)
    assert shown.split()[0] == clean_text(title).split()[0]  # the words are all still there


def test_for_terminal_also_cleans_and_keeps_scripts_and_marks():
    assert for_terminal("a\x1b[2J\u202eb") == "a[2Jb"
    for kept in ("日本語", "العربية", "עברית", "e\u0301\u0301", "🇺🇦", "Київ"):
        assert for_terminal(kept) == kept
    assert for_terminal("👩‍👩‍👧 ⚛️ 👍🏽") == "👩👩👧 ⚛ 👍"


async def test_400_columns_and_a_resize_storm_while_pages_load(tmp_path, loopback):
    page = (SITE_ROOT / "article.html").read_bytes()
    items = [(f"Story {n} with a long enough title", f"{loopback.url}/s/{n}") for n in range(30)]
    for n in range(30):
        loopback.route(f"/s/{n}", page, delay=0.2)  # slow, so loads overlap the resizes
    source = loopback.route("/rss", rss(items), content_type="application/rss+xml", delay=0.3)
    app = make_app(make_settings(tmp_path, source), clock=frozen_clock)
    async with app.run_test(size=(400, 60)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await wait_until(pilot, lambda: len(ticker.entries) == 30, "the first refresh")
        await pilot.press("enter")
        await settle(app, pilot)
        reader = app.screen.query_one(ArticleReader)
        assert reader.state == "article"
        text = painted_text(app)
        assert max(cell_len(line) for line in text.splitlines()) <= 400
        assert "Politico reported the information." in text
        await pilot.press("r")  # a refresh and article loads in flight during the storm
        for size in [(20, 5), (400, 60), (1, 1), (39, 9), (40, 10), (250, 3), (120, 40)] * 2:
            await pilot.press("j", "enter")
            await pilot.resize_terminal(*size)
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen) and not app.screen.has_class("-too-small")
        assert reader.state == "article"
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        assert "Terminal too small" in painted_text(app)
