"""The HTTP layer against a real server on 127.0.0.1: limits, redirects, retries, failures."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import re
import time
import tracemalloc
import zlib
from datetime import UTC, datetime

import pytest

from newsterm import __version__
from newsterm.config import NetSettings
from newsterm.net import (
    USER_AGENT,
    Failure,
    FailureKind,
    Fetcher,
    Response,
    is_offline,
    parse_retry_after,
)
from newsterm.net.headers import RETRY_AFTER_CEILING
from tests.support.loopback import MIB, LoopbackServer, Reply, gzip_zeros, unused_port

FIRST_HEADLINE = "/russian-demands-at-istanbul-talks-are-unacceptable-to-ukraine-mfa-says"


# Seconds before a fetch that should end on its own counts as hung. Not a timing check:
# the servers below trickle or stall for longer, so only a missing deadline gets near it.
HANG_GUARD = 60.0


async def fetch(
    url: str, limits: NetSettings | None = None, sleep=asyncio.sleep, **kwargs
) -> Response | Failure:
    async with Fetcher(limits, sleep=sleep) as fetcher:
        return await fetcher.fetch(url, **kwargs)


async def fetch_or_hang(
    url: str, limits: NetSettings | None = None, **kwargs
) -> Response | Failure:
    """`fetch`, failing the test (instead of hanging it) if nothing ends the fetch."""
    try:
        return await asyncio.wait_for(fetch(url, limits, **kwargs), HANG_GUARD)
    except TimeoutError:
        pytest.fail(
            f"the fetch of {url} was still running after {HANG_GUARD:g} s: nothing ended it"
        )


class RecordedSleeps(list[float]):
    """The waits a Fetcher asks for between retries; recorded, not spent."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


def failed(result: Response | Failure, kind: str) -> Failure:
    assert isinstance(result, Failure), result
    assert result.kind == kind, result
    return result


def succeeded(result: Response | Failure) -> Response:
    assert isinstance(result, Response), result
    return result


# -- success and conditional GET -----------------------------------------------------------


async def test_200_returns_body_and_validators(loopback: LoopbackServer):
    url = loopback.route(
        "/page",
        "<p>hello</p>",
        etag='"v1"',
        last_modified="Wed, 21 Oct 2015 07:28:00 GMT",
        content_type="text/html; charset=utf-8",
    )
    before = time.monotonic()
    response = succeeded(await fetch(url))
    after = time.monotonic()
    assert (response.url, response.status, response.body) == (url, 200, b"<p>hello</p>")
    assert response.content_type == "text/html; charset=utf-8"
    assert response.etag == '"v1"'
    assert response.last_modified == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert response.not_modified is False
    # The fetch's own duration, read from the same clock: it lies inside our bracket.
    assert 0 <= response.elapsed <= after - before


