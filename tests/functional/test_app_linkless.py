"""Issue 15: what a news page shows without a link is shown, and nothing is fetched for it;
a page that writes dates without a year takes the year of the response's own date."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from newsterm.ui.app import make_app
from newsterm.ui.widgets.article_reader import ArticleReader
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import make_settings, screen_text
from tests.support.hostile import run_newsterm, settle

NEWS = """<html><head><title>Desk</title></head><body>
<h2>Friday, May 16, 2025</h2>
<ul class="feed">
<li><span class="t">19:58</span> <div class="h"><a href="/a/talks">Talks in Istanbul end
 without a ceasefire</a></div></li>
<li><span class="t">19:40</span> <div class="h"><a href="javascript:void(0)">Air raid alert
 in Kyiv region lifted after an hour</a></div></li>
<li><span class="t">19:31</span> <div class="h">Live: the president addresses parliament
 this evening</div></li>
<li><span class="t">19:02</span> <div class="h"><a href="/a/rail">Night trains return to
 the western line</a></div></li>
</ul></body></html>"""
SCRIPTED = "Air raid alert in Kyiv region lifted after an hour"
BARE = "Live: the president addresses parliament this evening"
LINKED = {"Talks in Istanbul end without a ceasefire", "Night trains return to the western line"}


def notifications(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_items_without_a_link_are_in_the_ticker_and_open_to_a_note_fetching_nothing(
    tmp_path, loopback, recording_browser
):
    url = loopback.route("/news", NEWS)
    app = make_app(make_settings(tmp_path / "data", url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        ticker = app.screen.query_one(HeadlineTicker)
        reader = app.screen.query_one(ArticleReader)
        titles = [entry.title for entry in ticker.entries]
        assert titles == [
            "Talks in Istanbul end without a ceasefire",
            SCRIPTED,
            BARE,
            "Night trains return to the western line",
        ]
        shown = screen_text(app)
        assert SCRIPTED in shown and BARE in shown
        for index in (1, 2):
            ticker.focus()
            ticker.move_cursor(index)
            await pilot.press("enter")
            await settle(app, pilot)
            assert reader.state == "note", reader.document_text
            assert "This headline has no link" in reader.document_text
            assert "This headline has no link" in screen_text(app)
            assert reader.title == titles[index]
            # o, y and s refuse in one line, from the ticker and from the reader.
            for pane in (ticker, reader):
                pane.focus()
                await pilot.press("o", "y", "s")
                await settle(app, pilot)
        assert not recording_browser.exists()
        assert app.clipboard in ("", None)
        said = notifications(app)
        assert "This headline has no link: nothing to open in the browser." in said
        assert "This headline has no link: nothing to copy." in said
        assert "This headline has no link: nothing to save." in said
        assert not [message for message in said if "http" in message or "newsterm:" in message]
        assert not [note for note in app._notifications if note.severity == "error"]
        # The listing was fetched; for the items without a link, nothing at all.
        assert [request.target for request in loopback.seen()] == ["/news"]
        assert app.library.saved() == []


def test_headlines_json_gives_a_null_url_for_items_without_a_link(tmp_path, loopback):
    url = loopback.route("/news", NEWS)
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", url)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == LINKED | {SCRIPTED, BARE}
    assert by_title[SCRIPTED]["url"] is None and by_title[BARE]["url"] is None
    assert by_title[SCRIPTED]["published"] == "2025-05-16T19:40:00+03:00"
    for title in LINKED:
        assert by_title[title]["url"].startswith(loopback.url + "/a/")
    assert "javascript" not in result.stdout and "newsterm:" not in result.stdout
    assert [request.target for request in loopback.seen()] == ["/news"]
    found = run_newsterm(tmp_path, "search", "--json", "--source", url, "Air raid alert")
    assert found.returncode == 0, found.stderr
    assert [(hit["title"], hit["url"]) for hit in json.loads(found.stdout)] == [(SCRIPTED, None)]
    # Fetching bodies ahead for offline reading asks for the two linked articles only.
    ahead = run_newsterm(tmp_path, "refresh", "--articles", "--source", url)
    assert "newsterm:" not in ahead.stdout + ahead.stderr
    assert {request.target for request in loopback.seen()} == {"/news", "/a/talks", "/a/rail"}


def yearless_page(days: list[date]) -> str:
    """A news list that writes its dates without a year ("15 May, 22:10") and states no date."""
    items = "".join(
        f"<li><span>{day.day} {day.strftime('%B')}, 22:10</span> "
        f'<a href="/a/{index}">Story number {index} of the year-less list</a></li>'
        for index, day in enumerate(days)
    )
    return f"<html><head><title>Desk</title></head><body><ul>{items}</ul></body></html>"


def published_days(tmp_path, url: str) -> list[str]:
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", url)
    assert result.returncode == 0, result.stderr
    return [row["published"][:10] for row in json.loads(result.stdout)]


def test_a_yearless_page_takes_its_year_from_last_modified(tmp_path, loopback):
    page = yearless_page([date(2025, 5, 15), date(2025, 5, 14)])
    url = loopback.route("/news", page, headers={"Last-Modified": "Fri, 16 May 2025 18:00:00 GMT"})
    assert published_days(tmp_path, url) == ["2025-05-15", "2025-05-14"]


@pytest.mark.parametrize(
    "garbage",
    [
        b"yesterday, about noon",
        b"Thu, 01 Jan 1970 00:00:00 GMT",  # a server's zero
        b"Sat, 01 Jan 2300 00:00:00 GMT",
        "Fri, 16 May 2025 18:00:00 GMT\u200b".encode(),  # UTF-8 bytes in a header
    ],
)
def test_a_garbage_last_modified_falls_back_to_today(tmp_path, loopback, garbage):
    days = [datetime.now().date() - timedelta(days=back) for back in (1, 2)]
    url = loopback.route("/news", yearless_page(days), raw_headers=[("Last-Modified", garbage)])
    assert published_days(tmp_path, url) == [day.isoformat() for day in days]
