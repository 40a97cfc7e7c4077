"""A full disk mid-write: the transaction rolls back, one line is said, and the app carries on."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsterm.config import Settings, SourceSettings
from newsterm.library import Library
from newsterm.models import Article, Headline, Source
from newsterm.store import FetchState, Store, StoreError, open_store
from tests.support.loopback import site_article_paths


def _listing(count: int, tag: str) -> list[Headline]:
    return [
        Headline(f"{tag} headline {n} " + "with a long title " * 8, f"http://127.0.0.1:9/{tag}/{n}")
        for n in range(count)
    ]


def _seed(store: Store) -> Source:
    """What was committed before the disk filled: a listing, an article, a saved one."""
    source = store.add_source(Source("http://127.0.0.1:9/news", "Loopback"))
    store.store_listing(source, _listing(10, "first"), FetchState(source.url, etag='"1"'))
    store.put_article(
        Article("http://127.0.0.1:9/kept", "Kept story", "Text that was kept.", "md"),
        raw_html=b"<p>kept page</p>",
    )
    store.set_saved("http://127.0.0.1:9/kept", True)
    return source


def _assert_seed_intact(store: Store) -> None:
    assert store.headline_count() == 10
    assert store.fetch_state("http://127.0.0.1:9/news").etag == '"1"'
    stored = store.get_article("http://127.0.0.1:9/kept", with_raw=True)
    assert stored.saved and stored.article.text == "Text that was kept."
    assert stored.raw_html == b"<p>kept page</p>"
    assert store.integrity_ok()


def _assert_one_line_disk_full(error: StoreError) -> None:
    message = str(error)
    assert message.startswith("disk full") and "\n" not in message


# -- SQLite's own limit: the same "database or disk is full" path, on any machine -----------


@pytest.fixture
def capped(tmp_path) -> Iterator[tuple[Store, Source]]:
    with open_store(tmp_path / "newsterm.sqlite3") as store:
        source = _seed(store)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        # A few pages of headroom: small writes fit, a big refresh does not.
        store._db.execute(f"PRAGMA max_page_count = {pages + 4}")
        yield store, source


def test_a_refresh_that_fills_the_disk_rolls_back_whole(capped):
    store, source = capped
    with pytest.raises(StoreError) as caught:
        store.store_listing(source, _listing(5000, "big"), FetchState(source.url, etag='"2"'))
    _assert_one_line_disk_full(caught.value)
    _assert_seed_intact(store)  # no headline of the big listing, the old fetch state


def test_an_article_that_does_not_fit_is_not_half_stored(capped):
    store, _ = capped
    big = Article("http://127.0.0.1:9/big", "Big story", "Words and more words. " * 20_000, "md")
    with pytest.raises(StoreError) as caught:
        store.put_article(big, raw_html=os.urandom(200_000))
    _assert_one_line_disk_full(caught.value)
    assert store.get_article("http://127.0.0.1:9/big") is None
    assert store.search("words") == []
    _assert_seed_intact(store)


def test_the_store_keeps_working_once_there_is_room_again(capped):
    store, source = capped
    for _ in range(3):  # failing again and again leaves nothing behind either
        with pytest.raises(StoreError):
            store.store_listing(source, _listing(5000, "big"))
    store.store_listing(source, _listing(2, "small"))  # small writes still fit
    store._db.execute("PRAGMA max_page_count = 1000000")
    assert store.store_listing(source, _listing(5000, "big")).new == 5000
    assert store.headline_count() == 10 + 2 + 5000
    assert store.integrity_ok()


def test_saved_articles_survive_a_full_disk_and_a_reopen(capped, tmp_path):
    store, source = capped
    with pytest.raises(StoreError):
        store.store_listing(source, _listing(5000, "big"))
    store.close()
    with open_store(tmp_path / "newsterm.sqlite3") as again:
        _assert_seed_intact(again)
        assert again.moved_aside is None


# -- a real full disk: a small tmpfs (needs root and mount) ---------------------------------


def _tmpfs(tmp_path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted for one test (skipped where mounting is not allowed)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the max_page_count tests cover the same path")
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    folder = tmp_path / "disk"
    folder.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip() or result.returncode}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 4 MB disk."""
    yield from _tmpfs(tmp_path, "4m")


@pytest.fixture
def roomier_disk(tmp_path) -> Iterator[Path]:
    """A 24 MB disk: room for a refresh of the test site, once the filler is gone."""
    yield from _tmpfs(tmp_path, "24m")


