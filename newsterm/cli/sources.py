"""Source and cache commands: sources add/list/remove, OPML, cache upkeep."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from newsterm.cli.output import CommandError, err, out, plural, print_json, size_text, url_argument
from newsterm.text.sanitize import one_line


async def sources_command(library: Any, args: argparse.Namespace) -> int:
    if args.action == "list":
        known = library.store.sources()
        if args.json:
            print_json(
                [{"url": s.url, "name": s.display_name, "timezone": s.timezone} for s in known]
            )
        for source in known if not args.json else []:
            state = library.store.fetch_state(source.url)
            last = (
                f"ok {time.strftime('%Y-%m-%d %H:%M', time.localtime(state.last_success))}"
                if state.last_success
                else "never fetched"
            )
            error = f"; last error: {state.last_error}" if state.last_error else ""
            out(f"{source.display_name}  {source.url}  ({last}{error})")
        return 0
    if args.action == "add":
        if args.timezone:
            from newsterm.text.zones import zone

            zone(args.timezone)  # an unknown zone is refused now, not when an article is read
        url = url_argument(args.url)
        name = one_line(args.name)
        if library.offline:
            source = library.add_source(url, name, args.timezone)
            err(f"added {source.display_name}: {source.url} (not checked: offline)")
            return 0
        status = await library.add_source_checked(url, name, args.timezone)
        if not status.ok:
            raise CommandError(f"not added: {url}: {status.message}")
        source = status.source
        err(f"added {source.display_name}: {source.url} ({plural(status.total, 'headline')})")
        return 0
    removed = library.remove_source(url_argument(args.url)) if _looks_valid(args.url) else False
    if not removed and not library.remove_source(args.url):
        raise CommandError(f"no such source: {args.url}")
    err(f"removed: {args.url}")
    return 0


def _looks_valid(url: str) -> bool:
    from newsterm.text.urls import clean_url

    return clean_url(url) is not None


async def opml_command(library: Any, args: argparse.Namespace) -> int:
    from newsterm.formats.opml import read_opml, write_opml

    if args.action == "import":
        try:
            body = args.file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {args.file}: {error.strerror}") from None
        try:
            found = read_opml(body)  # all or nothing: a broken file adds no source
        except ValueError as error:
            raise CommandError(f"{args.file}: {error}; nothing imported") from None
        if not found:
            raise CommandError(f"{args.file}: no http(s) feed or page in it; nothing imported")
        for url, name in found:
            library.add_source(url, name)
        err(f"imported {plural(len(found), 'source')}")
        return 0
    text = write_opml(library.store.sources(), library.store.source_kinds())
    if args.file:
        try:
            args.file.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {args.file}: {error.strerror}") from None
    else:
        sys.stdout.write(text)
    return 0


async def cache_command(library: Any, args: argparse.Namespace) -> int:
    if args.action == "vacuum":
        before = library.cache_info().file_bytes
        library.vacuum()
        after = library.cache_info().file_bytes
        err(f"vacuumed: {size_text(before)} → {size_text(after)}")
        return 0
    if args.action == "evict":
        articles, headlines = library.evict()
        err(f"evicted {articles} articles and {headlines} headlines")
        return 0
    info = library.cache_info()
    figures = {
        "path": str(info.path),
        "file_bytes": info.file_bytes,
        "sources": info.sources,
        "headlines": info.headlines,
        "articles": info.articles,
        "saved": info.saved,
        "revisions": info.revisions,
        "article_bytes": info.article_bytes,
    }
    if args.json:
        print_json(figures)
        return 0
    out(f"cache: {info.path} ({size_text(info.file_bytes)})")
    out(
        f"{plural(info.sources, 'source')}, {plural(info.headlines, 'headline')},"
        f" {plural(info.articles, 'article')} ({size_text(info.article_bytes)}),"
        f" {info.saved} saved,"
        f" {plural(info.revisions, 'revision')}"
    )
    return 0
