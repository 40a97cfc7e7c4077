"""The headline among what a page states: kickers in the <h1> and in JSON-LD, by agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsterm.extract import extract_article

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "kicker-headline.html"
URL = "https://hafenblatt.example/region/klappbruecke-gesperrt"
KICKER = "Brückensanierung"
HEADLINE = "Die Klappbrücke bleibt bis zum Herbst gesperrt"


def _title(og_title: str, page_title: str = HEADLINE, json_ld_headline: str | None = None) -> str:
    json_ld = ""
    if json_ld_headline is not None:
        data = {"@context": "https://schema.org", "@type": "NewsArticle"}
        data["headline"] = json_ld_headline
        json_ld = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    page = (
        PAGE.read_text(encoding="utf-8")
        .replace("{OG_TITLE}", og_title)
        .replace("{PAGE_TITLE}", page_title)
        .replace("{JSON_LD}", json_ld)
    )
    return extract_article(page.encode(), URL).title


def test_the_kicker_element_of_the_h1_is_left_out_when_the_metadata_states_the_headline_alone():
    assert _title(HEADLINE) == HEADLINE


def test_the_h1_without_its_kicker_is_taken_when_og_title_puts_another_kicker_in_front():
    assert _title(f"Verkehr in der Altstadt: {HEADLINE}", page_title="Klappbrücke") == HEADLINE


def test_the_kicker_stays_when_the_metadata_states_the_headline_with_it():
    assert _title(f"{KICKER}: {HEADLINE}", page_title=f"{KICKER}: {HEADLINE}") == (
        f"{KICKER} - {HEADLINE}"
    )


@pytest.mark.parametrize("separator", [": ", " - ", " | ", " / "])
def test_a_json_ld_headline_with_a_kicker_in_front_gives_way_to_what_the_others_state(separator):
    assert _title(HEADLINE, json_ld_headline=f"{KICKER}{separator}{HEADLINE}") == HEADLINE


def test_a_json_ld_headline_keeps_its_kicker_when_another_source_states_it_whole():
    stated = f"{KICKER}: {HEADLINE}"
    assert _title(stated, json_ld_headline=stated) == stated


def test_a_json_ld_headline_with_a_colon_stays_whole_when_nothing_states_its_rest():
    stated = "Hafenfest: Feuerwerk am Nordkai wird verschoben"
    assert _title(HEADLINE, json_ld_headline=stated) == stated
