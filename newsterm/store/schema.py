"""The cache's schema: every migration from an empty file to the current version, in order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from newsterm.store.errors import StoreError, begin_immediate, rollback

SCHEMA_VERSION = 9

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        timezone TEXT NOT NULL DEFAULT 'Europe/Kyiv',
        added_at REAL NOT NULL
    );
    CREATE TABLE fetch_state (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,
        last_error TEXT,
        last_attempt REAL,
        last_success REAL,
        next_try REAL
    );
    CREATE TABLE headlines (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        label TEXT,
        category TEXT,
        summary TEXT,
        published TEXT,
        sort_key REAL NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        read_at REAL,
        UNIQUE (source_id, url)
    );
    CREATE INDEX headlines_by_time ON headlines (sort_key DESC, id);
    CREATE INDEX headlines_by_source_time ON headlines (source_id, sort_key DESC, id);
    CREATE INDEX headlines_by_url ON headlines (url);
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        final_url TEXT,
        title TEXT NOT NULL,
        byline TEXT,
        published TEXT,
        modified TEXT,
        lead TEXT,
        text TEXT NOT NULL,
        markdown TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        lead_image TEXT,
        images TEXT NOT NULL DEFAULT '[]',
        site_name TEXT,
        language TEXT,
        method TEXT NOT NULL,
        extractor_version INTEGER NOT NULL,
        raw_html BLOB,
        content_type TEXT,
        fetched_at REAL NOT NULL,
        opened_at REAL,
        size INTEGER NOT NULL
    );
    CREATE INDEX articles_by_fetch ON articles (fetched_at);
    CREATE TABLE saved (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE RESTRICT,
        saved_at REAL NOT NULL
    );
    CREATE TABLE revisions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        markdown TEXT NOT NULL,
        published TEXT,
        modified TEXT,
        fetched_at REAL NOT NULL,
        replaced_at REAL NOT NULL,
        change TEXT NOT NULL
    );
    CREATE INDEX revisions_by_article ON revisions (article_id, replaced_at);
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO article_search(article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE VIRTUAL TABLE headline_search USING fts5(
        title, content='headlines', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER headlines_ai AFTER INSERT ON headlines BEGIN
        INSERT INTO headline_search(rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER headlines_ad AFTER DELETE ON headlines BEGIN
        INSERT INTO headline_search(headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER headlines_au AFTER UPDATE OF title ON headlines BEGIN
        INSERT INTO headline_search(headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO headline_search(rowid, title) VALUES (new.id, new.title);
    END;
    """,
    # Version 2: the raw page moves to its own table and the articles' small columns come
    # first, so reading sizes, dates or metadata no longer walks the overflow pages of the
    # text; indexes for eviction and redirect lookups; prefix indexes and a title-weighted
    # rank for search; search triggers that skip updates which change no indexed text.
    2: """
    CREATE TABLE articles_v2 (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        final_url TEXT,
        fetched_at REAL NOT NULL,
        opened_at REAL,
        size INTEGER NOT NULL,
        extractor_version INTEGER NOT NULL,
        method TEXT NOT NULL,
        content_type TEXT,
        published TEXT,
        modified TEXT,
        byline TEXT,
        site_name TEXT,
        language TEXT,
        lead_image TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        images TEXT NOT NULL DEFAULT '[]',
        title TEXT NOT NULL,
        lead TEXT,
        text TEXT NOT NULL,
        markdown TEXT NOT NULL
    );
    INSERT INTO articles_v2 (id, url, final_url, fetched_at, opened_at, size,
        extractor_version, method, content_type, published, modified, byline, site_name,
        language, lead_image, tags, images, title, lead, text, markdown)
    SELECT id, url, final_url, fetched_at, opened_at, size, extractor_version, method,
        content_type, published, modified, byline, site_name, language, lead_image, tags,
        images, title, lead, text, markdown
    FROM articles;
    CREATE TABLE article_pages (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        raw_html BLOB NOT NULL
    );
    INSERT INTO article_pages (article_id, raw_html)
    SELECT id, raw_html FROM articles WHERE raw_html IS NOT NULL;
    DROP TRIGGER articles_ai;
    DROP TRIGGER articles_ad;
    DROP TRIGGER articles_au;
    DROP TABLE article_search;
    DROP TABLE articles;
    ALTER TABLE articles_v2 RENAME TO articles;
    CREATE INDEX articles_by_final_url ON articles (final_url) WHERE final_url IS NOT NULL;
    CREATE INDEX articles_by_age ON articles (coalesce(opened_at, fetched_at), size);
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    );
    INSERT INTO article_search (article_search, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
    INSERT INTO article_search (article_search) VALUES ('rebuild');
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO article_search (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO article_search (article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles
    WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
        INSERT INTO article_search (article_search, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO article_search (rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    DROP TRIGGER headlines_ai;
    DROP TRIGGER headlines_ad;
    DROP TRIGGER headlines_au;
    DROP TABLE headline_search;
    CREATE VIRTUAL TABLE headline_search USING fts5(
        title, content='headlines', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    );
    INSERT INTO headline_search (headline_search) VALUES ('rebuild');
    CREATE TRIGGER headlines_ai AFTER INSERT ON headlines BEGIN
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER headlines_ad AFTER DELETE ON headlines BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER headlines_au AFTER UPDATE OF title ON headlines
    WHEN old.title IS NOT new.title BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE INDEX headlines_by_last_seen ON headlines (last_seen);
    """,
    # Version 3: revisions carry their size (counted in the cache budget), in a column
    # read before the text, so sizing them never walks the text's overflow pages.
    3: """
    CREATE TABLE revisions_v3 (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        size INTEGER NOT NULL,
        fetched_at REAL NOT NULL,
        replaced_at REAL NOT NULL,
        published TEXT,
        modified TEXT,
        change TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        markdown TEXT NOT NULL
    );
    INSERT INTO revisions_v3 (id, article_id, size, fetched_at, replaced_at, published,
        modified, change, title, text, markdown)
    SELECT id, article_id, length(CAST(text AS BLOB)) + length(CAST(markdown AS BLOB)),
        fetched_at, replaced_at, published, modified, change, title, text, markdown
    FROM revisions;
    DROP TABLE revisions;
    ALTER TABLE revisions_v3 RENAME TO revisions;
    CREATE INDEX revisions_by_article ON revisions (article_id, replaced_at);
    -- Headlines: the URL was indexed twice (UNIQUE (source_id, url) and headlines_by_url),
    -- two copies of every URL. One unique index on a 64-bit key of the URL (url_key, see
    -- records.url_key) serves the upsert and every lookup by URL, at ~19 bytes a row.
    CREATE TABLE headlines_v3 (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        url_key INTEGER NOT NULL,
        sort_key REAL NOT NULL,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        read_at REAL,
        published TEXT,
        label TEXT,
        category TEXT,
        summary TEXT,
        url TEXT NOT NULL,
        title TEXT NOT NULL
    );
    CREATE UNIQUE INDEX headlines_v3_by_url ON headlines_v3 (url_key, source_id);
    INSERT OR IGNORE INTO headlines_v3 (id, source_id, url_key, sort_key, first_seen,
        last_seen, read_at, published, label, category, summary, url, title)
    SELECT id, source_id, url_key(url), sort_key, first_seen, last_seen, read_at, published,
        label, category, summary, url, title
    FROM headlines ORDER BY id;
    DROP TABLE headlines;
    ALTER TABLE headlines_v3 RENAME TO headlines;
    DROP INDEX headlines_v3_by_url;
    CREATE UNIQUE INDEX headlines_by_url ON headlines (url_key, source_id);
    CREATE INDEX headlines_by_time ON headlines (sort_key DESC, id);
    CREATE INDEX headlines_by_source_time ON headlines (source_id, sort_key DESC, id);
    CREATE INDEX headlines_by_last_seen ON headlines (last_seen);
    INSERT INTO headline_search (headline_search) VALUES ('rebuild');
    CREATE TRIGGER headlines_ai AFTER INSERT ON headlines BEGIN
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER headlines_ad AFTER DELETE ON headlines BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER headlines_au AFTER UPDATE OF title ON headlines
    WHEN old.title IS NOT new.title BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    """,
    # Version 4: the news desk. Each headline keeps its story id (stories.StoryIndex), so
    # start-up never regroups the cache, and whether a mute rule hides it, so every ticker
    # query filters muted rows exactly in SQL; both are set by newsterm.library.desk after a
    # refresh stores new rows (story NULL: not grouped yet). Watch and mute rules are kept
    # by the text the user wrote and a folded key that makes "Kyiv" and "KYIV" one rule.
    4: """
    ALTER TABLE headlines ADD COLUMN story TEXT;
    ALTER TABLE headlines ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX headlines_by_story ON headlines (story) WHERE story IS NOT NULL;
    CREATE INDEX headlines_ungrouped ON headlines (id) WHERE story IS NULL;
    CREATE INDEX headlines_muted ON headlines (id) WHERE muted;
    CREATE TABLE desk_rules (
        id INTEGER PRIMARY KEY,
        list TEXT NOT NULL CHECK (list IN ('watch', 'mute')),
        rule_key TEXT NOT NULL,
        text TEXT NOT NULL,
        added_at REAL NOT NULL,
        UNIQUE (list, rule_key)
    );
    CREATE TABLE desk_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # Version 5: a headline's time is said once. Its instant was kept twice, as ISO text and
    # as the sort key; now the row keeps only the sort key and the offset (minutes) the
    # site wrote it with, and `published` is a virtual column that writes the ISO text back
    # (whole seconds) when read. And headline search keeps no prefix indexes: a prefix
    # query walks the term index instead, about as fast for titles, at a third of the size.
    # Together about 70 bytes less per headline, which at a million headlines is 70 MB.
    5: """
    ALTER TABLE headlines ADD COLUMN published_offset INTEGER;
    UPDATE headlines SET published_offset =
        (CASE substr(published, -6, 1) WHEN '-' THEN -1 ELSE 1 END)
        * (CAST(substr(published, -5, 2) AS INTEGER) * 60 + CAST(substr(published, -2) AS INTEGER))
    WHERE published IS NOT NULL;
    ALTER TABLE headlines DROP COLUMN published;
    ALTER TABLE headlines ADD COLUMN published TEXT GENERATED ALWAYS AS (
        CASE WHEN published_offset IS NOT NULL THEN
            strftime('%Y-%m-%dT%H:%M:%S', sort_key + published_offset * 60, 'unixepoch')
            || (CASE WHEN published_offset < 0 THEN '-' ELSE '+' END)
            || printf('%02d:%02d', abs(published_offset) / 60, abs(published_offset) % 60)
        END
    ) VIRTUAL;
    DROP TRIGGER headlines_ai;
    DROP TRIGGER headlines_ad;
    DROP TRIGGER headlines_au;
    DROP TABLE headline_search;
    CREATE VIRTUAL TABLE headline_search USING fts5(
        title, content='headlines', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO headline_search (headline_search) VALUES ('rebuild');
    CREATE TRIGGER headlines_ai AFTER INSERT ON headlines BEGIN
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER headlines_ad AFTER DELETE ON headlines BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER headlines_au AFTER UPDATE OF title ON headlines
    WHEN old.title IS NOT new.title BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    """,
    # Version 6: what each source's URL is ("page" or "feed"), learnt on refresh, so that
    # an OPML export writes a news page as a page and a feed as a feed.
    6: """
    ALTER TABLE sources ADD COLUMN kind TEXT;
    """,
    # Version 7: a story id is a number, the id of the story's first headline (a row of the
    # story, so no two stories share one), no longer the text of its first URL: about 3
    # bytes a row instead of ~30, and as much again in headlines_by_story. A stored text id
    # becomes the id of the earliest headline holding it. SQLite cannot retype a column
    # (and a TEXT column would turn stored numbers back into text), so the ids go into a
    # new INTEGER column that takes the old one's name; the indexes on it are remade.
    7: """
    ALTER TABLE headlines ADD COLUMN story_number INTEGER;
    UPDATE headlines SET story_number =
        (SELECT min(first.id) FROM headlines first WHERE first.story = headlines.story)
    WHERE story IS NOT NULL;
    DROP INDEX headlines_by_story;
    DROP INDEX headlines_ungrouped;
    ALTER TABLE headlines DROP COLUMN story;
    ALTER TABLE headlines RENAME COLUMN story_number TO story;
    CREATE INDEX headlines_by_story ON headlines (story) WHERE story IS NOT NULL;
    CREATE INDEX headlines_ungrouped ON headlines (id) WHERE story IS NULL;
    """,
    # Version 8: an article keeps its body as the extractor's blocks (JSON, see
    # newsterm.store.blocks_json), which the reader draws without parsing Markdown
    # back; a revision keeps the blocks it had. NULL: cached before blocks were kept (the
    # reader shows such an article's plain text; opening it extracts it again).
    8: """
    ALTER TABLE articles ADD COLUMN blocks TEXT;
    ALTER TABLE revisions ADD COLUMN blocks TEXT;
    """,
    # Version 9: fewer bytes per headline (issue 13).
    # - Headline search keeps no title lengths (columnsize=0): bm25 counts the length of
    #   the few titles it ranks by reading them (about 10 bytes a headline less). Word
    #   positions stay (detail=none would halve the index, but a prefix search, each
    #   keystroke while typing, merged and ranked ~3x slower at 100,000 headlines).
    # - A headline not grouped yet holds a placeholder story, -id, rather than NULL: the
    #   story the desk writes later (a row id, never above the row's own) then takes no
    #   more bytes than the placeholder, so the row is rewritten in place instead of
    #   splitting its page (which left the table a tenth empty). A negative story means
    #   "not grouped yet"; the few negative stories an older release handed out (only
    #   after a hand edit) are renumbered above every row id and story.
    # - No index of last_seen: rows are numbered as they are first seen, so eviction
    #   (store.headlines.FIRST_SEEN_SLACK) and "added since" walk ids from an end.
    9: """
    -- IF EXISTS: a file whose version was set back by hand runs this again.
    DROP INDEX IF EXISTS headlines_by_last_seen;
    UPDATE headlines SET story = (
        SELECT max(coalesce(max(id), 0),
                   coalesce(max(CASE WHEN typeof(story) = 'integer' THEN story END), 0))
        FROM headlines
    ) - story + 1
    WHERE typeof(story) = 'integer' AND story < 0;
    UPDATE headlines SET story = -id WHERE story IS NULL;
    DROP INDEX headlines_by_story;
    DROP INDEX headlines_ungrouped;
    CREATE INDEX headlines_by_story ON headlines (story) WHERE story >= 0;
    CREATE INDEX headlines_ungrouped ON headlines (id) WHERE story < 0;
    DROP TRIGGER headlines_ai;
    DROP TRIGGER headlines_ad;
    DROP TRIGGER headlines_au;
    DROP TABLE headline_search;
    CREATE VIRTUAL TABLE headline_search USING fts5(
        title, content='headlines', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', columnsize=0
    );
    INSERT INTO headline_search (headline_search) VALUES ('rebuild');
    CREATE TRIGGER headlines_ai AFTER INSERT ON headlines BEGIN
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER headlines_ad AFTER DELETE ON headlines BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER headlines_au AFTER UPDATE OF title ON headlines
    WHEN old.title IS NOT new.title BEGIN
        INSERT INTO headline_search (headline_search, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO headline_search (rowid, title) VALUES (new.id, new.title);
    END;
    """,
}


def statements(script: str) -> list[str]:
    """Split a migration into statements (triggers hold `;` inside BEGIN … END)."""
    parts: list[str] = []
    current = ""
    for line in script.strip().splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            parts.append(current.strip())
            current = ""
    if current.strip():
        parts.append(current.strip())
    return parts


def migrate(db: sqlite3.Connection, path: Path) -> bool:
    """Bring the file to SCHEMA_VERSION; True when this call created the schema (a new file)."""
    created = False
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer newsterm (schema {version}); upgrade newsterm"
        )
    if version == SCHEMA_VERSION:
        return created
    # Rebuilding a table that others reference needs foreign keys off (SQLite's own
    # procedure for schema changes); foreign_key_check proves nothing was left dangling.
    db.execute("PRAGMA foreign_keys = OFF")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        begin_immediate(db)
        try:
            # Another instance may have migrated while we waited for the lock.
            if db.execute("PRAGMA user_version").fetchone()[0] >= target:
                db.execute("ROLLBACK")
                continue
            for statement in statements(MIGRATIONS[target]):
                db.execute(statement)
            if target == 1:
                created = True
            if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise StoreError(f"migrating {path} to schema {target} broke a reference")
            db.execute(f"PRAGMA user_version = {target}")
            db.execute("COMMIT")
        except BaseException:
            rollback(db)
            raise
    return created
