"""Turns a cleaned article element into blocks; blocks into text, Markdown and body blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsterm.models import MAX_LIST_DEPTH, BodyBlock, ListItem, Span
from newsterm.text.sanitize import clean_text, one_line

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that start a new block. Anything else is inline unless it contains one of these.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        *HEADING_TAGS,
    }
)
# Never shown: figure captions and credits are not part of the story's running text, and
# the rest carry no readable text.
SKIPPED_TAGS = frozenset(
    {
        "button",
        "figcaption",
        "head",
        "iframe",
        "input",
        "link",
        "meta",
        "noscript",
        "object",
        "script",
        "select",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
    }
)
# Where lazy-loading scripts keep an image's address until it scrolls into view.
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url")
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# What a reader may follow: the Markdown keeps mailto links, the body blocks do not.
_READER_LINK_SCHEMES = ("http://", "https://")
_IMAGE_SCHEMES = frozenset({"http", "https"})
_SPACE_RUN = re.compile(r"\s+")
# A line break, a run of other white space, or a word: how span text is tidied.
# White space around a line break, white space without one, and any white space.
_BREAK_RUN = re.compile(r"[^\S\n]*\n\s*")
_GAP_RUN = re.compile(r"[^\S\n]+")
_ANY_GAP_RUN = re.compile(r"\s+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# What would start a heading, quote, list or rule at the start of a line: "#", ">", "-",
# "+", "=", "~", or "1." / "1)" (escaped as "1\.").
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)](?:\s|$))|)([#>+=~-]|(?<=\d)[.)])")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22"}
# Python's recursion limit is 1000; libxml2 caps nesting at 256, but readability can add a
# few levels. Past this depth an element is flattened to its text.
_MAX_DEPTH = 200
_LINE_BREAK = "\n"
# No article has this many paragraphs; a hostile page's would only cost time.
MAX_BLOCKS = 5000


@dataclass(slots=True)
class Block:
    """One unit of the article body: a paragraph, heading, list, quote, code block or table."""

    kind: str
    """"paragraph", "heading", "list", "code" or "table"."""
    text: str
    """Plain text; lines of a list, code block or table are separated by single newlines."""
    markdown: str
    link_chars: int = 0
    """How many characters of `text` are link text (for link-density rules)."""
    level: int = 0
    """Heading level (1-6)."""
    quote_group: int = 0
    """Which block quote the block sits in (numbered from 1), 0 when in none."""
    hint: str = ""
    """Class and id of the element the block came from, lower-cased."""
    spans: tuple[Span, ...] = ()
    """The text of a paragraph or heading with its links and emphasis."""
    items: tuple[ListItem, ...] = ()
    """A list's items."""
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's rows of cells."""

    @property
    def link_density(self) -> float:
        """Share of the block's characters that are link text."""
        return self.link_chars / max(len(self.text), 1)


@dataclass(slots=True)
class _Run:
    """Inline content being collected into one paragraph."""

    text: list[str]
    markdown: list[str]
    spans: list[Span]
    link_chars: int = 0

    def add(self, text: str, markdown: str, link_chars: int = 0) -> None:
        """Add plain text (its Markdown escaped); its span has no link and no marks."""
        self.text.append(text)
        self.markdown.append(markdown)
        self.spans.append(Span(text))
        self.link_chars += link_chars

    def add_run(self, inner: _Run, text: str, markdown: str, spans: list[Span]) -> None:
        """Add an inline element's content: its text, Markdown and (restyled) spans."""
        self.text.append(text)
        self.markdown.append(markdown)
        self.spans.extend(spans)
        self.link_chars += inner.link_chars


def _new_run() -> _Run:
    return _Run([], [], [])


