"""Hostile-input benchmark: each input of the hostile campaign, timed against its bound.

    python benchmarks/hostile.py [--repeat 3] [--only TEXT] [--all-pages]

The tests check the mechanism that bounds each of these (the DOCTYPE removed, the author
elements renamed, the tag, item, size and depth caps applied, the deadline, the decoded-size
cap, extraction off the event loop); they assert no times, because the machines they run on
are shared and noisy. This prints the times, one row per input:

- feeds through `newsterm.sources.parse`: billion laughs (DOCTYPE on the `<?xml?>` line and
  on its own line) and external entities < 1 s; a 32 KB crafted author field < 1 s; 100,000
  stray unclosed tags (300 KB) < 1 s; 10,000 items < 2 s; 100,000 categories in one item
  and 5 MB of open category tags < 1 s;
- pages through `extract_article` and through `sources.parse`: nested 300 and 100,000 deep,
  a 20 MB page, 1,000,000 spaces < 5 s; the page of unclosed story divs the fuzz run found
  < 1 s through `extract_article`;
- `newsterm.net.Fetcher` against the loopback server (tests/support/loopback.py): a 200 MiB gzip
  bomb (stopped at the 10 MiB decoded cap) < 10 s; a body trickling at 1 byte/s under a
  1.5 s deadline < 3 s;
- for reference, the fixture news page through `sources.parse` (preset and generic) < 50 ms.

Each time is the median of --repeat calls (inputs are built before the clock starts; imports
are warmed first). "outcome" says what the call gave, so a fast wrong answer shows. With
--all-pages every hostile page of tests/unit/test_extract_hostile.py is timed too (< 5 s).
Run from the repository root or anywhere: the repository is put on sys.path.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsterm.config import NetSettings  # noqa: E402
from newsterm.extract import ExtractionError, extract_article  # noqa: E402
from newsterm.net import Failure, Fetcher  # noqa: E402
from newsterm.sources import parse  # noqa: E402
from tests.support.hostile_feeds import big_feed, billion_laughs  # noqa: E402
from tests.support.loopback import MIB, SITE_ROOT, LoopbackServer  # noqa: E402

FEED_URL = "https://example.org/rss"
NEWS_URL = "https://example.org/news"
PAGE_URL = "https://example.org/article"
_PARAGRAPH = (
    "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, <a href='/x'>sed do</a> "
    "eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n"
)


@dataclass(slots=True)
class Case:
    """One row: `make` builds the input (untimed) and returns the call that is timed; the
    call returns a few words on what it gave."""

    case: str
    input: str
    bound: float
    make: Callable[[], Callable[[], str]]
    """Builds the input (untimed) and returns the call to time."""


# -- input builders (the same inputs as the tests) -------------------------------------------


def external_entity(doctype: str, secret: Path) -> bytes:
    """tests/unit/test_sources_feeds.py: a DOCTYPE that points at a local file."""
    return (
        '<?xml version="1.0"?>' + doctype.format(path=secret) + '<rss version="2.0">'
        "<channel><title>t &xxe;</title><item><title>Story &xxe; here</title>"
        "<link>https://example.org/a</link><description>&xxe;</description></item>"
        "</channel></rss>"
    ).encode()


def author(atom: bool) -> bytes:
    """A 32 KB field on which feedparser's e-mail regex backtracks for seconds."""
    bomb = "aa@" + "a." * 16_000
    if atom:
        return (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>'
            "<title>Entry with a hostile author</title>"
            f'<link href="https://example.org/e"/><author>{bomb}</author></entry></feed>'
        ).encode()
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>A story with a hostile byline</title><link>https://example.org/a</link>"
        f"<author>{bomb}</author></item></channel></rss>"
    ).encode()


def many_categories() -> bytes:
    """One item with 100,000 categories, and an itunes:summary that sends it to feedparser."""
    tags = "".join(f"<category>tag {n}</category>" for n in range(100_000))
    return (
        '<?xml version="1.0"?><rss version="2.0"'
        ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>t</title>'
        "<item><title>One</title><link>https://example.org/1</link>"
        f"<itunes:summary>x</itunes:summary>{tags}</item></channel></rss>"
    ).encode()


