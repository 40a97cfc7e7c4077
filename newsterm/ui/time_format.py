"""How the TUI writes times: the display zone, day headers, clock times and "2 min ago"."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

# Every "HH:MM" string made once: the ticker keeps one per row, and sharing them keeps a
# 100,000-row window from holding 100,000 copies of the same 1,440 strings.
CLOCK_TEXTS = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))


def display_zone(name: str) -> tzinfo | None:
    """The zone to show times in: the named one, or None for the machine's local zone.

    An unknown name falls back to the local zone; the CLI has already refused it with a
    message, so the TUI only needs not to crash on it.
    """
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def day_header(day: date) -> str:
    """A day as the ticker heads its group: "Friday, 16 May 2025"."""
    return f"{day:%A}, {day.day} {day:%B %Y}"


def clock_text(moment: datetime) -> str:
    """The time of day as "19:58" (the moment must already be in the display zone)."""
    return CLOCK_TEXTS[moment.hour * 60 + moment.minute]


def date_time_text(moment: datetime, zone: tzinfo | None) -> str:
    """A moment as "Friday, 16 May 2025, 19:58" in the display zone."""
    local = moment.astimezone(zone)
    return f"{day_header(local.date())}, {clock_text(local)}"


def epoch_text(epoch: float, zone: tzinfo | None) -> str:
    """Epoch seconds as "16 May 2025, 19:58" in the display zone."""
    local = datetime.fromtimestamp(epoch, zone) if zone else datetime.fromtimestamp(epoch)
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
