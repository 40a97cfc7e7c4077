"""Article Markdown as Rich Text blocks: web text never becomes markup or a live link."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from newsterm.text.sanitize import for_terminal, screen_line
from newsterm.text.time_format import date_time_text

if TYPE_CHECKING:
    from newsterm.models import Article

WORDS_PER_MINUTE = 220

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^(?:-\s*){3,}$|^(?:\*\s*){3,}$|^(?:_\s*){3,}$")
_SETEXT = re.compile(r"^(=+|-+)$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+•]|\d{1,9}[.)])\s+(.*)$")
_FENCE = re.compile(r"^(```|~~~)")
# One alternative per inline form, tried left to right; the text between matches is plain.
_INLINE = re.compile(
    r"""
    (?P<escape>\\[\\`*_{}\[\]()#+\-.!>~|])
    |(?P<code>`+)(?P<code_text>.+?)(?P=code)
    |!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+"[^"]*")?\)
    |\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]
        \((?P<href><[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+"[^"]*")?\)
    |<(?P<auto>(?:https?|mailto):[^>\s]+)>
    |\*\*(?P<strong>.+?)\*\*
    |__(?P<strong2>.+?)__
    |\*(?P<em>[^*\s](?:.*?[^*\s])?)\*
    |(?<![\w])_(?P<em2>[^_\s](?:.*?[^_\s])?)_(?![\w])
    """,
    re.VERBOSE,
)


class DocumentBlock(NamedTuple):
    """One block of the reader's document: its kind and its text (or list items)."""

    kind: str
    """One of title, meta, lead, heading, paragraph, list, quote, code, rule, note, tags."""
    text: Text
    items: tuple[tuple[str, Text, int], ...] = ()
    """For lists: (marker, text, nesting level) per item."""


def inline_text(source: str, styles: Mapping[str, Style], style: Style | None = None) -> Text:
    """Inline Markdown (emphasis, code, links, images) as Text, with links as "text (url)".

    The source is treated as plain text everywhere else: square brackets, "[red]" and the
    like come out exactly as written.
    """
    text = Text(style=style or Style())
    position = 0
    for match in _INLINE.finditer(source):
        if match.start() > position:
            text.append(source[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if kind == "escape":
            text.append(match.group("escape")[1])
        elif kind == "code_text":
            text.append(match.group("code_text"), styles.get("code"))
        elif kind == "src":
            alt = screen_line(match.group("alt")) or "image"
            text.append(f"[image: {alt}]", styles.get("muted"))
        elif kind == "href":
            _append_link(text, match.group("text"), match.group("href"), styles)
        elif kind == "auto":
            text.append(screen_line(match.group("auto")), styles.get("url"))
        elif kind in ("strong", "strong2"):
            text.append_text(inline_text(match.group(kind), styles, Style(bold=True)))
        elif kind in ("em", "em2"):
            text.append_text(inline_text(match.group(kind), styles, Style(italic=True)))
    if position < len(source):
        text.append(source[position:])
    return text


def _append_link(text: Text, label: str, href: str, styles: Mapping[str, Style]) -> None:
    url = screen_line(href.strip("<>"))
    shown = inline_text(label, styles)
    if not shown.plain.strip() or shown.plain.strip() == url:
        text.append(url, styles.get("url"))
        return
    text.append_text(shown)
    if url:
        text.append(" (")
        text.append(url, styles.get("url"))
        text.append(")")


def markdown_blocks(markdown: str, styles: Mapping[str, Style]) -> list[DocumentBlock]:
    """Block-level Markdown (headings, paragraphs, lists, quotes, code, rules) as blocks."""
    lines = for_terminal(markdown).split("\n")
    blocks: list[DocumentBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = " ".join(part.strip() for part in paragraph)
            blocks.append(DocumentBlock("paragraph", inline_text(joined, styles)))
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            flush()
            index += 1
            continue
        if _FENCE.match(stripped):
            flush()
            fence = stripped[:3]
            body: list[str] = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence):
                body.append(lines[index].expandtabs(4))
                index += 1
            blocks.append(DocumentBlock("code", Text("\n".join(body), styles.get("code"))))
            index += 1
            continue
        if paragraph and _SETEXT.match(stripped):
            heading = " ".join(part.strip() for part in paragraph)
            paragraph.clear()
            blocks.append(DocumentBlock("heading", inline_text(heading, styles)))
            index += 1
            continue
        heading_match = _HEADING.match(stripped)
        if heading_match:
            flush()
            blocks.append(DocumentBlock("heading", inline_text(heading_match.group(2), styles)))
            index += 1
            continue
        if _RULE.match(stripped):
            flush()
            blocks.append(DocumentBlock("rule", Text("")))
            index += 1
            continue
        if stripped.startswith(">"):
            flush()
            quoted: list[str] = []
            while index < len(lines) and lines[index].strip().startswith(">"):
                quoted.append(re.sub(r"^\s*>\s?", "", lines[index]))
                index += 1
            for inner in markdown_blocks("\n".join(quoted), styles):
                blocks.append(DocumentBlock("quote", inner.text, inner.items))
            continue
        if _LIST_ITEM.match(line) and not paragraph:
            items, index = _list_items(lines, index, styles)
            blocks.append(DocumentBlock("list", Text(""), items))
            continue
        if stripped.startswith("|"):
            flush()
            table: list[str] = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                table.append(lines[index].strip())
                index += 1
            blocks.append(DocumentBlock("code", Text("\n".join(table))))
            continue
        paragraph.append(stripped)
        index += 1
    flush()
    return blocks


def _list_items(
    lines: list[str], index: int, styles: Mapping[str, Style]
) -> tuple[tuple[tuple[str, Text, int], ...], int]:
    """Read consecutive list items (with continuation lines) starting at lines[index]."""
    raw: list[tuple[str, list[str], int]] = []
    while index < len(lines):
        line = lines[index]
        match = _LIST_ITEM.match(line)
        if match:
            level = len(match.group(1).expandtabs(4)) // 2
            marker = match.group(2)
            marker = "•" if marker in "-*+•" else marker
            raw.append((marker, [match.group(3)], level))
        elif line.strip() and raw and (line[:1].isspace() or not _starts_block(line)):
            raw[-1][1].append(line.strip())
        else:
            break
        index += 1
    items = tuple(
        (marker, inline_text(" ".join(parts), styles), min(level, 4))
        for marker, parts, level in raw
    )
    return items, index


def _starts_block(line: str) -> bool:
    stripped = line.strip()
    return bool(
        _HEADING.match(stripped) or stripped.startswith((">", "|")) or _FENCE.match(stripped)
    )


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
    body = markdown_blocks(article.markdown, styles) if article.markdown.strip() else []
    if not body:
        body = [
            DocumentBlock("paragraph", Text(screen_line(part)))
            for part in for_terminal(article.text).split("\n\n")
            if part.strip()
        ]
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
    kind = block.kind
    if kind == "list":
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for marker, text, level in block.items:
            grid.add_row(Text("  " * level + marker, styles.get("bullet")), text)
        return grid
    if kind == "quote":
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(Text("▌", styles.get("quote_bar")), _styled(block.text, styles.get("quote")))
        return grid
    if kind == "rule":
        return Text("─" * 24, styles.get("muted"))
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
    return _styled(block.text, styles.get(style_name) if style_name else None)


def _styled(text: Text, style: Style | None) -> Text:
    if style is None:
        return text
    styled = text.copy()
    styled.stylize_before(style)
    return styled
