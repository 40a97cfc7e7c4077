"""Reads dates and times as news sites write them: ISO 8601, RFC 822, English and Ukrainian."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

# Only the head of a string is read: a date line is short, and a bound keeps every regex
# below linear in a size we choose rather than in what a page sends.
MAX_TEXT = 200
# A date without a year is taken in the latest year that does not put it further than this
# into the future of the reference day (a list read just after midnight, clocks a bit off).
_FUTURE_SLACK = timedelta(days=7)


_MONTHS: dict[str, int] = {}
for _number, (_names, _other_names) in enumerate(
    zip(
        (
            "january jan січень січня січ",
            "february feb лютий лютого лют",
            "march mar березень березня бер",
            "april apr квітень квітня квіт",
            "may травень травня трав",
            "june jun червень червня черв",
            "july jul липень липня лип",
            "august aug серпень серпня серп",
            "september sept sep вересень вересня вер",
            "october oct жовтень жовтня жовт",
            "november nov листопад листопада лист",
            "december dec грудень грудня груд",
        ),
        # Month names of article datelines in other languages (German, French, Spanish,
        # Portuguese, Italian, Dutch, the Nordic languages, Polish and Russian genitives): a
        # visible date is often the only one a page gives.
        (
            "januar jänner janvier enero janeiro gennaio januari stycznia января",
            "februar février fevrier febrero fevereiro febbraio februari lutego февраля",
            "märz maerz mars marzo março marco maart marca марта",
            "avril abril aprile kwietnia апреля",
            "mai mayo maio maggio mei maj maja мая",
            "juin junio junho giugno juni czerwca июня",
            "juillet julio julho luglio juli lipca июля",
            "août aout agosto augustus augusti sierpnia августа",
            "septembre septiembre setiembre setembro settembre września сентября",
            "oktober octobre octubre outubro ottobre października октября",
            "novembre noviembre novembro listopada ноября",
            "dezember décembre decembre diciembre dezembro dicembre desember grudnia декабря",
        ),
        strict=True,
    ),
    start=1,
):
    for _name in f"{_names} {_other_names}".split():
        _MONTHS[_name] = _number

_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday "
    "mon tue tues wed thu thur thurs fri sat sun "
    "понеділок вівторок середа середу четвер п'ятниця п'ятницю субота суботу неділя неділю "
    "пн вт ср чт пт сб нд"
).split()
_RELATIVE_DAYS = {"today": 0, "сьогодні": 0, "yesterday": -1, "вчора": -1, "учора": -1}
# Words that sit around dates and times in headers and meta lines without adding anything:
# "Updated", "о 19:58" (at), "2025 р." / "2025 року" (year), "16th of May".
_FILLER_WORDS = {
    "of", "at", "on", "the", "updated", "published", "оновлено", "опубліковано", "о", "об",
    "р", "року", "рік", "г", "am", "pm", "a", "p", "m", "st", "nd", "rd", "th", "utc", "gmt",
    "kyiv", "time", "за", "київським", "часом", "часу",
    # "12 de marzo de 2025 às 14h30", "12. März 2025, 14:30 Uhr", "le 12 mars à 14h30"
    "de", "del", "às", "as", "à", "le", "um", "uhr", "ore", "kl", "klo", "o", "godz",
}  # fmt: skip


def _alternation(words: list[str] | tuple[str, ...] | set[str]) -> str:
    # Longest first, so "червня" is not read as "черв" + leftovers.
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_LETTER_BEFORE = r"(?<![^\W\d_])"  # not preceded by a letter (digits may touch: "16травня")
_LETTER_AFTER = r"(?![^\W\d_])"
_MONTH = rf"{_LETTER_BEFORE}(?P<month>{_alternation(list(_MONTHS))}){_LETTER_AFTER}\.?"
_DAY = r"(?<![\d.:/-])(?P<day>[0-3]?\d)(?:st|nd|rd|th|-?го|-?е)?"
_DAY_MONTH = re.compile(rf"{_DAY}\.?\s*(?:(?:of|de|del)\s+)?{_MONTH}", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"{_MONTH}\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])(?![^\W\d_])", re.IGNORECASE
)
_YEAR = re.compile(r"(?<![\d:.])(?P<year>(?:19|20)\d\d)(?![\d:])")
# "2025년 3월 12일", "2025年3月12日": year, month and day each followed by its unit.
_CJK_YMD = re.compile(
    r"(?P<year>\d{4})\s*[년年]\s*(?P<month>\d{1,2})\s*[월月]\s*(?P<day>\d{1,2})\s*[일日]"
)
_YMD = re.compile(r"(?<![\d.:/-])(?P<year>\d{4})([-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?!\d)")
_DMY = re.compile(
    r"(?<![\d.:/-])(?P<day>\d{1,2})([./-])(?P<month>\d{1,2})\2(?P<year>\d{4}|\d{2})(?![\d:]|\.\d)"
)
_RELATIVE = re.compile(
    rf"{_LETTER_BEFORE}(?P<word>{_alternation(set(_RELATIVE_DAYS))}){_LETTER_AFTER}", re.IGNORECASE
)
_TIME = re.compile(
    r"(?<![\d:.])(?P<hour>[01]?\d|2[0-3])(?::|h(?=[0-5]\d))(?P<minute>[0-5]\d)"
    r"(?::(?P<second>[0-5]\d))?(?![\d:])"
    r"(?:\s*(?P<half>[ap])\.?\s?m\b\.?)?",
    re.IGNORECASE,
)
# A zone written right after a time: "19:58 UTC", "07:47 PM EST", "14:00:00+03:00", "Z".
_ZONE_SUFFIX = re.compile(
    r"\s*(?:(?P<name>UTC|GMT|Z|EET|EEST|CET|CEST|BST|EST|EDT|CST|CDT|MST|MDT|PST|PDT)(?![^\W\d_]))?"
    r"\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_NAMED_OFFSETS = {
    "utc": 0, "gmt": 0, "z": 0, "eet": 2, "eest": 3, "cet": 1, "cest": 2, "bst": 1,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:(?:T|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_ISO_BASIC = re.compile(
    r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?P<minute>\d{2})(?P<second>\d{2})?(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_RFC822_SHAPE = re.compile(
    r"^\s*(?:[a-z]{3},?\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d", re.IGNORECASE
)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "\u00a0": " "})
_NOISE = re.compile(
    rf"{_TIME.pattern}|\d+|{_MONTH}|{_LETTER_BEFORE}(?:{_alternation(_WEEKDAYS)}){_LETTER_AFTER}",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=64)
def to_local(moment: datetime, tz: tzinfo) -> datetime:
    """`moment` in the zone `tz`: naive values are taken as already local, aware ones converted."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


