"""Start-up path of the TUI: importing the app loads no network, parsing or extraction code."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "lxml", "readability", "feedparser", "newsterm.net", "newsterm.extract.pipeline")


def test_importing_the_app_leaves_heavy_modules_unloaded():
    code = (
        "import sys, newsterm.cli, newsterm.ui.app;"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_modal_screens_load_when_first_used():
    code = (
        "import sys, newsterm.ui.app;"
        "print(','.join(m for m in sys.modules if m.startswith('newsterm.ui.screens.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().split(",") == ["newsterm.ui.screens.main_screen"]
