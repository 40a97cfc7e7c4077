"""The one date module: written dates in English and Ukrainian, ISO and RFC 822, zones, DST."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsterm.text import dates, zones

KYIV = ZoneInfo("Europe/Kyiv")
REFERENCE = date(2025, 5, 17)


# -- zone ---------------------------------------------------------------------------------------


def test_zone_defaults_to_kyiv_and_knows_iana_names():
    assert zones.zone(None).utcoffset(datetime(2025, 5, 16, 12)) == timedelta(hours=3)
    assert zones.zone("Europe/Warsaw").utcoffset(datetime(2025, 1, 10, 12)) == timedelta(hours=1)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "../../etc/passwd", "Europe/"])
def test_zone_rejects_unknown_names_with_value_error(name):
    with pytest.raises(ValueError):
        zones.zone(name)


# -- find_date: the forms news sites write ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025, Friday 16 May", date(2025, 5, 16)),  # the site's header, year span + day span
        ("2025, Thursday 15 May", date(2025, 5, 15)),
        ("16 May 2025, Friday", date(2025, 5, 16)),
        ("Friday, May 16, 2025", date(2025, 5, 16)),
        ("May 16, 2025", date(2025, 5, 16)),
        ("May 16th", date(2025, 5, 16)),
        ("16th of May 2025", date(2025, 5, 16)),
        ("11 December, 2024 Wednesday", date(2024, 12, 11)),  # the seed article's date line
        ("16 травня, 2025 п’ятниця", date(2025, 5, 16)),  # typographic apostrophe
        ("16 травня, 2025 п'ятниця", date(2025, 5, 16)),  # ASCII apostrophe
        ("3 червня 2024 р.", date(2024, 6, 3)),
        ("Травень 2025, 9", None),  # a month and a year but no day next to the month
        ("1 січня 2025", date(2025, 1, 1)),
        ("16.05.2025", date(2025, 5, 16)),
        ("16.05.25", date(2025, 5, 16)),
        ("2025-05-16", date(2025, 5, 16)),
        ("2025/05/16", date(2025, 5, 16)),
        ("05/16/2025", date(2025, 5, 16)),  # month > 12 in second place: the American order
        ("Updated 16.05.2025 14:49", date(2025, 5, 16)),
        ("no date in this line", None),
        ("19:58", None),
        ("", None),
    ],
)
def test_find_date_reads_written_dates(text, expected):
    assert dates.find_date(text, REFERENCE) == expected


def test_a_date_without_a_year_takes_the_year_that_is_not_far_in_the_future():
    assert dates.find_date("15 May", date(2025, 5, 17)) == date(2025, 5, 15)
    assert dates.find_date("15 May, 22:10", date(2025, 5, 17)) == date(2025, 5, 15)
    # Read on 2 January, "31 December" is two days ago, not a year ahead.
    assert dates.find_date("31 December", date(2025, 1, 2)) == date(2024, 12, 31)
    # Read on 30 December, "2 January" is a header from just after midnight next year.
    assert dates.find_date("2 January", date(2025, 12, 30)) == date(2026, 1, 2)
    # 29 February exists only in leap years: the latest one that is not in the future.
    assert dates.find_date("29 лютого", date(2025, 5, 17)) == date(2024, 2, 29)


def test_relative_day_words_count_from_the_reference():
    assert dates.find_date("Today", REFERENCE) == REFERENCE
    assert dates.find_date("Сьогодні", REFERENCE) == REFERENCE
    assert dates.find_date("Yesterday", REFERENCE) == date(2025, 5, 16)
    assert dates.find_date("вчора", REFERENCE) == date(2025, 5, 16)


def test_the_verb_may_is_not_a_month():
    assert dates.find_date("Ukraine may 2 things", REFERENCE) is None
    assert dates.find_date("Talks May 2 in Istanbul", REFERENCE) == date(2025, 5, 2)


def test_impossible_dates_are_no_dates():
    assert dates.find_date("31.02.2025", REFERENCE) is None
    assert dates.find_date("32 May 2025", REFERENCE) is None


# -- find_time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19:58", time(19, 58)),
        ("15 May, 22:10", time(22, 10)),
        ("16.05.2025 14:49", time(14, 49)),
        ("7:05 pm", time(19, 5)),
        ("7:05 p.m.", time(19, 5)),
        ("12:30 am", time(0, 30)),
        ("12:30 PM", time(12, 30)),
        ("19:58:07", time(19, 58, 7)),
        ("о 09:03", time(9, 3)),
        ("24:10", None),
        ("19:7", None),
        ("16.05.2025", None),  # dots are a date here, never a time
        ("ratio 3:2:1", None),
        ("nothing", None),
    ],
)
def test_find_time(text, expected):
    assert dates.find_time(text) == expected


# -- parse_iso and parse_rfc822 -----------------------------------------------------------------


def test_parse_iso_keeps_offsets_and_converts_to_the_site_zone():
    moment = dates.parse_iso("2025-05-16T19:58:00+03:00", KYIV)
    assert moment == datetime(2025, 5, 16, 19, 58, tzinfo=KYIV)
    assert moment.isoformat() == "2025-05-16T19:58:00+03:00"


def test_parse_iso_reads_utc_and_decides_the_local_day_after_converting():
    moment = dates.parse_iso("2025-05-15T21:30:00Z", KYIV)
    assert moment.isoformat() == "2025-05-16T00:30:00+03:00"
    assert moment.date() == date(2025, 5, 16)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-12-11T15:16:00", "2024-12-11T15:16:00+02:00"),  # naive: site time, winter
        ("2025-05-16 19:58", "2025-05-16T19:58:00+03:00"),  # naive: site time, summer
        ("2025-05-16", "2025-05-16T00:00:00+03:00"),
        ("2025-05-16T16:58:00.123456Z", "2025-05-16T19:58:00.123456+03:00"),
        ("2025-05-16T18:58:00+0200", "2025-05-16T19:58:00+03:00"),
        ("20250516T165800Z", "2025-05-16T19:58:00+03:00"),
        ("  2025-05-16T19:58:00+03:00  ", "2025-05-16T19:58:00+03:00"),
    ],
)
def test_parse_iso_forms(text, expected):
    assert dates.parse_iso(text, KYIV).isoformat() == expected


@pytest.mark.parametrize(
    "text", ["", "garbage", "2025-13-01", "2025-02-30", "2025-05-16T25:00", "16 May 2025", "2025"]
)
def test_parse_iso_returns_none_for_anything_else(text):
    assert dates.parse_iso(text, KYIV) is None


def test_parse_rfc822_reads_pubdates():
    moment = dates.parse_rfc822("Fri, 16 May 2025 19:58:00 +0300")
    assert moment == datetime(2025, 5, 16, 16, 58, tzinfo=UTC)
    assert dates.parse_rfc822("Fri, 16 May 2025 16:58:00 GMT", KYIV).isoformat() == (
        "2025-05-16T19:58:00+03:00"
    )
    # No zone at all is read as UTC rather than guessed.
    assert dates.parse_rfc822("16 May 2025 16:58:00 -0000").utcoffset() == timedelta(0)
    assert dates.parse_rfc822("not a date") is None
    assert dates.parse_rfc822("") is None


# -- parse_datetime_text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025, Friday 16 May 19:58", "2025-05-16T19:58:00+03:00"),
        ("11 December, 2024 Wednesday 15:16", "2024-12-11T15:16:00+02:00"),  # EET in winter
        ("16.05.2025 14:49", "2025-05-16T14:49:00+03:00"),
        ("15 May, 22:10", "2025-05-15T22:10:00+03:00"),
        ("16 травня, 2025 п’ятниця", "2025-05-16T00:00:00+03:00"),  # no time: midnight
        ("November 19, 2019, 07:47 PM EST", "2019-11-20T02:47:00+02:00"),  # zone written
        ("16 May 2025 16:58 UTC", "2025-05-16T19:58:00+03:00"),
        ("Fri, 16 May 2025 19:58:00 +0300", "2025-05-16T19:58:00+03:00"),
        ("2025-05-16T16:58:00Z", "2025-05-16T19:58:00+03:00"),
    ],
)
def test_parse_datetime_text(text, expected):
    assert dates.parse_datetime_text(text, KYIV, REFERENCE).isoformat() == expected


def test_an_impossible_written_offset_is_no_datetime_rather_than_an_error():
    assert dates.parse_datetime_text("Friday 16 May 2025 19:58 +99", KYIV) is None
    assert dates.parse_iso("2025-05-16T19:58:00+99:00", KYIV) is None


def test_parse_datetime_text_needs_a_date():
    assert dates.parse_datetime_text("19:58", KYIV, REFERENCE) is None
    assert dates.parse_datetime_text("", KYIV) is None


def test_dst_is_decided_by_the_zone_database():
    warsaw = zones.zone("Europe/Warsaw")
    summer = dates.parse_datetime_text("16.05.2025 19:58", warsaw, REFERENCE)
    winter = dates.parse_datetime_text("11.12.2024 15:16", warsaw, REFERENCE)
    assert summer.utcoffset() == timedelta(hours=2)
    assert winter.utcoffset() == timedelta(hours=1)


def test_to_local():
    naive = datetime(2025, 5, 16, 19, 58)
    assert dates.to_local(naive, KYIV).isoformat() == "2025-05-16T19:58:00+03:00"
    utc = datetime(2025, 5, 16, 16, 58, tzinfo=UTC)
    assert dates.to_local(utc, KYIV).isoformat() == "2025-05-16T19:58:00+03:00"


# -- date lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2025, Friday 16 May", "16 травня, 2025 п’ятниця", "19:58", "Updated 19:20", "Today"],
)
def test_date_lines(text):
    assert dates.is_date_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "Curfew in Kyiv from 23:00 tonight",
        "Talks in Istanbul on 16 May 2025 ended without a ceasefire",
        "Politics",
        "",
    ],
)
def test_headlines_that_mention_a_date_are_not_date_lines(text):
    assert not dates.is_date_line(text)


# -- robustness ---------------------------------------------------------------------------------


class _MeasuredPattern:
    """A compiled pattern that notes the length of every string it is asked to scan."""

    _SCANS = frozenset({"search", "match", "fullmatch", "finditer", "findall", "split"})

    def __init__(self, pattern: re.Pattern[str], lengths: list[int]) -> None:
        self._pattern = pattern
        self._lengths = lengths

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        attribute = getattr(self._pattern, name)
        if name not in self._SCANS | {"sub", "subn"}:
            return attribute

        def measured(*args, **kwargs):  # type: ignore[no-untyped-def]
            self._lengths.append(len(args[1] if name in ("sub", "subn") else args[0]))
            return attribute(*args, **kwargs)

        return measured


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Lengths of the strings every regex of newsterm.text.dates (and the RFC 822 parser) reads."""
    lengths: list[int] = []
    for name, value in vars(dates).items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(dates, name, _MeasuredPattern(value, lengths))
    real_parsedate = email.utils.parsedate_to_datetime

    def measured_parsedate(text):  # type: ignore[no-untyped-def]
        lengths.append(len(text))
        return real_parsedate(text)

    monkeypatch.setattr(email.utils, "parsedate_to_datetime", measured_parsedate)
    return lengths


