"""Saved articles rescued from a damaged cache file that was moved aside at open."""

from __future__ import annotations

import shutil
import sqlite3
import struct
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsterm.models import Source
from newsterm.store.articles import ArticleRoom
from newsterm.store.errors import StoreError
from newsterm.store.records import article_from_row, compress, decompress
from newsterm.store.sources import SourceRoom


class SalvageRoom(SourceRoom, ArticleRoom):
    """Copies sources and saved articles over from a moved-aside file, resuming if cut off."""

    @property
    def salvage_marker(self) -> Path:
        """The file naming a moved-aside file whose saved articles are still to be copied."""
        return self.path.with_name(self.path.name + ".salvage")

    def finish_open(self) -> None:
        """Salvage from a file moved aside at open (done after the fresh schema exists).

        Also finishes a salvage that an earlier start began but did not complete.
        """
        if self.read_only or self._in_memory:
            return  # nothing was moved aside, and nothing could be salvaged into this file
        if self._pending_salvage is None:
            try:
                name = self.salvage_marker.read_text(encoding="utf-8").strip()
            except OSError:
                name = ""
            if name and "/" not in name and self.path.with_name(name).exists():
                self._pending_salvage = self.moved_aside = self.path.with_name(name)
        aside = self._pending_salvage
        if aside is not None:
            self._pending_salvage = None
            self.salvaged = self._salvage_from(aside)
        self.salvage_marker.unlink(missing_ok=True)

    def _salvage_from(self, aside: Path) -> int:
        """Copy the sources and saved articles that SQLite can still read from `aside`."""
        copied = 0
        try:
            with readable(aside) as old:
                for row in rows_or_empty(old, "SELECT url, name, timezone FROM sources"):
                    try:
                        self.add_source(Source(row["url"], row["name"], row["timezone"]))
                    except (StoreError, IndexError, TypeError):
                        continue
                pages = rows_or_empty(
                    old, "SELECT 1 FROM sqlite_master WHERE name = 'article_pages'"
                )
                for saved in rows_or_empty(old, "SELECT article_id, saved_at FROM saved"):
                    if self._salvage_one(old, saved[0], saved[1], bool(pages)):
                        copied += 1
        except (sqlite3.Error, OSError):
            pass  # whatever was copied before the damage stopped us is kept
        return copied

    def _salvage_one(
        self, old: sqlite3.Connection, article_id: int, saved_at: float, v2: bool
    ) -> bool:
        try:
            row = old.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return False
            article = article_from_row(row)
            fetched_at, final_url, content_type = (
                row["fetched_at"],
                row["final_url"],
                row["content_type"],
            )
        except (sqlite3.Error, IndexError, TypeError, ValueError):
            return False
        raw: bytes | None = None
        try:
            if v2:
                page = old.execute(
                    "SELECT raw_html FROM article_pages WHERE article_id = ?", (article_id,)
                ).fetchone()
                raw = decompress(page[0]) if page else None
            else:
                raw = decompress(row["raw_html"])
        except (sqlite3.Error, IndexError):
            raw = None  # the article itself is worth keeping without its page
        try:
            with self._write(durable=True) as db:
                self._put_article(
                    db, article, compress(raw), content_type, final_url, float(fetched_at)
                )
                db.execute(
                    "INSERT INTO saved (article_id, saved_at)"
                    " SELECT id, ? FROM articles WHERE url = ? ON CONFLICT DO NOTHING",
                    (saved_at if saved_at is not None else time.time(), article.url),
                )
        except StoreError:
            return False
        return True


@contextmanager
def readable(aside: Path) -> Iterator[sqlite3.Connection]:
    """Open a moved-aside file for reading whatever is left in it, without changing it.

    A file with its WAL, or cut short, is read from a copy: the WAL has to be replayed, and
    a cut-off file is padded back to the size its header states, since SQLite calls every
    table of a short file malformed while the pages that survived read normally once padded.
    """
    wal = aside.with_name(aside.name + "-wal")
    if not wal.exists() and not looks_truncated(aside):
        # immutable: no locks, no -wal/-shm files created beside a damaged file.
        db = sqlite3.connect(f"{aside.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        db.row_factory = sqlite3.Row
        try:
            yield db
        finally:
            db.close()
        return
    with tempfile.TemporaryDirectory(prefix=".salvage-", dir=aside.parent) as folder:
        copy = Path(folder) / "salvage.sqlite3"
        shutil.copyfile(aside, copy)
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        pad_to_header_size(copy)
        db = sqlite3.connect(copy)
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA query_only = ON")
            yield db
        finally:
            db.close()


def rows_or_empty(db: sqlite3.Connection, sql: str) -> list[sqlite3.Row]:
    """The rows of a query on a damaged file, or none if the damage is in the way."""
    try:
        return db.execute(sql).fetchall()
    except sqlite3.Error:
        return []


def header_size(header: bytes) -> int | None:
    """The file size a database header states (page size × page count), if it is a header."""
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    return page_size * struct.unpack(">I", header[28:32])[0]


def looks_truncated(path: Path) -> bool:
    """Whether a database file is shorter than its header says."""
    try:
        with path.open("rb") as handle:
            expected = header_size(handle.read(100))
        return expected is not None and path.stat().st_size < expected
    except OSError:
        return False


def pad_to_header_size(path: Path) -> None:
    with path.open("r+b") as handle:
        expected = header_size(handle.read(100))
        size = handle.seek(0, 2)
        if expected is not None and size < expected:
            handle.truncate(expected)  # sparse zeros: cheap even for a large file
