"""Helpers for the hostile tests: the CLI in a subprocess, what the app paints, feed builders."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from rich.segment import Segment
from textual.geometry import Region

from newsterm.config import Settings
from newsterm.library import Library
from newsterm.store import open_store
from tests.support.loopback import SITE_ROOT

NEWSTERM = Path(sys.executable).with_name("newsterm")
NEWS_PAGE = SITE_ROOT / "news.html"
NEWS_COUNT = 40
"""Headlines on the fixture news page."""
HANG_GUARD = 60.0
"""Seconds any one command or wait may take before it counts as hung (not a timing check)."""
# What must never reach a terminal: C0 controls but tab and newline, DEL, C1 (0x9b is CSI on
# its own), and the bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run_newsterm(
    data_dir: Path,
    *args: str,
    config: Path | None = None,
    timeout: float = HANG_GUARD,
) -> subprocess.CompletedProcess[str]:
    """Run the installed command on a private data dir; the user's own config is never read.

    Output is decoded with surrogateescape, so any byte the command wrote can be checked.
    """
    env = {**os.environ, "NEWSTERM_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("NEWSTERM_CONFIG", None)
    env["XDG_CONFIG_HOME"] = str(data_dir / "config-home")
    if config is not None:
        env["NEWSTERM_CONFIG"] = str(config)
    command = [str(NEWSTERM)] if NEWSTERM.exists() else [sys.executable, "-m", "newsterm"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        env=env,
        timeout=timeout,
    )


def settings_for(data_dir: Path, **net: object) -> Settings:
    """Settings on `data_dir` with no configured sources and, optionally, other net limits."""
    settings = Settings(data_dir=data_dir, sources=[], display_timezone="Europe/Kyiv")
    for key, value in net.items():
        setattr(settings.net, key, value)
    return settings


async def seed_cache(data_dir: Path, url: str) -> int:
    """Refresh `url` once in-process (a good listing), so a later run has a cache to lose."""
    library = Library.open(settings_for(data_dir), source_urls=[url])
    try:
        [status] = await library.refresh()
        assert status.ok, status.message
        return library.headline_count()
    finally:
        await library.aclose()


def cached_titles(data_dir: Path) -> list[str]:
    """Every headline title in the cache file, newest first."""
    with open_store(data_dir / "newsterm.sqlite3") as store:
        return [row.title for row in store.ticker_rows(None, 0, 100_000)]


def cache_is_intact(data_dir: Path) -> bool:
    """SQLite's integrity check (and the search index's) on the cache file."""
    with open_store(data_dir / "newsterm.sqlite3") as store:
        return store.integrity_ok()


def rss(items: Iterable[tuple[str, str]], *, prolog: str = '<?xml version="1.0"?>') -> str:
    """An RSS 2.0 feed of (title, link) items; the text is put in as given (entities and all)."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Fri, 16 May 2025 {19 - index // 60:02d}:{59 - index % 60:02d}:00 +0300</pubDate>"
        "</item>"
        for index, (title, link) in enumerate(items)
    )
    return f'{prolog}<rss version="2.0"><channel><title>Feed</title>{body}</channel></rss>'


def painted_strips(app: object) -> list[list[Segment]]:
    """Every line each displayed widget of every screen paints (public Widget.render_lines)."""
    strips: list[list[Segment]] = []
    for screen in app.screen_stack:  # type: ignore[attr-defined]
        for widget in screen.walk_children(with_self=True):
            if not widget.is_mounted or not widget.display:
                continue
            width, height = widget.outer_size
            if width <= 0 or height <= 0:
                continue
            strips.extend(list(strip) for strip in widget.render_lines(Region(0, 0, width, height)))
    return strips


def painted_segments(app: object) -> list[Segment]:
    """Every segment painted, in order."""
    return [segment for strip in painted_strips(app) for segment in strip]


def painted_text(app: object) -> str:
    """The text of everything painted, one widget line per line."""
    return "\n".join("".join(segment.text for segment in strip) for strip in painted_strips(app))


def live_links(segments: Iterable[Segment]) -> list[str]:
    """Segments that would become a terminal hyperlink or a clickable action."""
    found = []
    for segment in segments:
        style = segment.style
        if style is None:
            continue
        if style.link or any(key.startswith("@") for key in (style.meta or {})):
            found.append(segment.text)
    return found


async def settle(app: object, pilot: object) -> None:
    """Wait for every worker (refresh, article load, save) and the screen updates after them."""
    await asyncio.wait_for(app.workers.wait_for_complete(), HANG_GUARD)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def wait_until(pilot: object, condition: Callable[[], bool], what: str) -> float:
    """Poll `condition` (letting the app run) until true; returns the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > HANG_GUARD:
            raise AssertionError(f"{what}: not within {HANG_GUARD} s")
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    return time.monotonic() - started
