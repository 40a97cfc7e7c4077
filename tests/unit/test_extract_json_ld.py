"""JSON-LD as templates write it: wrapped in CDATA or comment markers, still read."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsterm.extract import extract_article

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "jsonld-cdata.html"
URL = "https://morgenblick.example/reise/nachtzug-kueste"


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("//<![CDATA[", "//]]>"),
        ("<![CDATA[", "]]>"),
        ("/*<![CDATA[*/", "/*]]>*/"),
        ("<!--", "-->"),
        ("", ""),
    ],
)
def test_json_ld_wrapped_in_cdata_or_comment_markers_is_read(opening: str, closing: str):
    page = PAGE.read_text(encoding="utf-8").replace("OPEN", opening).replace("CLOSE", closing)
    article = extract_article(page.encode(), URL)
    # The hour only the JSON-LD states, and its author.
    assert article.published == datetime(2025, 6, 2, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert article.byline == "Henrike Vollmer"


def test_the_article_object_that_states_the_article_comes_before_a_bare_one():
    # A paywall or page block typed CreativeWork, with no headline or date, comes first.
    bare = (
        '{"@context": "https://schema.org", "@type": "CreativeWork", "isAccessibleForFree": false}'
    )
    page = PAGE.read_text(encoding="utf-8").replace("OPEN", "").replace("CLOSE", "")
    script = '<script type="application/ld+json">'
    page = page.replace(script, f"{script}{bare}</script>\n{script}", 1)
    article = extract_article(page.encode(), URL)
    assert article.published == datetime(2025, 6, 2, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert article.byline == "Henrike Vollmer"
