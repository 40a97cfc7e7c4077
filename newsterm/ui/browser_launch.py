"""How `o` opens a link: a window browser, a console browser (given the terminal) or none."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

CONSOLE_BROWSERS = ("w3m", "lynx", "elinks", "links", "links2", "browsh", "carbonyl")
"""Browsers that draw in the terminal: they need it to themselves while they run."""
WINDOW_OPENERS = ("xdg-open", "gio", "open")
"""Commands that hand a link to the desktop's browser and return."""


@dataclass(frozen=True)
class BrowserPlan:
    """What `o` will do with a link."""

    kind: str
    """"window" (runs beside the app), "console" (needs the terminal) or "none"."""
    argv: tuple[str, ...] = ()
    """The command and its arguments, the link one of them; empty for "none"."""


def command_argv(command: str, url: str) -> tuple[str, ...] | None:
    """A $BROWSER entry as argv, the link in place of "%s" (or last); None if unusable.

    Split as the shell would split words, but run without one: `$(…)`, `;` and `&` in the
    entry or the link are plain characters of one argument.
    """
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words:
        return None
    if any("%s" in word for word in words[1:]):
        return (words[0], *(word.replace("%s", url) for word in words[1:]))
    return (*words, url)


def has_display(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether a window browser could show anything: macOS and Windows always can; elsewhere
    an X or Wayland display must be set (over ssh, in a console, there is none)."""
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def is_console_browser(command: str) -> bool:
    """Whether the program is one of the browsers that draw in the terminal."""
    return PurePath(command).name in CONSOLE_BROWSERS


def plan_browser(
    url: str,
    environ: Mapping[str, str] | None = None,
    which: object = shutil.which,
    platform: str = sys.platform,
) -> BrowserPlan:
    """Choose how to open `url`: $BROWSER first (each entry in turn), then the desktop's
    opener when there is a display, then a console browser on the PATH."""
    environ = os.environ if environ is None else environ
    display = has_display(environ, platform)
    for entry in environ.get("BROWSER", "").split(os.pathsep):
        argv = command_argv(entry, url)
        if argv is None or not which(argv[0]):  # type: ignore[operator]
            continue
        console = is_console_browser(argv[0]) or not display
        return BrowserPlan("console" if console else "window", argv)
    if display:
        for opener in WINDOW_OPENERS:
            if platform != "darwin" and opener == "open":
                continue  # on Linux `open` is openvt, not a browser
            if which(opener):  # type: ignore[operator]
                argv = (opener, "open", url) if opener == "gio" else (opener, url)
                return BrowserPlan("window", argv)
    for browser in CONSOLE_BROWSERS:
        if which(browser):  # type: ignore[operator]
            return BrowserPlan("console", (browser, url))
    return BrowserPlan("none")


def start_window_browser(argv: tuple[str, ...]) -> bool:
    """Start a window browser detached from the terminal: its output cannot reach the
    screen, and it is not stopped with the app."""
    try:
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True


def run_console_browser(argv: tuple[str, ...], *, terminal: bool) -> bool:
    """Run a console browser to its end; with `terminal` False (no terminal to lend, as
    under a test harness) it runs with no input and its output discarded."""
    stream = None if terminal else subprocess.DEVNULL
    try:
        completed = subprocess.run(argv, check=False, stdin=stream, stdout=stream, stderr=stream)
    except OSError:
        return False
    return completed.returncode == 0
