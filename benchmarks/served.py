"""Benchmarks' loopback servers in a child process: start one, read the URLs it serves."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def served_urls(script: str, *args: str) -> Iterator[list[str]]:
    """Run `python script *args` (a script's serving mode), which prints one URL a line and
    then "ready", and serves until its stdin closes; yields the URLs while it serves.

    A child process, so serving does not compete with the measured client for the interpreter.
    """
    child = subprocess.Popen(
        [sys.executable, script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    urls = []
    try:
        for line in child.stdout:
            if line.strip() == "ready":
                break
            urls.append(line.strip())
        yield urls
    finally:
        child.stdin.close()
        child.wait(timeout=60)
