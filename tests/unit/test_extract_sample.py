"""The Espreso sample article: exactly the expected title, date, lead and body blocks."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from newsterm.extract import extract_article
from newsterm.formats.article_json import article_from_json, article_to_json
from newsterm.text.sanitize import one_line

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
EXPECTED = json.loads((SITE / "article.expected.json").read_text(encoding="utf-8"))
PAGE = (SITE / "article.html").read_bytes()
ARTICLE_URL = (
    "https://global.espreso.tv/"
    "russia-uses-new-technologies-to-influence-european-elections-top-eu-diplomat"
)
# The same page under a host with no site rule: the generic rules alone must get it right.
OTHER_URL = "https://news.example.org/russia-uses-new-technologies"

# Text on the page that must never reach the reader.
NOT_ARTICLE = [
    "client/title.list_title",
    "This is a modal window",
    "Beginning of dialog window",
    "End of dialog window",
    "Video Player is loading",
    "descriptions off",
    "subtitles settings",
    "Chapters",
    "Read also",
    "Romania's Constitutional Court annuls results",
    "Advertisement",
    "Tags:",
    "Share:",
    "Russian demands at Istanbul talks",  # the sidebar feed's first headline
    "More news",
    "We use cookies",
    "All rights reserved",
    "Home",
]


@pytest.fixture(scope="module", params=[ARTICLE_URL, OTHER_URL], ids=["site-rule", "generic"])
def article(request: pytest.FixtureRequest):
    return extract_article(PAGE, request.param)


def test_title_date_and_lead_are_the_expected_ones(article):
    assert article.title == EXPECTED["title"]
    assert article.published == datetime.fromisoformat(EXPECTED["published"])
    assert article.published.utcoffset().total_seconds() == 2 * 3600
    assert article.lead == EXPECTED["lead"]


def test_body_is_exactly_the_eleven_expected_blocks_in_order(article):
    blocks = article.text.split("\n\n")
    assert [one_line(block) for block in blocks] == EXPECTED["paragraphs"]
    assert len(blocks) == 11
    # Paragraphs are separated by exactly one blank line, with nothing around them.
    assert "\n\n\n" not in article.text
    assert article.text == article.text.strip()


def test_the_lead_is_not_repeated_in_the_body(article):
    assert EXPECTED["lead"] not in article.text
    assert EXPECTED["lead"] not in article.markdown


@pytest.mark.parametrize("unwanted", NOT_ARTICLE)
def test_no_page_chrome_reaches_the_text_or_markdown(article, unwanted):
    assert unwanted not in article.text
    assert unwanted not in article.markdown


def test_markdown_has_the_subheading_and_the_same_paragraphs(article):
    assert "\n\n## What is known about elections in Romania\n\n" in article.markdown
    # Square brackets of the quote are escaped, so they are text, not a Markdown link.
    assert r"that \[the\] Russians" in article.markdown


def test_metadata_from_json_ld_and_meta(article):
    assert article.method == "readability"
    assert article.byline == "Marta Ostapchuk"
    assert article.tags == ["Romania", "elections", "Kaja Kallas", "Russian interference", "TikTok"]
    assert article.lead_image == (
        "https://global.espreso.tv/storage/images/2024/12/11/1962731/"
        "kaja-kallas-eu-foreign-affairs_1200x675.jpg"
    )
    assert article.site_name == "Espreso Global"
    assert article.language == "en"
    assert article.modified == datetime.fromisoformat("2024-12-11T15:16:00+02:00")


def test_json_form_round_trips(article):
    data = article_to_json(article)
    assert json.loads(json.dumps(data)) == data
    assert data["published"] == EXPECTED["published"]
    assert article_from_json(data) == article


def test_plain_text_page_string_gives_the_same_article():
    from_bytes = extract_article(PAGE, ARTICLE_URL)
    from_text = extract_article(PAGE.decode("utf-8"), ARTICLE_URL)
    assert from_text == from_bytes


def test_extraction_in_parallel_threads_gives_the_same_article():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        articles = list(pool.map(lambda _: extract_article(PAGE, ARTICLE_URL), range(8)))
    assert all(article == articles[0] for article in articles)