class _Converter:
    """Walks one element tree and emits blocks; keeps the state the walk needs."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.images: list[str] = []
        self.quote_depth = 0
        self.quotes_seen = 0

    # -- blocks ------------------------------------------------------------------------

    def container(self, element: HtmlElement, depth: int) -> None:
        """Emit the blocks of an element whose children may be blocks or inline content."""
        if len(self.blocks) >= MAX_BLOCKS:
            return
        run = _new_run()
        hint = _hint(element)
        if element.text:
            run.add(*_plain(element.text))
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in SKIPPED_TAGS and _is_block(child):
                self.flush(run, hint)
                run = _new_run()
                self.block(child, tag, depth + 1)
            elif tag and tag not in SKIPPED_TAGS:
                self.inline(child, run, depth + 1)
            if child.tail:
                run.add(*_plain(child.tail))
        self.flush(run, hint)

    def block(self, element: HtmlElement, tag: str, depth: int) -> None:
        if depth > _MAX_DEPTH:
            self.emit("paragraph", _flatten(element), hint=_hint(element))
            return
        if tag in HEADING_TAGS:
            run = _new_run()
            self.inline_children(element, run, depth)
            self.flush(run, _hint(element), kind="heading", level=int(tag[1]))
        elif tag in ("ul", "ol"):
            self.list_block(element, depth)
        elif tag == "blockquote":
            if not self.quote_depth:
                self.quotes_seen += 1
            self.quote_depth += 1
            self.container(element, depth)
            self.quote_depth -= 1
        elif tag == "pre":
            self.code_block(element)
        elif tag == "table" and not _is_layout_table(element):
            self.table_block(element)
        elif tag == "hr":
            return
        else:
            self.container(element, depth)

    def flush(self, run: _Run, hint: str, kind: str = "paragraph", level: int = 0) -> None:
        text = _join_lines("".join(run.text))
        if not text:
            return
        markdown = _join_lines("".join(run.markdown), hard_breaks=True)
        if kind == "heading":
            markdown = "#" * min(max(level, 2), 4) + " " + markdown.replace("\\\n", " ")
        else:
            markdown = _escape_line_start(markdown)
        spans = tidy_spans(run.spans, line_breaks=kind != "heading")
        self.emit(kind, text, markdown, run.link_chars, level, hint, spans=spans)

    def emit(
        self,
        kind: str,
        text: str,
        markdown: str | None = None,
        link_chars: int = 0,
        level: int = 0,
        hint: str = "",
        *,
        spans: tuple[Span, ...] | None = None,
        items: tuple[ListItem, ...] = (),
        rows: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        if not text:
            return
        if markdown is None:
            markdown = _escape_line_start(_escape(text))
        if self.quote_depth:
            markdown = "\n".join(f"> {line}" if line else ">" for line in markdown.split("\n"))
        group = self.quotes_seen if self.quote_depth else 0
        if spans is None:
            spans = (Span(text),) if kind in ("paragraph", "heading") else ()
        self.blocks.append(
            Block(kind, text, markdown, link_chars, level, group, hint, spans, items, rows)
        )

    def list_block(self, element: HtmlElement, depth: int) -> None:
        text_lines: list[str] = []
        markdown_lines: list[str] = []
        items: list[ListItem] = []
        link_chars = self.list_items(element, depth, ("", ""), text_lines, markdown_lines, items)
        if text_lines:
            self.emit(
                "list",
                "\n".join(text_lines),
                "\n".join(markdown_lines),
                link_chars,
                hint=_hint(element),
                items=tuple(items),
            )

    def list_items(
        self,
        element: HtmlElement,
        depth: int,
        pads: tuple[str, str],
        text_lines: list[str],
        markdown_lines: list[str],
        items: list[ListItem],
    ) -> int:
        """Add the lines of a list's items (and of lists nested in them); return link chars.

        `pads` are the indents of this list in the text and in the Markdown; a nested list
        is indented under its item's text, as CommonMark needs ("1. " is three wide).
        """
        text_pad, markdown_pad = pads
        ordered = element.tag == "ol"
        number = 0
        link_chars = 0
        for item in element:
            if item.tag != "li":
                continue
            number += 1
            run = _new_run()
            nested: list[HtmlElement] = []
            if item.text:
                run.add(*_plain(item.text))
            for child in item:
                if child.tag in ("ul", "ol"):
                    nested.append(child)
                elif isinstance(child.tag, str) and child.tag not in SKIPPED_TAGS:
                    # Paragraphs inside an item are joined into the item's one line.
                    if _is_block(child):
                        run.add(" ", " ")
                    self.inline(child, run, depth + 1, flatten_blocks=True)
                    if _is_block(child):
                        run.add(" ", " ")
                if child.tail:
                    run.add(*_plain(child.tail))
            marker = f"{number}." if ordered else "-"
            text = one_line("".join(run.text))
            if text:
                text_lines.append(f"{text_pad}{marker if ordered else '•'} {text}")
                markdown = _SPACE_RUN.sub(" ", "".join(run.markdown)).strip()
                markdown_lines.append(f"{markdown_pad}{marker} {_escape_line_start(markdown)}")
                spans = tidy_spans(run.spans, line_breaks=False)
                depth_shown = min(len(text_pad) // 2, MAX_LIST_DEPTH)
                items.append(ListItem(marker if ordered else "•", spans, depth_shown))
                link_chars += run.link_chars
            nested_pads = (text_pad + "  ", markdown_pad + " " * (len(marker) + 1))
            for sub_list in nested:
                if depth < _MAX_DEPTH:
                    link_chars += self.list_items(
                        sub_list, depth + 1, nested_pads, text_lines, markdown_lines, items
                    )
        return link_chars

    def code_block(self, element: HtmlElement) -> None:
        text = clean_text(element.text_content()).strip("\n")
        if not text.strip():
            return
        fence = "```"
        while fence in text:
            fence += "`"
        self.emit("code", text, f"{fence}\n{text}\n{fence}", hint=_hint(element), spans=())

    def table_block(self, element: HtmlElement) -> None:
        rows: list[list[str]] = []
        link_chars = 0
        for row in element.iter("tr"):
            cells = [one_line(cell.text_content()) for cell in row if cell.tag in ("td", "th")]
            link_chars += sum(len(one_line(a.text_content())) for a in row.iter("a"))
            if any(cells):
                rows.append(cells)
        if not rows:
            return
        width = max(len(row) for row in rows)
        if width == 1:
            for row in rows:
                self.emit("paragraph", row[0], hint=_hint(element))
            return
        text = "\n".join(" | ".join(cell for cell in row if cell) for row in rows)
        padded = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(_escape(cell) for cell in padded[0]) + " |"]
        lines.append("|" + " --- |" * width)
        lines.extend("| " + " | ".join(_escape(cell) for cell in row) + " |" for row in padded[1:])
        self.emit(
            "table",
            text,
            "\n".join(lines),
            link_chars,
            hint=_hint(element),
            rows=tuple(tuple(row) for row in rows),
        )

    # -- inline ------------------------------------------------------------------------

    def inline_children(self, element: HtmlElement, run: _Run, depth: int) -> None:
        if element.text:
            run.add(*_plain(element.text))
        for child in element:
            if isinstance(child.tag, str) and child.tag not in SKIPPED_TAGS:
                self.inline(child, run, depth + 1, flatten_blocks=True)
            if child.tail:
                run.add(*_plain(child.tail))

    def inline(
        self, element: HtmlElement, run: _Run, depth: int, flatten_blocks: bool = False
    ) -> None:
        """Add an inline element (link, emphasis, code, line break) to the current run."""
        tag = element.tag
        if depth > _MAX_DEPTH:
            run.add(*_plain(_flatten(element)))
            return
        if tag == "br":
            run.add(_LINE_BREAK, _LINE_BREAK)
            return
        if tag == "img":
            self.image(element)
            return
        inner = _new_run()
        self.inline_children(element, inner, depth)
        text = "".join(inner.text)
        markdown = "".join(inner.markdown)
        spans = inner.spans
        if tag == "a":
            href = _safe_url(element.get("href"), self.base_url, _LINK_SCHEMES)
            label = _SPACE_RUN.sub(" ", markdown).strip()
            visible = _SPACE_RUN.sub(" ", text).strip()
            if href and label and not _is_same_page_anchor(element.get("href")):
                markdown = _keep_spaces(markdown, f"[{label}]({href})")
                if href.startswith(_READER_LINK_SCHEMES):
                    spans = [Span(span.text, href, span.marks) for span in spans]
            inner.link_chars = len(visible)
            run.add_run(inner, text, markdown, spans)
            return
        mark = ""
        if tag in ("strong", "b") and text.strip():
            markdown = _keep_spaces(markdown, f"**{markdown.strip()}**")
            mark = "b"
        elif tag in ("em", "i") and text.strip():
            markdown = _keep_spaces(markdown, f"*{markdown.strip()}*")
            mark = "i"
        elif tag == "code" and text.strip():
            if "`" not in text:
                markdown = _keep_spaces(text, f"`{_SPACE_RUN.sub(' ', text).strip()}`")
            mark = "c"
        elif flatten_blocks and _is_block_tag(tag):
            text, markdown = f" {text} ", f" {markdown} "
            spans = [Span(" "), *spans, Span(" ")]
        if mark:
            spans = [Span(span.text, span.href, _with_mark(span.marks, mark)) for span in spans]
        run.add_run(inner, text, markdown, spans)

    def image(self, element: HtmlElement) -> None:
        src = element.get("src") or ""
        if src.startswith("data:") or not src:
            # A lazy image: the picture is in an attribute the page's script copies later.
            src = next((element.get(name) for name in _LAZY_SOURCES if element.get(name)), "")
            if not src:
                srcset = element.get("data-srcset") or element.get("srcset") or ""
                src = srcset.strip().split(" ")[0].rstrip(",")
        if src.startswith("data:"):
            return
        url = _safe_url(src, self.base_url, _IMAGE_SCHEMES)
        if url and url not in self.images:
            self.images.append(url)


def blocks_from_element(element: HtmlElement, base_url: str) -> tuple[list[Block], list[str]]:
    """The blocks of an element's content, and the image URLs found in it."""
    converter = _Converter(base_url)
    converter.container(element, 0)
    return converter.blocks, converter.images