async def test_user_agent_accept_and_encoding_headers_are_sent(loopback: LoopbackServer):
    url = loopback.route("/ua", "ok")
    succeeded(await fetch(url, accept="application/rss+xml"))
    headers = loopback.last_headers("/ua")
    assert headers["user-agent"] == USER_AGENT
    assert headers["user-agent"].startswith(f"newsterm/{__version__} (+https://")
    assert headers["accept"] == "application/rss+xml"
    assert headers["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in headers and "if-modified-since" not in headers


async def test_304_with_etag(loopback: LoopbackServer):
    url = loopback.route("/tagged", "body", etag='"abc"')
    async with Fetcher() as fetcher:
        first = succeeded(await fetcher.fetch(url))
        again = succeeded(await fetcher.fetch(url, etag=first.etag))
    assert loopback.last_headers("/tagged")["if-none-match"] == '"abc"'
    assert (again.status, again.not_modified, again.body, again.etag) == (304, True, b"", '"abc"')


async def test_304_with_last_modified(loopback: LoopbackServer):
    stamp = "Fri, 16 May 2025 16:58:00 GMT"
    url = loopback.route("/dated", "body", last_modified=stamp)
    response = succeeded(await fetch(url, last_modified=stamp))
    assert loopback.last_headers("/dated")["if-modified-since"] == stamp
    assert (response.status, response.not_modified, response.body) == (304, True, b"")


# Validators as servers have sent them: UTF-8, Latin-1, a C1 control, a space in an ETag.
BAD_VALIDATORS = [
    ("ETag", '"été"'.encode()),
    ("ETag", b'"caf\xe9"'),
    ("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT\u0085".encode()),
    ("Last-Modified", b"Mon, 01 Jan 2024 00:00:00 \xff"),
]


@pytest.mark.parametrize(("name", "raw"), BAD_VALIDATORS)
async def test_a_validator_that_is_not_visible_ascii_is_dropped(
    loopback: LoopbackServer, name, raw
):
    url = loopback.route("/odd-validator", "body", raw_headers=[(name, raw)])
    async with Fetcher() as fetcher:
        first = succeeded(await fetcher.fetch(url))
        assert (first.etag, first.last_modified) == (None, None)
        # What the caller stores and sends back next time cannot fail that next time.
        again = succeeded(
            await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
        )
    assert again.body == b"body" and loopback.hits("/odd-validator") == 2


async def test_visible_ascii_validators_are_kept_as_sent(loopback: LoopbackServer):
    etag, stamp = 'W/"a b!~"', "Mon, 01 Jan 2024 00:00:00 GMT"
    url = loopback.route(
        "/fine", "body", raw_headers=[("ETag", etag.encode()), ("Last-Modified", stamp.encode())]
    )
    response = succeeded(await fetch(url))
    assert (response.etag, response.last_modified) == (etag, stamp)


@pytest.mark.parametrize(
    ("etag", "last_modified"),
    [
        ('"été"', None),
        (None, "Mon, 01 Jan 2024 00:00:00 GMT\u00a0"),
        ('"a"\r\nX-Injected: 1', None),
        ('"\x1b[31m"', "\x9b2J"),
    ],
)
async def test_a_bad_validator_already_stored_is_not_sent(
    loopback: LoopbackServer, etag, last_modified
):
    # An older version kept validators as they came: one of those must not fail the request.
    url = loopback.route("/stored-badly", "body")
    response = succeeded(await fetch(url, etag=etag, last_modified=last_modified))
    assert response.body == b"body"
    headers = loopback.last_headers("/stored-badly")
    assert "if-none-match" not in headers and "if-modified-since" not in headers
    assert "x-injected" not in headers


async def test_changed_resource_is_fetched_in_full(loopback: LoopbackServer):
    url = loopback.route("/changed", "new", etag='"v2"')
    response = succeeded(await fetch(url, etag='"v1"'))
    assert (response.status, response.body, response.etag) == (200, b"new", '"v2"')


async def test_gzip_body_is_decoded(loopback: LoopbackServer):
    text = "Zelenskyy, four European leaders hold phone call " * 200
    url = loopback.route("/zipped", text, gzip=True)
    assert succeeded(await fetch(url)).body == text.encode()


def _gzip_members(*parts: bytes) -> bytes:
    """Each part compressed as its own gzip member, one after another (RFC 1952 allows it)."""
    return b"".join(gzip.compress(part, mtime=0) for part in parts)


async def test_a_gzip_body_of_two_members_is_decoded_whole(loopback: LoopbackServer):
    first, second = b"<p>first member</p>" * 500, b"<p>second member</p>" * 500
    body = _gzip_members(first, second)
    url = loopback.route("/members", body, headers={"Content-Encoding": "gzip"}, chunk_size=997)
    assert succeeded(await fetch(url)).body == first + second


async def test_padding_after_the_last_gzip_member_is_ignored(loopback: LoopbackServer):
    body = _gzip_members(b"only member") + bytes(64)
    url = loopback.route("/padded", body, headers={"Content-Encoding": "gzip"})
    assert succeeded(await fetch(url)).body == b"only member"


async def test_a_second_gzip_member_cut_short_is_a_truncated_body(loopback: LoopbackServer):
    body = _gzip_members(b"whole" * 100, b"cut" * 1000)
    url = loopback.route("/half-members", body[:-20], headers={"Content-Encoding": "gzip"})
    result = failed(await fetch(url), "truncated")
    assert result.message == "body cut short (gzip stream ended early)"


async def test_the_size_cap_counts_every_gzip_member(loopback: LoopbackServer):
    def members():  # two members of 6 MiB of zeros each: neither alone passes 10 MiB
        yield from gzip_zeros(6 * MIB)()
        yield from gzip_zeros(6 * MIB)()

    url = loopback.route("/big-members", stream=members, headers={"Content-Encoding": "gzip"})
    assert failed(await fetch_or_hang(url), "too-large").message == "response larger than 10 MiB"


@pytest.mark.parametrize("wbits", [15, -15], ids=["zlib", "raw"])
async def test_deflate_body_is_decoded_with_or_without_zlib_header(loopback: LoopbackServer, wbits):
    text = b"Read also: nothing " * 100
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    packed = packer.compress(text) + packer.flush()
    url = loopback.route("/deflated", packed, headers={"Content-Encoding": "deflate"})
    assert succeeded(await fetch(url)).body == text


async def test_body_and_charset_pass_through_undecoded(loopback: LoopbackServer):
    url = loopback.route("/cp1251", "Привіт, світ", charset="windows-1251")
    response = succeeded(await fetch(url))
    assert response.content_type == "text/html; charset=windows-1251"
    assert response.body == "Привіт, світ".encode("cp1251")


async def test_the_loopback_site_serves_list_feed_and_every_headline(site_server: LoopbackServer):
    async with Fetcher() as fetcher:
        news = succeeded(await fetcher.fetch(site_server.url + "/news"))
        rss = succeeded(await fetcher.fetch(site_server.url + "/rss"))
        article = succeeded(await fetcher.fetch(site_server.url + FIRST_HEADLINE))
        category = failed(await fetcher.fetch(site_server.url + "/war"), "http")
    # Links point at the loopback copy, so a headline opened from the list opens here too.
    assert f'href="{site_server.url}{FIRST_HEADLINE}"'.encode() in news.body
    assert b"https://global.espreso.tv" not in news.body
    assert rss.content_type == "application/rss+xml; charset=utf-8"
    assert b"<h1" in article.body
    assert category.status == 404


def _cookies(batch: int, count: int = 2000) -> list[tuple[str, bytes]]:
    """`count` Set-Cookie headers, named apart from every other batch's."""
    return [("Set-Cookie", f"c{batch}x{n}=v; Path=/".encode()) for n in range(count)]


async def test_cookies_are_not_kept_between_requests(loopback: LoopbackServer):
    # 2,000 new cookies on every answer: a jar would grow by that much per request and send
    # them all back each time (issue 11: every request slower, 453 MB after a long run).
    replies = [Reply(f"page {n}", raw_headers=_cookies(n)) for n in range(3)]
    url = loopback.sequence("/cookies", *replies)
    async with Fetcher() as fetcher:
        bodies = [succeeded(await fetcher.fetch(url)).body for _ in range(3)]
        redirected = succeeded(await fetcher.fetch(loopback.redirect_chain("/crumbs", 1)))
    assert bodies == [b"page 0", b"page 1", b"page 2"] and redirected.body == b"arrived"
    assert [request.headers.get("cookie") for request in loopback.seen()] == [None] * 5


# -- size caps and deadlines ---------------------------------------------------------------


async def test_size_cap_on_a_plain_body(loopback: LoopbackServer):
    url = loopback.route("/big", b"x" * (2 * MIB))
    result = failed(await fetch(url, NetSettings(max_bytes=MIB)), "too-large")
    assert result.message == "response larger than 1 MiB"


async def test_size_cap_on_a_body_without_content_length(loopback: LoopbackServer):
    url = loopback.route("/endless", stream=lambda: (b"x" * 65536 for _ in range(64)))
    result = failed(await fetch(url, NetSettings(max_bytes=MIB)), "too-large")
    assert result.message == "response larger than 1 MiB"


async def test_gzip_bomb_stops_early_with_little_memory(loopback: LoopbackServer):
    url = loopback.gzip_bomb("/bomb", size=200 * MIB)
    tracemalloc.start()
    try:
        result = await fetch_or_hang(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The decoded size is what is capped: the fetch stops at 10 MiB of zeros, however small
    # the compressed stream is, and never holds the 200 MiB it would inflate to.
    assert failed(result, "too-large").message == "response larger than 10 MiB"
    assert peak < 32 * MIB


async def test_a_trickle_is_stopped_by_the_deadline(loopback: LoopbackServer):
    # A byte a second for an hour: each byte beats the read timeout, so only the overall
    # deadline can end it (without one, the hang guard fails the test).
    url = loopback.trickle("/trickle", size=3600, interval=1.0)
    result = failed(await fetch_or_hang(url, NetSettings(deadline=1.5)), "timeout")
    assert result.message == "timed out after 1.5 s"  # the deadline's words, not the read timeout's


async def test_a_silent_server_hits_the_read_timeout(loopback: LoopbackServer):
    url = loopback.route("/silent", "late", delay=3)
    result = failed(await fetch(url, NetSettings(read_timeout=0.3)), "timeout")
    assert result.message == "timed out after 0.3 s"


async def test_truncated_body(loopback: LoopbackServer):
    url = loopback.route("/cut", b"x" * 5000, truncate_to=1200)
    result = failed(await fetch(url), "truncated")
    assert result.message == "body cut short (got 1200 of 5000 bytes)"
    assert result.status == 200


# -- redirects and schemes -----------------------------------------------------------------


@pytest.mark.parametrize("hops", [1, 3, 5])
async def test_redirect_chains_up_to_the_limit_are_followed(loopback: LoopbackServer, hops):
    url = loopback.redirect_chain("/hop", hops, body="arrived")
    response = succeeded(await fetch(url))
    assert (response.url, response.body) == (f"{loopback.url}/hop/{hops}", b"arrived")


async def test_relative_location_is_resolved(loopback: LoopbackServer):
    loopback.route("/a/b", redirect_to="c", status=301)
    loopback.route("/a/c", "resolved")
    response = succeeded(await fetch(loopback.url + "/a/b"))
    assert (response.url, response.body) == (loopback.url + "/a/c", b"resolved")


# What must not reach a URL raw: C0 controls, space, DEL, C1 controls, and the invisible
# format characters that make one URL look like another (zero-width, joiners, BOM, bidi).
UNSAFE_IN_URL = re.compile(
    "[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)

# Location headers as a hostile server sends them (bytes), each leading to /dest.
DIRTY_LOCATIONS = {
    "esc": b"/dest?x=\x1b]0;owned\x07",
    "c1-csi-utf8": "/dest?x=\u009b2J".encode(),
    "c1-csi-latin1-byte": b"/dest?x=\x9b2J",
    "zero-width-space": "/dest?x=\u200b".encode(),
    "right-to-left-override": "/dest?\u202etxt.exe".encode(),
    "word-joiner-in-fragment": "/dest#a\u2060b".encode(),
    "bom-and-tab": "/dest?a=\ufeff&b=c\td".encode(),
}


@pytest.mark.parametrize("case", list(DIRTY_LOCATIONS))
async def test_a_location_with_controls_or_invisibles_never_becomes_the_url_raw(
    loopback: LoopbackServer, case
):
    loopback.route("/dest", "arrived")  # answers /dest with any query
    url = loopback.route("/go", status=302, raw_headers=[("Location", DIRTY_LOCATIONS[case])])
    response = succeeded(await fetch(url))
    assert response.body == b"arrived"
    assert response.url.startswith(loopback.url + "/dest")
    assert not UNSAFE_IN_URL.search(response.url), response.url


async def test_an_invisible_character_in_a_location_path_is_percent_encoded(
    loopback: LoopbackServer,
):
    loopback.route("/dest%E2%80%8B", "arrived")  # U+200B is E2 80 8B in UTF-8
    url = loopback.route("/go", status=302, raw_headers=[("Location", "/dest\u200b".encode())])
    response = succeeded(await fetch(url))
    assert (response.url, response.body) == (loopback.url + "/dest%E2%80%8B", b"arrived")


@pytest.mark.parametrize(
    "location",
    ["http://evil\u200b.example/".encode(), b"http://127.0.0.1\x9b/", b"http://a\x1b.example/"],
)
async def test_a_location_whose_host_holds_controls_or_invisibles_is_refused(
    loopback: LoopbackServer, location
):
    url = loopback.route("/go", status=302, raw_headers=[("Location", location)])
    result = failed(await fetch(url), "invalid-url")
    assert result.message == "redirect to a URL with an invalid host refused"


async def test_a_location_that_does_not_parse_is_refused(loopback: LoopbackServer):
    url = loopback.route("/go", status=302, raw_headers=[("Location", b"http://a\x1b[2J/")])
    result = failed(await fetch(url), "invalid-url")
    assert result.message == "redirect to an invalid URL refused"


async def test_six_redirects_are_too_many(loopback: LoopbackServer):
    url = loopback.redirect_chain("/long", 6)
    result = failed(await fetch(url), "redirects")
    assert result.message == "too many redirects (more than 5)"
    assert result.url == url


async def test_redirect_loop(loopback: LoopbackServer):
    loopback.route("/ping", redirect_to="/pong")
    loopback.route("/pong", redirect_to="/ping")
    failed(await fetch(loopback.url + "/ping"), "redirects")
    assert loopback.hits("/ping") + loopback.hits("/pong") == 6


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x", "data:,x"]
)
async def test_redirect_to_a_non_http_url_is_refused(loopback: LoopbackServer, target):
    url = loopback.route("/evil", redirect_to=target)
    result = failed(await fetch(url), "scheme")
    assert result.message == "redirect to a non-http URL refused"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("file:///etc/passwd", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("ftp://127.0.0.1/", "scheme"),
        ("no scheme at all", "scheme"),
        ("http://", "invalid-url"),
        ("http://127.0.0.1:99999/", "invalid-url"),
        ("http://[::1/", "invalid-url"),
    ],
)
async def test_only_valid_http_urls_are_fetched(url, kind):
    failed(await fetch(url), kind)


async def test_scheme_failure_message():
    result = failed(await fetch("file:///etc/passwd"), "scheme")
    assert result.message == "only http and https URLs can be fetched, not file:"


# -- retries -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_honoured_then_success(loopback: LoopbackServer, status, sleeps):
    url = loopback.route("/busy")
    loopback.sequence("/busy", Reply(status=status, retry_after=1), Reply("finally"))
    told: list[str] = []
    response = succeeded(await fetch(url, sleep=sleeps, on_retry=told.append))
    assert response.body == b"finally"
    assert told == [f"HTTP {status}, retrying in 1 s"]
    assert loopback.hits("/busy") == 2
    # One wait before the second try: the second the server asked for, plus up to 10 % jitter.
    [waited] = sleeps
    assert 1 <= waited <= 1.1


async def test_a_long_retry_after_is_handed_back_at_once(loopback: LoopbackServer, sleeps):
    url = loopback.route("/later", status=503, retry_after=3600)
    told: list[str] = []
    result = failed(await fetch_or_hang(url, sleep=sleeps, on_retry=told.append), "http")
    assert (result.status, result.retry_after) == (503, 3600)
    assert result.message == "HTTP 503 (retry after 3600 s)"
    assert told == [] and loopback.hits("/later") == 1
    assert sleeps == []  # handed back without waiting any of it


async def test_a_retry_after_beyond_the_deadline_is_handed_back(loopback: LoopbackServer, sleeps):
    url = loopback.route("/busy")
    loopback.sequence("/busy", Reply(status=503, retry_after=5), Reply("too late"))
    result = failed(await fetch_or_hang(url, NetSettings(deadline=3), sleep=sleeps), "http")
    # Five seconds do not fit in a three-second fetch: not slept, remembered by the caller.
    assert (result.status, result.retry_after) == (503, 5)
    assert result.message == "HTTP 503 (retry after 5 s)"
    assert sleeps == [] and loopback.hits("/busy") == 1


async def test_the_waits_between_tries_count_towards_the_deadline(loopback: LoopbackServer, sleeps):
    url = loopback.route("/always-busy", status=503, retry_after=1)
    limits = NetSettings(deadline=2.5, retries=10)
    result = failed(await fetch_or_hang(url, limits, sleep=sleeps), "http")
    # Each wait is at least the second asked for, so at most two fit in 2.5 s; the rest of
    # the ten retries are given up and the Retry-After handed back.
    assert 1 <= len(sleeps) <= 2 and all(wait >= 1 for wait in sleeps)
    assert loopback.hits("/always-busy") == len(sleeps) + 1
    assert (result.status, result.retry_after) == (503, 1)


async def test_retry_after_as_an_http_date(loopback: LoopbackServer):
    when = email.utils.formatdate(time.time() + 7200, usegmt=True)
    url = loopback.route("/dated-later", status=429, retry_after=when)
    result = failed(await fetch(url), "http")
    assert result.retry_after == pytest.approx(7200, abs=5)


async def test_retries_run_out(loopback: LoopbackServer):
    url = loopback.route("/down", status=503)
    told: list[str] = []
    limits = NetSettings(retries=2, retry_backoff=0.05)
    result = failed(await fetch(url, limits, on_retry=told.append), "http")
    assert (result.status, result.message, result.retry_after) == (
        503,
        "HTTP 503 Service Unavailable",
        None,
    )
    assert loopback.hits("/down") == 3 and len(told) == 2


async def test_a_dropped_connection_is_retried(loopback: LoopbackServer):
    url = loopback.route("/flaky")
    loopback.sequence("/flaky", Reply(drop=True), Reply("recovered"))
    response = succeeded(await fetch(url, NetSettings(retry_backoff=0.05)))
    assert response.body == b"recovered" and loopback.hits("/flaky") == 2


async def test_500_is_an_http_failure_and_not_retried(loopback: LoopbackServer):
    url = loopback.route("/broken", "oops", status=500)
    result = failed(await fetch(url), "http")
    assert (result.status, result.message) == (500, "HTTP 500 Internal Server Error")
    assert loopback.hits("/broken") == 1 and not is_offline(result)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 1 ", 1.0),
        ("0", 0.0),
        ("Thu, 01 Jan 1970 00:02:00 GMT", 60.0),
        ("Thursday, 01-Jan-70 00:02:00 GMT", 60.0),  # RFC 850, obsolete but allowed
        ("Thu Jan  1 00:02:00 1970", 60.0),  # asctime: GMT without saying so
        ("Thu, 01 Jan 1970 00:00:30 GMT", 0.0),  # already past
        # Not delta-seconds (RFC 9110: digits only) nor a date: as if absent.
        ("-5", None),
        ("1.5", None),
        ("1e3", None),
        ("inf", None),
        ("nan", None),
        ("٣", None),  # an Arabic-Indic digit is a digit to str.isdigit, not to HTTP
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value, seconds):
    assert parse_retry_after(value, now=60.0) == seconds


