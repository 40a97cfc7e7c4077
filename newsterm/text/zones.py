"""Time zones by name: IANA names, both spellings of Kyiv's, and the usual names of UTC."""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Kyiv"
# Older tz databases know only one of the two spellings of Kyiv's zone.
_ZONE_ALIASES = {"Europe/Kyiv": "Europe/Kiev", "Europe/Kiev": "Europe/Kyiv"}
_UTC_NAMES = {"utc", "z", "gmt", "etc/utc"}


def zone(name: str | None = None) -> tzinfo:
    """The time zone called `name` (an IANA name; Europe/Kyiv when None or empty).

    Raises ValueError for a name the tz database does not know, so a bad setting is
    reported where it is read rather than as a wrong time much later.
    """
    key = (name or DEFAULT_ZONE).strip()
    if key.lower() in _UTC_NAMES:
        return UTC
    for candidate in (key, _ZONE_ALIASES.get(key)):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    raise ValueError(f"unknown time zone: {name!r}")
