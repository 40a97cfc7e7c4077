"""The installed `newsterm` command against the loopback copy of the site, with a temp data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.loopback import SITE_ORIGIN, SITE_ROOT, LoopbackServer, Reply

EXPECTED = json.loads((SITE_ROOT / "news.expected.json").read_text(encoding="utf-8"))
ARTICLE = json.loads((SITE_ROOT / "article.expected.json").read_text(encoding="utf-8"))
NEWSTERM = Path(sys.executable).with_name("newsterm")


def run(
    data_dir: Path, *args: str, check: bool = True, tz: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed command with a private data dir and no config file of the user's
    (and, given `tz`, with the machine's zone set to it)."""
    env = {**os.environ, "NEWSTERM_DATA_DIR": str(data_dir)}
    if tz:
        env["TZ"] = tz
    env.pop("NEWSTERM_CONFIG", None)
    env["XDG_CONFIG_HOME"] = str(data_dir / "config-home")  # no user config is read
    command = [str(NEWSTERM)] if NEWSTERM.exists() else [sys.executable, "-m", "newsterm"]
    result = subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}: {result.stderr}")
    return result


def local(server: LoopbackServer, url: str) -> str:
    """The loopback copy's address of a URL on the real site."""
    return url.replace(SITE_ORIGIN, server.url)


def test_headlines_json_matches_the_site(tmp_path, loopback):
    out = run(tmp_path, "headlines", "--json", "--source", f"{loopback.url}/news")
    items = json.loads(out.stdout)
    assert [i["title"] for i in items] == [e["title"] for e in EXPECTED["items"]]
    assert [i["url"] for i in items] == [local(loopback, e["href"]) for e in EXPECTED["items"]]
    assert [i["published"] for i in items] == [e["published"] for e in EXPECTED["items"]]
    assert [i["label"] for i in items] == [e["label"] for e in EXPECTED["items"]]
    assert {i["source"] for i in items} == {f"{loopback.url}/news"}


def test_headlines_print_day_groups_times_and_labels_as_the_site(tmp_path, loopback):
    # The machine is in New York; the times are the site's own (Kyiv), as it shows them.
    source = f"{loopback.url}/news"
    out = run(tmp_path, "headlines", "--source", source, tz="America/New_York")
    lines = out.stdout.splitlines()
    assert lines[0] == "2025, Friday · 16 May"
    assert lines[1] == f"19:58  {EXPECTED['items'][0]['title']}"
    assert lines[3] == f"19:20  UPDATED  {EXPECTED['items'][2]['title']}"
    assert lines[4] == f"19:17  EXCLUSIVE  {EXPECTED['items'][3]['title']}"
    header = lines.index("2025, Thursday · 15 May")
    assert lines[header - 1] == ""
    assert len([line for line in lines if line[2:3] == ":"]) == 40


@pytest.mark.parametrize(
    ("flags", "first_time"),
    [
        (["--tz", "UTC"], "16:58"),  # 19:58 in Kyiv (UTC+3)
        (["--tz", "local"], "12:58"),  # the machine's zone: New York (UTC-4 in May)
        (["--tz", "Asia/Tokyo"], "01:58"),  # the next day there
    ],
)
def test_headlines_shown_in_another_zone_keep_their_instant(tmp_path, loopback, flags, first_time):
    source = f"{loopback.url}/news"
    out = run(
        tmp_path, "headlines", *flags, "--limit", "1", "--source", source, tz="America/New_York"
    )
    assert out.stdout.splitlines()[1].startswith(f"{first_time}  ")


def test_refresh_is_conditional_and_never_duplicates(tmp_path, loopback):
    source = f"{loopback.url}/news"
    run(tmp_path, "refresh", "--source", source)
    run(tmp_path, "refresh", "--source", source)
    assert loopback.last_headers("/news").get("if-none-match")
    info = json.loads(run(tmp_path, "cache", "info", "--json").stdout)
    assert info["headlines"] == 40


def test_a_failed_refresh_keeps_what_was_cached(tmp_path, loopback):
    source = loopback.route("/flaky", (SITE_ROOT / "news.html").read_bytes())
    run(tmp_path, "refresh", "--source", source)
    loopback.route("/flaky", status=500)
    failed = run(tmp_path, "refresh", "--source", source, check=False)
    assert failed.returncode == 1
    assert "HTTP 500" in failed.stderr
    offline = json.loads(run(tmp_path, "headlines", "--json", "--offline").stdout)
    assert len(offline) == 40


