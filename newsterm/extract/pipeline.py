"""extract_article: page bytes and URL in, a cleaned Article out (readability plus our rules)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from urllib.parse import urljoin

from lxml.html import HtmlElement, document_fromstring

from newsterm.extract import EXTRACTOR_VERSION
from newsterm.extract.blocks import (
    Block,
    blocks_from_element,
    blocks_from_plain_text,
    body_blocks,
    render_markdown,
    render_text,
)
from newsterm.extract.boilerplate import clean_blocks, prune_page, text_of
from newsterm.extract.candidates import (
    agreement,
    densest_container,
    page_prose,
    prose_score,
    reads_as_article,
    stated_blocks,
    stated_text,
)
from newsterm.extract.metadata import ARTICLE_TYPES, PageMetadata, read_metadata
from newsterm.extract.page_dates import first_elements
from newsterm.extract.parsing import UnparseablePage, page_text, parse_page
from newsterm.extract.readability_engine import readability_summary
from newsterm.extract.site_rules import SiteRule, rule_for, select
from newsterm.extract.standfirst import choose_lead, find_candidates
from newsterm.extract.titles import heading_text, title_key
from newsterm.models import Article
from newsterm.text import zones
from newsterm.text.sanitize import one_line

# Below this much body text readability is taken to have missed (a teaser, a caption or
# nothing), and the page's <article>/<main> element is tried; the longer result wins.
MIN_BODY_CHARS = 250
# A page (pruned of sidebars) with more <article> elements than this is a listing of
# teasers, and its first <article> is one teaser, not the story.
_MAX_ARTICLE_ELEMENTS = 3
_MAX_IMAGES = 50
# Readability's pick with more link text than this is a list of headlines.
_LISTING_LINK_SHARE = 0.5
# Story bodies seldom have headings that are links; a page of teasers has one per teaser.
_LISTING_LINKED_HEADINGS = 3
# A stated body this long is checked for agreement: a reading that shares less than
# this share of its words with it is another text of the page.
_STATED_TRUSTED_CHARS = 500
_MIN_AGREEMENT = 0.2
# Another reading replaces the body when it shows this many times the body's prose.
_REPLACE_RATIO = 2
# A page's <h1>s looked at for other stories: a page shows a handful, a listing a column.
_MAX_HEADINGS_LOOKED_AT = 20
_LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"})


class ExtractionError(ValueError):
    """The extractor could not work on its input; the message is one line for the user.

    A ValueError, so that callers which report bad input in one line (the CLI) report this too.
    """


def extract_article(
    html: bytes | str,
    url: str,
    *,
    content_type: str | None = None,
    timezone: str = "Europe/Kyiv",
    summary: str | None = None,
) -> Article:
    """Extract the article of a web page: title, dates, byline, lead, body, tags, images.

    `html` is the page as fetched (bytes are decoded by their HTTP `content_type`, BOM or
    `<meta charset>`), `url` the page's address (for relative links and site rules),
    `timezone` the zone the site writes local times in, `summary` the feed's plain-text
    summary, used when the page yields no body. `Article.text` holds the body only: the
    standfirst, when the page has one apart from the body, is in `Article.lead`, so a reader
    prints title, date, lead, then text. `Article.method` tells which path gave the body.
    Hostile input (huge, deeply nested, binary) returns an Article with method "none";
    ExtractionError is raised only for input of the wrong type, an unknown `timezone`, or
    an internal failure.
    """
    if not isinstance(html, (bytes, str)):
        raise ExtractionError(f"expected the page as bytes or str, not {type(html).__name__}")
    try:
        zone = zones.zone(timezone)
    except ValueError:
        raise ExtractionError(f"unknown time zone: {one_line(str(timezone))[:80]!r}") from None
    try:
        return _extract(html, url, content_type, zone, summary)
    except ExtractionError:
        raise
    except (MemoryError, RecursionError) as error:
        raise ExtractionError(f"the page is too large or too deeply nested ({error})") from error
    except Exception as error:
        message = one_line(str(error))[:200]
        raise ExtractionError(f"extraction failed: {type(error).__name__}: {message}") from error


def _extract(
    html: bytes | str, url: str, content_type: str | None, zone: tzinfo, summary: str | None
) -> Article:
    text = page_text(html, content_type)
    try:
        root = parse_page(text)
    except UnparseablePage:
        return _article_without_page(url, summary)
    # Metadata and lead candidates are read first: pruning drops the header they sit in.
    metadata = read_metadata(root, url, zone)
    _drop_other_stories(root, metadata.title)
    prose_on_page = page_prose(root)
    base_url = _base_url(root, url)
    rule = rule_for(url)
    lead_candidates = find_candidates(root, metadata.title, metadata.description, rule)
    # A site rule's body: a page of its own, pruned like the whole page.
    rule_page = _page_of([e for e in select(root, rule.body) if text_of(e)]) if rule else None
    prune_page(root, _rule_drops(root, rule))
    if rule_page is not None:
        prune_page(rule_page, _rule_drops(rule_page, rule))

    body = _body(root, rule_page, metadata, base_url)
    if body.method == "listing":
        body = _Body([], [], "none")
    else:
        body = _safety_net(body, text, metadata, base_url, prose_on_page)
    if not body.blocks and summary:
        body = _Body(blocks_from_plain_text(summary), [], "feed-summary")
    lead, blocks = choose_lead(lead_candidates, root, body.blocks)
    return Article(
        url=url,
        title=metadata.title,
        text=render_text(blocks),
        markdown=render_markdown(blocks),
        byline=metadata.byline,
        published=metadata.published,
        modified=metadata.modified,
        lead=lead,
        tags=metadata.tags,
        lead_image=metadata.lead_image or (body.images[0] if body.images else None),
        images=body.images[:_MAX_IMAGES],
        site_name=metadata.site_name,
        language=metadata.language,
        method=body.method if blocks or lead else "none",
        extractor_version=EXTRACTOR_VERSION,
        blocks=body_blocks(blocks),
    )


@dataclass(slots=True)
class _Body:
    """The article body found by one method."""

    blocks: list[Block]
    images: list[str]
    method: str
    found_prose: int = 0
    """The prose of the element the method found, before the block clean-up."""


def _body(
    root: HtmlElement, rule_page: HtmlElement | None, metadata: PageMetadata, base_url: str
) -> _Body:
    """The body: readability's pick, or the page's own article element when that is longer.

    Readability reads the site rule's body when there is one, else the whole pruned page.
    Its pick is used unless it is short (a teaser, a caption) or a list of headlines; then
    the page's articleBody, single <article> or <main> is tried. A page that is a listing
    as a whole (many <article> teasers, a JSON-LD collection) has no body.
    """
    nothing = _Body([], [], "none")
    found = nothing
    element = readability_summary(rule_page if rule_page is not None else root, base_url)
    if element is not None:
        # readability's pick on the cleaned page being a list of headlines says the page is a
        # listing: no other reading of it is an article either.
        found = _body_from(element, metadata, base_url, "readability") or _Body([], [], "listing")
    # A page of teasers has no body; an article with a long list of related teasers has,
    # and readability's pick says which: an article's long paragraphs, or teasers' deks.
    if rule_page is None and not reads_as_article(found.blocks):
        if _page_is_listing(root, metadata):
            return _Body([], [], "listing")
    if _chars(found.blocks) >= MIN_BODY_CHARS or rule_page is not None:
        return found
    fallback = _semantic_article(root)
    if fallback is not None:
        other = _body_from(fallback, metadata, base_url, "article-element")
        if other is not None and _chars(other.blocks) > _chars(found.blocks):
            return other
    return found


def _safety_net(
    body: _Body, text: str, metadata: PageMetadata, base_url: str, prose_on_page: int
) -> _Body:
    """The body, or another reading of the page when the body shows less than half of it.

    The other readings: the text the page states in JSON-LD, and raw readability on the
    page before clean-up (computed only when the body shows less than half the page's
    prose). A reading replaces the body
    when its prose is more than twice the body's; raw readability is preferred to the
    stated text, being markup with headings and lists, unless the stated text is itself
    twice as long (a live blog's stated updates only when the page shows none of them as
    an article). Never falls to nothing when another reading has text.
    """
    best = body
    stated = stated_text(metadata.stated_body) if metadata.stated_body else ""
    score = prose_score(body.blocks)
    # The readings of the page before clean-up differ from the body's by the pruning only:
    # when the element found held most of the page's prose before the block clean-up,
    # pruning lost nothing and they are not computed (a huge page is not read twice).
    found = max(score, body.found_prose)
    if found * _REPLACE_RATIO < prose_on_page:
        for other in _raw_readings(text, metadata, base_url, score):
            # Less prose than a short article is a cookie notice or a caption, not a reading.
            other_score = prose_score(other.blocks)
            if other_score > max(prose_score(best.blocks) * _REPLACE_RATIO, MIN_BODY_CHARS):
                best = other
                break
    if not stated:
        return best
    best_score = prose_score(best.blocks)
    if len(stated) >= _STATED_TRUSTED_CHARS and agreement(stated, _text(best)) < _MIN_AGREEMENT:
        # The page's own statement of its body and our reading share almost no words:
        # the reading is some other text of the page (a teaser, a box, another story).
        return _stated_body(metadata, base_url)
    if len(stated) <= best_score * _REPLACE_RATIO:
        return best
    # A live blog's JSON-LD may list every update while its page shows the latest ones:
    # a page that reads as an article shows the blog as its readers see it.
    if metadata.stated_updates and reads_as_article(best.blocks):
        return best
    return _stated_body(metadata, base_url)


def _stated_body(metadata: PageMetadata, base_url: str) -> _Body:
    blocks = clean_blocks(stated_blocks(metadata.stated_body, base_url), metadata.title)
    return _Body(blocks, [], "json-ld")


def _text(body: _Body) -> str:
    return " ".join(block.text for block in body.blocks)


def _raw_readings(text: str, metadata: PageMetadata, base_url: str, score: int) -> Iterator[_Body]:
    """Readings of the page before our clean-up (its markup parsed again), computed as
    asked for: readability's pick, then, when the body shows less than a short article,
    the densest prose."""
    try:
        root = parse_page(text)
    except UnparseablePage:
        return
    _drop_other_stories(root, metadata.title)
    element = readability_summary(root, base_url)
    if element is not None:
        reading = _body_from(element, metadata, base_url, "readability-raw")
        if reading is not None:
            yield reading
    if score < MIN_BODY_CHARS:
        element = densest_container(root)
        if element is not None:
            reading = _body_from(element, metadata, base_url, "text-density")
            if reading is not None:
                yield reading


def _body_from(
    element: HtmlElement, metadata: PageMetadata, base_url: str, method: str
) -> _Body | None:
    """The cleaned blocks of an element; None when they read as a list of headlines."""
    blocks, images = blocks_from_element(element, base_url)
    if _blocks_are_listing(blocks):
        return None
    cleaned = clean_blocks(blocks, metadata.title, metadata.byline)
    return _Body(cleaned, images, method, prose_score(blocks))


def _article_without_page(url: str, summary: str | None) -> Article:
    blocks = blocks_from_plain_text(summary) if summary else []
    return Article(
        url=url,
        text=render_text(blocks),
        markdown=render_markdown(blocks),
        method="feed-summary" if blocks else "none",
        blocks=body_blocks(blocks),
    )


def _base_url(root: HtmlElement, url: str) -> str:
    bases = root.xpath("//base[@href]")
    if not bases:
        return url
    base = bases[0]
    try:
        return urljoin(url, one_line(base.get("href", "")))
    except ValueError:
        return url


def _drop_other_stories(root: HtmlElement, title: str) -> None:
    """Remove the other stories a page carries below its own (the next article loaded for
    endless scrolling): each is an <article> with an <h1> of its own, apart from the
    <article> whose <h1> is the page's headline. Nothing is removed unless the headline's
    <h1> is found in an <article> of its own, so a page that is one story is left whole."""
    key = title_key(title)
    if not key:
        return
    h1s = first_elements(root.iter("h1"), _MAX_HEADINGS_LOOKED_AT)
    if len(h1s) < 2:
        return
    own = [h1 for h1 in h1s if key in (title_key(h1.text_content()), title_key(heading_text(h1)))]
    story = next((_article_of(h1) for h1 in own if _article_of(h1) is not None), None)
    if story is None:
        return
    story_line = {story, *story.iterancestors()}
    others = []
    for h1 in h1s:
        article = _article_of(h1)
        if article is None or article in story_line or story in article.iterancestors():
            continue
        if title_key(h1.text_content()) and article not in others:
            others.append(article)
    for article in others:
        if article.getparent() is not None:
            article.drop_tree()


def _article_of(element: HtmlElement) -> HtmlElement | None:
    return next(element.iterancestors("article"), None)


def _rule_drops(page: HtmlElement, rule: SiteRule | None) -> list[HtmlElement]:
    """The elements a site rule says to remove."""
    if rule is None:
        return []
    return [element for selector in rule.drop for element in select(page, selector)]


def _page_of(elements: list[HtmlElement]) -> HtmlElement | None:
    """A page holding copies of the given elements (a site rule's body); None if none."""
    if not elements:
        return None
    page = document_fromstring("<html><body></body></html>")
    body = page.find("body")
    for element in elements:
        duplicate = copy.deepcopy(element)
        duplicate.tail = None
        body.append(duplicate)
    return page


def _semantic_article(root: HtmlElement) -> HtmlElement | None:
    """The page's own article element: articleBody, a single <article>, or <main>."""
    for element in root.xpath("//*[@itemprop='articleBody']"):
        return element
    articles = list(root.iter("article"))
    if 0 < len(articles) <= _MAX_ARTICLE_ELEMENTS:
        return max(articles, key=lambda article: len(text_of(article)))
    for element in root.iter("main"):
        return element
    for element in root.xpath("//*[@role='main']"):
        return element
    return None


def _page_is_listing(root: HtmlElement, metadata: PageMetadata) -> bool:
    """A page of teasers, by its JSON-LD (a collection, no article) or its <article>s.

    Several <article> elements of which none holds most of their text are teasers; an
    article page with related-story teasers has one <article> that dwarfs the others.
    """
    types = metadata.page_types
    if types & ARTICLE_TYPES:
        return False
    if types & _LISTING_TYPES:
        return True
    articles = root.xpath("//article[not(ancestor::article)]")
    if len(articles) <= _MAX_ARTICLE_ELEMENTS:
        return False
    sizes = [len(text_of(article)) for article in articles]
    return max(sizes) * 2 < sum(sizes)


def _blocks_are_listing(blocks: list[Block]) -> bool:
    """Whether blocks are a list of headlines: mostly link text, or linked headings."""
    chars = _chars(blocks)
    if chars and sum(block.link_chars for block in blocks) > chars * _LISTING_LINK_SHARE:
        return True
    linked_headings = sum(
        1 for block in blocks if block.kind == "heading" and block.link_density > 0.5
    )
    return linked_headings >= _LISTING_LINKED_HEADINGS


def _chars(blocks: list[Block]) -> int:
    return sum(len(block.text) for block in blocks)
