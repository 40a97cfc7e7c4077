"""Cases 1, 2, 22, 23 in a real terminal (tmux): what the terminal got from hostile web text."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_tmux import NEWSTERM, Terminal
from tests.support.hostile import rss
from tests.support.loopback import LoopbackServer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

TITLES = [
    "Clear &#27;[2J screen",
    "Title &#27;]0;pwned-title&#7; set",
    "Hyper &#27;]8;;https://evil.example/&#27;\\Bank&#27;]8;;&#27;\\ link",
    "C1 raw \u009b2J done",
    '[/ [link="https://e"]Bank[/link]',
    "Atom ⚛️ and thumbs 👍🏽 up",
    "Family 👩‍👩‍👧 and astronaut 🧑🏽‍🚀 here",
    "Keycap 1️⃣ and heart ❤️ and flag 🏳️‍🌈",
    "Combining e\u0301\u0301 and 日本語の見出し",
    "Arabic العربية and Hebrew עברית",
]
ARTICLE = (
    b"<html><head><title>Reader page</title></head><body><article><h1>Reader page</h1>"
    b"<p>Body \x1b]0;pwned-body\x07 with \x1b[2J a clear, \x1b]8;;https://evil.example/\x1b\\"
    b"Bank\x1b]8;;\x1b\\ a link, and enough words to be the body of the story for readability."
    b"</p><p>Another paragraph, with more words, so that the extractor keeps the article text"
    b" and the reader shows it in full, ending here.</p></article></body></html>"
)
SGR = re.compile(r"\x1b\[[0-9;:]*m")
# Characters the app itself draws; a row with nothing else is measured the same everywhere.
_FRAME = set("│╭╮╰╯─…•★▌")


def _plain(line: str) -> bool:
    """Whether a screen row holds only ASCII and the app's own frame characters."""
    return all(char.isascii() or char in _FRAME for char in line)


class Session:
    """What the terminal showed at each step of one newsterm run."""

    def __init__(self) -> None:
        self.title_before = ""
        self.title_after = ""
        self.screens: dict[str, str] = {}
        self.escaped: dict[str, str] = {}
        self.exit_code: int | None = None
        self.widths: dict[str, int] = {}


