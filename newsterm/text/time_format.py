"""How newsterm writes times, in the TUI and the CLI alike: zone, day headers, clocks, ages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo

# Every "HH:MM" string made once: the ticker keeps one per row, and sharing them keeps a
# 100,000-row window from holding 100,000 copies of the same 1,440 strings.
CLOCK_TEXTS = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))


LOCAL_ZONE = "local"
"""The display_timezone setting that means the machine's own zone."""


def display_zone(name: str, source_zones: Iterable[str]) -> tzinfo | None:
    """The zone times are shown in; None for the machine's own.

    By default (`name` empty) the zone the sources write their times in, so the ticker
    reads "19:58" where the site does; the machine's zone when the sources' zones differ
    or with `name` "local"; else the zone `name` (ValueError if the tz database lacks it).
    The machine's zone is None, not a tzinfo, because `astimezone(None)` asks the C library,
    which knows every form TZ can take and the summer time of any date.
    """
    from newsterm.text.zones import zone

    if name == LOCAL_ZONE:
        return None
    if name:
        return zone(name)
    zones = set(source_zones)
    if len(zones) == 1:
        try:
            return zone(zones.pop())
        except ValueError:
            pass  # a zone stored by an older version and since renamed: the machine's then
    return None


def check_display_zone(name: str) -> None:
    """Raise ValueError for a display_timezone setting that names no zone."""
    if name and name != LOCAL_ZONE:
        from newsterm.text.zones import zone

        zone(name)


def day_header(day: date) -> str:
    """A day as the site heads its groups, on one line: "2025, Friday · 16 May"."""
    return f"{day.year}, {day:%A} · {day.day} {day:%B}"


def clock_text(moment: datetime) -> str:
    """The time of day as "19:58" (the moment must already be in the display zone)."""
    return CLOCK_TEXTS[moment.hour * 60 + moment.minute]


def date_time_text(moment: datetime, zone: tzinfo | None) -> str:
    """A moment as "Friday, 16 May 2025, 19:58" in the display zone."""
    local = moment.astimezone(zone)
    return f"{local:%A}, {local.day} {local:%B %Y}, {clock_text(local)}"


def epoch_text(epoch: float, zone: tzinfo | None) -> str:
    """Epoch seconds as "16 May 2025, 19:58" in the display zone."""
    local = datetime.fromtimestamp(epoch, zone)
    return f"{local.day} {local:%B %Y}, {clock_text(local)}"


def time_ago(seconds: float) -> str:
    """An age in words: "just now", "2 min ago", "3 h ago", "4 days ago"."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "1 day ago" if days == 1 else f"{days} days ago"
