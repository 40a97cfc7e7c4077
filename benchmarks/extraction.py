"""Extraction benchmark: newsterm.extract vs raw readability-lxml on corpora of real pages.

Usage: python benchmarks/extraction.py FOLDER [FOLDER …] [--show N] [--trafilatura]

Each folder holds html/<key>.html.gz and ground-truth.json. Two layouts are read:
- article-extraction (Zyte): {key: {url, articleBody}} — scored on `Article.text`, the
  body (the ground truth leaves the headline and, mostly, the standfirst out);
- news-pages (fundus): {key: {url, title, authors, published, body}} — scored on what the
  reader shows under the title (`Article.lead`, then `Article.text`), as the truth's body
  holds the standfirst; title, date and authors are scored too.

Body score (both READMEs): tokens are \\w+ runs, shingles are runs of 4 tokens counted with
multiplicity; per page tp/fp/fn; precision and recall are the means over pages of
tp/(tp+fp) and tp/(tp+fn) (both texts empty counts 1, an empty prediction for a non-empty
truth counts 0); F1 is computed from the two means.
Metadata (news-pages README): title equal after collapsing whitespace and lower-casing;
published the same instant within two minutes (where the truth has one); authors: every
listed name appears in the byline, case-insensitive (where the truth lists any).

Each corpus is split in two halves by a hash, never by hand: "dev" is what rules may be
developed on, "held out" is only checked. Keys of article-extraction are sha256 hex, so
their first digit splits them (0-7 dev); news-pages keys are "<country>-<publisher>-<n>",
and the split hashes the publisher, so one publisher's pages fall in one half.

Raw readability is `Document(html).summary()` then lxml's text_content(). newsterm gets the
page's bytes (decoding is its job, and timed); the other engines get the bytes decoded as
UTF-8 (both corpora are saved as UTF-8), untimed. Page by page, the order rotated so
caches and clock drift favour none. "lost" counts pages where raw readability reads at
least half the article (recall ≥ 0.5) and ours shows less than half of what it recalls.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import lxml.html
from readability import Document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsterm.extract import extract_article  # noqa: E402
from newsterm.models import Article  # noqa: E402
from newsterm.text.charset import decode_body  # noqa: E402

TOKEN = re.compile(r"\w+")
DEV_DIGITS = "01234567"
SAME_INSTANT_SECONDS = 120


def shingles(text: str, size: int = 4) -> Counter[str]:
    """4-token shingles with multiplicity (a text shorter than 4 tokens is one shingle)."""
    tokens = TOKEN.findall(text or "")
    count = max(1, len(tokens) - size + 1)
    return Counter(" ".join(tokens[i : i + size]) for i in range(count) if tokens[i : i + size])


def page_counts(truth: str, predicted: str) -> tuple[int, int, int]:
    """tp, fp, fn of one page."""
    true_shingles, predicted_shingles = shingles(truth), shingles(predicted)
    tp = sum((true_shingles & predicted_shingles).values())
    fp = sum((predicted_shingles - true_shingles).values())
    fn = sum((true_shingles - predicted_shingles).values())
    return tp, fp, fn


def precision_recall(counts: tuple[int, int, int]) -> tuple[float, float]:
    tp, fp, fn = counts
    if tp + fp + fn == 0:
        return 1.0, 1.0
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Per-page counts of one extractor, and the time it took."""

    counts: list[tuple[int, int, int]] = field(default_factory=list)
    seconds: float = 0.0
    slowest: float = 0.0

    def figures(self) -> tuple[float, float, float]:
        """Mean P, mean R, F1 of the means."""
        pairs = [precision_recall(counts) for counts in self.counts]
        p = statistics.fmean(pair[0] for pair in pairs)
        r = statistics.fmean(pair[1] for pair in pairs)
        return p, r, _f1(p, r)


def raw_readability_text(html: str) -> str:
    """readability-lxml as it comes: summary(), then the text of the result."""
    try:
        summary = Document(html).summary()
        return lxml.html.fromstring(summary).text_content()
    except Exception:  # a crash scores as an empty prediction
        return ""


