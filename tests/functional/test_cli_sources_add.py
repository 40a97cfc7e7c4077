"""Issue 15: `sources add URL` fetches the page now, finds its feed or news list, names the
source as the site names itself, says how many headlines it found, or refuses and adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.test_cli import run
from tests.support.loopback import LoopbackServer, unused_port

FEED_TITLE = "Espreso Global — News"  # the <title> of the fixture site's /rss
FEED_ITEMS = 8
PAGE_ITEMS = 40


def _sources(data: Path) -> list[tuple[str, str]]:
    listed = json.loads(run(data, "sources", "list", "--json").stdout)
    return [(s["url"], s["name"]) for s in listed]


def _page_with_feed(site_name: str, feed_href: str, listing: str = "") -> str:
    return (
        f'<html><head><meta property="og:site_name" content="{site_name}">'
        f'<link rel="alternate" type="application/rss+xml" href="{feed_href}">'
        f"<title>Front page | {site_name}</title></head><body>{listing}</body></html>"
    )


def test_a_news_page_is_named_after_its_site_and_its_headlines_counted(tmp_path, loopback):
    data = tmp_path / "data"
    before = _sources(data)
    added = run(data, "sources", "add", f"{loopback.url}/news")
    assert added.stderr.strip() == (
        f"added Espreso Global: {loopback.url}/news ({PAGE_ITEMS} headlines)"
    )
    assert _sources(data) == [*before, (f"{loopback.url}/news", "Espreso Global")]
    # Its headlines are in the cache already: no second fetch is needed to show them.
    offline = json.loads(run(data, "headlines", "--json", "--offline", "--limit", "500").stdout)
    assert sum(h["source"] == f"{loopback.url}/news" for h in offline) == PAGE_ITEMS


def test_the_feed_a_page_advertises_is_preferred_and_named_by_its_title(tmp_path, loopback):
    loopback.route("/blog", _page_with_feed("Harbour Blog", "/rss"))
    data = tmp_path / "data"
    added = run(data, "sources", "add", f"{loopback.url}/blog")
    assert added.stderr.strip() == (
        f"added {FEED_TITLE}: {loopback.url}/rss ({FEED_ITEMS} headlines)"
    )
    assert (f"{loopback.url}/rss", FEED_TITLE) in _sources(data)
    assert f"{loopback.url}/blog" not in [url for url, _ in _sources(data)]


def test_a_page_whose_feed_fails_is_read_itself_and_named_by_og_site_name(tmp_path, loopback):
    items = "".join(
        f'<li><time datetime="2025-05-16T{10 + i:02d}:00:00+03:00">{10 + i:02d}:00</time>'
        f' <a href="/story-{i}">Harbour story number {i} about the port</a></li>'
        for i in range(6)
    )
    loopback.route("/front", _page_with_feed("Harbour News", "/gone.xml", f"<ul>{items}</ul>"))
    data = tmp_path / "data"
    added = run(data, "sources", "add", f"{loopback.url}/front")
    assert added.stderr.strip() == f"added Harbour News: {loopback.url}/front (6 headlines)"


def test_an_explicit_name_wins(tmp_path, loopback):
    data = tmp_path / "data"
    run(data, "sources", "add", f"{loopback.url}/rss", "--name", "My feed")
    assert (f"{loopback.url}/rss", "My feed") in _sources(data)


def test_a_url_that_fails_or_lists_nothing_is_refused_and_adds_nothing(
    tmp_path: Path, loopback: LoopbackServer
):
    loopback.route("/empty", "<html><head><title>Nothing</title></head><body>Hi</body></html>")
    loopback.route("/busy", "down", status=503, content_type="text/plain")
    data = tmp_path / "data"
    before = _sources(data)
    for url, reason in [
        (f"http://127.0.0.1:{unused_port()}/rss", "connection refused"),
        (f"{loopback.url}/missing", "404"),
        (f"{loopback.url}/empty", "no headline list found"),
        (f"{loopback.url}/busy", "503"),
    ]:
        refused = run(data, "sources", "add", url, check=False)
        assert refused.returncode == 1, (url, refused.stderr)
        assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
        assert refused.stderr.startswith(f"newsterm: not added: {url}: ")
        assert reason in refused.stderr
    assert _sources(data) == before
