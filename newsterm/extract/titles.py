"""The article's headline among what the page states: JSON-LD, OpenGraph, <h1>, <title>."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsterm.text.sanitize import one_line

_TITLE_SEPARATORS = (" | ", " — ", " – ", " - ", " :: ", " · ", " • ", " / ", " « ", " » ")
# What parts a kicker from the headline after it ("Syria: …", "Live - …", "Demo / …").
_KICKER_SEPARATORS = (": ", " | ", " — ", " – ", " - ", " / ", " · ", " • ")
# The element of a heading that holds its kicker (the small line above the headline), in
# the names CMSs give it: kicker, overline, eyebrow, Dachzeile, Spitzmarke, topline, …
_KICKER_CLASS = re.compile(
    r"kicker|overline|eyebrow|dachzeile|spitzmarke|roof[-_]?line|top[-_]?line|"
    r"super[-_]?title|sup[-_]?title|pre[-_]?title|over[-_]?title|headline[-_]?label",
    re.IGNORECASE,
)
_MIN_HEADLINE_WORDS = 3
# Longer than any headline: a title this long is not cut into parts to compare (each cut
# is compared with every other source, so the work grows with the square of the length).
_MAX_COMPARED_CHARS = 600


def choose_title(
    h1_titles: list[str],
    meta_titles: list[str],
    page_title: str,
    site_name: str | None,
    url: str,
    *,
    headline: str = "",
    h1_without_kickers: list[str] | None = None,
) -> str:
    """The headline: the article's own (JSON-LD), else the <h1> agreeing with the metadata.

    Every source is first cleaned by comparison with the others: the site's name cut off,
    an affix the others leave out (" - Section", " | by Name") cut off, a title cut short
    ("…") replaced by the whole one it begins.

    The JSON-LD headline is the one statement made about the article alone (OpenGraph
    titles are often written for sharing, an <h1> can be the logo or a log-in box), so
    it comes first, unless it puts a kicker in front of what the <h1> or og:title state
    alone ("Kicker: Headline" where they say "Headline" and none says it whole); it is
    spelt as most sources spell its words ("A: B" where it alone says "A - B").
    Without it, the og:title comes next when it tells the story the <h1> or <title> prints
    (half the letters of each shared; not cut short), spelt as printed.
    Otherwise an <h1> is taken when it equals a meta title or the <title> — with or
    without its kicker element (`h1_without_kickers`), whichever they state — or when the
    two mostly contain each other; otherwise the OpenGraph title, then the <title>, then
    the first <h1>.
    """
    plain_h1s = [text for text in h1_without_kickers or [] if text]
    headline = strip_site_name(headline, site_name, url) if headline else ""
    metas = [strip_site_name(text, site_name, url) for text in meta_titles if text]
    page_title = strip_site_name(page_title, site_name, url) if page_title else ""
    everyone = [headline, *metas, page_title, *h1_titles, *plain_h1s]
    metas = [_as_others_state(text, everyone) for text in metas]
    page_title = _as_others_state(page_title, everyone)
    site_key = title_key(site_name or "")
    # An <h1> speaks without its marked kicker: its whole text is no vote for one.
    plain_or_whole = zip(h1_titles, h1_without_kickers or [], strict=False)
    shown_h1s = [plain or whole for whole, plain in plain_or_whole] or h1_titles
    stated = [text for text in [*metas, page_title] if text and not _is_affix(text, everyone)]
    if headline:
        headline = _whole_of_truncated(headline, [*h1_titles, *metas]) or headline
        headline = without_kicker(headline, [*shown_h1s, *metas])
        if len(title_key(headline)) >= 3:
            return _most_stated_spelling(headline, [*metas, page_title, *h1_titles])[:500]
    elif metas and metas[0] in stated and not _only_names_site(metas[0], site_key, url):
        # Without JSON-LD, the first meta title (og:title) is the statement made for the
        # article alone, less a kicker in front of what the page prints as its headline
        # (unless the <h1> prints that kicker too); spelt as printed.
        # It must tell the printed headline's story: a section's or the site's name, a
        # slogan or a title cut short is no headline, and the <h1> is.
        shared = metas[0]
        if _compact(shared) not in {_compact(text) for text in h1_titles}:
            shared = without_kicker(shared, shown_h1s)
        printed_titles = [text for text in [*h1_titles, *plain_h1s, page_title] if text]
        if len(title_key(shared)) >= 3 and _tells_same_story(shared, printed_titles):
            return (_confirmed_h1([*plain_h1s, *h1_titles], [shared], site_key) or shared)[:500]
        # Not the printed headline's story: one of them is a section's or the site's name,
        # a menu label or a slogan, and a headline says more than those do.
        stated = sorted(stated, key=lambda text: len(title_key(text).split()), reverse=True)
    printed = _confirmed_h1([*plain_h1s, *h1_titles], stated, site_key)
    if printed:
        return printed[:500]
    references = [title_key(text) for text in stated if title_key(text)]
    for h1 in [*h1_titles, *plain_h1s]:
        key = title_key(h1)
        if len(key) < 8 or key == site_key:
            continue
        for reference in references:
            shorter, longer = sorted((key, reference), key=len)
            # Words, not a substring: a <title> may add words inside ("#412" → "Issue #412").
            contained = shorter in longer or set(shorter.split()) <= set(longer.split())
            if contained and len(shorter) * 10 >= len(longer) * 6:
                return h1[:500]
    # A title that only names the site (a <title> or og:title of the home page's) is the
    # last resort: an <h1> that does not is the headline.
    names = [*stated, *(h1 for h1 in h1_titles if h1)]
    headlines = [text for text in names if not _only_names_site(text, site_key, url)]
    return next(iter(headlines or names), "")[:500]


def _tells_same_story(title: str, printed: list[str]) -> bool:
    """Whether a title and a printed title (if any) share at least half of each one's
    letters, counted by shared words, and the title is not cut short ("…", or a printed
    title cut at a word). By letters, not words: "過去最多" is one run of a headline's
    four, and "Budget" one word of seven."""
    if not printed:
        return True
    if title.endswith(("…", "...")):
        return False
    words = set(title_key(title).split())
    compact = _compact(title)
    for text in printed:
        other = _compact(text)
        if other != compact and other.startswith(compact):
            return False
    for text in printed:
        other_words = set(title_key(text).split())
        shared = sum(len(word) for word in words & other_words)
        own = sum(len(word) for word in words)
        theirs = sum(len(word) for word in other_words)
        if shared * 2 >= own and shared * 2 >= theirs:
            return True
    return False


def _confirmed_h1(h1s: list[str], stated: list[str], site_key: str) -> str:
    """The first <h1> whose words a meta title or the <title> state: the printed headline."""
    stated_keys = {_compact(text) for text in stated if text}
    for h1 in h1s:
        key = title_key(h1)
        if len(key) >= 8 and key != site_key and _compact(h1) in stated_keys:
            return h1
    return ""


def _most_stated_spelling(title: str, others: list[str]) -> str:
    """The title as most sources stating its words spell it ("A: B" over "A - B"); the
    title's own spelling when no other is more common."""
    compact = _compact(title)
    spellings = [text for text in others if text and _compact(text) == compact]
    best = max(spellings, key=spellings.count, default=title)  # the first of a tie
    return best if spellings.count(best) > spellings.count(title) + 1 else title


