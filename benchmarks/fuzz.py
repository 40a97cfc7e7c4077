"""Fuzz run: sources.parse and extract_article on thousands of hostile inputs; none may fail."""

# Usage: python benchmarks/fuzz.py [--cases 3000] [--seed 1] [--timeout 10] [--show 5]
#
# Each case is made from the seed and its number alone, so a failure is replayed with
# `--only N`. Cases mix five kinds: random bytes; the test fixtures (site pages, feeds,
# listings, articles) mutated by byte flips, cuts, duplications and inserted hostile
# snippets; feeds and pages assembled from the campaign's hostile pieces (entity bombs,
# external entities, escapes, bidi, author bombs, charsets); and pathological shapes (deep
# nesting, huge attributes and fields, many items). A case fails when parse() raises or
# reports an internal error, when extract_article() raises, when any text either returns
# holds a control, escape or bidi character, or when a call takes longer than --timeout
# (the worker process is then killed and a new one started). Prints the cases run, the
# failures, the slowest case, and the cases slower than a second.

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
URL = "https://example.org/news"
SLOW = 1.0
"""A call slower than this is listed (not failed): the bound the property tests use."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SNIPPETS = [
    b"\x1b[2J", b"&#27;[2J", b"&#x1b;]0;pwned&#7;", b"\x1b]8;;https://evil/\x1b\\x\x1b]8;;\x1b\\",
    b"\xc2\x9b31m", b"&#155;", b"\xe2\x80\xae", b"&#x202e;", b"&#8294;", b"\x00", b"&#0;",
    b"[/", b"[link=https://evil]x[/link]", b"<!DOCTYPE x [<!ENTITY a 'bbbbbbbbbb'>]>", b"&a;",
    b'<!ENTITY x SYSTEM "file:///etc/passwd">', b"&x;", b"<![CDATA[", b"]]>", b"<!--", b"-->",
    b"<author>aa@" + b"a." * 2000 + b"</author>", b"<p>", b"</p>", b"<div>" * 300, b"</div>",
    b"<script>", b"</script>", b"<meta charset='windows-1251'>", b"<meta charset='utf-16'>",
    b"<?xml version='1.0' encoding='koi8-u'?>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xff", b"\xc3",
    b"<item><title>t</title><link>javascript:x</link></item>", b"<a href='../../etc/passwd'>",
    b"<time datetime='9999-99-99T99:99'>", b"19:58", "16 травня".encode(),
    "⚛️👩‍👩‍👧".encode(), b"&lt;p&gt;&amp;#27;", b"<base href='javascript:x'>",
]  # fmt: skip


@dataclass(slots=True)
class Outcome:
    """What one case did: its name, the slowest call's time, and a failure if any."""

    name: str
    seconds: float = 0.0
    slowest_call: str = ""
    failure: str | None = None


def fixture_bodies() -> list[tuple[str, bytes]]:
    """Every fixture page and feed, by name."""
    return [
        (path.relative_to(FIXTURES).as_posix(), path.read_bytes())
        for path in sorted(FIXTURES.rglob("*"))
        if path.suffix in (".html", ".xml", ".atom")
    ]


def _mutate(rng: random.Random, body: bytes) -> bytes:
    """1 to 8 random edits of `body`: flips, hostile inserts, cuts, repeats."""
    data = bytearray(body)
    for _ in range(rng.randint(1, 8)):
        if not data:
            data.extend(rng.choice(SNIPPETS))
            continue
        at = rng.randrange(len(data))
        action = rng.randrange(6)
        if action == 0:
            data[at] = rng.randrange(256)
        elif action == 1:
            data[at:at] = rng.choice(SNIPPETS)
        elif action == 2:
            del data[at : at + rng.randint(1, 2000)]
        elif action == 3:
            piece = bytes(data[at : at + rng.randint(1, 400)])
            data[at:at] = piece * rng.randint(2, 50)
        elif action == 4:
            del data[at:]  # a cut: half a page, half a feed
        else:
            data[at:at] = rng.choice(SNIPPETS) * rng.randint(10, 2000)
    return bytes(data)


