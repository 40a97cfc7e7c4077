"""The installed `newsterm` in a real terminal (tmux) against the loopback site, then offline."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

NEWSTERM = Path(sys.executable).with_name("newsterm")
FIRST_TITLE = "Russian demands at Istanbul talks"
FIRST_WORDS = "Russian demands at"
ARTICLE_TITLE = "Russia uses new technologies to influence European"
FIRST_PARAGRAPH = "Politico reported the information."
DEADLINE = 30.0


class Terminal:
    """One tmux session on a private server: start a command, type, read the screen."""

    def __init__(self, folder: Path) -> None:
        self.server = f"newsterm-e2e-{uuid.uuid4().hex[:8]}"
        self.folder = folder
        self.session = ""
        self.exit_file = folder / "exit-code"
        # An idle session keeps the private server up between runs, with a fixed size for
        # every window it makes (a server started afresh may fall back to 80×24).
        self.tmux("new-session", "-d", "-s", "anchor", "-x", "120", "-y", "40", "sleep 3600")
        self.tmux("set-option", "-g", "default-size", "120x40")

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.server, *args], capture_output=True, text=True, check=check
        )
        return result.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        """Run argv in a 120×40 window; its exit code is written to a file when it ends."""
        self.exit_file.unlink(missing_ok=True)
        self.session = f"run-{uuid.uuid4().hex[:6]}"
        command = " ".join(shlex.quote(part) for part in argv)
        shell = f"{command}; echo $? > {shlex.quote(str(self.exit_file))}"
        exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
        # The pane is made first (idle) and the command started in it after, so the program
        # sees the final 120×40 size from its first moment instead of a resize race.
        self.tmux("new-session", "-d", "-s", self.session, "-x", "120", "-y", "40", "cat")
        self.tmux(
            "respawn-pane",
            "-k",
            "-t",
            self.session,
            # COLUMNS/LINES from the environment that started the tmux server would override
            # the real window size (Textual asks shutil.get_terminal_size, which reads them).
            # No display either: a terminal session over ssh, where only a console browser works.
            f"env -u COLUMNS -u LINES -u DISPLAY -u WAYLAND_DISPLAY {exports}"
            f" sh -c {shlex.quote(shell)}",
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session, check=False)

    def wait_for(self, *texts: str, deadline: float = DEADLINE) -> str:
        """Poll the screen until every text is on it; fail with the screen otherwise."""
        ends = time.monotonic() + deadline
        screen = ""
        while time.monotonic() < ends:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.05)
        size = self.tmux("display", "-p", "-t", self.session, "#{window_width}x#{window_height}")
        raise AssertionError(f"{texts} not on {size.strip()} screen in {deadline} s:\n{screen}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.session, key)

    def wait_for_exit(self, deadline: float = DEADLINE) -> int:
        ends = time.monotonic() + deadline
        while time.monotonic() < ends:
            if self.exit_file.exists() and self.exit_file.read_text().strip():
                return int(self.exit_file.read_text())
            time.sleep(0.05)
        raise AssertionError(f"newsterm did not exit within {deadline} s:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server", check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if not NEWSTERM.exists():
        pytest.skip(f"the newsterm command is not installed next to {sys.executable}")
    term = Terminal(tmp_path)
    try:
        yield term
    finally:
        term.close()


def test_read_and_save_online_then_read_it_offline(tmp_path, terminal, loopback):
    config = tmp_path / "config.toml"
    config.write_text("")
    env = {
        "NEWSTERM_DATA_DIR": str(tmp_path / "data"),
        "NEWSTERM_CONFIG": str(config),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "NO_PROXY": "127.0.0.1,localhost",
    }
    source = loopback.url + "/news"

    # Online: the first refresh fills the ticker; open the second headline and save it.
    terminal.start([str(NEWSTERM), "--source", source], env)
    terminal.wait_for(FIRST_TITLE, "2025, Friday · 16 May", "online")
    terminal.press("j", "Enter")
    screen = terminal.wait_for(ARTICLE_TITLE, FIRST_PARAGRAPH)
    assert "Traceback" not in screen
    terminal.press("s")
    terminal.wait_for("★ Saved")  # the reader's mark, once the save is committed
    terminal.press("q")
    assert terminal.wait_for_exit() == 0

    # Offline, with the site gone: the saved article is still there to read.
    loopback.stop()
    terminal.start([str(NEWSTERM), "--offline", "--source", source], env)
    terminal.wait_for(FIRST_TITLE, "offline")
    terminal.press("S")
    terminal.wait_for("Saved articles (1)", ARTICLE_TITLE)
    terminal.press("Enter")
    screen = terminal.wait_for(FIRST_PARAGRAPH, "What is known about elections in Romania")
    assert "Traceback" not in screen
    # A headline that was never opened says so in the pane instead of failing. At 120
    # columns the article is read over the headlines: escape goes back to them.
    # (Alone: an escape followed at once by "g" would reach the app as alt+g.)
    terminal.press("Escape")
    terminal.wait_for(FIRST_TITLE, "2025, Friday · 16 May")
    terminal.press("g", "Enter")
    terminal.wait_for("not cached (offline)")
    terminal.press("q")
    assert terminal.wait_for_exit() == 0


def test_o_lends_the_terminal_to_a_console_browser_and_takes_it_back(tmp_path, terminal, loopback):
    """A console browser (w3m, lynx…) as $BROWSER: the app steps aside while it runs, the
    browser has the whole terminal, and when it quits the app is back, keys and all."""
    browser = tmp_path / "console-browser"
    browser.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "print('CONSOLE BROWSER SHOWS', sys.argv[1:], flush=True)\n"
        "input('press enter to quit the browser')\n"
    )
    browser.chmod(0o755)
    config = tmp_path / "config.toml"
    config.write_text("")
    env = {
        "NEWSTERM_DATA_DIR": str(tmp_path / "data"),
        "NEWSTERM_CONFIG": str(config),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "NO_PROXY": "127.0.0.1,localhost",
        "BROWSER": f"{browser} %s",
    }
    terminal.start([str(NEWSTERM), "--source", loopback.url + "/news"], env)
    terminal.wait_for(FIRST_WORDS, "online")
    terminal.press("o")
    screen = terminal.wait_for("CONSOLE BROWSER SHOWS", "press enter to quit the browser")
    assert FIRST_WORDS not in screen  # the browser has the screen to itself
    assert loopback.url in screen  # and was given the headline's link
    terminal.press("Enter")
    screen = terminal.wait_for(FIRST_WORDS, "Opened in the browser")
    assert "CONSOLE BROWSER SHOWS" not in screen
    terminal.press("j", "q")
    assert terminal.wait_for_exit() == 0
