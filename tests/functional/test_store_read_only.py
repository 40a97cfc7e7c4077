"""A cache in a folder (or a file) the user cannot write: read it all, keep nothing, say so once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsterm.models import Article, Headline, Source
from newsterm.store import open_store

NEWSTERM = Path(sys.executable).with_name("newsterm")
ROOT = Path(__file__).resolve().parents[2]
URL = "http://127.0.0.1:9/a/1"

# Tests run as root, for whom permission bits stop nothing. What does stop root is a
# read-only mount: each reading process gets its own mount namespace (unshare) in which
# the folder or file is bind-mounted read-only; nothing outside that process sees it.
_MOUNT_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


def _read_only_command(target: Path, *command: str) -> list[str]:
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        _MOUNT_READ_ONLY,
        "sh",
        str(target),
        *command,
    ]


def _can_mount_read_only(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    try:
        result = subprocess.run(
            _read_only_command(probe, "sh", "-c", f"! touch {probe}/x"),
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return result.returncode == 0


@pytest.fixture
def read_only(tmp_path):
    """Runs a command with a path made read-only for it alone (skips where that is impossible)."""
    if shutil.which("unshare") is None or not _can_mount_read_only(tmp_path):
        pytest.skip("no private read-only mount here (needs unshare and mount rights)")

    def run(target: Path, *command: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            _read_only_command(target, *command),
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=ROOT,
        )

    return run


def _fill(path: Path, *, close: bool = True):
    store = open_store(path)
    source = store.add_source(Source("http://127.0.0.1:9/news", "Loopback"))
    store.store_listing(source, [Headline(f"Kept headline {n}", f"{URL}{n}") for n in range(3)])
    store.put_article(Article(URL, "Kept article", "Body of the kept article.", "Body."))
    store.set_saved(URL, True)
    if close:
        store.close()
    return store


READER = textwrap.dedent(
    """
    import sys
    from newsterm.store import StoreError, open_store
    store = open_store(sys.argv[1])
    print("read_only", store.read_only)
    print("headlines", store.headline_count())
    print("article", store.get_article("http://127.0.0.1:9/a/1").article.title)
    print("saved", len(store.saved()))
    print("search", len(store.search("kept")))
    try:
        store.mark_read("http://127.0.0.1:9/a/10")
    except StoreError as error:
        print("write refused:", error)
    store.close()
    """
)


def _read(read_only, target: Path, db: Path) -> str:
    result = read_only(target, sys.executable, "-c", READER, str(db))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _expect_everything(out: str) -> None:
    assert "read_only True" in out
    assert "headlines 3" in out and "article Kept article" in out
    assert "saved 1" in out and "search 4" in out
    assert "write refused: the cache is read-only: nothing will be kept" in out


def test_a_cache_in_a_read_only_folder_is_read_whole(tmp_path, read_only):
    data = tmp_path / "data"
    _fill(data / "newsterm.sqlite3")
    _expect_everything(_read(read_only, data, data / "newsterm.sqlite3"))
    assert sorted(p.name for p in data.iterdir()) == ["newsterm.sqlite3"]


def test_a_read_only_cache_file_in_a_writable_folder_is_read_whole(tmp_path, read_only):
    data = tmp_path / "data"
    _fill(data / "newsterm.sqlite3")
    _expect_everything(_read(read_only, data / "newsterm.sqlite3", data / "newsterm.sqlite3"))


def test_a_read_only_folder_whose_cache_another_newsterm_has_open(tmp_path, read_only):
    data = tmp_path / "data"
    writer = _fill(data / "newsterm.sqlite3", close=False)  # its WAL and -shm stay beside
    try:
        assert (data / "newsterm.sqlite3-wal").exists()
        _expect_everything(_read(read_only, data, data / "newsterm.sqlite3"))
    finally:
        writer.close()


def test_offline_headlines_from_a_read_only_data_folder(tmp_path, read_only):
    data = tmp_path / "data"
    _fill(data / "newsterm.sqlite3")
    env = {**os.environ, "NEWSTERM_DATA_DIR": str(data)}
    env.pop("NEWSTERM_CONFIG", None)
    command = [str(NEWSTERM)] if NEWSTERM.exists() else [sys.executable, "-m", "newsterm"]
    result = read_only(data, *command, "headlines", "--offline", env=env)
    assert result.returncode == 0, result.stderr
    assert "Kept headline 0" in result.stdout and "Traceback" not in result.stderr


def test_a_read_only_folder_with_a_wal_left_by_a_crash_still_opens(tmp_path, read_only):
    live = tmp_path / "live"
    writer = _fill(live / "newsterm.sqlite3", close=False)
    data = tmp_path / "data"
    data.mkdir()
    try:
        # A crash leaves the WAL beside the file, and no -shm to read it through.
        for name in ("newsterm.sqlite3", "newsterm.sqlite3-wal"):
            shutil.copyfile(live / name, data / name)
    finally:
        writer.close()
    result = read_only(
        data,
        sys.executable,
        "-c",
        "import sys; from newsterm.store import open_store;"
        " store = open_store(sys.argv[1]); print(store.read_only, store.headline_count())",
        str(data / "newsterm.sqlite3"),
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.split() == ["True", "3"]  # what the WAL held is read too
