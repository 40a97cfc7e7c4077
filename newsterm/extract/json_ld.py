"""The article's JSON-LD: its objects, the main one, its values as text, its stated body."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

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
_MAX_JSON_LD_CHARS = 1_000_000
_MAX_JSON_DEPTH = 40
_MAX_STATED_BODY_CHARS = 500_000
_MAX_LIVE_UPDATES = 500
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Markers older (XHTML) templates wrap a script's JSON in: "//<![CDATA[" … "//]]>",
# "/*<![CDATA[*/" … "/*]]>*/", "<!--" … "-->". JSON cannot start or end with them.
_WRAPPER_STARTS = ("//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[", "<!--")
_WRAPPER_ENDS = ("//]]>", "/*]]>*/", "]]>", "-->")


def json_ld_objects(root: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        text = (script.text or "").strip()
        if not text or len(text) > _MAX_JSON_LD_CHARS:
            continue
        text = _unwrapped(text)
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        yield from _flatten(valid_unicode(data, 0), 0)


def _unwrapped(text: str) -> str:
    """A script's JSON without the CDATA or comment markers around it."""
    start = next((start for start in _WRAPPER_STARTS if text.startswith(start)), "")
    end = next((end for end in _WRAPPER_ENDS if text.endswith(end)), "")
    return text[len(start) : len(text) - len(end)].strip()


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


def _flatten(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document that has an @type, through @graph and lists."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:100]:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data or "@id" in data:
            yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _flatten(main, depth + 1)


def types_of(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.lower() for k in kinds if isinstance(k, str)]


def main_object(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object that describes the article (or any object with its dates).

    Of the objects of an article type, the first that states a headline or a date: a page
    block typed CreativeWork (a paywall's, the site's) may come first and state neither.
    """
    articles = [obj for obj in objects if ARTICLE_TYPES & set(types_of(obj))]
    stating = (obj for obj in articles if "headline" in obj or "datePublished" in obj)
    if articles:
        return next(stating, articles[0])
    for obj in objects:
        if "datePublished" in obj or "headline" in obj:
            return obj
    return {}


def json_string(value: Any, depth: int = 0) -> str:
    """A JSON-LD value as text: a string, the first of a list, an object's name or @value."""
    if isinstance(value, str):
        return value
    if depth > 4:
        return ""
    if isinstance(value, list) and value:
        return json_string(value[0], depth + 1)
    if isinstance(value, dict):
        return json_string(value.get("name") or value.get("@value") or "", depth + 1)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def stated_body(
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
            if ARTICLE_TYPES & set(types_of(obj))
            and isinstance(obj.get("articleBody"), str)
            and _page_key(json_string(obj.get("url") or obj.get("mainEntityOfPage"))) == page
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
