"""Answers that must not stick in the cache: a 304 to a first request, through the real command."""

from __future__ import annotations

from tests.functional.test_cli import run
from tests.support.loopback import SITE_ROOT


def test_an_article_answered_304_at_first_sight_is_a_failure_and_caches_nothing(tmp_path, loopback):
    url = loopback.route("/ignores-conditions", b"", status=304)
    first = run(tmp_path, "read", url, check=False)
    assert first.returncode != 0
    assert "304" in first.stderr and len(first.stderr.strip().splitlines()) == 1
    # Nothing was kept to show as if it had been read.
    offline = run(tmp_path, "read", url, "--offline", check=False)
    assert offline.returncode != 0
    assert "not cached" in offline.stderr


def test_a_listing_answered_304_to_an_unconditional_request_is_a_failed_refresh(tmp_path, loopback):
    url = loopback.route("/news-304", b"", status=304)
    result = run(tmp_path, "refresh", "--source", url, check=False)
    assert result.returncode != 0
    assert "304" in result.stderr
    # A later real answer is read normally: the 304 left no validators behind.
    loopback.route("/news-304", (SITE_ROOT / "news.html").read_bytes())
    assert run(tmp_path, "refresh", "--source", url).returncode == 0
    assert loopback.last_headers("/news-304").get("if-none-match") is None
