"""Makes web text safe to store and show: no control, escape or bidi-override characters."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, the C1 block (0x80-0x9f, which includes the
# single-byte CSI 0x9b), and the bidi embedding/override/isolate characters that can make
# a terminal show text in an order other than the one stored (CVE-2021-42574 style).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufff9-\ufffb]"
)
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Remove control, escape and bidi-control characters; keep newlines and tabs.

    A carriage return becomes a newline so that CRLF text keeps its line breaks.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", text)


def one_line(text: str) -> str:
    """Clean text and fold every run of whitespace (U+00A0 included) into one space."""
    return _SPACES.sub(" ", clean_text(text)).strip()
