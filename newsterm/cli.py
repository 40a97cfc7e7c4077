"""Command line: starts the TUI, or runs a one-shot command (headlines, read, save, search…)."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import sys
import time
from collections.abc import Callable, Coroutine, Iterable, Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from newsterm import __version__
from newsterm.config import ConfigError, Settings, load_settings
from newsterm.sanitize import clean_text, one_line
from newsterm.time_format import check_display_zone, clock_text, date_time_text, day_header

# Rows read per query when a listing streams (headlines).
_PAGE_ROWS = 1000
# Failures listed one per line after `refresh --articles`; the rest are counted.
_SHOWN_ERRORS = 10
# What a URL starts with, as opposed to a file name.
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HTTP_SCHEME = re.compile(r"[\x00-\x20]*https?:", re.IGNORECASE)


class CommandError(Exception):
    """A command that could not do what was asked; the message is printed as one line."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global options work before or after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a subcommand's copy of an option from overwriting the main parser's.
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="folder for the cache (NEWSTERM_DATA_DIR)"
    )
    common.add_argument(
        "--config", default=argparse.SUPPRESS, help="TOML settings file (NEWSTERM_CONFIG)"
    )
    common.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the cache only; never touch the network",
    )
    common.add_argument(
        "--source",
        action="append",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="add this news list or feed if new, and show only the sources given (repeatable)",
    )
    common.add_argument(
        "--tz",
        default=argparse.SUPPRESS,
        metavar="ZONE",
        help="show times in this zone: an IANA name, or 'local' for the machine's"
        " (default: the sources' own zone, as the site shows it)",
    )

    parser = argparse.ArgumentParser(
        prog="newsterm",
        description="A terminal news reader: a live ticker, a clean reader, an offline cache.",
        parents=[common],
        epilog="Run without a command to open the reader. `newsterm COMMAND --help` for details.",
    )
    parser.add_argument("--version", action="version", version=f"newsterm {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=text, description=text)

    headlines = command("headlines", "print the ticker: day groups, times, labels, titles")
    headlines.add_argument("--json", action="store_true", help="a JSON array, one object each")
    headlines.add_argument(
        "--limit", type=int, default=100, help="how many (default 100; 0: every cached one)"
    )

    refresh = command("refresh", "fetch every source now")
    refresh.add_argument(
        "--articles", action="store_true", help="also fetch the ticker's articles for offline use"
    )
    refresh.add_argument("--limit", type=int, default=500, help="articles to prefetch at most")

    read = command("read", "print an article, cleaned (from a URL or a saved HTML file)")
    read.add_argument("target", metavar="URL_OR_FILE")
    read.add_argument("--url", help="the page's URL, when reading a file (for links and rules)")
    form = read.add_mutually_exclusive_group()
    form.add_argument("--markdown", action="store_true", help="print Markdown")
    form.add_argument("--json", action="store_true", help="print JSON")
    read.add_argument("--reload", action="store_true", help="fetch again even if cached")

    save = command("save", "fetch (if needed) and keep an article for good")
    save.add_argument("url")
    unsave = command("unsave", "stop keeping a saved article")
    unsave.add_argument("url")
    saved = command("saved", "list saved articles")
    saved.add_argument("--json", action="store_true")

    search = command("search", "full-text search of cached articles and headlines")
    search.add_argument("query", nargs="+")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=20)

    export = command("export", "write articles to files, one each")
    export.add_argument("directory", type=Path)
    export.add_argument("--format", choices=["md", "html", "json"], default="md")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--saved", action="store_true", default=True, help="saved ones (default)")
    which.add_argument("--all", action="store_true", help="every cached article")

    sources = command("sources", "list, add or remove sources")
    sources_commands = sources.add_subparsers(dest="action", metavar="ACTION", required=True)
    sources_list = sources_commands.add_parser("list", parents=[common], help="list sources")
    sources_list.add_argument("--json", action="store_true")
    sources_add = sources_commands.add_parser(
        "add", parents=[common], help="add a news list page or feed"
    )
    sources_add.add_argument("url")
    sources_add.add_argument("--name", default="")
    sources_add.add_argument("--timezone", default=None, help="the zone the site writes times in")
    sources_remove = sources_commands.add_parser("remove", parents=[common], help="remove a source")
    sources_remove.add_argument("url")

    opml = command("opml", "import or export the source list as OPML")
    opml_commands = opml.add_subparsers(dest="action", metavar="ACTION", required=True)
    opml_import = opml_commands.add_parser(
        "import", parents=[common], help="add the feeds of an OPML file"
    )
    opml_import.add_argument("file", type=Path)
    opml_export = opml_commands.add_parser("export", parents=[common], help="print (or write) OPML")
    opml_export.add_argument("file", type=Path, nargs="?")

    cache = command("cache", "show or tidy the cache")
    cache_commands = cache.add_subparsers(dest="action", metavar="ACTION", required=True)
    cache_info = cache_commands.add_parser("info", parents=[common], help="counts and sizes")
    cache_info.add_argument("--json", action="store_true")
    cache_commands.add_parser("vacuum", parents=[common], help="compact the file")
    cache_commands.add_parser("evict", parents=[common], help="drop old unsaved articles now")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run newsterm; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(
            getattr(args, "config", None),
            getattr(args, "data_dir", None),
            offline=getattr(args, "offline", False),
        )
        if getattr(args, "tz", None):
            settings.display_timezone = args.tz
        _check_display_zone(settings)  # a bad --tz or config zone is said before anything runs
        if getattr(args, "source", None):
            args.source = [_url_argument(url) for url in args.source]
        if args.command is None:
            return _run_tui(settings, getattr(args, "source", None))
        handler = _COMMANDS[args.command]
        return asyncio.run(_with_library(settings, args, handler))
    except (ConfigError, CommandError) as error:
        _fail(str(error))
        return 2 if isinstance(error, ConfigError) else 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0  # `newsterm headlines | head` is not an error
    except OSError as error:
        # A file or folder the user named (or the data folder) that cannot be used: a
        # directory given as a file, a file as a folder, no permission, a full disk.
        _fail(_os_error_text(error))
        return 1
    except Exception as error:  # a bug: still one line, never a traceback on the terminal
        _fail(f"unexpected error ({type(error).__name__}: {error}); please report it")
        return 70


