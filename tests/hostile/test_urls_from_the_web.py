"""Issue 11, cases 7 and 8: URLs and names from the web are cleaned once, where they enter, and
read as a browser reads them, so what is shown is what is fetched and what is opened."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.hostile import run_newsterm
from tests.support.loopback import LoopbackServer

# What must never reach a terminal or a JSON consumer: C0 but tab and newline, DEL, C1, the
# bidi controls and the invisible format characters (zero-width space, word joiner, BOM…).
HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2060-\u2064\ufeff]"
)
ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>A story served by the loopback site, long enough for the extractor to keep as the body"
    " of the article, with a few more words to be sure of it.</p></article></body></html>"
)


def _news_page(hrefs: list[str]) -> str:
    """A news list in the generic shape (time, linked title) with the given links."""
    items = "".join(
        f'<li><time datetime="2025-05-16T{19 - i:02d}:00:00+03:00">{19 - i:02d}:00</time>'
        f' <a href="{href}">Harbour story number {i} about the port</a></li>'
        for i, href in enumerate(hrefs)
    )
    return (
        '<html><head><meta property="og:site_name" content="Port\u200b News\u009b">'
        f"</head><body><ul class='news'>{items}</ul></body></html>"
    )


def test_hidden_characters_from_a_redirect_links_and_opml_reach_no_output(
    tmp_path: Path, loopback: LoopbackServer
):
    # The source redirects to a Location holding C1 controls (NEL, CSI); its list page links
    # with C1, zero-width, word-joiner, BOM and bidi characters in their paths.
    hrefs = [
        "story-a",  # relative: it inherits the redirect's path
        "/news/story-b\u200b",
        "/news/sto\u2060ry-c\ufeff",
        "/news/story-d&#x9b;31m",
        "/news/\u202estory-e",
    ]
    loopback.route("/go", redirect_to="/list\x85\x9b/")
    # The fetcher percent-encodes the header's raw bytes (or a cleaner drops them): any of these.
    for path in ("/list%C2%85%C2%9B/", "/list%85%9B/", "/list/"):
        loopback.route(path, _news_page(hrefs))
    for path in ("/list%C2%85%C2%9B/story-a", "/list%85%9B/story-a", "/list/story-a"):
        loopback.route(path, ARTICLE.format(title="Harbour story"))
    for path in ("/news/story-b",):
        loopback.route(path, ARTICLE.format(title="Harbour story"))
    # An OPML file whose feed URL and title carry C1 controls and invisible characters.
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline title="Feed\u0085\u009b2J\u200b\ufeff name" xmlUrl="{loopback.url}/rss\u0085'
        '\u200b"/></body></opml>',
        encoding="utf-8",
    )
    data = tmp_path / "data"
    assert run_newsterm(data, "opml", "import", str(opml)).returncode == 0
    listed = run_newsterm(data, "headlines", "--json", "--source", f"{loopback.url}/go")
    assert listed.returncode == 0, listed.stderr
    headlines = json.loads(listed.stdout)
    assert len(headlines) == len(hrefs)
    story = next(h["url"] for h in headlines if h["url"].endswith("/story-b"))
    saved = run_newsterm(data, "save", story)
    assert saved.returncode == 0, saved.stderr
    outputs = [
        listed,
        saved,
        run_newsterm(data, "saved", "--json"),
        run_newsterm(data, "saved"),
        run_newsterm(data, "search", "harbour"),
        run_newsterm(data, "search", "harbour", "--json"),
        run_newsterm(data, "sources", "list"),
        run_newsterm(data, "sources", "list", "--json"),
        run_newsterm(data, "headlines", "--offline"),
    ]
    for result in outputs:
        assert result.returncode == 0, (result.args, result.stderr)
        assert not HIDDEN.search(result.stdout), (result.args, result.stdout)
        assert not HIDDEN.search(result.stderr), (result.args, result.stderr)
    sources = json.loads(run_newsterm(data, "sources", "list", "--json").stdout)
    assert {"url": f"{loopback.url}/rss", "name": "Feed2J name"} in [
        {"url": s["url"], "name": s["name"]} for s in sources
    ]
    assert "Harbour story" in run_newsterm(data, "saved").stdout


def test_the_host_shown_is_the_host_fetched_and_opened(tmp_path: Path, loopback: LoopbackServer):
    # A browser reads "http://A\@B/" as host A (a backslash is a slash); urllib and httpx
    # read host B. Here A is the loopback server and B a loopback address nothing answers on.
    port = urlsplit(loopback.url).port
    spoof = f"http://127.0.0.1:{port}\\@127.0.0.2:{port}"
    loopback.route(
        "/rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Spoof test</title>'
        f"<item><title>A story with a spoofed link</title><link>{spoof}/story</link>"
        "<pubDate>Fri, 16 May 2025 19:00:00 +0300</pubDate></item></channel></rss>",
        content_type="application/rss+xml; charset=utf-8",
    )
    loopback.route(f"/@127.0.0.2:{port}/story", ARTICLE.format(title="Fetched from the host shown"))
    data = tmp_path / "data"
    listed = run_newsterm(data, "headlines", "--json", "--source", f"{loopback.url}/rss")
    assert listed.returncode == 0, listed.stderr
    [headline] = json.loads(listed.stdout)
    shown = urlsplit(headline["url"])
    assert (shown.hostname, shown.port) == ("127.0.0.1", port)  # the host a browser opens
    read = run_newsterm(data, "read", headline["url"])
    assert read.returncode == 0, read.stderr
    assert read.stdout.startswith("Fetched from the host shown")
    meta = read.stdout.splitlines()[1]  # date · byline · host
    assert meta.split(" · ")[-1] == "127.0.0.1"  # the reader names the host it fetched from
    assert loopback.hits(f"/@127.0.0.2:{port}/story") == 1
    # The same URL typed by a user is read the same way, as a source too.
    added = run_newsterm(data, "sources", "add", f"{spoof}/rss")
    assert added.returncode == 1 and "not added" in added.stderr  # /@127.0.0.2…/rss is a 404
    assert f"http://127.0.0.1:{port}/@127.0.0.2:{port}/rss" in added.stderr


def test_a_redirect_with_a_backslash_goes_to_the_host_a_browser_would(
    tmp_path: Path, loopback: LoopbackServer
):
    # "http://A\@B/" is host A to a browser (a backslash is a slash); read as userinfo
    # "A\" it would be host B: the redirect must go where a browser would go.
    with LoopbackServer(None, host="127.0.0.2") as other:
        second = urlsplit(loopback.url).netloc
        other.route(f"/@{second}/x", ARTICLE.format(title="Served by the first host"))
        loopback.route("/x", ARTICLE.format(title="Served by the second host"))
        first = urlsplit(other.url).netloc
        url = loopback.route("/jump", redirect_to=f"http://{first}\\@{second}/x")
        result = run_newsterm(tmp_path, "read", url, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["title"] == "Served by the first host"
        assert other.hits(f"/@{second}/x") == 1 and loopback.hits("/x") == 0
