"""Finds a page's timestamped headline list without knowing its markup (no class names used)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from lxml.html import HtmlElement

from newsterm.sources.links import absolute_http_url
from newsterm.sources.rows import DayHeader, ListedItem, Row
from newsterm.text import dates, zones
from newsterm.text.sanitize import one_line

# Bounds that keep a hostile or huge page linear: a news list has tens of items, not thousands.
MAX_TIME_TEXTS = 3000
MAX_LINKS = 5000
MAX_CLIMB = 40
MAX_FLAT_CHILDREN = 6000
MIN_ITEMS = 2
_MAX_ITEM_LINKS = 40  # links looked at in an item that may lack a usable one
_SHORT_LINE = 60  # a time or date line ("2025, Friday 16 May", "16.05.2025 14:49") is short
_HEADER_CHARS = 80
_LABEL_CHARS = 30
_LABEL_WORDS = 3
_GAP_DEPTH = 4
_MAX_HEADER_CHECKS = 2000
_LOOK_BACK_LEVELS = 3
_LOOK_BACK_SIBLINGS = 6
_NOT_LISTING = {"title", "option", "textarea", "button", "select", "head"}


@dataclass(slots=True)
class _TimeText:
    """A short text that gives an item's time, and the element it is written in."""

    element: HtmlElement
    text: str
    attribute: str | None = None


@dataclass(slots=True)
class _Unit:
    """A candidate item: the smallest block holding one headline link and one time."""

    element: HtmlElement
    link: HtmlElement
    link_words: int
    when: _TimeText
    owned: list[HtmlElement] = field(default_factory=list)
    """Elements outside `element` that belong to it: a time cell beside a bare link."""


@dataclass(slots=True)
class _Page:
    """What the detector learns about a page in one pass, shared by its steps."""

    times: list[_TimeText]
    time_count: dict[HtmlElement, int]
    first_time: dict[HtmlElement, _TimeText]
    link_url: dict[HtmlElement, str]
    link_words: dict[HtmlElement, int]
    flat_pairs: dict[HtmlElement, dict[HtmlElement, tuple[_TimeText, HtmlElement | None]]] = field(
        default_factory=dict
    )


def find_listing_rows(root: HtmlElement, base: str) -> tuple[list[Row], list[HtmlElement]]:
    """The page's headline list as rows in page order, and the item elements found.

    How: every short text that is a time ("19:58", "15 May, 22:10", a `<time>` element) and
    every link with headline-length text is found; each link is paired with the time in its
    smallest enclosing block (or, in flat lists, with the time beside it). The pairs are
    grouped by their link's tag path from the root, so the repeated block of items wins over
    stray timed links, and lists without times ("Most read") never qualify. Day headers are
    short date lines between the winning items.
    """
    page = _survey(root, base)
    if len(page.times) < MIN_ITEMS or not page.link_url:
        return [], []
    units: dict[HtmlElement, _Unit] = {}
    for link in page.link_url:
        unit = _unit_for(link, page)
        if unit is None:
            continue
        known = units.get(unit.element)
        if known is None or unit.link_words > known.link_words:
            units[unit.element] = unit
    # Grouped by the headline link's tag path: repeated items share it even where one
    # day's list has a single item and so a wider smallest-enclosing block.
    groups: dict[str, list[_Unit]] = defaultdict(list)
    for unit in units.values():
        groups[_tag_path(unit.link)].append(unit)
    if not groups:
        return [], []
    best = max(groups.values(), key=len)  # max() keeps the first of equals: page order
    if len(best) < MIN_ITEMS:
        return [], []
    return _rows_in_order(best, page), [unit.element for unit in best]


def _survey(root: HtmlElement, base: str) -> _Page:
    times = _time_texts(root)
    time_count: dict[HtmlElement, int] = defaultdict(int)
    first_time: dict[HtmlElement, _TimeText] = {}
    for found in times:
        for ancestor in _self_and_ancestors(found.element):
            time_count[ancestor] += 1
            first_time.setdefault(ancestor, found)
    link_url: dict[HtmlElement, str] = {}
    link_words: dict[HtmlElement, int] = {}
    for index, link in enumerate(root.iter("a")):
        if index >= MAX_LINKS:
            break
        text = one_line(link.text_content())[:400]
        words = len(text.split())
        if not (words >= 3 or len(text) >= 20) or dates.is_date_line(text):
            continue
        url = absolute_http_url(link.get("href"), base)
        if url:
            link_url[link] = url
            link_words[link] = words
    return _Page(times, dict(time_count), first_time, link_url, link_words)


