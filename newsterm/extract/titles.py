"""The article's headline among what the page states: JSON-LD, OpenGraph, <h1>, <title>."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from newsterm.sanitize import one_line

_TITLE_SEPARATORS = (" | ", " — ", " – ", " - ", " :: ", " · ", " • ", " / ", " « ", " » ")


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
        if len(title_key(headline)) >= 3:
            return headline[:500]
    stated = [strip_site_name(text, site_name, url) for text in [*meta_titles, page_title] if text]
    references = [title_key(text) for text in stated if title_key(text)]
    site_key = title_key(site_name or "")
    for h1 in h1_titles:
        key = title_key(h1)
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
    site_key = title_key(site_name or "")
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        parts = [part.strip() for part in title.split(separator)]
        kept = [part for part in parts if not _names_site(part, site_key, host_words)]
        if kept and len(kept) < len(parts):
            return separator.join(kept)
    return title


def _names_site(part: str, site_key: str, host_words: set[str]) -> bool:
    key = title_key(part)
    if not key:
        return True
    if site_key and (key == site_key or key in site_key or site_key in key) and len(key) > 2:
        return True
    compact = key.replace(" ", "")
    return len(part.split()) <= 4 and any(word in compact for word in host_words)


def title_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
