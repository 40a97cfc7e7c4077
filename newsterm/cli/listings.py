"""Listing commands: headlines (streamed), saved articles, search."""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from newsterm.cli.output import (
    CommandError,
    err,
    fail,
    iso,
    iso_epoch,
    out,
    plural,
    print_json,
    print_json_array,
)
from newsterm.models import Headline
from newsterm.text.sanitize import one_line
from newsterm.text.time_format import clock_text, day_header

# Rows read per query when a listing streams (headlines).
_PAGE_ROWS = 1000
# Failures listed one per line after `refresh --articles`; the rest are counted.


async def headlines_command(library: Any, args: argparse.Namespace) -> int:
    if not library.offline:
        statuses = await library.refresh()
        for status in statuses:
            if not status.ok:
                fail(f"{status.source.display_name}: {status.message}")
        if library.offline:
            fail(library.status_line())
    if args.limit < 0:
        raise CommandError("--limit takes 0 (every headline) or more")
    rows = _ticker_rows(library, args.limit, muted=args.all, watched=args.watched)
    desk = library.desk
    if args.json:
        sources = {s.id: s.url for s in library.store.sources()}  # once, not per row
        print_json_array(
            {
                "title": row.title,
                "url": Headline.link_of(row.url),  # null: the site lists it without a link
                "published": row.published.isoformat() if row.published else None,
                "label": row.label,
                "source": sources.get(row.source_id),
                "story": row.story,
                "watch": [rule.text for rule in desk.watch_matches(row)],
                "muted": row.muted,
            }
            for row in rows
        )
        return 0
    first = next(rows, None)
    if not args.all and (muted := library.muted_count()):
        err(f"{muted} muted (--all shows them)")
    if first is None:
        if args.watched:
            raise CommandError("no headline matches a watch rule")
        if library.offline:
            raise CommandError("no headlines cached yet (offline)")
        raise CommandError("no headlines: every source failed or listed nothing")
    zone = library.display_zone()
    several = len(library.sources()) > 1
    day: object = None
    for index, row in enumerate(itertools.chain([first], rows)):
        local = row.published.astimezone(zone) if row.published else None
        row_day = local.date() if local else "undated"
        if index == 0 or row_day != day:
            if index:
                out("")
            out(day_header(local.date()) if local else "Undated")
            day = row_day
        clock = clock_text(local) if local else "     "
        label = f"{row.label.upper()}  " if row.label else ""
        source = f"[{row.source_name}] " if several else ""
        mark = ("» " if desk.watch_matches(row) else "") + ("(muted) " if row.muted else "")
        out(f"{clock}  {mark}{label}{source}{row.title}")
    return 0


def _ticker_rows(
    library: Any, limit: int, *, muted: bool = False, watched: bool = False
) -> Iterator[Any]:
    """The ticker's rows newest first, `limit` at most (0: every one), read a page at a time
    by key: a million rows go through with the memory of one page. With `muted`, rows mute
    rules hide are listed too; with `watched`, only rows a watch rule matches (filtered as
    they stream: the limit counts matches)."""
    window = library.ticker_with_muted() if muted else library.ticker
    if watched:
        found = library.desk.watched(_window_rows(window, 0))
        return itertools.islice(found, limit) if limit > 0 else found
    return _window_rows(window, limit)


def _window_rows(window: Any, limit: int) -> Iterator[Any]:
    left = limit if limit > 0 else None
    size = min(left or _PAGE_ROWS, _PAGE_ROWS)
    page = window.newest(size)
    while page:
        if left is not None:
            page = page[:left]
            left -= len(page)
        yield from page
        if left == 0 or len(page) < size:
            return
        size = min(left or _PAGE_ROWS, _PAGE_ROWS)
        page = window.older_than(page[-1].key, size)


async def saved_command(library: Any, args: argparse.Namespace) -> int:
    items = library.saved()
    if args.json:
        print_json(
            [
                {
                    "url": s.article.url,
                    "title": s.article.title,
                    "published": iso(s.article.published),
                    "saved_at": iso_epoch(s.saved_at),
                }
                for s in items
            ]
        )
        return 0
    zone = library.display_zone()
    for stored in items:
        when = datetime.fromtimestamp(stored.saved_at, zone).strftime("%Y-%m-%d %H:%M")
        out(f"{when}  {stored.article.title}\n                  {stored.article.url}")
    if not items:
        err("no saved articles")
    return 0


async def search_command(library: Any, args: argparse.Namespace) -> int:
    from newsterm.library import MATCH_END, MATCH_START

    query = " ".join(args.query)
    started = time.perf_counter()
    hits = library.search(query, args.limit)
    elapsed = time.perf_counter() - started
    if args.json:
        print_json(
            [
                {
                    "url": Headline.link_of(h.url),
                    "title": h.title,
                    "published": iso(h.published),
                    "snippet": h.snippet.replace(MATCH_START, "").replace(MATCH_END, ""),
                    "cached": h.cached,
                }
                for h in hits
            ]
        )
        return 0
    bold = sys.stdout.isatty()
    for hit in hits:
        snippet = one_line(hit.snippet)
        # Highlight after cleaning, so the only escape codes printed are ours.
        snippet = snippet.replace(MATCH_START, "\x1b[1m" if bold else "")
        snippet = snippet.replace(MATCH_END, "\x1b[0m" if bold else "")
        marker = "" if hit.cached else " (headline only)"
        link = Headline.link_of(hit.url) or "(no link)"
        print(f"{one_line(hit.title)}{marker}\n  {link}\n  {snippet}\n")
    err(f"{plural(len(hits), 'result')} in {elapsed * 1000:.0f} ms")
    return 0
