"""The safety net: how much of an article a body shows, and the page's other readings of it."""

# The cleaned body (readability on the pruned page) is usually the best reading. It fails
# when a rule removed the article with its chrome — a share bar's class on the story's
# wrapper, a "paywall" class on each paragraph, a heavy page shell — and then it shows a
# fraction of what the page holds. The other readings are raw readability on the unpruned
# page and the text the page states in its JSON-LD (articleBody, a live blog's updates).
# They are compared by one score, the prose they show: text that is not link text, in
# blocks long enough to be sentences. A reading that shows less than half the prose of
# another is not shown instead of it.

from __future__ import annotations

import html
import re

from lxml.etree import XPath
from lxml.html import HtmlElement

from newsterm.extract.blocks import Block, blocks_from_element, blocks_from_plain_text
from newsterm.extract.parsing import UnparseablePage, parse_page
from newsterm.text.sanitize import clean_markup

# Blocks shorter than this are labels, buttons and headings, not prose.
_PROSE_BLOCK_CHARS = 40
# A paragraph of the page counts as prose when it is at least this long and mostly
# not links (what a reader of the page would call a paragraph of text).
_PAGE_PARAGRAPH_CHARS = 80
_PAGE_PARAGRAPH_LINK_SHARE = 0.3
# A body is an article (not a column of teasers) with this many paragraphs of this length
# that are not links: teasers' deks are one or two short lines each.
_ARTICLE_PARAGRAPHS = 3
_ARTICLE_PARAGRAPH_CHARS = 150
_ARTICLE_PROSE_CHARS = 500
_IN_PAGE_FURNITURE = XPath(
    "boolean(ancestor-or-self::*[self::footer or self::nav or self::aside"
    " or @role='contentinfo' or @role='navigation' or @role='complementary'])"
)
_MARKUP = re.compile(r"<\s*/?\s*(?:p|br|div|h[1-6]|ul|ol|li|blockquote)\b", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^<>]{0,2000}>")
_SPACE_RUN = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")


def prose_score(blocks: list[Block]) -> int:
    """Characters of prose a body shows: non-link text of blocks long enough to be text."""
    return sum(
        len(block.text) - block.link_chars
        for block in blocks
        if len(block.text) >= _PROSE_BLOCK_CHARS
    )


def agreement(one: str, other: str) -> float:
    """How much two readings agree: the share of the shorter one's word 4-grams that the
    longer one shows (0 to 1). A teaser inside the full text agrees; so does a page that
    shows the latest updates of a live blog whose JSON-LD states them all."""
    one_grams, other_grams = _word_grams(one), _word_grams(other)
    smaller = min(len(one_grams), len(other_grams))
    if not smaller:
        return 1.0
    return len(one_grams & other_grams) / smaller


def _word_grams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 4]) for i in range(max(len(words) - 3, 0))}


def stated_text(text: str) -> str:
    """The words of a JSON-LD body without its markup or entities (for scores and votes;
    `stated_blocks` makes what is shown)."""
    return _SPACE_RUN.sub(" ", _TAG.sub(" ", html.unescape(text))).strip()


def page_prose(root: HtmlElement) -> int:
    """Characters of prose in the page's own paragraphs, before any clean-up.

    An estimate of how much article there is to find: the <p> elements of reading length
    that are mostly not links. Comments and teasers count too, so this only decides
    whether the other readings are worth computing, never which one is shown.
    """
    total = 0
    for paragraph in root.iter("p"):
        text = paragraph.text_content()
        length = len(text.strip())
        if length < _PAGE_PARAGRAPH_CHARS:
            continue
        links = sum(len(link.text_content()) for link in paragraph.iter("a"))
        if links <= length * _PAGE_PARAGRAPH_LINK_SHARE:
            total += length - links
    return total


def densest_container(root: HtmlElement) -> HtmlElement | None:
    """The element whose own paragraphs hold the most prose, whatever its class or tag.

    A reading by text density alone: each paragraph, list item, quote or code block adds
    its non-link text to the element holding it (a list item to the list's holder). It
    knows nothing of class names, so it finds a story that our rules or readability's
    dropped for its wrapper's name (a bug report in a "comment" box). Text in the page's
    landmarks of furniture (footer, navigation, sidebars) is not counted.
    """
    scores: dict[HtmlElement, int] = {}
    for element in root.iter("p", "pre", "li", "blockquote"):
        if _IN_PAGE_FURNITURE(element):
            continue
        holder = element.getparent()
        if element.tag == "li" and holder is not None:
            holder = holder.getparent()
        if holder is None:
            continue
        text = element.text_content()
        links = sum(len(link.text_content()) for link in element.iter("a"))
        prose = len(text.strip()) - links
        if prose >= _PROSE_BLOCK_CHARS:
            scores[holder] = scores.get(holder, 0) + prose
    if not scores:
        return None
    return max(scores, key=lambda element: scores[element])


def reads_as_article(blocks: list[Block]) -> bool:
    """Whether blocks read as an article: several long paragraphs that are not links."""
    long_paragraphs = [
        block
        for block in blocks
        if block.kind == "paragraph"
        and len(block.text) >= _ARTICLE_PARAGRAPH_CHARS
        and block.link_density < 0.2
    ]
    return (
        len(long_paragraphs) >= _ARTICLE_PARAGRAPHS
        and sum(len(block.text) for block in long_paragraphs) >= _ARTICLE_PROSE_CHARS
    )


def stated_blocks(text: str, base_url: str) -> list[Block]:
    """Blocks of the body a page states in its JSON-LD (plain text, or escaped markup).

    Some CMSs put the body's HTML in articleBody, others text with entities; either way it
    becomes blocks the same way page markup does, so it is shown as text.
    """
    if not text.strip():
        return []
    unescaped = html.unescape(text)
    markup = text if _MARKUP.search(text) else unescaped if _MARKUP.search(unescaped) else ""
    if markup:
        # Blank lines separate parts (a live blog's updates) even around markup. Parsed
        # like a page (the same parser, caps and script stripping), never interpreted.
        # Cleaned as page markup is: a reference JSON escaped ("\u0026#27;") came through
        # the page's clean-up, and parsed it would put an ESC in the tree.
        markup = clean_markup(markup)
        parts = "".join(f"<div>{part}</div>" for part in _BLANK_LINES.split(markup))
        try:
            page = parse_page(f"<html><body>{parts}</body></html>")
        except UnparseablePage:
            page = None
        body = page.find("body") if page is not None else None
        if body is not None:
            return blocks_from_element(body, base_url)[0]
    # Plain text: a line break is a paragraph break (the JSON often has single newlines).
    return blocks_from_plain_text(_LINE_BREAKS.sub("\n\n", unescaped))
