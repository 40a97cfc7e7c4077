"""The one HTTP layer: timeouts, size caps, redirects, conditional GET, retries, typed failures."""

from __future__ import annotations

import asyncio
import errno
import http.cookiejar
import logging
import random
import socket
import ssl
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

import httpx

from newsterm import __version__
from newsterm.config import NetSettings
from newsterm.net.body import ACCEPT_ENCODING, BodyDecoder
from newsterm.net.headers import location_text, parse_retry_after, validator

USER_AGENT = f"newsterm/{__version__} (+https://github.com/newsterm/newsterm)"
MIB = 1024 * 1024

# Statuses that mean "come back later" rather than "this is broken": worth a retry.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_LOCATION = "newsterm_location"  # where _take_location keeps a redirect's Location

log = logging.getLogger(__name__)


class FailureKind(StrEnum):
    """Why a fetch failed; a str, so `failure.kind == "timeout"` works."""

    TIMEOUT = "timeout"
    OFFLINE = "offline"
    REFUSED = "refused"
    DNS = "dns"
    HTTP = "http"
    TOO_LARGE = "too-large"
    REDIRECTS = "redirects"
    SCHEME = "scheme"
    TRUNCATED = "truncated"
    INVALID_URL = "invalid-url"
    TLS = "tls"
    ERROR = "error"


# Kinds that say "the network (or the host) cannot be reached at all", as opposed to a
# server that answered badly; the library switches to offline mode when every source fails so.
_UNREACHABLE = frozenset({FailureKind.DNS, FailureKind.OFFLINE, FailureKind.REFUSED})


@dataclass(slots=True)
class Response:
    """A successful fetch (2xx, or 304 when `not_modified`)."""

    url: str
    """The final URL, after redirects."""
    status: int
    body: bytes
    """The decoded body; empty on 304."""
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    """True on 304: the caller's cached copy is still current."""
    elapsed: float
    """Seconds the whole fetch took, retries included."""
    date: str | None = None
    """The Date header as sent (visible ASCII only, else None): when the server answered."""


@dataclass(slots=True)
class Failure:
    """A fetch that did not succeed; returned, never raised."""

    url: str
    """The URL that was asked for (not the redirect hop that failed)."""
    kind: FailureKind
    message: str
    """One line a user can read, e.g. "connection refused"."""
    status: int | None = None
    """The HTTP status, when the server answered."""
    retry_after: float | None = None
    """Seconds the server asked us to wait before trying again, when it said so."""


FetchResult = Response | Failure
RetryCallback = Callable[[str], object]


def is_offline(failure: Failure) -> bool:
    """Whether a failure means the host could not be reached at all (DNS, no route, refused)."""
    return failure.kind in _UNREACHABLE


def _seconds(value: float) -> str:
    """A duration for a message: "15", "1.5", never "15.0"."""
    return f"{round(value, 1):g}"


def _size(n: int) -> str:
    """A byte count for a message, in the unit the limit was probably set in."""
    if n >= MIB and n % MIB == 0:
        return f"{n // MIB} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


def _one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace so a message fits one status-bar line."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _http_message(status: int) -> str:
    # The standard phrase, not the server's: it is shorter and cannot carry odd text.
    phrase = httpx.codes.get_reason_phrase(status)
    return f"HTTP {status} {phrase}" if phrase else f"HTTP {status}"