def _os_error_text(error: OSError) -> str:
    """ "NAME: reason" for an OSError, e.g. "notes.txt: Not a directory"."""
    reason = error.strerror or str(error)
    return f"{error.filename}: {reason}" if error.filename else reason


def _url_argument(text: str) -> str:
    """A URL given on the command line, read as a browser reads it; else a CommandError."""
    from newsterm.urls import UrlRefused, check_url

    try:
        return check_url(text)
    except UrlRefused as refused:
        raise CommandError(f"{refused}: {text}") from None


def _fail(message: str) -> None:
    print(f"newsterm: {one_line(message)}", file=sys.stderr)


def _run_tui(settings: Settings, sources: list[str] | None) -> int:
    from newsterm.ui.app import run_app

    return run_app(settings, sources)


Handler = Callable[[Any, argparse.Namespace], Coroutine[Any, Any, int]]


async def _with_library(settings: Settings, args: argparse.Namespace, handler: Handler) -> int:
    from newsterm.library import Library
    from newsterm.store import StoreError

    try:
        library = Library.open(settings, source_urls=getattr(args, "source", None))
    except (StoreError, ValueError) as error:
        raise CommandError(str(error)) from None
    try:
        if library.open_notice:
            _fail(library.open_notice)
        return await handler(library, args)
    except (StoreError, ValueError) as error:
        raise CommandError(str(error)) from None
    finally:
        await library.aclose()


# -- commands ----------------------------------------------------------------------------------


