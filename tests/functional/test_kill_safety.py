"""SIGKILL at random moments of real `newsterm refresh` and `save` runs: nothing saved is lost.

Each round starts `newsterm refresh --articles` against the loopback site, or `newsterm save
URL`, or both at once (two instances on one cache), with a temporary NEWSTERM_DATA_DIR, and
kills one or both with SIGKILL after a random delay. Then it checks the cache: SQLite's
integrity_check and the search indexes' own checks pass, the file was not moved aside, and
every article whose save had finished before the kill is still saved and readable with
`newsterm read URL --offline`. Before each round the unsaved articles and the listing's
validators are dropped, so the refresh has real work to be killed in.
`benchmarks/kill_soak.py` runs the same rounds longer.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsterm.store import FetchState, open_store
from tests.support.loopback import site_article_paths

KILLS = 12
"""SIGKILLs in the suite's soak: enough to land in a refresh and in a save every run; the long
soak (120 and more, at random moments) is `python benchmarks/kill_soak.py`."""
HANG_GUARD = 60  # seconds a single command may take before it counts as hung


@dataclass
class SoakCounts:
    """What a soak did and found; `problems` must stay empty."""

    rounds: int = 0
    kills: int = 0
    kills_in_refresh: int = 0
    kills_in_save: int = 0
    finished_before_kill: int = 0
    saves_confirmed: int = 0
    checks: int = 0
    offline_reads: int = 0
    problems: list[str] = field(default_factory=list)


class KillSoak:
    """Runs newsterm commands against a site, kills them, and checks the cache after each."""

    def __init__(self, site_url: str, data_dir: Path, seed: int = 1) -> None:
        self.site_url = site_url
        self.data_dir = data_dir
        self.database = data_dir / "newsterm.sqlite3"
        self.rng = random.Random(seed)
        self.articles = [site_url + path for path in sorted(site_article_paths())]
        self.saved: dict[str, str] = {}  # url → title, for saves that finished
        self.counts = SoakCounts()
        config = data_dir / "config.toml"
        config.write_text(f'[[sources]]\nurl = "{site_url}/news"\n', encoding="utf-8")
        self.env = os.environ | {
            "NEWSTERM_DATA_DIR": str(data_dir),
            "NEWSTERM_CONFIG": str(config),
        }
        self.max_delay = 0.5

    # -- commands ----------------------------------------------------------------------------

    def _start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "newsterm", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def refresh(self) -> subprocess.Popen[str]:
        """`newsterm refresh --articles --source <site>/news`."""
        return self._start("refresh", "--articles", "--source", f"{self.site_url}/news")

    def save(self, url: str) -> subprocess.Popen[str]:
        """`newsterm save URL`."""
        return self._start("save", url)

    def calibrate(self) -> float:
        """Run one refresh to the end; kills then fall anywhere in a run that long."""
        began = time.monotonic()
        process = self.refresh()
        _, err = process.communicate(timeout=HANG_GUARD)
        took = time.monotonic() - began
        if process.returncode != 0:
            self.counts.problems.append(f"an unkilled refresh failed: {err.strip()}")
        self.max_delay = min(max(took, 0.3), 0.8)
        return took

    def forget_unsaved(self) -> None:
        """Drop unsaved articles and the listing's validators, so the next refresh has work.

        Without this, every refresh after the first finds the listing unchanged (304) and
        its articles cached, and is over before a kill can land in the middle of it.
        """
        if not self.database.exists():
            return
        with open_store(self.database) as store:
            store.evict(article_max_age_days=0, budget_bytes=0, headline_max_age_days=3650)
            store.record_fetch(FetchState(f"{self.site_url}/news"))

    # -- one round -----------------------------------------------------------------------------

    def round(self) -> None:
        """Start one or two commands, SIGKILL them at random moments, then check the cache."""
        self.counts.rounds += 1
        self.forget_unsaved()
        url = self.rng.choice(self.articles)
        scenario = self.rng.random()
        if scenario < 0.55:
            self._kill_after(self.refresh(), "refresh")
        elif scenario < 0.75:
            self._kill_after(self.save(url), "save", url)
        else:
            # Two instances at once: the refresh is killed, the save (usually) finishes.
            saving = self.save(url)
            self._kill_after(self.refresh(), "refresh")
            self.settle(saving, url)
        self.check(read=self.counts.rounds % 3 == 0)

    def _kill_after(self, process: subprocess.Popen[str], kind: str, url: str = "") -> None:
        time.sleep(self.rng.uniform(0.005, self.max_delay))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=HANG_GUARD)
            self.counts.kills += 1
            if kind == "refresh":
                self.counts.kills_in_refresh += 1
            else:
                self.counts.kills_in_save += 1
            return
        self.counts.finished_before_kill += 1
        self.settle(process, url)

    def settle(self, process: subprocess.Popen[str], url: str) -> None:
        """Wait for a command that was not killed; remember a save that succeeded."""
        try:
            _, err = process.communicate(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            self.counts.problems.append(f"hung: {process.args}")
            return
        if "Traceback" in err:
            self.counts.problems.append(f"crashed: {process.args}: {err.strip()[-300:]}")
        elif url and process.returncode == 0 and err.startswith("saved: "):
            # The command said "saved": from here on the article must never go missing.
            self.saved[url] = err.removeprefix("saved: ").strip()
            self.counts.saves_confirmed += 1

    # -- checks --------------------------------------------------------------------------------

    def check(self, *, read: bool = True, read_all: bool = False) -> None:
        """The cache is sound and holds every confirmed save; one (or all) read back offline."""
        self.counts.checks += 1
        if not self.database.exists():
            if self.saved:
                self.counts.problems.append("the cache file vanished")
            return
        db = sqlite3.connect(self.database)
        try:
            verdict = db.execute("PRAGMA integrity_check").fetchall()
        finally:
            db.close()
        if verdict != [("ok",)]:
            self.counts.problems.append(
                f"integrity_check after kill {self.counts.kills}: {verdict}"
            )
        with open_store(self.database) as store:
            if store.moved_aside is not None:
                self.counts.problems.append(f"moved aside after kill {self.counts.kills}")
            if not store.integrity_ok():
                self.counts.problems.append(f"search index damaged after kill {self.counts.kills}")
            for url, title in self.saved.items():
                stored = store.get_article(url)
                if stored is None or not stored.saved or not stored.article.text:
                    self.counts.problems.append(f"lost saved article {url}")
                elif title and stored.article.title != title:
                    self.counts.problems.append(f"saved article {url} changed title")
        if store.damage_marker.exists():
            self.counts.problems.append("a damage marker was left")
        if self.saved and (read or read_all):
            urls = list(self.saved) if read_all else [self.rng.choice(list(self.saved))]
            for url in urls:
                self._read_offline(url)

    def _read_offline(self, url: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "newsterm", "read", url, "--offline"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
        self.counts.offline_reads += 1
        title = self.saved[url]
        if result.returncode != 0 or (title and title not in result.stdout):
            self.counts.problems.append(
                f"`newsterm read {url} --offline` exited {result.returncode}:"
                f" {result.stderr.strip()[-200:]}"
            )
        elif len(result.stdout.split()) < 20:
            self.counts.problems.append(f"`newsterm read {url} --offline` printed no text")


STORE_WRITER = """
import sys
from newsterm.models import Article, Headline, Source
from newsterm.store import open_store