def _whole_of_truncated(title: str, others: list[str]) -> str:
    """The whole title a title cut short begins, if any: cut with "…" ("Ferry landing
    stays op…"), or inside a word at a length limit ("Ferry landing stays op")."""
    stem = title.rstrip("….").strip() if title.endswith(("…", "...")) else title
    if len(stem) < 8:
        return ""
    for other in others:
        if other == stem or not other.startswith(stem):
            continue
        if stem != title or (stem[-1].isalnum() and other[len(stem)].isalnum()):
            return other
    return ""


def _as_others_state(title: str, others: list[str]) -> str:
    """A title without the parts no other source has: "Headline - Section" or "Headline |
    by Name" where another source states "Headline" (or "Section" alone); a title cut
    short made whole."""
    if not title or len(title) > _MAX_COMPARED_CHARS:
        return title
    whole = _whole_of_truncated(title, [other for other in others if other != title])
    if whole:
        return whole
    keys = {_compact(other) for other in others if len(title_key(other)) >= 8}
    keys.discard(_compact(title))
    if not keys:
        return title
    for separator in _TITLE_SEPARATORS:
        parts = title.split(separator)
        for count in range(len(parts) - 1, 0, -1):
            cuts = (
                (separator.join(parts[:count]), separator.join(parts[count:])),
                (separator.join(parts[-count:]), separator.join(parts[:-count])),
            )
            for kept, cut in cuts:
                # Another source states the part kept, or the part cut off alone (an
                # og:title that is the site's name); the headline is the longer part.
                stated = _compact(kept) in keys or _compact(cut) in keys
                if stated and len(_compact(kept)) > len(_compact(cut)):
                    return kept.strip()
    return title


