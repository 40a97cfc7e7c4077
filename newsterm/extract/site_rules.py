"""The one table of site-specific knowledge: per host, CSS selectors to keep or drop."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement


@dataclass(frozen=True, slots=True)
class SiteRule:
    """What the generic rules cannot know about one site (and its subdomains)."""

    hosts: tuple[str, ...]
    """Host names; a rule for "espreso.tv" also covers "global.espreso.tv"."""
    body: str = ""
    """CSS selector of the element(s) holding the article body; readability sees only these."""
    lead: str = ""
    """CSS selector of the standfirst, when the site prints one apart from the body."""
    drop: tuple[str, ...] = ()
    """CSS selectors of elements to remove before extraction."""


# Generic rules do the work; an entry here only pins down what a site's markup makes
# ambiguous. Selectors are data, so adding a site means adding a row, not code.
SITE_RULES: tuple[SiteRule, ...] = (
    # Espreso (espreso.tv, global.espreso.tv): the body is div.news-content; the lead is the
    # h2 before it; "client/title.list_title" is a template key the site leaks.
    SiteRule(
        hosts=("espreso.tv",),
        body="div.news-content",
        lead="div.content_current_article > h2",
        drop=("div.news__list_title", "div.video-block", "div.banner", "div.read_also"),
    ),
)


def rule_for(url: str) -> SiteRule | None:
    """The rule whose host is the URL's host or a parent domain of it."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    for rule in SITE_RULES:
        for rule_host in rule.hosts:
            if host == rule_host or host.endswith("." + rule_host):
                return rule
    return None


def select(root: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements matching a CSS selector of the table (compiled once)."""
    if not selector:
        return []
    return _compiled(selector)(root)


@lru_cache(maxsize=64)
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector)
