"""Ticker benchmark: G over 10,000 cached headlines (time to repaint) and memory vs an empty app.

Each measurement runs in a fresh interpreter (headless, `App.run_test`, 120×40). The time
is from posting the key event to the end of the screen refresh that shows its effect (the
Pilot's own idle waits, 20 ms each, are not counted):

- G with the rest of the cache already read by the background prefetch (the usual case);
- G "cold", with the prefetch turned off, so G itself reads the 9,850 rows it lacks;
- resident memory (VmRSS) of the app holding all 10,000 rows, vs the app with an empty
  cache. Targets: G ≤ 50 ms, memory ≤ 2 × the empty app. Usage:

    python benchmarks/ticker.py [--headlines 10000] [--presses 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from startup import fill_cache  # benchmarks/ is on sys.path when this script runs


def rss_kib() -> int:
    """This process's resident memory in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def key_to_repaint(app: object, key: str, done: Callable[[], bool]) -> float:
    """Seconds from posting a key event until the screen has been repainted with its effect.

    The repaint is seen by wrapping the screen's compositor refresh (the step that writes
    the changed lines); `done` says whether the key's effect has happened.
    """
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
            if time.perf_counter() - started > 10:
                raise RuntimeError(f"no repaint after {key!r}")
            await asyncio.sleep(0)
        return painted[0] - started
    finally:
        del screen._compositor_refresh


async def measure(data_dir: Path, presses: int, prefetch: bool) -> dict[str, float]:
    """Run the app on `data_dir`, time G (and g back) `presses` times, and read RSS."""
    from newsterm.config import Settings, SourceSettings
    from newsterm.ui.app import make_app
    from newsterm.ui.widgets import headline_ticker
    from newsterm.ui.widgets.headline_ticker import HeadlineTicker

    if not prefetch:
        headline_ticker.PREFETCH_LIMIT = 0
    settings = Settings(
        data_dir=data_dir,
        sources=[SourceSettings("https://global.espreso.tv/news", "Bench")],
        offline=True,
    )
    app = make_app(settings, refresh_on_start=False)
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        ticker = app.screen.query_one(HeadlineTicker)
        figures["loaded_before_g"] = len(ticker.entries)
        times = [0.0]
        cpu = [0.0]
        if ticker.total:
            times, cpu = [], []
        for _ in range(presses if ticker.total else 0):
            cpu_started = time.process_time()
            elapsed = await key_to_repaint(app, "G", lambda: ticker.cursor == ticker.total - 1)
            cpu.append(time.process_time() - cpu_started)
            times.append(elapsed)
            await pilot.pause()
            await key_to_repaint(app, "g", lambda: ticker.cursor == 0)
            await pilot.pause()
            if not prefetch:
                break  # only the first G is cold
        figures["g_first_ms"] = times[0] * 1000
        figures["g_median_ms"] = statistics.median(times) * 1000
        figures["g_max_ms"] = max(times) * 1000
        figures["g_cpu_median_ms"] = statistics.median(cpu) * 1000
        figures["rows"] = len(ticker.entries)
        figures["rss_kib"] = rss_kib()
    return figures


def run_child(data_dir: Path, presses: int, prefetch: bool) -> dict[str, float]:
    """Measure in a fresh interpreter, so one run's memory does not colour the next."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(data_dir),
            "--presses",
            str(presses),
            *([] if prefetch else ["--no-prefetch"]),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    """Fill the caches, run the three measurements, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headlines", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=15)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-prefetch", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        figures = asyncio.run(measure(args.child, args.presses, not args.no_prefetch))
        print(json.dumps(figures))
        return 0
    with tempfile.TemporaryDirectory(prefix="newsterm-ticker-") as folder:
        full, empty = Path(folder) / "full", Path(folder) / "empty"
        fill_cache(full, args.headlines)
        fill_cache(empty, 0)
        warm = run_child(full, args.presses, prefetch=True)
        cold = run_child(full, 1, prefetch=False)
        bare = run_child(empty, 1, prefetch=True)
    print(
        f"G over {args.headlines:,} cached headlines, prefetched"
        f" ({warm['loaded_before_g']:.0f} rows in memory before G):"
        f" key to repaint median {warm['g_median_ms']:.1f} ms, max {warm['g_max_ms']:.1f} ms"
        f" (CPU {warm['g_cpu_median_ms']:.1f} ms) over {args.presses} presses (target ≤ 50 ms)"
    )
    print(
        f"G cold (prefetch off, {cold['loaded_before_g']:.0f} rows in memory, G reads the rest):"
        f" {cold['g_first_ms']:.1f} ms"
    )
    ratio = warm["rss_kib"] / bare["rss_kib"]
    print(
        f"memory (VmRSS): {warm['rss_kib'] / 1024:.1f} MiB with {warm['rows']:.0f} rows"
        f" vs {bare['rss_kib'] / 1024:.1f} MiB with an empty cache: {ratio:.2f}× (target ≤ 2×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
