"""Cases 5, 6, 12: entity bombs, external entities, author bombs and half feeds, end to end."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable

import pytest

from newsterm.sources import UNEXPECTED, parse
from newsterm.sources.feed_safety import MAX_LOOSE_TAGS
from newsterm.store import open_store
from tests.support.hostile import (
    cache_is_intact,
    cached_titles,
    run_newsterm,
    seed_cache,
)
from tests.support.loopback import SITE_ROOT

FEED_TYPE = "application/rss+xml; charset=utf-8"
SECRET = "TOP-SECRET-MARKER"
# Put first on PYTHONPATH, this makes every newsterm command the test runs keep a copy of
# each document it hands to feedparser.
_SPY = """\
import io, itertools, os
import feedparser

_real_parse = feedparser.parse
_numbers = itertools.count()


def _recording_parse(source, *args, **kwargs):
    data = source.read() if hasattr(source, "read") else source
    name = f"{os.getpid()}-{next(_numbers):04d}.xml"
    with open(os.path.join(os.environ["NEWSTERM_TEST_FEEDPARSER_INPUTS"], name), "wb") as out:
        out.write(data if isinstance(data, bytes) else str(data).encode())
    return _real_parse(io.BytesIO(data) if isinstance(data, bytes) else data, *args, **kwargs)


feedparser.parse = _recording_parse

# An ordinary feed is read by fast_feed in feedparser's stead: what it reads counts too.
from newsterm.sources import fast_feed

_real_fast = fast_feed.parse_ordinary_feed


def _recording_fast(safe, *args, **kwargs):
    listing = _real_fast(safe, *args, **kwargs)  # recorded once read (else feedparser reads it)
    name = f"{os.getpid()}-{next(_numbers):04d}.xml"
    with open(os.path.join(os.environ["NEWSTERM_TEST_FEEDPARSER_INPUTS"], name), "wb") as out:
        out.write(safe)
    return listing


fast_feed.parse_ordinary_feed = _recording_fast
"""
# What must never reach feedparser: declarations (entity expansion, external files) and the
# author-like elements its backtracking e-mail regex reads.
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)|\bSYSTEM\b", re.IGNORECASE)
_AUTHOR_ELEMENT = re.compile(
    rb"<(?:[\w.-]+:)?(?:author|creator|contributor|publisher|managingEditor|webMaster|email|name)"
    rb"[\s/>]",
    re.IGNORECASE,
)


@pytest.fixture
def feedparser_inputs(tmp_path, monkeypatch) -> Callable[[], list[bytes]]:
    """What feedparser was given inside the `newsterm` commands run since, in order."""
    spy, inputs = tmp_path / "feedparser-spy", tmp_path / "feedparser-inputs"
    spy.mkdir()
    inputs.mkdir()
    (spy / "sitecustomize.py").write_text(_SPY, encoding="utf-8")
    paths = [str(spy), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    monkeypatch.setenv("NEWSTERM_TEST_FEEDPARSER_INPUTS", str(inputs))
    return lambda: [path.read_bytes() for path in sorted(inputs.iterdir())]


def _laughs(on_the_xml_line: bool) -> str:
    """A prolog declaring the billion-laughs entities (&lol9; is 10^9 "lol"s)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol;" if n == 1 else f"&lol{n - 1};") * 10}">' for n in range(1, 10)
    )
    gap = "" if on_the_xml_line else "\n"
    return f'<?xml version="1.0"?>{gap}<!DOCTYPE rss [{entities}]>'


def _feed(prolog: str, entity: str) -> str:
    """One-item RSS after `prolog`, with `entity` in the channel title, item title and text."""
    return (
        f'{prolog}<rss version="2.0"><channel><title>t {entity}</title>'
        f"<item><title>Story {entity} here</title><link>https://example.org/a</link>"
        f"<description>{entity}</description></item></channel></rss>"
    )