path, first = sys.argv[1], int(sys.argv[2])
with open_store(path) as store:
    source = store.add_source(Source("http://127.0.0.1:9/news"))
    for n in range(first, first + 400):
        url = f"http://127.0.0.1:9/a/{n}"
        store.store_listing(source, [Headline(f"Story {m}", f"{url}/{m}") for m in range(50)])
        store.put_article(Article(url, f"Story {n}", f"Text of story {n}. " * 200, "md"),
                          raw_html=bytes(range(256)) * 40)
        if n % 3 == 0:
            store.set_saved(url, True)
            print(url, flush=True)
        if n % 50 == 0:
            store.evict(article_max_age_days=30, budget_bytes=400_000, headline_max_age_days=180)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_of_a_busy_store_writer_loses_no_saved_article(tmp_path):
    """The store alone, no network: killed mid-listing, mid-article, mid-save, mid-eviction."""
    path = tmp_path / "newsterm.sqlite3"
    rng = random.Random(7)
    confirmed: set[str] = set()
    for kill in range(15):
        writer = subprocess.Popen(
            [sys.executable, "-c", STORE_WRITER, str(path), str(kill * 1000)],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.005, 0.6))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=HANG_GUARD)
        confirmed.update(out.split())  # each url printed after its set_saved returned
        with open_store(path) as store:
            assert store.moved_aside is None, f"kill {kill}"
            assert store.integrity_ok(), f"kill {kill}"
            missing = [url for url in confirmed if not store.is_saved(url)]
            assert missing == [], f"kill {kill}"
    assert confirmed


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_at_random_moments_loses_no_saved_article(site_server, tmp_path):
    soak = KillSoak(site_server.url, tmp_path, seed=20250516)
    soak.calibrate()
    # A first article saved before any kill, so that every check has something to look for.
    first = soak.save(soak.articles[0])
    soak.settle(first, soak.articles[0])
    assert soak.saved, f"the first save failed: {soak.counts.problems}"
    while soak.counts.kills < KILLS and soak.counts.rounds < 3 * KILLS:
        soak.round()
        assert soak.counts.problems == [], soak.counts
    soak.check(read_all=True)
    counts = soak.counts
    assert counts.problems == [], counts
    assert counts.kills >= KILLS
    assert counts.kills_in_refresh and counts.kills_in_save
    assert counts.saves_confirmed >= 2
