"""The `watch` and `mute` commands: add, list and remove the news desk's rules."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from newsterm.cli.output import err
from newsterm.text.sanitize import clean_text

LIST_HELP = {
    "watch": "mark headlines that match: words, source:URL or label:TEXT",
    "mute": "hide headlines that match: words, source:URL or label:TEXT",
}
_RULE_HELP = 'words (whole words, any case or accents), "source:URL" or "label:TEXT"'


def add_rule_commands(
    command: Callable[[str, str], argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `watch` and `mute` (each with add, list and remove) to the CLI's commands."""
    for list_name, text in LIST_HELP.items():
        parser = command(list_name, text)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        listing = actions.add_parser("list", parents=[common], help=f"list the {list_name} rules")
        listing.add_argument("--json", action="store_true")
        for action in ("add", "remove"):
            sub = actions.add_parser(action, parents=[common], help=f"{action} a {list_name} rule")
            sub.add_argument("rule", nargs="+", metavar="RULE", help=_RULE_HELP)


async def run_rule_command(library: Any, args: argparse.Namespace) -> int:
    """`newsterm watch|mute add|list|remove`; a bad or unknown rule raises RuleError (a
    ValueError, which the CLI prints as one line and exits non-zero on)."""
    list_name = args.command
    desk = library.desk
    if args.action == "list":
        entries = desk.rules(list_name)
        if args.json:
            items = [
                {"rule": e.rule.text, "kind": e.rule.kind, "from_config": e.from_config}
                for e in entries
            ]
            print(json.dumps(items, ensure_ascii=False, indent=2))
        for entry in [] if args.json else entries:
            print(clean_text(entry.rule.text + ("  (config)" if entry.from_config else "")))
        if not entries and not args.json:
            err(f"no {list_name} rules")
        return 0
    text = " ".join(args.rule)
    if args.action == "add":
        rule = desk.add(list_name, text)
        if list_name == "mute":
            err(f"muted: {rule.text} ({library.muted_count()} cached headlines muted in all)")
        else:
            err(f"watching: {rule.text}")
        return 0
    rule = desk.remove(list_name, text)
    err(f"removed: {rule.text}")
    return 0
