"""Case 18 end to end: two newsterm instances on one cache both work and leave it whole."""

# Cases 19-21 are covered elsewhere and only listed in CAMPAIGN.md: tests/functional/
# test_kill_safety.py (55 SIGKILLs of real refresh/save runs), test_disk_full.py (a size-capped
# file and a small tmpfs) and test_store_corruption.py (garbage, truncated, damaged caches).

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from tests.support.hostile import HANG_GUARD, NEWSTERM, cache_is_intact, run_newsterm
from tests.support.loopback import LoopbackServer, site_article_paths


def _start(data_dir, *args: str) -> subprocess.Popen[str]:
    """Start the installed command in the background on a private data dir."""
    env = {**os.environ, "NEWSTERM_DATA_DIR": str(data_dir)}
    env.pop("NEWSTERM_CONFIG", None)
    env["XDG_CONFIG_HOME"] = str(data_dir / "config-home")
    command = [str(NEWSTERM)] if NEWSTERM.exists() else [sys.executable, "-m", "newsterm"]
    return subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def test_two_instances_refresh_and_save_at_once_on_one_cache(tmp_path, site_server: LoopbackServer):
    source = site_server.url + "/news"
    articles = [site_server.url + path for path in sorted(site_article_paths())[:3]]
    runs = [
        _start(tmp_path, "refresh", "--articles", "--limit", "10", "--source", source),
        _start(tmp_path, "refresh", "--articles", "--limit", "10", "--source", source),
        *(_start(tmp_path, "save", url) for url in articles),
    ]
    for run in runs:
        _, err = run.communicate(timeout=HANG_GUARD)
        assert run.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    saved = json.loads(run_newsterm(tmp_path, "saved", "--json").stdout)
    assert sorted(item["url"] for item in saved) == sorted(articles)
    info = json.loads(run_newsterm(tmp_path, "cache", "info", "--json").stdout)
    assert info["headlines"] == 40 and info["articles"] >= 10
    assert cache_is_intact(tmp_path)
    with sqlite3.connect(tmp_path / "newsterm.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
