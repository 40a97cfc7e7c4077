"""Cases 5, 6, 12: entity bombs, external entities, author bombs and half feeds, end to end."""

from __future__ import annotations

import json
import time

import pytest

from newsterm.sources import parse
from newsterm.store import open_store
from tests.hostile.test_support import (
    cache_is_intact,
    cached_titles,
    run_newsterm,
    seed_cache,
)
from tests.loopback import SITE_ROOT

FEED_TYPE = "application/rss+xml; charset=utf-8"
SECRET = "TOP-SECRET-MARKER"


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
def test_entity_bombs_and_external_entities_through_the_cli(tmp_path, loopback, kind):
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
    started = time.monotonic()
    result = run_newsterm(tmp_path / "data", "headlines", "--json", "--source", source)
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)
    assert item["url"] == "https://example.org/a" and item["title"].startswith("Story")
    assert "lollol" not in item["title"] and SECRET not in result.stdout + result.stderr
    raw = (tmp_path / "data" / "newsterm.sqlite3").read_bytes()
    assert b"lollol" not in raw and SECRET.encode() not in raw
    assert took < 3  # the whole command, start-up included; the parse is unit-tested < 0.5 s


def test_a_crafted_author_field_through_the_cli(tmp_path, loopback):
    bomb = "aa@" + "a." * 16_000  # feedparser's e-mail regex backtracks for seconds on this
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>Hostile byline</title><link>https://example.org/a</link>"
        f"<author>{bomb}</author><managingEditor>{bomb}</managingEditor></item></channel></rss>"
    )
    source = loopback.route("/rss", feed, content_type=FEED_TYPE)
    started = time.monotonic()
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert result.returncode == 0, result.stderr
    assert [item["title"] for item in json.loads(result.stdout)] == ["Hostile byline"]
    assert time.monotonic() - started < 3  # one crafted field alone costs feedparser ~4 s


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


def test_a_feed_of_stray_tags_parses_in_under_a_second():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        + b"<x>" * 100_000  # never closed: the strict parser gives up, the loose one plods on
        + b"<item><title>A</title><link>https://example.org/a</link></item></channel></rss>"
    )
    started = time.perf_counter()
    parse(body, "https://example.org/rss", FEED_TYPE)
    assert time.perf_counter() - started < 1
