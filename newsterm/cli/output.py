"""What the commands print and how they fail: one line on stderr, JSON written as it is made."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from newsterm.text.sanitize import clean_text, one_line


class CommandError(Exception):
    """A command that could not do what was asked; the message is printed as one line."""


def os_error_text(error: OSError) -> str:
    """ "NAME: reason" for an OSError, e.g. "notes.txt: Not a directory"."""
    reason = error.strerror or str(error)
    return f"{error.filename}: {reason}" if error.filename else reason


def url_argument(text: str) -> str:
    """A URL given on the command line, read as a browser reads it; else a CommandError."""
    from newsterm.text.urls import UrlRefused, check_url

    try:
        return check_url(text)
    except UrlRefused as refused:
        raise CommandError(f"{refused}: {text}") from None


def fail(message: str) -> None:
    print(f"newsterm: {one_line(message)}", file=sys.stderr)


def plural(number: int, noun: str) -> str:
    """A count and its noun: "1 result", "2 results"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def out(text: str) -> None:
    # Cached text was cleaned when stored; cleaning again on the way out costs little and
    # protects the terminal from rows written by an older version.
    print(clean_text(text))


def err(text: str) -> None:
    print(one_line(text), file=sys.stderr)


def print_json_array(items: Iterable[Any]) -> None:
    """A JSON array written as it is made, one compact object per line: the memory of one
    item whatever the count, and still one JSON document for any JSON reader."""
    out = sys.stdout
    separator = "[\n"
    for item in items:
        out.write(separator)
        out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def iso_epoch(value: float | None) -> str | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value).astimezone().isoformat(timespec="seconds")


def size_text(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