@pytest.mark.parametrize(
    "kind", ["laughs-on-xml-line", "laughs-own-line", "xxe-entity", "xxe-parameter", "xxe-dtd"]
)
def test_entity_bombs_and_external_entities_through_the_cli(
    tmp_path, loopback, kind, feedparser_inputs
):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    prologs = {
        "laughs-on-xml-line": (_laughs(True), "&lol9;"),
        "laughs-own-line": (_laughs(False), "&lol9;"),
        "xxe-entity": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>',
            "&x;",
        ),
        "xxe-parameter": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>',
            "&x;",
        ),
        "xxe-dtd": (f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{secret.as_uri()}">', "&x;"),
    }
    prolog, entity = prologs[kind]
    source = loopback.route("/rss", _feed(prolog, entity), content_type=FEED_TYPE)
    result = run_newsterm(tmp_path / "data", "headlines", "--json", "--source", source)
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)
    assert item["url"] == "https://example.org/a" and item["title"].startswith("Story")
    assert "lollol" not in item["title"] and SECRET not in result.stdout + result.stderr
    raw = (tmp_path / "data" / "newsterm.sqlite3").read_bytes()
    assert b"lollol" not in raw and SECRET.encode() not in raw
    # Not left to expat's own refusal: the command hands feedparser no declaration at all.
    [given] = feedparser_inputs()
    assert _DECLARATION.findall(given) == [] and str(secret).encode() not in given


def test_a_crafted_author_field_through_the_cli(tmp_path, loopback, feedparser_inputs):
    bomb = "aa@" + "a." * 16_000  # feedparser's e-mail regex backtracks for seconds on this
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>Hostile byline</title><link>https://example.org/a</link>"
        f"<author>{bomb}</author><managingEditor>{bomb}</managingEditor></item></channel></rss>"
    )
    source = loopback.route("/rss", feed, content_type=FEED_TYPE)
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert result.returncode == 0, result.stderr
    assert [item["title"] for item in json.loads(result.stdout)] == ["Hostile byline"]
    # The fields are renamed out of feedparser's way, so its regex never runs over them.
    [given] = feedparser_inputs()
    assert _AUTHOR_ELEMENT.findall(given) == []


def _half(feed: bytes) -> bytes:
    """The first half of a feed, cut inside an item: a feed that stopped being written."""
    cut = feed.index(b"</item>", len(feed) // 2) - 20
    return feed[:cut]


async def test_a_half_feed_is_a_failed_refresh_that_deletes_nothing(tmp_path, loopback):
    feed = (SITE_ROOT / "feed.xml").read_bytes()
    source = loopback.route("/rss", feed, content_type=FEED_TYPE, etag='"whole"')
    await seed_cache(tmp_path, source)
    before = cached_titles(tmp_path)
    loopback.route("/rss", _half(feed), content_type=FEED_TYPE, etag='"half"')
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert [item["title"] for item in json.loads(result.stdout)] == before
    assert cached_titles(tmp_path) == before and cache_is_intact(tmp_path)
    with open_store(tmp_path / "newsterm.sqlite3") as store:
        assert store.fetch_state(source).etag == '"whole"'
    [line] = result.stderr.splitlines()
    assert line.startswith("newsterm: 127.0.0.1: ") and "cut short" in line, line


def test_a_feed_of_stray_tags_is_cut_before_the_loose_parser_reads_it(monkeypatch):
    import feedparser

    given: list[bytes] = []
    real_parse = feedparser.parse

    def recording_parse(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        given.append(source.read())
        return real_parse(io.BytesIO(given[-1]), *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", recording_parse)
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        + b"<x>" * 100_000  # never closed: the strict parser gives up, the loose one plods on
        + b"<item><title>A</title><link>https://example.org/a</link></item></channel></rss>"
    )
    listing = parse(body, "https://example.org/rss", FEED_TYPE)
    assert not (listing.reason or "").startswith(UNEXPECTED), listing.reason
    # The loose parser's time grows with the tags it reads: it gets MAX_LOOSE_TAGS of the
    # 100,000, plus the declaration and the closing tags put back.
    [document] = given
    assert document.count(b"<") <= MAX_LOOSE_TAGS + 3
    assert document.rstrip().endswith(b"</channel></rss>")