def _time_texts(root: HtmlElement) -> list[_TimeText]:
    """Every short text that is a time line, and every `<time>` element with a time.

    A text's element is the one it is written in: for "<a>…</a> 19:58" that is the parent
    of the link, so flat lists count one time per text, all on their common parent.
    """
    found: list[_TimeText] = []
    for index, element in enumerate(root.iter("time")):
        if index >= MAX_TIME_TEXTS:
            break
        attribute = element.get("datetime")
        text = one_line(element.text_content())[:_SHORT_LINE]
        if (attribute and ":" in attribute and dates.parse_iso(attribute, zones.zone())) or (
            dates.find_time(text) and dates.is_date_line(text)
        ):
            found.append(_TimeText(element, text, attribute))
    nodes = root.xpath(f"(//text()[contains(., ':')])[position() <= {MAX_TIME_TEXTS}]")
    for node in nodes:
        text = one_line(str(node)[:200])
        if not text or len(text) > _SHORT_LINE or not dates.is_date_line(text):
            continue
        if dates.find_time(text) is None:
            continue
        owner = node.getparent()
        if owner is not None and node.is_tail:
            owner = owner.getparent()
        if owner is None or owner.tag in _NOT_LISTING:
            continue
        time_element = _enclosing_time(owner)
        if time_element is not None:
            continue  # already taken whole, with its datetime attribute
        found.append(_TimeText(owner, text))
    return found


def _enclosing_time(element: HtmlElement) -> HtmlElement | None:
    for level, ancestor in enumerate(_self_and_ancestors(element)):
        if level > 3:
            break
        if ancestor.tag == "time":
            return ancestor
    return None


def _unit_for(link: HtmlElement, page: _Page) -> _Unit | None:
    """The item a headline link belongs to, with its time; None for an untimed link."""
    below: HtmlElement = link
    element: HtmlElement | None = link
    for _ in range(MAX_CLIMB):
        if element is None or page.time_count.get(element, 0):
            break
        below = element
        element = element.getparent()
    if element is None or not page.time_count.get(element, 0):
        return None
    words = page.link_words[link]
    if page.time_count[element] == 1:
        return _Unit(element, link, words, page.first_time[element])
    # Several times in the smallest block around the link: a flat list where links and
    # times are siblings. Pair the link's branch with the time written next to it.
    pairs = page.flat_pairs.get(element)
    if pairs is None:
        pairs = page.flat_pairs[element] = _pair_flat_list(element, page)
    paired = pairs.get(below)
    if paired is None:
        return None
    when, time_element = paired
    owned = [time_element] if time_element is not None else []
    return _Unit(below, link, words, when, owned)


def _pair_flat_list(
    parent: HtmlElement, page: _Page
) -> dict[HtmlElement, tuple[_TimeText, HtmlElement | None]]:
    """Pairs each one-link child of `parent` with the time beside it.

    Whether times come before or after titles is decided by which comes first in the list.
    """
    tokens: list[tuple[str, HtmlElement | None, _TimeText | None]] = []
    own_text = _time_line(parent.text)
    if own_text:
        tokens.append(("time", None, _TimeText(parent, own_text)))
    for index, child in enumerate(parent):
        if index >= MAX_FLAT_CHILDREN:
            break
        if not isinstance(child.tag, str):
            continue
        count = page.time_count.get(child, 0)
        urls = {page.link_url[a] for a in child.iter("a") if a in page.link_url}
        if count == 0 and not urls and not one_line(child.text_content()[:200]):
            pass  # <br>, an icon: neither separates a title from its time
        elif count == 0 and len(urls) == 1:
            tokens.append(("link", child, None))
        elif count == 1 and not urls:
            tokens.append(("time", child, page.first_time[child]))
        else:
            tokens.append(("other", child, None))
        tail = _time_line(child.tail)
        if tail:
            tokens.append(("time", None, _TimeText(parent, tail)))
    pairs: dict[HtmlElement, tuple[_TimeText, HtmlElement | None]] = {}
    kinds = [kind for kind, _, _ in tokens if kind != "other"]
    if not kinds:
        return pairs
    if kinds[0] == "time":
        waiting_time: tuple[_TimeText, HtmlElement | None] | None = None
        for kind, element, when in tokens:
            if kind == "time" and when is not None:
                waiting_time = (when, element)
            elif kind == "link" and element is not None and waiting_time is not None:
                pairs[element] = waiting_time
                waiting_time = None
            else:
                waiting_time = None
    else:
        waiting_link: HtmlElement | None = None
        for kind, element, when in tokens:
            if kind == "link":
                waiting_link = element
            elif kind == "time" and when is not None and waiting_link is not None:
                pairs[waiting_link] = (when, element)
                waiting_link = None
            else:
                waiting_link = None
    return pairs
    times_first = kinds[0] == "time"
    waiting: tuple[HtmlElement | None, _TimeText | None] | None = None
    for kind, element, when in tokens:
        if kind == "other":
            waiting = None
        elif times_first and kind == "time":
            waiting = (element, when)
        elif times_first and waiting is not None and element is not None:
            pairs[element] = (waiting[1], waiting[0])  # type: ignore[assignment]
            waiting = None
        elif not times_first and kind == "link":
            waiting = (element, None)
        elif not times_first and waiting is not None and waiting[0] is not None and when:
            pairs[waiting[0]] = (when, element)
            waiting = None
    return pairs