def _is_affix(text: str, others: list[str]) -> bool:
    """Whether a title is only the end part of another ("Site" of "Headline | Site"), with
    the longer part beside it: a site's or section's name, not a headline."""
    key = _compact(text)
    for other in others:
        if len(other) > _MAX_COMPARED_CHARS or _compact(other) == key:
            continue
        for separator in _TITLE_SEPARATORS:
            if separator not in other:
                continue
            first, _, rest = other.partition(separator)
            most, _, last = other.rpartition(separator)
            for end, remainder in ((first, rest), (last, most)):
                if _compact(end) == key and len(_compact(remainder)) > len(key):
                    return True
    return False


def without_kicker(title: str, others: list[str]) -> str:
    """The title without a kicker in front, when other sources state only the rest.

    "Trial: Man sentenced to life" beside an <h1> or og:title "Man sentenced to life": the
    part before the separator is the kicker, a label above the headline, not the headline.
    Agreement decides, not the separator: "Brexit: the deal is done" stays whole unless
    another source says "the deal is done" and none says it whole.
    """
    keys = {_compact(other) for other in others if len(other.split()) >= _MIN_HEADLINE_WORDS}
    if _compact(title) in keys:
        return title
    for separator in _KICKER_SEPARATORS:
        start = title.find(separator)
        if start <= 0:
            continue
        rest = title[start + len(separator) :].strip()
        if len(rest.split()) >= _MIN_HEADLINE_WORDS and _compact(rest) in keys:
            return rest
    return title


def heading_text(heading: HtmlElement) -> str:
    """A heading's text without its kicker element (class "kicker", "overline", …) and the
    parts hidden from readers (aria-hidden separators); "" when the rest says too little."""
    shown = _shown_text(heading, 0, kickers=False).strip(" :|-–—/·•\n\t")
    if len(shown.split()) < _MIN_HEADLINE_WORDS:
        return ""
    return shown


def heading_whole_text(heading: HtmlElement) -> str:
    """A heading's text, kicker included, without the link to itself that documentation
    generators put in it ("¶", "#", "§")."""
    return _shown_text(heading, 0, kickers=True)


def _shown_text(element: HtmlElement, depth: int, *, kickers: bool) -> str:
    parts = [element.text or ""]
    for child in element:
        names = f"{child.get('class', '')} {child.get('id', '')}"
        hidden = child.get("aria-hidden") == "true" and not kickers
        left_out = hidden or _is_permalink(child) or (not kickers and _KICKER_CLASS.search(names))
        if child.tag == "br":
            parts.append(" ")  # "Ferry landing<br>stays open": two words, not "landingstays"
        elif isinstance(child.tag, str) and not left_out and depth < 8:
            parts.append(_shown_text(child, depth + 1, kickers=kickers))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_permalink(element: HtmlElement) -> bool:
    """A link to the heading it sits in: an anchor to "#…" that says no word."""
    if element.tag != "a" or not (element.get("href") or "").startswith("#"):
        return False
    return not re.search(r"\w", element.text_content())


def _compact(text: str) -> str:
    """A title's words run together: "Demo / Der Tag" and "DemoDer Tag" are one title."""
    return "".join(re.findall(r"\w+", text.lower()))


def title_text(text: str) -> str:
    """A title on one line: entities some CMSs leave escaped decoded, soft hyphens gone."""
    if "&" in text:
        text = html.unescape(text)
    return one_line(text.replace("\u00ad", ""))


def strip_site_name(title: str, site_name: str | None, url: str) -> str:
    """Cut " | Site Name" (or "Site Name - ") off a title when that part names the site."""
    host_words = _host_words(url)
    site_key = title_key(site_name or "")
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        parts = [part.strip() for part in title.split(separator)]
        kept = [part for part in parts if not _names_site(part, site_key, host_words)]
        if kept and len(kept) < len(parts):
            return separator.join(kept)
    return title


def _hostname(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # "http://[bad": no host to name the site
        return ""


def _host_words(url: str) -> set[str]:
    """The words of a page's host name that may name its site ("coast-times", "example")."""
    host = _hostname(url)
    return {word for word in re.split(r"[.\-]", host) if len(word) > 2} - {"www", "com"}


def _only_names_site(title: str, site_key: str, url: str) -> bool:
    """Whether a title is the site's name (or part of it) or its host name, and no more:
    not "Reuters to cut jobs" beside the site "Reuters"."""
    key = title_key(title)
    if site_key and key and (key == site_key or f" {key} " in f" {site_key} "):
        return True
    labels = _hostname(url).removeprefix("www.").split(".")
    hosts = {"".join(labels), "".join(labels[:-1])} - {""}
    return _compact(title).replace("_", "") in {host.replace("-", "") for host in hosts}


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