def _hostile_feed(rng: random.Random) -> bytes:
    """An RSS or Atom feed of hostile fields, sometimes never closed."""
    prolog = rng.choice([b"", b'<?xml version="1.0"?>', b'<?xml version="1.0"?>\n']) + rng.choice(
        [b"", b'<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>', SNIPPETS[15]]
    )
    atom = rng.random() < 0.4
    parts = [b'<feed xmlns="http://www.w3.org/2005/Atom">' if atom else b"<rss><channel>"]
    for n in range(rng.randint(0, 30)):
        fields = b"".join(
            b"<%s>%s</%s>" % (name, b"".join(rng.choices(SNIPPETS, k=rng.randint(0, 4))), name)
            for name in rng.sample([b"title", b"description", b"author", b"pubDate"], 3)
        )
        link = rng.choice([b"https://example.org/%d" % n, b"/r/%d" % n, b"javascript:x", b""])
        entry = b"<entry>%s<link href='%s'/></entry>" if atom else b"<item>%s<link>%s</link></item>"
        parts.append(entry % (fields, link))
    if rng.random() < 0.7:
        parts.append(b"</feed>" if atom else b"</channel></rss>")
    return prolog + b"".join(parts)


def _hostile_page(rng: random.Random) -> bytes:
    """An article page whose title and body are hostile snippets."""
    pieces = [b"<html><head><title>", rng.choice(SNIPPETS), b"</title></head><body><article>"]
    for _ in range(rng.randint(1, 40)):
        pieces.append(rng.choice(SNIPPETS) if rng.random() < 0.4 else b"<p>Words of a story. ")
    return b"".join(pieces)


def _pathological(rng: random.Random) -> bytes:
    """One of the shapes that cost naive parsers seconds or memory."""
    depth = rng.choice([300, 5_000, 100_000])
    tag = rng.choice([b"div", b"span", b"table", b"li", b"b"])
    return rng.choice(
        [
            b"<body>" + (b"<" + tag + b">") * depth + b"deep words " * 50,
            b"<body><p>" + b" " * rng.randint(100_000, 1_000_000) + b"x</p>",
            b"<body><div class='" + b"a" * rng.randint(100_000, 3_000_000) + b"'>t</div>",
            b"<rss><channel>"
            + b"<item><title>t</title><link>https://e.org/a</link></item>" * rng.randint(1, 10_000)
            + b"</channel></rss>",
            b"<body>" + b"&#27;<p>x</p>" * rng.randint(100, 20_000),
        ]
    )


def make_case(seed: int, number: int, fixtures: list[tuple[str, bytes]]) -> tuple[str, bytes, str]:
    """Case `number` of the run: (a name to replay it by, the body, a Content-Type)."""
    rng = random.Random(f"{seed}:{number}")
    kind = rng.choices(["bytes", "fixture", "feed", "page", "shape"], [1, 5, 2, 2, 0.3])[0]
    if kind == "bytes":
        body = rng.randbytes(rng.randint(0, 4096))
    elif kind == "fixture":
        name, original = rng.choice(fixtures)
        kind = f"fixture:{name}"
        body = _mutate(rng, original)
    elif kind == "feed":
        body = _hostile_feed(rng)
    elif kind == "page":
        body = _hostile_page(rng)
    else:
        body = _pathological(rng)
    content_type = rng.choice(
        [
            None,
            "text/html",
            "text/html; charset=utf-8",
            "application/rss+xml",
            "text/xml; charset=cp1251",
        ]
    )
    return f"#{number} {kind}", body, content_type or ""


def run_case(seed: int, number: int, fixtures: list[tuple[str, bytes]]) -> Outcome:
    """Parse and extract one case; say what went wrong, if anything, and how long it took."""
    from newsterm.extract import extract_article
    from newsterm.sources import UNEXPECTED, parse

    name, body, content_type = make_case(seed, number, fixtures)
    outcome = Outcome(name)
    calls: list[tuple[str, Callable[[], object]]] = [
        ("parse", lambda: parse(body, URL, content_type or None)),
        ("extract", lambda: extract_article(body, URL, content_type=content_type or None)),
    ]
    for label, call in calls:
        started = time.perf_counter()
        try:
            result = call()
        except Exception as error:  # the contract: neither raises on bytes
            outcome.failure = f"{label} raised {type(error).__name__}: {error}"[:300]
            return outcome
        finally:
            took = time.perf_counter() - started
            if took > outcome.seconds:
                outcome.seconds, outcome.slowest_call = took, label
        texts = _texts(result)
        if label == "parse" and (result.reason or "").startswith(UNEXPECTED):
            outcome.failure = f"parse reported an internal error: {result.reason}"
        elif any(UNSAFE.search(text) for text in texts):
            outcome.failure = f"{label} returned a control character"
        if outcome.failure:
            return outcome
    return outcome


