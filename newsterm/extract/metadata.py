"""Article metadata from a page: gathers title, dates, JSON-LD; reads byline, tags, image."""

# What each reads lives beside it: the headline in titles.py, the dates in page_dates.py,
# the JSON-LD in json_ld.py.

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsterm.extract.json_ld import (
    ARTICLE_TYPES,
    json_ld_objects,
    json_string,
    main_object,
    stated_body,
    types_of,
)
from newsterm.extract.page_dates import date_texts, first_date, first_elements, visible_date
from newsterm.extract.titles import (
    choose_title,
    heading_text,
    heading_whole_text,
    title_key,
    title_text,
)
from newsterm.text.sanitize import one_line

__all__ = ["ARTICLE_TYPES", "PageMetadata", "read_metadata"]

_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "sailthru.author",
    "parsely-author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
)
_TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "headline")
_DESCRIPTION_META = ("og:description", "description", "twitter:description", "dc.description")
_IMAGE_META = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "image")
_SITE_META = ("og:site_name", "application-name", "twitter:site")
_BYLINE_CLASS = re.compile(
    # "autor" up to its word's end: not "autoresize", "autorefresh".
    r"(?:^|[\s_-])(?:byline|author|by[-_]?line|writer|(?:autor(?:in|en|es|e|a)?|auteur|verfasser)"
    r"(?![a-z]))",
    re.IGNORECASE,
)
# The parts of a byline that date it: a <time>, an element named for the date.
_DATE_CLASS = re.compile(r"date|time|publish|updated", re.IGNORECASE)
# What parts a byline's name from a date or a role after it: "Jane Doe | 12 March 2025".
_BYLINE_PARTS = re.compile(r"\s*[|•·—–]\s*|\s+-\s+")
# The word joining two people in a byline: "Jane Doe and John Roe", "Von A und B".
_PEOPLE_JOINER = re.compile(r"\s+(?:and|und|et|y|e|i|og|och|en|и|та|і|&)\s+", re.IGNORECASE)
_BY_PREFIX = re.compile(
    r"^(?:(?:written |posted |reported )?by|von|par|por|di|автор(?:и)?:?|authors?:?"
    r"|autor(?:in|en|es|a)?:?|auteur(?:e|s)?:?|autore:?)\s+",
    re.IGNORECASE,
)
# The path of a person's page on a news site: /author/…, /autoren/name/…, /auteur/….
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|es|as)?|auteurs?|autori|autore|journalists?|reporters?"
    r"|redakteur(?:e|in)?|forfatter|skribent|toimittaja)/[^/]+"
)
_STORY_PARAGRAPH_CHARS = 120
_TRAILING_ROLE = re.compile(r"\s*\([^()]*\)\s*$")
_MAX_AUTHOR_LINKS = 16
# A byline box is a few levels around one author's link and a few lines long.
_BYLINE_DEPTH = 5
_BYLINE_CHARS = 600
_MAX_AUTHORS = 8
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net)/", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_MAX_TAGS = 30


@dataclass(slots=True)
class PageMetadata:
    """What the page says about its article, before the body is looked at."""

    title: str = ""
    description: str | None = None
    byline: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    tags: list[str] = field(default_factory=list)
    lead_image: str | None = None
    site_name: str | None = None
    language: str | None = None
    page_types: set[str] = field(default_factory=set)
    """The JSON-LD @types seen (lower-cased), to tell listings from articles."""
    stated_body: str = ""
    """The article's text as its JSON-LD states it (articleBody, or a live blog's updates):
    a second opinion on the body."""
    stated_updates: int = 0
    """How many live-blog updates `stated_body` joins (0 for an articleBody)."""


def read_metadata(root: HtmlElement, url: str, zone: tzinfo) -> PageMetadata:
    """Collect title, dates, byline, tags, image, site name and language from a parsed page.

    Sources in order of trust: JSON-LD of an article type, meta tags (OpenGraph,
    `article:*`, Dublin Core, the common CMS names), microdata and `<time datetime>`, then
    visible date lines such as "11 December, 2024 Wednesday" + "15:16" read in `zone`.
    Run it on the page before any clean-up: the clean-up drops the header the date sits in.
    """
    metas = _meta_values(root)
    objects = list(json_ld_objects(root))
    article = main_object(objects)
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    result = PageMetadata()
    result.page_types = {kind for obj in objects for kind in types_of(obj)}

    h1s = first_elements(root.iter("h1"), 5)
    h1_titles = [title_text(heading_whole_text(h1)) for h1 in h1s]
    h1_without_kickers = [title_text(heading_text(h1)) for h1 in h1s]
    headline = title_text(json_string(article.get("headline"))) if article else ""
    meta_titles = [title_text(metas[name][0]) for name in _TITLE_META if name in metas]
    title_elements = root.xpath("//title")
    page_title = title_text(title_elements[0].text_content()) if title_elements else ""
    result.site_name = _site_name(metas, article)
    result.title = choose_title(
        h1_titles,
        meta_titles,
        page_title,
        result.site_name,
        url,
        headline=headline,
        h1_without_kickers=h1_without_kickers,
    )

    description = (json_string(article.get("description")) if article else "") or next(
        (metas[name][0] for name in _DESCRIPTION_META if name in metas), ""
    )
    result.description = one_line(description) or None
    result.byline = _byline(root, metas, article, result.site_name, by_id)
    result.tags = _tags(root, metas, article)
    result.lead_image = _lead_image(metas, article, url)
    result.language = _language(root, metas, article)
    result.stated_body, result.stated_updates = stated_body(article, objects, url)

    published_texts = date_texts(article, metas, root, published=True)
    modified_texts = date_texts(article, metas, root, published=False)
    result.published = first_date(published_texts, zone)
    result.modified = first_date(modified_texts, zone)
    if result.published is None:
        result.published = visible_date(root, zone) or result.modified
    return result