async def _headlines(library: Any, args: argparse.Namespace) -> int:
    if not library.offline:
        statuses = await library.refresh()
        for status in statuses:
            if not status.ok:
                _fail(f"{status.source.display_name}: {status.message}")
        if library.offline:
            _fail(library.status_line())
    if args.limit < 0:
        raise CommandError("--limit takes 0 (every headline) or more")
    rows = _ticker_rows(library, args.limit)
    if args.json:
        sources = {s.id: s.url for s in library.store.sources()}  # once, not per row
        _print_json_array(
            {
                "title": row.title,
                "url": row.url,
                "published": row.published.isoformat() if row.published else None,
                "label": row.label,
                "source": sources.get(row.source_id),
            }
            for row in rows
        )
        return 0
    first = next(rows, None)
    if first is None:
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
                _out("")
            _out(day_header(local.date()) if local else "Undated")
            day = row_day
        clock = clock_text(local) if local else "     "
        label = f"{row.label.upper()}  " if row.label else ""
        source = f"[{row.source_name}] " if several else ""
        _out(f"{clock}  {label}{source}{row.title}")
    return 0


async def _refresh(library: Any, args: argparse.Namespace) -> int:
    if library.offline:
        raise CommandError("cannot refresh in offline mode")

    def progress(status: Any) -> None:
        if status.state != "fetching":
            _err(f"{status.source.display_name}: {status.message}")

    statuses = await library.refresh(on_progress=progress, force=True)
    failed = [s for s in statuses if not s.ok]
    if args.articles:

        def article_progress(done: int, total: int, url: str) -> None:
            _err(f"articles: {done}/{total}")

        report = await library.prefetch_articles(limit=args.limit, on_progress=article_progress)
        for error in report.errors[:_SHOWN_ERRORS]:
            _err(f"article failed: {error}")
        if len(report.errors) > _SHOWN_ERRORS:
            _err(f"… and {len(report.errors) - _SHOWN_ERRORS} more failures")
        _err(
            f"articles: {report.fetched} fetched, {report.cached} already cached,"
            f" {report.failed} failed, {report.revised} changed"
        )
    library.evict()
    if statuses and len(failed) == len(statuses):
        raise CommandError("every source failed to refresh")
    return 0


async def _read(library: Any, args: argparse.Namespace) -> int:
    target = args.target
    if _is_file_argument(target):
        article = await _read_file(Path(target), args.url, library.settings)
        stored_info: dict[str, Any] = {}
    else:
        if not _URL_SCHEME.match(target.strip()):
            raise CommandError(f"no such file, and not an http(s) URL: {target}")
        target = _url_argument(target)
        result = await library.open_article(target, reload=args.reload)
        if result.error:
            raise CommandError(result.error)
        if result.notice:
            _err(result.notice)
        article = result.article
        stored_info = {
            "from_cache": result.from_cache,
            "saved": result.stored.saved,
            "fetched_at": _iso_epoch(result.stored.fetched_at),
            "revisions": result.stored.revision_count,
        }
        library.mark_read(target)
    if args.json:
        from newsterm.extract.article_json import article_to_json

        _print_json(article_to_json(article) | stored_info)
    elif args.markdown:
        _out(article_markdown(article, library.display_zone()))
    else:
        _out(article_plain(article, library.display_zone()))
    return 0


def _is_file_argument(target: str) -> bool:
    """Whether `read` was given a file: an existing path that does not start with http(s):."""
    if _HTTP_SCHEME.match(target):
        return False
    try:
        return Path(target).exists()
    except (OSError, ValueError):  # a NUL byte, a name too long: not a file we can read
        return False


