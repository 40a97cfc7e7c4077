"""Settings: defaults, TOML, environment, flags; bad files get one line with file, line, key."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsterm.config import DEFAULT_SOURCE_URL, ConfigError, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_default_file_means_defaults(tmp_path):
    settings = load_settings(environ={"NEWSTERM_DATA_DIR": str(tmp_path / "d")})
    assert [s.url for s in settings.sources] == [DEFAULT_SOURCE_URL]
    assert settings.data_dir == tmp_path / "d"
    assert settings.refresh_minutes == 5.0
    assert settings.database_path == tmp_path / "d" / "newsterm.sqlite3"


def test_file_environment_and_flags_in_order_of_precedence(tmp_path):
    path = _write(
        tmp_path,
        'data_dir = "/from/file"\nrefresh_minutes = 2\n'
        '[[sources]]\nurl = "https://example.org/news"\nname = "Example"\ntimezone = "UTC"\n'
        '[net]\nmax_bytes = 1024\n[cache]\narticle_days = 7\n[keys]\nsave = "ctrl+s"\n',
    )
    settings = load_settings(path, environ={})
    assert settings.data_dir == Path("/from/file")
    assert settings.refresh_minutes == 2.0
    assert [(s.url, s.name, s.timezone) for s in settings.sources] == [
        ("https://example.org/news", "Example", "UTC")
    ]
    assert settings.net.max_bytes == 1024
    assert settings.cache.article_days == 7
    assert settings.keys == {"save": "ctrl+s"}
    from_env = load_settings(path, environ={"NEWSTERM_DATA_DIR": "/from/env"})
    assert from_env.data_dir == Path("/from/env")
    from_flag = load_settings(path, "/from/flag", environ={"NEWSTERM_DATA_DIR": "/from/env"})
    assert from_flag.data_dir == Path("/from/flag")


def test_config_file_from_environment(tmp_path):
    path = _write(tmp_path, "refresh_minutes = 9\n")
    assert load_settings(environ={"NEWSTERM_CONFIG": str(path)}).refresh_minutes == 9.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('refresh_minutes = "soon"\n', ":1: refresh_minutes must be a number, not str"),
        ("\n\nshow_images = true\n", ":3: unknown key 'show_images'"),
        ("[net]\nper_host = 2.5\n", ":2: net: per_host must be an integer, not float"),
        ("[cache]\narticle_days = -1\n", ":2: cache: article_days must not be negative"),
        ("refresh_minutes = true\n", ":1: refresh_minutes must be a number, not bool"),
        ('sources = "https://x"\n', ":1: sources: must be an array, not str"),
        ('[[sources]]\nname = "x"\n', ": sources[0]: a source needs a url"),
        ('[[sources]]\nurl = "file:///etc/passwd"\n', "url must start with http:// or https://"),
        ("[keys]\nsave = 1\n", ":2: keys.save: must be a string, not int"),
        ('[keys]\nquit = "q"\nsavee = "s"\n', ":3: keys.savee: unknown binding (one of: bottom,"),
        ('[keys]\nsave = "s,,x"\n', ":2: keys.save: write keys as comma-separated names"),
        ('[keys]\nsave = ""\n', ":2: keys.save: write keys as comma-separated names"),
        ("refresh_minutes = [\n", "invalid TOML"),
    ],
)
def test_broken_files_give_one_line_naming_file_line_and_key(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_named_file_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_invalid_utf8_file_is_an_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"refresh_minutes = \xff\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(path, environ={})
