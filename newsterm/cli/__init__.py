"""Command line: starts the TUI, or runs a one-shot command (headlines, read, save, search…)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from newsterm import __version__
from newsterm.cli.articles import (
    export_command,
    read_command,
    refresh_command,
    save_command,
    unsave_command,
)
from newsterm.cli.desk import add_rule_commands, run_rule_command
from newsterm.cli.listings import headlines_command, saved_command, search_command
from newsterm.cli.output import CommandError, fail, os_error_text, url_argument
from newsterm.cli.sources import cache_command, opml_command, sources_command
from newsterm.config import ConfigError, Settings, load_settings
from newsterm.text.time_format import check_display_zone


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
    headlines.add_argument(
        "--watched", action="store_true", help="only headlines a watch rule matches"
    )
    headlines.add_argument("--all", action="store_true", help="muted headlines too")

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
    add_rule_commands(command, common)
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
            args.source = [url_argument(url) for url in args.source]
        if args.command is None:
            return _run_tui(settings, getattr(args, "source", None))
        handler = _COMMANDS[args.command]
        return asyncio.run(_with_library(settings, args, handler))
    except (ConfigError, CommandError) as error:
        fail(str(error))
        return 2 if isinstance(error, ConfigError) else 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0  # `newsterm headlines | head` is not an error
    except OSError as error:
        # A file or folder the user named (or the data folder) that cannot be used: a
        # directory given as a file, a file as a folder, no permission, a full disk.
        fail(os_error_text(error))
        return 1
    except Exception as error:  # a bug: still one line, never a traceback on the terminal
        fail(f"unexpected error ({type(error).__name__}: {error}); please report it")
        return 70


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
            fail(library.open_notice)
        return await handler(library, args)
    except (StoreError, ValueError) as error:
        raise CommandError(str(error)) from None
    finally:
        await library.aclose()


# -- commands ----------------------------------------------------------------------------------


_COMMANDS: dict[str, Handler] = {
    "headlines": headlines_command,
    "refresh": refresh_command,
    "read": read_command,
    "save": save_command,
    "unsave": unsave_command,
    "saved": saved_command,
    "search": search_command,
    "export": export_command,
    "sources": sources_command,
    "opml": opml_command,
    "cache": cache_command,
    "watch": run_rule_command,
    "mute": run_rule_command,
}


# -- output ------------------------------------------------------------------------------------


def _check_display_zone(settings: Settings) -> None:
    try:
        check_display_zone(settings.display_timezone)
    except ValueError:
        raise CommandError(f"unknown time zone: {settings.display_timezone}") from None
