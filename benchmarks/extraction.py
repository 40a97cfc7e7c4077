"""Article-extraction benchmark: newsterm.extract vs raw readability-lxml on the same pages.

Usage: python benchmarks/extraction.py PATH_TO_FOLDER [--keys 0-7|8-f] [--show N]

The folder is Zyte's article-extraction-benchmark layout: html/<key>.html.gz and
ground-truth.json ({key: {url, articleBody}}). Scoring follows the folder's README:
tokens are \\w+ runs, shingles are runs of 4 tokens counted with multiplicity; per page
tp/fp/fn; precision and recall are the means over pages of tp/(tp+fp) and tp/(tp+fn) (a
page where both texts are empty counts 1, an empty prediction for a non-empty truth
counts precision 0); F1 is computed from the two means. The pooled variant of the
original scorer (normalised tp/fp/fn summed over pages) is printed too.

What is scored for newsterm is `Article.text`, the body. The ground truth is each page's
article body, and `Article.text` is what the extractor claims is the body: the title is
kept apart (the ground truth has none) and so is the standfirst, in `Article.lead`. Both
kinds of error therefore count: a standfirst wrongly left in the body costs precision, a
first paragraph wrongly taken for the standfirst costs recall. The "text + lead" line
scores what the reader prints under the title (lead, then body); some ground truths
include the standfirst and most do not, so that line is shown for comparison only.

Raw readability is `Document(html).summary()` followed by lxml's text_content(), as in the
README. Both extractors get the same decoded string (decoding is not timed for either),
page by page, alternating which runs first so caches and clock drift favour neither.

Metadata figures:
- title: the share of pages with a non-empty title no longer than 300 characters whose
  words mostly (at least half) appear in the page's og:title or <title> — the page's own
  statement of its headline, read here independently of the extractor;
- date: among pages that carry a machine-readable date (JSON-LD date*, a date meta tag,
  or <time datetime>, detected here independently), the share with `published` found;
- byline: pages with a byline, and among pages with a JSON-LD/meta author, the share found.

Keys are sha256 hex strings, so their first digit splits the set at random: rules were
tuned on keys starting 0-7; keys starting 8-f are held out and reported apart.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from readability import Document

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsterm.charset import decode_body  # noqa: E402
from newsterm.extract import extract_article  # noqa: E402
from newsterm.models import Article  # noqa: E402

TOKEN = re.compile(r"\w+")
WORD = re.compile(r"\w+")
DATE_META = re.compile(
    r"(?:^|[\s:._-])(?:date|pubdate)|published_time|modified_time|updated_time"
    r"|datepublished|datemodified",
    re.I,
)
UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
TUNED = "01234567"


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


@dataclass
class Scores:
    """Per-page counts of one extractor, and the time it took."""

    counts: list[tuple[int, int, int]] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> tuple[float, float, float, float, float, float]:
        """Mean P, mean R, F1 of the means; then the pooled P, R, F1."""
        precisions, recalls = [], []
        pooled_tp = pooled_fp = pooled_fn = 0.0
        for tp, fp, fn in self.counts:
            total = tp + fp + fn
            if total == 0:
                precisions.append(1.0)
                recalls.append(1.0)
                continue
            precisions.append(tp / (tp + fp) if tp + fp else 0.0)
            recalls.append(tp / (tp + fn) if tp + fn else 0.0)
            pooled_tp += tp / total
            pooled_fp += fp / total
            pooled_fn += fn / total
        p, r = statistics.fmean(precisions), statistics.fmean(recalls)
        pooled_p = pooled_tp / max(pooled_tp + pooled_fp, 1e-9)
        pooled_r = pooled_tp / max(pooled_tp + pooled_fn, 1e-9)
        return p, r, _f1(p, r), pooled_p, pooled_r, _f1(pooled_p, pooled_r)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def raw_readability_text(html: str) -> str:
    """readability-lxml as it comes: summary(), then the text of the result."""
    try:
        summary = Document(html).summary()
        return lxml.html.fromstring(summary).text_content()
    except Exception:  # a crash scores as an empty prediction, as in the README's figure
        return ""


def text_and_lead(article: Article) -> str:
    """What the reader shows under the title: the lead, then the body."""
    return "\n\n".join(part for part in (article.lead, article.text) if part)


def parsed(html: str) -> lxml.html.HtmlElement | None:
    """The page parsed independently of the extractor (None if lxml cannot)."""
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=UTF8_PARSER)
    except Exception:
        return None


def page_headline(html: str) -> str:
    """The page's own headline statement: og:title, else <title>."""
    root = parsed(html)
    if root is None:
        return ""
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:title":
            return meta.get("content") or ""
    title = root.find(".//title")
    return title.text_content() if title is not None else ""


def carries_machine_date(html: str) -> bool:
    """JSON-LD date*, a date meta tag or <time datetime>, looked for independently."""
    root = parsed(html)
    if root is None:
        return False
    for script in root.iter("script"):
        if "ld+json" in (script.get("type") or "") and re.search(
            r'"date(?:Published|Modified|Created)"\s*:\s*"[^"]+"', script.text or ""
        ):
            return True
    for meta in root.iter("meta"):
        key = " ".join(meta.get(a) or "" for a in ("property", "name", "itemprop"))
        if DATE_META.search(key) and (meta.get("content") or "").strip():
            return True
    return any((time_.get("datetime") or "").strip() for time_ in root.iter("time"))


def carries_author(html: str) -> bool:
    """A JSON-LD author or an author meta tag."""
    if re.search(r'"author"\s*:', html):
        return True
    return bool(re.search(r'<meta[^>]+(?:name|property)=["\'](?:article:)?author["\']', html))


