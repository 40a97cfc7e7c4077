"""Settings from a TOML file (platformdirs paths), overridden by environment variables and flags."""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

APP_NAME = "newsterm"
DEFAULT_SOURCE_URL = "https://global.espreso.tv/news"
DEFAULT_SOURCE_NAME = "Espreso Global"
DATA_DIR_ENV = "NEWSTERM_DATA_DIR"
CONFIG_ENV = "NEWSTERM_CONFIG"


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line naming file, line and key."""


BINDING_IDS = frozenset(
    {
        "bottom", "breaking", "close_help", "close_revisions", "close_rule", "close_saved",
        "close_search", "close_story", "copy_link", "down", "help", "next_day", "next_unread",
        "next_watched", "only_source", "open", "open_browser", "page_down", "page_up",
        "previous_day", "quit", "read_on", "refresh", "revisions", "save", "saved", "search",
        "story", "switch_pane", "top", "up", "zoom",
    }
)  # fmt: skip
"""The TUI's binding ids a [keys] table may remap. Kept here because config must not import
the TUI; a test checks it against the ids the app's bindings carry."""


@dataclass(slots=True)
class SourceSettings:
    """One source as written in the config file."""

    url: str
    """The news list page or RSS/Atom feed to follow."""
    name: str = ""
    """A short name to show; empty means the URL's host."""
    timezone: str = "Europe/Kyiv"
    """The zone the site writes its local times in."""


@dataclass(slots=True)
class NetSettings:
    """Limits on every request; the defaults suit a news site on a slow mobile link.

    The one description of the network limits: `newsterm.net.Fetcher` takes this directly.
    """

    connect_timeout: float = 10.0
    """Seconds to wait for a connection."""
    read_timeout: float = 15.0
    """Seconds to wait between bytes of a response (and for a write to go out)."""
    deadline: float = 30.0
    """Seconds one fetch may take in all: redirects, body, retries and the waits between them.
    A server asking to be retried later than the deadline allows is not waited for: the source
    is tried again at the next refresh after that time (a Retry-After is capped at one day)."""
    max_bytes: int = 10 * 1024 * 1024
    """Largest body accepted, counted after decompression so a gzip bomb stops early."""
    max_redirects: int = 5
    """Redirects followed before giving up."""
    per_host: int = 8
    """Requests under way at once to one host (host and port)."""
    total: int = 32
    """Requests under way at once in all."""
    retries: int = 2
    """Extra tries after a 429/502/503/504 or a connection reset, within the deadline."""
    retry_backoff: float = 1.0
    """First wait when the server gives no Retry-After; doubled on each further try."""


@dataclass(slots=True)
class CacheSettings:
    """How long the cache keeps what it does not have to keep forever."""

    article_days: int = 30
    """Unsaved articles older than this are evicted."""
    budget_mb: int = 500
    """Unsaved articles beyond this size are evicted, oldest first."""
    headline_days: int = 180
    """Headlines not seen for this long are dropped (saved ones never)."""


