"""Issue 11 end to end: a server's poisoned answer costs one refresh, never the later ones."""

from __future__ import annotations

import json

import pytest

from newsterm.store import open_store
from tests.support.hostile import NEWS_COUNT, NEWS_PAGE, run_newsterm

POISONED_RETRY_AFTER = [
    "99999999999999",
    "inf",
    "nan",
    "-1",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "9" * 400,
]


@pytest.mark.parametrize("value", POISONED_RETRY_AFTER)
def test_a_poisoned_retry_after_does_not_break_later_runs(tmp_path, loopback, value):
    source = loopback.route("/news", NEWS_PAGE)
    first = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert first.returncode == 0, first.stderr
    loopback.route("/news", status=503, retry_after=value)
    throttled = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert throttled.returncode == 0, throttled.stderr
    assert "Traceback" not in throttled.stderr
    # Every later run reads what that answer left in the cache: none may fail on it.
    for args in (("headlines", "--json"), ("headlines", "--json", "--offline")):
        later = run_newsterm(tmp_path, *args, "--source", source)
        assert later.returncode == 0, later.stderr
        assert "Traceback" not in later.stderr
        assert len(json.loads(later.stdout)) == NEWS_COUNT


def test_a_retry_after_longer_than_the_deadline_is_remembered_not_slept(tmp_path, loopback):
    config = tmp_path / "config.toml"
    config.write_text("[net]\ndeadline = 10\n", encoding="utf-8")
    source = loopback.route("/busy", status=503, retry_after=20)
    throttled = run_newsterm(tmp_path, "headlines", "--source", source, config=config)
    # One request, no wait: the 20 s asked for do not fit in the 10 s deadline.
    assert "HTTP 503 (retry after 20 s)" in throttled.stderr
    assert loopback.hits("/busy") == 1
    again = run_newsterm(tmp_path, "headlines", "--source", source, config=config)
    assert "waiting to retry until" in again.stderr
    assert loopback.hits("/busy") == 1


def test_a_non_ascii_etag_does_not_fail_later_refreshes(tmp_path, loopback):
    raw = [("ETag", '"версія-1"'.encode()), ("Last-Modified", b"Mon, 01 Jan 2024 00:00:00 \xff")]
    source = loopback.route("/news", NEWS_PAGE, raw_headers=raw)
    for _run in range(3):
        result = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""  # no line for the source: it refreshed
        assert len(json.loads(result.stdout)) == NEWS_COUNT
    assert loopback.hits("/news") == 3


def test_a_bad_validator_in_an_old_cache_does_not_fail_the_refresh(tmp_path, loopback):
    source = loopback.route("/news", NEWS_PAGE)
    assert run_newsterm(tmp_path, "headlines", "--source", source).returncode == 0
    with open_store(tmp_path / "newsterm.sqlite3") as store:
        state = store.fetch_state(source)
        state.etag, state.last_modified = '"été"', "Mon, 01 Jan 2024 00:00:00 GMT\x85"
        store.record_fetch(state)
    result = run_newsterm(tmp_path, "headlines", "--json", "--source", source)
    assert (result.returncode, result.stderr) == (0, "")
    assert len(json.loads(result.stdout)) == NEWS_COUNT
    headers = loopback.last_headers("/news")
    assert "if-none-match" not in headers and "if-modified-since" not in headers
