"""Article metadata from a page: JSON-LD, OpenGraph/Dublin Core meta, <time>, date lines."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsterm.text import dates
from newsterm.text.sanitize import one_line

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "posting",
        "review",
        "creativework",
    }
)
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
# Visible date lines sit in elements named like this ("news__author_date", "post-date").
_DATE_CLASS = re.compile(
    r"date|time|publish|posted|dateline|timestamp|byline|meta|article[-_]?info|datum|data",
    re.IGNORECASE,
)
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:byline|author|by[-_]?line|writer)", re.IGNORECASE)
_BY_PREFIX = re.compile(
    r"^(?:(?:written |posted |reported )?by|von|par|por|di|автор(?:и)?:?|author:?)\s+",
    re.IGNORECASE,
)
# The path of a person's page on a news site: /author/…, /autoren/name/…, /auteur/….
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|es|as)?|auteurs?|autori|autore|journalists?|reporters?"
    r"|redakteur(?:e|in)?|forfatter|skribent|toimittaja)/[^/]+"
)
_STORY_PARAGRAPH_CHARS = 120
_MAX_AUTHORS = 8
_URLISH = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net)/", re.IGNORECASE)
_TITLE_SEPARATORS = (" | ", " — ", " – ", " - ", " :: ", " · ", " • ", " / ", " « ", " » ")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_MAX_JSON_LD_CHARS = 1_000_000
_MAX_JSON_DEPTH = 40
_MAX_STATED_BODY_CHARS = 500_000
_MAX_LIVE_UPDATES = 500
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_TAGS = 30
_MAX_DATE_LINE = 160
_EARLIEST_YEAR = 1800
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2\d)\d\d(?!\d)")
_DATE_META_NAME = re.compile(
    r"(?:^|[-_.:])(?:post[-_]?|pub[-_]?|publish(?:ed)?[-_]?)?date\b|pubdate"
)
_MODIFIED_META_NAME = re.compile(r"modif|updat|expir|valid|revis")
# Date lines sit near the top; past this many candidates the rest is listings and footers.
_MAX_DATE_ELEMENTS = 60


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
    objects = list(_json_ld_objects(root))
    article = _main_json_ld(objects)
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    result = PageMetadata()
    result.page_types = {kind for obj in objects for kind in _types(obj)}

    h1_titles = [title_text(h1.text_content()) for h1 in _first(root.iter("h1"), 5)]
    headline = title_text(_string(article.get("headline"))) if article else ""
    meta_titles = [title_text(metas[name][0]) for name in _TITLE_META if name in metas]
    title_elements = root.xpath("//title")
    page_title = title_text(title_elements[0].text_content()) if title_elements else ""
    result.site_name = _site_name(metas, article)
    result.title = choose_title(
        h1_titles, meta_titles, page_title, result.site_name, url, headline=headline
    )

    description = (_string(article.get("description")) if article else "") or next(
        (metas[name][0] for name in _DESCRIPTION_META if name in metas), ""
    )
    result.description = one_line(description) or None
    result.byline = _byline(root, metas, article, result.site_name, by_id)
    result.tags = _tags(root, metas, article)
    result.lead_image = _lead_image(metas, article, url)
    result.language = _language(root, metas, article)
    result.stated_body, result.stated_updates = _stated_body(article, objects, url)

    published_texts = _date_texts(article, metas, root, published=True)
    modified_texts = _date_texts(article, metas, root, published=False)
    result.published = _first_date(published_texts, zone)
    result.modified = _first_date(modified_texts, zone)
    if result.published is None:
        result.published = visible_date(root, zone) or result.modified
    return result


def choose_title(
    h1_titles: list[str],
    meta_titles: list[str],
    page_title: str,
    site_name: str | None,
    url: str,
    *,
    headline: str = "",
) -> str:
    """The headline: the article's own (JSON-LD), else the <h1> agreeing with the metadata.

    The JSON-LD headline is the one statement made about the article alone (OpenGraph
    titles are often written for sharing, an <h1> can be the logo or a log-in box), so
    it comes first, its site name cut off — unless it is cut short ("…") and an <h1>
    carries it whole. Otherwise an <h1> is taken when it and a meta title or the <title>
    (site name cut off) mostly contain each other; otherwise the OpenGraph title, then
    the <title> without its site name, then the first <h1>.
    """
    if headline:
        headline = strip_site_name(headline, site_name, url)
        stem = headline.rstrip("….").strip()
        if stem != headline:
            whole = next((h1 for h1 in h1_titles if h1.startswith(stem) and h1 != stem), None)
            headline = whole or headline
        if len(_title_key(headline)) >= 3:
            return headline[:500]
    stated = [strip_site_name(text, site_name, url) for text in [*meta_titles, page_title] if text]
    references = [_title_key(text) for text in stated if _title_key(text)]
    site_key = _title_key(site_name or "")
    for h1 in h1_titles:
        key = _title_key(h1)
        if len(key) < 8 or key == site_key:
            continue
        for reference in references:
            shorter, longer = sorted((key, reference), key=len)
            # Words, not a substring: a <title> may add words inside ("#412" → "Issue #412").
            contained = shorter in longer or set(shorter.split()) <= set(longer.split())
            if contained and len(shorter) * 10 >= len(longer) * 6:
                return h1[:500]
    for text in stated:
        if text:
            return text[:500]
    return next((h1[:500] for h1 in h1_titles if h1), "")


def title_text(text: str) -> str:
    """A title on one line: entities some CMSs leave escaped decoded, soft hyphens gone."""
    if "&" in text:
        text = html.unescape(text)
    return one_line(text.replace("\u00ad", ""))


def strip_site_name(title: str, site_name: str | None, url: str) -> str:
    """Cut " | Site Name" (or "Site Name - ") off a title when that part names the site."""
    host = (urlsplit(url).hostname or "").lower()
    host_words = {word for word in re.split(r"[.\-]", host) if len(word) > 2} - {"www", "com"}
    site_key = _title_key(site_name or "")
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        parts = [part.strip() for part in title.split(separator)]
        kept = [part for part in parts if not _names_site(part, site_key, host_words)]
        if kept and len(kept) < len(parts):
            return separator.join(kept)
    return title


def _names_site(part: str, site_key: str, host_words: set[str]) -> bool:
    key = _title_key(part)
    if not key:
        return True
    if site_key and (key == site_key or key in site_key or site_key in key) and len(key) > 2:
        return True
    compact = key.replace(" ", "")
    return len(part.split()) <= 4 and any(word in compact for word in host_words)


def _title_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# -- JSON-LD --------------------------------------------------------------------------------


def _json_ld_objects(root: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        text = (script.text or "").strip()
        if not text or len(text) > _MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        yield from _flatten_json_ld(valid_unicode(data, 0), 0)


def valid_unicode(data: Any, depth: int) -> Any:
    """JSON data with every string made valid Unicode: lone surrogates become U+FFFD.

    JSON may escape half of a surrogate pair ("\\ud800"); Python reads it into a str that
    cannot be encoded as UTF-8, so storing or printing the article would fail later.
    """
    if isinstance(data, str):
        return _LONE_SURROGATE.sub("\ufffd", data)
    if depth > _MAX_JSON_DEPTH:
        return None
    if isinstance(data, list):
        return [valid_unicode(item, depth + 1) for item in data]
    if isinstance(data, dict):
        return {
            valid_unicode(key, depth + 1): valid_unicode(value, depth + 1)
            for key, value in data.items()
        }
    return data


def _flatten_json_ld(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document that has an @type, through @graph and lists."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:100]:
            yield from _flatten_json_ld(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data or "@id" in data:
            yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten_json_ld(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _flatten_json_ld(main, depth + 1)


def _types(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.lower() for k in kinds if isinstance(k, str)]


def _main_json_ld(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object that describes the article (or any object with its dates)."""
    for obj in objects:
        if ARTICLE_TYPES & set(_types(obj)):
            return obj
    for obj in objects:
        if "datePublished" in obj or "headline" in obj:
            return obj
    return {}


