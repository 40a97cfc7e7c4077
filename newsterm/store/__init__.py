"""The SQLite cache, one room per thing kept, behind one `Store` facade."""

# Rooms, each a mixin over the one shared connection (connection.py): schema (migrations),
# errors (one-line errors, transactions), records (what is handed out), sources (and fetch
# state), headlines (stored in bulk), ticker (keyset pages and jumps), articles (and
# revisions), saved, search (FTS5), maintenance (evict, info, vacuum, integrity), salvage
# (a damaged file's saved articles), desk (stories, mute flags, watch and mute rules).
# Only this package imports sqlite3.

from __future__ import annotations

from pathlib import Path

from newsterm.store.articles import MAX_REVISIONS
from newsterm.store.connection import BUSY_TIMEOUT_MS, WAL_SIZE_LIMIT
from newsterm.store.desk import MUTE_FINGERPRINT, RULE_LISTS, DeskRoom
from newsterm.store.errors import WRITE_WAIT_SECONDS, StoreCorrupt, StoreError
from newsterm.store.headlines import HeadlineRoom
from newsterm.store.maintenance import MaintenanceRoom
from newsterm.store.records import (
    ArticleContext,
    CacheInfo,
    FetchState,
    RefreshCounts,
    Revision,
    SearchHit,
    StoredArticle,
    TickerRow,
)
from newsterm.store.salvage import SalvageRoom
from newsterm.store.saved import SavedRoom
from newsterm.store.schema import SCHEMA_VERSION
from newsterm.store.search import (
    MATCH_END,
    MATCH_START,
    MAX_QUERY_WORDS,
    SEARCH_CANDIDATES,
    SearchRoom,
    fts_query,
)
from newsterm.store.ticker import TickerRoom

__all__ = [
    "ArticleContext",
    "BUSY_TIMEOUT_MS",
    "MATCH_END",
    "MAX_REVISIONS",
    "MATCH_START",
    "MAX_QUERY_WORDS",
    "MUTE_FINGERPRINT",
    "RULE_LISTS",
    "SCHEMA_VERSION",
    "SEARCH_CANDIDATES",
    "WAL_SIZE_LIMIT",
    "WRITE_WAIT_SECONDS",
    "CacheInfo",
    "FetchState",
    "RefreshCounts",
    "Revision",
    "SearchHit",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoredArticle",
    "TickerRow",
    "fts_query",
    "open_store",
]


class Store(
    TickerRoom, HeadlineRoom, DeskRoom, SavedRoom, SearchRoom, MaintenanceRoom, SalvageRoom
):
    """The one SQLite file; every method is a short transaction, safe to share between threads.

    Several processes may use the same file at once: WAL lets readers run beside the one
    writer, and every write takes the write lock up front (BEGIN IMMEDIATE), waiting and
    retrying while another process holds it.
    """


def open_store(path: Path | str, *, read_only: bool = False) -> Store:
    """Open (creating, migrating or repairing) the cache file.

    A file SQLite cannot read is renamed to `<name>.corrupt-<timestamp>` (see
    `Store.moved_aside`), a fresh one is created, and the saved articles SQLite can still
    read from the old one are copied over (`Store.salvaged`).
    """
    store = Store(path, read_only=read_only)
    store.finish_open()
    return store