def blocks_from_plain_text(text: str) -> list[Block]:
    """Blocks from plain text whose paragraphs are separated by blank lines (feed summaries)."""
    paragraphs = re.split(r"\n\s*\n", clean_text(text))
    blocks = []
    for paragraph in paragraphs:
        line = one_line(paragraph)
        if line:
            markdown = _escape_line_start(_escape(line))
            blocks.append(Block("paragraph", line, markdown, spans=(Span(line),)))
    return blocks


def body_blocks(blocks: list[Block]) -> list[BodyBlock]:
    """The blocks as the reader shows them: spans, list items, code lines, table rows."""
    return [
        BodyBlock(
            kind=block.kind,
            spans=block.spans,
            level=block.level,
            quote=block.quote_group,
            items=block.items,
            lines=tuple(block.text.split("\n")) if block.kind == "code" else (),
            rows=block.rows,
        )
        for block in blocks
    ]


def tidy_spans(spans: list[Span], *, line_breaks: bool = True) -> tuple[Span, ...]:
    """Spans as the block's text reads: white space folded, lines trimmed, empty ones and
    empty spans gone, neighbours that look alike joined.

    Their text joined is the block's `text`. The space between two differently styled
    spans goes to a plain neighbour, so no link or emphasis starts or ends with one.
    """
    # A span's words share its look, so its text is folded whole and added as one piece;
    # only the gaps at its ends are weighed against its neighbours.
    tidy: list[_TidyRun] = []
    pending = ""  # the white space owed before the next word: "", " " or a line break
    for span in spans:
        text = span.text
        if line_breaks and _LINE_BREAK in text:
            text = _BREAK_RUN.sub(_LINE_BREAK, text)
            text = _GAP_RUN.sub(" ", text)
        else:
            text = _ANY_GAP_RUN.sub(" ", text)
        words = text.strip(" \n")
        if not words:
            pending = _owed(pending, text, bool(tidy))
            continue
        lead = len(text) - len(text.lstrip(" \n"))
        pending = _owed(pending, text[:lead], bool(tidy))
        _append_word(tidy, pending, words, span.href, span.marks)
        pending = _owed("", text[lead + len(words) :], True)
    return tuple(Span("".join(run.parts), run.href, run.marks) for run in tidy)


