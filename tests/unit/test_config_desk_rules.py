"""Watch and mute lists in the config file: checked as the CLI checks rules, one-line errors."""

from __future__ import annotations

import pytest

from newsterm.config import ConfigError, load_settings


def settings_from(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, tmp_path, environ={})


def test_watch_and_mute_lists_are_read_as_rules(tmp_path):
    settings = settings_from(
        tmp_path, 'watch = ["  Київ ", "source:example.org/news"]\nmute = ["label:Sport"]\n'
    )
    assert settings.watch == ["Київ", "source:example.org/news"]
    assert settings.mute == ["label:Sport"]
    assert settings_from(tmp_path, "").watch == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('watch = "Kyiv"\n', "config.toml:1: watch: must be an array, not str"),
        ("mute = [1]\n", "config.toml:1: mute[0]: must be a string, not int"),
        ('\nmute = ["ok", "?!"]\n', "config.toml:2: mute[1]: no words to match in: ?!"),
        ('watch = ["label: ?!"]\n', "config.toml:1: watch[0]: a label needs words: ?!"),
    ],
)
def test_a_bad_rule_names_the_file_line_and_item(tmp_path, text, expected):
    with pytest.raises(ConfigError) as caught:
        settings_from(tmp_path, text)
    message = str(caught.value)
    assert message.endswith(expected) and "\n" not in message
