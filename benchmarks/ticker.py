"""Ticker benchmark at scale: every key's latency, memory after G, streamed --json, bytes on disk.

    python benchmarks/ticker.py --headlines 1000000 [--presses 10]

The cache is built through the real refresh path, as a user's would be: loopback feeds of
2,000 items each (one headline a minute, the feeds interleaved, so the list spans years) are
fetched, parsed and stored by `Library.refresh()`; no SQL is written by hand. Then, each in a
fresh interpreter:

- the app (headless, `App.run_test`, 120×40) on that cache: for each key its latency from
  posting the key event to the repaint that shows its effect, median and max over the presses
  (the first press counts: it is what a user feels); `[` is pressed from the newest day down,
  `]` from the oldest day up, `n` with every row read but the last; then the resident memory
  after `G`, against the app on an empty cache;
- `newsterm headlines --json --offline --limit 0` (every row): wall time and peak memory;
- bytes on disk per headline (the file after a checkpoint, divided by the rows).

No thresholds: it prints figures. The issue's goals are ≤ 50 ms per key, RSS ≤ 2× the empty
app, --json linear with flat memory (≤ 250 MB at 10^6), ≤ 250 bytes per headline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from served import served_urls  # noqa: E402 - benchmarks/ is on sys.path when a script runs

ITEMS_PER_FEED = 2000
NEWEST = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)


def feed_body(number: int, feeds: int, base: str) -> bytes:
    """Feed `number` of `feeds`: every `feeds`-th minute going back, so the feeds interleave."""
    items = []
    for i in range(ITEMS_PER_FEED):
        minute = i * feeds + number
        when = format_datetime(NEWEST - timedelta(minutes=minute))
        items.append(
            f"<item><title>Story {minute}: council votes on the harbour budget</title>"
            f"<link>{base}/s/{minute}</link><pubDate>{when}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {number}</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def serve(feeds: int, hosts: int) -> None:
    """Child process: serve `feeds` feeds over `hosts` loopback addresses until stdin closes."""
    from tests.support.loopback import LoopbackServer

    servers = [LoopbackServer(None, host=f"127.0.0.{n + 1}").start() for n in range(hosts)]
    for number in range(feeds):
        server = servers[number % hosts]
        base = server.url

        def body(number: int = number, base: str = base) -> list[bytes]:
            return [feed_body(number, feeds, base)]  # made when asked: not held in memory

        server.route(f"/feed/{number}", stream=body, content_type="application/rss+xml")
        print(f"{base}/feed/{number}", flush=True)
    print("ready", flush=True)
    sys.stdin.read()
    for server in servers:
        server.stop()


def build_cache(data_dir: Path, headlines: int, hosts: int) -> tuple[int, float]:
    """Fill a cache through Library.refresh(); returns (rows stored, seconds)."""
    feeds = max(1, headlines // ITEMS_PER_FEED)
    with served_urls(__file__, "--serve", str(feeds), "--hosts", str(hosts)) as urls:
        return asyncio.run(_refresh(data_dir, urls))


async def _refresh(data_dir: Path, urls: list[str]) -> tuple[int, float]:
    from newsterm.config import Settings, SourceSettings
    from newsterm.library import Library

    settings = Settings(data_dir=data_dir, sources=[SourceSettings(u, "Bench") for u in urls])
    settings.net.deadline = 600.0  # the feeds are large and the machine is small
    library = Library.open(settings)
    stored: list[float] = []  # when each feed's listing was stored
    worker_cpu: dict[int, float] = {}  # the parse workers' CPU seconds, by process id

    def note(status: object) -> None:
        if getattr(status, "state", "") == "ok":
            stored.append(time.perf_counter())
            worker_cpu.update(_children_cpu())

    started = time.perf_counter()
    cpu = time.process_time()
    statuses = await library.refresh(on_progress=note)
    took = time.perf_counter() - started
    cpu = time.process_time() - cpu
    failed = [s.message for s in statuses if not s.ok]
    if failed:
        print(f"  {len(failed)} feeds failed, e.g. {failed[0]}", file=sys.stderr)
    if stored:
        print(
            f"  stages: first feed stored at {stored[0] - started:.1f} s, last at"
            f" {stored[-1] - started:.1f} s; then grouping into stories"
            f" {started + took - stored[-1]:.1f} s; CPU: main process {cpu:.1f} s,"
            f" {len(worker_cpu)} parse workers {sum(worker_cpu.values()):.1f} s"
        )
    count = library.headline_count()
    await library.aclose()
    return count, took


def _children_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of this process's multiprocessing children so far (Linux)."""
    import multiprocessing

    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for child in multiprocessing.active_children():
        try:
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[child.pid] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def rss_kib() -> int:
    """This process's resident memory in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def key_to_repaint(app: object, key: str, done: Callable[[], bool]) -> float:
    """Seconds from posting a key event until the screen has been repainted with its effect."""
    from textual import events

    screen = app.screen  # type: ignore[attr-defined]
    painted: list[float] = []
    original = screen._compositor_refresh

    def refresh_and_note() -> None:
        original()
        if done():
            painted.append(time.perf_counter())

    screen._compositor_refresh = refresh_and_note
    try:
        started = time.perf_counter()
        app.post_message(events.Key(key, key if len(key) == 1 else None))  # type: ignore[attr-defined]
        while not painted:
            if time.perf_counter() - started > 600:
                raise RuntimeError(f"no repaint after {key!r}")
            await asyncio.sleep(0)
        return painted[0] - started
    finally:
        del screen._compositor_refresh


async def measure_keys(data_dir: Path, presses: int) -> dict[str, object]:
    """The app on `data_dir`: each key's latencies (ms), then RSS after G (KiB)."""
    from newsterm.config import Settings
    from newsterm.ui.app import make_app
    from newsterm.ui.widgets.headline_ticker import HeadlineTicker

    settings = Settings(data_dir=data_dir, refresh_minutes=0, display_timezone="UTC")
    app = make_app(settings, refresh_on_start=False)
    figures: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ticker = app.screen.query_one(HeadlineTicker)

        def moved(before: tuple[int, int]) -> Callable[[], bool]:
            return lambda: (ticker.cursor_entry.id, ticker.cursor) != before

        async def press(key: str, done: Callable[[], bool] | None = None) -> float:
            before = (ticker.cursor_entry.id, ticker.cursor)
            return 1000 * await key_to_repaint(app, key, done or moved(before))

        def at_oldest() -> bool:
            return ticker.at_oldest and ticker.cursor == len(ticker.entries) - 1

        def at_newest() -> bool:
            return ticker.at_newest and ticker.cursor == 0

        times: dict[str, list[float]] = {k: [] for k in ("G", "g", "[", "]", "n", "j", "k")}
        for _ in range(presses):
            times["G"].append(await press("G", at_oldest))
            times["g"].append(await press("g", at_newest))
        for _ in range(presses):  # deeper each time: day after day from the newest
            times["["].append(await press("left_square_bracket"))
        for _ in range(presses):
            times["j"].append(await press("j"))
            times["k"].append(await press("k"))
        await press("G", at_oldest)
        for _ in range(presses):  # day after day from the oldest
            times["]"].append(await press("right_square_bracket"))
        await press("g", at_newest)
        for _ in range(presses):
            times["n"].append(await press("n"))
        await press("G", at_oldest)
        await pilot.pause()
        figures["rss_after_G_kib"] = rss_kib()
        figures["window_rows"] = len(ticker.entries)
        figures["keys_ms"] = times
    return figures


