"""Full-text search (FTS5) over cached articles, then headlines whose article is not cached."""

from __future__ import annotations

import re
import sqlite3

from newsterm.store import errors
from newsterm.store.connection import StoreConnection
from newsterm.store.records import SearchHit, parse_time, text

# Search ranks the newest this-many matches of a query: a word found in most articles
# would otherwise cost a bm25 score per matching article (100 ms+ over 100,000 of them).
SEARCH_CANDIDATES = 2000
# Words of a query beyond this are dropped: an AND of more words finds nothing anyway.
MAX_QUERY_WORDS = 32
# Markers around matched words in search snippets. Control characters can never occur in
# stored text (sanitize.clean_text removes them), so they cannot be confused with content.
MATCH_START = "\x02"
MATCH_END = "\x03"


class SearchRoom(StoreConnection):
    """Search the cache: quoted words, prefix while typing, bm25 over the newest matches."""

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over cached articles, then headlines not cached, best first.

        The user's words are quoted for FTS5, so no input is a syntax error. Whole words are
        tried first; when they find fewer than `limit`, the last word also matches as a
        prefix, so results appear while typing. (Prefix matching merges the index entries
        of every word that starts so: skipping it when whole words suffice keeps a common
        word's search fast.) Scores are bm25 with the title weighted five times the text,
        over the newest SEARCH_CANDIDATES matches.
        """
        exact = fts_query(query, prefix=False)
        typing = fts_query(query)
        if not exact or limit <= 0:
            return []
        with self._lock:
            try:
                hits = self._search_articles(exact, limit)
                if len(hits) < limit and typing != exact:
                    hits = self._search_articles(typing, limit)
                if len(hits) < limit:
                    seen = {hit.url for hit in hits}
                    more = self._search_headlines(exact, limit - len(hits), set(seen))
                    if len(more) < limit - len(hits) and typing != exact:
                        more = self._search_headlines(typing, limit - len(hits), set(seen))
                    hits += more
            except sqlite3.Error as error:
                if errors.primary_code(error) == errors.SQLITE_ERROR and "fts5" in str(error):
                    return []  # a query FTS5 cannot parse finds nothing; it is not a failure
                raise self._error(error) from None
        return hits

    def _search_articles(self, match: str, limit: int) -> list[SearchHit]:
        ranked = best_matches(self._db, "article_search", match, limit)
        if not ranked:
            return []
        ids = [rowid for rowid, _ in ranked]
        snippets = marked_text(
            self._db,
            "article_search",
            "snippet(article_search, 1, ?, ?, '…', 16)",
            match,
            ids,
        )
        marks = ",".join("?" * len(ids))
        rows = {
            r["id"]: r
            for r in self._db.execute(
                f"SELECT id, url, title, published FROM articles WHERE id IN ({marks})", ids
            )
        }
        return [
            SearchHit(
                text(rows[rowid]["url"]),
                text(rows[rowid]["title"]),
                text(snippets.get(rowid)),
                parse_time(rows[rowid]["published"]),
                True,
                score,
            )
            for rowid, score in ranked
            if rowid in rows
        ]

    def _search_headlines(self, match: str, limit: int, seen: set[str]) -> list[SearchHit]:
        # Several sources may list the same article: rank more rows than needed, then keep
        # the best row per URL.
        ranked = best_matches(self._db, "headline_search", match, (limit + len(seen)) * 3)
        if not ranked:
            return []
        ids = [rowid for rowid, _ in ranked]
        titles = marked_text(
            self._db, "headline_search", "highlight(headline_search, 0, ?, ?)", match, ids
        )
        marks = ",".join("?" * len(ids))
        rows = {
            r["id"]: r
            for r in self._db.execute(
                f"SELECT id, url, title, published FROM headlines WHERE id IN ({marks})", ids
            )
        }
        hits: list[SearchHit] = []
        for rowid, score in ranked:
            row = rows.get(rowid)
            if row is None or text(row["url"]) in seen:
                continue
            seen.add(text(row["url"]))
            hits.append(
                SearchHit(
                    text(row["url"]),
                    text(row["title"]),
                    text(titles.get(rowid) or row["title"]),
                    parse_time(row["published"]),
                    False,
                    score,
                )
            )
            if len(hits) == limit:
                break
        cached = self.cached_urls([hit.url for hit in hits])
        for hit in hits:
            hit.cached = hit.url in cached
        return hits


def fts_query(query: str, *, prefix: bool = True) -> str:
    """Turn what a user typed into a safe FTS5 query: every word quoted, the last a prefix.

    Only letters and digits survive, so operators, quotes and column filters in the input
    are plain words or nothing. With `prefix`, the last word is a prefix if the input ends
    with it and it has two letters or more (one letter would match most of the index).
    """
    typed = _WORD.findall(query)
    words = list(dict.fromkeys(word.lower() for word in typed))[:MAX_QUERY_WORDS]
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    trailing = _TRAILING_WORD.search(query)
    if prefix and trailing and len(trailing.group()) >= 2 and trailing.group().lower() == words[-1]:
        quoted[-1] += "*"
    return " ".join(quoted)


_WORD = re.compile(r"[^\W_]+")
_TRAILING_WORD = re.compile(r"[^\W_]+\Z")


# -- search pieces ---------------------------------------------------------------------------


def best_matches(
    db: sqlite3.Connection, table: str, match: str, limit: int
) -> list[tuple[int, float]]:
    """The best-ranked rows of a match among its newest SEARCH_CANDIDATES, as (rowid, score).

    Walking the match newest first and stopping early bounds the work however common the
    words are; the bm25 sort of those few thousand happens here, not in SQLite's sorter.
    """
    rows = db.execute(
        f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
        (match, SEARCH_CANDIDATES),
    ).fetchall()
    rows.sort(key=lambda row: (row[1], -row[0]))
    return [(row[0], row[1]) for row in rows[:limit]]


def marked_text(
    db: sqlite3.Connection, table: str, function: str, match: str, ids: list[int]
) -> dict[int, str]:
    """Snippets (or highlights) for just these rows of a match.

    Auxiliary functions only work inside the MATCH query. The CASE keeps SQLite from
    building a snippet for the other matching rows in the rowid range, and one range scan
    costs far less than one MATCH per row.
    """
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT rowid, CASE WHEN rowid IN ({marks}) THEN {function} END FROM {table}"
        f" WHERE {table} MATCH ? AND rowid BETWEEN ? AND ?",
        (*ids, MATCH_START, MATCH_END, match, min(ids), max(ids)),
    )
    return {row[0]: row[1] for row in rows if row[1] is not None}
