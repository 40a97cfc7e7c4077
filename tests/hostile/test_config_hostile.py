"""Case 24 through the command: a broken config is one line naming file, line and key, exit 2."""

from __future__ import annotations

import pytest

from newsterm.models import Headline, Source
from newsterm.store import open_store
from tests.support.hostile import UNSAFE, run_newsterm

# (config text, what the line after "newsterm: FILE:" must start with). Each mistake is on a
# line that a naive "first line with this key" lookup would get wrong, where one exists.
BROKEN = {
    "wrong type": ('refresh_minutes = "soon"\n', "1: refresh_minutes must be a number, not str"),
    "wrong type in a table": ("[net]\nper_host = '8'\n", "2: net: per_host must be an integer"),
    "unknown key": ("theme = 'newsterm'\n\nshow_images = true\n", "3: unknown key 'show_images'"),
    "unknown key named like another": (
        "[net]\ndeadline = 5\n\n[cache]\ndeadline = 3\n",
        "5: cache: unknown key 'deadline'",
    ),
    "unknown key in the second source": (
        '[[sources]]\nurl = "https://a.example/"\nname = "A"\n\n'
        '[[sources]]\nurl = "https://b.example/"\nnmae = "B"\n',
        "7: sources[1]: unknown key 'nmae'",
    ),
    "invalid TOML": ("refresh_minutes = 5\ntheme = [\n", "2: theme: invalid TOML: "),
    "invalid TOML mid-file": ("a = 1\n[net\ndeadline = 2\n", "2: invalid TOML: Expected ']'"),
    "unclosed string": ('theme = "new\n', "1: theme: invalid TOML: Illegal character"),
    "nested a million deep": (
        "x = " + "[" * 100_000 + "\n",
        "1: x: invalid TOML: values nested too deeply",
    ),
    "zero connections per host": ("[net]\nper_host = 0\n", "2: net: per_host must be more than 0"),
    "zero total": ("[net]\n\ntotal = 0\n", "3: net: total must be more than 0"),
    "no deadline": ("[net]\ndeadline = nan\n", "2: net: deadline must be a finite number"),
    "endless deadline": ("[net]\ndeadline = inf\n", "2: net: deadline must be a finite number"),
    "no body allowed": ("[net]\nmax_bytes = 0\n", "2: net: max_bytes must be more than 0"),
    "endless refresh": ("refresh_minutes = inf\n", "1: refresh_minutes must be a finite number"),
    "unknown source zone": (
        '[[sources]]\nurl = "https://a.example/"\ntimezone = "Mars/Olympus"\n',
        "3: sources[0].timezone: unknown time zone 'Mars/Olympus'",
    ),
    "unknown display zone": (
        'display_timezone = "Mars/Olympus"\n',
        "1: display_timezone: unknown time zone 'Mars/Olympus'",
    ),
    "escapes in a key": ('"\\u001b]0;pwned\\u0007" = 1\n', "1: unknown key "),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_config_is_one_line_naming_file_line_and_key(tmp_path, case):
    text, expected = BROKEN[case]
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    result = run_newsterm(tmp_path, "headlines", "--offline", config=config, timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"newsterm: {config}:{expected}"), line
    assert not UNSAFE.search(result.stderr) and "Traceback" not in result.stderr


def test_the_tui_refuses_a_broken_config_before_it_starts(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[net]\nper_host = 0\n", encoding="utf-8")
    result = run_newsterm(tmp_path, config=config, timeout=30)  # no command: the TUI
    assert result.returncode == 2
    assert result.stderr == f"newsterm: {config}:2: net: per_host must be more than 0\n"


def test_an_unknown_zone_for_a_new_source_is_refused_in_one_line(tmp_path):
    result = run_newsterm(
        tmp_path, "sources", "add", "https://a.example/", "--timezone", "Mars/Olympus"
    )
    assert result.returncode == 1
    assert result.stderr == "newsterm: unknown time zone: 'Mars/Olympus'\n"
    assert run_newsterm(tmp_path, "sources", "list", "--json").stdout.count("a.example") == 0


def test_a_bad_zone_already_in_the_cache_is_one_line_not_a_traceback(tmp_path, loopback):
    # A cache written before zones were checked: its source's zone makes extraction refuse.
    url = loopback.route("/story", "<html><body><article><p>Words.</p></article></body></html>")
    with open_store(tmp_path / "newsterm.sqlite3") as store:
        source = store.add_source(Source(loopback.url + "/news", "Old", "Mars/Olympus"))
        store.store_listing(source, [Headline("A story", url)])
    result = run_newsterm(tmp_path, "read", url, timeout=30)
    assert result.returncode == 1
    assert result.stderr == "newsterm: unknown time zone: 'Mars/Olympus'\n"