@dataclass(slots=True)
class Settings:
    """Everything the app and the one-shot commands need to know to run."""

    data_dir: Path
    """Where the SQLite cache lives."""
    config_file: Path | None = None
    """The TOML file these settings came from, if any."""
    sources: list[SourceSettings] = field(
        default_factory=lambda: [SourceSettings(DEFAULT_SOURCE_URL, DEFAULT_SOURCE_NAME)]
    )
    """Sources seeded into a new data dir."""
    refresh_minutes: float = 5.0
    """Minutes between automatic refreshes in the TUI; 0 turns auto-refresh off."""
    display_timezone: str = ""
    """Zone to show times in: empty for the sources' own zone (as the site shows its times),
    "local" for the machine's, or an IANA name."""
    theme: str = ""
    """Textual theme name ("newsterm" for the site's colours); empty to follow the terminal's."""
    keys: dict[str, str] = field(default_factory=dict)
    """Keymap overrides: binding id → comma-separated keys, e.g. {"save": "ctrl+s"}."""
    offline: bool = False
    """Serve everything from the cache and never touch the network."""
    net: NetSettings = field(default_factory=NetSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    watch: list[str] = field(default_factory=list)
    """Watch rules ("WORDS", "source:URL", "label:TEXT"), besides those `newsterm watch add`
    stored; matching headlines are marked and announced."""
    mute: list[str] = field(default_factory=list)
    """Mute rules, besides the stored ones; matching headlines are hidden."""
    watch_bell: bool = False
    """Ring the terminal's bell when a refresh brings a headline a watch rule matches."""

    @property
    def database_path(self) -> Path:
        """The one SQLite file."""
        return self.data_dir / "newsterm.sqlite3"


def default_data_dir() -> Path:
    """The platform's user data folder for newsterm."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_config_file() -> Path:
    """The platform's user config file for newsterm."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def load_settings(
    config_file: str | Path | None = None,
    data_dir: str | Path | None = None,
    offline: bool = False,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Read settings: defaults, then the TOML file, then environment, then the given flags.

    A missing file means defaults unless the file was named explicitly; a broken file
    raises ConfigError with one line naming the file, the line and the key.
    """
    env = os.environ if environ is None else environ
    explicit = config_file or env.get(CONFIG_ENV)
    path = Path(explicit).expanduser() if explicit else default_config_file()
    raw: dict[str, Any] = {}
    if path.is_file():
        raw = _read_toml(path)
    elif explicit:
        raise ConfigError(f"{path}: config file not found")
    chosen_dir = data_dir or env.get(DATA_DIR_ENV) or raw.get("data_dir")
    # platformdirs is imported only when no folder was given (it costs start-up time).
    folder = Path(chosen_dir).expanduser() if chosen_dir else default_data_dir()
    settings = _settings_from_table(raw, path, folder)
    settings.config_file = path if path.is_file() else None
    settings.offline = settings.offline or offline
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _toml_error(path, text, str(error)) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        rows = text.splitlines() or [""]
        deepest = max(range(len(rows)), key=lambda n: rows[n].count("[") + rows[n].count("{"))
        key = _line_key(rows[deepest])
        named = f"{key}: " if key else ""
        message = f"{path}:{deepest + 1}: {named}invalid TOML: values nested too deeply"
        raise ConfigError(message) from None


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _toml_error(path: Path, text: str, message: str) -> ConfigError:
    """tomllib's "Reason (at line N, column M)" as "FILE:N: KEY: invalid TOML: Reason…"."""
    found = _TOML_POSITION.search(message)
    reason = message[: found.start()] if found else message
    if found and found.group(1):
        line, where = int(found.group(1)), f" (column {found.group(2)})"
    else:  # "at end of document": the last line that holds anything
        filled = [n for n, content in enumerate(text.splitlines(), start=1) if content.strip()]
        line, where = (filled[-1] if filled else 1), " (at the end of the file)"
    lines = text.splitlines()
    key = _line_key(lines[line - 1]) if 0 < line <= len(lines) else ""
    named = f"{key}: " if key else ""
    return ConfigError(f"{path}:{line}: {named}invalid TOML: {reason}{where}")


def _settings_from_table(raw: dict[str, Any], path: Path, data_dir: Path) -> Settings:
    """Check types and keys of the parsed TOML and build Settings."""
    lines = _key_lines(path)

    def line(*keys: str) -> int:
        # The first of these dotted keys the file spells out; else the start of the file.
        return next((lines[key] for key in keys if key in lines), 1)

    settings = Settings(data_dir=data_dir)
    for key, value in raw.items():
        where = f"{path}:{line(key)}: {key}"
        if key == "data_dir":
            _expect(value, str, where)
        elif key == "sources":
            settings.sources = _sources_from(value, path, line)
        elif key in ("net", "cache"):
            section = getattr(settings, key)
            _expect(value, dict, where)
            for sub_key, sub_value in value.items():
                sub_where = f"{path}:{line(f'{key}.{sub_key}', key)}: {key}"
                _set_field(section, sub_key, sub_value, sub_where)
        elif key in ("watch", "mute"):
            setattr(settings, key, _rules_from(value, where))
        elif key == "keys":
            _expect(value, dict, where)
            for action, keys in value.items():
                action_where = f"{path}:{line(f'keys.{action}', key)}: keys.{action}"
                _check_key_binding(action, keys, action_where)
            settings.keys = dict(value)
        else:
            _set_field(settings, key, value, f"{path}:{line(key)}")
            if key == "display_timezone" and value:
                _check_zone(value, f"{path}:{line(key)}: {key}", display=True)
    return settings


def _check_key_binding(action: str, keys: Any, where: str) -> None:
    if action not in BINDING_IDS:
        raise ConfigError(f"{where}: unknown binding (one of: {', '.join(sorted(BINDING_IDS))})")
    _expect(keys, str, where)
    names = [name.strip() for name in keys.split(",")]
    if not all(names) or any(" " in name for name in names):
        raise ConfigError(f'{where}: write keys as comma-separated names, e.g. "s,ctrl+s"')


_SKIPPED_FIELDS = {"data_dir", "config_file", "sources", "net", "cache", "keys", "watch", "mute"}
# Limits that make no sense at 0: no request could start (per_host, total) or succeed.
_POSITIVE = {"connect_timeout", "read_timeout", "deadline", "max_bytes", "per_host", "total"}


def _set_field(target: Any, key: str, value: Any, where: str) -> None:
    known = {f.name: f for f in fields(target) if f.name not in _SKIPPED_FIELDS}
    if key not in known:
        raise ConfigError(f"{where}: unknown key {key!r}")
    current = getattr(target, key)
    expected: type | tuple[type, ...] = type(current)
    if isinstance(current, float):
        expected = (int, float)
    if isinstance(value, bool) and not isinstance(current, bool):
        expected = ()  # TOML true is not a number here
    if not expected or not isinstance(value, expected):
        name = type(current).__name__
        raise ConfigError(f"{where}: {key} must be {_article(name)}, not {type(value).__name__}")
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        if not math.isfinite(value):  # TOML allows inf and nan
            raise ConfigError(f"{where}: {key} must be a finite number, not {value}")
        if key in _POSITIVE and value <= 0:
            raise ConfigError(f"{where}: {key} must be more than 0")
        if value < 0:
            raise ConfigError(f"{where}: {key} must not be negative")
    setattr(target, key, float(value) if isinstance(current, float) else value)


def _sources_from(value: Any, path: Path, line: Any) -> list[SourceSettings]:
    where = f"{path}:{line('sources')}: sources"
    _expect(value, list, where)
    sources = []
    for index, item in enumerate(value):
        item_key = f"sources[{index}]"
        item_where = f"{path}:{line(item_key, 'sources')}: {item_key}"
        if isinstance(item, str):
            item = {"url": item}
        _expect(item, dict, item_where)
        if "url" not in item:
            raise ConfigError(f"{item_where}: a source needs a url")
        source = SourceSettings(url="")
        for sub_key, sub_value in item.items():
            sub_where = f"{path}:{line(f'{item_key}.{sub_key}', item_key, 'sources')}: {item_key}"
            _set_field(source, sub_key, sub_value, sub_where)
            if sub_key == "timezone":
                _check_zone(sub_value, f"{sub_where}.timezone")
        if not source.url.startswith(("http://", "https://")):
            raise ConfigError(f"{item_where}: url must start with http:// or https://")
        sources.append(source)
    return sources


def _rules_from(value: Any, where: str) -> list[str]:
    """A list of watch or mute rules, each checked as `newsterm watch add` checks it."""
    from newsterm.desk_rules import RuleError, parse_rule

    _expect(value, list, where)
    rules = []
    for index, item in enumerate(value):
        _expect(item, str, f"{where}[{index}]")
        try:
            rules.append(parse_rule(item).text)
        except RuleError as error:
            raise ConfigError(f"{where}[{index}]: {error}") from None
    return rules


def _check_zone(name: str, where: str, *, display: bool = False) -> None:
    """Refuse a time zone the app would fail on later, naming where it was set."""
    from newsterm.text.time_format import check_display_zone
    from newsterm.text.zones import zone

    try:
        if display:
            check_display_zone(name)  # also "local", the machine's zone
        else:
            zone(name)
    except ValueError:
        raise ConfigError(f"{where}: unknown time zone {name!r}") from None


def _expect(value: Any, kind: type, where: str) -> None:
    if not isinstance(value, kind):
        expected = {dict: "a table", list: "an array", str: "a string"}.get(kind, kind.__name__)
        raise ConfigError(f"{where}: must be {expected}, not {type(value).__name__}")


def _article(type_name: str) -> str:
    return {"int": "an integer", "float": "a number", "str": "a string", "bool": "true or false"}[
        type_name
    ]


_TABLE = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _key_lines(path: Path) -> dict[str, int]:
    """Line numbers of keys by dotted name, so errors point at them.

    `[net]` then `deadline = 5` gives "net" and "net.deadline"; each `[[sources]]` is
    numbered, so its keys are "sources[1].url" and so on. Best effort: a multi-line string
    that looks like a key is taken for one (the first line found wins).
    """
    lines: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return lines
    table = ""
    arrays: dict[str, int] = {}
    for number, content in enumerate(text.splitlines(), start=1):
        stripped = content.strip()
        header = _TABLE.match(stripped)
        if header:
            name = ".".join(_unquote(part) for part in header.group(1).split("."))
            if stripped.startswith("[["):
                arrays[name] = arrays.get(name, -1) + 1
                lines.setdefault(name, number)
                name = f"{name}[{arrays[name]}]"
            table = name
            lines.setdefault(name, number)
            continue
        key = _line_key(stripped)
        if key:
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def _line_key(line: str) -> str:
    """The dotted key a `key = value` line sets ("" for anything else)."""
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "[")) or "=" not in stripped:
        return ""
    return ".".join(_unquote(part) for part in stripped.split("=", 1)[0].split("."))


def _unquote(part: str) -> str:
    return part.strip().strip("\"'")
