"""The extractor's generic rules one by one: boilerplate text, Markdown safety, site rules, JSON."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsterm.extract import extract_article
from newsterm.extract.blocks import Block
from newsterm.extract.boilerplate import clean_blocks, is_boilerplate_text
from newsterm.extract.site_rules import SITE_RULES, rule_for, select
from newsterm.extract.titles import choose_title, strip_site_name
from newsterm.formats.article_json import article_from_json, article_to_json
from newsterm.models import Article

BODY = (
    "<p>The regional council met on Tuesday to discuss the budget for the coming year, "
    "which has grown by a tenth since last spring.</p>"
    "<p>Members agreed to spend more on roads and schools, and less on administration, "
    "after a debate that lasted most of the afternoon.</p>"
)


def _page(body: str, head: str = "<title>Budget news</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"


def _paragraph(text: str) -> Block:
    return Block("paragraph", text, text)


@pytest.mark.parametrize(
    "text",
    [
        "Read also: Romania's court annuls the vote",
        "READ MORE: Interceptor drones explained",
        "Also read: how the grid copes",
        "Читайте також: Синоптики обіцяють теплий тиждень",
        "Читайте также: новости дня",
        "Related: Five things to know",
        "Related Roundup: MacBook Pro",
        "See also: the full timeline",
        "Tags: drones, expo",
        "Advertisement",
        "Advert",
        "This is a modal window.",
        "Beginning of dialog window. Escape will cancel and close the window.",
        "End of dialog window.",
        "Chapters",
        "descriptions off, selected",
        "subtitles settings, opens subtitles settings dialog",
        "Video Player is loading.",
        "Duration 1:47",
        "Current Time 0:00",
        "Stream Type LIVE",
        "client/title.list_title",
        "Sign up for our daily newsletter to get the news in your inbox.",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Natalie Naccache | Bloomberg | Getty Images",
        "Reporting by Jane Doe; Editing by John Roe",
        "5 min read",
        "Tempo de leitura: 1 minuto",
        "© 2025 Kyiv Tech Review",
        "[button link=”/submit”]Send us YOUR review[/button]",
    ],
)
def test_boilerplate_lines_are_recognised(text):
    assert is_boilerplate_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Politico reported the information.",
        "“I think we should take them very seriously,” said the EU diplomat.",
        "What is known about elections in Romania",
        "Readers also asked whether the line would reach the airport.",
        "The play opens on Friday.",
        "Twitter users mocked the slogan, and the governor followed the debate closely.",
        "Subscribers to the service pay less.",
        "On December 6, the Constitutional Court of Romania annulled the results.",
        "e.g.",
        "Advertisement revenue fell by a fifth last year.",
        "Реклама алкоголю на телебаченні заборонена з 2024 року.",
        "Duration of the blackout was about four hours in most districts.",
        "More from the interview follows below, with the minister's answers.",
        "Text messages warned residents an hour before the strike.",
    ],
)
def test_article_sentences_are_not_boilerplate(text):
    assert not is_boilerplate_text(text)


def test_clean_blocks_drops_title_byline_date_line_link_rows_and_repeats():
    linked = Block("paragraph", "Power banks in the cold", "[Power banks in the cold](x)", 23)
    mostly_linked = Block(
        "paragraph",
        "The suspect was convicted and sentenced to life in prison last week.",
        "…",
        link_chars=40,
    )
    blocks = [
        _paragraph("Budget agreed"),
        _paragraph("By Olena Shevchenko"),
        _paragraph("Updated 16 May 2025, 19:58"),
        _paragraph("First paragraph of the story."),
        _paragraph("First paragraph of the story."),
        linked,
        mostly_linked,
        Block("heading", "Related", "## Related", level=2),
    ]
    kept = clean_blocks(blocks, title="Budget agreed", byline="Olena Shevchenko")
    # A sentence with a link in it stays; a bare link and a trailing heading go.
    assert [block.text for block in kept] == [
        "First paragraph of the story.",
        "The suspect was convicted and sentenced to life in prison last week.",
    ]


def test_untrusted_text_stays_text_in_text_and_markdown():
    body = (
        "<p>[bold]Breaking[/bold] news with *stars* and _underscores_ and a "
        "<a href='javascript:alert(1)'>script link</a>, an "
        "<a href='/path/(with)/parens'>odd link</a>, "
        "&lt;script&gt;alert(2)&lt;/script&gt;, \x1b[31mred\x1b[0m and \u202eevil\u202c text.</p>"
        + BODY
    )
    article = extract_article(_page(body), "https://news.example/a/b")
    first = article.text.split("\n\n")[0]
    assert first.startswith("[bold]Breaking[/bold] news with *stars*")
    assert "<script>alert(2)</script>" in first
    assert "\x1b" not in article.text and "\u202e" not in article.text
    assert "\x1b" not in article.markdown and "\u202e" not in article.markdown
    markdown = article.markdown.split("\n\n")[0]
    assert markdown.startswith(r"\[bold\]Breaking\[/bold\] news with \*stars\* and \_underscores\_")
    assert r"\<script\>alert(2)\</script\>" in markdown
    assert "javascript:" not in markdown and "script link" in markdown
    assert "[odd link](https://news.example/path/%28with%29/parens)" in markdown


def test_relative_links_resolve_against_base_href():
    head = '<title>Budget news</title><base href="https://cdn.example/base/">'
    body = '<p>See the <a href="report.pdf">full report</a> for details on the budget.</p>' + BODY
    article = extract_article(_page(body, head), "https://news.example/a")
    assert "[full report](https://cdn.example/base/report.pdf)" in article.markdown


def test_line_breaks_inside_a_paragraph_are_kept():
    body = "<p>First line of the address,<br>second line of the address, and more.</p>" + BODY
    article = extract_article(_page(body), "https://news.example/a")
    assert article.text.startswith("First line of the address,\nsecond line of the address")
    assert article.markdown.startswith("First line of the address,\\\nsecond line")


def test_title_prefers_the_h1_that_agrees_with_the_metadata():
    assert choose_title(["My Blog", "Budget agreed"], ["Budget agreed"], "", None, "") == (
        "Budget agreed"
    )
    # An <h1> that is only the site's name is not the headline.
    assert (
        choose_title(["Kabar Dunia"], [], "Jangan membenci - Kabar Dunia", "Kabar Dunia", "")
        == "Jangan membenci"
    )


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        ("Budget agreed | Espreso Global", "Espreso Global", "https://x.example", "Budget agreed"),
        ("Budget agreed - BBC News", None, "https://www.bbc.com/news/1", "Budget agreed"),
        ("Budget - the long road", None, "https://news.example/a", "Budget - the long road"),
    ],
)
def test_site_name_is_cut_from_titles(title, site, url, expected):
    assert strip_site_name(title, site, url) == expected


def test_site_rules_match_hosts_and_subdomains_only():
    assert rule_for("https://global.espreso.tv/some-article") is not None
    assert rule_for("https://espreso.tv/news") is not None
    assert rule_for("https://notespreso.tv/news") is None
    assert rule_for("not a url") is None


def test_every_site_rule_selector_compiles():
    from lxml.html import document_fromstring

    root = document_fromstring("<html><body><p>x</p></body></html>")
    for rule in SITE_RULES:
        for selector in (rule.body, rule.lead, *rule.drop):
            assert select(root, selector) == []


def test_article_json_round_trip_keeps_every_field():
    article = Article(
        url="https://news.example/a",
        title="T",
        text="A\n\nB",
        markdown="A\n\nB",
        byline="X",
        published=datetime(2025, 5, 16, 16, 58, tzinfo=UTC),
        lead="L",
        tags=["a"],
        lead_image="https://news.example/i.jpg",
        images=["https://news.example/i.jpg"],
        site_name="S",
        language="en",
        method="readability",
        extractor_version=3,
    )
    data = article_to_json(article)
    assert data["published"] == "2025-05-16T16:58:00+00:00"
    assert data["modified"] is None
    assert article_from_json(data) == article


def test_nested_lists_indent_under_their_item_and_items_stay_text():
    body = (
        "<p>Here are the steps the council agreed on for the new budget, in the order given.</p>"
        "<ol><li>Raise the road fund<ul><li>1. not a list number</li><li># not a heading</li>"
        "</ul></li><li>Cut administration</li></ol>" + BODY
    )
    article = extract_article(_page(body), "https://news.example/a")
    assert (
        "1. Raise the road fund\n   - 1\\. not a list number\n   - \\# not a heading\n"
        "2. Cut administration"
    ) in article.markdown
    assert "1. Raise the road fund\n  • 1. not a list number\n  • # not a heading" in article.text


def test_readability_overrides_give_readability_s_own_result():
    # The linear rewrites of two readability internals must not change what it picks; this
    # catches a readability upgrade that changes the originals.
    from pathlib import Path

    from readability import Document

    from newsterm.extract.readability_engine import _PreparedDocument

    class Rewritten(Document):
        transform_misused_divs_into_paragraphs = (
            _PreparedDocument.transform_misused_divs_into_paragraphs
        )
        get_link_density = _PreparedDocument.get_link_density

        def _parse(self, input):  # noqa: A002 - readability's name
            self._link_lengths = {}
            return super()._parse(input)

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    pages = [fixtures / "site" / "article.html", *sorted((fixtures / "articles").glob("*.html"))]
    for page in pages:
        html = page.read_bytes()
        assert Rewritten(html).summary() == Document(html).summary(), page.name
