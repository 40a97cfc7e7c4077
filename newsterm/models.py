"""Dataclasses shared by every layer: Source, Headline, Listing, Article and its body blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Source:
    """A place headlines come from: a site's news list or an RSS/Atom feed."""

    url: str
    """The listing or feed URL that is fetched on refresh."""
    name: str = ""
    """A short name for display; the host when empty."""
    timezone: str = "Europe/Kyiv"
    """The zone the site writes its local times in."""
    id: int | None = None
    """The store's row id, None until stored."""

    @property
    def display_name(self) -> str:
        """The name to show: the configured name, else the URL's host."""
        if self.name:
            return self.name
        from urllib.parse import urlsplit

        return urlsplit(self.url).hostname or self.url


@dataclass(slots=True)
class Headline:
    """One item of a listing: a headline linking to an article."""

    NO_LINK = "newsterm:nolink/"  # not annotated: a class constant, not a field
    """How the `url` of a headline without a link starts: an identifier of ours, never fetched."""

    title: str
    url: str
    """Absolute http(s) URL of the article; for an item the site lists without a usable link
    (none, or `javascript:`), an identifier starting with NO_LINK (see `link`)."""
    published: datetime | None = None
    """Timezone-aware publication time, or None when the listing gives none."""
    label: str | None = None
    """The site's tag printed next to the headline ("Exclusive", "OPINION"), verbatim."""
    category: str | None = None
    summary: str | None = None
    """Plain-text summary, from feeds; used as the reader's last fallback."""
    source: str | None = None
    """URL of the source the headline came from (set by the library, not the parser)."""

    @property
    def link(self) -> str | None:
        """The article's URL, or None for a headline the site lists without a link."""
        return Headline.link_of(self.url)

    @staticmethod
    def link_of(url: str) -> str | None:
        """The link a stored headline URL stands for: None for a headline without a link."""
        return None if url.startswith(Headline.NO_LINK) else url

    @staticmethod
    def no_link_url(site: str, title: str, when: str) -> str:
        """The identifier of a headline without a link: its site, title and time, hashed.

        The store keys headlines by URL; this key is stable across refreshes (the same item
        is one row) and apart for two items of different titles or times.
        """
        import hashlib

        data = "\n".join((site, title, when)).encode("utf-8", "surrogatepass")
        return Headline.NO_LINK + hashlib.blake2b(data, digest_size=12).hexdigest()


@dataclass(slots=True)
class Listing:
    """What a parsed listing page or feed holds."""

    headlines: list[Headline] = field(default_factory=list)
    next_page: str | None = None
    """Absolute URL of the listing's next page ("More news"), if any."""
    feeds: list[str] = field(default_factory=list)
    """Feed URLs the page advertises (autodiscovery)."""
    kind: str = "empty"
    """How it was parsed: "preset:<name>", "generic", "rss", "atom", or "empty"."""
    title: str | None = None
    """The name the listing gives itself: the feed's title, the page's og:site_name or title."""
    reason: str | None = None
    """Why the listing is empty, in words a user can read; None when it has headlines."""


@dataclass(frozen=True, slots=True)
class Span:
    """A run of a block's text with one look: plain, a link, strong, emphasis or code."""

    text: str
    href: str | None = None
    """The link's absolute URL (http, https or mailto), None when the span is no link."""
    marks: str = ""
    """Which of "b" (strong), "i" (emphasis) and "c" (code) apply, in that order."""


# Items of lists nested deeper than this keep this depth: indents past it only narrow text.
MAX_LIST_DEPTH = 8


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list: its marker ("•" or "3."), its nesting depth and its text."""

    marker: str
    spans: tuple[Span, ...]
    depth: int = 0
    """0 for a top-level item, at most MAX_LIST_DEPTH."""


@dataclass(frozen=True, slots=True)
class BodyBlock:
    """One block of an article's body as the extractor found it; never Markdown to parse."""

    kind: str
    """"paragraph", "heading", "list", "code" or "table"."""
    spans: tuple[Span, ...] = ()
    """The text of a paragraph or heading; a "\\n" inside a span is a line break."""
    level: int = 0
    """Heading level (1-6)."""
    quote: int = 0
    """Which block quote the block sits in (numbered from 1), 0 when in none."""
    items: tuple[ListItem, ...] = ()
    """A list's items, nested items after their parent."""
    lines: tuple[str, ...] = ()
    """A code block's lines."""
    rows: tuple[tuple[str, ...], ...] = ()
    """A table's rows of cells."""


@dataclass(slots=True)
class Article:
    """A cleaned article: metadata plus the body as blocks, plain text and Markdown."""

    url: str
    title: str = ""
    text: str = ""
    """Plain text: paragraphs separated by one blank line."""
    markdown: str = ""
    """The body as Markdown (for export and `read --markdown`), rendered from the blocks."""
    byline: str | None = None
    published: datetime | None = None
    """Timezone-aware publication time, or None."""
    modified: datetime | None = None
    lead: str | None = None
    """The standfirst, when the page has one apart from the body."""
    tags: list[str] = field(default_factory=list)
    lead_image: str | None = None
    images: list[str] = field(default_factory=list)
    site_name: str | None = None
    language: str | None = None
    method: str = "none"
    """Which path produced the body: "readability", "article-element", "feed-summary", "none"."""
    extractor_version: int = 1
    blocks: list[BodyBlock] = field(default_factory=list)
    """The body as the reader shows it; empty for an article cached before blocks were kept
    (the reader then shows `text` as plain paragraphs)."""

    @property
    def word_count(self) -> int:
        """Words in the body, for reading time."""
        return len(self.text.split())
