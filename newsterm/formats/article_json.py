"""An Article as a JSON-able dict and back: dates as ISO 8601 with their offset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsterm.extract.json_ld import valid_unicode
from newsterm.models import Article
from newsterm.store.blocks_json import blocks_from_json, blocks_to_json


def article_to_json(article: Article) -> dict[str, Any]:
    """Every field of an Article as JSON-able values; datetimes become ISO 8601 strings."""
    return {
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": _iso(article.published),
        "modified": _iso(article.modified),
        "lead": article.lead,
        "text": article.text,
        "markdown": article.markdown,
        "tags": list(article.tags),
        "lead_image": article.lead_image,
        "images": list(article.images),
        "site_name": article.site_name,
        "language": article.language,
        "method": article.method,
        "extractor_version": article.extractor_version,
        "blocks": blocks_to_json(article.blocks),
    }


def article_from_json(data: dict[str, Any]) -> Article:
    """The Article that `article_to_json` made `data` from (unknown keys are ignored).

    JSON may hold half of a surrogate pair ("\\ud800"), which no str can be encoded
    with: such characters become U+FFFD, so an article read back always prints. Blocks
    that are not valid (see store.blocks_json) read as none.
    """
    data = valid_unicode(data, 0)
    return Article(
        url=str(data.get("url") or ""),
        title=str(data.get("title") or ""),
        text=str(data.get("text") or ""),
        markdown=str(data.get("markdown") or ""),
        byline=data.get("byline"),
        published=_datetime(data.get("published")),
        modified=_datetime(data.get("modified")),
        lead=data.get("lead"),
        tags=[str(tag) for tag in data.get("tags") or []],
        lead_image=data.get("lead_image"),
        images=[str(image) for image in data.get("images") or []],
        site_name=data.get("site_name"),
        language=data.get("language"),
        method=str(data.get("method") or "none"),
        extractor_version=int(data.get("extractor_version") or 1),
        blocks=blocks_from_json(data.get("blocks")) or [],
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
