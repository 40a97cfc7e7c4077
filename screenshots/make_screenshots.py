"""Writes the README's screenshots (SVG) from the fixture site's pages, with a frozen clock.

The cache is filled from the fixtures' expected parses (tests/fixtures/site), the clock is
fixed at 16 May 2025, 20:05 Kyiv time, and no network is used, so every run gives the same
pictures. Usage: `python screenshots/make_screenshots.py [OUTPUT_DIR]` (default: this folder).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsterm.library import SourceStatus  # noqa: E402
from newsterm.models import Headline  # noqa: E402
from newsterm.store import FetchState  # noqa: E402
from newsterm.ui.app import NewstermApp, make_app  # noqa: E402
from tests.support.app import (  # noqa: E402
    FIXED_NOW,
    SEED_URL,
    fill_library,
    frozen_clock,
    make_settings,
)

Steps = Callable[[object], Awaitable[None]]


def fresh_app(data_dir: Path, **overrides: object) -> NewstermApp:
    """The app on a new data dir holding the fixture cache."""
    app = make_app(make_settings(data_dir, **overrides), clock=frozen_clock, refresh_on_start=False)
    fill_library(app.library)
    return app


def with_new_headlines(app: NewstermApp) -> None:
    """Make `r` bring three new headlines, as a live refresh would."""
    library = app.library
    newer = [
        Headline(
            title,
            f"https://global.espreso.tv/screenshot-{index}",
            datetime.fromisoformat("2025-05-16T20:01:00+03:00") + timedelta(minutes=index),
            label,
        )
        for index, (title, label) in enumerate(
            [
                ("Air defense repels overnight drone attack on Kyiv region", None),
                ("EU foreign ministers to meet on new sanctions package", "Updated"),
                ("Zelenskyy: Ukraine is ready for a full ceasefire at any moment", "Exclusive"),
            ]
        )
    ]

    async def refresh(sources=None, *, on_progress=None, force=False):
        source = library.sources()[0]
        state = FetchState(source.url, last_status=200, last_success=FIXED_NOW)
        counts = library.store.store_listing(source, newer, state, now=FIXED_NOW)
        return [SourceStatus(source, "ok", f"{counts.new} new", counts.new, len(newer))]

    library.refresh = refresh


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shoot(app: NewstermApp, size: tuple[int, int], steps: Steps, out: Path) -> None:
    """Run the app headless at `size`, do `steps`, save the screen as `out`."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await steps(pilot)
        await settle(pilot)
        app.save_screenshot(filename=out.name, path=str(out.parent))
    print(f"wrote {out}")


async def main(folder: Path) -> None:
    """Every screenshot, each from its own fresh cache."""

    async def keys(pilot, *pressed: str) -> None:
        await pilot.press(*pressed)
        await settle(pilot)

    async def refreshed(pilot) -> None:
        await keys(pilot, "j", "j", "j", "r")

    async def article(pilot) -> None:
        await keys(pilot, "G", "enter")

    async def search(pilot) -> None:
        await keys(pilot, "slash", *"Putin")
        pilot.app.screen.query_one("Input").cursor_blink = False

    async def saved(pilot) -> None:
        # Saved through the store with a fixed time: pressing s would stamp today's date.
        pilot.app.library.store.set_saved(SEED_URL, True, saved_at=FIXED_NOW - 3 * 3600)
        await keys(pilot, "S")

    async def offline(pilot) -> None:
        await keys(pilot, "j", "enter")

    shots: list[tuple[str, tuple[int, int], Steps, dict[str, object]]] = [
        # 80 and 120 columns: headlines first, whole; the article opens over them.
        ("main-wide.svg", (120, 40), refreshed, {}),
        ("main-narrow.svg", (80, 40), lambda pilot: keys(pilot, "j"), {}),
        ("article-narrow.svg", (120, 40), article, {}),
        # From 140 columns both panes: the ticker as wide as its titles, the reader's measure.
        ("article.svg", (180, 45), article, {}),
        ("search.svg", (120, 40), search, {}),
        ("saved.svg", (120, 40), saved, {}),
        ("help.svg", (120, 40), lambda pilot: keys(pilot, "question_mark"), {}),
        ("offline.svg", (120, 40), offline, {"offline": True}),
    ]
    with tempfile.TemporaryDirectory(prefix="newsterm-shots-") as temp:
        for index, (name, size, steps, overrides) in enumerate(shots):
            app = fresh_app(Path(temp) / str(index), **overrides)
            if name == "main-wide.svg":
                with_new_headlines(app)
            await shoot(app, size, steps, folder / name)


if __name__ == "__main__":
    # The offline line names the cache's time in the machine's zone: make it Kyiv's.
    os.environ["TZ"] = "Europe/Kyiv"
    time.tzset()
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    target.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(target))
