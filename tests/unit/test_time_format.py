"""How times are written: the display zone by default is the sites' own, day headers as the site."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

from newsterm.text.time_format import date_time_text, day_header, display_zone, epoch_text
from tests.support.machine_zone import machine_zone

# 19:58 in Kyiv on a May evening (EEST, UTC+3), as the home site lists its first headline.
MAY_HEADLINE = datetime(2025, 5, 16, 16, 58, tzinfo=UTC)


@pytest.fixture
def machine_in_new_york():
    with machine_zone("America/New_York"):
        yield


def _clock(zone) -> str:
    return MAY_HEADLINE.astimezone(zone).strftime("%H:%M")


def test_by_default_times_are_the_sources_own(machine_in_new_york):
    assert _clock(display_zone("", ["Europe/Kyiv"])) == "19:58"
    assert _clock(display_zone("", ["Europe/Kyiv", "Europe/Kyiv"])) == "19:58"


def test_sources_in_different_zones_are_shown_in_the_machines(machine_in_new_york):
    assert _clock(display_zone("", ["Europe/Kyiv", "Europe/London"])) == "12:58"
    assert _clock(display_zone("", [])) == "12:58"


def test_local_is_the_machines_zone_with_its_summer_time(machine_in_new_york):
    # It is November: today's offset is UTC-5, but in May New York is on UTC-4.
    assert _clock(display_zone("local", ["Europe/Kyiv"])) == "12:58"


def test_a_named_zone_wins_and_an_unknown_one_is_refused():
    assert _clock(display_zone("Asia/Tokyo", ["Europe/Kyiv"])) == "01:58"
    assert _clock(display_zone("UTC", ["Europe/Kyiv"])) == "16:58"
    with pytest.raises(ValueError, match="unknown time zone"):
        display_zone("Mars/Olympus", ["Europe/Kyiv"])


def test_a_source_zone_the_database_lacks_falls_back_to_the_machines(machine_in_new_york):
    assert _clock(display_zone("", ["Atlantis/Capital"])) == "12:58"


def test_day_headers_read_as_the_site_writes_them():
    assert day_header(date(2025, 5, 16)) == "2025, Friday · 16 May"
    assert day_header(date(2024, 12, 1)) == "2024, Sunday · 1 December"


def test_moments_and_epochs_are_written_in_the_zone_given():
    kyiv = display_zone("Europe/Kyiv", [])
    assert date_time_text(MAY_HEADLINE, kyiv) == "Friday, 16 May 2025, 19:58"
    assert epoch_text(MAY_HEADLINE.timestamp(), kyiv) == "16 May 2025, 19:58"


@pytest.mark.parametrize(
    "rule", ["CET-1CEST,M3.5.0,M10.5.0/3", ":/usr/share/zoneinfo/Europe/Paris", "Europe/Paris"]
)
def test_the_machines_zone_is_what_the_c_library_makes_of_tz(rule):
    # Every form TZ can take, summer time included: a POSIX rule, a file path, a name.
    if rule.startswith(":/") and not os.path.exists(rule[1:]):
        pytest.skip("no zoneinfo file at that path here")
    with machine_zone(rule):
        assert _clock(display_zone("local", ["Europe/Kyiv"])) == "18:58"  # CEST, UTC+2
