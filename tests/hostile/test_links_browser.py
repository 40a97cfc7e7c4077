"""Cases 3, 4: hostile links never run or open; only http(s) goes to the browser, as one argv."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsterm.models import Headline
from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import make_settings
from tests.support.hostile import UNSAFE, rss, run_newsterm, settle, wait_until
from tests.support.loopback import LoopbackServer

PAGE = (
    "<html><head><title>Served over HTTP</title></head><body><article><h1>Served over HTTP</h1>"
    "<p>This page came from the web server, not from a file on this machine, and it has enough"
    " words in it for the extractor to keep it as the article body.</p></article></body></html>"
)


def hostile_links(server: LoopbackServer, markers: Path) -> list[tuple[str, str]]:
    """(title, link) items whose links try every trick; written as XML text (escaped)."""
    base = server.url
    port = urlsplit(base).port
    return [
        ("Script link", "javascript:alert(document.cookie)"),
        ("File link", "file:///etc/passwd"),
        ("Data link", "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Mail link", "mailto:desk@example.org"),
        ("Relative escape", "../../etc/passwd"),
        ("Background job", f"{base}/a?x=1&amp; id &gt;{markers}/amp &amp;"),
        ("Glued background job", f"{base}/b?x=1&amp;id&gt;{markers}/glued&amp;"),
        ("Command substitution", f"{base}/c/$(touch {markers}/dollar)"),
        ("Backticks", f"{base}/d/`touch {markers}/backtick`"),
        ("Quote breaker", f"{base}/e/';touch {markers}/quote;'"),
        ("Bidi in the path", f"{base}/f/\u202egnp.exe"),
        ("Bidi in the host", f"http://127.0.0.1\u2066\u2069:{port}/g"),
    ]


@pytest.fixture
def link_site(loopback: LoopbackServer, tmp_path: Path) -> tuple[LoopbackServer, Path]:
    """A feed of hostile links at /rss; every path they can reach serves PAGE."""
    markers = tmp_path / "markers"
    markers.mkdir()
    items = hostile_links(loopback, markers)
    loopback.route("/rss", rss(items), content_type="application/rss+xml; charset=utf-8")
    for path in ("/etc/passwd", "/a", "/b", "/c", "/d", "/e", "/f", "/g"):
        loopback.route(path, PAGE)
    for path in ("/c/$(touch", "/d/`touch", "/e/';touch", "/f/gnp.exe"):
        loopback.route(path, PAGE)
    return loopback, markers


async def test_o_on_every_hostile_link_opens_only_http_as_one_argument(
    tmp_path, link_site, recording_browser
):
    server, markers = link_site
    app = make_app(make_settings(tmp_path / "data", server.url + "/rss"))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        every = [(entry.title, entry.url) for entry in ticker.entries]
        shown = [(title, url) for title, url in every if not url.startswith(Headline.NO_LINK)]
        hosts = {}
        runs = 0
        for index, (_, url) in enumerate(every):
            ticker.move_cursor(index)
            await pilot.press("enter")  # read it: the reader names the host it came from
            await settle(app, pilot)
            if reader.state == "article":
                meta = reader.document_text.split("\n\n")[1]  # date · byline · host · N min
                hosts[reader.url] = meta.split(" · ")[-2]
            await pilot.press("tab", "o", "tab")  # o from the reader, on the article shown
            await settle(app, pilot)
            runs += not url.startswith(Headline.NO_LINK)
            await wait_until(
                pilot,
                lambda runs=runs: (
                    runs == 0
                    or recording_browser.exists()
                    and len(recording_browser.read_text().splitlines()) == runs
                ),
                "the browser was started",
            )
    # Links that are not http(s) are shown without a link; the relative one resolved.
    linkless = {title for title, url in every if url.startswith(Headline.NO_LINK)}
    assert linkless == {"Script link", "File link", "Data link", "Mail link"}
    assert len(shown) == 8
    for title, url in every:
        if title in linkless:  # the unusable link goes nowhere, not even into the identifier
            assert not any(part in url for part in ("javascript", "passwd", "data", "mailto"))
    assert (("Relative escape", server.url + "/etc/passwd")) in shown
    runs = [json.loads(line) for line in recording_browser.read_text().splitlines()]
    assert len(runs) == len(shown)
    for argv, (_, url) in zip(runs, shown, strict=True):
        assert argv == [url]  # one argument, exactly the headline's URL
        parts = urlsplit(argv[0])
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1"
        assert not UNSAFE.search(argv[0]) and " " not in argv[0]
        # The host the reader showed is the host the browser was given.
        if url in hosts:
            assert hosts[url] == parts.hostname
    assert list(markers.iterdir()) == []  # no command ran
    assert hosts[server.url + "/etc/passwd"] == "127.0.0.1"


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/plain,hi", "ftp://127.0.0.1/x"],
)
def test_the_cli_reads_and_saves_only_http_urls(tmp_path, target):
    for command in (["read", target], ["save", target], ["sources", "add", target]):
        result = run_newsterm(tmp_path, *command)
        assert result.returncode == 1, (command, result.stderr)
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and "http(s)" in result.stderr
        assert "root:" not in result.stderr


async def test_o_with_a_console_browser_runs_it_and_the_app_carries_on(
    tmp_path, link_site, recording_browser, monkeypatch
):
    """No display: $BROWSER can only be a console browser; it runs to its end (the app steps
    aside when it has a terminal to lend) and the app is back, keys and all."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    server, markers = link_site
    app = make_app(make_settings(tmp_path / "data", server.url + "/rss"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        ticker.move_cursor(_first_linked(ticker))
        url = ticker.cursor_entry.url
        await pilot.press("o")
        await settle(app, pilot)
        assert [json.loads(line) for line in recording_browser.read_text().splitlines()] == [[url]]
        assert "Opened in the browser" in [n.message for n in app._notifications]
        cursor = ticker.cursor
        await pilot.press("j")
        assert ticker.cursor == cursor + 1  # the keys are the app's again
    assert list(markers.iterdir()) == []


async def test_o_with_no_browser_at_all_says_so_and_copies_the_link(
    tmp_path, link_site, monkeypatch
):
    server, _ = link_site
    empty = tmp_path / "empty-path"
    empty.mkdir()
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    app = make_app(make_settings(tmp_path / "data", server.url + "/rss"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        monkeypatch.setenv("PATH", str(empty))  # no w3m, no lynx, no xdg-open: no browser
        ticker = app.screen.query_one(HeadlineTicker)
        ticker.move_cursor(_first_linked(ticker))
        url = ticker.cursor_entry.url
        await pilot.press("o")
        await settle(app, pilot)
        assert app.clipboard == url
        messages = [n.message for n in app._notifications]
        assert "No web browser found (set $BROWSER): the link is copied." in messages
        assert not [m for m in messages if "Opened" in m]


def _first_linked(ticker: HeadlineTicker) -> int:
    """The row of the first headline with a link (the hostile feed lists some without)."""
    return next(i for i, e in enumerate(ticker.entries) if not e.url.startswith(Headline.NO_LINK))
