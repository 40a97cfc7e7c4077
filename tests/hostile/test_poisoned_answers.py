"""Issue 11 end to end: a server's poisoned answer costs one refresh, never the later ones."""

from __future__ import annotations

import json

import pytest

from tests.hostile.test_support import NEWS_COUNT, NEWS_PAGE, run_newsterm

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
