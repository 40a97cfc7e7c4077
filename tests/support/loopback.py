"""A real HTTP server on 127.0.0.1 for tests: the fixture site plus programmable misbehaviour."""

from __future__ import annotations

import argparse
import email.utils
import gzip as gzip_module
import hashlib
import re
import signal
import socket
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SITE_ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "site"
SITE_ORIGIN = "https://global.espreso.tv"
MIB = 1024 * 1024

# Fixed paths of the fixture site; article slugs are found in the list pages.
SITE_PAGES = {
    "/": "news.html",
    "/news": "news.html",
    "/news?page=2": "news-page2.html",
    "/rss": "feed.xml",
    "/atom": "feed.atom",
}
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(slots=True)
class Reply:
    """How the server answers one request; every field is a knob a test can turn."""

    body: bytes | str | Path = b""
    """The body; a str is encoded with `charset`, a Path is read (and host-rewritten)."""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    """Extra response headers, sent as given."""
    content_type: str | None = None
    """Sent verbatim; default "text/html; charset=<charset>"."""
    charset: str = "utf-8"
    delay: float = 0.0
    """Seconds to wait before the status line (latency)."""
    chunk_size: int = 0
    """Send the body in pieces of this many bytes (0: all at once)."""
    chunk_delay: float = 0.0
    """Seconds between pieces: chunk_size=1, chunk_delay=1 is a 1 byte/s trickle."""
    gzip: bool = False
    """Compress the body and send Content-Encoding: gzip."""
    etag: str | None = None
    """Sent as ETag; a matching If-None-Match gets a 304."""
    last_modified: str | datetime | None = None
    """Sent as Last-Modified; an If-Modified-Since at or after it gets a 304."""
    truncate_to: int | None = None
    """Announce the full Content-Length, send only this many bytes, then close."""
    retry_after: int | str | None = None
    """Sent as Retry-After (seconds or an HTTP-date)."""
    redirect_to: str | None = None
    """Sent as Location, with status 302 unless `status` is already a 3xx."""
    stream: Callable[[], Iterable[bytes]] | None = None
    """A body made on the fly (sent chunked, never held in memory), e.g. gzip_zeros()."""
    drop: bool = False
    """Close the connection without any response (a reset, as a crashed server does)."""
    raw_headers: list[tuple[str, bytes]] = field(default_factory=list)
    """Sent after the others, byte for byte (non-ASCII, a name many times: 2,000 Set-Cookie)."""


@dataclass(slots=True)
class SeenRequest:
    """A request the server received."""

    method: str
    target: str
    """Path and query as sent, e.g. "/news?page=2"."""
    headers: dict[str, str]
    """Request headers with lower-case names."""


def gzip_zeros(size: int, block: int = MIB) -> Callable[[], Iterator[bytes]]:
    """A gzip stream of `size` zero bytes, compressed as it is sent (a gzip bomb)."""

    def generate() -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
        zeros = bytes(block)
        left = size
        while left > 0:
            piece = compressor.compress(zeros if left >= block else zeros[:left])
            left -= block
            if piece:
                yield piece
        yield compressor.flush()

    return generate


