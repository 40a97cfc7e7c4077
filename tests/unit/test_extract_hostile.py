"""Hostile and garbled pages: the extractor returns an Article (or ExtractionError) and
works within its caps; how long each page takes is measured by benchmarks/hostile.py."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.html
import pytest
import readability.readability
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsterm.extract.pipeline
import newsterm.extract.readability_engine
from newsterm.extract import ExtractionError, extract_article
from newsterm.extract.parsing import MAX_DEPTH, MAX_ELEMENTS, MAX_INPUT_BYTES, MAX_MARKUP_CHARS
from newsterm.models import Article

URL = "https://news.example/article"
# Characters readability's clean() may read in all: a few passes over the largest markup
# parse_page keeps. Measuring each candidate's text again for every candidate around it
# (nesting times size) reads tens of millions on the nested pages below.
MAX_CLEANED_CHARS = 4 * MAX_MARKUP_CHARS
_PARAGRAPH = (
    "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, <a href='/x'>sed do</a> "
    "eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n"
)


def _twenty_megabytes(unit: str) -> str:
    return "<html><body><article>" + unit * (20_000_000 // len(unit)) + "</article></body></html>"


def _nested_candidates(innermost: str) -> str:
    outer = "".join(f"<div><p>Paragraph {i} with enough text, and commas.</p>" for i in range(250))
    return "<body>" + outer + innermost


# Built when a test asks, so collecting the tests does not build 100 MB of strings.
HOSTILE: dict[str, Callable[[], bytes | str]] = {
    "a million spaces": lambda: " " * 1_000_000,
    "a million spaces in a paragraph": lambda: "<html><body><p>" + " " * 1_000_000 + "x</p>",
    "nesting 300 deep": lambda: "<html><body>" + "<div>" * 300 + "deep text " * 50 + "</div>" * 300,
    "nesting 100,000 deep": lambda: (
        "<body>" + "<div>" * 100_000 + "deep " * 50 + "</div>" * 100_000
    ),
    "100,000 unclosed paragraphs in divs": lambda: "<body>" + "<div><p>hello world " * 100_000,
    "100,000 nested spans": lambda: "<div>" + "<span>" * 100_000 + "words " * 1000,
    "a 20 MB page": lambda: _twenty_megabytes(_PARAGRAPH),
    "a 20 MB page of nested divs": lambda: _twenty_megabytes("<div class='x'>" + _PARAGRAPH),
    "a 20 MB table": lambda: _twenty_megabytes("<tr><td>cell</td><td><p>a cell, too</p></td></tr>"),
    "a 20 MB page in bytes": lambda: _twenty_megabytes(_PARAGRAPH).encode("utf-8"),
    "no body": lambda: "<html><head><title>Only a head</title></head></html>",
    "no html at all": lambda: "just some words, no markup",
    "binary junk": lambda: random.Random(7).randbytes(1_000_000),
    "NUL bytes": lambda: b"\x00" * 100_000,
    "empty": lambda: b"",
    "200,000 unclosed scripts": lambda: "<html><body>" + "<script>" * 200_000,
    "300,000 scripts between paragraphs": lambda: (
        "<body>" + "<script>var x=1;</script><p>hello there world</p>" * 300_000
    ),
    "a 5 MB class attribute": lambda: "<body><div class='" + "a" * 5_000_000 + "'>text</div>",
    "300,000 chrome classes": lambda: "<body>" + "<div class='share sidebar'>t</div>" * 300_000,
    "deep JSON-LD": lambda: (
        "<head><script type='application/ld+json'>"
        + "[" * 100_000
        + "]" * 100_000
        + "</script></head><body><p>x</p></body>"
    ),
    "a huge meta description": lambda: (
        "<head><meta name=description content='"
        + "word " * 1_000_000
        + "'></head><body>"
        + "<p>word word word word word</p>" * 50_000
    ),
    "nested candidates over many links": lambda: _nested_candidates(
        "<div>" + "<a href='/l'>link text here</a> and words " * 11_000
    ),
    "nested candidates over a huge paragraph": lambda: _nested_candidates(
        "<p>" + "word, " * 200_000
    ),
}


@dataclass
class Work:
    """What the extractor worked on, as its caps should bound it."""

    decoded: list[int] = field(default_factory=list)
    """Characters of page text after decoding and cleaning (page_text)."""
    parsed: list[int] = field(default_factory=list)
    """Characters of markup handed to lxml."""
    trees: list[tuple[int, bool]] = field(default_factory=list)
    """(elements, deeper than MAX_DEPTH) of the tree parse_page returned."""
    cleaned: int = 0
    """Characters readability's clean() read, in all."""


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Work:
    """Records what extract_article works on, at the points where its caps apply."""
    seen = Work()
    pipeline = newsterm.extract.pipeline
    real_page_text, real_parse_page = pipeline.page_text, pipeline.parse_page
    real_fromstring = lxml.html.document_fromstring

    def page_text(html, content_type):  # type: ignore[no-untyped-def]
        text = real_page_text(html, content_type)
        seen.decoded.append(len(text))
        return text

    def document_fromstring(html, *args, **kwargs):  # type: ignore[no-untyped-def]
        markup = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
        seen.parsed.append(len(markup))
        return real_fromstring(html, *args, **kwargs)

    def parse_page(text):  # type: ignore[no-untyped-def]
        root = real_parse_page(text)
        deeper = bool(root.xpath("/*" + "/*" * MAX_DEPTH))  # one XPath, no recursion
        seen.trees.append((sum(1 for _ in root.iter()), deeper))
        return root

    def counting(clean):  # type: ignore[no-untyped-def]
        def measured_clean(text):  # type: ignore[no-untyped-def]
            seen.cleaned += len(text)
            return clean(text)

        return measured_clean

    monkeypatch.setattr(pipeline, "page_text", page_text)
    monkeypatch.setattr(pipeline, "parse_page", parse_page)
    monkeypatch.setattr(lxml.html, "document_fromstring", document_fromstring)
    # Our engine's own text measuring, and readability's (text_length and its scoring).
    for module in (newsterm.extract.readability_engine, readability.readability):
        monkeypatch.setattr(module, "clean", counting(module.clean))
    return seen


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_page_is_read_within_the_extractors_caps(name, work):
    page = HOSTILE[name]()
    try:
        article = extract_article(page, URL)
    except ExtractionError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(article, Article)
        assert article.method in {"readability", "article-element", "feed-summary", "none"}
        assert not article.text or article.method != "none"
    # What bounds the time of every later pass: the input, the markup parsed, the tree's
    # size and depth, and readability's text measuring, each within its cap.
    assert max(work.decoded, default=0) <= MAX_INPUT_BYTES
    assert max(work.parsed, default=0) <= MAX_MARKUP_CHARS
    for elements, deeper in work.trees:
        assert elements <= MAX_ELEMENTS and not deeper, (elements, deeper)
    assert work.cleaned <= MAX_CLEANED_CHARS


