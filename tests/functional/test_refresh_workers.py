"""A refresh of many sources parses in worker processes; the result is the threads' result."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsterm.library.refresh
from newsterm.config import Settings, SourceSettings
from newsterm.library import Library
from newsterm.library.listing_parser import MAX_PARSE_WORKERS, PARSE_POOL_MIN_SOURCES
from tests.support.loopback import SITE_ROOT

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no worker processes")

PAGE = (SITE_ROOT / "news.html").read_bytes()


def _sources(loopback, count: int) -> list[str]:
    # Distinct sites in effect: each its own listing, answering a little later than the last,
    # so parses keep arriving after the first ones are done.
    return [loopback.route(f"/news-{n}", PAGE, delay=0.02 * (n % 10)) for n in range(count)]


async def _refresh(tmp_path, urls, on_progress=None):
    settings = Settings(data_dir=tmp_path, sources=[SourceSettings(url) for url in urls])
    library = Library.open(settings)
    try:
        statuses = await library.refresh(on_progress=on_progress)
        # Sorted: rows at the same minute come in the order their sources answered.
        rows = sorted(
            (row.published, row.title, row.url, row.label or "")
            for row in library.ticker_rows(limit=10_000)
        )
    finally:
        await library.aclose()
    return statuses, rows


async def test_a_large_refresh_parses_in_worker_processes_with_the_threads_result(
    tmp_path, loopback, monkeypatch
):
    urls = _sources(loopback, PARSE_POOL_MIN_SOURCES)
    workers_seen: list[int] = []

    def on_progress(status):
        if status.state == "ok":
            workers_seen.append(len(multiprocessing.active_children()))

    statuses, rows = await _refresh(tmp_path / "pool", urls, on_progress)
    assert [s.state for s in statuses] == ["ok"] * len(urls)
    assert all(s.total == 40 for s in statuses)
    assert workers_seen and min(workers_seen) >= 1  # parsing went to another process
    # One worker a core: the app's process mostly waits, and yields to none of them.
    assert max(workers_seen) == min(os.cpu_count() or 1, MAX_PARSE_WORKERS)

    monkeypatch.setattr(newsterm.library.refresh, "PARSE_POOL_MIN_SOURCES", len(urls) + 1)
    deadline = time.monotonic() + 30  # a hang guard: the first refresh's workers exit at once
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers_seen.clear()
    _, thread_rows = await _refresh(tmp_path / "threads", urls, on_progress)
    assert workers_seen and max(workers_seen) == 0
    assert rows == thread_rows and len(rows) == 40 * len(urls)


async def test_killed_workers_cost_no_source(tmp_path, loopback):
    urls = _sources(loopback, PARSE_POOL_MIN_SOURCES)
    killed: list[int] = []

    def on_progress(status):
        if status.state == "ok" and not killed:
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)

    statuses, rows = await _refresh(tmp_path, urls, on_progress)
    assert killed
    assert [s.state for s in statuses] == ["ok"] * len(urls)  # the rest parsed in threads
    assert len(rows) == 40 * len(urls)


async def test_a_refresh_with_nothing_new_to_parse_starts_no_process(tmp_path, loopback):
    urls = [
        loopback.route(f"/news-{n}", PAGE, etag=f'"v{n}"') for n in range(PARSE_POOL_MIN_SOURCES)
    ]
    await _refresh(tmp_path, urls)
    deadline = time.monotonic() + 30  # a hang guard: the first refresh's workers exit at once
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children(), "the first refresh's workers stayed"
    children: list[int] = []
    statuses, rows = await _refresh(
        tmp_path, urls, lambda status: children.append(len(multiprocessing.active_children()))
    )
    assert [s.state for s in statuses] == ["not-modified"] * len(urls)
    assert children and max(children) == 0
    assert len(rows) == 40 * len(urls)


async def test_a_small_refresh_starts_no_process(tmp_path, loopback):
    urls = _sources(loopback, 3)
    children: list[int] = []
    statuses, _ = await _refresh(
        tmp_path, urls, lambda status: children.append(len(multiprocessing.active_children()))
    )
    assert [s.state for s in statuses] == ["ok"] * 3
    assert children and max(children) == 0


def _children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is `pid`, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        state, parent = fields[0], int(fields[1])
        if parent == pid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find children")
def test_workers_end_with_a_killed_refresh(tmp_path, loopback):
    # One source answers at once, which starts the workers; the rest answer only after the
    # kill, so the workers are up and waiting for pages when it comes.
    urls = [loopback.route("/quick", PAGE)]
    urls += [loopback.route(f"/slow-{n}", PAGE, delay=30) for n in range(PARSE_POOL_MIN_SOURCES)]
    sources = [arg for url in urls for arg in ("--source", url)]
    # Room for every request at once: the quick one must not queue behind the slow ones
    # for the loopback host's connection slots (whichever order the sources start in).
    config = tmp_path / "config.toml"
    config.write_text("[net]\nper_host = 64\ntotal = 64\n")
    env = {**os.environ, "NEWSTERM_DATA_DIR": str(tmp_path), "NEWSTERM_CONFIG": str(config)}
    command = [sys.executable, "-m", "newsterm", "refresh", *sources]
    refresh = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30  # a hang guard: the workers start in well under 1 s
        while len(children := _children(refresh.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(children) >= 2, "the refresh never started its worker process"
        time.sleep(0.5)  # past the workers' start-up, into waiting for work
    finally:
        refresh.kill()
        refresh.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)], "worker processes outlived the refresh"


async def test_a_large_refresh_inside_the_app_parses_in_workers_and_stores_every_source(
    tmp_path, loopback
):
    # Inside the app, Textual holds the terminal: sys.stderr is a capture object without a
    # file descriptor, which multiprocessing once handed to the process it starts.
    from newsterm.ui.app import NewstermApp
    from newsterm.ui.screens.main_screen import MainScreen

    urls = _sources(loopback, PARSE_POOL_MIN_SOURCES)
    settings = Settings(
        data_dir=tmp_path, sources=[SourceSettings(url) for url in urls], refresh_minutes=0
    )
    workers_seen: list[int] = []
    app = NewstermApp(Library.open(settings), refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        library = app.library
        real_refresh_source = library.refresh_source

        async def watched(source, **kwargs):
            status = await real_refresh_source(source, **kwargs)
            workers_seen.append(len(multiprocessing.active_children()))
            return status

        library.refresh_source = watched
        await screen.refresh_sources().wait()
        await pilot.pause()
        assert screen.last_error is None
        assert [s.state for s in screen.last_statuses] == ["ok"] * len(urls)
        assert library.headline_count() == 40 * len(urls)
        assert max(workers_seen) >= 1  # parsing went to another process


async def test_workers_that_cannot_start_leave_the_parsing_to_threads(
    tmp_path, loopback, monkeypatch
):
    import concurrent.futures

    def refuse(*args, **kwargs):
        raise ValueError("bad value(s) in fds_to_keep")  # what a terminal without fds gave

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    urls = _sources(loopback, PARSE_POOL_MIN_SOURCES)
    statuses, rows = await _refresh(tmp_path, urls)
    assert [s.state for s in statuses] == ["ok"] * len(urls)
    assert len(rows) == 40 * len(urls)
