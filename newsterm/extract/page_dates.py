"""The article's publication and modification dates: JSON-LD, meta tags, <time>, date lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

from lxml.html import HtmlElement

from newsterm.extract.json_ld import json_string
from newsterm.text import dates
from newsterm.text.sanitize import one_line

# Meta names and properties, lower-cased, in order of trust.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date.created",
    "dc.date",
    "dcterms.date",
    "date",
    "article.published",
    "originalpublicationdate",
    "citation_publication_date",
    "bt:pubdate",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "article.updated",
    "lastmod",
)
# Visible date lines sit in elements named like this ("news__author_date", "post-date").
_DATE_CLASS = re.compile(
    r"date|time|publish|posted|dateline|timestamp|byline|meta|article[-_]?info|datum|data",
    re.IGNORECASE,
)
_MAX_DATE_LINE = 160
_EARLIEST_YEAR = 1800
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2\d)\d\d(?!\d)")
_DATE_META_NAME = re.compile(
    r"(?:^|[-_.:])(?:post[-_]?|pub[-_]?|publish(?:ed)?[-_]?)?date\b|pubdate"
)
_MODIFIED_META_NAME = re.compile(r"modif|updat|expir|valid|revis")
# Date lines sit near the top; past this many candidates the rest is listings and footers.
_MAX_DATE_ELEMENTS = 60


def date_texts(
    article: dict[str, Any], metas: dict[str, list[str]], root: HtmlElement, published: bool
) -> list[str]:
    """Machine-readable date strings, most trusted first."""
    texts: list[str] = []
    keys = ("datePublished", "dateCreated") if published else ("dateModified",)
    for key in keys:
        if article and article.get(key):
            texts.append(json_string(article.get(key)))
    for name in _PUBLISHED_META if published else _MODIFIED_META:
        texts.extend(metas.get(name, [])[:1])
    if published:
        texts.extend(_microdata_dates(root))
        texts.extend(_time_element_dates(root))
        # Last, any other meta named like a date ("sn-post-date", "article_date_original").
        texts.extend(
            values[0]
            for name, values in metas.items()
            if _DATE_META_NAME.search(name) and not _MODIFIED_META_NAME.search(name)
        )
    return [one_line(text) for text in texts if text and one_line(text)]


def _microdata_dates(root: HtmlElement) -> list[str]:
    """`itemprop="datePublished"` on an element other than <meta>: its attribute or text."""
    found = []
    for element in root.xpath("//*[@itemprop='datePublished']"):
        if element.tag == "meta":
            continue
        value = element.get("content") or element.get("datetime") or element.text_content()
        if value and len(value) <= _MAX_DATE_LINE:
            found.append(value)
    return found[:2]


def _time_element_dates(root: HtmlElement) -> list[str]:
    """`<time datetime>` values: those marked as the publication date first."""
    marked: list[str] = []
    others: list[str] = []
    for element in first_elements(root.iter("time"), 50):
        value = element.get("datetime") or ""
        if not value.strip():
            continue
        names = f"{element.get('class', '')} {element.get('itemprop', '')}".lower()
        if "publish" in names or "pubdate" in element.attrib:
            marked.append(value)
        else:
            others.append(value)
    return marked + others[:1]


def first_date(texts: list[str], zone: tzinfo) -> datetime | None:
    """The first text that reads as a plausible date and time: ISO 8601 first, then the
    written forms ("November 19, 2019, 07:47 PM EST") that some CMSs put in meta tags."""
    for text in texts:
        parsed = dates.parse_iso(text, zone)
        if parsed is None and len(text) <= _MAX_DATE_LINE:
            parsed = dates.parse_datetime_text(text, zone)
        if parsed is not None and _plausible(parsed) and _year_is_written(parsed, text):
            return parsed
    return None


def _year_is_written(moment: datetime, text: str) -> bool:
    """Whether the year of a date read from a visible line is written in that line.

    A line without a year ("15 May, 22:10") would be dated by the day the page is read,
    which is wrong for a page read again later from the cache; and words like "Today"
    in a name ("USA TODAY") must not date an article.
    """
    return str(moment.year) in _YEAR.findall(text)


def _plausible(moment: datetime) -> bool:
    """Not a CMS placeholder ("0001-01-01") nor years ahead."""
    return _EARLIEST_YEAR <= moment.year <= datetime.now(moment.tzinfo).year + 1


def visible_date(root: HtmlElement, zone: tzinfo) -> datetime | None:
    """A publication date written for people, in an element named for dates or times.

    The element's whole text is read, so a date and a time kept in two child elements
    ("11 December, 2024 Wednesday" / "15:16") are read together.
    """
    looked_at = 0
    for element in root.iter("div", "span", "p", "time", "li", "small", "header"):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if element.tag != "time" and (len(names) < 3 or not _DATE_CLASS.search(names)):
            continue
        looked_at += 1
        if looked_at > _MAX_DATE_ELEMENTS:
            break
        text = one_line(element.text_content())
        if not text or len(text) > _MAX_DATE_LINE:
            continue
        parsed = dates.parse_datetime_text(text, zone)
        if parsed is not None and _plausible(parsed) and _year_is_written(parsed, text):
            return parsed
    return None


def first_elements(iterator: Iterator[HtmlElement], count: int) -> list[HtmlElement]:
    items = []
    for item in iterator:
        items.append(item)
        if len(items) >= count:
            break
    return items