def test_an_unreadable_page_falls_back_to_the_feed_summary():
    article = extract_article(b"\x00\x01\x02" * 1000, URL, summary="What the feed said.")
    assert article.method == "feed-summary"
    assert article.text == "What the feed said."


def test_wrong_input_type_is_an_extraction_error_with_one_line():
    with pytest.raises(ExtractionError) as caught:
        extract_article(12345, URL)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)


def test_unknown_time_zone_is_an_extraction_error_naming_it():
    with pytest.raises(ExtractionError, match="Mars/Olympus"):
        extract_article("<p>x</p>", URL, timezone="Mars/Olympus")


def _check(page: bytes | str) -> None:
    # Stricter than the contract: garbled pages are ordinary input, so even ExtractionError
    # (which would wrap an internal failure) is a bug here.
    article = extract_article(page, URL)
    assert isinstance(article.text, str) and isinstance(article.markdown, str)
    assert "\x1b" not in article.text and "\x00" not in article.markdown
    assert article.method in {"readability", "article-element", "none"}


_TAGS = [
    "p",
    "div",
    "a",
    "span",
    "ul",
    "li",
    "table",
    "tr",
    "td",
    "h1",
    "h2",
    "blockquote",
    "article",
    "main",
    "aside",
    "nav",
    "script",
    "style",
    "br",
    "img",
    "pre",
    "form",
]
_ATTRIBUTES = [
    "",
    " class='share'",
    " class='content'",
    " id='comments'",
    " hidden",
    " href='javascript:x'",
    " href='/a(b)'",
    " style='display:none'",
    " itemprop='articleBody'",
    " role='navigation'",
    " class='vjs-modal-dialog'",
]
_html_pieces = st.one_of(
    st.sampled_from(_TAGS).flatmap(
        lambda tag: st.sampled_from(_ATTRIBUTES).map(lambda attribute: f"<{tag}{attribute}>")
    ),
    st.sampled_from(_TAGS).map(lambda tag: f"</{tag}>"),
    st.text(max_size=40),
    st.sampled_from(
        [
            "Read also: x",
            "&nbsp;",
            "&#0;",
            "&#x202e;",
            "<!--",
            "-->",
            "<![CDATA[",
            "<?xml version='1.0' encoding='latin-1'?>",
            "<meta charset='cp1251'>",
            '<script type="application/ld+json">{"@type":"NewsArticle",',
            '"datePublished":"2025-13-45T99:99"}</script>',
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_html_pieces, max_size=60).map("".join))
def test_garbled_html_never_raises_and_finishes(page):
    _check(page)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_and_finish(page):
    _check(page)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_never_raises_and_finishes(page):
    _check(page)