async def _read_file(path: Path, url: str | None, settings: Settings) -> Any:
    from newsterm.extract import extract_article

    try:
        body = path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    page_url = _url_argument(url) if url else path.resolve().as_uri()
    timezone = settings.sources[0].timezone if settings.sources else "UTC"
    try:
        return await asyncio.to_thread(extract_article, body, page_url, timezone=timezone)
    except Exception as error:  # the extractor's own errors carry a one-line message
        raise CommandError(f"cannot extract {path}: {error}") from None


async def _save(library: Any, args: argparse.Namespace) -> int:
    url = _url_argument(args.url)
    result = await library.save(url)
    if result.error:
        raise CommandError(result.error)
    _err(f"saved: {result.article.title or url}")
    return 0


async def _unsave(library: Any, args: argparse.Namespace) -> int:
    # As given too: a cache from an older version may hold the URL uncleaned.
    if not library.unsave(_url_argument(args.url)) and not library.unsave(args.url):
        raise CommandError(f"not saved: {args.url}")
    _err(f"unsaved: {args.url}")
    return 0


async def _saved(library: Any, args: argparse.Namespace) -> int:
    items = library.saved()
    if args.json:
        _print_json(
            [
                {
                    "url": s.article.url,
                    "title": s.article.title,
                    "published": _iso(s.article.published),
                    "saved_at": _iso_epoch(s.saved_at),
                }
                for s in items
            ]
        )
        return 0
    zone = library.display_zone()
    for stored in items:
        when = datetime.fromtimestamp(stored.saved_at, zone).strftime("%Y-%m-%d %H:%M")
        _out(f"{when}  {stored.article.title}\n                  {stored.article.url}")
    if not items:
        _err("no saved articles")
    return 0


