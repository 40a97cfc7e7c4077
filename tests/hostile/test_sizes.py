"""Cases 16, 17 in the TUI: huge, deep and blank pages and a 10,000-item feed; keys still act.

Nothing here is timed (benchmarks/hostile.py prints the figures): each test checks the
mechanism that keeps the app responsive, so it fails when that mechanism goes, on any machine.
"""

from __future__ import annotations

import threading

import readability.readability

import newsterm.extract.readability_engine
import newsterm.library.articles
from newsterm.extract import extract_article
from newsterm.sources.feed_safety import MAX_FEED_ITEMS
from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from newsterm.ui.widgets.status_line import StatusLine
from tests.support.app import make_settings
from tests.support.hostile import HANG_GUARD, rss, run_newsterm, settle, wait_until

MIB = 1024 * 1024
_PARAGRAPH = (
    "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, <a href='/x'>sed do</a> "
    "eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n"
)
PAGES = {
    "nested-300": lambda: "<html><body>" + "<div>" * 300 + "deep text " * 50 + "</div>" * 300,
    "nested-100000": lambda: "<body>" + "<div>" * 100_000 + "deep " * 50 + "</div>" * 100_000,
    "20-MB": lambda: "<html><body><article>" + _PARAGRAPH * (20 * MIB // len(_PARAGRAPH)),
    "million-spaces": lambda: "<html><body><p>" + " " * 1_000_000 + "x</p></body></html>",
}


class ExtractionGate:
    """Holds each extraction the library starts until the test opens the gate.

    The library extracts through `newsterm.library.articles._extract`; this wraps it so the real
    extraction runs only after `open()`. A key that acts while the gate is shut acted while
    an extraction was under way, so the extraction is not blocking the event loop. Were it
    run on the loop, the loop would stop at the gate: after HANG_GUARD seconds the gate
    gives up, notes it, and lets the page through, and the test fails.
    """

    def __init__(self) -> None:
        self.entered = threading.Event()
        self._opened = threading.Event()
        self.gave_up: list[str] = []

    def shut(self) -> None:
        self.entered.clear()
        self._opened.clear()

    def open(self) -> None:
        self._opened.set()

    def wrap(self, extract):  # type: ignore[no-untyped-def]
        def gated_extract(body, url, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.entered.set()
            if not self._opened.wait(HANG_GUARD):
                self.gave_up.append(url)
            return extract(body, url, *args, **kwargs)

        return gated_extract


async def test_hostile_pages_are_extracted_off_the_event_loop_while_keys_act(
    tmp_path, loopback, monkeypatch
):
    for name, make in PAGES.items():
        loopback.route(f"/{name}", make().encode())
    items = [(f"Page {name}", f"{loopback.url}/{name}") for name in PAGES]
    source = loopback.route("/rss", rss(items), content_type="application/rss+xml")
    settings = make_settings(tmp_path, source)
    settings.net.max_bytes = 32 * MIB  # let the 20 MB page through to the extractor
    gate = ExtractionGate()
    monkeypatch.setattr(
        newsterm.library.articles, "_extract", gate.wrap(newsterm.library.articles._extract)
    )
    app = make_app(settings)
    async with app.run_test(size=(160, 50)) as pilot:
        try:
            await settle(app, pilot)
            ticker = app.screen.query_one(HeadlineTicker)
            reader = app.screen.query_one(ArticleReader)
            assert [entry.title for entry in ticker.entries] == [title for title, _ in items]
            for index, (title, url) in enumerate(items):
                gate.shut()
                ticker.move_cursor(index)
                await pilot.press("enter")
                await wait_until(pilot, gate.entered.is_set, f"{title}: extraction started")
                assert not gate.gave_up, f"{title}: the extraction held up the event loop"
                assert reader.url == url and reader.state == "loading", title
                # The page is fetched and its extraction is held at the gate: keys still act.
                away, back = ("j", "k") if index + 1 < len(items) else ("k", "j")
                step = 1 if away == "j" else -1
                for key, expected in ((away, index + step), (back, index)):
                    await pilot.press(key)
                    await wait_until(
                        pilot,
                        lambda want=expected: ticker.cursor == want,
                        f"{key} while {title} loads",
                    )
                    assert reader.state == "loading" and not gate.gave_up, (title, key)
                gate.open()
                await wait_until(pilot, lambda: reader.state != "loading", f"{title} loads")
                assert reader.url == url and reader.state in ("article", "error"), title
            await settle(app, pilot)
            assert "Traceback" not in app.screen.query_one(StatusLine).plain
        finally:
            gate.open()  # a failed check must not leave an extraction thread waiting
    assert gate.gave_up == []


def test_a_20_mb_page_over_the_default_cap_is_one_line(tmp_path, loopback):
    url = loopback.route("/huge", PAGES["20-MB"]().encode())
    result = run_newsterm(tmp_path, "read", url)
    assert result.returncode == 1
    assert result.stderr == "newsterm: response larger than 10 MiB\n"


async def test_a_10000_item_feed_refreshes_and_each_key_draws_one_screen(
    tmp_path, loopback, monkeypatch
):
    items = [
        (f"Headline number {n} about the city", f"{loopback.url}/a/{n}") for n in range(10_000)
    ]
    source = loopback.route("/rss", rss(items), content_type="application/rss+xml")
    app = make_app(make_settings(tmp_path, source), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        ticker = app.screen.query_one(HeadlineTicker)
        await pilot.press("r")
        await wait_until(pilot, lambda: len(ticker.entries) >= 100, "the refresh")
        await settle(app, pilot)
        assert app.library.headline_count() == MAX_FEED_ITEMS  # the parse kept the cap
        # The ticker draws only the lines on screen, from a cache of drawn lines: a key
        # formats at most a screenful of rows, however far it moves the cursor among 2,000.
        drawn: list[str] = []
        row_text = ticker._row_text

        def counted_row_text(entry, *args, **kwargs):  # type: ignore[no-untyped-def]
            drawn.append(entry.title)
            return row_text(entry, *args, **kwargs)

        monkeypatch.setattr(ticker, "_row_text", counted_row_text)
        screenful = ticker.scrollable_content_region.height

        def at_oldest() -> bool:
            return ticker.at_oldest and ticker.cursor == len(ticker.entries) - 1

        def at_newest() -> bool:
            return ticker.at_newest and ticker.cursor == 0

        for key, landed in (("G", at_oldest), ("g", at_newest), ("pagedown", None), ("j", None)):
            before = ticker.cursor
            drawn.clear()
            await pilot.press(key)
            await wait_until(
                pilot,
                lambda landed=landed, before=before: (
                    landed() if landed is not None else ticker.cursor > before
                ),
                key,
            )
            await pilot.pause()
            assert len(drawn) <= screenful, (key, len(drawn), screenful)
        line = "".join(segment.text for segment in ticker.render_line(1))
        assert "Headline number" in line


def test_a_page_of_unclosed_story_divs_measures_each_text_once(monkeypatch):
    # Found by benchmarks/fuzz.py: each <div class="story-text"> nests in the last, and
    # readability's segment merging measured the same nested texts ancestors × candidates
    # times over (40 KB took 4 s). The measurement is now kept per distinct text, so the
    # texts readability's clean() reads grow with the page's elements, not their square.
    sentence = "The city council voted on Saturday to build a tram line to the centre. " * 4
    page = "<html><body><div class='story'><h1>Title</h1>"
    page += ("<div class='story-text'><p>" + sentence) * 100
    elements = 4 + 2 * 100  # html, body, div.story, h1, and a div and a p per story text
    cleaned: list[int] = []
    for module in (newsterm.extract.readability_engine, readability.readability):

        def measured_clean(text, clean=module.clean):  # type: ignore[no-untyped-def]
            cleaned.append(len(text))
            return clean(text)

        monkeypatch.setattr(module, "clean", measured_clean)
    article = extract_article(page, "https://example.org/a")
    assert article.method == "readability" and sentence.strip() in article.text
    assert len(cleaned) <= elements, len(cleaned)  # 3,700 calls without the memo