async def measure_empty(data_dir: Path) -> dict[str, object]:
    from newsterm.config import Settings
    from newsterm.ui.app import make_app

    app = make_app(Settings(data_dir=data_dir, refresh_minutes=0), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return {"rss_kib": rss_kib()}


def run_child(mode: str, data_dir: Path, presses: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(data_dir), "--presses", str(presses)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_json(data_dir: Path) -> tuple[float, float, int]:
    """`headlines --json` of every row: (seconds, peak RSS in MB, rows).

    The command runs under a small parent of its own, so that its peak memory is not mixed
    with this script's other children (the feed server's, say).
    """
    newsterm = Path(sys.executable).with_name("newsterm")
    env = {**os.environ, "NEWSTERM_DATA_DIR": str(data_dir)}
    command = [str(newsterm), "headlines", "--json", "--offline", "--limit", "0"]
    parent = (
        "import resource, subprocess, sys, time\n"
        "started = time.perf_counter()\n"
        f"subprocess.run({command!r}, stdout=sys.stdout, check=True)\n"
        "took = time.perf_counter() - started\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(took, peak, file=sys.stderr)\n"
    )
    with tempfile.TemporaryFile() as sink:
        done = subprocess.run(
            [sys.executable, "-c", parent], stdout=sink, stderr=subprocess.PIPE, env=env, check=True
        )
        sink.seek(0)
        rows = sum(1 for line in sink if line.startswith(b"{"))
    took, peak = (float(x) for x in done.stderr.split()[-2:])
    return took, peak, rows


def _count_rows(data_dir: Path) -> int:
    import sqlite3

    with sqlite3.connect(data_dir / "newsterm.sqlite3") as db:
        return db.execute("SELECT count(*) FROM headlines").fetchone()[0]


def bytes_per_headline(data_dir: Path, rows: int) -> float:
    import sqlite3

    path = data_dir / "newsterm.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size / max(rows, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headlines", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=10)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="build the cache here and keep it")
    parser.add_argument("--cache", type=Path, help="measure this cache (built before with --keep)")
    parser.add_argument("--fill-only", action="store_true", help="build the cache, print its time")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, args.hosts)
        return 0
    if args.child:
        mode, folder = args.child
        if mode == "keys":
            figures = asyncio.run(measure_keys(Path(folder), args.presses))
        else:
            figures = asyncio.run(measure_empty(Path(folder)))
        print(json.dumps(figures))
        return 0

    with tempfile.TemporaryDirectory() as scratch:
        data_dir = args.keep or Path(scratch) / "cache"
        data_dir.mkdir(parents=True, exist_ok=True)
        if args.cache:
            data_dir = args.cache
            rows = _count_rows(data_dir)
            print(f"cache: {rows} headlines (built before)")
        else:
            rows, fill = build_cache(data_dir, args.headlines, args.hosts)
            print(f"cache: {rows} headlines built through Library.refresh() in {fill:.1f} s")
            if args.fill_only:
                return 0
        keys = run_child("keys", data_dir, args.presses)
        empty = run_child("empty", Path(scratch) / "empty", 0)
        json_time, json_peak, json_rows = measure_json(data_dir)
        per_row = bytes_per_headline(data_dir, rows)

    print(f"keys at {rows} headlines (ms; first press counts; goal ≤ 50):")
    for key, values in keys["keys_ms"].items():
        print(
            f"  {key:2} median {statistics.median(values):7.1f}   max {max(values):7.1f}"
            f"   first {values[0]:7.1f}"
        )
    ratio = keys["rss_after_G_kib"] / empty["rss_kib"]
    print(
        f"RSS after G {keys['rss_after_G_kib'] / 1024:.0f} MB vs empty app"
        f" {empty['rss_kib'] / 1024:.0f} MB: {ratio:.2f}× (goal ≤ 2×);"
        f" window {keys['window_rows']} rows"
    )
    print(
        f"headlines --json --limit 0: {json_rows} rows in {json_time:.1f} s,"
        f" peak RSS {json_peak:.0f} MB (goal flat, ≤ 250 MB at 10^6)"
    )
    print(f"bytes on disk per headline: {per_row:.0f} (goal ≤ 250)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