# Retry-After values that once went into the cache as they were and broke every later run.
POISONED_RETRY_AFTER = {
    "fourteen-nines": ("99999999999999", RETRY_AFTER_CEILING),
    "5000-digits": ("9" * 5000, RETRY_AFTER_CEILING),
    "year-9999": ("Fri, 31 Dec 9999 23:59:59 GMT", RETRY_AFTER_CEILING),
    "year-10000": ("Sat, 01 Jan 10000 00:00:00 GMT", None),
    "inf": ("inf", None),
    "nan": ("nan", None),
    "minus-one": ("-1", None),
    "exponent": ("1e400", None),
    "garbage": ("next week", None),
}


@pytest.mark.parametrize("case", list(POISONED_RETRY_AFTER))
async def test_a_poisoned_retry_after_is_capped_or_absent(loopback: LoopbackServer, case, sleeps):
    value, expected = POISONED_RETRY_AFTER[case]
    url = loopback.route("/poisoned", status=503, retry_after=value)
    result = failed(await fetch_or_hang(url, sleep=sleeps), "http")
    assert result.retry_after == expected
    assert RETRY_AFTER_CEILING == 24 * 3600  # the ceiling the config's docs promise
    # Whatever came, a time computed from it can be written down and read back.
    later = datetime.fromtimestamp(time.time() + (result.retry_after or 0), UTC)
    assert later.year < 9999