def _owed(pending: str, gap: str, after_words: bool) -> str:
    """The white space owed after a folded gap ("", " " or "\n"): a line break wins over a
    space; none before the first word."""
    if not gap or not after_words:
        return pending if after_words else ""
    return _LINE_BREAK if _LINE_BREAK in gap else (pending or " ")


@dataclass(slots=True)
class _TidyRun:
    """A span being built: its text's parts, its link and its marks."""

    parts: list[str]
    href: str | None
    marks: str


def _append_word(tidy: list[_TidyRun], gap: str, word: str, href: str | None, marks: str) -> None:
    """Add a word after `gap`; the gap joins whichever neighbour it does not restyle
    (inside one link it stays in the link, so the link reads as one)."""
    last = tidy[-1] if tidy else None
    if last is not None and (last.href, last.marks) == (href, marks):
        last.parts.extend((gap, word) if gap else (word,))
    elif last is None or not gap:
        tidy.append(_TidyRun([word], href, marks))
    else:
        shared_href = last.href if last.href == href else None
        if not last.marks and last.href == shared_href:
            last.parts.append(gap)
            tidy.append(_TidyRun([word], href, marks))
        elif not marks and href == shared_href:
            tidy.append(_TidyRun([gap, word], href, ""))
        else:
            tidy.append(_TidyRun([gap], shared_href, ""))
            tidy.append(_TidyRun([word], href, marks))