def test_a_truncated_listing_deletes_nothing(tmp_path, loopback):
    page = (SITE_ROOT / "news.html").read_bytes()
    source = loopback.route("/cut", page)
    run(tmp_path, "refresh", "--source", source)
    loopback.route("/cut", page, truncate_to=len(page) // 3)
    failed = run(tmp_path, "refresh", "--source", source, check=False)
    assert "cut short" in failed.stderr
    assert len(json.loads(run(tmp_path, "headlines", "--json", "--offline").stdout)) == 40


def test_retry_after_defers_the_next_refresh(tmp_path, loopback):
    source = loopback.route("/busy", status=503, retry_after=3600)
    failed = run(tmp_path, "headlines", "--source", source, check=False)
    assert "HTTP 503 (retry after 3600 s)" in failed.stderr
    hits = loopback.hits("/busy")
    again = run(tmp_path, "headlines", "--source", source, check=False)
    assert "waiting to retry until" in again.stderr
    assert loopback.hits("/busy") == hits


def test_with_the_site_down_the_cache_is_shown_and_offline_said(tmp_path):
    with LoopbackServer(SITE_ROOT, rewrite_host=True) as server:
        source = f"{server.url}/news"
        run(tmp_path, "refresh", "--source", source)
    out = run(tmp_path, "headlines", "--json", "--source", source)  # the server is gone
    assert len(json.loads(out.stdout)) == 40
    assert "offline — showing cache from" in out.stderr
    assert "connection refused" in out.stderr


def test_read_prints_the_clean_article_and_caches_it(tmp_path, loopback):
    url = local(loopback, EXPECTED["items"][0]["href"])
    out = run(tmp_path, "read", url)
    text = out.stdout
    assert text.splitlines()[0] == ARTICLE["title"]
    for paragraph in ARTICLE["paragraphs"]:
        assert " ".join(paragraph.split()) in " ".join(text.split())
    assert "Read also" not in text and "modal window" not in text
    hits = loopback.hits(url.removeprefix(loopback.url))
    cached = run(tmp_path, "read", url, "--offline")
    assert cached.stdout == text
    assert loopback.hits(url.removeprefix(loopback.url)) == hits


def test_read_json_and_markdown(tmp_path, loopback):
    url = local(loopback, EXPECTED["items"][0]["href"])
    data = json.loads(run(tmp_path, "read", url, "--json").stdout)
    assert data["title"] == ARTICLE["title"]
    assert data["published"] == ARTICLE["published"]
    assert data["from_cache"] is False
    markdown = run(tmp_path, "read", url, "--markdown").stdout
    assert markdown.startswith(f"# {ARTICLE['title']}\n")


def test_read_a_local_file(tmp_path):
    out = run(tmp_path, "read", str(SITE_ROOT / "article.html"), "--url", EXPECTED["base_url"])
    assert out.stdout.splitlines()[0] == ARTICLE["title"]


def test_read_offline_of_an_uncached_article_fails_in_one_line(tmp_path):
    out = run(tmp_path, "read", "http://127.0.0.1:9/nothing", "--offline", check=False)
    assert out.returncode == 1
    assert out.stderr == "newsterm: not cached (offline)\n"


def test_save_then_read_offline_with_the_site_gone(tmp_path):
    with LoopbackServer(SITE_ROOT, rewrite_host=True) as server:
        url = local(server, EXPECTED["items"][4]["href"])
        assert run(tmp_path, "save", url).stderr.startswith("saved: ")
    # Saving it again says so, from the cache, with the site gone.
    assert run(tmp_path, "save", url, "--offline").stderr.startswith("already saved: ")
    saved = json.loads(run(tmp_path, "saved", "--json").stdout)
    assert [(s["url"], s["title"]) for s in saved] == [(url, ARTICLE["title"])]
    assert saved[0]["saved_at"] and saved[0]["published"] == ARTICLE["published"]
    out = run(tmp_path, "read", url, "--offline")
    assert ARTICLE["paragraphs"][0] in out.stdout
    run(tmp_path, "cache", "vacuum")
    run(tmp_path, "cache", "evict")
    assert len(json.loads(run(tmp_path, "saved", "--json").stdout)) == 1
    run(tmp_path, "unsave", url)
    assert json.loads(run(tmp_path, "saved", "--json").stdout) == []


def test_save_of_a_missing_page_fails_and_saves_nothing(tmp_path, loopback):
    out = run(tmp_path, "save", f"{loopback.url}/no-such-article", check=False)
    assert out.returncode == 1 and "HTTP 404" in out.stderr
    assert json.loads(run(tmp_path, "saved", "--json").stdout) == []


def test_search_finds_cached_articles_and_headlines(tmp_path, loopback):
    run(tmp_path, "refresh", "--articles", "--limit", "3", "--source", f"{loopback.url}/news")
    hits = json.loads(run(tmp_path, "search", "Kallas", "--json").stdout)
    assert hits and hits[0]["cached"] is True
    assert "Kallas" in hits[0]["snippet"]
    headline_hits = json.loads(run(tmp_path, "search", "Portnikov", "--json").stdout)
    assert [h["title"] for h in headline_hits] == [EXPECTED["items"][4]["title"]]
    # FTS5 syntax typed by a user is searched as words, never a syntax error.
    assert run(tmp_path, "search", '"(*', "--json").stdout.strip() == "[]"
    operators = json.loads(run(tmp_path, "search", 'Kallas" AND(', "--json").stdout)
    assert {h["url"] for h in operators} == {h["url"] for h in hits if h["cached"]}


def test_export_writes_saved_articles(tmp_path, loopback):
    run(tmp_path, "save", local(loopback, EXPECTED["items"][0]["href"]))
    run(tmp_path, "export", str(tmp_path / "out"), "--format", "md")
    (path,) = (tmp_path / "out").iterdir()
    assert path.read_text(encoding="utf-8").startswith(f"# {ARTICLE['title']}")


def test_sources_add_list_remove_and_opml(tmp_path, loopback):
    feed = f"{loopback.url}/rss"
    run(tmp_path, "sources", "add", feed, "--name", "Example")
    listed = json.loads(run(tmp_path, "sources", "list", "--json").stdout)
    assert (feed, "Example") in [(s["url"], s["name"]) for s in listed]
    opml = run(tmp_path, "opml", "export").stdout
    assert f'xmlUrl="{feed}"' in opml
    run(tmp_path, "sources", "remove", feed)
    missing = run(tmp_path, "sources", "remove", feed, check=False)
    assert missing.returncode == 1 and "no such source" in missing.stderr
    (tmp_path / "subs.opml").write_text(opml, encoding="utf-8")
    run(tmp_path, "opml", "import", str(tmp_path / "subs.opml"))
    listed = json.loads(run(tmp_path, "sources", "list", "--json").stdout)
    assert feed in [s["url"] for s in listed]


def test_feed_sources_work_like_pages(tmp_path, loopback):
    out = run(tmp_path, "headlines", "--json", "--source", f"{loopback.url}/rss")
    items = json.loads(out.stdout)
    assert len(items) == 8
    assert items[0]["title"] == EXPECTED["items"][0]["title"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["read", "/no/such/file.html"], "no such file, and not an http(s) URL"),
        (["--tz", "Mars/Olympus", "headlines"], "unknown time zone: Mars/Olympus"),
        (["sources", "add", "javascript:alert(1)"], "not an http(s) URL"),
    ],
)
def test_errors_are_one_line_on_stderr(tmp_path, args, message):
    out = run(tmp_path, *args, check=False)
    assert out.returncode != 0
    assert message in out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_version_and_help(tmp_path):
    assert run(tmp_path, "--version").stdout.startswith("newsterm ")
    help_text = run(tmp_path, "--help").stdout
    for command in ("headlines", "read", "save", "saved", "search", "refresh", "export", "opml"):
        assert command in help_text