def _fill(folder: Path) -> Path:
    """Take every free byte of the disk with a filler file; returns it (delete to free)."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(handle, b"\0" * 65536)
    except OSError as error:
        assert error.errno == 28  # ENOSPC
    try:
        while True:  # the last few bytes too
            os.write(handle, b"\0")
    except OSError:
        pass
    os.close(handle)
    assert os.statvfs(folder).f_bavail == 0
    return filler


def test_a_full_tmpfs_rolls_back_the_refresh_and_keeps_what_was_committed(small_disk):
    path = small_disk / "newsterm.sqlite3"
    store = open_store(path)
    source = _seed(store)
    filler = _fill(small_disk)
    for _ in range(3):
        with pytest.raises(StoreError) as caught:
            store.store_listing(source, _listing(5000, "big"), FetchState(source.url, etag='"2"'))
        _assert_one_line_disk_full(caught.value)
        big = Article("http://127.0.0.1:9/big", "Big", "Word " * 100_000, "md")
        with pytest.raises(StoreError):
            store.put_article(big)
    _assert_seed_intact(store)
    store.close()  # its checkpoint may fail for want of room: the WAL keeps the data

    with open_store(path) as again:  # a new start, the disk still full
        _assert_seed_intact(again)
        filler.unlink()
        assert again.store_listing(source, _listing(200, "after")).new == 200
        _assert_seed_intact_plus(again, 200)


def _assert_seed_intact_plus(store: Store, extra: int) -> None:
    assert store.headline_count() == 10 + extra
    assert store.is_saved("http://127.0.0.1:9/kept")
    assert store.integrity_ok()


def test_a_new_cache_on_a_full_disk_fails_in_one_line(small_disk):
    _fill(small_disk)
    with pytest.raises(StoreError) as caught:
        open_store(small_disk / "newsterm.sqlite3")
    _assert_one_line_disk_full(caught.value)


# -- the command line on a full disk ------------------------------------------------------------


def _newsterm(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = data_dir.parent / "config.toml"
    env = os.environ | {"NEWSTERM_DATA_DIR": str(data_dir), "NEWSTERM_CONFIG": str(config)}
    return subprocess.run(
        [sys.executable, "-m", "newsterm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _config(data_dir: Path, site_url: str) -> None:
    (data_dir.parent / "config.toml").write_text(
        f'[[sources]]\nurl = "{site_url}/news"\n', encoding="utf-8"
    )


def test_newsterm_on_a_disk_already_full_says_so_in_one_line(roomier_disk, site_server):
    _config(roomier_disk, site_server.url)
    article = site_server.url + sorted(site_article_paths())[0]
    assert _newsterm(roomier_disk, "save", article).returncode == 0
    filler = _fill(roomier_disk)
    for command in (("refresh", "--articles"), ("saved",), ("read", article, "--offline")):
        result = _newsterm(roomier_disk, *command)
        assert result.returncode != 0
        (line,) = result.stderr.splitlines()
        assert line.startswith("newsterm: disk full: cannot open the cache"), line
    filler.unlink()
    read = _newsterm(roomier_disk, "read", article, "--offline")
    assert read.returncode == 0 and len(read.stdout.split()) > 50


def test_newsterm_refresh_that_fills_the_disk_stops_in_one_line_and_loses_nothing(
    roomier_disk, site_server
):
    _config(roomier_disk, site_server.url)
    article = site_server.url + sorted(site_article_paths())[0]
    assert _newsterm(roomier_disk, "save", article).returncode == 0
    filler = _fill(roomier_disk)
    # Room to open the cache and start, not to store forty articles with their pages.
    os.truncate(filler, filler.stat().st_size - 400 * 1024)

    refresh = _newsterm(
        roomier_disk, "refresh", "--articles", "--source", f"{site_server.url}/news"
    )
    assert "Traceback" not in refresh.stderr
    # Articles that no longer fit fail one by one (the CLI counts them; `newsterm: disk
    # full …` when a whole listing or the final eviction cannot be written); the rest ran.
    summary = refresh.stderr.splitlines()[-1]
    failed = int(summary.split(" failed")[0].rsplit(" ", 1)[-1]) if "failed" in summary else 0
    assert failed > 0 or "disk full" in refresh.stderr, refresh.stderr
    for line in refresh.stderr.splitlines():
        assert line.startswith(
            (
                "newsterm: disk full",
                "articles: ",
                "article failed: ",
                "… and ",
                "Loopback",
                "127.0.0.1",
            )
        )
        # Each article that did not fit says why, in its one line.
        if line.startswith("article failed: "):
            assert "disk full" in line, line

    filler.unlink()
    read = _newsterm(roomier_disk, "read", article, "--offline")
    assert read.returncode == 0, read.stderr
    assert len(read.stdout.split()) > 50
    again = _newsterm(roomier_disk, "refresh", "--articles", "--source", f"{site_server.url}/news")
    assert again.returncode == 0, again.stderr
    with open_store(roomier_disk / "newsterm.sqlite3") as store:
        assert store.is_saved(article) and store.headline_count() > 0 and store.integrity_ok()
        assert store.info().articles > 1


# -- the library keeps going ---------------------------------------------------------------


async def test_the_library_reports_a_full_disk_and_keeps_serving_the_cache(tmp_path, site_server):
    settings = Settings(
        data_dir=tmp_path, sources=[SourceSettings(f"{site_server.url}/news", "Loopback")]
    )
    library = Library.open(settings)
    try:
        article = site_server.url + sorted(site_article_paths())[0]
        saved = await library.save(article)
        assert saved.error is None
        db = library.store._db
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")

        (status,) = await library.refresh()
        assert status.state == "failed" and status.message.startswith("disk full")
        report = await library.prefetch_articles()
        assert report.fetched == 0 and report.failed == 0  # no listing stored, nothing to fetch
        # Still running, still serving what it had.
        again = await library.open_article(article)
        assert again.from_cache and again.article.title
        assert [s.article.url for s in library.saved()] == [article]
        assert library.search("russia")

        db.execute("PRAGMA max_page_count = 1073741823")
        (status,) = await library.refresh()
        assert status.ok and status.new > 0
    finally:
        await library.aclose()
