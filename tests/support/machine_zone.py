"""Sets the machine's time zone (TZ) for the length of a with-block, for in-process tests."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def machine_zone(rule: str) -> Iterator[None]:
    """TZ=`rule` inside the block (the C library re-reads it), the old value after."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = rule
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