def test_python_dash_m_works(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "newsterm", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("newsterm ")


def test_retry_then_success_is_reported(tmp_path, loopback):
    page = (SITE_ROOT / "news.html").read_bytes()
    source = loopback.sequence("/wobbly", Reply(status=503, retry_after=1), Reply(page))
    out = run(tmp_path, "refresh", "--source", source)
    assert "40 new" in out.stderr


def test_headlines_json_streams_every_row_one_compact_object_per_line(tmp_path, loopback):
    from newsterm.models import Headline, Source
    from newsterm.store import open_store

    store = open_store(tmp_path / "newsterm.sqlite3")
    source = store.add_source(Source("https://example.org/news", "Example"))
    start = datetime(2025, 5, 16, 20, 0, tzinfo=UTC)
    count = 2500  # more than one page of the stream
    store.store_listing(
        source,
        [
            Headline(f"Story {i}", f"https://example.org/{i}", start - timedelta(minutes=i))
            for i in range(count)
        ],
    )
    store.close()
    out = run(tmp_path, "headlines", "--json", "--offline", "--limit", "0").stdout
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert len(lines) == count + 2  # one object a line
    items = json.loads(out)
    assert [i["title"] for i in items] == [f"Story {i}" for i in range(count)]
    assert {i["source"] for i in items} == {"https://example.org/news"}
    assert json.loads(lines[1].rstrip(",")) == items[0]
    limited = json.loads(
        run(tmp_path, "headlines", "--json", "--offline", "--limit", "1001").stdout
    )
    assert [i["title"] for i in limited] == [f"Story {i}" for i in range(1001)]
    empty = run(tmp_path / "empty", "headlines", "--json", "--offline").stdout
    assert json.loads(empty) == []
    bad = run(tmp_path, "headlines", "--offline", "--limit", "-1", check=False)
    assert bad.returncode != 0 and len(bad.stderr.splitlines()) == 1
