"""Cases 13-15 end to end: cp1251 pages and feeds, header against declaration, invalid UTF-8."""

from __future__ import annotations

import json

import pytest

from newsterm.sources import parse
from tests.support.hostile import run_newsterm
from tests.support.loopback import SITE_ROOT

FIXTURES = SITE_ROOT.parent
ARTICLE = (FIXTURES / "articles" / "cp1251-uk.html").read_bytes()
LISTING = (FIXTURES / "listings" / "uk-cp1251.html").read_bytes()
META = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
ARTICLE_TITLE = "Укренерго: графіків відключень сьогодні не буде"
FIRST_HEADLINE = "Графіки відключень світла в Полтавській області не застосовуватимуть"
KYIV = "Київ, Львів і Харків: ґанок, їжак, єнот, п'ятниця"

# (a) the charset only in <meta>, (b) only in the header, (c) nowhere, (d) a header that says
# UTF-8 over a cp1251 body: what each page is served as.
SERVED = {
    "a-meta-only": (lambda page: page, "text/html"),
    "b-header-only": (lambda page: page.replace(META, b""), "text/html; charset=windows-1251"),
    "c-nowhere": (lambda page: page.replace(META, b""), "text/html"),
    "d-header-says-utf8": (lambda page: page.replace(META, b""), "text/html; charset=utf-8"),
}


@pytest.mark.parametrize("case", list(SERVED))
def test_a_cp1251_article_reads_correctly(tmp_path, loopback, case):
    shape, content_type = SERVED[case]
    assert META in ARTICLE
    url = loopback.route("/stattia", shape(ARTICLE), content_type=content_type)
    result = run_newsterm(tmp_path, "read", url, "--json")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] == ARTICLE_TITLE
    assert "Енергетики" in article["text"] or "Укренерго" in article["text"]
    assert "\ufffd" not in article["title"] + article["text"]


@pytest.mark.parametrize("case", list(SERVED))
def test_a_cp1251_listing_reads_correctly(tmp_path, loopback, case):
    shape, content_type = SERVED[case]
    assert META in LISTING
    source = loopback.route("/novyny", shape(LISTING), content_type=content_type)
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert result.returncode == 0, result.stderr
    titles = [item["title"] for item in json.loads(result.stdout)]
    assert titles[0] == FIRST_HEADLINE


def _feed(declared: str) -> str:
    """A one-item feed whose XML declaration names `declared`."""
    return (
        f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><title>Стрічка'
        f"</title><item><title>{KYIV}</title><link>https://example.org/a</link></item>"
        "</channel></rss>"
    )


# Precedence (documented in CAMPAIGN.md): a BOM, then the HTTP charset, then the document's own
# declaration, then detection. Each pair disagrees, and only the header's reading gives the
# right text: the declared single-byte charset would decode the same bytes to other letters.
@pytest.mark.parametrize(
    ("header", "declared"),
    [("koi8-u", "windows-1251"), ("windows-1251", "koi8-u"), ("utf-8", "windows-1251")],
)
def test_the_http_charset_wins_over_the_xml_declaration(header, declared):
    body = _feed(declared).encode(header)
    listing = parse(body, "https://example.org/rss", f"application/rss+xml; charset={header}")
    assert [h.title for h in listing.headlines] == [KYIV]
    assert listing.title == "Стрічка"


@pytest.mark.parametrize("declared", ["koi8-u", "windows-1251"])
def test_without_an_http_charset_the_xml_declaration_decides(declared):
    listing = parse(_feed(declared).encode(declared), "https://example.org/rss", "text/xml")
    assert [h.title for h in listing.headlines] == [KYIV]


def test_header_and_declaration_disagreeing_through_the_cli(tmp_path, loopback):
    source = loopback.route(
        "/rss",
        _feed("windows-1251").encode("koi8-u"),
        content_type="application/rss+xml; charset=koi8-u",
    )
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert result.returncode == 0, result.stderr
    assert [item["title"] for item in json.loads(result.stdout)] == [KYIV]


def test_invalid_utf8_becomes_replacement_characters_end_to_end(tmp_path, loopback):
    page = (
        b"<html><head><meta charset='utf-8'><title>Broken \xff\xfe bytes</title></head><body>"
        b"<article><h1>Broken \xff\xfe bytes</h1><p>"
        + "Київ ".encode()
        * 20
        + b"\xc3\x28 a lone lead byte, \xe2\x82 a cut sequence, \xed\xa0\x80 a surrogate,"
        b" and enough words after them for the paragraph to be the article body.</p>"
        b"</article></body></html>"
    )
    url = loopback.route("/broken", page, content_type="text/html; charset=utf-8")
    result = run_newsterm(tmp_path, "read", url, "--json")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] == "Broken \ufffd\ufffd bytes"
    assert "Київ Київ" in article["text"] and "\ufffd( a lone lead byte" in article["text"]
