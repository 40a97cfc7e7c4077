"""Runs readability-lxml on an already cleaned tree, with its slow passes made linear."""

from __future__ import annotations

import copy
import logging
import re

from lxml.etree import tounicode
from lxml.html import HtmlElement, fragment_fromstring
from readability import Document
from readability.readability import Unparseable, clean, text_length

# readability logs every failure with a traceback at ERROR level; a page it cannot read
# is an ordinary outcome here, reported through Article.method.
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)

# The tag prefixes readability's divToPElementsRe looks for ("<p" also matches <pre>,
# <picture>, <param>; "<ol" also <option>…): a div whose descendants include none of them
# is turned into a paragraph.
_BLOCK_PREFIX = re.compile(r"^(?:blockquote|dl|div|img|ol|p|pre|table|ul)", re.IGNORECASE)
# Elements with more text than this get their length measured without readability's clean().
_EXACT_LENGTH_LIMIT = 50_000
_INLINE_TAGS = frozenset(
    {"a", "b", "cite", "code", "em", "font", "i", "small", "span", "strong", "sub", "sup", "u"}
)


class _PreparedDocument(Document):
    """A readability Document fed with our cleaned tree instead of markup.

    Four overrides of readability's internals, each keeping its result:
    - `_parse` copies the tree we already parsed and cleaned, instead of parsing and
      cleaning the markup again (we removed scripts, styles, hidden and chrome elements);
    - `transform_misused_divs_into_paragraphs` gives the same result as the original,
      which serialises every div's subtree to search it with a regex — quadratic in the
      nesting depth, seconds on a deep page — by computing "has a block descendant" once;
    - `get_link_density` measures each link's text once, not once per enclosing candidate,
      and cleans each distinct text once;
    - `get_clean_html` keeps the result element so we need not parse its markup again.
    """

    summary_element: HtmlElement | None = None
    _link_lengths: dict[HtmlElement, int]

    def _parse(self, input: HtmlElement) -> HtmlElement:  # noqa: A002 - readability's name
        self._link_lengths = {}
        page = copy.deepcopy(input)
        _unwrap_code_blocks(page)
        return page

    def get_link_density(self, elem: HtmlElement) -> float:
        # The original measures every link's text again for every candidate that contains
        # it: nested candidates make that depth times links. A link's text does not change
        # while readability works, so it is measured once.
        lengths = self._link_lengths
        link_length = 0
        for link in elem.iterdescendants("a"):
            length = lengths.get(link)
            if length is None:
                length = lengths[link] = text_length(link)
            link_length += length
        text = elem.text_content()
        # clean() runs three regexes over the text. Merging article segments asks again for
        # the same nested candidates, ancestors times candidates: on a 40 KB page of
        # unclosed divs that was 4 s of regexes over the same texts. The length depends on
        # the text alone, so it is kept by the text's length and hash. On a huge element,
        # whitespace runs do not move the ratio, and skipping clean() keeps scoring linear.
        cleaned: dict[tuple[int, int], int] = self.__dict__.setdefault("_text_lengths", {})
        key = (len(text), hash(text))
        total = cleaned.get(key)
        if total is None:
            total = len(text) if len(text) > _EXACT_LENGTH_LIMIT else len(clean(text))
            cleaned[key] = total
        return float(link_length) / max(total, 1)

    def get_clean_html(self) -> str:
        self.summary_element = self.html
        return tounicode(self.html, method="html")

    def transform_misused_divs_into_paragraphs(self) -> None:
        has_block_descendant = _block_descendants(self.html)
        for element in list(self.html.iter("div")):
            if not has_block_descendant.get(element, False):
                element.tag = "p"
        for element in list(self.html.iter("div")):
            _wrap_loose_inline_content(element, has_block_descendant)


def _unwrap_code_blocks(root: HtmlElement) -> None:
    """Lift each <pre> out of a <div> that holds nothing else (a highlighter's wrapper).

    readability removes a div with under 25 characters of text and no image, which is every
    one-line command of a technical page ("pip install x") in its highlighting wrapper; a
    bare <pre> is not subject to that rule.
    """
    for pre in list(root.iter("pre")):
        wrapper = pre.getparent()
        while (
            wrapper is not None
            and wrapper.tag == "div"
            and len(wrapper) == 1
            and not (wrapper.text or "").strip()
            and not (wrapper[0].tail or "").strip()
        ):
            parent = wrapper.getparent()
            if parent is None:
                break
            pre_tail, wrapper_tail = pre.tail, wrapper.tail
            parent.replace(wrapper, pre)
            pre.tail = wrapper_tail if wrapper_tail is not None else pre_tail
            wrapper = parent


def _block_descendants(root: HtmlElement) -> dict[HtmlElement, bool]:
    """For every element, whether any of its descendants has a block-like tag."""
    result: dict[HtmlElement, bool] = {}
    elements = [element for element in root.iter() if isinstance(element.tag, str)]
    for element in reversed(elements):
        result[element] = any(
            isinstance(child.tag, str)
            and (_BLOCK_PREFIX.match(child.tag) is not None or result.get(child, False))
            for child in element
        )
    return result


def _wrap_loose_inline_content(
    element: HtmlElement, has_block_descendant: dict[HtmlElement, bool]
) -> None:
    """readability's second pass: wrap a div's loose text and inline runs in <p>s."""
    children = list(element)
    paragraph = None
    if element.text and element.text.strip():
        paragraph = fragment_fromstring("<p/>")
        paragraph.text = element.text
        element.text = None
        element.insert(0, paragraph)
    for child in children:
        if child.tag == "br":
            paragraph = None
            continue
        if child.tag not in _INLINE_TAGS or has_block_descendant.get(child, False):
            paragraph = None
            continue
        if paragraph is None:
            paragraph = fragment_fromstring("<p/>")
            child.addprevious(paragraph)
        paragraph.append(child)
    for position, child in reversed(list(enumerate(element))):
        if child.tail and child.tail.strip():
            paragraph = fragment_fromstring("<p/>")
            paragraph.text = child.tail
            child.tail = None
            element.insert(position + 1, paragraph)
        if child.tag == "br":
            child.drop_tree()


def readability_summary(root: HtmlElement, url: str) -> HtmlElement | None:
    """The element readability picks as the article, from a cleaned page; None if it fails."""
    document = _PreparedDocument(root, url=url)
    try:
        document.summary(html_partial=True)
    except (Unparseable, ValueError, TypeError, RecursionError):
        return None
    return document.summary_element
