"""A cache file at an earlier schema, made with the frozen migrations that release ran."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsterm.store import schema as store_schema
from newsterm.store.records import url_key


def cache_at_schema(path: Path, version: int, *, wal: bool = True) -> sqlite3.Connection:
    """A new cache file brought to schema `version` and no further (migrations never change
    once released, so this is the SQL that release ran); an open autocommit connection to
    fill it as that release would have."""
    db = sqlite3.connect(path, isolation_level=None)
    db.create_function("url_key", 1, url_key, deterministic=True)
    if wal:
        db.execute("PRAGMA journal_mode = WAL")
    for step in range(1, version + 1):
        for statement in store_schema.statements(store_schema.MIGRATIONS[step]):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {version}")
    return db