def title_is_sensible(title: str, headline: str) -> bool:
    """Non-empty, at most 300 characters, and at least half its words in the headline."""
    if not title.strip() or len(title) > 300:
        return False
    words = [w.lower() for w in WORD.findall(title)]
    reference = {w.lower() for w in WORD.findall(headline)}
    if not words:
        return False
    return sum(w in reference for w in words) / len(words) >= 0.5


@dataclass
class Half:
    """Everything measured over one set of keys."""

    ours: Scores = field(default_factory=Scores)
    ours_with_lead: Scores = field(default_factory=Scores)
    raw: Scores = field(default_factory=Scores)
    pages: int = 0
    titles_sensible: int = 0
    titles_present: int = 0
    dated_pages: int = 0
    dates_found: int = 0
    dates_found_anywhere: int = 0
    bylines: int = 0
    authored_pages: int = 0
    bylines_where_authored: int = 0
    methods: Counter[str] = field(default_factory=Counter)


def run(folder: Path, keys_filter: str | None, show: int) -> None:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    halves = {"tuned (0-7)": Half(), "held out (8-f)": Half(), "all": Half()}
    worst: list[tuple[float, str, str]] = []
    keys = sorted(truth)
    if keys_filter:
        first, last = keys_filter.split("-")
        keys = [key for key in keys if first <= key[0] <= last]
    # Warm both paths up (imports, regex compilation, lxml caches) outside the timing.
    warm = decode_body(gzip.decompress((folder / "html" / f"{keys[0]}.html.gz").read_bytes()))
    extract_article(warm, truth[keys[0]]["url"])
    raw_readability_text(warm)

    for index, key in enumerate(keys):
        body = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        html = decode_body(body)
        url = truth[key]["url"]
        expected = truth[key]["articleBody"]

        if index % 2 == 0:
            start = time.perf_counter()
            article = extract_article(html, url)
            ours_seconds = time.perf_counter() - start
            start = time.perf_counter()
            raw_text = raw_readability_text(html)
            raw_seconds = time.perf_counter() - start
        else:
            start = time.perf_counter()
            raw_text = raw_readability_text(html)
            raw_seconds = time.perf_counter() - start
            start = time.perf_counter()
            article = extract_article(html, url)
            ours_seconds = time.perf_counter() - start

        ours_counts = page_counts(expected, article.text)
        headline = page_headline(html)
        dated = carries_machine_date(html)
        authored = carries_author(html)
        names = ("tuned (0-7)" if key[0] in TUNED else "held out (8-f)", "all")
        for name in names:
            half = halves[name]
            half.pages += 1
            half.ours.counts.append(ours_counts)
            half.ours.seconds += ours_seconds
            half.ours_with_lead.counts.append(page_counts(expected, text_and_lead(article)))
            half.raw.counts.append(page_counts(expected, raw_text))
            half.raw.seconds += raw_seconds
            half.titles_present += bool(article.title.strip())
            half.titles_sensible += title_is_sensible(article.title, headline)
            half.dated_pages += dated
            half.dates_found += dated and article.published is not None
            half.dates_found_anywhere += article.published is not None
            half.bylines += bool(article.byline)
            half.authored_pages += authored
            half.bylines_where_authored += authored and bool(article.byline)
            half.methods[article.method] += 1
        tp, fp, fn = ours_counts
        precision = tp / (tp + fp) if tp + fp else float(not fn)
        recall = tp / (tp + fn) if tp + fn else 1.0
        worst.append((_f1(precision, recall), key, f"P={precision:.2f} R={recall:.2f} {url}"))

    for name, half in halves.items():
        if half.pages:
            _report(name, half)
    if show:
        print(f"\nworst {show} pages (ours):")
        for score, key, line in sorted(worst)[:show]:
            print(f"  {score:.3f} {key[:12]} {line}")


def _report(name: str, half: Half) -> None:
    print(f"\n== {name}: {half.pages} pages")
    print(f"{'':24}{'P':>7}{'R':>7}{'F1':>7}   {'pooled P/R/F1':>21}{'ms/page':>12}")
    for label, scores in (
        ("newsterm (text)", half.ours),
        ("newsterm (text + lead)", half.ours_with_lead),
        ("raw readability-lxml", half.raw),
    ):
        p, r, f1, pp, pr, pf1 = scores.figures()
        ms = scores.seconds / half.pages * 1000
        timing = f"{ms:12.1f}" if scores is not half.ours_with_lead else f"{'(same run)':>12}"
        print(f"{label:24}{p:7.3f}{r:7.3f}{f1:7.3f}   {pp:7.3f}{pr:7.3f}{pf1:7.3f}{timing}")
    ratio = half.ours.seconds / max(half.raw.seconds, 1e-9)
    print(f"time ours/raw: {ratio:.2f}x")
    print(
        f"title: {half.titles_sensible}/{half.pages} sensible "
        f"({half.titles_sensible / half.pages:.1%}), {half.titles_present} non-empty"
    )
    dated = max(half.dated_pages, 1)
    print(
        f"date: {half.dates_found}/{half.dated_pages} of pages carrying one "
        f"({half.dates_found / dated:.1%}); {half.dates_found_anywhere}/{half.pages} overall"
    )
    authored = max(half.authored_pages, 1)
    print(
        f"byline: {half.bylines}/{half.pages} pages; {half.bylines_where_authored}/"
        f"{half.authored_pages} of pages with a JSON-LD/meta author "
        f"({half.bylines_where_authored / authored:.1%})"
    )
    print("method: " + ", ".join(f"{m} {n}" for m, n in half.methods.most_common()))


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--keys", help="only keys whose first hex digit is in this range")
    parser.add_argument("--show", type=int, default=0, help="list the N worst pages (ours)")
    args = parser.parse_args()
    run(args.folder, args.keys, args.show)


if __name__ == "__main__":
    main()