def parse_iso(text: str, tz: tzinfo) -> datetime | None:
    """An ISO 8601 / RFC 3339 date or date-time as an aware datetime in `tz`, else None.

    Accepts "2025-05-16", "2025-05-16T19:58", "2025-05-16 19:58:00.123+03:00", "…Z" and the
    basic form "20250516T165800Z". A value without an offset is local time in `tz`; a value
    with one is converted to `tz` (the same instant), so that `.date()` is the local day.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()[:MAX_TEXT]
    match = _ISO.fullmatch(text) or _ISO_BASIC.fullmatch(text)
    if match is None:
        return None
    parts = match.groupdict()
    try:
        fraction = (parts.get("fraction") or "")[:6].ljust(6, "0")
        moment = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int(fraction),
        )
        offset = _offset(parts.get("zone"))
        if offset is None:
            return moment.replace(tzinfo=tz)
        return moment.replace(tzinfo=offset).astimezone(tz)
    except (ValueError, OverflowError):
        return None


def parse_rfc822(text: str, tz: tzinfo | None = None) -> datetime | None:
    """An RFC 822 / 2822 date (a feed's pubDate: "Fri, 16 May 2025 19:58:00 +0300"), else None.

    The result is aware: a value with no zone (or "-0000") is taken as UTC. With `tz` given it
    is converted to that zone.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    import email.utils  # deferred: only feeds need it, and it pulls in socket and more

    try:
        moment = email.utils.parsedate_to_datetime(text.strip()[:MAX_TEXT])
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(tz) if tz is not None else moment
    except (ValueError, OverflowError):
        return None


def find_date(text: str, reference: date | None = None) -> date | None:
    """The first calendar date written in `text`, in words or numbers, English or Ukrainian.

    Reads "16 May 2025, Friday", "2025, Friday 16 May", "Friday, May 16, 2025", "May 16th",
    "11 December, 2024 Wednesday", "16 травня, 2025 п’ятниця", "16.05.2025", "2025-05-16",
    "Today"/"Сьогодні". A date without a year takes the year that puts it closest to, and not
    far after, `reference` (today when None). None when there is no date.
    """
    if not isinstance(text, str) or not text:
        return None
    text = text[:MAX_TEXT].translate(_APOSTROPHES)
    reference = reference or date.today()
    found: list[tuple[int, date]] = []
    for pattern in (_CJK_YMD, _YMD, _DMY):
        for match in pattern.finditer(text):
            value = _numeric_date(match)
            if value is not None:
                found.append((match.start(), value))
                break
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            value = _worded_date(text, match, reference)
            if value is not None:
                found.append((match.start(), value))
                break
    relative = _RELATIVE.search(text)
    if relative:
        offset = _RELATIVE_DAYS[relative.group("word").lower()]
        found.append((relative.start(), reference + timedelta(days=offset)))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def find_time(text: str) -> time | None:
    """The first clock time in `text`: "19:58", "19:58:07", "7:05 pm", "15 May, 22:10"."""
    match = _time_match(text)
    return _match_time(match) if match else None


def parse_datetime_text(text: str, tz: tzinfo, reference: date | None = None) -> datetime | None:
    """A date with an optional time, written any way `find_date` reads, as an aware datetime.

    The time is local to `tz` unless a zone follows it ("19:58 UTC", "07:47 PM EST"), in which
    case the instant is converted to `tz`. No time means midnight. None when there is no date.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()[:MAX_TEXT]
    exact = parse_iso(text, tz)
    if exact is not None:
        return exact
    if _RFC822_SHAPE.match(text):
        feed_style = parse_rfc822(text, tz)
        if feed_style is not None:
            return feed_style
    if reference is None:
        reference = datetime.now(tz).date()
    day = find_date(text, reference)
    if day is None:
        return None
    match = _time_match(text)
    clock = _match_time(match) if match else None
    if match is None or clock is None:
        return datetime.combine(day, time(0), tzinfo=tz)
    suffix = _ZONE_SUFFIX.match(text, match.end())
    try:
        written_zone = None
        if suffix and (suffix.group("name") or suffix.group("offset")):
            written_zone = _offset(suffix.group("name"), suffix.group("offset"))
        if written_zone is not None:
            return datetime.combine(day, clock, tzinfo=written_zone).astimezone(tz)
        return datetime.combine(day, clock, tzinfo=tz)
    except (ValueError, OverflowError):
        return None


def is_date_line(text: str, max_other_words: int = 1) -> bool:
    """Whether `text` is a date or time line and little else ("2025, Friday 16 May", "19:58").

    Words that are not month, weekday or filler words are counted; more than
    `max_other_words` of them means the text is prose or a headline that mentions a date.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        return False
    # Every date and time this module reads has a digit, but "today" and "yesterday": the
    # cheap test first, as most short blocks of a page are not dates.
    if not _DIGIT.search(text) and not _RELATIVE.search(text):
        return False
    text = text.translate(_APOSTROPHES)
    if not (_time_match(text) or find_date(text, date(2000, 1, 1))):
        return False
    rest = _NOISE.sub(" ", text)
    others = [word for word in _WORD.findall(rest) if word.lower() not in _FILLER_WORDS]
    return len(others) <= max_other_words


def _time_match(text: str) -> re.Match[str] | None:
    if not isinstance(text, str) or not text:
        return None
    for match in _TIME.finditer(text[:MAX_TEXT]):
        if _match_time(match) is not None:
            return match
    return None


def _match_time(match: re.Match[str]) -> time | None:
    hour = int(match.group("hour"))
    minute = int(match.group("minute"))
    second = int(match.group("second") or 0)
    half = (match.group("half") or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    return time(hour, minute, second)


def _numeric_date(match: re.Match[str]) -> date | None:
    year = int(match.group("year"))
    if year < 100:
        year += 2000
    month, day = int(match.group("month")), int(match.group("day"))
    if month > 12 and day <= 12:  # the American order, 05/16/2025
        month, day = day, month
    return _valid_date(year, month, day)


def _worded_date(text: str, match: re.Match[str], reference: date) -> date | None:
    if match.re is _MONTH_DAY and match.group("month") == "may":
        return None  # "Ukraine may 2…" is a verb; the month is written "May"
    month = _MONTHS[match.group("month").lower()]
    day = int(match.group("day"))
    year = _nearest_year(text, match.start(), match.end())
    if year is not None:
        return _valid_date(year, month, day)
    return _year_from_reference(month, day, reference)


def _nearest_year(text: str, start: int, end: int) -> int | None:
    """The four-digit year closest to the day-and-month found at text[start:end]."""
    best: tuple[int, int] | None = None
    for match in _YEAR.finditer(text):
        if start <= match.start() < end:
            continue
        distance = start - match.end() if match.end() <= start else match.start() - end
        if best is None or distance < best[0]:
            best = (distance, int(match.group("year")))
    return best[1] if best else None


def _year_from_reference(month: int, day: int, reference: date) -> date | None:
    latest = reference + _FUTURE_SLACK
    for year in range(reference.year + 1, reference.year - 8, -1):
        candidate = _valid_date(year, month, day)
        if candidate is not None and candidate <= latest:
            return candidate
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _offset(name: str | None, numeric: str | None = None) -> tzinfo | None:
    """A fixed offset from "Z", "UTC", "EST", "+03:00", "+0300", "-05" (None when absent)."""
    if numeric is None and name and name[0] in "+-":
        name, numeric = None, name
    hours = _NAMED_OFFSETS.get(name.lower(), 0) if name else 0
    if not name and not numeric:
        return None
    minutes = 0
    if numeric:
        sign = -1 if numeric[0] == "-" else 1
        digits = numeric[1:].replace(":", "")
        if len(digits) <= 2:
            extra_hours, extra_minutes = int(digits), 0
        else:
            extra_hours, extra_minutes = int(digits[:-2]), int(digits[-2:])
        if extra_hours > 14 or extra_minutes > 59:
            raise ValueError("offset out of range")
        minutes = sign * (extra_hours * 60 + extra_minutes)
    return timezone(timedelta(hours=hours, minutes=minutes))