def _os_errors(exc: BaseException) -> Iterator[BaseException]:
    """Every exception behind `exc`: httpx wraps httpcore wraps anyio wraps the OSError."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)


_OFFLINE_ERRNOS = {
    errno.ENETUNREACH: "offline: network unreachable",
    errno.EHOSTUNREACH: "offline: no route to host",
    errno.ENETDOWN: "offline: network is down",
    errno.EADDRNOTAVAIL: "offline: no usable network address",
}


def _connect_failure(exc: BaseException, url: str, host: str) -> Failure:
    """Tell "no DNS", "no network", "refused" and "bad certificate" apart for a failed connect."""
    causes = list(_os_errors(exc))
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)):
                return Failure(
                    url, FailureKind.DNS, f"could not resolve {host} (DNS not answering)"
                )
            return Failure(url, FailureKind.DNS, f"host not found: {host}")
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or "certificate verify failed"
            return Failure(url, FailureKind.TLS, _one_line(f"TLS error: {detail}"))
        if isinstance(cause, ssl.SSLError):
            return Failure(url, FailureKind.TLS, _one_line(f"TLS error: {cause.reason or cause}"))
    # With several addresses (IPv6 and IPv4) one may be unreachable while the other refuses:
    # a refusal means the host is up, so it wins.
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError):
            return Failure(url, FailureKind.REFUSED, "connection refused")
    for cause in causes:
        if isinstance(cause, OSError) and cause.errno in _OFFLINE_ERRNOS:
            return Failure(url, FailureKind.OFFLINE, _OFFLINE_ERRNOS[cause.errno])
    for cause in causes:
        if isinstance(cause, TimeoutError):
            return Failure(url, FailureKind.TIMEOUT, "timed out connecting")
    return Failure(url, FailureKind.ERROR, _one_line(f"could not connect: {exc}"))


@dataclass(slots=True)
class _Attempt:
    """One try (one redirect chain): its result, and whether trying again may help."""

    result: Response | Failure
    retryable: bool = False


@dataclass(slots=True)
class _Budget:
    """What is left of one fetch's deadline. Time holding a connection slot and the waits
    between tries use it up; time queueing for a slot does not (other sources cause that)."""

    left: float


class Fetcher:
    """Fetches URLs under NetSettings with one shared httpx client; use `async with` or aclose()."""

    def __init__(
        self,
        limits: NetSettings | None = None,
        *,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        """Prepare a fetcher; the HTTP client is created on first use, inside the event loop.

        `sleep` waits between retries (tests pass one that records the wait instead).
        """
        self.limits = limits or NetSettings()
        self.user_agent = user_agent
        self._sleep = sleep
        self._client: httpx.AsyncClient | None = None
        self._total = asyncio.Semaphore(self.limits.total)
        self._hosts: dict[tuple[str, int | None], asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool; the fetcher may be used again afterwards."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    @property
    def ready(self) -> bool:
        """Whether the HTTP client has been built (see `prepare`)."""
        return self._client is not None

    def prepare(self) -> None:
        """Build the HTTP client now; it may be called from a thread (building the TLS
        context reads the CA bundle, which takes long enough to be felt on an event loop)."""
        self._get_client()

    def _get_client(self) -> httpx.AsyncClient:
        if self._client is None:
            limits = self.limits
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(
                    connect=limits.connect_timeout,
                    read=limits.read_timeout,
                    write=limits.read_timeout,
                    pool=limits.connect_timeout,
                ),
                limits=httpx.Limits(
                    max_connections=limits.total,
                    max_keepalive_connections=min(limits.total, 16),
                ),
                headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
                cookies=_NoCookies(),
                follow_redirects=False,  # followed by hand, to vet each Location
                trust_env=True,  # HTTP(S)_PROXY / NO_PROXY from the environment
                event_hooks={"response": [_take_location]},
            )
        return self._client

    def _host_slot(self, host: str, port: int | None) -> asyncio.Semaphore:
        key = (host, port)
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = asyncio.Semaphore(self.limits.per_host)
        return slot

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        on_retry: RetryCallback | None = None,
    ) -> Response | Failure:
        """GET `url` within the limits; returns a Response or a Failure, never raises.

        `etag` / `last_modified` make the request conditional (a 304 comes back as
        `Response(not_modified=True)`). `on_retry` is told, in one line, each time the fetch
        waits to try again, so a UI can show "HTTP 503, retrying in 30 s".
        """
        started = time.monotonic()
        try:
            invalid = _check_url(url)
            if invalid is not None:
                return Failure(url, *invalid)
            headers: dict[str, str] = {}
            # Checked again here: a cache written before validators were vetted may hold one
            # that cannot go into a header, and that must cost the condition, not the fetch.
            etag, last_modified = validator(etag), validator(last_modified)
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            if accept:
                headers["Accept"] = accept
            return await self._fetch_with_retries(url, headers, started, on_retry)
        except Exception as exc:  # a bug here must not take the caller down
            # Debug, not error: with no logging set up, Python prints errors to stderr, and the
            # user is told once already, in the Failure's one line.
            log.debug("unexpected error fetching %s", url, exc_info=True)
            return Failure(url, FailureKind.ERROR, _one_line(f"{type(exc).__name__}: {exc}"))

    async def _fetch_with_retries(
        self,
        url: str,
        headers: dict[str, str],
        started: float,
        on_retry: RetryCallback | None,
    ) -> Response | Failure:
        limits = self.limits
        budget = _Budget(limits.deadline)
        attempt = 0
        while True:
            outcome = await self._follow(url, headers, started, budget)
            if not outcome.retryable or not isinstance(outcome.result, Failure):
                return outcome.result
            failure = outcome.result
            asked = failure.retry_after
            # Doubling stops at 2**30: past that every wait is beyond any deadline anyway.
            wait = max(asked or 0.0, limits.retry_backoff * 2.0 ** min(attempt, 30))
            # Jitter, so sources throttled together do not all come back at the same instant.
            pause = wait + random.uniform(0, wait * 0.1)
            # A wait the deadline cannot hold is not slept: the Retry-After goes back to the
            # caller, who tries again at a later refresh; nothing a server asks holds it longer.
            if attempt >= limits.retries or pause >= budget.left:
                if asked is not None and failure.status is not None:
                    failure.message = f"HTTP {failure.status} (retry after {_seconds(asked)} s)"
                return failure
            attempt += 1
            budget.left -= pause
            reason = f"HTTP {failure.status}" if failure.status else failure.message
            if on_retry is not None:
                try:
                    on_retry(f"{reason}, retrying in {_seconds(wait)} s")
                except Exception:  # a UI callback's bug must not fail the fetch
                    log.debug("on_retry callback failed", exc_info=True)
            await self._sleep(pause)

    async def _follow(
        self, url: str, headers: dict[str, str], started: float, budget: _Budget
    ) -> _Attempt:
        """One try: the request and its redirect chain, within what is left of the deadline."""
        limits = self.limits
        client = self._get_client()
        current = url
        for _hop in range(limits.max_redirects + 1):
            parts = urlsplit(current)
            slot = self._host_slot(parts.hostname or "", parts.port)
            # Time spent queueing for a slot is not the server's fault: only time holding a
            # slot counts towards the deadline. The host slot first, so a request queued
            # behind its host does not hold one of the global slots meanwhile.
            async with slot, self._total:
                hop_started = time.monotonic()
                try:
                    async with asyncio.timeout(budget.left):
                        outcome = await self._request(client, url, current, headers, started)
                except TimeoutError:
                    return _Attempt(
                        Failure(
                            url,
                            FailureKind.TIMEOUT,
                            f"timed out after {_seconds(limits.deadline)} s",
                        )
                    )
                finally:
                    budget.left -= time.monotonic() - hop_started
            if isinstance(outcome, _Attempt):
                return outcome
            target = _redirect_target(url, current, outcome)
            if isinstance(target, Failure):
                return _Attempt(target)
            current = target
        return _Attempt(
            Failure(
                url,
                FailureKind.REDIRECTS,
                f"too many redirects (more than {limits.max_redirects})",
            )
        )

    async def _request(
        self,
        client: httpx.AsyncClient,
        url: str,
        current: str,
        headers: dict[str, str],
        started: float,
    ) -> _Attempt | str:
        """One HTTP exchange: an _Attempt when done, or the Location to follow next."""
        host = urlsplit(current).hostname or current
        try:
            async with client.stream("GET", current, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECT_STATUSES:
                    location = response.extensions.get(_LOCATION)
                    if not location:
                        return _Attempt(
                            Failure(
                                url, FailureKind.HTTP, f"HTTP {status} without a Location", status
                            )
                        )
                    return location.strip()
                if status == 304:
                    return _Attempt(self._response(response, current, b"", started))
                if not 200 <= status < 300:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    failure = Failure(
                        url, FailureKind.HTTP, _http_message(status), status, retry_after
                    )
                    return _Attempt(failure, retryable=status in RETRY_STATUSES)
                return await self._read_body(response, url, current, started)
        except httpx.TimeoutException as exc:
            timeout = (
                self.limits.connect_timeout
                if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
                else self.limits.read_timeout
            )
            return _Attempt(
                Failure(url, FailureKind.TIMEOUT, f"timed out after {_seconds(timeout)} s")
            )
        except httpx.ConnectError as exc:
            return _Attempt(_connect_failure(exc, url, host))
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            # Before any response: the server dropped the connection (a reset, a restart, a
            # stale keep-alive connection). Worth another try.
            message = (
                "connection reset by the server"
                if any(isinstance(e, ConnectionResetError) for e in _os_errors(exc))
                else "the server closed the connection without a response"
            )
            return _Attempt(Failure(url, FailureKind.ERROR, message), retryable=True)
        except httpx.UnsupportedProtocol:
            return _Attempt(
                Failure(url, FailureKind.SCHEME, "only http and https URLs can be fetched")
            )
        except httpx.InvalidURL as exc:
            return _Attempt(Failure(url, FailureKind.INVALID_URL, _one_line(f"invalid URL: {exc}")))
        except httpx.ProxyError as exc:
            return _Attempt(Failure(url, FailureKind.ERROR, _one_line(f"proxy error: {exc}")))
        except httpx.HTTPError as exc:
            return _Attempt(
                Failure(url, FailureKind.ERROR, _one_line(str(exc) or type(exc).__name__))
            )

    async def _read_body(
        self, response: httpx.Response, url: str, current: str, started: float
    ) -> _Attempt:
        """Stream the body, decoding as it comes, and stop as soon as it passes max_bytes."""
        max_bytes = self.limits.max_bytes
        too_large = Failure(
            url,
            FailureKind.TOO_LARGE,
            f"response larger than {_size(max_bytes)}",
            response.status_code,
        )
        try:
            decoder = BodyDecoder(response.headers.get("Content-Encoding"))
        except ValueError as exc:
            return _Attempt(
                Failure(url, FailureKind.ERROR, _one_line(str(exc)), response.status_code)
            )
        expected = _content_length(response)
        if decoder.coding is None and expected is not None and expected > max_bytes:
            return _Attempt(too_large)  # said up front: no need to read any of it
        chunks: list[bytes] = []
        decoded = 0
        received = 0
        try:
            async for raw in response.aiter_raw():
                received += len(raw)
                for piece in decoder.feed(raw, max_bytes - decoded):
                    decoded += len(piece)
                    if decoded > max_bytes:
                        return _Attempt(too_large)
                    chunks.append(piece)
            tail, complete = decoder.finish()
        except (httpx.RemoteProtocolError, httpx.ReadError):
            if expected is not None:
                message = f"body cut short (got {received} of {expected} bytes)"
            else:
                message = f"body cut short (connection closed after {received} bytes)"
            return _Attempt(Failure(url, FailureKind.TRUNCATED, message, response.status_code))
        except zlib.error:
            message = f"could not decode the {decoder.coding} body"
            return _Attempt(Failure(url, FailureKind.ERROR, message, response.status_code))
        decoded += len(tail)
        if decoded > max_bytes:
            return _Attempt(too_large)
        if not complete:
            message = f"body cut short ({decoder.coding} stream ended early)"
            return _Attempt(Failure(url, FailureKind.TRUNCATED, message, response.status_code))
        chunks.append(tail)
        return _Attempt(self._response(response, current, b"".join(chunks), started))

    @staticmethod
    def _response(response: httpx.Response, current: str, body: bytes, started: float) -> Response:
        headers = response.headers
        return Response(
            url=current,
            status=response.status_code,
            body=body,
            content_type=headers.get("Content-Type"),
            etag=validator(headers.get("ETag")),
            last_modified=validator(headers.get("Last-Modified")),
            not_modified=response.status_code == 304,
            elapsed=time.monotonic() - started,
            date=validator(headers.get("Date")),
        )


class _NoCookies(http.cookiejar.CookieJar):
    """A cookie jar that keeps nothing: feeds and articles need no cookies across requests,
    and a server setting thousands per answer must not grow memory or slow later requests."""

    def extract_cookies(self, response: object, request: object) -> None:
        """Ignore every Set-Cookie (not even parsed)."""

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        """Keep nothing handed in another way either."""


async def _take_location(response: httpx.Response) -> None:
    """Move a redirect's Location out of httpx's sight, as clean URL text.

    Even with follow_redirects=False, httpx parses the Location of a redirect to prepare
    `next_request`, and a `javascript:` or malformed one raises before we see the response.
    We vet and resolve Location ourselves (`Fetcher._follow`), so we keep it aside — from the
    raw bytes, since httpx decodes every header as Latin-1 once one is not UTF-8, which turns
    a stray byte 0x9b into a C1 control.
    """
    if response.status_code in _REDIRECT_STATUSES and "Location" in response.headers:
        raw = next(value for name, value in response.headers.raw if name.lower() == b"location")
        response.extensions[_LOCATION] = location_text(raw)
        del response.headers["Location"]


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _redirect_target(url: str, current: str, location: str) -> str | Failure:
    """Where a redirect from `current` leads; a Failure for anything but http(s), a URL that
    does not parse, or a host left with percent-encoded controls or invisible characters (a
    host must be shown as it is fetched, so one that cannot be shown is not fetched)."""
    try:
        target = urljoin(current, _slashes_as_browsers_read_them(location))
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return Failure(url, FailureKind.INVALID_URL, "redirect to an invalid URL refused")
    if parts.scheme.lower() not in ("http", "https"):
        return Failure(url, FailureKind.SCHEME, "redirect to a non-http URL refused")
    if "%" in parts.netloc.rpartition("@")[2]:
        message = "redirect to a URL with an invalid host refused"
        return Failure(url, FailureKind.INVALID_URL, message)
    return target


def _slashes_as_browsers_read_them(location: str) -> str:
    """A backslash before the query is a slash to a browser (WHATWG URL): read it so here
    too, or `http://evil.example\\@bank.example/` would be fetched from one host and
    shown (and opened) as another."""
    end = min((i for i in (location.find("?"), location.find("#")) if i >= 0), default=None)
    head, tail = (location, "") if end is None else (location[:end], location[end:])
    scheme = urlsplit(head).scheme.lower() if ":" in head else ""
    if scheme in ("", "http", "https"):
        head = head.replace("\\", "/")
    return head + tail


def _check_url(url: str) -> tuple[FailureKind, str] | None:
    """Refuse anything but an absolute http(s) URL before any I/O happens."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return FailureKind.INVALID_URL, _one_line(f"invalid URL: {exc}")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        return FailureKind.SCHEME, f"only http and https URLs can be fetched, not {shown}"
    if not parts.hostname:
        return FailureKind.INVALID_URL, "invalid URL: no host"
    return None