def _string(value: Any, depth: int = 0) -> str:
    """A JSON-LD value as text: a string, the first of a list, an object's name or @value."""
    if isinstance(value, str):
        return value
    if depth > 4:
        return ""
    if isinstance(value, list) and value:
        return _string(value[0], depth + 1)
    if isinstance(value, dict):
        return _string(value.get("name") or value.get("@value") or "", depth + 1)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _stated_body(
    article: dict[str, Any], objects: list[dict[str, Any]], url: str
) -> tuple[str, int]:
    """The article's text as the JSON-LD states it ("" when it does not), and its updates.

    The article's articleBody; for a live blog, its updates (liveBlogUpdate, or several
    article objects that are parts of this page: their url is this page's) joined in order.
    """
    if not article:
        return "", 0
    updates = article.get("liveBlogUpdate")
    parts = updates if isinstance(updates, list) else []
    if not parts:
        page = _page_key(url)
        parts = [
            obj
            for obj in objects
            if ARTICLE_TYPES & set(_types(obj))
            and isinstance(obj.get("articleBody"), str)
            and _page_key(_string(obj.get("url") or obj.get("mainEntityOfPage"))) == page
        ]
    if len(parts) < 2:
        body = article.get("articleBody")
        return (body[:_MAX_STATED_BODY_CHARS] if isinstance(body, str) else ""), 0
    texts: list[str] = []
    for part in parts[:_MAX_LIVE_UPDATES]:
        if not isinstance(part, dict):
            continue
        texts.extend(
            value
            for value in (part.get("headline"), part.get("articleBody"))
            if isinstance(value, str) and value.strip()
        )
    return "\n\n".join(texts)[:_MAX_STATED_BODY_CHARS], len(parts)


