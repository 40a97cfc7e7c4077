"""How `o` chooses between a window browser, a console browser and none; argv, never a shell."""

from __future__ import annotations

from newsterm.ui.browser_launch import BrowserPlan, command_argv, plan_browser

URL = "https://example.org/a?x=1&y=$(touch%20z)"


def found(*names):
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_browser_entry_keeps_the_link_one_argument():
    assert command_argv("w3m", URL) == ("w3m", URL)
    assert command_argv("firefox --new-tab '%s'", URL) == ("firefox", "--new-tab", URL)
    assert command_argv("unclosed 'quote", URL) is None


def test_a_console_browser_gets_the_terminal_with_or_without_a_display():
    plan = plan_browser(URL, {"BROWSER": "lynx", "DISPLAY": ":0"}, found("lynx"), "linux")
    assert plan == BrowserPlan("console", ("lynx", URL))
    plan = plan_browser(URL, {"BROWSER": "my-browser"}, found("my-browser"), "linux")
    assert plan.kind == "console"  # no display: whatever it is, it can only use the terminal


def test_a_display_without_browser_setting_uses_the_desktop_opener():
    plan = plan_browser(URL, {"DISPLAY": ":0"}, found("xdg-open", "w3m"), "linux")
    assert plan == BrowserPlan("window", ("xdg-open", URL))
    plan = plan_browser(URL, {"BROWSER": "firefox"}, found("firefox"), "linux")
    assert plan.kind == "console"
    plan = plan_browser(URL, {"BROWSER": "firefox", "DISPLAY": ":0"}, found("firefox"), "linux")
    assert plan == BrowserPlan("window", ("firefox", URL))


def test_no_display_falls_back_to_a_console_browser_on_the_path_or_to_none():
    assert plan_browser(URL, {}, found("xdg-open", "w3m"), "linux").argv == ("w3m", URL)
    assert plan_browser(URL, {"BROWSER": "missing"}, found(), "linux") == BrowserPlan("none")
