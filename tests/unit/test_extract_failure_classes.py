"""One hand-written page per way the reader used to lose an article on sites it was not tuned on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsterm.extract import EXTRACTOR_VERSION, extract_article
from newsterm.formats.article_json import article_from_json

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"


def _page(name: str) -> bytes:
    return (ARTICLES / name).read_bytes()


def _shown(article) -> str:
    return "\n\n".join(part for part in (article.lead, article.text) if part)


def test_a_story_inside_a_share_wrapper_is_read_and_its_share_bars_are_not():
    article = extract_article(_page("share-bars.html"), "https://harbour.example/ferries")
    shown = _shown(article)
    for sentence in (
        "The river ferries went back to their old timetable on Monday",
        "repairs to the two older boats were finished a week early",
        "The last boat still leaves at half past nine",
        "tourist traffic usually doubles the number of crossings",
    ):
        assert sentence in shown
    for chrome in ("Share on Facebook", "Copy link", "Tweet", "Share this article", "a friend"):
        assert chrome not in shown


def test_an_article_followed_by_many_related_teasers_is_not_taken_for_a_listing():
    article = extract_article(_page("related-links.html"), "https://stadtbote.example/sternwarte")
    assert article.method != "none"
    shown = _shown(article)
    assert "Nach sechs Jahren Sanierung öffnet die alte Sternwarte" in shown
    assert "Briefe des ersten Leiters" in shown
    assert "Bäckerei schließt" not in shown
    assert "Turm wird beleuchtet" not in shown


def test_captions_and_credits_are_not_body_text():
    article = extract_article(_page("captions.html"), "https://orchard.example/frost-fans")
    shown = _shown(article)
    assert "Apple growers in the valley are testing tall frost fans" in shown
    assert "compare fruit set in orchards" in shown
    for caption in (
        "Frost fans above an orchard",
        "Valley Press Agency",
        "Blossom damaged by frost last April",
        "A grower checks a thermometer",
    ):
        assert caption not in shown


def test_paragraphs_marked_paywall_are_read_and_the_subscription_prompt_is_not():
    article = extract_article(_page("paywall-teaser.html"), "https://rail.example/night-trains")
    shown = _shown(article)
    for sentence in (
        "Ten years ago most of the continent's night trains had been cut",
        "Now the cars are coming back.",
        "a berth on a night train can be cheaper than a hotel room",
        "Tracks are busy at night with freight and maintenance",
        "no train has run since 1994",
    ):
        assert sentence in shown
    assert "Subscribe" not in shown
    assert "Log in" not in shown


def test_lazy_images_are_found_by_the_address_their_script_would_load():
    article = extract_article(_page("lazy-images.html"), "https://radios.example/museum")
    assert article.images == [
        "https://img.radios.example/hall.jpg",
        "https://img.radios.example/valves.jpg",
        "https://img.radios.example/workbench-800.jpg",
    ]
    assert not any(image.startswith("data:") for image in article.images)
    assert "a digital radio from 2015 whose software update failed" in article.text


def test_a_live_blog_shows_every_update_and_all_its_authors():
    article = extract_article(_page("live-blog.html"), "https://coast.example/storm-live")
    assert article.method != "none"
    shown = _shown(article)
    for update in (
        "All afternoon ferries to the islands have been cancelled",
        "Schools along the coast will close at noon",
        "upgraded its warning to the highest level",
        "Rail services along the coast line are running at reduced speed",
    ):
        assert update in shown
    assert article.byline == "Ada Lind, Omar Haddad"


def test_a_video_players_placeholder_text_is_not_shown():
    article = extract_article(_page("video-placeholder.html"), "https://harbour.example/bridge")
    shown = _shown(article)
    assert "The lifting bridge over the harbour mouth stayed stuck" in shown
    assert "made the mornings easier for the fishing fleet" in shown
    for chrome in ("Video Loading", "Video Unavailable", "to play", "auto-play", "Play now"):
        assert chrome not in shown
    for fallback in ("enable JavaScript", "HTML5 video", "does not support the video"):
        assert fallback not in shown


def test_a_long_technical_page_keeps_every_section_and_its_one_line_commands():
    article = extract_article(_page("tech-doc.html"), "https://docs.tidewatch.example/guide.html")
    text = article.text
    for heading in ("Installing", "Configuration", "Reading the tides", "Troubleshooting"):
        assert f"\n\n{heading}\n\n" in text
    for command in (
        "pip install tidewatch",
        "tidewatch read --days 2",
        "tidewatch doctor",
        'id = "north-pier"',
    ):
        assert command in text
    assert "Next" not in text.split("\n")
    assert "Docs »" not in text


def test_a_bug_report_in_a_comment_box_is_read():
    article = extract_article(_page("bug-tracker.html"), "https://tracker.example/t/issues/412")
    text = article.text
    assert article.title == "Export loses the last row when the file ends without a newline #412"
    assert "the last reading is missing from the output" in text
    assert "1. Create a station file whose last line has no newline." in text
    assert "tidewatch export --format csv" in text
    assert "Expected 144 rows, got 143." in text
    assert "Pull requests" not in text


def test_a_story_behind_a_heavy_page_shell_is_read():
    icon = '<svg viewBox="0 0 8 8"><path d="M0 0h8v8H0z"/><path d="M2 2h4v4H2z"/></svg>'
    items = "".join(
        f'<li><a href="/section/{n}">{icon}<span>Section {n}</span></a></li>' for n in range(4000)
    )
    page = _page("heavy-shell.html").replace(b"<!-- MENU ITEMS -->", items.encode())
    article = extract_article(page, "https://town.example/night-buses")
    text = article.text
    assert "voted on Wednesday to keep the two night bus lines" in text
    assert "possibly with smaller vehicles on demand" in text
    assert "Section 12" not in text


def test_utf8_bytes_under_a_meta_charset_that_names_latin1_are_read_as_utf8():
    article = extract_article(_page("lying-charset.html"), "https://port.example/cafe")
    assert article.title == "Le café du port rouvre après l'été"
    assert "fermé depuis juin à cause d'une fuite dans la toiture" in article.text
    assert "Ã" not in article.title + article.text


def test_a_lone_surrogate_in_json_ld_leaves_every_field_valid_unicode():
    article = extract_article(_page("jsonld-surrogate.html"), "https://coast.example/keeper")
    fields = [article.title, article.byline, article.lead, article.text, article.markdown]
    fields += article.tags
    for value in fields:
        (value or "").encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate
    assert article.title.startswith("Lighthouse keeper retires")
    assert article.byline is not None and "Holm" in article.byline
    assert "handed over the keys on Saturday" in article.text
    assert article.extractor_version == EXTRACTOR_VERSION


def test_a_story_rendered_by_script_is_read_from_its_json_ld_not_from_another_box():
    article = extract_article(_page("script-rendered.html"), "https://courier.example/seals")
    text = article.text
    assert article.method == "json-ld"
    assert "Harbour seals have returned to the estuary" in text
    assert "A public viewing point with telescopes will open" in text
    assert "independent newsroom founded in 1998" not in text


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("Published 12 March 2025, 14:30", "2025-03-12T14:30:00+02:00"),
        ("Publié le 12 mars 2025 à 14h30", "2025-03-12T14:30:00+02:00"),
        ("12. März 2025, 14:30 Uhr", "2025-03-12T14:30:00+02:00"),
        ("Actualizado: 12 de marzo de 2025, 14:30", "2025-03-12T14:30:00+02:00"),
        ("Publicado em 12 de março de 2025 às 14h30", "2025-03-12T14:30:00+02:00"),
        ("12 березня 2025, 14:30", "2025-03-12T14:30:00+02:00"),
        ("입력 2025년 3월 12일 14:30", "2025-03-12T14:30:00+02:00"),
        ("12 maart 2025 14:30", "2025-03-12T14:30:00+02:00"),
    ],
)
def test_a_visible_dateline_is_read_in_the_pages_language(dateline: str, expected: str):
    page = _page("dateline-byline.html").replace(b"DATELINE", dateline.encode("utf-8"))
    article = extract_article(page, "https://coast.example/tram", timezone="Europe/Kyiv")
    assert article.published is not None
    assert article.published.isoformat() == expected


def test_authors_are_the_people_the_byline_links_when_metadata_names_the_publisher():
    page = _page("dateline-byline.html").replace(b"DATELINE", b"12 March 2025")
    article = extract_article(page, "https://coast.example/tram")
    assert article.byline == "Ada Lind, Omar Haddad"


def test_a_wiki_article_without_its_edit_links_and_navigation():
    article = extract_article(_page("wiki-article.html"), "https://free.example/wiki/Tidal_mill")
    text = article.text
    assert article.title == "Tidal mill"
    assert "\n\nHistory\n\n" in text
    assert "A tidal mill is a water mill driven by the rise and fall of the tide." in text
    assert "the miller's hours shifted by about fifty minutes" in text
    for chrome in ("[edit]", "Jump to content", "Random article", "Categories", "Undershot"):
        assert chrome not in text


def test_an_article_read_back_from_json_with_a_lone_surrogate_is_valid_unicode():
    stored = json.loads(
        '{"url": "https://coast.example/keeper", "title": "Keeper \\ud800 retires",'
        ' "text": "Forty years \\udc00 of the north light.", "tags": ["coast\\ud800"],'
        ' "byline": "Mira \\ud800Holm", "method": "readability"}'
    )
    article = article_from_json(stored)
    for value in (article.title, article.text, article.byline or "", *article.tags):
        value.encode("utf-8")
    assert article.title == "Keeper \ufffd retires"


def test_a_page_that_loads_the_next_story_below_its_own_shows_its_own():
    article = extract_article(_page("next-story-below.html"), "https://courier.example/library")
    shown = _shown(article)
    assert article.title == "Library to open on Sundays"
    for sentence in (
        "The county library in Millbrook will open on Sundays from next month",
        "Sunday hours will run from noon to five",
        "The children's corner, which was moved to the first floor last winter",
        "Residents asked for the change in a survey last spring",
    ):
        assert sentence in shown
    for other_story in ("Herring return", "Fishermen in the harbour", "herring festival"):
        assert other_story not in shown


@pytest.mark.parametrize(
    ("box_class", "box_role"),
    [("fact-box", ""), ("infobox", ""), ("article-extra", 'role="complementary"')],
)
def test_a_fact_box_of_prose_inside_the_story_is_not_the_story(box_class: str, box_role: str):
    page = (
        _page("fact-box.html")
        .decode()
        .replace("{BOX_CLASS}", box_class)
        .replace("{BOX_ROLE}", box_role)
    )
    article = extract_article(page.encode(), "https://gazette.example/midwives")
    shown = _shown(article)
    for sentence in (
        "Midwives at the hospital in Eastmere will start home visits",
        "Until now, mothers were visited once, on the third day",
        "The board hired six more midwives for the service",
        "Parents who took part in a trial last year",
    ):
        assert sentence in shown
    for box_text in ("Facts about postnatal depression", "About one in ten mothers", "Signs"):
        assert box_text not in shown


def test_a_long_page_of_release_notes_is_read_to_its_last_section():
    # Release notes or a long wiki article: thousands of list items, each with a link and
    # inline code, about 18,000 elements; the oldest release is at the bottom.
    item = (
        '<li><a href="/pull/{n}">Make <code>read_{n}</code> accept a buffer</a> so that'
        " callers can reuse memory between calls, item {n}.</li>"
    )
    sections = []
    for version in range(60, 0, -1):
        items = "".join(item.format(n=version * 1000 + i) for i in range(100))
        sections.append(f"<h2>Version 1.{version}</h2><p>Released in spring.</p><ul>{items}</ul>")
    page = f"<html><body><main>{''.join(sections)}</main></body></html>"
    assert page.count("<li>") * 3 > 15_000
    text = extract_article(page.encode(), "https://docs.tidewatch.example/releases").text
    assert "Version 1.60" in text
    assert "Version 1.1\n" in text
    assert "Make read_1099 accept a buffer" in text


def test_comments_in_a_highlighted_code_block_are_code_not_a_comment_section():
    # Syntax highlighters class a code comment "comment" (hljs-comment, c1, token comment),
    # the word that names a page's reader comments.
    code = (
        '<pre><code class="language-c"><span class="hljs-comment">// Open the station file'
        " before the loop starts.</span>\n"
        '<span class="hljs-keyword">int</span> fd = open(path, O_RDONLY);\n'
        '<span class="token comment">/* Read every tide table */</span>\n'
        'read_tides(fd); <span class="c1"># a comment</span></code></pre>'
        # A highlighter's toolbar around the block holds the code.
        '<div class="code-toolbar"><pre><code>tides --station north-pier</code></pre>'
        '<div class="toolbar"><button>Copy</button></div></div>'
        # A box of chrome holding a <pre> is still chrome.
        '<div class="ad-slot"><pre>BUY-NOW 50% off</pre></div>'
        # What a page hides, or a button, is still no part of the code.
        '<pre><button class="copy">Copy</button><code>close(fd);<span style="display:none">'
        'HIDDEN</span><span hidden>HIDDEN</span><span aria-hidden="true">HIDDEN</span>'
        "</code></pre>"
    )
    prose = "<p>The reader opens the station file once and reads every table from it.</p>" * 4
    page = f"<html><body><main><h1>Reading tides</h1>{prose}{code}{prose}</main></body></html>"
    text = extract_article(page.encode(), "https://docs.tidewatch.example/tides").text
    assert "// Open the station file before the loop starts." in text
    assert "/* Read every tide table */" in text
    assert "read_tides(fd); # a comment" in text
    assert "close(fd);" in text and "HIDDEN" not in text and "Copy" not in text
    assert "tides --station north-pier" in text and "BUY-NOW" not in text


def test_a_json_ld_body_with_escaped_control_characters_and_deep_markup_is_read_clean():
    # The stated body is parsed like a page: "&#27;" must not become an ESC inside the
    # parsed tree (lxml then refuses to edit the text around it).
    sentence = "The keeper climbed the ninety steps every evening for thirty years. "
    inner = "<div>" * 70 + "<p>" + sentence * 8 + "&#27;[31m &#0; done</p>" + "</div>" * 70
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Keeper"}
    data["articleBody"] = inner
    # JSON's own escape for "&" hides the references from the page's clean-up.
    stated = json.dumps(data).replace("&#", "\\u0026#")
    page = (
        '<html><head><script type="application/ld+json">'
        + stated
        + "</script></head><body><h1>Keeper</h1><p>Loading…</p></body></html>"
    )
    article = extract_article(page.encode(), "https://coast.example/keeper")
    assert "ninety steps every evening" in article.text
    assert "\x1b" not in article.text and "\x00" not in article.text
