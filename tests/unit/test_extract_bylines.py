"""Authors of a co-written story: the byline's people beside those the metadata names."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsterm.extract import extract_article

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "co-written.html"
URL = "https://valley-ledger.example/farming/late-frost"


def _byline(stated_author: str, meta_author: str = "") -> str | None:
    page = PAGE.read_text(encoding="utf-8").replace("STATED_AUTHOR", stated_author)
    page = page.replace("META_AUTHOR", meta_author)
    return extract_article(page.encode(), URL).byline


def test_every_author_the_byline_shows_when_the_metadata_names_only_one():
    # Not the columnists the menu above links, nor a role after a name.
    assert _byline("Tobias Marr") == "Wren Hollis, Tobias Marr"  # as the byline prints them


def test_a_byline_that_does_not_name_the_stated_author_adds_no_one():
    # Nothing shows that these links are this story's byline: the metadata is kept.
    assert _byline("Ines Calder") == "Ines Calder"


def test_author_links_outside_the_byline_box_add_no_one():
    # One author in the byline; the menu of columnists above links others.
    page = PAGE.read_text(encoding="utf-8").replace("STATED_AUTHOR", "Wren Hollis")
    start = page.index('  <address class="name"><a rel="author" href="mailto:tobias')
    page = page[:start] + page[page.index("</address>", start) + len("</address>") :]
    assert extract_article(page.encode(), URL).byline == "Wren Hollis"


def test_the_meta_author_when_the_json_ld_names_the_publisher_as_a_person():
    assert _byline("Valley Ledger", meta_author="Tobias Marr") == "Wren Hollis, Tobias Marr"


VISIBLE = PAGE.with_name("visible-byline.html")


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # A date after the name, in the byline's text or in a <time> inside it.
        (
            '<div class="byline">By Mira Castell | Published 12 March 2025, 10:04</div>',
            "Mira Castell",
        ),
        (
            '<div class="article-byline"><span>Mira Castell</span> '
            "<time>Updated 3 hours ago</time></div>",
            "Mira Castell",
        ),
        # Two people joined by a word: two names.
        ('<div class="byline">By Mira Castell and Jon Abbot</div>', "Mira Castell, Jon Abbot"),
        ('<p class="autor">Von Mira Castell und Jon Abbot</p>', "Mira Castell, Jon Abbot"),
        ('<p class="auteur">Par Mira Castell et Jon Abbot</p>', "Mira Castell, Jon Abbot"),
        ('<div class="autor-box">Autorin: Mira Castell</div>', "Mira Castell"),
        # "autor" in another word names no byline.
        (
            '<div class="autoresize">Share this</div><p class="byline">By Mira Castell</p>',
            "Mira Castell",
        ),
        # A compound surname is one name: "y" between two words of one person stays.
        ('<div class="byline">Por José Ortega y Gasset</div>', "José Ortega y Gasset"),
    ],
)
def test_the_visible_byline_gives_names_only(byline: str, expected: str):
    page = VISIBLE.read_text(encoding="utf-8").replace("BYLINE", byline)
    assert extract_article(page.encode(), "https://harbour-notes.example/quay").byline == expected