def open_category_tags() -> bytes:
    """5 MB of category tags never closed, each followed by 1,990 spaces (a pattern that
    retried each tag over the rest of the feed took 191 s)."""
    tags = ("<category " + " " * 1990) * 2500
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>One</title><link>https://example.org/1</link>{tags}</item></channel></rss>"
    ).encode()


def stray_tags() -> bytes:
    """tests/hostile/test_xml_feeds.py: 100,000 unclosed tags send feedparser to its loose
    pure-Python parser."""
    return (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        + b"<x>" * 100_000
        + b"<item><title>A</title><link>https://example.org/a</link></item></channel></rss>"
    )


# tests/hostile/test_sizes.py (case 16 of the campaign).
PAGES: dict[str, Callable[[], bytes]] = {
    "HTML nested 300 deep": lambda: (
        "<html><body>" + "<div>" * 300 + "deep text " * 50 + "</div>" * 300
    ).encode(),
    "HTML nested 100,000 deep": lambda: (
        "<body>" + "<div>" * 100_000 + "deep " * 50 + "</div>" * 100_000
    ).encode(),
    "a 20 MB page": lambda: (
        "<html><body><article>" + _PARAGRAPH * (20 * MIB // len(_PARAGRAPH))
    ).encode(),
    "1,000,000 spaces in a paragraph": lambda: (
        "<html><body><p>" + " " * 1_000_000 + "x</p></body></html>"
    ).encode(),
}


def story_divs() -> str:
    """tests/hostile/test_sizes.py: 100 story divs, each opened inside the last."""
    sentence = "The city council voted on Saturday to build a tram line to the centre. " * 4
    page = "<html><body><div class='story'><h1>Title</h1>"
    return page + ("<div class='story-text'><p>" + sentence) * 100


# -- what is timed ---------------------------------------------------------------------------


def parsed(body: bytes, url: str = FEED_URL) -> Callable[[], str]:
    def run() -> str:
        listing = parse(body, url)
        return f"{len(listing.headlines)} headlines" if listing.headlines else str(listing.reason)

    return run


def listed(body: bytes, url: str, use_presets: bool) -> Callable[[], str]:
    def run() -> str:
        listing = parse(body, url, use_presets=use_presets)
        return f"{len(listing.headlines)} headlines ({listing.kind})"

    return run


def extracted(page: bytes | str) -> Callable[[], str]:
    def run() -> str:
        try:
            article = extract_article(page, PAGE_URL)
        except ExtractionError as error:
            return f"ExtractionError: {error}"[:40]
        return f"{article.method}, {len(article.text)} chars"

    return run


def fetched(url: str, limits: NetSettings | None = None) -> Callable[[], str]:
    async def fetch() -> str:
        async with Fetcher(limits) as fetcher:
            result = await fetcher.fetch(url)
        if isinstance(result, Failure):
            return f"{result.kind}: {result.message}"
        return f"{result.status}, {len(result.body)} bytes"

    return lambda: asyncio.run(fetch())


def cases(server: LoopbackServer, secret: Path, all_pages: bool) -> list[Case]:
    """Every row of the table, in the order printed."""
    news = (SITE_ROOT / "news.html").read_bytes()
    news_url = "https://global.espreso.tv/news"
    bomb = server.gzip_bomb("/bomb", size=200 * MIB)
    trickle = server.trickle("/trickle", size=3600, interval=1.0)
    deadline_1_5 = NetSettings(deadline=1.5)
    doctypes = {
        "entity": '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>',
        "parameter entity": '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{path}"> %p;]>',
        "external DTD": '<!DOCTYPE rss SYSTEM "file://{path}">',
    }
    rows = [
        Case("billion laughs", "DOCTYPE on the <?xml?> line", 1.0,
             lambda: parsed(billion_laughs(True))),
        Case("billion laughs", "DOCTYPE on its own line", 1.0,
             lambda: parsed(billion_laughs(False))),
    ]  # fmt: skip
    rows += [
        Case("external entities", name, 1.0, lambda d=doctype: parsed(external_entity(d, secret)))
        for name, doctype in doctypes.items()
    ]
    rows += [
        Case("crafted author field", "32 KB <author>, RSS", 1.0, lambda: parsed(author(False))),
        Case("crafted author field", "32 KB <author>, Atom", 1.0, lambda: parsed(author(True))),
        Case("stray unclosed tags", "100,000 <x> (300 KB)", 1.0, lambda: parsed(stray_tags())),
        Case("10,000-item feed", "RSS, 10,000 items", 2.0, lambda: parsed(big_feed(10_000))),
        Case("categories", "100,000 in one item (3 MB)", 1.0, lambda: parsed(many_categories())),
        Case("categories", "5 MB of open tags and spaces", 1.0,
             lambda: parsed(open_category_tags())),
    ]  # fmt: skip
    for name, make in PAGES.items():
        rows += [
            Case(name, "extract_article", 5.0, lambda make=make: extracted(make())),
            Case(name, "sources.parse", 5.0, lambda make=make: parsed(make(), NEWS_URL)),
        ]
    rows.append(
        Case("unclosed story divs", "extract_article", 1.0, lambda: extracted(story_divs()))
    )
    if all_pages:
        from tests.unit.test_extract_hostile import HOSTILE

        rows += [
            Case(name, "extract_article", 5.0, lambda make=make: extracted(make()))
            for name, make in HOSTILE.items()
        ]
    rows += [
        Case("gzip bomb", "200 MiB of zeros, gzip", 10.0, lambda: fetched(bomb)),
        Case("trickle", "1 byte/s, deadline 1.5 s", 3.0, lambda: fetched(trickle, deadline_1_5)),
        Case("reference", "news.html, preset", 0.05, lambda: listed(news, news_url, True)),
        Case("reference", "news.html, generic", 0.05, lambda: listed(news, news_url, False)),
    ]  # fmt: skip
    return rows


def warm_up() -> None:
    """Import and first-use costs (feedparser, lxml, readability, httpx) before any clock."""
    parse(big_feed(3), FEED_URL)
    parse((SITE_ROOT / "news.html").read_bytes(), "https://global.espreso.tv/news")
    extract_article(story_divs(), PAGE_URL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="calls per input (median shown)")
    parser.add_argument("--only", default="", help="time only rows whose case or input has this")
    parser.add_argument(
        "--all-pages", action="store_true", help="also every page of test_extract_hostile.py"
    )
    args = parser.parse_args()
    warm_up()
    over = 0
    with tempfile.TemporaryDirectory() as scratch, LoopbackServer(None) as server:
        secret = Path(scratch) / "secret.txt"
        secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
        rows = [
            row
            for row in cases(server, secret, args.all_pages)
            if args.only.lower() in f"{row.case} {row.input}".lower()
        ]
        print(f"hostile inputs: median of {args.repeat} calls each")
        print()
        header = f"{'case':<40} {'input':<28} {'seconds':>8} {'bound':>6}  {'ok/over':<7}  outcome"
        print(header)
        print("-" * len(header))
        for row in rows:
            call = row.make()
            times = []
            outcome = ""
            for _ in range(args.repeat):
                started = time.perf_counter()
                outcome = call()
                times.append(time.perf_counter() - started)
            seconds = statistics.median(times)
            verdict = "ok" if seconds <= row.bound else "over"
            over += verdict == "over"
            print(
                f"{row.case[:40]:<40} {row.input[:28]:<28} {seconds:>8.3f} {row.bound:>6g}  "
                f"{verdict:<7}  {outcome[:50]}",
                flush=True,
            )
    print()
    print(f"{len(rows)} inputs, {over} over their bound")


if __name__ == "__main__":
    main()
