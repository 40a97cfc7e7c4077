"""Loads a listing page into an lxml tree and reads page-wide facts: its site name and date."""

from __future__ import annotations

from datetime import date, tzinfo

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from newsterm.text import dates
from newsterm.text.charset import decode_body
from newsterm.text.sanitize import one_line

# Elements whose text is never listing text. SVG goes too: icons carry <title> text.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object")
_DATE_METAS = (
    "article:published_time",
    "og:updated_time",
    "article:modified_time",
    "date",
    "dc.date",
    "dcterms.date",
    "datepublished",
    "pubdate",
)
_MAX_TIME_ELEMENTS = 20


def load_html(body: bytes, content_type: str | None) -> HtmlElement | None:
    """The page as a tree with scripts, styles and comments removed; None if unparsable.

    The body is decoded with the charset rules of `newsterm.text.charset` and handed to lxml as
    UTF-8, so a `<meta charset>` that disagrees with the header cannot re-decode it wrongly.
    libxml2 caps nesting at 256 levels, which keeps a 100,000-deep page harmless.
    """
    text = decode_body(body, content_type)
    data = text.encode("utf-8", "replace")
    # One parser per call: lxml parsers must not be shared between threads.
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    etree.strip_elements(root, *_INVISIBLE, with_tail=False)
    return root


def page_title(root: HtmlElement) -> str | None:
    """What the page calls its site: og:site_name, else its `<title>`, else its og:title.

    A news list's `<title>` is often "Latest news … | Site"; the site's own name is the
    better name for a source.
    """
    metas = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:site_name", "og:title") and key not in metas:
            metas[key] = one_line(meta.get("content") or "")[:300]
    if metas.get("og:site_name"):
        return metas["og:site_name"]
    for title in root.iter("title"):
        text = one_line(title.text_content())
        if text:
            return text[:300]
        break
    return metas.get("og:title") or None


def page_date(root: HtmlElement, tz: tzinfo, skip: set[HtmlElement] | None = None) -> date | None:
    """The day the page is about, for items listed before any day header.

    From publication/modification metas, then the first `<time datetime>` that is not inside
    an element of `skip` (the listing's own items). The value is read in the site's zone.
    """
    wanted: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if name in _DATE_METAS and name not in wanted:
            wanted[name] = meta.get("content") or ""
    for name in _DATE_METAS:
        if name in wanted:
            moment = dates.parse_iso(wanted[name], tz) or dates.parse_datetime_text(
                wanted[name], tz
            )
            if moment is not None:
                return moment.date()
    skip = skip or set()
    for index, element in enumerate(root.iter("time")):
        if index >= _MAX_TIME_ELEMENTS:
            break
        if any(ancestor in skip for ancestor in element.iterancestors()):
            continue
        moment = dates.parse_iso(element.get("datetime") or "", tz)
        if moment is not None:
            return moment.date()
    return None