async def _search(library: Any, args: argparse.Namespace) -> int:
    from newsterm.library import MATCH_END, MATCH_START

    query = " ".join(args.query)
    started = time.perf_counter()
    hits = library.search(query, args.limit)
    elapsed = time.perf_counter() - started
    if args.json:
        _print_json(
            [
                {
                    "url": h.url,
                    "title": h.title,
                    "published": _iso(h.published),
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
        print(f"{one_line(hit.title)}{marker}\n  {hit.url}\n  {snippet}\n")
    _err(f"{_count(len(hits), 'result')} in {elapsed * 1000:.0f} ms")
    return 0


async def _export(library: Any, args: argparse.Namespace) -> int:
    if args.directory.exists() and not args.directory.is_dir():
        raise CommandError(f"cannot export to {args.directory}: it is a file, not a folder")
    try:
        paths = library.export(args.directory, args.format, saved_only=not args.all)
    except OSError as error:
        where = error.filename or args.directory
        raise CommandError(f"cannot export to {where}: {error.strerror or error}") from None
    _err(f"exported {_count(len(paths), 'article')} to {args.directory}")
    return 0


async def _sources(library: Any, args: argparse.Namespace) -> int:
    if args.action == "list":
        known = library.store.sources()
        if args.json:
            _print_json(
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
            _out(f"{source.display_name}  {source.url}  ({last}{error})")
        return 0
    if args.action == "add":
        if args.timezone:
            from newsterm.zones import zone

            zone(args.timezone)  # an unknown zone is refused now, not when an article is read
        url = _url_argument(args.url)
        name = one_line(args.name)
        if library.offline:
            source = library.add_source(url, name, args.timezone)
            _err(f"added {source.display_name}: {source.url} (not checked: offline)")
            return 0
        status = await library.add_source_checked(url, name, args.timezone)
        if not status.ok:
            raise CommandError(f"not added: {url}: {status.message}")
        source = status.source
        _err(f"added {source.display_name}: {source.url} ({_count(status.total, 'headline')})")
        return 0
    removed = library.remove_source(_url_argument(args.url)) if _looks_valid(args.url) else False
    if not removed and not library.remove_source(args.url):
        raise CommandError(f"no such source: {args.url}")
    _err(f"removed: {args.url}")
    return 0


def _looks_valid(url: str) -> bool:
    from newsterm.urls import clean_url

    return clean_url(url) is not None


async def _opml(library: Any, args: argparse.Namespace) -> int:
    from newsterm.opml import read_opml, write_opml

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
        _err(f"imported {_count(len(found), 'source')}")
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


async def _cache(library: Any, args: argparse.Namespace) -> int:
    if args.action == "vacuum":
        before = library.cache_info().file_bytes
        library.vacuum()
        after = library.cache_info().file_bytes
        _err(f"vacuumed: {_size(before)} → {_size(after)}")
        return 0
    if args.action == "evict":
        articles, headlines = library.evict()
        _err(f"evicted {articles} articles and {headlines} headlines")
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
        _print_json(figures)
        return 0
    _out(f"cache: {info.path} ({_size(info.file_bytes)})")
    _out(
        f"{_count(info.sources, 'source')}, {_count(info.headlines, 'headline')},"
        f" {_count(info.articles, 'article')} ({_size(info.article_bytes)}), {info.saved} saved,"
        f" {_count(info.revisions, 'revision')}"
    )
    return 0


_COMMANDS: dict[str, Handler] = {
    "headlines": _headlines,
    "refresh": _refresh,
    "read": _read,
    "save": _save,
    "unsave": _unsave,
    "saved": _saved,
    "search": _search,
    "export": _export,
    "sources": _sources,
    "opml": _opml,
    "cache": _cache,
}


# -- output ------------------------------------------------------------------------------------


def article_plain(article: Any, zone: tzinfo | None) -> str:
    """The article as plain text: title, a date/byline line, then the body."""
    parts = [article.title or "(untitled)"]
    meta = _article_meta(article, zone)
    if meta:
        parts.append(meta)
    body = article.text
    if article.lead and not body.startswith(article.lead):
        body = f"{article.lead}\n\n{body}" if body else article.lead
    return "\n".join(parts) + ("\n\n" + body if body else "")


def article_markdown(article: Any, zone: tzinfo | None) -> str:
    """The article as Markdown: a heading, a date/byline line in italics, then the body."""
    parts = [f"# {article.title or '(untitled)'}"]
    meta = _article_meta(article, zone)
    if meta:
        parts.append(f"*{meta}*")
    body = article.markdown or article.text
    if article.lead and not article.text.startswith(article.lead):
        parts.append(f"**{article.lead}**")
    parts.append(body)
    return "\n\n".join(p for p in parts if p)


def _article_meta(article: Any, zone: tzinfo | None) -> str:
    from urllib.parse import urlsplit

    bits = []
    if article.published:
        bits.append(date_time_text(article.published, zone))
    if article.byline:
        bits.append(article.byline)
    host = urlsplit(article.url).hostname
    if host:
        bits.append(host)
    return " · ".join(bits)


def _check_display_zone(settings: Settings) -> None:
    try:
        check_display_zone(settings.display_timezone)
    except ValueError:
        raise CommandError(f"unknown time zone: {settings.display_timezone}") from None


def _count(number: int, noun: str) -> str:
    """A count and its noun: "1 result", "2 results"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _out(text: str) -> None:
    # Cached text was cleaned when stored; cleaning again on the way out costs little and
    # protects the terminal from rows written by an older version.
    print(clean_text(text))


def _err(text: str) -> None:
    print(one_line(text), file=sys.stderr)


def _ticker_rows(library: Any, limit: int) -> Iterator[Any]:
    """The ticker's rows newest first, `limit` at most (0: every one), read a page at a time
    by key: a million rows go through with the memory of one page."""
    window = library.ticker
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


def _print_json_array(items: Iterable[Any]) -> None:
    """A JSON array written as it is made, one compact object per line: the memory of one
    item whatever the count, and still one JSON document for any JSON reader."""
    out = sys.stdout
    separator = "[\n"
    for item in items:
        out.write(separator)
        out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _iso_epoch(value: float | None) -> str | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value).astimezone().isoformat(timespec="seconds")


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
