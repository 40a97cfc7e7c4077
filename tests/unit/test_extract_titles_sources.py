"""The headline when the page's sources disagree: affixes found by comparing sources,
titles cut short, and the spelling most sources use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsterm.extract import extract_article

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "headline-sources.html"
URL = "https://lakeside-courier.example/town/ferry-landing-stays-open"
SITE = "The Lakeside Courier"
HEADLINE = "Ferry landing stays open through the winter"


def _title(
    *,
    h1: str | None = None,
    og_title: str | None = None,
    page_title: str = "",
    json_ld_headline: str | None = None,
) -> str:
    json_ld = ""
    if json_ld_headline is not None:
        data = {"@context": "https://schema.org", "@type": "NewsArticle"}
        data["headline"] = json_ld_headline
        json_ld = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    og = "" if og_title is None else f'<meta property="og:title" content="{og_title}">'
    page = (
        PAGE.read_text(encoding="utf-8")
        .replace("{H1}", "" if h1 is None else f"<h1>{h1}</h1>")
        .replace("{OG_TITLE}", og)
        .replace("{PAGE_TITLE}", page_title)
        .replace("{JSON_LD}", json_ld)
    )
    return extract_article(page.encode(), URL).title


def test_the_spelling_most_sources_give_wins_over_the_json_ld_punctuation():
    stated = "Ferry landing: stays open through the winter"
    title = _title(
        og_title=stated,
        page_title=f"{stated} - Town",
        json_ld_headline="Ferry landing - stays open through the winter",
    )
    assert title == stated


def test_a_byline_after_og_title_is_cut_when_the_title_element_states_the_rest():
    assert _title(og_title=f"{HEADLINE} | by Orla Pennick", page_title=HEADLINE) == HEADLINE


def test_a_truncated_og_title_gives_way_to_the_whole_one_it_begins():
    cut = HEADLINE[:30].rstrip() + "…"
    assert _title(og_title=cut, page_title=f"{HEADLINE} | {SITE}") == HEADLINE


def test_an_og_title_naming_the_site_is_no_headline_and_is_cut_off_the_title_element():
    # No og:site_name to tell the site's name: the shorter part is the affix.
    page = PAGE.read_text(encoding="utf-8").replace(
        '<meta property="og:site_name" content="The Lakeside Courier">', ""
    )
    page = (
        page.replace("{H1}", "")
        .replace("{OG_TITLE}", '<meta property="og:title" content="Lakeside Courier">')
        .replace("{PAGE_TITLE}", f"{HEADLINE} | Lakeside Courier")
        .replace("{JSON_LD}", "")
    )
    assert extract_article(page.encode(), "https://news.example/story/1").title == HEADLINE


@pytest.mark.parametrize(
    "anchor",
    [
        '<a class="headerlink" href="#ferry" title="Link to this heading">¶</a>',
        ' <a class="anchor" href="#ferry">#</a>',
        '<a href="#ferry" aria-label="Permalink">§</a>',
    ],
)
def test_a_permalink_anchor_in_the_h1_is_no_part_of_the_title(anchor: str):
    # Documentation generators put a link to the heading itself inside it.
    assert _title(h1=f"{HEADLINE}{anchor}", page_title=f"{HEADLINE} — {SITE} 2.1") == HEADLINE


def test_a_line_break_in_the_h1_is_a_space_between_its_words():
    h1 = HEADLINE.replace(" stays", "<br>stays")
    assert _title(h1=h1, page_title=f"{HEADLINE} | {SITE}") == HEADLINE
    assert _title(h1=h1, page_title=SITE) == HEADLINE


@pytest.mark.parametrize("site_title", [SITE, "Lakeside Courier", "lakeside-courier.example"])
def test_a_title_that_only_names_the_site_gives_way_to_the_h1(site_title: str):
    assert _title(h1=HEADLINE, og_title=site_title, page_title=site_title) == HEADLINE


def test_a_json_ld_headline_cut_inside_a_word_gives_way_to_the_whole_one():
    # Cut at a length limit, with no "…" to say so.
    cut = HEADLINE[: HEADLINE.index("through") + 4]
    assert _title(h1=HEADLINE, og_title=HEADLINE, json_ld_headline=cut) == HEADLINE


def test_a_json_ld_headline_that_others_state_with_more_words_after_it_stays():
    # Whole words: "… winter" is a headline, "… winter: what it means" another.
    title = _title(og_title=f"{HEADLINE}: what it means for commuters", json_ld_headline=HEADLINE)
    assert title == HEADLINE


def test_an_address_with_a_broken_host_still_gives_the_headline():
    page = (
        PAGE.read_text(encoding="utf-8")
        .replace("{H1}", f"<h1>{HEADLINE}</h1>")
        .replace("{OG_TITLE}", "")
        .replace("{PAGE_TITLE}", f"{HEADLINE} | {SITE}")
        .replace("{JSON_LD}", "")
    )
    assert extract_article(page.encode(), "http://[lakeside/town").title == HEADLINE


def test_without_json_ld_the_og_title_is_the_headline_over_an_h1_the_title_element_repeats():
    # The sharing title is written for the article alone; an <h1> and <title> that agree
    # on another wording are the page's template, so the og:title is the headline.
    shared = "Ferry landing stays open through winter, council decides"
    assert _title(h1=HEADLINE, og_title=shared, page_title=f"{HEADLINE} | {SITE}") == shared


def test_a_kicker_the_og_title_puts_before_the_printed_headline_is_left_out():
    title = _title(h1=HEADLINE, og_title=f"Winter timetable: {HEADLINE}", page_title=HEADLINE)
    assert title == HEADLINE


@pytest.mark.parametrize(
    "og_title",
    [
        "Town",  # a section
        "Home",
        SITE,  # the site's name, with no og:site_name to say so (see the fixture's)
        "Your trusted source for lakeside news",  # a slogan
        "Ferry landing stays open",  # cut short at a word
        "Ferry landing stays…",
        "Winter",  # a word of the headline, or a few
        "Open through winter",
    ],
)
@pytest.mark.parametrize("h1", [HEADLINE, None], ids=["h1", "no-h1"])
def test_an_og_title_that_is_no_headline_gives_way_to_the_printed_one(og_title, h1):
    assert _title(h1=h1, og_title=og_title, page_title=f"{HEADLINE} | {SITE}") == HEADLINE


@pytest.mark.parametrize("page_title", [SITE, "Home", f"Town | {SITE}", ""])
def test_an_og_headline_beside_titles_that_name_no_story_stays_the_headline(page_title):
    # The <h1> is a menu label and the <title> the site's name, a page's or a section's:
    # the og:title tells no printed story, and is still the one that says the most.
    assert _title(h1="Menu", og_title=HEADLINE, page_title=page_title) == HEADLINE


_OG = f"<meta property='og:title' content='{HEADLINE}'>"
_LOGO = '<h1 class="site-title"><a href="https://news.pages.example/">Harbour Courier</a></h1>'


@pytest.mark.parametrize(
    ("head", "top", "heading"),
    [
        (f"<title>Harbour Courier | {HEADLINE}</title>", _LOGO, "h2"),
        (f"<title>Harbour Courier | {HEADLINE}</title>{_OG}", _LOGO, "h2"),
        (f"<title>Harbour Courier - {HEADLINE}</title>{_OG}",
         '<div id="top"><h1><a href="/en/">Harbour Courier</a></h1></div>', "h2"),
        (f"<title>Harbour Courier | {HEADLINE}</title>"
         f"<meta property='og:title' content='Harbour Courier | {HEADLINE}'>", _LOGO, "h2"),
        (f"<title>Town | {HEADLINE} | Harbour Courier</title>"
         f"<meta property='og:title' content='{HEADLINE}'>",
         '<div class="section-label"><h1>Town</h1></div>', "h2"),
    ],
    ids=["site-first", "site-first-og", "logo-link-en", "og-site-first", "section-h1"],
)  # fmt: skip
def test_a_site_name_or_section_in_an_h1_above_the_story_is_not_its_title(head, top, heading):
    # Site-first titles beside an <h1> naming the site or a section (the shapes an attempt
    # to read "Page - Site" titles page-first got wrong); the host does not name the site.
    page = (
        f"<html><head>{head}</head><body>{top}<article><{heading}>{HEADLINE}</{heading}>"
        + "<p>The town council voted on Tuesday to keep the old ferry landing open.</p>" * 5
        + "</article></body></html>"
    )
    title = extract_article(page.encode(), "https://news.pages.example/town/1").title
    assert title == HEADLINE