def _tmux_width(terminal: Terminal, text: str, scratch: Path) -> int:
    """How many columns tmux itself advances for `text` (its own width rules, not Rich's)."""
    scratch.write_text(text, encoding="utf-8")
    window = f"w-{uuid.uuid4().hex[:6]}"
    terminal.tmux("new-session", "-d", "-s", window, "-x", "200", "-y", "5", "cat")
    terminal.tmux(
        "respawn-pane", "-k", "-t", window, f"sh -c {shlex.quote(f'cat {scratch}; sleep 30')}"
    )
    ends = time.monotonic() + 10
    try:
        while time.monotonic() < ends:
            if terminal.tmux("capture-pane", "-p", "-t", window).strip():
                time.sleep(0.1)  # the cursor moves with the last byte written
                return int(terminal.tmux("display", "-p", "-t", window, "#{cursor_x}").strip())
            time.sleep(0.02)
        raise AssertionError("the scratch pane never showed the text")
    finally:
        terminal.tmux("kill-session", "-t", window, check=False)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """Run newsterm once in tmux on a feed of hostile titles; capture each step."""
    if not NEWSTERM.exists():
        pytest.skip(f"the newsterm command is not installed next to {NEWSTERM.parent}")
    folder = tmp_path_factory.mktemp("tmux")
    server = LoopbackServer(None).start()
    terminal = Terminal(folder)
    seen = Session()
    try:
        items = [(title, f"{server.url}/a/{n}") for n, title in enumerate(TITLES)]
        server.route("/rss", rss(items), content_type="application/rss+xml; charset=utf-8")
        for n in range(len(TITLES)):
            server.route(f"/a/{n}", ARTICLE, content_type="text/html; charset=utf-8")
        config = folder / "config.toml"
        config.write_text("refresh_minutes = 0\n", encoding="utf-8")
        env = {
            "NEWSTERM_DATA_DIR": str(folder / "data"),
            "NEWSTERM_CONFIG": str(config),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "PATH": os.environ.get("PATH", ""),
            "NO_PROXY": "127.0.0.1,localhost",
        }
        terminal.start([str(NEWSTERM), "--source", server.url + "/rss"], env)

        def capture(step: str) -> None:
            """Keep the screen as text and as tmux re-encodes it (with attributes)."""
            seen.screens[step] = terminal.screen()
            seen.escaped[step] = terminal.tmux("capture-pane", "-p", "-e", "-t", terminal.session)

        seen.title_before = terminal.tmux("display", "-p", "-t", terminal.session, "#{pane_title}")
        terminal.wait_for("Clear [2J screen", "Arabic", "online")
        capture("ticker")
        terminal.press("Enter")
        terminal.wait_for("Reader page", "ending here")
        capture("reader")
        seen.title_after = terminal.tmux("display", "-p", "-t", terminal.session, "#{pane_title}")
        terminal.tmux("resize-window", "-t", terminal.session, "-x", "20", "-y", "5")
        terminal.wait_for("Terminal too")
        capture("tiny")
        terminal.tmux("resize-window", "-t", terminal.session, "-x", "400", "-y", "60")
        terminal.wait_for("ending here", "Arabic")
        capture("huge")
        # Ends at 160 columns: both panes side by side (below 140 the article is read over
        # the headlines), so the rows' right border can be measured next to the reader.
        for width, height in [(30, 8), (200, 50), (39, 9), (41, 11), (160, 40)] * 2:
            terminal.tmux(
                "resize-window", "-t", terminal.session, "-x", str(width), "-y", str(height)
            )
        terminal.wait_for("ending here", "Arabic")
        time.sleep(0.3)  # let the last resize's repaint land before the capture
        capture("after-storm")
        # Measured in tmux before quitting: the text of each ticker row up to the border.
        for line in seen.screens["after-storm"].splitlines():
            if "││" in line and not _plain(line):
                prefix = line[: line.index("││")]
                seen.widths[prefix] = _tmux_width(terminal, prefix, folder / "scratch.txt")
        terminal.press("q")
        seen.exit_code = terminal.wait_for_exit()
        yield seen
    finally:
        terminal.close()
        server.stop()


def test_web_text_never_drives_the_terminal(session):
    # The window title an OSC 0 would set, and the screen an ESC[2J would clear, are intact:
    # what is left of each sequence is shown as text.
    assert session.title_after == session.title_before
    ticker = session.screens["ticker"]
    assert "Clear [2J screen" in ticker
    assert "Title ]0;pwned-title set" in ticker
    assert "Hyper ]8;;https://evil.example/\\Bank" in ticker
    assert '[/ [link="https://e"]Bank[/link]' in ticker
    reader = session.screens["reader"]
    for remnant in ("Body ]0;pwned-body with", "[2J a clear,", "]8;;https://evil.example/"):
        assert remnant in reader, remnant
    for step, escaped in session.escaped.items():
        # tmux re-encodes what is on screen: colours and attributes only, no OSC or CSI of ours.
        leftover = SGR.sub("", escaped)
        assert "\x1b" not in leftover and "\x9b" not in leftover, step
        assert "\x07" not in escaped, step


def test_tiny_huge_and_resized_terminals_keep_running(session):
    assert "Terminal too" in session.screens["tiny"]
    huge = session.screens["huge"].splitlines()
    assert max(len(line) for line in huge) > 300  # the layout used the 400 columns
    for step, screen in session.screens.items():
        assert "Traceback" not in screen, step
    assert session.exit_code == 0


def test_rows_with_emoji_keep_the_pane_border_in_place(session):
    # Every ticker row's right border is where the plain rows have it.
    rows = session.screens["after-storm"].splitlines()
    expected = {line.index("││") for line in rows if "││" in line and _plain(line)}
    assert len(expected) == 1
    assert session.widths, "no row with wide characters was measured"
    assert session.widths == dict.fromkeys(session.widths, expected.pop())
