"""Shared data for the TUI tests, snapshots and screenshots: a cache filled from the fixtures."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from newsterm.config import Settings, SourceSettings
from newsterm.library import Library
from newsterm.models import Article, BodyBlock, Headline, Source, Span
from newsterm.store import FetchState

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
HOME = "https://global.espreso.tv"
NEWS_URL = f"{HOME}/news"
SEED_URL = f"{HOME}/russia-uses-new-technologies-to-influence-european-elections-top-eu-diplomat"
FIXED_NOW = datetime.fromisoformat("2025-05-16T20:05:00+03:00").timestamp()
"""The frozen "now" of snapshots: a few minutes after the newest fixture headline."""


def frozen_clock() -> float:
    """A clock stuck at FIXED_NOW."""
    return FIXED_NOW


def make_settings(tmp_path: Path, source_url: str = NEWS_URL, **overrides: object) -> Settings:
    """Settings on a temp data dir with one source and times shown in Kyiv."""
    settings = Settings(
        data_dir=tmp_path,
        sources=[SourceSettings(source_url, "Espreso Global")],
        display_timezone="Europe/Kyiv",
    )
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


def fixture_headlines(name: str = "news.expected.json", base: str = HOME) -> list[Headline]:
    """The expected parse of a fixture listing as Headlines, links moved to `base`."""
    data = json.loads((SITE / name).read_text(encoding="utf-8"))
    return [
        Headline(
            title=item["title"],
            url=item["href"].replace(HOME, base),
            published=datetime.fromisoformat(item["published"]),
            label=item["label"],
            category=item.get("category"),
        )
        for item in data["items"]
    ]


def seed_article(url: str = SEED_URL) -> Article:
    """The fixture article as the extractor should give it, with a subheading."""
    data = json.loads((SITE / "article.expected.json").read_text(encoding="utf-8"))
    paragraphs = data["paragraphs"]
    subheading = "What is known about elections in Romania"
    markdown = "\n\n".join(f"## {text}" if text == subheading else text for text in paragraphs)
    blocks = [
        BodyBlock("heading", (Span(text),), level=2)
        if text == subheading
        else BodyBlock("paragraph", (Span(text),))
        for text in paragraphs
    ]
    return Article(
        url=url,
        title=data["title"],
        text="\n\n".join(paragraphs),
        markdown=markdown,
        blocks=blocks,
        byline="Marta Ostapchuk",
        published=datetime.fromisoformat(data["published"]),
        lead=data["lead"],
        tags=["Kaja Kallas", "Romania", "elections"],
        site_name="Espreso",
        method="readability",
    )


def fill_library(library: Library, *, updated_at: float = FIXED_NOW - 120) -> Source:
    """Put the fixture listing, the seed article and a fetch time into the cache."""
    store = library.store
    source = store.add_source(Source(NEWS_URL, "Espreso Global", "Europe/Kyiv"))
    headlines = fixture_headlines()
    article = seed_article()
    headlines.append(
        Headline(article.title, article.url, article.published, None, "Politics", None)
    )
    state = FetchState(NEWS_URL, last_status=200, last_success=updated_at)
    store.store_listing(source, headlines, state, now=updated_at)
    store.put_article(article, fetched_at=updated_at)
    return source


def open_filled_library(tmp_path: Path, **overrides: object) -> Library:
    """A library on a temp data dir, already holding the fixture cache."""
    library = Library.open(make_settings(tmp_path, **overrides))
    fill_library(library)
    return library


def screen_text(app: object) -> str:
    """The whole screen as text, one line per row (what a terminal would show)."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def screen_segments(app: object) -> list[str]:
    """The text of every segment on screen, for checking what bytes reach the terminal."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return [segment.text for strip in strips for segment in strip]
