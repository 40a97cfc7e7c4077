"""A refresh of many sources parses in worker processes; the result is the threads' result."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

import newsterm.library
from newsterm.config import Settings, SourceSettings
from newsterm.library import PARSE_POOL_MIN_SOURCES, Library
from tests.loopback import SITE_ROOT

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

    monkeypatch.setattr(newsterm.library, "PARSE_POOL_MIN_SOURCES", len(urls) + 1)
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


async def test_a_small_refresh_starts_no_process(tmp_path, loopback):
    urls = _sources(loopback, 3)
    children: list[int] = []
    statuses, _ = await _refresh(
        tmp_path, urls, lambda status: children.append(len(multiprocessing.active_children()))
    )
    assert [s.state for s in statuses] == ["ok"] * 3
    assert children and max(children) == 0
