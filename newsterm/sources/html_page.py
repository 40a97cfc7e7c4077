"""Loads a listing page into an lxml tree and reads page-wide facts: its site name and date."""

from __future__ import annotations

from datetime import date, tzinfo

from lxml import etree
from lxml.html import HtmlElement

from newsterm.extract.parsing import LISTING_CAPS, UnparseablePage, load_page
from newsterm.text import dates
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
    """The page as a tree without scripts, styles, comments or icons; None if unparsable.

    Loaded as the reader loads an article (`extract.parsing.load_page`: the same charset
    rules, control characters and size caps), with the caps of a list: every item kept.
    """
    try:
        root = load_page(body, content_type, LISTING_CAPS)
    except UnparseablePage:
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
