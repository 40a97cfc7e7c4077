"""Reads a news list through a preset: the selectors of a known site family, no guessing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from newsterm.sources.presets import Preset
from newsterm.sources.rows import DayHeader, ListedItem, Row
from newsterm.text.sanitize import one_line


@dataclass(frozen=True, slots=True)
class _Compiled:
    rows: CSSSelector
    items: CSSSelector
    header_date: CSSSelector
    title: CSSSelector
    time: CSSSelector
    label: CSSSelector
    category: CSSSelector
    next_page: CSSSelector
    title_text: CSSSelector | None


@dataclass(slots=True)
class PresetResult:
    """The rows a preset found, in page order, and the raw href of its "More news" link."""

    rows: list[Row]
    next_href: str | None
    items: list[HtmlElement]


def read_with_preset(root: HtmlElement, preset: Preset) -> PresetResult | None:
    """The preset's rows on this page, or None when the page does not have its markup."""
    compiled = _compile(preset)
    items = compiled.items(root)
    if not items:
        return None
    is_item = set(items)
    rows: list[Row] = []
    # One selector for items and headers together: XPath unions come back in page order.
    for element in compiled.rows(root):
        if element in is_item:
            item = _item(element, compiled)
            if item is not None:
                rows.append(item)
        else:
            date_element = _first(compiled.header_date(element))
            if date_element is None:
                date_element = element
            rows.append(DayHeader(one_line(date_element.text_content())))
    more = _first(compiled.next_page(root))
    return PresetResult(rows, more.get("href") if more is not None else None, items)


def _item(element: HtmlElement, compiled: _Compiled) -> ListedItem | None:
    link = _first(compiled.title(element))
    if link is None and compiled.title_text is not None:
        # The site lists the item without a link: shown as it is, where it is.
        link = _first(compiled.title_text(element))
    if link is None:
        return None
    clock = _first(compiled.time(element))
    return ListedItem(
        title=one_line(link.text_content()),
        href=link.get("href") if link.tag == "a" else None,
        when_text=one_line(clock.text_content()) if clock is not None else None,
        when_attr=clock.get("datetime") if clock is not None else None,
        label=_text(_first(compiled.label(element))),
        category=_text(_first(compiled.category(element))),
    )


@lru_cache(maxsize=16)
def _compile(preset: Preset) -> _Compiled:
    # Compiled on first use, not at import: translating CSS to XPath costs a few ms.
    return _Compiled(
        rows=CSSSelector(f"{preset.items}, {preset.day_headers}"),
        items=CSSSelector(preset.items),
        header_date=CSSSelector(preset.header_date),
        title=CSSSelector(preset.title),
        time=CSSSelector(preset.time),
        label=CSSSelector(preset.label),
        category=CSSSelector(preset.category),
        next_page=CSSSelector(preset.next_page),
        title_text=CSSSelector(preset.title_text) if preset.title_text else None,
    )


def _first(elements: list[HtmlElement]) -> HtmlElement | None:
    return elements[0] if elements else None


def _text(element: HtmlElement | None) -> str | None:
    if element is None:
        return None
    return one_line(element.text_content()) or None
