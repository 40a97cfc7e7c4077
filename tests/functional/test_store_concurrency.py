"""Two newsterm processes on one cache file at once: both work, nothing is lost or damaged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from newsterm.models import Article, Headline, Source
from newsterm.store import StoreError, open_store
from newsterm.store import errors as store_errors
from newsterm.store import schema as store_schema

ROUNDS = 500
HANG_GUARD = 120  # seconds: a generous bound for a stuck process, not a timing assertion

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from newsterm.models import Article, Headline, Source
    from newsterm.store import open_store

    path, name, go, rounds = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    while not go.exists():
        time.sleep(0.002)
    print(f"start {time.time()}", flush=True)
    with open_store(path) as store:
        own = store.add_source(Source(f"http://127.0.0.1:9/{name}"))
        shared = store.add_source(Source("http://127.0.0.1:9/shared"))
        for n in range(rounds):
            url = f"http://127.0.0.1:9/{name}/{n}"
            store.store_listing(own, [Headline(f"{name} headline {n}", url)])
            # Both processes upsert the same rows of the shared source.
            store.store_listing(
                shared, [Headline(f"shared {n} by {name}", f"http://127.0.0.1:9/shared/{n}")]
            )
            article = Article(url, f"{name} story {n}", f"Text of {name} number {n}.", "md")
            store.put_article(article, raw_html=f"<p>{name} {n}</p>".encode())
            if n % 10 == 0:
                store.set_saved(url, True)
                print(f"saved {url}", flush=True)
    print(f"end {time.time()}", flush=True)
    print("done", flush=True)
    """
)

READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from newsterm.store import open_store

    path, go, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.002)
    reads = 0
    with open_store(path) as store:
        while not stop.exists():
            store.ticker_rows(None, 0, 200)
            store.search("story")
            store.saved()
            store.info()
            reads += 1
    print(f"reads {reads}", flush=True)
    """
)


def _start(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 0, err
    assert err == "", err
    return out


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "newsterm.sqlite3"  # fresh: both also race to create the schema
    go, stop = tmp_path / "go", tmp_path / "stop"
    writers = [_start(WRITER, path, name, go, ROUNDS) for name in ("alpha", "beta")]
    reader = _start(READER, path, go, stop)
    go.touch()
    outputs = [_finish(writer) for writer in writers]
    stop.touch()
    reads = int(_finish(reader).split()[-1])
    assert reads > 0

    lines = [line.split() for out in outputs for line in out.splitlines()]
    saved_urls = {words[1] for words in lines if words[0] == "saved"}
    assert all(out.endswith("done\n") for out in outputs)
    # The two really wrote at the same time (else this test would prove nothing).
    starts = [float(words[1]) for words in lines if words[0] == "start"]
    ends = [float(words[1]) for words in lines if words[0] == "end"]
    assert max(starts) < min(ends)
    assert len(saved_urls) == 2 * ROUNDS // 10
    with open_store(path) as store:
        assert store.integrity_ok()
        info = store.info()
        assert info.articles == 2 * ROUNDS
        assert info.sources == 3
        assert info.headlines == 2 * ROUNDS + ROUNDS  # own ones, and the shared ones once
        assert {s.article.url for s in store.saved()} == saved_urls
        for name in ("alpha", "beta"):
            for n in range(0, ROUNDS, 37):
                stored = store.get_article(f"http://127.0.0.1:9/{name}/{n}", with_raw=True)
                assert stored.article.text == f"Text of {name} number {n}."
                assert stored.raw_html == f"<p>{name} {n}</p>".encode()
        assert len(store.search("alpha story", limit=ROUNDS * 2)) == ROUNDS


def test_two_processes_migrating_an_old_file_at_once_both_succeed(tmp_path):
    path = tmp_path / "newsterm.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for statement in store_schema.statements(store_schema.MIGRATIONS[1]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.close()
    go = tmp_path / "go"
    writers = [_start(WRITER, path, name, go, 20) for name in ("alpha", "beta")]
    go.touch()
    for writer in writers:
        _finish(writer)
    with open_store(path) as store:
        assert store.info().articles == 40 and store.integrity_ok()
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == store_schema.SCHEMA_VERSION


def test_a_write_waits_for_another_writer_instead_of_failing(tmp_path):
    path = tmp_path / "newsterm.sqlite3"
    store = open_store(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock for a while
    released = threading.Event()

    def release_later() -> None:
        time.sleep(0.5)
        other.execute("COMMIT")
        released.set()

    threading.Thread(target=release_later).start()
    source = store.add_source(Source("http://127.0.0.1:9/news"))  # blocks, then succeeds
    assert released.is_set() and source.id is not None
    other.close()
    store.close()


def test_a_write_that_cannot_get_the_lock_fails_in_one_line_and_changes_nothing(
    tmp_path, monkeypatch
):
    path = tmp_path / "newsterm.sqlite3"
    store = open_store(path)
    store.put_article(Article("http://127.0.0.1:9/a/1", "Kept", "Text.", "md"))
    monkeypatch.setattr(store_errors, "WRITE_WAIT_SECONDS", 0.2)
    store._db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as caught:
            store.put_article(Article("http://127.0.0.1:9/a/2", "Lost", "Text.", "md"))
        assert "busy" in str(caught.value) and "\n" not in str(caught.value)
        assert [h.url for h in store.search("kept")] == ["http://127.0.0.1:9/a/1"]  # reads go on
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.put_article(Article("http://127.0.0.1:9/a/2", "Later", "Text.", "md"))
    assert store.info().articles == 2
    store.close()


def test_a_reader_sees_only_whole_listings(tmp_path):
    """WAL readers see a listing entirely or not at all, never half of one."""
    path = tmp_path / "newsterm.sqlite3"
    with open_store(path) as writer, open_store(path) as reader:
        source = writer.add_source(Source("http://127.0.0.1:9/news"))
        counts: set[int] = set()
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                counts.add(reader.headline_count())

        watcher = threading.Thread(target=watch)
        watcher.start()
        for batch in range(20):
            writer.store_listing(
                source,
                [Headline(f"h{batch}-{n}", f"http://127.0.0.1:9/{batch}/{n}") for n in range(250)],
            )
        done.set()
        watcher.join(timeout=HANG_GUARD)
    assert counts <= {250 * k for k in range(21)}


def test_saved_is_committed_before_set_saved_returns(tmp_path):
    """Another process sees a saved article the moment set_saved has returned."""
    path = tmp_path / "newsterm.sqlite3"
    with open_store(path) as store:
        for n in range(10):
            url = f"http://127.0.0.1:9/a/{n}"
            store.put_article(Article(url, f"Story {n}", "Text.", "md"))
            store.set_saved(url, True)
            check = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import sys; from newsterm.store import open_store;"
                    "s = open_store(sys.argv[1]); print(s.is_saved(sys.argv[2]))",
                    str(path),
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=HANG_GUARD,
            )
            assert check.stdout.strip() == "True", check.stderr
