"""`--source URL` on a fresh data folder: that source alone; the home source is not added."""

from __future__ import annotations

from tests.support.hostile import run_newsterm


def test_source_flag_on_a_fresh_folder_adds_no_home_source(tmp_path, loopback):
    feed = loopback.url + "/rss"
    refreshed = run_newsterm(tmp_path, "refresh", "--source", feed)
    assert refreshed.returncode == 0, refreshed.stderr
    listed = run_newsterm(tmp_path, "sources", "list")
    assert listed.returncode == 0, listed.stderr
    assert feed in listed.stdout
    assert "espreso" not in listed.stdout.lower()


def test_a_fresh_folder_without_source_flag_still_gets_the_home_source(tmp_path):
    listed = run_newsterm(tmp_path, "sources", "list")
    assert listed.returncode == 0, listed.stderr
    assert "global.espreso.tv" in listed.stdout
