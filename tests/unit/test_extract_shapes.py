"""Hand-written page shapes: a blog post, JSON-LD-only dates, cp1251, a video player, a listing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsterm.extract import extract_article

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
KYIV = ZoneInfo("Europe/Kyiv")


def _page(name: str) -> bytes:
    return (ARTICLES / name).read_bytes()


# -- a blog post: headings, lists, a quote, links ----------------------------------------------

BLOG_URL = "https://notes.example.com/2025/01/field-kit/"
BLOG_MARKDOWN = """\
Cold weather is hard on people and harder on batteries. After three winters of reporting \
from the east, this is the kit I trust, and the [power banks I tested last \
year](https://notes.example.com/2024/11/power-banks/) are still in it.

## The essentials

- Two phones, one of them **offline-only**
- A notebook and *pencils*, because ink freezes
- Spare batteries:
  1. for the camera
  2. for the head torch

Everything goes into one waterproof bag. See the [printable \
checklist](https://example.org/checklist.pdf) for the full list.

### What I left behind

The drone stayed at home: `-20 °C` is below what its cells are rated for.

> Pack for the worst night, not the average day.
>
> — advice from a colleague

## Final checks

1. Charge everything the night before.
2. Tell someone your route.

Stay warm, and file early."""

BLOG_TEXT = """\
Cold weather is hard on people and harder on batteries. After three winters of reporting \
from the east, this is the kit I trust, and the power banks I tested last year are still in it.

The essentials

• Two phones, one of them offline-only
• A notebook and pencils, because ink freezes
• Spare batteries:
  1. for the camera
  2. for the head torch

Everything goes into one waterproof bag. See the printable checklist for the full list.

What I left behind

The drone stayed at home: -20 °C is below what its cells are rated for.

Pack for the worst night, not the average day.

— advice from a colleague

Final checks

1. Charge everything the night before.
2. Tell someone your route.

Stay warm, and file early."""


@pytest.fixture(scope="module")
def blog():
    return extract_article(_page("blog-post.html"), BLOG_URL)


def test_blog_markdown_keeps_headings_lists_quote_and_absolute_links(blog):
    assert blog.markdown == BLOG_MARKDOWN


def test_blog_text_is_the_same_body_without_markup(blog):
    assert blog.text == BLOG_TEXT


@pytest.mark.parametrize(
    "dropped",
    [
        "Skip to content",
        "Gear and method for reporters",  # the site description in the page header
        "Archive",
        "Share this",
        "Related",
        "Power banks in the cold",
        "Posted in",
        "Satellite phones, honestly",
        "hand warmers",  # a comment
        "Leave a Reply",
        "Recent Posts",
        "freelance reporter covering",  # the sidebar's About box
        "Proudly powered by WordPress",
        "uses cookies",
        "laid out before a trip",  # the figure caption
    ],
)
def test_blog_drops_page_chrome_comments_and_captions(blog, dropped):
    assert dropped not in blog.text
    assert dropped not in blog.markdown


def test_blog_metadata(blog):
    assert blog.title == "Packing a Field Kit for Winter Reporting"
    assert blog.byline == "Iryna Koval"
    assert blog.published == datetime(2025, 1, 20, 9, 30, tzinfo=KYIV)
    assert blog.tags == ["gear", "winter"]
    assert blog.site_name == "Notes from the Field"
    assert blog.language == "en-GB"
    assert blog.images == ["https://notes.example.com/wp-content/uploads/2025/01/kit.jpg"]
    assert blog.lead is None
    assert blog.method == "readability"


# -- dates only in JSON-LD ---------------------------------------------------------------------


def test_json_ld_dates_author_reference_and_keywords():
    article = extract_article(
        _page("jsonld-dates.html"), "https://dnipro-daily.example/news/tram-line"
    )
    # A naive JSON-LD time is the site's local time; "Z" is UTC.
    assert article.published == datetime(2025, 3, 1, 10, 0, tzinfo=KYIV)
    assert article.published.utcoffset().total_seconds() == 2 * 3600
    assert article.modified == datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    assert article.byline == "Taras Melnyk"  # resolved through the @graph "@id"
    assert article.tags == ["transport", "city council", "trams"]
    assert article.title == "City council approves new tram line"
    assert article.site_name == "Dnipro Daily"
    assert article.text.split("\n\n") == [
        "The city council voted on Saturday to build a tram line linking the left bank with "
        "the central station, ending a debate that has run for more than a decade.",
        "Construction is due to start in the autumn and take three years. The council said "
        "the line would carry up to forty thousand passengers a day once it opens.",
        "Opponents argued that buses would be cheaper, but the motion passed with a clear "
        "majority after a four-hour session.",
    ]


def test_the_timezone_parameter_decides_naive_times():
    article = extract_article(
        _page("jsonld-dates.html"), "https://dnipro-daily.example/n", timezone="Europe/Warsaw"
    )
    assert article.published == datetime(2025, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


# -- a cp1251 Ukrainian page, the charset only in <meta> ---------------------------------------

UKRAINIAN_PARAGRAPHS = [
    "У п’ятницю, 16 травня, графіки відключень електроенергії в Полтавській області "
    "застосовувати не планують, повідомили в Укренерго.",
    "Енергетики просять споживачів ощадливо користуватися електрикою у вечірні години, "
    "з 18:00 до 22:00, коли навантаження на мережу найбільше.",
    "Ситуація в енергосистемі залишається стабільною завдяки імпорту та роботі сонячних "
    "електростанцій удень.",
    "Про зміни в графіках обіцяють повідомити заздалегідь на офіційних сторінках компанії.",
]


@pytest.fixture(scope="module")
def ukrainian():
    body = _page("cp1251-uk.html")
    assert b"windows-1251" in body and "Укренерго".encode("cp1251") in body
    return extract_article(body, "https://poltava-news.example/news/2025/05/16/ukrenergo")


def test_cp1251_page_is_decoded_from_its_meta_charset(ukrainian):
    assert ukrainian.title == "Укренерго: графіків відключень сьогодні не буде"
    assert ukrainian.language == "uk"


def test_cp1251_page_keeps_the_paragraphs_and_drops_read_also(ukrainian):
    assert ukrainian.text.split("\n\n") == UKRAINIAN_PARAGRAPHS
    for dropped in ("Читайте також", "Синоптики обіцяють", "Реклама", "Теги", "Останні новини"):
        assert dropped not in ukrainian.text


def test_cp1251_page_date_line_is_read_in_the_site_zone(ukrainian):
    assert ukrainian.published == datetime(2025, 5, 16, 14, 49, tzinfo=KYIV)
    assert ukrainian.published.utcoffset().total_seconds() == 3 * 3600


def test_the_http_charset_wins_over_a_wrong_guess():
    body = _page("cp1251-uk.html").replace(b"windows-1251", b"x-unknown-charset")
    article = extract_article(
        body, "https://poltava-news.example/n", content_type="text/html; charset=windows-1251"
    )
    assert article.text.split("\n\n") == UKRAINIAN_PARAGRAPHS


# -- a video.js player and "Read also" blocks inside the body ---------------------------------

VIDEO_PARAGRAPHS = [
    "More than forty Ukrainian companies brought interceptor drones to an exhibition in Kyiv "
    "on Friday, the largest such show since the start of the full-scale war.",
    "Most of the new models are built to hunt Shahed-type attack drones at night, using "
    "thermal cameras and simple radar.",
    "Organisers said that buyers from six countries had registered, and that several "
    "contracts were expected to be signed during the event.",
    "One company showed a drone that can be launched from a backpack in under a minute; "
    "another presented a ground station that controls twenty interceptors at once.",
    "The exhibition runs until Sunday and is open to accredited visitors only.",
]


def test_video_player_and_read_also_blocks_are_dropped():
    article = extract_article(
        _page("video-read-also.html"), "https://kyiv-tech.example/defense/interceptor-expo"
    )
    assert article.text.split("\n\n") == VIDEO_PARAGRAPHS
    assert article.title == "Drone makers show new interceptors at Kyiv expo"
    assert article.published == datetime(2025, 5, 16, 18, 10, tzinfo=KYIV)
    assert article.tags == ["drones", "expo"]
    for dropped in (
        "Read also",
        "Read more",
        "Why Russia launches cheap decoy drones",
        "AI targeting",
        "Video Player is loading",
        "Play Video",
        "Current Time",
        "Chapters",
        "descriptions off",
        "selected",
        "subtitles settings",
        "This is a modal window",
        "dialog window",
        "Visitors at the exhibition hall",
        "Advertisement",
        "More news",
        "Telegram",
    ):
        assert dropped not in article.text
        assert dropped not in article.markdown


# -- a listing page passed by mistake ----------------------------------------------------------


def test_listing_page_falls_back_and_says_so():
    article = extract_article(_page("listing.html"), "https://kyiv-tech.example/news")
    assert article.method == "none"
    assert article.text == ""
    assert article.markdown == ""
    assert article.title == "Latest news"


def test_listing_page_with_a_feed_summary_shows_the_summary_as_text():
    summary = "Grid operator warns of evening limits.\n\nConsumers are asked to save <b>power</b>."
    article = extract_article(
        _page("listing.html"), "https://kyiv-tech.example/news/grid-limits", summary=summary
    )
    assert article.method == "feed-summary"
    assert article.text == (
        "Grid operator warns of evening limits.\n\nConsumers are asked to save <b>power</b>."
    )
    # The summary is text: its angle brackets are escaped, never passed on as markup.
    assert r"\<b\>power\</b\>" in article.markdown


def test_the_espreso_news_list_is_not_mistaken_for_an_article():
    site = Path(__file__).resolve().parents[1] / "fixtures" / "site"
    article = extract_article((site / "news.html").read_bytes(), "https://global.espreso.tv/news")
    assert article.method == "none"
    assert article.text == ""


# -- readability picks a short side note: the page's <main> is used instead --------------------


def test_short_readability_pick_falls_back_to_the_main_element():
    article = extract_article(_page("steps-in-main.html"), "https://kitchen.example/bread")
    assert article.method == "article-element"
    assert article.title == "Bread at home"
    lines = article.text.split("\n")
    assert len(lines) == 5
    assert lines[0] == (
        "1. Step 1: mix the flour, the salt and the water slowly in a large bowl until no dry "
        "flour is left."
    )
    assert lines[4].startswith("5. Step 5: bake at 230 degrees")
    assert "Prices of flour" not in article.text
