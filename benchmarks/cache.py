"""Cache benchmark: build a large cache through the Store API and time what the app asks of it.

Usage: python benchmarks/cache.py [--articles 100000] [--db PATH] [--reuse] [--page-kb 80]

Builds a cache of N generated articles (about 600 words each, a headline for each, a raw
page of about --page-kb KB made of the test site's article page around the body), one
transaction per batch of 1,000 through `Store.put_articles` and `Store.store_listing`, then
reports, with the targets of issues 2 and 4:

- search latency, median and p95 over varied queries (common, mid-frequency and rare
  words, names, two and three words, half-typed words, words that are not there) run
  as the app runs them (`Store.search`, the last word a prefix) — target ≤ 50 ms;
- loading the newest 200 ticker rows (`Store.ticker_rows`) — target ≤ 20 ms;
- database size per article, with a breakdown by table (SQLite's dbstat);
- saving one article (`put_article` with its page, then `set_saved`, synced);
- opening one cached article (`get_article`);
- storing 10,000 new headlines of one refresh (`store_listing`) — target ≤ 0.5 s.

With --headlines N it measures the ticker's side instead (issue 13): N headlines filled
through `store_listing` (50 feeds, one transaction per feed, as a refresh stores them),
bytes per headline with a breakdown, every ticker jump by key (first call and median/max
of 20) at the top, the middle and the bottom, and streaming every row as JSON Lines
(`iter_headlines`) in a fresh process: its time and peak RSS.

The text is generated: words drawn with Zipf frequencies from the seed article's words
(ordered by their frequency there) and 40,000 made-up words, so a few words occur in
most articles and most words in few, as in real news. Everything is seeded: two runs
build the same cache. `--reuse` keeps a cache built earlier at --db (same --articles).
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsterm.models import Article, Headline, Source  # noqa: E402
from newsterm.store import Store, open_store  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "site"
BATCH = 1000
LISTING = 10_000
LABELS = ["Exclusive", "OPINION", "Updated", "Review"]
SOURCE_URL = "https://global.espreso.tv/news"


class Corpus:
    """Seeded generator of article text, titles, pages and queries."""

    def __init__(self, seed: int = 20250516, page_kb: int = 80) -> None:
        self.rng = random.Random(seed)
        seed_text = (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")
        counts = Counter(w.lower() for w in re.findall(r"[^\W\d_]{2,}", seed_text))
        real = [word for word, _ in counts.most_common()]
        syllables = "ka ro mi vel dor an ste lu per gra zo ti nek bor sal un ev ich ova hen".split()
        made_up: set[str] = set()
        while len(made_up) < 40_000:
            made_up.add("".join(self.rng.choice(syllables) for _ in range(self.rng.randint(2, 4))))
        # Shuffled, so how common a made-up word is has nothing to do with its spelling
        # (sorted, the most common ones would all share a prefix and skew prefix search).
        invented = sorted(made_up - set(real))
        self.rng.shuffle(invented)
        self.words = real + invented
        total = 0.0
        self.cumulative = []
        for rank in range(len(self.words)):
            total += 1 / (rank + 1)
            self.cumulative.append(total)
        self.paragraphs = [self._paragraph() for _ in range(20_000)]
        page = (FIXTURES / "article.html").read_text(encoding="utf-8")
        chrome = (page * (1 + page_kb * 1024 // max(len(page), 1)))[: page_kb * 1024]
        half = len(chrome) // 2
        self.page_head, self.page_tail = chrome[:half], chrome[half:]

    def _paragraph(self) -> str:
        words = self.rng.choices(
            self.words, cum_weights=self.cumulative, k=self.rng.randint(40, 110)
        )
        return " ".join(words).capitalize() + "."

    def title(self) -> str:
        words = self.rng.choices(self.words[:5000], k=self.rng.randint(6, 12))
        return " ".join(words).capitalize()

    def article(self, number: int, published: datetime) -> tuple[Article, bytes, Headline]:
        """One article (about 600 words), its raw page and its headline."""
        paragraphs = self.rng.sample(self.paragraphs, 8)
        title = self.title()
        url = f"https://global.espreso.tv/news/{number}-{title.split()[0].lower()}"
        text = "\n\n".join(paragraphs)
        markdown = "\n\n".join(paragraphs[:4] + ["## " + self.title()] + paragraphs[4:])
        body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
        page = f"{self.page_head}<h1>{title}</h1><article>{body}</article>{self.page_tail}"
        article = Article(
            url=url,
            title=title,
            text=text,
            markdown=markdown,
            byline="Espreso",
            published=published,
            method="readability",
        )
        label = self.rng.choice(LABELS) if self.rng.random() < 0.15 else None
        return article, page.encode(), Headline(title, url, published, label)

    def queries(self) -> list[str]:
        """Varied queries, as typed: frequency bands, names, phrases, half-typed, absent."""
        rng, words = random.Random(7), self.words
        common = rng.sample(words[5:60], 8)
        mid = rng.sample(words[300:3000], 10)
        rare = rng.sample(words[15_000:], 8)
        names = ["kallas", "georgescu", "romania", "tiktok", "istanbul talks", "Zelenskyy"]
        two = [f"{a} {b}" for a, b in zip(rng.sample(words[60:800], 8), mid[:8], strict=True)]
        three = [" ".join(rng.sample(words[20:2000], 3)) for _ in range(6)]
        typing = [w[: rng.randint(3, 5)] for w in rng.sample(words[100:4000], 8)]
        absent = ["zyzzyva", "qwertyuiop", "xylophonic bananas", "nothinghere"]
        return common + mid + rare + names + two + three + typing + absent


def build(store: Store, corpus: Corpus, count: int) -> float:
    """Fill the store: headlines in listings of 10,000, articles in batches of 1,000."""
    source = store.add_source(Source(SOURCE_URL, "Espreso Global"))
    start = datetime.now(UTC) - timedelta(minutes=10 * count)

    def batch(first: int) -> tuple[list[tuple[Article, bytes]], list[Headline]]:
        items, headlines = [], []
        for number in range(first, min(first + BATCH, count)):
            article, page, headline = corpus.article(number, start + timedelta(minutes=10 * number))
            items.append((article, page))
            headlines.append(headline)
        return items, headlines

    began = time.perf_counter()
    pending: list[Headline] = []
    # Generating the next batch overlaps storing this one (zlib and SQLite release the GIL).
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(batch, 0)
        for first in range(0, count, BATCH):
            items, headlines = future.result()
            if first + BATCH < count:
                future = pool.submit(batch, first + BATCH)
            store.put_articles(items)
            pending += headlines
            if len(pending) >= LISTING or first + BATCH >= count:
                store.store_listing(source, pending)
                pending = []
            done = min(first + BATCH, count)
            if done % 10_000 == 0 or done == count:
                rate = done / (time.perf_counter() - began)
                print(f"  built {done:,} articles ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    return time.perf_counter() - began


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall times of `runs` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def breakdown(path: Path) -> Iterator[tuple[str, int]]:
    """Bytes per table and its indexes, biggest first (read-only, via SQLite's dbstat)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        owners = dict(db.execute("SELECT name, tbl_name FROM sqlite_master").fetchall())
    finally:
        db.close()
    groups: Counter[str] = Counter()
    for name, size in rows:
        owner = owners.get(name, name)
        for prefix in ("article_search", "headline_search"):
            if name.startswith(prefix):
                owner = f"{prefix} (FTS5 index)"
        groups[owner] += size
    yield from groups.most_common()


FEEDS = 50


def fill_headlines(store: Store, corpus: Corpus, count: int) -> float:
    """Store `count` headlines as 50 feeds of count/50, one store_listing per feed."""
    per_feed = count // FEEDS
    start = datetime(2025, 5, 16, 20, tzinfo=UTC)
    listings = []
    for feed in range(FEEDS):
        source = store.add_source(Source(f"https://news{feed}.example/rss", f"Feed {feed}"))
        headlines = []
        for n in range(per_feed):
            title = corpus.title()
            slug = "-".join(title.lower().split()[:6])
            published = start - timedelta(seconds=(n * FEEDS + feed) * 97)
            url = f"https://news{feed}.example/{published:%Y/%m/%d}/{slug}"
            headlines.append(Headline(title, url, published, corpus.rng.choice(LABELS + [None])))
        listings.append((source, headlines))
    began = time.perf_counter()
    for source, headlines in listings:
        store.store_listing(source, headlines)
    return time.perf_counter() - began


STREAM = r"""
import json, resource, sys, time
from newsterm.store import open_store
store = open_store(sys.argv[1])
began = time.perf_counter()
count = 0
with open("/dev/null", "w") as out:
    for headline, source in store.iter_headlines():
        published = headline.published.isoformat() if headline.published else None
        out.write(json.dumps({"title": headline.title, "url": headline.url,
            "published": published, "label": headline.label, "source": source},
            ensure_ascii=False) + "\n")
        count += 1
print(count, time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def headlines_benchmark(path: Path, corpus: Corpus, count: int) -> None:
    with open_store(path) as store:
        if store.headline_count() == 0:
            took = fill_headlines(store, corpus, count)
            print(
                f"fill: {count:,} headlines ({FEEDS} feeds x {count // FEEDS:,}) through"
                f" store_listing: {took:.2f} s ({count / took:,.0f} per s; target 100k <= 5 s)"
            )
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = store.headline_count()
        oldest, newest = store.ticker_oldest(), store.ticker_newest()
        middle = store.ticker_page(after=newest.key, limit=total // 2)[-1] if total > 2 else newest
        for where, row in (("top", newest), ("middle", middle), ("bottom", oldest)):
            day = datetime.fromtimestamp(row.sort_key, UTC).replace(hour=0, minute=0, second=0)
            jumps = {
                "page after (200)": lambda row=row: store.ticker_page(after=row.key),
                "page before (200)": lambda row=row: store.ticker_page(before=row.key),
                "G oldest": lambda: store.ticker_oldest(),
                "g newest": lambda: store.ticker_newest(),
                "] next day": lambda day=day: store.ticker_first_before(None, day.timestamp()),
                "[ previous day": lambda day=day: store.ticker_last_from(
                    None, day.timestamp() + 86400
                ),
                "n next unread": lambda row=row: store.ticker_next_unread(None, row.key),
                "row by id": lambda row=row: store.ticker_row(row.id),
                "position": lambda row=row: store.ticker_position(None, row.key),
            }
            for name, jump in jumps.items():
                began = time.perf_counter()
                jump()
                first = time.perf_counter() - began
                runs = timed(jump, 20)
                print(
                    f"  {where:6} {name:18} first {first * 1000:6.2f} ms,"
                    f" median {statistics.median(runs):6.2f} ms, max {max(runs):6.2f} ms"
                )
    size = path.stat().st_size
    print(f"size: {size / 1e6:,.1f} MB, {size / total:.0f} bytes per headline (target <= 250)")
    for name, table_bytes in breakdown(path):
        if table_bytes >= size / 200:
            print(f"  {name}: {table_bytes / total:.1f} bytes per headline")
    result = subprocess.run(
        [sys.executable, "-c", STREAM, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    rows, seconds, peak_kb = result.stdout.split()
    print(
        f"stream every headline as JSON Lines (iter_headlines): {int(rows):,} rows in"
        f" {float(seconds):.2f} s, peak RSS {int(peak_kb) / 1024:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="cache size (100,000)")
    parser.add_argument("--db", type=Path, help="where to build the cache (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="use the cache already at --db")
    parser.add_argument("--page-kb", type=int, default=80, help="raw page size (80 KB)")
    parser.add_argument("--headlines", type=int, help="measure the ticker's side instead")
    args = parser.parse_args()

    folder = None
    if args.db is None:
        folder = tempfile.TemporaryDirectory(prefix="newsterm-bench-")
        args.db = Path(folder.name) / "newsterm.sqlite3"
    corpus = Corpus(page_kb=args.page_kb)
    if args.headlines:
        print(f"cache benchmark: {args.headlines:,} headlines, {args.db}")
        if not args.reuse:
            for stale in args.db.parent.glob(args.db.name + "*"):
                stale.unlink()
        headlines_benchmark(args.db, corpus, args.headlines)
        if folder is not None:
            folder.cleanup()
        return 0
    print(f"cache benchmark: {args.articles:,} articles, pages of {args.page_kb} KB, {args.db}")

    if not (args.reuse and args.db.exists()):
        for stale in args.db.parent.glob(args.db.name + "*"):
            stale.unlink()
        with open_store(args.db) as store:
            seconds = build(store, corpus, args.articles)
        print(f"build: {seconds:.1f} s ({args.articles / seconds:,.0f} articles/s)")

    with open_store(args.db) as store:
        info = store.info()
        if info.articles < args.articles:
            print(
                f"the cache at {args.db} holds {info.articles:,} articles, not {args.articles:,}+"
            )
            return 2
        # Not vacuumed first: measured as a user's cache is, with the search index in
        # the many segments that batch after batch of inserts leave.

        queries = corpus.queries()
        began = time.perf_counter()
        store.search(queries[0], 20)
        first = (time.perf_counter() - began) * 1000
        per_query: dict[str, list[float]] = {}
        for query in queries:
            store.search(query, 20)  # warm the page cache, as a second search would find it
            per_query[query] = timed(lambda q=query: store.search(q, 20), 3)
        everything = [t for times in per_query.values() for t in times]
        median, tail = statistics.median(everything), p95(everything)
        print(
            f"search: {len(queries)} queries x 3 runs, limit 20: median {median:.1f} ms,"
            f" p95 {tail:.1f} ms, max {max(everything):.1f} ms"
            f" (target <= 50 ms: {verdict(tail, 50)})"
        )
        print(f"  the first search after opening the cache: {first:.1f} ms")
        slowest = sorted(per_query.items(), key=lambda item: -statistics.median(item[1]))[:5]
        for query, times in slowest:
            hits = len(store.search(query, 20))
            print(f"  slowest: {query!r}: {statistics.median(times):.1f} ms, {hits} hits")

        ticker = timed(lambda: store.ticker_rows(None, 0, 200), 20)
        print(
            f"ticker: newest 200 rows: median {statistics.median(ticker):.2f} ms,"
            f" p95 {p95(ticker):.2f} ms (target <= 20 ms: {verdict(p95(ticker), 20)})"
        )

        rows = store.ticker_rows(None, 0, 5000)
        urls = [row.url for row in rows if row.cached]
        rng = random.Random(3)
        opened = timed(lambda: store.get_article(rng.choice(urls)), 200)
        print(f"open one cached article (get_article): median {statistics.median(opened):.2f} ms")

        saves = []
        for number in range(50):
            article, page, _ = corpus.article(10_000_000 + number, datetime.now(UTC))
            article.url += f"?run={time.time_ns()}"
            began = time.perf_counter()
            store.put_article(article, raw_html=page, content_type="text/html")
            store.set_saved(article.url, True)
            saves.append((time.perf_counter() - began) * 1000)
        print(
            f"save one article (put_article with its page + set_saved, synced):"
            f" median {statistics.median(saves):.1f} ms, p95 {p95(saves):.1f} ms"
        )

        evicting = timed(
            lambda: store.evict(
                article_max_age_days=3650, budget_bytes=10**13, headline_max_age_days=3650
            ),
            5,
        )
        informing = timed(store.info, 5)
        print(
            f"evict with nothing due (runs after every refresh): median"
            f" {statistics.median(evicting):.1f} ms;"
            f" cache info: {statistics.median(informing):.1f} ms"
        )

        source = store.add_source(Source("https://example.org/listing-bench", "bench"))
        listing_times, again_times = [], []
        tag = time.time_ns()  # new URLs on every run, also when --reuse keeps the cache
        for run in range(3):
            now = datetime.now(UTC)
            headlines = [
                Headline(
                    corpus.title(),
                    f"https://example.org/{tag}/{run}/{n}",
                    now - timedelta(seconds=n),
                )
                for n in range(LISTING)
            ]
            began = time.perf_counter()
            counts = store.store_listing(source, headlines)
            listing_times.append(time.perf_counter() - began)
            assert counts.new == LISTING, counts
            began = time.perf_counter()
            store.store_listing(source, headlines, now=time.time() + 1)
            again_times.append(time.perf_counter() - began)
        best = statistics.median(listing_times)
        print(
            f"store_listing: 10,000 new headlines in one refresh: median {best:.3f} s"
            f" of 3 (target <= 0.5 s: {verdict(best, 0.5)});"
            f" the same 10,000 seen again: {statistics.median(again_times):.3f} s"
        )
        store.remove_source(source.url)  # leave the cache as built, for --reuse

    size = args.db.stat().st_size
    print(f"size: {size / 1e6:,.1f} MB, {size / args.articles / 1024:.1f} KB per article")
    for name, table_bytes in breakdown(args.db):
        if table_bytes >= size / 200:
            print(f"  {name}: {table_bytes / args.articles / 1024:.1f} KB per article")
    if folder is not None:
        folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
