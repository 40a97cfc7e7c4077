"""What the store hands out (fetch state, ticker rows, articles…) and how rows become them."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsterm.models import Article, BodyBlock, Headline, Source
from newsterm.store.blocks_json import decode_blocks
from newsterm.text.sanitize import clean_text

# The latest time the store keeps or hands out: the last day of year 9998, so that its
# local time in any zone (UTC−12 … UTC+14) is still a datetime. Times before 1970 are
# never the store's own (fetches, sightings, saves), so 0 is the earliest.
LATEST_TIME = datetime(9998, 12, 31, tzinfo=UTC).timestamp()
# A source is never left untried for longer than this, whatever it asked for: a next try
# further out is written as this far out, and read back as absent.
MAX_DEFERRAL_SECONDS = 7 * 86400


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
    sort_key: float = 0.0
    """Where the row sorts (its published time, else when first seen): see `key`."""
    story: int | None = None
    """The story it belongs to (newsterm.library.desk), None until grouped."""
    muted: bool = False
    """Whether a mute rule hides it (shown only when muted rows are asked for)."""
    source_url: str = ""
    """The URL of its source, which source: rules match."""

    @property
    def key(self) -> tuple[float, int]:
        """The row's place in the ticker, for keyset paging: (sort_key, id)."""
        return (self.sort_key, self.id)


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
    blocks: list[BodyBlock] = field(default_factory=list)
    """The body as the reader showed it; empty for a revision kept before schema 8."""


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
    """What the cache budget counts: articles with their pages, and their revisions."""
    revision_bytes: int = 0
    """The revisions' share of article_bytes."""


@dataclass(slots=True)
class RefreshCounts:
    """What one listing's upsert changed."""

    new: int
    seen: int


def source_from_row(row: sqlite3.Row) -> Source:
    return Source(
        url=text(row["url"]),
        name=text(row["name"]),
        timezone=text(row["timezone"]) or "UTC",
        id=row["id"],
    )


def headline_from_row(row: sqlite3.Row) -> Headline:
    return Headline(
        title=text(row["title"]),
        url=text(row["url"]),
        published=parse_time(row["published"]),
        label=optional_text(row["label"]),
        category=optional_text(row["category"]),
        summary=optional_text(row["summary"]),
        source=optional_text(row["source_url"]),
    )


def ticker_row_from_row(row: sqlite3.Row) -> TickerRow:
    return TickerRow(
        id=row["id"],
        title=text(row["title"]),
        url=text(row["url"]),
        published=parse_time(row["published"]),
        label=optional_text(row["label"]),
        source_id=row["source_id"],
        source_name=text(row["source_name"]) or host(text(row["source_url"])),
        first_seen=epoch(row["first_seen"]) or 0.0,
        read=row["read_at"] is not None,
        saved=row["saved_at"] is not None,
        cached=row["article_id"] is not None,
        sort_key=row["sort_key"] if isinstance(row["sort_key"], int | float) else 0.0,
        story=integer(row["story"]),
        muted=bool(integer(row["muted"])),
        source_url=text(row["source_url"]),
    )


def revision_from_row(row: sqlite3.Row) -> Revision:
    return Revision(
        text(row["title"]),
        text(row["text"]),
        text(row["markdown"]),
        parse_time(row["published"]),
        parse_time(row["modified"]),
        epoch(row["fetched_at"]) or 0.0,
        epoch(row["replaced_at"]) or 0.0,
        text(row["change"]),
        decode_blocks(optional_column(row, "blocks")),
    )


