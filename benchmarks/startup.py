"""Start-up benchmark: time to the first painted headline with 100,000 cached, vs a bare app.

Both are started in tmux in the same run, alternately, and the screen is polled with
`tmux capture-pane` until the expected text appears. Prints the medians and their ratio
(the target is newsterm ≤ 1.5 × the bare Textual app). Usage:

    python benchmarks/startup.py [--headlines 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

BENCH_SOURCE = "https://global.espreso.tv/news"
FIRST_TITLE = "Benchmark headline 0"
BARE_TEXT = "BARE-APP-READY"
BARE_APP = f'''
from textual.app import App
from textual.widgets import Static


class BareApp(App):
    def compose(self):
        yield Static("{BARE_TEXT}")


BareApp().run()
'''


def fill_cache(data_dir: Path, count: int) -> None:
    """Put `count` invented headlines (newest first: "Benchmark headline 0") in a new cache."""
    from newsterm.config import Settings, SourceSettings
    from newsterm.library import Library
    from newsterm.models import Headline

    settings = Settings(data_dir=data_dir, sources=[SourceSettings(BENCH_SOURCE, "Bench")])
    library = Library.open(settings)
    source = library.store.sources()[0]
    newest = datetime(2025, 5, 16, 20, 0, tzinfo=timezone(timedelta(hours=3)))
    headlines = [
        Headline(
            f"Benchmark headline {index}: something happened somewhere today",
            f"https://global.espreso.tv/benchmark-{index}",
            newest - timedelta(minutes=7 * index),
            "Exclusive" if index % 7 == 3 else None,
        )
        for index in range(count)
    ]
    library.store.store_listing(source, headlines, now=time.time())
    library.store.close()


def newsterm_command() -> str:
    """The installed `newsterm` script next to this interpreter."""
    path = Path(sys.executable).with_name("newsterm")
    if not path.exists():
        raise SystemExit(f"no newsterm command at {path}; pip install -e . first")
    return str(path)


TMUX = ["tmux", "-L", f"newsterm-bench-{os.getpid()}"]
"""A private tmux server, so the benchmark neither sees nor disturbs the user's sessions."""


def start_tmux_server(env: dict[str, str]) -> None:
    """Start the private server with an idle session, so it does not exit between runs."""
    subprocess.run([*TMUX, "new-session", "-d", "-s", "anchor", "sleep 86400"], check=True, env=env)


def stop_tmux_server() -> None:
    """Stop the private server and everything in it."""
    subprocess.run([*TMUX, "kill-server"], capture_output=True)


def time_to_text(command: list[str], text: str, env: dict[str, str], timeout: float) -> float:
    """Seconds from starting `command` in a new tmux session until `text` is on screen."""
    session = f"run-{time.monotonic_ns()}"
    shell_command = " ".join(_quote(part) for part in command)
    started = time.perf_counter()
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", shell_command],
        check=True,
        env=env,
    )
    try:
        deadline = started + timeout
        while time.perf_counter() < deadline:
            screen = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", session],
                capture_output=True,
                text=True,
            ).stdout
            if text in screen:
                return time.perf_counter() - started
            time.sleep(0.005)
        raise SystemExit(f"{text!r} did not appear within {timeout} s:\n{screen}")
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], capture_output=True)


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def _newest(data_dir: Path) -> tuple[int, str]:
    """How many headlines a cache holds, and the first words of its newest one."""
    import sqlite3

    with sqlite3.connect(data_dir / "newsterm.sqlite3") as db:
        count = db.execute("SELECT count(*) FROM headlines").fetchone()[0]
        title = db.execute(
            "SELECT title FROM headlines ORDER BY sort_key DESC, id LIMIT 1"
        ).fetchone()[0]
    return count, title[:20]


def main() -> int:
    """Fill a cache, then time both apps alternately and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headlines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--cache", type=Path, help="start on this data folder (e.g. benchmarks/ticker.py --keep)"
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    with tempfile.TemporaryDirectory(prefix="newsterm-bench-") as folder:
        root = Path(folder)
        data_dir = root / "data"
        first_title = FIRST_TITLE
        if args.cache:
            data_dir = args.cache
            args.headlines, first_title = _newest(data_dir)
            print(f"{args.headlines:,} headlines cached in {data_dir}")
        else:
            started = time.perf_counter()
            fill_cache(data_dir, args.headlines)
            print(f"filled {args.headlines:,} headlines in {time.perf_counter() - started:.1f} s")
        bare = root / "bare_app.py"
        bare.write_text(BARE_APP)
        env = dict(os.environ, NEWSTERM_CONFIG=str(root / "none.toml"), TERM="xterm-256color")
        # Both apps run from compiled bytecode, as after `pip install` (site-packages has its
        # .pyc files; an editable checkout run with PYTHONDONTWRITEBYTECODE would compile
        # every newsterm module on every start). The warm-up runs fill a private cache.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        for name in ("COLUMNS", "LINES"):
            env.pop(name, None)
        (root / "none.toml").write_text("")
        newsterm = [newsterm_command(), "--offline", "--data-dir", str(data_dir)]
        bare_command = [sys.executable, str(bare)]
        start_tmux_server(env)
        try:
            # One untimed run of each warms the file cache and the bytecode.
            time_to_text(bare_command, BARE_TEXT, env, 30)
            time_to_text(newsterm, first_title, env, 30)
            bare_times, newsterm_times = [], []
            for _ in range(args.runs):
                bare_times.append(time_to_text(bare_command, BARE_TEXT, env, 30))
                newsterm_times.append(time_to_text(newsterm, first_title, env, 30))
        finally:
            stop_tmux_server()
    bare_median = statistics.median(bare_times)
    newsterm_median = statistics.median(newsterm_times)
    print(
        f"bare Textual app, first paint:    median {bare_median * 1000:6.0f} ms"
        f"  (runs: {', '.join(f'{t * 1000:.0f}' for t in bare_times)})"
    )
    print(
        f"newsterm, {args.headlines:,} cached, first headline: median"
        f" {newsterm_median * 1000:6.0f} ms"
        f"  (runs: {', '.join(f'{t * 1000:.0f}' for t in newsterm_times)})"
    )
    ratio = newsterm_median / bare_median
    verdict = "within" if ratio <= 1.5 else "OVER"
    print(f"ratio: {ratio:.2f}× ({verdict} the 1.5× target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
