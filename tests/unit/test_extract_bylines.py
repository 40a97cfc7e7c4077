"""Authors of a co-written story: the byline's people beside those the metadata names."""

from __future__ import annotations

from pathlib import Path

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
