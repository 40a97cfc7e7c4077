"""Story grouping benchmark: B-cubed precision, recall and F1 against labelled stories, and time.

    python benchmarks/stories.py ../shared/bench/stories/headlines.csv [--scale 10000]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--spread-times", action="store_true")
    arguments = parser.parse_args()
    rows = read_rows(arguments.csv)
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
