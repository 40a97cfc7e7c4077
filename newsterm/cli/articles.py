"""Article commands: refresh, read, save and unsave, export."""

from __future__ import annotations

import argparse
import asyncio
import re
from datetime import tzinfo
from pathlib import Path
from typing import Any

from newsterm.cli.output import (
    CommandError,
    err,
    iso_epoch,
    out,
    plural,
    print_json,
    url_argument,
)
from newsterm.config import Settings
from newsterm.text.time_format import date_time_text

# Failures listed one per line after `refresh --articles`; the rest are counted.
_SHOWN_ERRORS = 10
# What a URL starts with, as opposed to a file name.


# What a URL starts with, as opposed to a file name.
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


_HTTP_SCHEME = re.compile(r"[\x00-\x20]*https?:", re.IGNORECASE)


async def refresh_command(library: Any, args: argparse.Namespace) -> int:
    if library.offline:
        raise CommandError("cannot refresh in offline mode")

    def progress(status: Any) -> None:
        if status.state != "fetching":
            err(f"{status.source.display_name}: {status.message}")

    statuses = await library.refresh(on_progress=progress, force=True)
    failed = [s for s in statuses if not s.ok]
    if args.articles:

        def article_progress(done: int, total: int, url: str) -> None:
            err(f"articles: {done}/{total}")

        report = await library.prefetch_articles(limit=args.limit, on_progress=article_progress)
        for error in report.errors[:_SHOWN_ERRORS]:
            err(f"article failed: {error}")
        if len(report.errors) > _SHOWN_ERRORS:
            err(f"… and {len(report.errors) - _SHOWN_ERRORS} more failures")
        err(
            f"articles: {report.fetched} fetched, {report.cached} already cached,"
            f" {report.failed} failed, {report.revised} changed"
        )
    library.evict()
    if statuses and len(failed) == len(statuses):
        raise CommandError("every source failed to refresh")
    return 0


async def read_command(library: Any, args: argparse.Namespace) -> int:
    target = args.target
    if _is_file_argument(target):
        article = await _read_file(Path(target), args.url, library.settings)
        stored_info: dict[str, Any] = {}
    else:
        if not _URL_SCHEME.match(target.strip()):
            raise CommandError(f"no such file, and not an http(s) URL: {target}")
        target = url_argument(target)
        result = await library.open_article(target, reload=args.reload)
        if result.error:
            raise CommandError(result.error)
        if result.notice:
            err(result.notice)
        article = result.article
        stored_info = {
            "from_cache": result.from_cache,
            "saved": result.stored.saved,
            "fetched_at": iso_epoch(result.stored.fetched_at),
            "revisions": result.stored.revision_count,
        }
        library.mark_read(target)
    if args.json:
        from newsterm.formats.article_json import article_to_json

        print_json(article_to_json(article) | stored_info)
    elif args.markdown:
        out(article_markdown(article, library.display_zone()))
    else:
        out(article_plain(article, library.display_zone()))
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
    page_url = url_argument(url) if url else path.resolve().as_uri()
    timezone = settings.sources[0].timezone if settings.sources else "UTC"
    try:
        return await asyncio.to_thread(extract_article, body, page_url, timezone=timezone)
    except Exception as error:  # the extractor's own errors carry a one-line message
        raise CommandError(f"cannot extract {path}: {error}") from None


async def save_command(library: Any, args: argparse.Namespace) -> int:
    url = url_argument(args.url)
    already = library.is_saved(url)
    result = await library.save(url)
    if result.error:
        raise CommandError(result.error)
    err(f"{'already saved' if already else 'saved'}: {result.article.title or url}")
    return 0


async def unsave_command(library: Any, args: argparse.Namespace) -> int:
    # As given too: a cache from an older version may hold the URL uncleaned.
    if not library.unsave(url_argument(args.url)) and not library.unsave(args.url):
        raise CommandError(f"not saved: {args.url}")
    err(f"unsaved: {args.url}")
    return 0


async def export_command(library: Any, args: argparse.Namespace) -> int:
    if args.directory.exists() and not args.directory.is_dir():
        raise CommandError(f"cannot export to {args.directory}: it is a file, not a folder")
    try:
        paths = library.export(args.directory, args.format, saved_only=not args.all)
    except OSError as error:
        where = error.filename or args.directory
        raise CommandError(f"cannot export to {where}: {error.strerror or error}") from None
    err(f"exported {plural(len(paths), 'article')} to {args.directory}")
    return 0


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