def text_of_bytes(body: bytes) -> str:
    """The page's text for the other engines: UTF-8 when the bytes are (both corpora are
    saved as UTF-8, some with a <meta charset> naming another), else the charset rules."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return decode_body(body)


def trafilatura_text(html: str, url: str) -> str:
    import trafilatura

    try:
        return trafilatura.extract(html, url=url, favor_precision=False) or ""
    except Exception:
        return ""


def shown_text(article: Article) -> str:
    """What the reader shows under the title: the lead, then the body."""
    return "\n\n".join(part for part in (article.lead, article.text) if part)


def _collapse(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


@dataclass
class Half:
    """Everything measured over one set of pages."""

    engines: dict[str, Scores] = field(default_factory=dict)
    pages: int = 0
    titled: int = 0
    titles_right: int = 0
    dated: int = 0
    dates_right: int = 0
    authored: int = 0
    authors_right: int = 0
    lost: int = 0
    crashes: int = 0
    methods: Counter[str] = field(default_factory=Counter)


@dataclass
class Page:
    key: str
    url: str
    body: str
    truth: dict


def load_corpus(folder: Path) -> tuple[str, list[Page]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    kind = "news-pages" if any("body" in entry for entry in truth.values()) else "articles"
    pages = [
        Page(key, entry["url"], entry.get("body") or entry.get("articleBody") or "", entry)
        for key, entry in sorted(truth.items())
    ]
    return kind, pages


def half_of(key: str, kind: str) -> str:
    if kind == "articles":
        return "dev" if key[0] in DEV_DIGITS else "held out"
    publisher = key.rsplit("-", 1)[0]
    digit = hashlib.sha256(publisher.encode()).hexdigest()[0]
    return "dev" if digit in DEV_DIGITS else "held out"


def run(folder: Path, show: int, with_trafilatura: bool, only: str | None) -> None:
    kind, pages = load_corpus(folder)
    if only:
        pages = [page for page in pages if half_of(page.key, kind) == only]
    halves = {"dev": Half(), "held out": Half(), "all": Half()}
    rows: list[tuple[float, str, str]] = []

    def ours(html: str, url: str) -> Article:
        # The page's bytes, as the library passes them: decoding them is the extractor's job
        # (and timed), including a <meta charset> that contradicts UTF-8 bytes.
        return extract_article(raw_bytes[0], url)

    raw_bytes = [b""]

    engines: dict[str, Callable[[str, str], object]] = {
        "newsterm": ours,
        "raw readability-lxml": lambda html, url: raw_readability_text(html),
    }
    if with_trafilatura:
        engines["trafilatura"] = trafilatura_text
    names = list(engines)
    raw_bytes[0] = gzip.decompress((folder / "html" / f"{pages[0].key}.html.gz").read_bytes())
    first = text_of_bytes(raw_bytes[0])
    for engine in engines.values():  # warm imports and caches outside the timing
        engine(first, pages[0].url)

    for index, page in enumerate(pages):
        raw_bytes[0] = gzip.decompress((folder / "html" / f"{page.key}.html.gz").read_bytes())
        html = text_of_bytes(raw_bytes[0])
        results: dict[str, object] = {}
        seconds: dict[str, float] = {}
        order = names[index % len(names) :] + names[: index % len(names)]
        crashed = False
        for name in order:
            start = time.perf_counter()
            try:
                results[name] = engines[name](html, page.url)
            except Exception as error:  # a crash is reported, and scores as nothing
                print(f"CRASH {name} {page.key}: {error!r}", file=sys.stderr)
                results[name] = Article(url=page.url) if name == "newsterm" else ""
                crashed = crashed or name == "newsterm"
            seconds[name] = time.perf_counter() - start
        article = results["newsterm"]
        assert isinstance(article, Article)
        texts = {
            name: (shown_text(article) if kind == "news-pages" else article.text)
            if name == "newsterm"
            else str(results[name])
            for name in names
        }
        counts = {name: page_counts(page.body, texts[name]) for name in names}
        ours_recall = precision_recall(counts["newsterm"])[1]
        raw_recall = precision_recall(counts["raw readability-lxml"])[1]
        lost = raw_recall >= 0.5 and ours_recall < raw_recall / 2
        for half_name in (half_of(page.key, kind), "all"):
            half = halves[half_name]
            half.pages += 1
            half.crashes += crashed
            half.lost += lost
            half.methods[article.method] += 1
            for name in names:
                scores = half.engines.setdefault(name, Scores())
                scores.counts.append(counts[name])
                scores.seconds += seconds[name]
                scores.slowest = max(scores.slowest, seconds[name])
            if kind == "news-pages":
                _score_metadata(half, page.truth, article)
        p, r = precision_recall(counts["newsterm"])
        words = "/".join(
            str(len(TOKEN.findall(text)))
            for text in (texts["newsterm"], page.body, texts["raw readability-lxml"])
        )
        rows.append((_f1(p, r), page.key, f"P={p:.2f} R={r:.2f} words {words} {page.url[:90]}"))

    print(f"\n##### {folder} ({kind}, {len(pages)} pages)")
    for name, half in halves.items():
        if half.pages:
            _report(name, half, kind)
    if show:
        print(f"\nworst {show} pages (ours), words ours/expected/raw readability-lxml:")
        for score, key, line in sorted(rows)[:show]:
            print(f"  {score:.3f} [{half_of(key, kind)}] {key[:24]} {line}")


def _score_metadata(half: Half, truth: dict, article: Article) -> None:
    half.titled += 1
    half.titles_right += _collapse(truth.get("title")) == _collapse(article.title)
    expected = _instant(truth.get("published"))
    if expected is not None:
        half.dated += 1
        found = article.published
        if found is not None and found.tzinfo is not None:
            half.dates_right += abs((found - expected).total_seconds()) <= SAME_INSTANT_SECONDS
    authors = [name for name in truth.get("authors") or [] if name.strip()]
    if authors:
        half.authored += 1
        byline = _collapse(article.byline)
        half.authors_right += all(_collapse(name) in byline for name in authors)


def _report(name: str, half: Half, kind: str) -> None:
    print(f"\n== {name}: {half.pages} pages")
    print(f"{'':24}{'P':>7}{'R':>7}{'F1':>7}{'ms/page':>10}{'max ms':>9}")
    for label, scores in half.engines.items():
        p, r, f1 = scores.figures()
        ms = scores.seconds / half.pages * 1000
        print(f"{label:24}{p:7.3f}{r:7.3f}{f1:7.3f}{ms:10.1f}{scores.slowest * 1000:9.0f}")
    raw = half.engines["raw readability-lxml"].seconds
    ratio = half.engines["newsterm"].seconds / max(raw, 1e-9)
    print(f"time ours/raw readability-lxml: {ratio:.2f}x")
    print(f"lost (ours < half of raw readability's recall): {half.lost}; crashes: {half.crashes}")
    if kind == "news-pages":
        for label, right, total in (
            ("title", half.titles_right, half.titled),
            ("date", half.dates_right, half.dated),
            ("authors", half.authors_right, half.authored),
        ):
            print(f"{label}: {right}/{total} ({right / max(total, 1):.1%})")
    print("method: " + ", ".join(f"{m} {n}" for m, n in half.methods.most_common()))


def main() -> None:
    """Parse arguments and run the benchmark on each folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--show", type=int, default=10, help="list the N worst pages (ours)")
    parser.add_argument("--trafilatura", action="store_true", help="measure trafilatura too")
    parser.add_argument("--half", choices=("dev", "held out"), help="only this half")
    args = parser.parse_args()
    for folder in args.folders:
        run(folder, args.show, args.trafilatura, args.half)


if __name__ == "__main__":
    main()
