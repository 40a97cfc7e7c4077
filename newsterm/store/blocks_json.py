"""An article's body blocks as versioned JSON and back; anything unreadable reads as none."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from newsterm.models import MAX_LIST_DEPTH, BodyBlock, ListItem, Span

# Bump when the shape changes; a cache holding another version reads as "no blocks", and
# the reader shows the article's plain text until the page is extracted again.
FORMAT_VERSION = 1
KINDS = frozenset({"paragraph", "heading", "list", "code", "table"})
# Caps on what is read back (the extractor stays far below them: 5,000 blocks at most).
# Past any of them the blocks are not read at all: a cache is never trusted to be sane.
MAX_JSON_CHARS = 8_000_000
MAX_BLOCKS = 5_000
MAX_SPANS = 2_000
MAX_ITEMS = 2_000
MAX_ROWS = 2_000
MAX_CELLS = 64
MAX_LINES = 20_000
MAX_MARKER_CHARS = 12
MAX_URL_CHARS = 2_000
_MARKS = "bic"
_LINK_PREFIXES = ("http://", "https://")


class _Unreadable(ValueError):
    """Some part of stored blocks is not what this module writes."""


def blocks_to_json(blocks: list[BodyBlock]) -> dict[str, Any]:
    """Blocks as JSON-able values: {"version": 1, "blocks": [{"kind": …}, …]}.

    A span is ["text"], ["text", "https://…"] for a link, or ["text", href-or-null, "bi"]
    with its marks; fields at their defaults are left out.
    """
    pieces = (piece for block in blocks for piece in _within_caps(block))
    return {"version": FORMAT_VERSION, "blocks": [_block_to_json(piece) for piece in pieces]}


def blocks_from_json(data: object) -> list[BodyBlock] | None:
    """The blocks `blocks_to_json` made `data` from; None when anything in it is not."""
    try:
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise _Unreadable("not a known version")
        blocks = _sized_list(data.get("blocks"), MAX_BLOCKS)
        return [_block_from_json(item) for item in blocks]
    except (_Unreadable, TypeError, ValueError):  # the last two: a backstop for what is missed
        return None


def encode_blocks(blocks: list[BodyBlock]) -> str:
    """Blocks as a JSON string for the cache; "" when there are none, or when they would
    not read back (too big, past a cap): the reader then shows the article's plain text."""
    if not blocks:
        return ""
    encoded = json.dumps(blocks_to_json(blocks), ensure_ascii=False, separators=(",", ":"))
    return encoded if decode_blocks(encoded) else ""


def decode_blocks(value: object) -> list[BodyBlock]:
    """Blocks from a cached JSON string; [] for NULL, "", or anything not valid blocks."""
    if not isinstance(value, str) or not value or len(value) > MAX_JSON_CHARS:
        return []
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return []
    return blocks_from_json(data) or []


def _within_caps(block: BodyBlock) -> list[BodyBlock]:
    """The block, or consecutive blocks of its kind that each stay within the read caps: a
    2,500-item list is two lists, where one over the cap would cost every block's structure."""
    parts = [
        ("spans", MAX_SPANS, block.spans),
        ("items", MAX_ITEMS, block.items),
        ("lines", MAX_LINES, block.lines),
        ("rows", MAX_ROWS, block.rows),
    ]
    for field, cap, values in parts:
        if len(values) > cap:
            return [
                dataclasses.replace(block, **{field: values[start : start + cap]})
                for start in range(0, len(values), cap)
            ]
    return [block]


def _block_to_json(block: BodyBlock) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": block.kind}
    if block.spans:
        data["spans"] = [_span_to_json(span) for span in block.spans]
    if block.level:
        data["level"] = block.level
    if block.quote:
        data["quote"] = block.quote
    if block.items:
        data["items"] = [
            [item.marker, item.depth, [_span_to_json(span) for span in item.spans]]
            for item in block.items
        ]
    if block.lines:
        data["lines"] = list(block.lines)
    if block.rows:
        data["rows"] = [list(row) for row in block.rows]
    return data


def _span_to_json(span: Span) -> list[str | None]:
    if span.marks:
        return [span.text, span.href, span.marks]
    if span.href:
        return [span.text, span.href]
    return [span.text]


def _block_from_json(data: object) -> BodyBlock:
    if not isinstance(data, dict):
        raise _Unreadable("a block is not an object")
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:  # a list or object is not hashable
        raise _Unreadable("unknown kind")
    return BodyBlock(
        kind=kind,
        spans=_spans(data.get("spans", [])),
        level=_number(data.get("level", 0), 6),
        quote=_number(data.get("quote", 0), MAX_BLOCKS),
        items=tuple(_item(item) for item in _sized_list(data.get("items", []), MAX_ITEMS)),
        lines=tuple(_text(line) for line in _sized_list(data.get("lines", []), MAX_LINES)),
        rows=tuple(_row(row) for row in _sized_list(data.get("rows", []), MAX_ROWS)),
    )


def _item(data: object) -> ListItem:
    if not isinstance(data, list) or len(data) != 3:
        raise _Unreadable("a list item is not [marker, depth, spans]")
    marker, depth, spans = data
    marker = _text(marker)
    if len(marker) > MAX_MARKER_CHARS:
        raise _Unreadable("a list marker is too long")
    return ListItem(marker, _spans(spans), _number(depth, MAX_LIST_DEPTH))


def _row(data: object) -> tuple[str, ...]:
    return tuple(_text(cell) for cell in _sized_list(data, MAX_CELLS))


def _spans(data: object) -> tuple[Span, ...]:
    return tuple(_span(item) for item in _sized_list(data, MAX_SPANS))


def _span(data: object) -> Span:
    if not isinstance(data, list) or not 1 <= len(data) <= 3:
        raise _Unreadable("a span is not [text, href?, marks?]")
    text = _text(data[0])
    href = data[1] if len(data) > 1 else None
    marks = data[2] if len(data) > 2 else ""
    if href is not None:
        href = _text(href)
        # Only a link a reader may follow is kept as one; the words stay either way.
        if len(href) > MAX_URL_CHARS or not href.lower().startswith(_LINK_PREFIXES):
            href = None
    if not isinstance(marks, str) or len(marks) > len(_MARKS):
        raise _Unreadable("span marks are not a string of b, i, c")
    marks = "".join(mark for mark in _MARKS if mark in marks)
    return Span(text, href, marks)


def _sized_list(data: object, limit: int) -> list[Any]:
    if not isinstance(data, list) or len(data) > limit:
        raise _Unreadable("not a list, or too long")
    return data


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _Unreadable("text is not a string")
    # Half of a surrogate pair ("\ud800" in JSON) can be decoded but never printed.
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _number(value: object, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise _Unreadable("not a small whole number")
    return value
