"""Where a refresh parses its pages: worker processes for a large refresh, else a thread."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from newsterm.models import Listing

PARSE_POOL_MIN_SOURCES = 24
"""A refresh of this many sources parses in worker processes: parsing an 80 KB page costs
~6 ms of CPU, which threads cannot spread over cores; below this, starting workers costs more."""
WORKER_NICENESS = 10
"""How much lower the workers' scheduling priority is than the app's (see os.nice)."""
MAX_PARSE_WORKERS = 4
"""At most this many worker processes: one a core. The app's process mostly waits (on the
network, on SQLite, which releases the GIL) and its priority is higher than the workers'
(WORKER_NICENESS), so it takes a core back whenever it needs one."""


class ListingParser:
    """Where one refresh parses its pages: in worker processes (started at the first page,
    so a refresh that brings nothing new starts none), else in a thread."""

    def __init__(self, *, processes: bool) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def parse(
        self,
        body: bytes,
        url: str,
        content_type: str | None,
        timezone: str,
        served: tuple[str | None, ...] = (),
    ) -> Listing:
        """The listing in `body`; never raises (a lost worker hands its page to a thread).
        `served`: the response's Last-Modified and Date (see newsterm.sources.parse)."""
        if self.processes and self._pool is None:
            self._pool = _start_workers()
            self.processes = self._pool is not None
        if self._pool is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(
                    self._pool, _parse_listing, body, url, content_type, timezone, served
                )
            except Exception:  # a worker died (BrokenProcessPool) or the pool is closing
                pass
        return await asyncio.to_thread(_parse_listing, body, url, content_type, timezone, served)

    def close(self) -> None:
        """Let the workers go (they finish and exit on their own)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _start_workers() -> ProcessPoolExecutor | None:
    """Worker processes for parsing, one a core; None on one core, or where none can start.

    "spawn", not "fork": the TUI has threads, and a forked child inherits their locks.
    ctrl+c is ignored while they start (the setting survives exec), so it cannot reach a
    worker before its initializer has set that up for itself.
    """
    import multiprocessing
    import os
    import signal
    from concurrent.futures import ProcessPoolExecutor

    cores = os.cpu_count() or 1
    if cores < 2:
        return None
    workers = min(cores, MAX_PARSE_WORKERS)
    try:
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        interrupt = None
    pool = None
    try:
        with _real_stderr():
            pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_prepare_worker,
            )
            for _ in range(workers):
                pool.submit(int)  # start each process now
    except Exception:  # whatever stops a worker starting, the refresh parses in threads
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return None
    finally:
        if interrupt is not None:
            signal.signal(signal.SIGINT, interrupt)
    return pool


class _real_stderr:
    """While workers start, `sys.stderr` is a real file on /dev/null.

    multiprocessing hands the helper process it starts (the resource tracker) the file
    descriptor of `sys.stderr`; while Textual holds the terminal, that is a capture object
    whose fileno() is -1, and the start fails with "bad value(s) in fds_to_keep".
    """

    def __enter__(self) -> None:
        import os

        self._saved = sys.stderr
        self._null = open(os.devnull, "w")  # closed in __exit__
        sys.stderr = self._null

    def __exit__(self, *exc_info: object) -> None:
        sys.stderr = self._saved
        self._null.close()


def _prepare_worker() -> None:
    """In a parse worker: import the parsers ahead; leave ctrl+c to the parent; yield the CPU
    to it (nice); keep quiet on
    the terminal (a worker's traceback would draw over the TUI: the parent parses instead);
    and end with the parent, even a killed one (the task queue would never close)."""
    import multiprocessing
    import os
    import signal
    import threading
    from multiprocessing.connection import wait

    import lxml.html  # noqa: F401 - every import here is done before the first page

    import newsterm.sources.fast_feed
    import newsterm.sources.html_listing  # noqa: F401

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # Background work: where cores are short, the process that answers keys goes first.
        os.nice(WORKER_NICENESS)
    except OSError:
        pass
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)
    parent = multiprocessing.parent_process()
    if parent is not None:

        def end_with_parent() -> None:
            wait([parent.sentinel])
            os._exit(0)

        threading.Thread(target=end_with_parent, daemon=True).start()


def _parse_listing(
    body: bytes,
    url: str,
    content_type: str | None,
    timezone: str,
    served: tuple[str | None, ...] = (),
):
    from newsterm.sources import parse

    return parse(body, url, content_type, timezone=timezone, served=served)