def unused_port() -> int:
    """A 127.0.0.1 port with nothing listening on it (for "connection refused")."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _HeadlineLinks(HTMLParser):
    """Collects the href of each `div.title > a` (the headline links of a list page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self._div_classes: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "div":
            self._div_classes.append("title" in (values.get("class") or "").split())
        elif tag == "a" and self._div_classes and self._div_classes[-1] and values.get("href"):
            self.hrefs.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._div_classes:
            self._div_classes.pop()


def site_article_paths(root: Path = SITE_ROOT) -> set[str]:
    """Paths of the headline links in the fixture list pages, all served as article.html."""
    paths: set[str] = set()
    for name in ("news.html", "news-page2.html"):
        page = root / name
        if not page.exists():
            continue
        parser = _HeadlineLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.netloc in ("", urlsplit(SITE_ORIGIN).netloc) and parts.path.count("/") == 1:
                paths.add(parts.path)
    article = root / "article.html"
    if article.exists():
        canonical = re.search(
            r'<link rel="canonical" href="([^"]+)"', article.read_text(encoding="utf-8")
        )
        if canonical:
            paths.add(urlsplit(canonical.group(1)).path)
    paths.discard("/")
    return paths


class LoopbackServer:
    """An HTTP/1.1 server on 127.0.0.1 in a background thread.

    It serves the fixture site (SITE_PAGES, and article.html at every headline's path) and
    whatever a test programs; a route for a path without a query answers all its queries.
    With `rewrite_host`, "https://global.espreso.tv" in every body becomes `url`.

        with LoopbackServer(rewrite_host=True) as server:
            url = server.route("/busy", status=503, retry_after=1)
            server.sequence("/flaky", Reply(drop=True), Reply("ok"))
            ...
            assert server.last_headers("/busy")["user-agent"].startswith("newsterm/")
    """

    def __init__(
        self,
        root: Path | str | None = SITE_ROOT,
        *,
        rewrite_host: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Serve the fixture site from `root` (None: routes only) once started."""
        self.root = Path(root) if root is not None else None
        self.rewrite_host = rewrite_host
        self._address = (host, port)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._routes: dict[str, list[Reply]] = {}
        self._seen: list[SeenRequest] = []
        self._in_flight: dict[str, int] = {}
        self._max_in_flight: dict[str, int] = {}
        self._connections: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        self._articles: set[str] | None = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        """Bind and serve in a daemon thread; `url` is set when this returns."""
        httpd = _HTTPServer(self._address, self)
        self._httpd = httpd
        host, port = httpd.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections (trickles, bombs, keep-alives) and join threads."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
            threads = list(self._handler_threads)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in threads:
            thread.join(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- programming it --------------------------------------------------------------------

    def route(self, path: str, body: bytes | str | Path = b"", **knobs: Any) -> str:
        """Answer `path` (or exactly `path?query`) with `Reply(body, **knobs)`; returns its URL."""
        return self.sequence(path, Reply(body, **knobs))

    def sequence(self, path: str, *replies: Reply) -> str:
        """Answer `path` with each reply in turn, repeating the last one; returns its URL."""
        if not replies:
            raise ValueError("sequence needs at least one Reply")
        with self._lock:
            self._routes[path] = list(replies)
        return self.url + path

    def redirect_chain(self, path: str, hops: int, body: bytes | str = b"arrived") -> str:
        """`path` → `path`/1 → … → `path`/<hops>, which answers 200 with `body`; the first URL."""
        for hop in range(hops):
            source = path if hop == 0 else f"{path}/{hop}"
            self.route(source, redirect_to=f"{path}/{hop + 1}")
        self.route(f"{path}/{hops}" if hops else path, body)
        return self.url + path

    def trickle(self, path: str, size: int = 100, interval: float = 1.0) -> str:
        """A body of `size` bytes sent one byte every `interval` seconds; its URL."""
        return self.route(path, b"x" * size, chunk_size=1, chunk_delay=interval)

    def gzip_bomb(self, path: str, size: int = 200 * MIB) -> str:
        """`size` zero bytes gzip-compressed on the fly (about 1/1000 of that on the wire)."""
        return self.route(path, stream=gzip_zeros(size), headers={"Content-Encoding": "gzip"})

    # -- what it saw -----------------------------------------------------------------------

    def seen(self, target: str | None = None) -> list[SeenRequest]:
        """Requests received, all or those for exactly `target` (path and query)."""
        with self._lock:
            return [r for r in self._seen if target is None or r.target == target]

    def hits(self, target: str) -> int:
        """How many requests came for exactly `target`."""
        return len(self.seen(target))

    def last_headers(self, target: str) -> dict[str, str]:
        """Headers (lower-case names) of the latest request for `target`."""
        requests = self.seen(target)
        if not requests:
            raise AssertionError(f"no request for {target}")
        return requests[-1].headers

    def max_in_flight(self, target: str) -> int:
        """The most requests for `target` that were being answered at one time."""
        with self._lock:
            return self._max_in_flight.get(target, 0)

    # -- serving ---------------------------------------------------------------------------

    def _register(self, handler: _Handler, up: bool) -> None:
        with self._lock:
            if up:
                self._connections.add(handler.connection)
                self._handler_threads.add(threading.current_thread())
            else:
                self._connections.discard(handler.connection)
                self._handler_threads.discard(threading.current_thread())

    def _next_reply(self, target: str) -> Reply | None:
        path = urlsplit(target).path
        with self._lock:
            replies = self._routes.get(target) or self._routes.get(path)
            if replies:
                return replies.pop(0) if len(replies) > 1 else replies[0]
        return self._site_reply(target, path)

    def _site_reply(self, target: str, path: str) -> Reply | None:
        if self.root is None:
            return None
        name = SITE_PAGES.get(target)
        if name is None:
            if self._articles is None:
                self._articles = site_article_paths(self.root)
            if path in self._articles:
                name = "article.html"
        if name is None or not (self.root / name).is_file():
            return None
        file = self.root / name
        body = self._rewrite(file.read_bytes())
        return Reply(
            body,
            content_type=_CONTENT_TYPES.get(file.suffix, "application/octet-stream"),
            etag='"' + hashlib.sha1(body).hexdigest()[:16] + '"',
            last_modified=email.utils.formatdate(file.stat().st_mtime, usegmt=True),
        )

    def _rewrite(self, body: bytes) -> bytes:
        if not self.rewrite_host:
            return body
        return body.replace(SITE_ORIGIN.encode(), self.url.encode())

    def _handle(self, handler: _Handler) -> None:
        target = handler.path
        record = SeenRequest(
            handler.command, target, {k.lower(): v for k, v in handler.headers.items()}
        )
        with self._lock:
            self._seen.append(record)
            count = self._in_flight.get(target, 0) + 1
            self._in_flight[target] = count
            self._max_in_flight[target] = max(self._max_in_flight.get(target, 0), count)
        try:
            reply = self._next_reply(target)
            if reply is None:
                reply = Reply("not found", status=404, content_type="text/plain; charset=utf-8")
            self._send(handler, reply, record)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            handler.close_connection = True  # the client went away: that is its right
        finally:
            with self._lock:
                self._in_flight[target] -= 1

    def _send(self, handler: _Handler, reply: Reply, request: SeenRequest) -> None:
        if reply.delay and self._stopping.wait(reply.delay):
            handler.close_connection = True
            return
        if reply.drop:
            handler.close_connection = True
            return
        status = reply.status
        headers = dict(reply.headers)
        if reply.redirect_to is not None:
            headers["Location"] = reply.redirect_to
            if not 300 <= status < 400:
                status = 302
        if reply.retry_after is not None:
            headers["Retry-After"] = str(reply.retry_after)
        if reply.etag is not None:
            headers["ETag"] = reply.etag
        if reply.last_modified is not None:
            headers["Last-Modified"] = _http_date(reply.last_modified)
        if _not_modified(reply, request.headers):
            status = 304
        body = b"" if status == 304 else self._body(reply)
        if reply.gzip and status != 304:
            body = gzip_module.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        headers.setdefault(
            "Content-Type", reply.content_type or f"text/html; charset={reply.charset}"
        )

        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        for name, raw in reply.raw_headers:
            # send_header encodes Latin-1, which maps each of 256 characters to its own byte.
            handler.send_header(name, raw.decode("latin-1"))
        if reply.stream is not None and status != 304:
            self._send_stream(handler, reply.stream())
            return
        handler.send_header("Content-Length", str(len(body)))
        if reply.truncate_to is not None:
            body = body[: reply.truncate_to]
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        if request.method == "HEAD" or status == 304:
            return
        size = reply.chunk_size or len(body) or 1
        for start in range(0, len(body), size):
            if start and reply.chunk_delay and self._stopping.wait(reply.chunk_delay):
                handler.close_connection = True
                return
            handler.wfile.write(body[start : start + size])
            handler.wfile.flush()

    def _send_stream(self, handler: _Handler, pieces: Iterable[bytes]) -> None:
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for piece in pieces:
            if self._stopping.is_set():
                handler.close_connection = True
                return
            if piece:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()

    def _body(self, reply: Reply) -> bytes:
        if isinstance(reply.body, Path):
            return self._rewrite(reply.body.read_bytes())
        if isinstance(reply.body, str):
            return self._rewrite(reply.body.encode(reply.charset))
        return self._rewrite(reply.body)


def _http_date(value: str | datetime) -> str:
    if isinstance(value, datetime):
        return email.utils.format_datetime(value, usegmt=True)
    return value


def _not_modified(reply: Reply, request_headers: dict[str, str]) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins; otherwise If-Modified-Since."""
    if reply.status != 200:
        return False
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        return reply.etag is not None and ("*" in tags or reply.etag in tags)
    since = request_headers.get("if-modified-since")
    if since and reply.last_modified is not None:
        try:
            changed = email.utils.parsedate_to_datetime(_http_date(reply.last_modified))
            asked = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return changed <= asked
    return False


class _HTTPServer(ThreadingHTTPServer):
    """The stdlib threading server, knowing the LoopbackServer it works for."""

    daemon_threads = True
    block_on_close = False  # LoopbackServer.stop() joins handler threads itself, with a timeout

    def __init__(self, address: tuple[str, int], owner: LoopbackServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the owning LoopbackServer."""

    server: _HTTPServer

    protocol_version = "HTTP/1.1"  # keep-alive, Content-Length and chunked bodies
    timeout = 30  # an idle keep-alive connection does not hold a thread for ever

    def setup(self) -> None:
        super().setup()
        self.server.owner._register(self, up=True)

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:
            pass  # the client reset the connection, or stop() cut it: nothing to report

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.owner._register(self, up=False)

    def do_GET(self) -> None:
        self.server.owner._handle(self)

    do_HEAD = do_GET

    def log_message(self, fmt: str, *args: object) -> None:
        pass  # keep test output clean (log_error goes through here too)


def main(argv: list[str] | None = None) -> int:
    """Serve the fixture site until SIGINT/SIGTERM, printing the base URL as the first line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--root", type=Path, default=SITE_ROOT)
    parser.add_argument(
        "--no-rewrite-host",
        dest="rewrite_host",
        action="store_false",
        help=f"serve {SITE_ORIGIN} links as they are instead of pointing them at this server",
    )
    args = parser.parse_args(argv)
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    server = LoopbackServer(
        args.root, rewrite_host=args.rewrite_host, host=args.host, port=args.port
    )
    server.start()
    print(server.url, flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
