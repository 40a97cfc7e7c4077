"""A damaged cache file: moved aside with a one-line notice, saved articles salvaged, no crash."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsterm.models import Article, Source
from newsterm.store import Store, StoreCorrupt, StoreError, open_store

SAVED_EVERY = 5
ARTICLES = 150


def _text(n: int) -> str:
    return "\n\n".join(f"Paragraph {p} of story {n}. " * 12 for p in range(6))


def _build(path: Path) -> dict[str, str]:
    """A cache of ARTICLES articles, every SAVED_EVERY-th saved; returns saved url → text."""
    saved = {}
    rng = random.Random(4)
    with open_store(path) as store:
        store.add_source(Source("http://127.0.0.1:9/news", "Loopback"))
        for n in range(ARTICLES):
            url = f"http://127.0.0.1:9/a/{n}"
            article = Article(url, f"Story {n}", _text(n), _text(n))
            store.put_article(article, raw_html=rng.randbytes(3000), content_type="text/html")
            if n % SAVED_EVERY == 0:
                store.set_saved(url, True)
                saved[url] = article.text
    # Closing the last connection checkpoints the WAL into the file and removes it.
    assert not Path(f"{path}-wal").exists()
    return saved


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("pristine") / "newsterm.sqlite3"
    return path, _build(path)


@pytest.fixture
def cache(tmp_path, pristine) -> tuple[Path, dict[str, str]]:
    """A fresh copy of the pristine cache, as the data dir's cache file."""
    path = tmp_path / "newsterm.sqlite3"
    path.write_bytes(pristine[0].read_bytes())
    return path, pristine[1]


def _pages_of(path: Path, table: str) -> list[int]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        ).fetchall()
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    finally:
        db.close()
    return [page for (page,) in rows], page_size


def _scribble(path: Path, pages: list[int], page_size: int) -> None:
    rng = random.Random(9)
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(rng.randbytes(page_size))


def _aside_files(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.glob(path.name + ".corrupt-*") if "-wal" not in p.name)


def _assert_salvaged_intact(store, saved: dict[str, str]) -> None:
    for stored in store.saved():
        assert saved[stored.article.url] == stored.article.text
        # The page is kept when it survived too; an article whose page was cut off still counts.
        raw = store.get_article(stored.article.url, with_raw=True).raw_html
        assert raw is None or len(raw) == 3000
    assert store.integrity_ok()


def test_a_garbage_file_is_moved_aside_and_a_fresh_cache_created(tmp_path):
    path = tmp_path / "newsterm.sqlite3"
    junk = random.Random(1).randbytes(200_000)
    path.write_bytes(junk)
    with open_store(path) as store:
        assert store.moved_aside is not None and store.moved_aside.name.startswith(
            "newsterm.sqlite3.corrupt-"
        )
        assert store.salvaged == 0 and store.saved() == [] and store.integrity_ok()
        store.add_source(Source("http://127.0.0.1:9/news"))  # fully usable
    assert _aside_files(path)[0].read_bytes() == junk  # kept as it was, for the user to inspect


def test_a_short_garbage_file_is_moved_aside_too(tmp_path):
    path = tmp_path / "newsterm.sqlite3"
    path.write_bytes(b"not a database")
    with open_store(path) as store:
        assert store.moved_aside is not None


@pytest.mark.parametrize("fraction", [0.02, 0.25, 0.5, 0.75, 0.97])
def test_a_truncated_file_is_moved_aside_and_its_readable_saved_articles_salvaged(cache, fraction):
    path, saved = cache
    data = path.read_bytes()
    # Cut mid-page (an odd offset) as a crashed copy or a full disk would.
    path.write_bytes(data[: int(len(data) * fraction) | 1])
    with open_store(path) as store:
        assert store.moved_aside == _aside_files(path)[0]
        assert store.salvaged == len(store.saved()) <= len(saved)
        _assert_salvaged_intact(store, saved)
        if fraction >= 0.5:
            assert store.salvaged > 0  # the pages before the cut still read
        assert [s.url for s in store.sources()] == ["http://127.0.0.1:9/news"] or fraction < 0.1