# -- meta tags ------------------------------------------------------------------------------


def _meta_values(root: HtmlElement) -> dict[str, list[str]]:
    """Meta tag contents by lower-cased name/property/itemprop, in page order."""
    values: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None:
            content = meta.get("datetime") or meta.get("value")
        if not content or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                values.setdefault(key.strip().lower(), []).append(one_line(content))
    return values


def _site_name(metas: dict[str, list[str]], article: dict[str, Any]) -> str | None:
    publisher = article.get("publisher") if article else None
    for name in _SITE_META:
        if name in metas and not metas[name][0].startswith("@"):
            return metas[name][0][:200]
    name = one_line(json_string(publisher))
    return name[:200] or None


def _byline(
    root: HtmlElement,
    metas: dict[str, list[str]],
    article: dict[str, Any],
    site_name: str | None,
    by_id: dict[str, dict[str, Any]],
) -> str | None:
    names: list[str] = []
    authors = article.get("author") if article else None
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and "name" not in author and author.get("@id") in by_id:
            # Yoast and others write {"@id": "…#/schema/person/…"} and the Person elsewhere.
            author = by_id[author["@id"]]
        if isinstance(author, dict) and "organization" in types_of(author):
            if site_name and title_key(json_string(author)) == title_key(site_name):
                continue
        names.append(json_string(author))
    if not _names_a_person(names, site_name):
        # The JSON-LD names no one, or only the publisher: the meta tags may name the writer.
        meta_author = next((metas[key][0] for key in _AUTHOR_META if key in metas), "")
        if not any(names) or _names_a_person([meta_author], site_name):
            names = [meta_author]
    stated = [_clean_name(name) for name in names if _clean_name(name)]
    if not stated or all(_names_publisher(name, site_name) for name in stated):
        # No person named: the people whose author pages the byline links to, if any.
        names = _author_links(root) or (names if stated else [_visible_byline(root)])
    else:
        # A co-written story whose metadata names fewer people than its byline: the
        # byline's, in its order, once it names a stated author too (else it may be
        # another story's).
        names = [*_co_authors(root, stated), *names]
    cleaned: list[str] = []
    for person in (person for name in names for person in _people(_clean_name(name))):
        if person and person.lower() not in {seen.lower() for seen in cleaned}:
            cleaned.append(person)
    return ", ".join(cleaned)[:200] or None


def _names_a_person(names: list[str], site_name: str | None) -> bool:
    return any(
        _clean_name(name) and not _names_publisher(_clean_name(name), site_name) for name in names
    )


def _names_publisher(name: str, site_name: str | None) -> bool:
    """Whether a stated author is the publisher: its name, or its initials ("LTO")."""
    key = title_key(name)
    site_key = title_key(site_name or "")
    if not key or not site_key:
        return False
    initials = "".join(word[0] for word in site_key.split())
    return key == site_key or key in site_key.split() or key == initials


def _author_links(root: HtmlElement) -> list[str]:
    """Names linked to author pages ("/author/jane-doe") or marked rel="author" in the
    byline, above the story."""
    names: list[str] = []
    for _, name in _author_anchors(root):
        if name.lower() not in {seen.lower() for seen in names}:
            names.append(name)
    return names[:_MAX_AUTHORS]