def _page_key(url: str) -> str:
    """Host and path of a URL: the parts of one page (its fragments name items in it)."""
    try:
        parts = urlsplit(one_line(url))
    except ValueError:
        return ""
    return f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}"


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
    name = one_line(_string(publisher))
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
        if isinstance(author, dict) and "organization" in _types(author):
            if site_name and _title_key(_string(author)) == _title_key(site_name):
                continue
        names.append(_string(author))
    if not any(names):
        names = [next((metas[key][0] for key in _AUTHOR_META if key in metas), "")]
    stated = [_clean_name(name) for name in names if _clean_name(name)]
    if not stated or all(_names_publisher(name, site_name) for name in stated):
        # No person named: the people whose author pages the byline links to, if any.
        names = _author_links(root) or (names if stated else [_visible_byline(root)])
    cleaned: list[str] = []
    for name in names:
        name = _clean_name(name)
        if name and name.lower() not in {seen.lower() for seen in cleaned}:
            cleaned.append(name)
    return ", ".join(cleaned)[:200] or None


def _names_publisher(name: str, site_name: str | None) -> bool:
    """Whether a stated author is the publisher: its name, or its initials ("LTO")."""
    key = _title_key(name)
    site_key = _title_key(site_name or "")
    if not key or not site_key:
        return False
    initials = "".join(word[0] for word in site_key.split())
    return key == site_key or key in site_key.split() or key == initials


def _author_links(root: HtmlElement) -> list[str]:
    """Names linked to author pages ("/author/jane-doe") in the byline, above the story.

    Only links before the first paragraph of story length count: below it, author links
    belong to teasers of other stories.
    """
    names: list[str] = []
    for element in root.iter("a", "p"):
        if element.tag == "p":
            if len(element.text_content()) >= _STORY_PARAGRAPH_CHARS:
                break
            continue
        path = (element.get("href") or "").split("?")[0].lower()
        if not _AUTHOR_PAGE.search(path):
            continue
        name = _clean_name(element.text_content())
        if name and not any(char.isdigit() for char in name) and 1 < len(name.split()) <= 5:
            if name.lower() not in {seen.lower() for seen in names}:
                names.append(name)
        if len(names) >= _MAX_AUTHORS:
            break
    return names


def _clean_name(name: str) -> str:
    name = one_line(name)
    if not name or _URLISH.search(name) or len(name) > 120:
        return ""
    # A date or time in an element named "author-date" is not a name.
    if sum(char.isdigit() for char in name) > 3:
        return ""
    return _BY_PREFIX.sub("", name).strip(" ,;|·-")


def _visible_byline(root: HtmlElement) -> str:
    for element in root.iter("a", "span", "div", "p", "address"):
        if element.tag == "a" and (element.get("rel") or "").lower() == "author":
            return element.text_content()
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if element.get("itemprop") == "author" or (len(names) > 3 and _BYLINE_CLASS.search(names)):
            # Joined with spaces: a name and a title in two child elements are two words.
            text = one_line(" ".join(element.itertext()))
            if 3 <= len(text) <= 80:
                return text
    return ""


def _tags(root: HtmlElement, metas: dict[str, list[str]], article: dict[str, Any]) -> list[str]:
    found: list[str] = list(metas.get("article:tag", []))
    keywords = article.get("keywords") if article else None
    if not found and isinstance(keywords, str):
        found = keywords.split(",")
    elif not found and isinstance(keywords, list):
        found = [_string(keyword) for keyword in keywords]
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
        candidates.append(_string(image.get("url") or image.get("contentUrl")))
    elif isinstance(image, list) and image:
        first = image[0]
        candidates.append(_string(first.get("url")) if isinstance(first, dict) else _string(first))
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
    candidates += [_string(article.get("inLanguage"))] if article else []
    candidates += metas.get("content-language", []) + metas.get("og:locale", [])
    for candidate in candidates:
        code = one_line(candidate).replace("_", "-").split(",")[0].strip()
        if code and _LANGUAGE.match(code):
            return code
    return None


# -- dates ------------------------------------------------------------------------------------


def _date_texts(
    article: dict[str, Any], metas: dict[str, list[str]], root: HtmlElement, published: bool
) -> list[str]:
    """Machine-readable date strings, most trusted first."""
    texts: list[str] = []
    keys = ("datePublished", "dateCreated") if published else ("dateModified",)
    for key in keys:
        if article and article.get(key):
            texts.append(_string(article.get(key)))
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
    for element in _first(root.iter("time"), 50):
        value = element.get("datetime") or ""
        if not value.strip():
            continue
        names = f"{element.get('class', '')} {element.get('itemprop', '')}".lower()
        if "publish" in names or "pubdate" in element.attrib:
            marked.append(value)
        else:
            others.append(value)
    return marked + others[:1]


def _first_date(texts: list[str], zone: tzinfo) -> datetime | None:
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


def _first(iterator: Iterator[HtmlElement], count: int) -> list[HtmlElement]:
    items = []
    for item in iterator:
        items.append(item)
        if len(items) >= count:
            break
    return items
