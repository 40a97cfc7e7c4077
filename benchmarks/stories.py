"""Story grouping benchmark: B-cubed precision, recall and F1 against labelled stories, and time.

    python benchmarks/stories.py ../shared/bench/stories/headlines.csv [--scale 10000]
    python benchmarks/stories.py ../shared/bench/stories/headlines.csv --refresh

`--refresh` measures the desk's refresh path on a real cache file instead: a refresh of 200
sources × 40 headlines stored (store_listing) and put into stories (NewsDesk.attach_stories,
the index rebuilt from the 48 h of grouped headlines before it), 10,000 ungrouped headlines
grouped in one batch, and one pass of the mute flags over the cache after a rule is added.

The CSV has the columns of the UCI "News Aggregator" set (TITLE, URL, STORY, TIMESTAMP in ms).
Prints the scores on the whole file and on two halves of its stories (alternate stories by
label, each half grouped on its own), the time to group the file, and the time to group about
`--scale` headlines made by repeating the file with times moved a week on each copy (the
repeats are different stories, so they also check that the time window keeps them apart).

The file's times are when the aggregator saw each story, all of a story within seconds, which
no real feed does; `--spread-times` replaces them with times spread evenly over the file's days
in a fixed shuffle, to show that the grouping does not lean on them.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsterm.models import Headline  # noqa: E402
from newsterm.stories import cluster  # noqa: E402


def read_rows(path: Path) -> list[tuple[Headline, str]]:
    """(headline, labelled story) for each row of the CSV."""
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=UTC)
            headline = Headline(title=row["TITLE"], url=row["URL"], published=published)
            rows.append((headline, row["STORY"]))
    return rows


def bcubed(predicted: Sequence[Hashable], labelled: Sequence[Hashable]) -> tuple[float, float]:
    """B-cubed precision and recall (Bagga and Baldwin, 1998), means over all items."""
    both = Counter(zip(predicted, labelled, strict=True))
    predicted_sizes = Counter(predicted)
    labelled_sizes = Counter(labelled)
    precision = recall = 0.0
    for (group, story), count in both.items():
        # Each of the `count` items in this cell has |C ∩ S| = count.
        precision += count * count / predicted_sizes[group]
        recall += count * count / labelled_sizes[story]
    total = len(predicted)
    return precision / total, recall / total


def score(rows: list[tuple[Headline, str]]) -> tuple[float, float, float, float]:
    """Precision, recall, F1 and seconds for grouping these rows."""
    headlines = [headline for headline, _ in rows]
    started = time.perf_counter()
    predicted = cluster(headlines)
    elapsed = time.perf_counter() - started
    precision, recall = bcubed(predicted, [story for _, story in rows])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, elapsed


def spread_times(rows: list[tuple[Headline, str]]) -> list[tuple[Headline, str]]:
    """The rows with their times replaced by evenly spread ones, in a fixed shuffle."""
    times = [headline.published for headline, _ in rows if headline.published]
    start, end = min(times), max(times)
    step = (end - start) / max(len(rows) - 1, 1)
    order = list(range(len(rows)))
    random.Random(16).shuffle(order)
    spread = []
    for (headline, story), position in zip(rows, order, strict=True):
        moved = Headline(headline.title, headline.url, start + step * position)
        spread.append((moved, story))
    return spread


def scaled(rows: list[tuple[Headline, str]], count: int) -> list[Headline]:
    """About `count` headlines: copies of the rows, each a week later, with their own URLs."""
    headlines = []
    copy = 0
    while len(headlines) < count:
        shift = timedelta(days=7 * copy)
        for headline, _ in rows:
            assert headline.published is not None
            url = f"{headline.url}{'&' if '?' in headline.url else '?'}copy={copy}"
            headlines.append(Headline(headline.title, url, headline.published + shift))
        copy += 1
    return headlines[:count]


def measure_refresh_path(rows: list[tuple[Headline, str]]) -> None:
    """Time the desk's work in a refresh: storing, grouping new headlines, muting."""
    import tempfile

    from newsterm.config import Settings
    from newsterm.library.desk import NewsDesk
    from newsterm.models import Source
    from newsterm.store import open_store

    many = scaled(spread_times(rows), 30_000)  # three copies of the file, a week apart
    # The refresh happens one day after the newest headline of the copy it grows.
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.sqlite3")
        desk = NewsDesk(store, Settings(data_dir=Path(folder)))
        sources = [store.add_source(Source(f"https://s{n}.example/news")) for n in range(200)]
        # The cache holds last week's copy, grouped: the context a refresh reads back.
        older = many[:2989]
        for start in range(0, len(older), 40):
            store.store_listing(sources[(start // 40) % 200], older[start : start + 40])
        now = max(h.published.timestamp() for h in older if h.published) + 3600
        started = time.perf_counter()
        desk.attach_stories(now)
        first = time.perf_counter() - started
        # A refresh: 200 sources × 40 new headlines of this week's copy.
        fresh = many[2989 : 2989 + 8000]
        now = max(h.published.timestamp() for h in fresh if h.published) + 3600
        started = time.perf_counter()
        for number, source in enumerate(sources):
            store.store_listing(source, fresh[number * 40 : (number + 1) * 40])
        stored = time.perf_counter() - started
        started = time.perf_counter()
        grouped = desk.attach_stories(now)
        attach = time.perf_counter() - started
        stories = len({row.story for row in store.ticker_page(limit=10_000)})
        # The same refresh again: every headline seen before, nothing to group.
        for number, source in enumerate(sources):
            store.store_listing(source, fresh[number * 40 : (number + 1) * 40])
        started = time.perf_counter()
        desk.attach_stories(now)
        again = time.perf_counter() - started
        # 10,000 new headlines at once (a cache made before stories, or a long absence).
        batch = many[11_000:21_000]
        for start in range(0, len(batch), 1000):
            store.store_listing(sources[start // 1000], batch[start : start + 1000])
        now = max(h.published.timestamp() for h in batch if h.published) + 3600
        started = time.perf_counter()
        big = desk.attach_stories(now)
        ten_thousand = time.perf_counter() - started
        total = store.headline_count(include_muted=True)
        started = time.perf_counter()
        desk.add("mute", "apple")
        mute = time.perf_counter() - started
        muted = desk.muted_count()
        store.close()
    print(f"first grouping of {len(older)} cached headlines   {first:.2f} s")
    print(f"refresh of 200 sources × 40 headlines: store {stored:.2f} s (all sources),")
    print(f"  stories for its {grouped} new headlines   {attach:.2f} s ({stories} stories shown)")
    print(f"  the same refresh again (nothing new)    {again:.3f} s")
    print(f"10,000 new headlines grouped at once      {ten_thousand:.2f} s ({big} grouped)")
    print(f"mute rule added: flags of {total} headlines   {mute:.2f} s ({muted} muted)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--spread-times", action="store_true")
    parser.add_argument("--refresh", action="store_true", help="time the desk's refresh path")
    arguments = parser.parse_args()
    rows = read_rows(arguments.csv)
    if arguments.refresh:
        measure_refresh_path(rows)
        return
    if arguments.spread_times:
        rows = spread_times(rows)
    stories = sorted({story for _, story in rows})
    halves = {story: index % 2 for index, story in enumerate(stories)}
    print(f"{len(rows)} headlines, {len(stories)} stories")
    for name, part in (
        ("half A", [row for row in rows if halves[row[1]] == 0]),
        ("half B", [row for row in rows if halves[row[1]] == 1]),
        ("whole", rows),
    ):
        precision, recall, f1, elapsed = score(part)
        print(
            f"{name:7} {len(part):5} headlines  P {precision:.3f}  R {recall:.3f}  "
            f"F1 {f1:.3f}  {elapsed:.2f} s"
        )
    many = scaled(rows, arguments.scale)
    started = time.perf_counter()
    predicted = cluster(many)
    elapsed = time.perf_counter() - started
    print(f"{len(many)} headlines grouped in {elapsed:.2f} s ({len(set(predicted))} stories)")


if __name__ == "__main__":
    main()
