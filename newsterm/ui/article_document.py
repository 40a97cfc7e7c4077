"""An article's body blocks as Rich Text: web text never becomes markup or a live link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from itertools import groupby
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from newsterm.text.sanitize import for_terminal, screen_line
from newsterm.text.time_format import date_time_text

if TYPE_CHECKING:
    from newsterm.models import Article, BodyBlock, Span

WORDS_PER_MINUTE = 220
# Deeper nesting is drawn at this depth: past it an indent only narrows the text.
_MAX_INDENT_LEVEL = 4
# How each mark of a span looks (code takes the reader's code colour as well).
_MARK_STYLES = {"b": Style(bold=True), "i": Style(italic=True), "c": Style()}


class DocumentBlock(NamedTuple):
    """One block of the reader's document: its kind and its text (or list items, rows)."""

    kind: str
    """One of title, meta, lead, heading, paragraph, list, code, table, note, tags."""
    text: Text
    items: tuple[tuple[str, Text, int], ...] = ()
    """For lists: (marker, text, nesting level) per item."""
    rows: tuple[tuple[str, ...], ...] = ()
    """For tables: the rows of cells, each one line of screen-safe text."""
    quoted: bool = False
    """Whether the block sits in a block quote (drawn with a bar and in italics)."""


def spans_text(spans: Iterable[Span], styles: Mapping[str, Style]) -> Text:
    """Spans as Text: each as written, links as "text (url)", marks as bold/italic/code.

    Nothing in a span is read as markup: "*", "#", "[x](y)" and "[red]" come out as written.
    """
    text = Text()
    for href, group in groupby(spans, key=lambda span: span.href):
        parts = list(group)
        if href is None:
            for span in parts:
                text.append(for_terminal(span.text), _span_style(span.marks, styles))
            continue
        _append_link(text, parts, screen_line(href), styles)
    return text


def _append_link(text: Text, parts: list[Span], url: str, styles: Mapping[str, Style]) -> None:
    label = "".join(for_terminal(span.text) for span in parts)
    if not label.strip() or label.strip() == url:
        text.append(url, styles.get("url"))
        return
    for span in parts:
        text.append(for_terminal(span.text), _span_style(span.marks, styles))
    if url:
        text.append(" (")
        text.append(url, styles.get("url"))
        text.append(")")


def _span_style(marks: str, styles: Mapping[str, Style]) -> Style | None:
    if not marks:
        return None
    style = Style()
    for mark in marks:
        style += _MARK_STYLES.get(mark, Style())
        if mark == "c":
            style += styles.get("code") or Style()
    return style


def body_document(blocks: Iterable[BodyBlock], styles: Mapping[str, Style]) -> list[DocumentBlock]:
    """The extractor's body blocks as the reader's blocks; no text is parsed on the way."""
    document = []
    for block in blocks:
        shown = _document_block(block, styles)
        if shown is not None:
            document.append(shown._replace(quoted=bool(block.quote)))
    return document


def _document_block(block: BodyBlock, styles: Mapping[str, Style]) -> DocumentBlock | None:
    kind = block.kind
    if kind in ("paragraph", "heading"):
        text = spans_text(block.spans, styles)
        return DocumentBlock(kind, text) if text.plain.strip() else None
    if kind == "list":
        items = tuple(
            (screen_line(item.marker) or "•", spans_text(item.spans, styles), item.depth)
            for item in block.items
        )
        return DocumentBlock("list", Text(""), items) if items else None
    if kind == "code":
        code = "\n".join(for_terminal(line).expandtabs(4) for line in block.lines)
        return DocumentBlock("code", Text(code)) if code.strip() else None
    if kind == "table":
        rows = tuple(tuple(screen_line(cell) for cell in row) for row in block.rows)
        rows = tuple(row for row in rows if any(row))
        return DocumentBlock("table", Text(""), rows=rows) if rows else None
    return None


def _plain_paragraphs(text: str) -> list[DocumentBlock]:
    """An article cached without blocks: its plain text, a paragraph per blank-line part."""
    return [
        DocumentBlock("paragraph", Text(screen_line(part)))
        for part in for_terminal(text).split("\n\n")
        if part.strip()
    ]


