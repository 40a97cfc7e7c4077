"""Items a news list shows without a usable link are listed in their place, without a link."""

from __future__ import annotations

from datetime import date

from newsterm.models import Headline
from newsterm.sources import parse

TODAY = date(2025, 5, 16)
UNSAFE_PIECES = ("javascript", "void(0)", "data:", "alert", "script")

# Markup no preset knows: the items are found by detection.
DETECTED = """<html><head><title>Desk</title></head><body>
<h2>Friday, May 16, 2025</h2>
<ul class="feed">
<li><span class="t">19:58</span> <div class="h"><a href="/a/talks">Talks in Istanbul end
 without a ceasefire</a></div></li>
<li><span class="t">19:40</span> <span class="tag">Updated</span> <div class="h"><a
 href="javascript:void(0)">Air raid alert in Kyiv region lifted after an hour</a></div></li>
<li><span class="t">19:31</span> <div class="h">Live: the president addresses parliament
 this evening</div></li>
<li><span class="t">19:02</span> <div class="h"><a href="/a/rail">Night trains return to
 the western line</a></div></li>
<li><span class="t">18:44</span> <div class="h"><a href="data:text/html,&lt;script&gt;alert(1)
&lt;/script&gt;">A data link dressed up as a headline</a></div></li>
</ul></body></html>"""

# The home site's markup: read through its preset.
PRESET_ITEM = """<li class="news_page_similar_content__item">
<div class="news_page_similar_content_item__meta"><span class="time">{time}</span></div>
<div class="title">{title}</div></li>"""
PRESET = (
    """<html><body><ul id="js-news-list-container">
<li class="news_page_similar_content__date-wrap"><div class="news_page_similar_content__date">
<span>2025, Friday</span> <span>16 May</span></div></li>"""
    + PRESET_ITEM.format(
        time="19:58", title='<a href="/russian-demands">Russian demands are unacceptable</a>'
    )
    + PRESET_ITEM.format(
        time="19:40", title='<a href="javascript:void(0)">Air raid alert in Kyiv lifted</a>'
    )
    + PRESET_ITEM.format(time="19:31", title="Live: the president addresses parliament")
    + PRESET_ITEM.format(time="19:02", title='<a href="/night-trains">Night trains return</a>')
    + "</ul></body></html>"
)


def moments_if_safe(headlines: list[Headline]) -> list[str]:
    """Each headline's time ("16.05.2025 19:58"), once it is checked that nothing it carries
    besides its title (whose words are the page's own) holds a piece of an unsafe link."""
    for headline in headlines:
        said = " ".join(str(value) for value in (headline.url, headline.label, headline.category))
        assert not any(piece in said for piece in UNSAFE_PIECES), said
    return [h.published.strftime("%d.%m.%Y %H:%M") for h in headlines]


def test_detection_keeps_items_without_a_usable_link_in_their_place():
    listing = parse(DETECTED.encode(), "https://example.org/news", timezone="Europe/Kyiv")
    assert listing.kind == "generic"
    assert [(h.title, h.link, h.label) for h in listing.headlines] == [
        ("Talks in Istanbul end without a ceasefire", "https://example.org/a/talks", None),
        ("Air raid alert in Kyiv region lifted after an hour", None, "Updated"),
        ("Live: the president addresses parliament this evening", None, None),
        ("Night trains return to the western line", "https://example.org/a/rail", None),
        ("A data link dressed up as a headline", None, None),
    ]
    assert moments_if_safe(listing.headlines) == [
        "16.05.2025 19:58",
        "16.05.2025 19:40",
        "16.05.2025 19:31",
        "16.05.2025 19:02",
        "16.05.2025 18:44",
    ]


def test_the_preset_keeps_items_without_a_usable_link_in_their_place():
    listing = parse(PRESET.encode(), "https://global.espreso.tv/news", timezone="Europe/Kyiv")
    assert listing.kind == "preset:espreso"
    assert [(h.title, h.link) for h in listing.headlines] == [
        ("Russian demands are unacceptable", "https://global.espreso.tv/russian-demands"),
        ("Air raid alert in Kyiv lifted", None),
        ("Live: the president addresses parliament", None),
        ("Night trains return", "https://global.espreso.tv/night-trains"),
    ]
    assert moments_if_safe(listing.headlines) == [
        "16.05.2025 19:58",
        "16.05.2025 19:40",
        "16.05.2025 19:31",
        "16.05.2025 19:02",
    ]


def test_a_linkless_item_is_one_headline_across_refreshes_and_pages_and_two_titles_are_two():
    first = parse(DETECTED.encode(), "https://example.org/news", timezone="Europe/Kyiv")
    again = parse(DETECTED.encode(), "https://example.org/news?page=2", timezone="Europe/Kyiv")
    linkless = [h.url for h in first.headlines if h.link is None]
    assert linkless == [h.url for h in again.headlines if h.link is None]
    assert len(set(linkless)) == 3
    assert all(url.startswith(Headline.NO_LINK) for url in linkless)
    other_site = parse(DETECTED.encode(), "https://example.net/news", timezone="Europe/Kyiv")
    assert not set(linkless) & {h.url for h in other_site.headlines}


def test_an_item_of_another_list_is_not_taken_for_a_linkless_one():
    # A second list with the same tags, whose items have links of their own: not linkless.
    page = DETECTED.replace(
        "</ul></body>",
        "</ul><ul><li><span>09:00</span> <div><a href='/b/1'>Yesterday's most read story"
        " here</a></div></li></ul></body>",
    )
    listing = parse(page.encode(), "https://example.org/news", timezone="Europe/Kyiv")
    assert "Yesterday's most read story here" not in [
        h.title for h in listing.headlines if h.link is None
    ]


def test_a_page_of_only_linked_items_reads_as_before():
    page = DETECTED.replace('href="javascript:void(0)"', 'href="/a/alert"')
    listing = parse(page.encode(), "https://example.org/news", timezone="Europe/Kyiv")
    assert listing.headlines[1].link == "https://example.org/a/alert"


def test_a_linkless_item_with_only_a_clock_time_is_one_headline_after_midnight():
    """The day of a bare "19:40" is inferred (today, the page's date, the served date) and
    changes at midnight; the item the page still lists is the same item."""
    page = DETECTED.replace("<h2>Friday, May 16, 2025</h2>", "").encode()
    evening = parse(page, "https://example.org/news", timezone="Europe/Kyiv", today=TODAY)
    morning = parse(
        page, "https://example.org/news", timezone="Europe/Kyiv", today=date(2025, 5, 17)
    )
    assert [h.published.day for h in evening.headlines] == [16] * 5
    assert [h.published.day for h in morning.headlines] == [17] * 5
    assert [h.url for h in evening.headlines if h.link is None] == [
        h.url for h in morning.headlines if h.link is None
    ]


def test_a_source_rule_never_matches_the_identifier_of_a_headline_without_a_link():
    from newsterm.desk_rules import parse_rule

    [linkless, *_] = [
        h for h in parse(DETECTED.encode(), "https://example.org/news").headlines if h.link is None
    ]
    linkless.source = "https://example.org/news"
    assert not parse_rule("source:newsterm").matches(linkless)
    assert parse_rule("source:example.org").matches(linkless)