def test_huge_inputs_are_read_only_at_their_head(scanned):
    # What keeps these cheap is that no regex reads past MAX_TEXT characters, so each costs
    # at most a size the module chose, whatever a page sends. A date or time beyond the
    # head is therefore not found.
    assert dates.find_date("16 " * 400_000 + "May 2025", REFERENCE) is None
    assert dates.find_time("1:" * 500_000) is None
    assert dates.find_time("1:" * 500_000 + " 19:58") is None
    assert dates.parse_datetime_text("9" * 1_000_000, KYIV) is None
    assert dates.parse_datetime_text("x " * 500_000 + "16 May 2025 19:58", KYIV) is None
    assert dates.parse_iso("2025-05-16" + "0" * 1_000_000, KYIV) is None
    dates.parse_rfc822("Fri, 16 May 2025 19:58:00 +0300" + " x" * 500_000)  # lenient on the tail
    assert not dates.is_date_line("19:58 " * 200_000)
    assert scanned and max(scanned) <= dates.MAX_TEXT


_DATEISH = st.lists(
    st.sampled_from(
        ["16", "May", "травня", "2025", "1", ",", " ", ":", "19", "58", "+", "-", "99", "Z",
         "UTC", "EST", "pm", "T", ".", "/", "31", "02", "0000", "9999", "п’ятниця", "Today",
         "0", "24", "60", "of", "th"]
    ),
    max_size=16,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), _DATEISH))
def test_date_functions_never_raise(text):
    dates.find_date(text, REFERENCE)
    dates.find_time(text)
    dates.is_date_line(text)
    for parsed in (
        dates.parse_iso(text, KYIV),
        dates.parse_rfc822(text, KYIV),
        dates.parse_datetime_text(text, KYIV, REFERENCE),
    ):
        assert parsed is None or parsed.tzinfo is not None