def _with_mark(marks: str, mark: str) -> str:
    return "".join(m for m in "bic" if m in marks or m == mark)


def render_text(blocks: list[Block]) -> str:
    """Plain text: blocks separated by exactly one blank line."""
    return "\n\n".join(block.text for block in blocks)


def render_markdown(blocks: list[Block]) -> str:
    """Markdown: blocks separated by one blank line (a ">" line inside one block quote)."""
    parts: list[str] = []
    previous_group = 0
    for block in blocks:
        if parts:
            same_quote = block.quote_group and block.quote_group == previous_group
            parts.append("\n>\n" if same_quote else "\n\n")
        parts.append(block.markdown)
        previous_group = block.quote_group
    return "".join(parts)


# -- helpers for the walk ------------------------------------------------------------------


def _is_block_tag(tag: object) -> bool:
    return isinstance(tag, str) and tag in BLOCK_TAGS


def _is_block(element: HtmlElement) -> bool:
    """A block element, or an inline one that wraps blocks (`<a><div>…</div></a>`)."""
    if _is_block_tag(element.tag):
        return True
    for descendant in element.iterdescendants():
        if _is_block_tag(descendant.tag):
            return True
    return False


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used for page layout: its cells hold paragraphs, lists or other tables."""
    for cell in table.iter("td", "th"):
        for descendant in cell.iterdescendants():
            if descendant.tag in ("p", "div", "ul", "ol", "table", "blockquote", "br"):
                return True
    return False


def _hint(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".lower().strip()


def _plain(text: str) -> tuple[str, str]:
    collapsed = _SPACE_RUN.sub(" ", clean_text(text))
    return collapsed, _escape(collapsed)


def _flatten(element: HtmlElement) -> str:
    return one_line(element.text_content())


def _join_lines(text: str, hard_breaks: bool = False) -> str:
    """Trim each line of a paragraph and drop empty ones (line breaks come from `<br>`)."""
    lines = [_SPACE_RUN.sub(" ", line).strip() for line in text.split(_LINE_BREAK)]
    separator = "\\\n" if hard_breaks else "\n"
    return separator.join(line for line in lines if line)


def _escape(text: str) -> str:
    """Escape characters Markdown would read as markup, so page text stays text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _escape_line_start(markdown: str) -> str:
    return "\n".join(_MARKDOWN_LINE_START.sub(r"\1\2\\\3", line) for line in markdown.split("\n"))


def _keep_spaces(original: str, replacement: str) -> str:
    """Put the original's leading and trailing spaces around a replacement."""
    lead = original[: len(original) - len(original.lstrip())]
    trail = original[len(original.rstrip()) :]
    return f"{lead and ' '}{replacement}{trail and ' '}"


def _safe_url(value: str | None, base_url: str, schemes: frozenset[str]) -> str | None:
    """An absolute URL with an allowed scheme, percent-encoded where Markdown would trip."""
    if not value:
        return None
    value = one_line(value)
    try:
        url = urljoin(base_url, value)
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in schemes or len(url) > 2000:
        return None
    return "".join(_URL_UNSAFE.get(char, char) for char in url)


def _is_same_page_anchor(href: str | None) -> bool:
    return bool(href) and href.strip().startswith("#")
