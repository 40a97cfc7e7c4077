"""Kill soak: SIGKILL real `newsterm refresh --articles` and `save` runs 100+ times, check each.

Usage: python benchmarks/kill_soak.py [--kills 120] [--seed 1] [--keep DIR]

The rounds are those of tests/functional/test_kill_safety.py (the loopback site serves the
test fixtures on 127.0.0.1; one cache in a temporary NEWSTERM_DATA_DIR): after every kill
SQLite's integrity_check and the search indexes' checks must pass, the file must not have
been moved aside, and every article whose `newsterm save` had said "saved" must still be
saved and readable with `newsterm read URL --offline`. Prints the counts; exits 1 on any
problem.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.functional.test_kill_safety import KillSoak  # noqa: E402
from tests.support.loopback import SITE_ROOT, LoopbackServer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=120, help="SIGKILLs to deliver (120)")
    parser.add_argument("--seed", type=int, default=1, help="seed for delays and choices")
    parser.add_argument("--keep", type=Path, help="use (and keep) this data dir")
    args = parser.parse_args()

    folder = None
    if args.keep is None:
        folder = tempfile.TemporaryDirectory(prefix="newsterm-kill-soak-")
        data_dir = Path(folder.name)
    else:
        data_dir = args.keep
        data_dir.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    with LoopbackServer(SITE_ROOT, rewrite_host=True) as server:
        soak = KillSoak(server.url, data_dir, seed=args.seed)
        took = soak.calibrate()
        print(
            f"one unkilled refresh --articles: {took:.2f} s;"
            f" kills fall between 5 ms and {soak.max_delay:.2f} s"
        )
        while soak.counts.kills < args.kills and not soak.counts.problems:
            soak.round()
            if soak.counts.rounds % 20 == 0:
                print(f"  {soak.counts.kills} kills in {soak.counts.rounds} rounds", flush=True)
        soak.check(read_all=True)
    counts = soak.counts
    print(
        f"kill soak: {counts.kills} SIGKILLs ({counts.kills_in_refresh} in refresh --articles,"
        f" {counts.kills_in_save} in save) over {counts.rounds} rounds in"
        f" {time.monotonic() - began:.0f} s; {counts.finished_before_kill} commands finished"
        f" before their kill"
    )
    print(
        f"checks: {counts.checks} (integrity_check + search index checks + every confirmed"
        f" save), {counts.saves_confirmed} saves confirmed, {len(soak.saved)} distinct saved"
        f" articles, {counts.offline_reads} `read --offline` runs"
    )
    print(f"problems: {len(counts.problems)}")
    for problem in counts.problems:
        print(f"  {problem}")
    if folder is not None:
        folder.cleanup()
    return 1 if counts.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
