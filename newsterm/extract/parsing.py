"""The one HTML loader (articles and lists): untrusted page bytes to a bounded lxml tree."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import lxml.etree
import lxml.html

from newsterm.text.charset import _is_utf8, decode_body
from newsterm.text.sanitize import clean_markup

# Bytes beyond this are not even decoded: no real article page comes near it, and decoding
# and scanning a hostile 100 MB body would cost seconds before any cap could apply.
MAX_INPUT_BYTES = 8 * 1024 * 1024
# The markup kept for parsing after scripts and styles are cut out. The largest page of
# the 181-page benchmark is about 1.5 MB with its scripts and well under this without
# them; the cap keeps a hostile page's parse and readability's passes within a second or two.
MAX_MARKUP_CHARS = 1_000_000
# Elements that never hold article text, shed first from a page over the element cap.
_SHELL_LEAVES = ("svg", "template", "select", "iframe", "object", "canvas")
_NAVIGATION = "//nav | //*[@role='navigation' or @role='menu' or @role='menubar']"
# JSON-LD kept per page, all scripts together: the largest real one seen (a live blog with
# every update) is under 1 MB; JSON parsing is linear and fast.
MAX_JSON_LD_CHARS = 2_000_000
# Elements kept after parsing. The benchmark's 181 real pages have at most about 1,600,
# but a long wiki article or a project's release notes has 20,000 and more; readability's
# candidate scoring grows with elements times nesting depth (the hostile benchmark's
# slowest page takes about a second at this cap).
MAX_ELEMENTS = 25_000
# Nesting kept after parsing; deeper content becomes plain text. Real pages nest about 50
# deep at most; readability's passes cost depth times size, so this bounds them.
MAX_DEPTH = 64

# Script and style bodies are most of a modern page's bytes and none of its text. Cutting
# them out of the string before parsing makes the parse and every later pass cheaper.
# JSON-LD is kept: it carries the metadata. The lazy `.*?` only runs up to the last closing
# tag (found first), so an unclosed `<script` cannot make each opening scan to the end.
_RAW_TEXT_ELEMENT = {
    tag: re.compile(rf"<{tag}\b([^>]{{0,2000}})>.*?</{tag}\s*>", re.IGNORECASE | re.DOTALL)
    for tag in ("script", "style")
}
_RAW_TEXT_CLOSE = {tag: re.compile(f"</{tag}", re.IGNORECASE) for tag in ("script", "style")}
_JSON_LD = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,500}\?>")


@dataclass(frozen=True, slots=True)
class PageCaps:
    """How much of a page is kept after parsing; None keeps all of it."""

    max_markup_chars: int
    max_elements: int | None
    max_depth: int | None


# An article page: caps that bound readability's passes (see above).
ARTICLE_CAPS = PageCaps(MAX_MARKUP_CHARS, MAX_ELEMENTS, MAX_DEPTH)
# A news list: its body is already capped by the fetcher (sources.MAX_LISTING_BYTES), and a
# long list has far more than 12,000 elements; the listing detector is linear in the tree,
# so the whole list is kept. libxml2 still caps nesting at 256 levels.
LISTING_CAPS = PageCaps(MAX_INPUT_BYTES, None, None)

# lxml parser objects must not be shared between threads (the library extracts in worker
# threads), so each thread gets its own.
_THREAD_STATE = threading.local()


def _parser() -> lxml.html.HTMLParser:
    parser = getattr(_THREAD_STATE, "parser", None)
    if parser is None:
        parser = _THREAD_STATE.parser = lxml.html.HTMLParser(
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            no_network=True,
            # Not huge_tree: libxml2 then caps nesting at 256 levels, which is what keeps
            # a page nested 100,000 deep from reaching readability's per-level passes.
            huge_tree=False,
        )
    return parser


class UnparseablePage(ValueError):
    """The input holds nothing an HTML parser can build a document from."""


def page_text(html: bytes | str, content_type: str | None) -> str:
    """Decode (bytes) and clean the page: no control characters, bounded length."""
    if isinstance(html, bytes):
        html = _decode_page(html[:MAX_INPUT_BYTES], content_type)
    elif len(html) > MAX_INPUT_BYTES:
        html = html[:MAX_INPUT_BYTES]
    # NUL and other control characters make lxml refuse a string outright, and written as
    # references (&#27;) they would be decoded into the tree, where they stop every later
    # edit of it ("All strings must be XML compatible"). No page text needs them.
    return clean_markup(html)


def _decode_page(body: bytes, content_type: str | None) -> str:
    """Decode page bytes; bytes that are UTF-8 are read as UTF-8 whatever the page declares.

    Pages are re-saved and re-served as UTF-8 with their old `<meta charset>` (or a server
    default in the header) left in place. Text in a legacy charset almost never forms valid
    UTF-8 multi-byte sequences by chance, so bytes that are valid UTF-8 and not plain ASCII
    are UTF-8 — reading them as windows-1252 or GB2312 would turn every accent into mojibake.
    """
    if not body.isascii() and _is_utf8(body):
        text = body.decode("utf-8", errors="replace")
        return text[1:] if text.startswith("\ufeff") else text
    return decode_body(body, content_type)


def strip_raw_text_elements(text: str, json_ld: list[str]) -> str:
    """Remove `<script>` and `<style>` elements from markup text; JSON-LD goes to `json_ld`.

    JSON-LD is taken out rather than kept in place so that the markup's size cap does not
    cut it (a live blog states hundreds of updates in it) and it does not count as markup.
    """
    budget = [MAX_JSON_LD_CHARS]

    def keep_json_ld(match: re.Match[str]) -> str:
        if _JSON_LD.search(match.group(1)):
            start = match.group(0).find(">") + 1
            end = match.group(0).rfind("<")
            content = match.group(0)[start:end]
            if len(content) <= budget[0]:
                budget[0] -= len(content)
                json_ld.append(content)
        return ""

    for tag, element in _RAW_TEXT_ELEMENT.items():
        last_close = None
        for close in _RAW_TEXT_CLOSE[tag].finditer(text):
            last_close = close
        if last_close is None:
            continue
        end = text.find(">", last_close.end())
        end = len(text) if end < 0 else end + 1
        head = element.sub(keep_json_ld, text[:end])
        text = head + text[end:]
    return text


def truncate_tree(root: lxml.html.HtmlElement, max_elements: int) -> None:
    """Cut the document after its first `max_elements` elements, in document order.

    Real article pages have a few thousand elements at most; a hostile page with a
    hundred thousand would make readability's per-candidate passes take seconds.
    """
    for count, element in enumerate(root.iter()):
        if count < max_elements:
            continue
        # Remove this element and everything after it: its following siblings, and the
        # following siblings of each ancestor.
        node = element
        while node is not None:
            parent = node.getparent()
            if parent is None:
                break
            for sibling in list(node.itersiblings()):
                parent.remove(sibling)
            if node is element:
                parent.remove(node)
            node = parent
        return


def flatten_deep_elements(root: lxml.html.HtmlElement, max_depth: int) -> None:
    """Replace the content of every element at `max_depth` with its plain text."""
    # One XPath step per level finds the elements at exactly that depth, in C; on a
    # normal page it finds none.
    for element in root.xpath("/*" + "/*" * (max_depth - 1)):
        if len(element):
            text = element.text_content()
            for child in list(element):
                element.remove(child)
            element.text = text


def load_page(
    body: bytes, content_type: str | None, caps: PageCaps = ARTICLE_CAPS
) -> lxml.html.HtmlElement:
    """Decode, clean and parse page bytes within `caps`; raise UnparseablePage if no document."""
    return parse_page(page_text(body, content_type), caps)


def parse_page(text: str, caps: PageCaps = ARTICLE_CAPS) -> lxml.html.HtmlElement:
    """Parse page text into an `<html>` element; raise UnparseablePage when there is none."""
    json_ld: list[str] = []
    text = _XML_DECLARATION.sub("", strip_raw_text_elements(text, json_ld), count=1)
    if len(text) > caps.max_markup_chars:
        text = text[: caps.max_markup_chars]
    if not text.strip():
        raise UnparseablePage("the page is empty")
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_parser())
    except (lxml.etree.ParserError, ValueError) as error:
        raise UnparseablePage(f"no HTML document in the page ({error})") from None
    if root is None:
        raise UnparseablePage("no HTML document in the page")
    _put_json_ld(root, json_ld)
    if caps.max_elements is not None:
        if _count_elements(root) > caps.max_elements:
            _shed_page_shell(root, caps.max_elements)
        truncate_tree(root, caps.max_elements)
    if caps.max_depth is not None:
        flatten_deep_elements(root, caps.max_depth)
    return root


def _count_elements(root: lxml.html.HtmlElement) -> int:
    return sum(1 for _ in root.iter())


def _shed_page_shell(root: lxml.html.HtmlElement, max_elements: int) -> None:
    """Remove what holds no article text from a page over the element cap, before the cap cuts.

    A heavy page shell (mega-menus of icons, thousands of navigation links) can come
    before the story and use up the element cap, so the cut would keep the menu and lose
    the article. Icons, templates and form controls go first; if the page is still over
    the cap, navigation that does not hold the page's <main> or <article> goes too.
    """
    lxml.etree.strip_elements(root, *_SHELL_LEAVES, with_tail=False)
    if _count_elements(root) <= max_elements:
        return
    for element in root.xpath(_NAVIGATION):
        if element.getparent() is not None and not element.xpath(".//main | .//article"):
            element.drop_tree()


def _put_json_ld(root: lxml.html.HtmlElement, json_ld: list[str]) -> None:
    """Put the page's JSON-LD back as scripts in its head (first, so no cap cuts them)."""
    if not json_ld:
        return
    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    for content in json_ld:
        script = lxml.etree.SubElement(head, "script", type="application/ld+json")
        try:
            script.text = content
        except ValueError:  # not XML-compatible text: the JSON-LD is dropped, not the page
            head.remove(script)
