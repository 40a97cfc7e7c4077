"""Agreement benchmark: newsterm.extract vs raw readability-lxml on pages with no ground truth.

Usage: python benchmarks/agreement.py FOLDER [FOLDER …] [--sample N] [--trafilatura] [--show N]

For kinds of page no corpus here has (a project's documentation, a manual, a wiki saved to
disk), there is no expected text; what can be checked is whether the reader loses what raw
readability-lxml reads, and what it costs. Every .html, .htm and .html.gz file under each
folder is a page (N of them per folder with --sample, drawn by a fixed seed). Per folder:

- "holds": the share of raw readability's text that ours holds, by 4-token shingles (the
  measure of the article benchmarks), averaged over pages; with --trafilatura, the same for
  trafilatura's text (not a dependency: install it to use the flag);
- "lost": pages where raw readability reads at least 50 words and ours holds less than
  half of them — the pages to look at;
- time ours/raw readability-lxml, as in benchmarks/extraction.py: ours from the bytes,
  raw readability from the text decoded as UTF-8, page by page in the same run.

Pages have no address; each is read as https://pages.example/<its path under the folder>,
so rules that look at the host do not apply.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The article benchmark's measure and engines, beside this script.
from extraction import (  # noqa: E402
    TOKEN,
    raw_readability_text,
    shingles,
    shown_text,
    text_of_bytes,
    trafilatura_text,
)

from newsterm.extract import extract_article  # noqa: E402

LOST_MIN_WORDS = 50
SEED = 7


def holds(ours: Counter, theirs: Counter) -> float:
    """The share of `theirs` that `ours` holds (1 when theirs is empty)."""
    total = sum(theirs.values())
    return sum((ours & theirs).values()) / total if total else 1.0


@dataclass
class Folder:
    name: str
    pages: int = 0
    held_raw: float = 0.0
    held_trafilatura: float = 0.0
    ours_seconds: float = 0.0
    raw_seconds: float = 0.0
    crashes: int = 0
    lost: list[tuple[str, int, int, float]] = field(default_factory=list)
    methods: Counter[str] = field(default_factory=Counter)


def pages_in(folder: Path, sample: int | None) -> list[Path]:
    paths = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.name.endswith((".html", ".htm", ".html.gz"))
    )
    if sample is not None and len(paths) > sample:
        paths = sorted(random.Random(SEED).sample(paths, sample))
    return paths


def measure(folder: Path, sample: int | None, with_trafilatura: bool) -> Folder:
    result = Folder(str(folder))
    for path in pages_in(folder, sample):
        body = path.read_bytes()
        if path.name.endswith(".gz"):
            body = gzip.decompress(body)
        text = text_of_bytes(body)
        url = f"https://pages.example/{path.relative_to(folder).as_posix()}"
        started = time.perf_counter()
        try:
            article = extract_article(body, url)
            ours = shown_text(article)
            result.methods[article.method] += 1
        except Exception:
            ours = ""
            result.crashes += 1
        result.ours_seconds += time.perf_counter() - started
        started = time.perf_counter()
        raw = raw_readability_text(text)
        result.raw_seconds += time.perf_counter() - started
        ours_shingles, raw_shingles = shingles(ours), shingles(raw)
        share = holds(ours_shingles, raw_shingles)
        result.pages += 1
        result.held_raw += share
        raw_words = len(TOKEN.findall(raw))
        if raw_words >= LOST_MIN_WORDS and share < 0.5:
            result.lost.append((str(path), len(TOKEN.findall(ours)), raw_words, share))
        if with_trafilatura:
            other = trafilatura_text(text, url)
            result.held_trafilatura += holds(ours_shingles, shingles(other))
    return result


def report(result: Folder, show: int, with_trafilatura: bool) -> None:
    pages = max(result.pages, 1)
    print(f"\n##### {result.name} ({result.pages} pages)")
    print(f"holds raw readability's text: {result.held_raw / pages:.3f}")
    if with_trafilatura:
        print(f"holds trafilatura's text:     {result.held_trafilatura / pages:.3f}")
    ratio = result.ours_seconds / result.raw_seconds if result.raw_seconds else float("nan")
    print(
        f"ms/page ours {1000 * result.ours_seconds / pages:.1f}, raw readability "
        f"{1000 * result.raw_seconds / pages:.1f}: ours/raw {ratio:.2f}x"
    )
    print(f"lost (raw reads >= {LOST_MIN_WORDS} words, ours holds < half): {len(result.lost)}")
    print(f"crashes: {result.crashes}")
    print("method: " + ", ".join(f"{name} {count}" for name, count in result.methods.most_common()))
    for path, ours_words, raw_words, share in sorted(result.lost, key=lambda row: row[3])[:show]:
        print(f"  {share:.2f} words {ours_words}/{raw_words} (ours/raw) {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--sample", type=int, help="at most N pages per folder")
    parser.add_argument("--show", type=int, default=10, help="list up to N lost pages")
    parser.add_argument("--trafilatura", action="store_true", help="measure against it too")
    args = parser.parse_args()
    extract_article(b"<p>warm up</p>", "https://pages.example/")
    raw_readability_text("<p>warm up</p>")
    for folder in args.folders:
        report(measure(folder, args.sample, args.trafilatura), args.show, args.trafilatura)


if __name__ == "__main__":
    main()
