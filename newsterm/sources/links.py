"""Resolves a page's links: absolute http(s) URLs, the base href, feed autodiscovery, next page."""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import parse_qsl, urldefrag, urlsplit

from lxml.html import HtmlElement

from newsterm.text.sanitize import one_line
from newsterm.text.urls import MAX_URL_CHARS, clean_url

_LEADING_JUNK = "".join(chr(code) for code in range(0x21))
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
_NEXT_WORDS = re.compile(
    r"(?:more|more news|load more|show more|next|next page|older|older posts|older news"
    r"|далі|більше|більше новин|ще новини|наступна|наступна сторінка|показати більше)"
    r"\s*[›»→>]*",
    re.IGNORECASE,
)
_PAGE_PARAMETERS = ("page", "p", "pg", "paged")
_MAX_ANCHORS = 20_000
_PAGE_HREF = re.compile(r"[?&](?:page|p|pg|paged)=\d", re.IGNORECASE)


def absolute_http_url(href: str | None, base: str) -> str | None:
    """`href` resolved against `base` as a browser would, if that is an http(s) URL; else None.

    The result is newsterm.text.urls.clean_url's: no controls or invisible characters, and the
    host a browser would open (a backslash is a slash), so what is listed is what is opened.
    """
    if not href or not isinstance(href, str) or len(href) > MAX_URL_CHARS:
        return None
    if href.lstrip(_LEADING_JUNK).startswith("#"):
        return None  # a link within the page itself
    return clean_url(href, base)


def same_document_key(url: str) -> str:
    """The URL without its fragment: two links differing only after "#" open one article."""
    return urldefrag(url)[0]


def page_base(root: HtmlElement, url: str) -> str:
    """The URL relative links resolve against: `<base href>` when it is http(s), else `url`."""
    for base in root.iter("base"):
        resolved = absolute_http_url(base.get("href"), url)
        if resolved:
            return resolved
        break
    return url


def feed_links(root: HtmlElement, base: str) -> list[str]:
    """Feeds the page advertises: `<link rel="alternate" type="application/rss+xml" href>`.

    hreflang alternates (the same page in another language) have no feed type and are skipped.
    """
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rel or kind not in _FEED_TYPES:
            continue
        url = absolute_http_url(link.get("href"), base)
        if url and url not in found:
            found.append(url)
    return found


def find_next_page(root: HtmlElement, base: str, page_url: str) -> str | None:
    """The listing's next page, read the way a person would find it.

    In order: a visible `<a rel="next">`, a `<link rel="next">`, a link worded "More news",
    "Next", "Older", "Далі", "Більше новин", "Наступна"…, a link to `?page=N+1`.
    """
    current = same_document_key(page_url)
    anchors = [a for a in islice(root.iter("a"), _MAX_ANCHORS) if a.get("href")]

    def usable(href: str | None) -> str | None:
        url = absolute_http_url(href, base)
        return url if url and same_document_key(url) != current else None

    for element in anchors + list(root.iter("link")):
        if "next" in (element.get("rel") or "").lower().split():
            url = usable(element.get("href"))
            if url:
                return url
    for anchor in anchors:
        text = anchor.text_content()
        if len(text) > 80:
            continue
        text = one_line(text)
        if text and len(text) <= 40 and _NEXT_WORDS.fullmatch(text):
            url = usable(anchor.get("href"))
            if url:
                return url
    wanted = _page_number(page_url) + 1
    for anchor in anchors:
        if not _PAGE_HREF.search(anchor.get("href", "")):
            continue
        url = usable(anchor.get("href"))
        if url and _page_number(url) == wanted and _same_path(url, page_url):
            return url
    return None


def _page_number(url: str) -> int:
    try:
        query = dict(parse_qsl(urlsplit(url).query))
    except ValueError:
        return 1
    for name in _PAGE_PARAMETERS:
        value = query.get(name, "")
        if value.isdigit() and len(value) < 7:
            return int(value)
    return 1


def _same_path(url: str, other: str) -> bool:
    try:
        return urlsplit(url).path.rstrip("/") == urlsplit(other).path.rstrip("/")
    except ValueError:
        return False