def _time_line(text: str | None) -> str | None:
    if not text or ":" not in text:
        return None
    text = one_line(text[:200])
    if len(text) <= _SHORT_LINE and dates.find_time(text) and dates.is_date_line(text):
        return text
    return None


def _rows_in_order(units: list[_Unit], page: _Page) -> list[Row]:
    """The units and the day headers among them, in page order."""
    by_element = {unit.element: unit for unit in units}
    owned = {element for unit in units for element in unit.owned}
    region = _common_ancestor([unit.element for unit in units])
    holds_items: set[HtmlElement] = set()
    for unit in units:
        for ancestor in _self_and_ancestors(unit.element):
            if ancestor in holds_items or ancestor is region:
                break
            holds_items.add(ancestor)
    rows: list[Row] = []
    header_checks = 0
    # Where the items' titles sit: an item without a usable link has its title there.
    item_paths = {_tag_path(unit.element): _link_steps(unit) for unit in units}
    # Depth-first in page order without recursion: libxml2 allows 256 levels.
    stack: list[tuple[HtmlElement, int]] = [(region, 0)]
    while stack:
        element, gap_depth = stack.pop()
        unit = by_element.get(element)
        if unit is not None:
            rows.append(_listed_item(unit, page))
            continue
        if element in owned or not isinstance(element.tag, str):
            continue
        children = [child for child in element if isinstance(child.tag, str)]
        if element is region or element in holds_items:
            stack.extend((child, 0) for child in reversed(children))
            continue
        if page.time_count.get(element, 0) == 1:
            steps = item_paths.get(_tag_path(element))
            linkless = _linkless_item(element, steps, page) if steps is not None else None
            if linkless is not None:
                rows.append(linkless)
                continue
        header_checks += 1
        header = _header_text(element) if header_checks <= _MAX_HEADER_CHECKS else None
        if header:
            rows.append(DayHeader(header))
        elif gap_depth < _GAP_DEPTH and header_checks <= _MAX_HEADER_CHECKS:
            stack.extend((child, gap_depth + 1) for child in reversed(children))
    while rows and isinstance(rows[-1], DayHeader):
        rows.pop()  # headers after the last item date nothing
    if not any(isinstance(row, DayHeader) for row in rows[:1]):
        header = _header_before(region)
        if header:
            rows.insert(0, DayHeader(header))
    return rows


def _header_text(element: HtmlElement) -> str | None:
    """The element's text if it is a day header: a short line that is a date and little else."""
    pieces: list[str] = []
    length = 0
    for piece in element.itertext():
        pieces.append(piece)
        length += len(piece)
        if length > _HEADER_CHARS * 3:
            return None
    text = one_line("".join(pieces))
    if not text or len(text) > _HEADER_CHARS or not dates.is_date_line(text):
        return None
    return text if dates.find_date(text) else None


def _header_before(region: HtmlElement) -> str | None:
    """A day header just above the list, outside it ("Friday, May 16, 2025" over a `<ul>`)."""
    element: HtmlElement | None = region
    for _ in range(_LOOK_BACK_LEVELS):
        if element is None:
            return None
        for index, sibling in enumerate(element.itersiblings(preceding=True)):
            if index >= _LOOK_BACK_SIBLINGS:
                break
            if isinstance(sibling.tag, str):
                header = _header_text(sibling)
                if header:
                    return header
        element = element.getparent()
    return None


