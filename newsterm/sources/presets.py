"""Known listing markups, as data: CSS selectors per site family, read by `preset_listing`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Preset:
    """How one site family marks up its timestamped news list (CSS selectors)."""

    name: str
    """Shown in `Listing.kind` as "preset:<name>"."""
    items: str
    """Each headline item of the list."""
    day_headers: str
    """The day headers between items; an item takes the date of the header above it."""
    header_date: str
    """Inside a header, the element holding its date text."""
    title: str
    """Inside an item, the headline link; its text is the title, its href the URL."""
    time: str
    label: str
    """Inside an item, the site's tag ("Exclusive", "OPINION"), kept verbatim."""
    category: str
    next_page: str
    """On the page, the "More news" link."""
    title_text: str = ""
    """Inside an item with no headline link, the element holding its title (kept unlinked)."""


PRESETS: tuple[Preset, ...] = (
    # Espreso's CMS (global.espreso.tv, espreso.tv): the /news list, as public scrapers of
    # espreso.tv describe it; see tests/fixtures/site/README.md.
    Preset(
        name="espreso",
        items="ul#js-news-list-container > li.news_page_similar_content__item",
        day_headers="ul#js-news-list-container > li.news_page_similar_content__date-wrap",
        header_date="div.news_page_similar_content__date",
        title="div.title > a[href]",
        time="span.time",
        label="span.label",
        category="a.news_page_similar_content_item__category",
        next_page="a.btn--more[href]",
        title_text="div.title",
    ),
)