def article_blocks(
    article: Article,
    zone: tzinfo | None,
    styles: Mapping[str, Style],
    *,
    notes: tuple[str, ...] = (),
) -> list[DocumentBlock]:
    """The whole reader document: title, a date/byline/host line, reading time, lead, body."""
    blocks = [DocumentBlock("title", Text(screen_line(article.title) or "(untitled)"))]
    meta = []
    if article.published:
        meta.append(date_time_text(article.published, zone))
    if article.byline:
        meta.append(screen_line(article.byline))
    host = urlsplit(article.url).hostname
    if host:
        meta.append(screen_line(host))
    minutes = max(1, round(article.word_count / WORDS_PER_MINUTE))
    meta.append(f"{minutes} min read")
    blocks.append(DocumentBlock("meta", Text(" · ".join(meta))))
    for note in notes:
        blocks.append(DocumentBlock("note", Text(screen_line(note))))
    body = body_document(article.blocks, styles) or _plain_paragraphs(article.text)
    lead = screen_line(article.lead or "")
    if lead and not (body and screen_line(body[0].text.plain).startswith(lead)):
        blocks.append(DocumentBlock("lead", Text(lead)))
    blocks.extend(body)
    if not body and not lead:
        blocks.append(DocumentBlock("note", Text("This article has no text.")))
    if article.tags:
        tags = ", ".join(screen_line(tag) for tag in article.tags)
        blocks.append(DocumentBlock("tags", Text(f"Tags: {tags}")))
    return blocks


def blocks_plain(blocks: list[DocumentBlock]) -> str:
    """The document as plain text, one blank line between blocks (for tests and copying)."""
    parts = []
    for block in blocks:
        if block.kind == "list":
            parts.append("\n".join(f"{marker} {text.plain}" for marker, text, _ in block.items))
        elif block.kind == "table":
            parts.append("\n".join(" | ".join(cell for cell in row if cell) for row in block.rows))
        else:
            parts.append(block.text.plain)
    return "\n\n".join(parts)


def blocks_renderable(blocks: list[DocumentBlock], styles: Mapping[str, Style]) -> RenderableType:
    """The blocks as one Rich renderable, with the spacing and indents a reader expects."""
    parts: list[RenderableType] = []
    for position, block in enumerate(blocks):
        if position and block.kind not in ("meta",):
            parts.append(Text(""))
        parts.append(_block_renderable(block, styles))
    return Group(*parts)


def _block_renderable(block: DocumentBlock, styles: Mapping[str, Style]) -> RenderableType:
    if not block.quoted:
        return _unquoted_renderable(block, styles)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    inner = _unquoted_renderable(block, styles, styles.get("quote"))
    grid.add_row(Text("▌", styles.get("quote_bar")), inner)
    return grid


def _unquoted_renderable(
    block: DocumentBlock, styles: Mapping[str, Style], quote: Style | None = None
) -> RenderableType:
    kind = block.kind
    if kind == "list":
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for marker, text, level in block.items:
            indent = "  " * min(level, _MAX_INDENT_LEVEL)
            grid.add_row(Text(indent + marker, styles.get("bullet")), _styled(text, quote))
        return grid
    if kind == "table":
        table = Table.grid(padding=(0, 2))
        for _ in range(max(len(row) for row in block.rows)):
            table.add_column()
        for row in block.rows:
            table.add_row(*(Text(cell, quote or Style()) for cell in row))
        return table
    style_name = {
        "title": "title",
        "meta": "meta",
        "lead": "lead",
        "heading": "heading",
        "code": "code",
        "note": "note",
        "error": "error",
        "hint": "muted",
        "tags": "muted",
    }.get(kind)
    styled = _styled(block.text, styles.get(style_name) if style_name else None)
    return _styled(styled, quote)


def _styled(text: Text, style: Style | None) -> Text:
    if style is None:
        return text
    styled = text.copy()
    styled.stylize_before(style)
    return styled