# -- unreachable hosts ---------------------------------------------------------------------


async def test_connection_refused():
    result = failed(await fetch(f"http://127.0.0.1:{unused_port()}/news"), "refused")
    assert result.message == "connection refused"
    assert is_offline(result)


async def test_dns_failure():
    # .invalid never resolves (RFC 6761), and the conftest guard answers for the resolver,
    # so no query leaves the machine.
    result = failed(await fetch("http://newsterm-test.invalid/news"), "dns")
    assert result.message == "host not found: newsterm-test.invalid"
    assert is_offline(result)


@pytest.mark.parametrize(
    ("kind", "offline"),
    [("dns", True), ("offline", True), ("refused", True), ("timeout", False), ("http", False)],
)
def test_is_offline(kind, offline):
    assert is_offline(Failure("http://x/", FailureKind(kind), "m")) is offline


# -- concurrency, cancellation, reuse ------------------------------------------------------


@pytest.mark.parametrize(("per_host", "total", "expected"), [(2, 32, 2), (8, 3, 3), (8, 32, 6)])
async def test_concurrency_is_bounded(loopback: LoopbackServer, per_host, total, expected):
    url = loopback.route("/slow", "ok", delay=0.3)
    async with Fetcher(NetSettings(per_host=per_host, total=total)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(url) for _ in range(6)))
    assert all(isinstance(r, Response) for r in results)
    assert loopback.max_in_flight("/slow") == expected


async def test_cancellation_propagates(loopback: LoopbackServer):
    url = loopback.route("/forever", "late", delay=30)
    async with Fetcher() as fetcher:
        task = asyncio.create_task(fetcher.fetch(url))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_a_fetcher_can_be_closed_and_used_again(loopback: LoopbackServer):
    url = loopback.route("/again", "ok")
    fetcher = Fetcher()
    succeeded(await fetcher.fetch(url))
    await fetcher.aclose()
    succeeded(await fetcher.fetch(url))
    await fetcher.aclose()