def _listed_item(unit: _Unit, page: _Page) -> ListedItem:
    title = one_line(unit.link.text_content())
    when = unit.when
    if _contains(unit.link, when.element) and when.text in title:
        title = title.replace(when.text, " ", 1).strip(" -–—|·:,")
    return ListedItem(
        title=title,
        href=unit.link.get("href"),
        when_text=_time_context(unit),
        when_attr=when.attribute,
        label=_label(unit),
    )


def _link_steps(unit: _Unit) -> tuple[str, ...]:
    """The tags from an item down to its headline link ("div", "a"): where titles sit."""
    steps: list[str] = []
    element: HtmlElement | None = unit.link
    while element is not None and element is not unit.element and len(steps) < MAX_CLIMB:
        steps.append(str(element.tag))
        element = element.getparent()
    return tuple(reversed(steps)) if element is unit.element else ()


def _linkless_item(element: HtmlElement, steps: tuple[str, ...], page: _Page) -> ListedItem | None:
    """An item shaped like the list's items, with a time but no usable link (none, or a
    `javascript:` one): its title is the text where the others have their link, else its
    own text without its time. None when that is not headline-length text."""
    if any(link in page.link_url for link in islice(element.iter("a"), _MAX_ITEM_LINKS)):
        return None  # it has a headline link: an item of another list, not a linkless one
    when = page.first_time[element]
    holder = element
    for tag in steps:
        child = next((c for c in holder if c.tag == tag and not _contains(c, when.element)), None)
        if child is None:
            break
        holder = child
    text = one_line(holder.text_content()[:2000])
    if holder is element:
        text = text.replace(when.text, " ", 1).strip(" -–—|·:,")
    words = len(text.split())
    if not (words >= 3 or len(text) >= 20) or dates.is_date_line(text):
        return None
    unit = _Unit(element, holder, words, when)
    return ListedItem(
        title=text,
        href=None,
        when_text=_time_context(unit),
        when_attr=when.attribute,
        label=_label(unit) if holder is not element else None,
    )


def _time_context(unit: _Unit) -> str:
    """The time line with what sits next to it: "16 May" + "19:58" in two sibling spans."""
    element, text = unit.when.element, unit.when.text
    if unit.when.attribute or _contains(unit.link, element):
        return text
    for _ in range(3):
        parent = element.getparent()
        if element is unit.element or parent is None or _contains(parent, unit.link):
            break
        wider = one_line(parent.text_content()[:200])
        if len(wider) > _SHORT_LINE:
            break
        element, text = parent, wider
    return text


def _label(unit: _Unit) -> str | None:
    """A short tag in the item ("Exclusive", "Updated"): not the title, time or a link."""
    link_ancestors = set(_self_and_ancestors(unit.link))
    time_ancestors = set(_self_and_ancestors(unit.when.element))
    for element in unit.element.iter():
        if not isinstance(element.tag, str) or element is unit.element:
            continue
        if element in link_ancestors or element in time_ancestors or element.tag == "a":
            continue
        if any(ancestor.tag == "a" for ancestor in element.iterancestors()):
            continue
        text = one_line(element.text_content())
        if _looks_like_label(text):
            return text
    return None


def _looks_like_label(text: str) -> bool:
    if not text or len(text) > _LABEL_CHARS or len(text.split()) > _LABEL_WORDS:
        return False
    if not text[0].isalpha() or sum(ch.isalpha() for ch in text) < 2:
        return False
    return not dates.is_date_line(text)


def _contains(ancestor: HtmlElement, element: HtmlElement) -> bool:
    return any(node is ancestor for node in _self_and_ancestors(element))


def _self_and_ancestors(element: HtmlElement):
    yield element
    yield from element.iterancestors()


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    common = list(_self_and_ancestors(elements[0]))[::-1]
    for element in elements[1:]:
        path = list(_self_and_ancestors(element))[::-1]
        size = 0
        for mine, theirs in zip(common, path, strict=False):
            if mine is not theirs:
                break
            size += 1
        common = common[:size]
    return common[-1]


def _tag_path(element: HtmlElement) -> str:
    return "/".join(str(node.tag) for node in reversed(list(_self_and_ancestors(element))))
