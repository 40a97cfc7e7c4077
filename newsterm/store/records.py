"""What the store hands out (fetch state, ticker rows, articles…) and how rows become them."""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsterm.models import Article, Headline, Source


@dataclass(slots=True)
class FetchState:
    """What the cache remembers about the last fetch of one URL."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_attempt: float | None = None
    last_success: float | None = None
    next_try: float | None = None


@dataclass(slots=True)
class TickerRow:
    """A headline as the ticker shows it, with its read and saved state."""

    id: int
    title: str
    url: str
    published: datetime | None
    label: str | None
    source_id: int
    source_name: str
    first_seen: float
    read: bool
    saved: bool
    cached: bool


@dataclass(slots=True)
class StoredArticle:
    """An article from the cache with where and when it came from."""

    article: Article
    fetched_at: float
    final_url: str | None
    saved_at: float | None
    revision_count: int
    raw_html: bytes | None = None
    content_type: str | None = None

    @property
    def saved(self) -> bool:
        """Whether the article is pinned for good."""
        return self.saved_at is not None


@dataclass(slots=True)
class ArticleContext:
    """What opening an article needs, read at once: cache, fetch state, the lister's zone."""

    stored: StoredArticle | None
    state: FetchState
    timezone: str | None
    """The zone of the source whose headline links here (None if no source lists it)."""
    summary: str | None
    """That headline's summary, which the extractor may use as the lead."""


@dataclass(slots=True)
class Revision:
    """An earlier version of an article, kept when a refetch found it changed."""

    title: str
    text: str
    markdown: str
    published: datetime | None
    modified: datetime | None
    fetched_at: float
    replaced_at: float
    change: str


@dataclass(slots=True)
class SearchHit:
    """One search result: an article (cached) or a headline (only the title is known)."""

    url: str
    title: str
    snippet: str
    published: datetime | None
    cached: bool
    score: float


@dataclass(slots=True)
class CacheInfo:
    """Counts and sizes for `newsterm cache info`."""

    path: Path
    file_bytes: int
    sources: int
    headlines: int
    articles: int
    saved: int
    revisions: int
    article_bytes: int


@dataclass(slots=True)
class RefreshCounts:
    """What one listing's upsert changed."""

    new: int
    seen: int


def source_from_row(row: sqlite3.Row) -> Source:
    return Source(url=row["url"], name=row["name"], timezone=row["timezone"], id=row["id"])


def headline_from_row(row: sqlite3.Row) -> Headline:
    return Headline(
        title=row["title"],
        url=row["url"],
        published=parse_time(row["published"]),
        label=row["label"],
        category=row["category"],
        summary=row["summary"],
        source=row["source_url"],
    )


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        url=row["url"],
        title=row["title"],
        text=row["text"],
        markdown=row["markdown"],
        byline=row["byline"],
        published=parse_time(row["published"]),
        modified=parse_time(row["modified"]),
        lead=row["lead"],
        tags=json_list(row["tags"]),
        lead_image=row["lead_image"],
        images=json_list(row["images"]),
        site_name=row["site_name"],
        language=row["language"],
        method=row["method"],
        extractor_version=row["extractor_version"],
    )


def stored_from_row(row: sqlite3.Row) -> StoredArticle:
    return StoredArticle(
        article=article_from_row(row),
        fetched_at=row["fetched_at"],
        final_url=row["final_url"],
        saved_at=row["saved_at"],
        revision_count=row["revision_count"],
        content_type=row["content_type"],
    )


def json_list(value: str | None) -> list[str]:
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(item) for item in data] if isinstance(data, list) else []


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def compress(raw: bytes | None) -> bytes | None:
    return zlib.compress(raw, 6) if raw else None


def decompress(blob: bytes | None) -> bytes | None:
    if not blob:
        return None
    try:
        return zlib.decompress(blob)
    except zlib.error:
        return None


def host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url