def fetch_state_from_row(row: sqlite3.Row, now: float | None = None) -> FetchState:
    now = time.time() if now is None else now
    next_try = epoch(row["next_try"])
    if next_try is not None and next_try > now + MAX_DEFERRAL_SECONDS:
        next_try = None
    status = integer(row["last_status"])
    return FetchState(
        url=text(row["url"]),
        etag=validator(row["etag"]),
        last_modified=validator(row["last_modified"]),
        last_status=status if status is not None and 0 <= status <= 999 else None,
        last_error=optional_text(row["last_error"]),
        last_attempt=epoch(row["last_attempt"]),
        last_success=epoch(row["last_success"]),
        next_try=next_try,
    )


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        url=text(row["url"]),
        title=text(row["title"]),
        text=text(row["text"]),
        markdown=text(row["markdown"]),
        byline=optional_text(row["byline"]),
        published=parse_time(row["published"]),
        modified=parse_time(row["modified"]),
        lead=optional_text(row["lead"]),
        tags=json_list(row["tags"]),
        lead_image=optional_text(row["lead_image"]),
        images=json_list(row["images"]),
        site_name=optional_text(row["site_name"]),
        language=optional_text(row["language"]),
        method=text(row["method"]),
        extractor_version=integer(row["extractor_version"]) or 0,
        blocks=decode_blocks(optional_column(row, "blocks")),
    )


def stored_from_row(row: sqlite3.Row) -> StoredArticle:
    saved_at = row["saved_at"]
    return StoredArticle(
        article=article_from_row(row),
        fetched_at=epoch(row["fetched_at"]) or 0.0,
        final_url=optional_text(row["final_url"]),
        # A saved row stays saved even if its time cannot be read: 0 stands for "unknown".
        saved_at=None if saved_at is None else epoch(saved_at) or 0.0,
        revision_count=integer(row["revision_count"]) or 0,
        content_type=optional_text(row["content_type"]),
    )


def optional_column(row: sqlite3.Row, name: str) -> object:
    """A column that a file written before its schema version lacks (salvage reads those)."""
    return row[name] if name in row.keys() else None


def url_key(url: object) -> int:
    """The 64-bit key a headline's URL is indexed by (schema 3): BLAKE2b, as a signed int.

    Lookups compare the URL itself too, so a collision can never return the wrong row;
    two URLs of one source colliding (odds ~1e-7 at a million headlines) keep the first.
    """
    data = url.encode("utf-8", "surrogatepass") if isinstance(url, str) else bytes(url or b"")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def json_list(value: object) -> list[str]:
    try:
        data = json.loads(value or "[]")  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return []
    return [str(item) for item in data] if isinstance(data, list) else []


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if writable_datetime(value) else None


def writable_datetime(value: datetime | None) -> datetime | None:
    """A datetime as it may be stored: one at the edges of datetime's range is dropped."""
    if value is None or not 2 <= value.year <= 9998:
        return None
    return value


def parse_time(value: object) -> datetime | None:
    """A stored ISO time, or None when it is not one (or too near datetime's limits)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return writable_datetime(parsed)


def epoch(value: object) -> float | None:
    """A stored epoch time, or None when it is not a number any datetime can hold."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 0 <= value <= LATEST_TIME:  # NaN fails this too
        return None
    return float(value)


def writable_epoch(value: float | None) -> float | None:
    """An epoch time as it may be stored: NaN dropped, anything else clamped into range."""
    if value is None or math.isnan(value):
        return None
    return min(max(float(value), 0.0), LATEST_TIME)


def integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def text(value: object) -> str:
    """A stored text column as str, whatever an older release or a hand edit left there."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bytes):
        return clean_text(value.decode("utf-8", "replace"))
    return str(value)


def optional_text(value: object) -> str | None:
    return None if value is None else text(value)


def validator(value: object) -> str | None:
    """An ETag or Last-Modified that can be sent back as a header field, else None.

    Text must be visible ASCII; bytes (as a server sent them) may also hold obs-text
    (0x80–0xFF), as RFC 9110 allows. Dropping one only costs a full refetch.
    """
    if isinstance(value, str) and value.isascii():
        raw = value.encode("ascii")
    elif isinstance(value, bytes):
        raw = value
    else:
        return None
    if any(byte < 0x20 and byte != 0x09 or byte == 0x7F for byte in raw):
        return None
    return value  # type: ignore[return-value]


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
