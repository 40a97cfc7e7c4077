"""Header values from servers, vetted before use: Retry-After, validators, Location."""

from __future__ import annotations

import email.utils
import re
import time
from datetime import UTC
from urllib.parse import quote

RETRY_AFTER_CEILING = 24 * 3600.0
"""The longest Retry-After taken from a server (one day); a longer one is cut to it."""
_DELTA_SECONDS = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit takes "٣" too
_VISIBLE_ASCII = re.compile(r"[\x20-\x7e]+")
# Never raw in a URL: C0 controls, space, DEL, C1 controls (0x9b alone is CSI to a terminal),
# and the invisible format characters that make one URL look like another: soft hyphen,
# zero-width and joiners, bidi marks, embeddings, overrides and isolates, the BOM.
_UNSAFE_IN_URL = re.compile(
    "[\x00-\x20\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# WHATWG: leading and trailing C0 controls and spaces are dropped, tab and newlines anywhere.
_URL_ENDS = "".join(map(chr, range(0x21)))
_URL_DROPPED = re.compile("[\t\n\r]")
_MAX_VALIDATOR = 1024  # characters; real ETags are tens: a longer one is junk, not a version


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (RFC 9110: delta-seconds or an HTTP-date).

    Never more than RETRY_AFTER_CEILING, so a time computed from it is always one a date can
    hold; None when absent or neither form (a sign, a fraction, "inf", "nan" are not
    delta-seconds). A date already past is 0.
    """
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        # Compared as text first: ten thousand digits are a valid, absurd number.
        digits = value.lstrip("0") or "0"
        if len(digits) > len(str(int(RETRY_AFTER_CEILING))):
            return RETRY_AFTER_CEILING
        return min(float(digits), RETRY_AFTER_CEILING)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # the asctime form, which is GMT without saying so
        when = when.replace(tzinfo=UTC)
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(0.0, seconds), RETRY_AFTER_CEILING)


def validator(value: str | None) -> str | None:
    """An ETag or Last-Modified fit to be stored and sent back: visible ASCII and spaces, or None.

    Anything else (UTF-8 or Latin-1 bytes, controls) cannot go back into a request header as
    it came; dropping it costs one unconditional fetch, keeping it would fail every later one.
    """
    if value is None:
        return None
    value = value.strip(" ")
    if not value or len(value) > _MAX_VALIDATOR or not _VISIBLE_ASCII.fullmatch(value):
        return None
    return value


def location_text(raw: bytes) -> str:
    """A redirect's Location as URL text in which nothing controlling or invisible is raw.

    As browsers do: UTF-8, else each byte beyond ASCII percent-encoded; tab and newlines
    dropped, the ends trimmed, and every other unsafe character percent-encoded (UTF-8), so
    "/a\u200b" becomes "/a%E2%80%8B". A host left holding a "%" is for the caller to refuse.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = "".join(chr(byte) if byte < 0x80 else f"%{byte:02X}" for byte in raw)
    text = _URL_DROPPED.sub("", text.strip(_URL_ENDS))
    return _UNSAFE_IN_URL.sub(lambda found: quote(found.group(), safe=""), text)
