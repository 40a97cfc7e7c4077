"""Refresh benchmark: many loopback sources through the library, and through the app under keys.

    python benchmarks/refresh.py [--sources 200] [--delay 0.1] [--headlines 10000]
    python benchmarks/refresh.py --app --sources 1000 --hosts 4

Library mode: each source is a copy of the fixture news page (40 headlines) on its own loopback
address (127.0.0.1 … 127.0.0.N), because real sources live on different hosts and the per-host
limit would otherwise be what is measured. Prints the wall time of one `Library.refresh()` and
its ratio to the serial sum (sources × delay), then the store step for 10,000 new headlines.

App mode (`--app`): the sources are RSS feeds of 40 distinct items each, spread over `--hosts`
loopback addresses (as a real list of a thousand feeds shares a few big hosts). The real app
runs headless (Textual's `run_test`), refreshes every source, and meanwhile `j`/`k` are pressed
every 50 ms; each press's latency is the time until the cursor has moved (the event loop's
answer, as a user feels it). Prints the latencies, the refresh's wall time, how many sources were
tried, and the headlines stored against the sources' total.

The servers run in a child process, so serving does not compete with the client for the
interpreter.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from served import served_urls  # noqa: E402 - benchmarks/ is on sys.path when a script runs

ITEMS_PER_FEED = 40


def feed_body(number: int, base: str) -> bytes:
    """An RSS feed of ITEMS_PER_FEED items whose links are unique to feed `number`."""
    start = datetime(2025, 5, 16, 20, 0, tzinfo=UTC)
    items = "".join(
        f"<item><title>Feed {number} story {i}: officials meet over grain exports</title>"
        f"<link>{base}/a/{number}/{i}</link>"
        f"<pubDate>{format_datetime(start - timedelta(minutes=7 * i + number))}</pubDate></item>"
        for i in range(ITEMS_PER_FEED)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {number}</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def serve(count: int, delay: float, hosts: int) -> None:
    """Child process: serve `count` sources over `hosts` addresses (0: one address each)."""
    from tests.support.loopback import SITE_ROOT, LoopbackServer

    if hosts == 0:
        page = (SITE_ROOT / "news.html").read_bytes()
        servers = []
        for index in range(count):
            server = LoopbackServer(None, host=f"127.0.0.{index + 1}").start()
            server.route("/news", page, delay=delay)
            servers.append(server)
            print(f"{server.url}/news", flush=True)
    else:
        servers = [LoopbackServer(None, host=f"127.0.0.{n + 1}").start() for n in range(hosts)]
        for number in range(count):
            server = servers[number % hosts]
            body = feed_body(number, server.url)
            path = f"/feed/{number}"
            server.route(path, body, delay=delay, content_type="application/rss+xml")
            print(server.url + path, flush=True)
    print("ready", flush=True)
    sys.stdin.read()
    for server in servers:
        server.stop()


async def measure_refresh(urls: list[str], delay: float) -> None:
    from newsterm.config import Settings, SourceSettings
    from newsterm.library import Library

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), sources=[SourceSettings(u) for u in urls])
        library = Library.open(settings)
        started = time.perf_counter()
        statuses = await library.refresh()
        wall = time.perf_counter() - started
        ok = sum(s.ok for s in statuses)
        headlines = library.headline_count()
        await library.aclose()
    serial = len(urls) * delay
    print(f"refresh: {len(urls)} sources ({ok} ok, {headlines} headlines stored)")
    print(f"  wall time          {wall:.2f} s   (target ≤ 2 s)")
    print(f"  serial sum         {serial:.2f} s   ({len(urls)} × {delay * 1000:.0f} ms)")
    print(f"  wall / serial      {wall / serial:.3f}")


async def measure_app(urls: list[str], hosts: int) -> None:
    """Refresh every source inside the running app while keys are pressed; print latencies."""
    from textual import events

    from newsterm.config import Settings, SourceSettings
    from newsterm.library import Library
    from newsterm.ui.app import NewstermApp
    from newsterm.ui.widgets.headline_ticker import HeadlineTicker

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            data_dir=Path(folder), sources=[SourceSettings(u) for u in urls], refresh_minutes=0
        )
        # A cache with one page of headlines to move over while the refresh runs.
        seed = Library.open(settings)
        await seed.refresh(seed.sources()[:3])
        await seed.aclose()
        app = NewstermApp(Library.open(settings), refresh_on_start=False)
        latencies: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            ticker = app.screen.query_one(HeadlineTicker)
            screen = app.screen
            started = time.perf_counter()
            refresh = screen.refresh_sources()
            key = "j"
            while not refresh.is_finished:
                # The key goes in as the terminal would send it; Pilot's press() would also
                # wait for the app to be idle, which it never is during a refresh.
                before = ticker.cursor
                pressed = time.perf_counter()
                app.post_message(events.Key(key, key))
                while ticker.cursor == before and time.perf_counter() - pressed < 30:
                    await asyncio.sleep(0.001)
                latencies.append(time.perf_counter() - pressed)
                key = "k" if key == "j" else "j"
                await asyncio.sleep(0.05)
            wall = time.perf_counter() - started
            await pilot.pause()
            statuses = screen.last_statuses
            headlines = app.library.headline_count()
            await pilot.press("q")
    tried = sum(1 for s in statuses if s.state not in ("fetching",))
    ok = sum(1 for s in statuses if s.ok)
    expected = len(urls) * ITEMS_PER_FEED
    ms = sorted(1000 * x for x in latencies)
    print(f"app refresh: {len(urls)} sources on {hosts} loopback hosts")
    print(f"  wall time          {wall:.2f} s")
    print(f"  sources tried      {tried} of {len(urls)} ({ok} ok)")
    print(f"  headlines stored   {headlines} of {expected}")
    print(
        f"  key latency        {len(ms)} presses: median {statistics.median(ms):.1f} ms,"
        f" p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms (target max ≤ 100 ms)"
    )


def measure_store(count: int) -> None:
    from newsterm.models import Headline, Source
    from newsterm.store import open_store

    kyiv = timezone(timedelta(hours=3))
    start = datetime(2025, 5, 16, 23, 59, tzinfo=kyiv)
    headlines = [
        Headline(
            title=f"Headline number {i} about the day's events in Kyiv and elsewhere",
            url=f"https://example.org/news/{i}",
            published=start - timedelta(minutes=i),
            label="Exclusive" if i % 7 == 0 else None,
        )
        for i in range(count)
    ]
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.sqlite3")
        source = store.add_source(Source("https://example.org/news"))
        started = time.perf_counter()
        counts = store.store_listing(source, headlines)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = store.store_listing(source, headlines)
        second = time.perf_counter() - started
        store.close()
    print(f"store: {count} headlines in one refresh")
    print(f"  new ({counts.new} inserted)      {first:.3f} s   (target ≤ 0.5 s)")
    print(f"  seen again ({again.seen} updated) {second:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--headlines", type=int, default=10_000)
    parser.add_argument("--app", action="store_true", help="refresh inside the app under keys")
    parser.add_argument("--hosts", type=int, default=4, help="loopback hosts in --app mode")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    hosts = args.hosts if args.app or args.serve else 0
    if args.serve:
        serve(args.sources, args.delay, args.hosts)
        return
    serving = ["--serve", "--sources", str(args.sources), "--delay", str(args.delay)]
    with served_urls(__file__, *serving, "--hosts", str(hosts)) as urls:
        if args.app:
            asyncio.run(measure_app(urls, hosts))
        else:
            asyncio.run(measure_refresh(urls, args.delay))
    if not args.app:
        measure_store(args.headlines)


if __name__ == "__main__":
    main()