def test_a_file_cut_at_a_page_boundary_is_salvaged(cache):
    path, saved = cache
    data = path.read_bytes()
    path.write_bytes(data[: (len(data) * 3 // 4) // 4096 * 4096])
    with open_store(path) as store:
        assert store.moved_aside is not None and store.salvaged > 0
        _assert_salvaged_intact(store, saved)


def test_a_salvage_cut_short_by_a_crash_is_finished_by_the_next_start(cache):
    path, saved = cache
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 4 | 1])
    # Store() alone moves the file aside but does not salvage: as if killed right then.
    Store(path).close()
    (aside,) = _aside_files(path)
    with open_store(path) as store:
        assert store.moved_aside == aside and store.salvaged > 0
        _assert_salvaged_intact(store, saved)
        assert not store.salvage_marker.exists()
        count = len(store.saved())
    with open_store(path) as again:  # done once: not again
        assert again.moved_aside is None and len(again.saved()) == count


def test_a_valid_header_over_garbage_pages_is_moved_aside(cache):
    path, _ = cache
    data = path.read_bytes()
    path.write_bytes(data[:100] + random.Random(2).randbytes(len(data) - 100))
    with open_store(path) as store:
        assert store.moved_aside is not None and store.salvaged == 0
        assert store.integrity_ok()


def test_damage_found_after_open_is_one_line_then_repaired_at_next_start(cache):
    path, saved = cache
    pages, page_size = _pages_of(path, "articles")
    _scribble(path, pages[len(pages) // 2 : len(pages) // 2 + 3], page_size)
    store = open_store(path)  # the schema and first pages read fine: nothing noticed yet
    assert store.moved_aside is None
    with pytest.raises(StoreCorrupt) as caught:
        store.saved()
    message = str(caught.value)
    assert "\n" not in message and "damaged" in message and str(path) in message
    assert store.damage_marker.exists()
    # After damage is known, writes are refused rather than piled onto a broken file.
    with pytest.raises(StoreCorrupt):
        store.add_source(Source("http://127.0.0.1:9/other"))
    store.close()

    with open_store(path) as again:
        assert again.moved_aside is not None and not again.damage_marker.exists()
        assert 0 < again.salvaged < len(saved)  # the scribbled pages held some of them
        _assert_salvaged_intact(again, saved)


def test_an_integrity_check_that_finds_damage_flags_it_for_the_next_start(cache):
    path, _ = cache
    pages, page_size = _pages_of(path, "articles")
    _scribble(path, pages[-2:], page_size)
    with open_store(path) as store:
        assert store.integrity_ok() is False
        assert store.damage_marker.exists() and store.damaged
    with open_store(path) as again:
        assert again.moved_aside is not None


def test_damage_only_in_the_search_index_is_rebuilt_in_place(cache):
    path, saved = cache
    with open_store(path) as store:
        # Valid pages, nonsense inside the index's own records (id 10 is its structure).
        store._db.execute(
            "UPDATE article_search_data SET block = randomblob(length(block)) WHERE id > 10"
        )
        with pytest.raises(StoreCorrupt):
            store.search("story")
    with open_store(path) as again:
        assert again.moved_aside is None  # the tables were fine: nothing moved, nothing lost
        assert len(again.saved()) == len(saved)
        assert {h.url for h in again.search("story 10")} >= {"http://127.0.0.1:9/a/10"}
        assert again.integrity_ok() and not again.damage_marker.exists()


def test_a_false_alarm_leaves_the_file_in_place(cache):
    path, saved = cache
    with open_store(path) as store:
        store.damage_marker.write_text("stale\n")
    with open_store(path) as again:
        assert again.moved_aside is None and len(again.saved()) == len(saved)
        assert not again.damage_marker.exists()


def test_moving_aside_does_not_reuse_a_name(tmp_path):
    path = tmp_path / "newsterm.sqlite3"
    for _ in range(3):
        path.write_bytes(b"garbage" * 100)
        open_store(path).close()
    assert len(_aside_files(path)) == 3


def test_a_damaged_file_that_cannot_be_moved_is_a_one_line_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can rename in a read-only directory")
    path = tmp_path / "newsterm.sqlite3"
    path.write_bytes(b"garbage" * 100)
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StoreError) as caught:
            open_store(path)
        assert "\n" not in str(caught.value)
    finally:
        tmp_path.chmod(0o700)


# -- the command line -------------------------------------------------------------------------


def _newsterm(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = data_dir / "config.toml"
    config.write_text('[[sources]]\nurl = "http://127.0.0.1:9/news"\n', encoding="utf-8")
    env = os.environ | {"NEWSTERM_DATA_DIR": str(data_dir), "NEWSTERM_CONFIG": str(config)}
    return subprocess.run(
        [sys.executable, "-m", "newsterm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_newsterm_saved_names_the_moved_aside_file_in_one_line_on_stderr(cache):
    path, saved = cache
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 9 // 10 | 1])
    result = _newsterm(path.parent, "saved", "--json")
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    (aside,) = _aside_files(path)
    assert line.startswith("newsterm: the cache file was damaged and was moved aside to")
    assert str(aside) in line and "saved articles recovered" in line
    assert "Traceback" not in result.stderr
    listed = json.loads(result.stdout)
    assert listed and {item["url"] for item in listed} <= set(saved)
    # The next run finds a sound cache: no notice, the same saved articles.
    again = _newsterm(path.parent, "saved", "--json")
    assert again.returncode == 0 and again.stderr == ""
    assert json.loads(again.stdout) == listed


def test_newsterm_on_a_garbage_file_says_so_once_and_carries_on(tmp_path):
    (tmp_path / "newsterm.sqlite3").write_bytes(b"\x00garbage" * 1000)
    result = _newsterm(tmp_path, "saved")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("newsterm: the cache file was damaged")
    assert lines[1:] == ["no saved articles"]


def test_newsterm_reports_damage_found_mid_run_in_one_line_and_repairs_next_time(cache):
    path, saved = cache
    pages, page_size = _pages_of(path, "articles")
    _scribble(path, pages[len(pages) // 2 : len(pages) // 2 + 3], page_size)
    result = _newsterm(path.parent, "saved")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("newsterm: the cache file") and "damaged" in line
    again = _newsterm(path.parent, "saved", "--json")
    assert again.returncode == 0
    assert again.stderr.startswith("newsterm: the cache file was damaged and was moved aside")
    assert len(again.stderr.splitlines()) == 1