def _texts(result: object) -> list[str]:
    """Every text a Listing or an Article hands to the screen."""
    headlines = getattr(result, "headlines", None)
    if headlines is not None:
        return [f"{h.title} {h.summary or ''} {h.label or ''} {h.url}" for h in headlines]
    fields = ("title", "text", "markdown", "byline", "lead", "site_name")
    return [getattr(result, name) or "" for name in fields] + list(getattr(result, "tags", []))


def _worker(connection: Connection, seed: int) -> None:
    """Run the case numbers sent on `connection` until it sends None."""
    fixtures = fixture_bodies()
    while True:
        number = connection.recv()
        if number is None:
            return
        connection.send(run_case(seed, number, fixtures))


class Runner:
    """One worker process that runs cases; replaced when a case outlives the timeout."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.process: multiprocessing.Process | None = None
        self.connection: Connection | None = None

    def start(self) -> None:
        """Start a fresh worker process."""
        ours, theirs = multiprocessing.Pipe()
        self.process = multiprocessing.Process(
            target=_worker, args=(theirs, self.seed), daemon=True
        )
        self.process.start()
        self.connection = ours

    def run(self, number: int, timeout: float, fixtures: list[tuple[str, bytes]]) -> Outcome:
        """Run case `number`; a hung or dead worker is killed and the case failed."""
        if self.process is None or not self.process.is_alive():
            self.start()
        assert self.connection is not None and self.process is not None
        self.connection.send(number)
        if self.connection.poll(timeout):
            try:
                return self.connection.recv()
            except EOFError:
                reason = f"the worker died (exit {self.process.exitcode})"
        else:
            reason = f"took longer than {timeout:g} s"
        self.process.kill()
        self.process.join()
        self.process = None
        name = make_case(self.seed, number, fixtures)[0]
        return Outcome(name, timeout, "?", reason)

    def stop(self) -> None:
        """Ask the worker to finish; kill it if it does not."""
        if self.process is not None and self.process.is_alive():
            assert self.connection is not None
            self.connection.send(None)
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()


def main() -> int:
    """Run the cases and print the summary; exit 1 when any case failed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=3000, help="how many cases (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per case at most")
    parser.add_argument("--show", type=int, default=5, help="failures to print in full")
    parser.add_argument("--only", type=int, default=None, help="replay one case by its number")
    args = parser.parse_args()
    fixtures = fixture_bodies()
    numbers = [args.only] if args.only is not None else list(range(args.cases))
    runner = Runner(args.seed)
    failures: list[Outcome] = []
    slow: list[Outcome] = []
    slowest = Outcome("none")
    started = time.monotonic()
    try:
        for index, number in enumerate(numbers, start=1):
            outcome = runner.run(number, args.timeout, fixtures)
            if outcome.failure:
                failures.append(outcome)
            if outcome.seconds > SLOW:
                slow.append(outcome)
            if outcome.seconds > slowest.seconds:
                slowest = outcome
            if index % 500 == 0:
                print(f"… {index} cases, {len(failures)} failures", file=sys.stderr, flush=True)
    finally:
        runner.stop()
    took = time.monotonic() - started
    print(f"cases run: {len(numbers)} (seed {args.seed}) in {took:.0f} s")
    print(f"failures: {len(failures)}")
    for outcome in failures[: args.show]:
        print(f"  {outcome.name}: {outcome.failure}")
    print(f"slowest case: {slowest.name}, {slowest.slowest_call} {slowest.seconds:.2f} s")
    print(f"cases over {SLOW:g} s: {len(slow)}")
    for outcome in sorted(slow, key=lambda o: -o.seconds)[: args.show]:
        print(f"  {outcome.name}: {outcome.slowest_call} {outcome.seconds:.2f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
