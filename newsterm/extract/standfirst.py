"""Finds the article's lead (standfirst): the summary the page prints apart from the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from newsterm.extract.blocks import Block
from newsterm.extract.boilerplate import text_of
from newsterm.extract.site_rules import SiteRule, select

# Classes and ids of a standfirst ("dek", "standfirst", "article-lead", "subtitle"…).
LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:standfirst|dek|deck|subtitle|sub[-_]?title|subhead|subheadline"
    r"|sub[-_]?heading|lead|lede|intro|summary|excerpt|kicker[-_]?text)"
    r"(?=$|[\s_-])",
    re.IGNORECASE,
)
MIN_LEAD_CHARS = 30
MAX_LEAD_CHARS = 800
# How many elements after the headline a classed standfirst may be.
_LEAD_WINDOW = 200
# How far up from the headline the standfirst's shared container may be.
_LEAD_CONTAINER_LEVELS = 3
_WORDS = re.compile(r"\w+")
_MEDIA_TAGS = frozenset({"figure", "figcaption", "img", "picture", "video"})


@dataclass(slots=True)
class LeadCandidate:
    """An element that may be the standfirst, found before the page is pruned."""

    element: HtmlElement
    text: str
    """Its text before pruning (used when pruning removed the page header it sat in)."""
    may_open_body: bool
    """Whether it may be taken out of the body's first block (named as a lead), or only
    counts when the body does not show it (a meta description that the page prints)."""


def find_candidates(
    root: HtmlElement, title: str, description: str | None, rule: SiteRule | None
) -> list[LeadCandidate]:
    """Standfirst candidates, best first: the site rule's, the printed description, a class.

    Call before pruning: a standfirst often sits in the article's <header>, which the
    pruning drops with the rest of the header.
    """
    found: list[LeadCandidate] = []
    if rule and rule.lead:
        for element in select(root, rule.lead)[:1]:
            found.append(LeadCandidate(element, text_of(element), True))
    if description:
        element = _element_showing(root, description)
        if element is not None:
            found.append(LeadCandidate(element, text_of(element), False))
    element = _classed_lead(root, title)
    if element is not None:
        found.append(LeadCandidate(element, text_of(element), True))
    return found


def choose_lead(
    candidates: list[LeadCandidate], root: HtmlElement, blocks: list[Block]
) -> tuple[str | None, list[Block]]:
    """Pick the standfirst, and take it out of the body when the body starts with it.

    Call after pruning. A candidate that pruning removed counts only if it went with a
    <header> (where standfirsts live), not with a sidebar or an author box. A candidate
    the body shows further down is body text, not a standfirst. An editorial-lead block
    that readability put first in the body is a lead too.
    """
    keys = [_key(block.text) for block in blocks]
    for candidate in candidates:
        text = _surviving_text(candidate, root)
        key = _key(text or "")
        if not text or not key or not MIN_LEAD_CHARS <= len(text) <= MAX_LEAD_CHARS:
            continue
        if keys and keys[0] == key:
            if candidate.may_open_body:
                return text, blocks[1:]
            continue
        if key not in keys:
            return text, blocks
    if blocks and blocks[0].kind == "paragraph" and LEAD_CLASS.search(blocks[0].hint):
        text = blocks[0].text
        if MIN_LEAD_CHARS <= len(text) <= MAX_LEAD_CHARS and len(blocks) > 1:
            return text, blocks[1:]
    return None, blocks


def _surviving_text(candidate: LeadCandidate, root: HtmlElement) -> str | None:
    top = candidate.element
    for ancestor in candidate.element.iterancestors():
        top = ancestor
    if top is root:
        return text_of(candidate.element)
    # Pruned: `top` is the root of the subtree that was dropped.
    return candidate.text if top.tag == "header" else None


def _classed_lead(root: HtmlElement, title: str) -> HtmlElement | None:
    """An element named like a standfirst among the elements just after the headline <h1>.

    Only the elements just after the headline are looked at: a "summary" or "intro" box
    elsewhere on the page is some other story's.
    """
    title_key = _key(title)
    if not title_key:
        return None
    headline = next((h1 for h1 in root.iter("h1") if _key(h1.text_content()) == title_key), None)
    if headline is None:
        return None
    # A standfirst shares a container with the headline; a teaser's dek further on does not.
    container = headline
    for _ in range(_LEAD_CONTAINER_LEVELS):
        parent = container.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        container = parent
    after_headline = False
    looked_at = 0
    for element in root.iter():
        if element is headline:
            after_headline = True
            continue
        if not after_headline or not isinstance(element.tag, str):
            continue
        looked_at += 1
        if looked_at > _LEAD_WINDOW:
            break
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if len(names) > 3 and LEAD_CLASS.search(names) and not _holds_media(element):
            text = text_of(element)
            inside = any(ancestor is container for ancestor in element.iterancestors())
            if inside and MIN_LEAD_CHARS <= len(text) <= MAX_LEAD_CHARS:
                return element
    return None


def _holds_media(element: HtmlElement) -> bool:
    """A figure ("lead-figure", "lead-image"): its text is a caption, not a standfirst."""
    return element.tag in _MEDIA_TAGS or any(
        descendant.tag in _MEDIA_TAGS for descendant in element.iterdescendants()
    )


def _element_showing(root: HtmlElement, description: str) -> HtmlElement | None:
    """The page element that shows the meta description, if one does.

    Meta descriptions are often cut short ("…"), so an element whose text starts with the
    description's first 60 characters counts.
    """
    probe = _key(description)[:60]
    if len(probe) < 20:
        return None
    body = root.find("body")
    if body is None:
        return None
    for element in body.iter("p", "h2", "h3", "h4", "div", "span", "strong", "em"):
        own = element.text
        if not own or len(own) < 20:
            continue
        own_key = _key(own)[:20]
        if len(own_key) >= 15 and probe.startswith(own_key):
            text = text_of(element)
            if _key(text).startswith(probe) and len(text) <= MAX_LEAD_CHARS:
                return element
    return None


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))
