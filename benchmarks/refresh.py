"""Refresh benchmark: 200 loopback sources answering after 100 ms; 10,000 headlines stored at once.

    python benchmarks/refresh.py [--sources 200] [--delay 0.1] [--headlines 10000]

Each source is a copy of the fixture news page (40 headlines) on its own loopback address
(127.0.0.1 … 127.0.0.200), because real sources live on different hosts and the per-host
limit would otherwise be what is measured. The servers run in a child process, so serving
does not compete with the client for the interpreter. Prints the wall time of one
`Library.refresh()` over all sources and its ratio to the serial sum (sources × delay),
then the time of the store step for 10,000 new headlines in one refresh.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def serve(count: int, delay: float) -> None:
    """Child process: start `count` servers, print their URLs, serve until stdin closes."""
    from tests.loopback import SITE_ROOT, LoopbackServer

    page = (SITE_ROOT / "news.html").read_bytes()
    servers = []
    for index in range(count):
        server = LoopbackServer(None, host=f"127.0.0.{index + 1}").start()
        server.route("/news", page, delay=delay)
        servers.append(server)
        print(f"{server.url}/news", flush=True)
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
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.sources, args.delay)
        return
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--sources",
            str(args.sources),
            "--delay",
            str(args.delay),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    urls = []
    try:
        for line in child.stdout:
            if line.strip() == "ready":
                break
            urls.append(line.strip())
        asyncio.run(measure_refresh(urls, args.delay))
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    measure_store(args.headlines)


if __name__ == "__main__":
    main()