def _author_anchors(root: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """The links to author pages, or marked rel="author", above the story, with their names.

    Only links before the first paragraph of story length count: below it, author links
    belong to teasers of other stories.
    """
    anchors: list[tuple[HtmlElement, str]] = []
    for element in root.iter("a", "p"):
        if element.tag == "p":
            if len(element.text_content()) >= _STORY_PARAGRAPH_CHARS:
                break
            continue
        path = (element.get("href") or "").split("?")[0].lower()
        marked = "author" in (element.get("rel") or "").lower().split()
        if not marked and not _AUTHOR_PAGE.search(path):
            continue
        # A role after the name is no part of it: "Ana Ruiz (special envoy)".
        name = _clean_name(_TRAILING_ROLE.sub("", element.text_content()))
        if name and not any(char.isdigit() for char in name) and 1 < len(name.split()) <= 5:
            anchors.append((element, name))
        if len(anchors) >= _MAX_AUTHOR_LINKS:
            break
    return anchors


def _co_authors(root: HtmlElement, stated: list[str]) -> list[str]:
    """The people of the byline that links a stated author, in its order: the smallest
    element around that link holding other author links, if its text is a byline's size.

    Author links elsewhere above the story (a menu of columnists) are not in that element.
    """
    anchors = _author_anchors(root)
    stated_keys = {title_key(name) for name in stated}
    for anchor, name in anchors:
        if title_key(name) not in stated_keys:
            continue
        for container in list(anchor.iterancestors())[:_BYLINE_DEPTH]:
            inside = [
                other
                for element, other in anchors
                if element is anchor or any(up is container for up in element.iterancestors())
            ]
            if len(inside) > 1:
                return inside if len(container.text_content()) <= _BYLINE_CHARS else []
    return []


def _people(name: str) -> list[str]:
    """The people a byline joins with a word ("Jane Doe and John Roe"): each side has two
    words at least, so a compound surname ("José Ortega y Gasset") stays one name."""
    people = _PEOPLE_JOINER.split(name)
    if len(people) > 1 and all(len(person.split()) >= 2 for person in people):
        return [person.strip(" ,;") for person in people]
    return [name]


def _clean_name(name: str) -> str:
    name = one_line(name).replace(" ,", ",")
    if not name or _URLISH.search(name) or len(name) > 120:
        return ""
    if _digits(name) > 3:
        # A date after the name ("By Jane Doe | 12 March 2025"): the part without it.
        # A date alone (an element named "author-date") is not a name.
        name = next((part for part in _BYLINE_PARTS.split(name) if part and not _digits(part)), "")
    return _BY_PREFIX.sub("", name).strip(" ,;|·-")


def _digits(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _visible_byline(root: HtmlElement) -> str:
    for element in root.iter("a", "span", "div", "p", "address"):
        if element.tag == "a" and (element.get("rel") or "").lower() == "author":
            return element.text_content()
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if element.get("itemprop") == "author" or (len(names) > 3 and _BYLINE_CLASS.search(names)):
            # Joined with spaces: a name and a title in two child elements are two words.
            text = one_line(" ".join(_undated_texts(element, 0)))
            if 3 <= len(text) <= 80:
                return text
    return ""


def _undated_texts(element: HtmlElement, depth: int) -> list[str]:
    """A byline's texts without the <time> or the element named for the date in it."""
    texts = [element.text or ""]
    for child in element:
        dated = child.tag == "time" or _DATE_CLASS.search(str(child.get("class") or ""))
        if isinstance(child.tag, str) and not dated and depth < 8:
            texts += _undated_texts(child, depth + 1)
        texts.append(child.tail or "")
    return [text for text in texts if text.strip()]


def _tags(root: HtmlElement, metas: dict[str, list[str]], article: dict[str, Any]) -> list[str]:
    found: list[str] = list(metas.get("article:tag", []))
    keywords = article.get("keywords") if article else None
    if not found and isinstance(keywords, str):
        found = keywords.split(",")
    elif not found and isinstance(keywords, list):
        found = [json_string(keyword) for keyword in keywords]
    if not found:
        found = [anchor.text_content() for anchor in root.xpath("//a[@rel='tag']")]
    tags: list[str] = []
    seen: set[str] = set()
    for tag in found:
        tag = one_line(tag)
        if tag and len(tag) <= 80 and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags[:_MAX_TAGS]


def _lead_image(metas: dict[str, list[str]], article: dict[str, Any], url: str) -> str | None:
    candidates = [metas[name][0] for name in _IMAGE_META if name in metas]
    image = article.get("image") if article else None
    if isinstance(image, dict):
        candidates.append(json_string(image.get("url") or image.get("contentUrl")))
    elif isinstance(image, list) and image:
        first = image[0]
        candidates.append(
            json_string(first.get("url")) if isinstance(first, dict) else json_string(first)
        )
    elif isinstance(image, str):
        candidates.append(image)
    for candidate in candidates:
        try:
            absolute = urljoin(url, one_line(candidate))
        except ValueError:
            continue
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return None


def _language(
    root: HtmlElement, metas: dict[str, list[str]], article: dict[str, Any]
) -> str | None:
    candidates = [root.get("lang") or root.get("xml:lang") or ""]
    candidates += [json_string(article.get("inLanguage"))] if article else []
    candidates += metas.get("content-language", []) + metas.get("og:locale", [])
    for candidate in candidates:
        code = one_line(candidate).replace("_", "-").split(",")[0].strip()
        if code and _LANGUAGE.match(code):
            return code
    return None


# -- dates ------------------------------------------------------------------------------------
