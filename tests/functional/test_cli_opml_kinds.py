"""`opml export` writes a news page as a page and a feed as a feed, as each refresh found them."""

from __future__ import annotations

from newsterm.store import open_store
from tests.support.hostile import run_newsterm
from tests.support.old_cache import cache_at_schema


def test_opml_export_writes_a_page_source_as_a_page(tmp_path, loopback):
    page, feed = loopback.url + "/news", loopback.url + "/rss"
    refreshed = run_newsterm(tmp_path, "refresh", "--source", page, "--source", feed)
    assert refreshed.returncode == 0, refreshed.stderr
    exported = run_newsterm(tmp_path, "opml", "export")
    assert exported.returncode == 0, exported.stderr
    lines = exported.stdout.splitlines()
    [page_line] = [line for line in lines if f'"{page}"' in line]
    [feed_line] = [line for line in lines if f'"{feed}"' in line]
    assert 'type="link"' in page_line and f'url="{page}"' in page_line
    assert "xmlUrl" not in page_line
    assert 'type="rss"' in feed_line and f'xmlUrl="{feed}"' in feed_line


def test_a_cache_from_before_the_kind_column_gains_it_and_keeps_its_sources(tmp_path):
    path = tmp_path / "newsterm.sqlite3"
    db = cache_at_schema(path, 5)  # the schema before the kind column
    db.execute(
        "INSERT INTO sources (url, name, timezone, added_at) VALUES (?, 'N', 'UTC', 0)",
        ("https://example.org/n",),
    )
    db.close()
    store = open_store(path)
    assert [s.url for s in store.sources()] == ["https://example.org/n"]
    assert store.source_kinds() == {}
    store.set_source_kind("https://example.org/n", "page")
    assert store.source_kinds() == {"https://example.org/n": "page"}
    store.close()
