"""Makes web text safe to store and show: no control, escape, bidi or invisible characters."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, the C1 block (0x80-0x9f, which includes the
# single-byte CSI 0x9b), and the bidi embedding/override/isolate characters that can make
# a terminal show text in an order other than the one stored (CVE-2021-42574 style), and
# the invisible format characters (zero-width space, word joiner, invisible operators, BOM,
# the deprecated shaping controls, the Mongolian vowel separator): shown as nothing, they
# hide text and make two different strings look alike. The joiners ZWJ/ZWNJ stay: scripts
# need them.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufff9-\ufffb"
    "\u200b\u2060-\u2064\u206a-\u206f\ufeff\u180e]"
)
_SPACES = re.compile(r"\s+")
# A numeric character reference, which a parser turns into the character it names.
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
# Where Rich and terminals count cells differently: variation selectors (⚛️ is 2 cells to
# Rich, 1 to tmux and to wcwidth terminals), skin-tone modifiers (👍🏽: 2 against 4), the
# zero-width joiner (👩‍👩‍👧: 2 against 6 with wcwidth; 'a' ZWJ 'b' is 1 cell to Rich) and the
# invisible tag characters. Without them every code point has one width everywhere.
_WIDTH_AMBIGUOUS = re.compile("[\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f]")


def clean_text(text: str) -> str:
    """Remove control, escape and bidi-control characters; keep newlines and tabs.

    A carriage return becomes a newline so that CRLF text keeps its line breaks.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", text)


def clean_markup(markup: str) -> str:
    """Clean HTML or XML before parsing: also drop references to what clean_text removes.

    `&#27;` would otherwise become an ESC inside the parsed tree, past any cleaning of the
    source text; lxml then refuses to edit the text around it.
    """
    markup = clean_text(markup)
    cleaned = _CHARACTER_REFERENCE.sub(_drop_unsafe_reference, markup)
    if any(_is_unsafe_reference(match) for match in _CHARACTER_REFERENCE.finditer(cleaned)):
        # A removal joined its neighbours into a new reference ("&#&#27;x1b;"): mark each
        # place with U+FFFD instead, which cannot be part of a reference.
        cleaned = _CHARACTER_REFERENCE.sub(_mark_unsafe_reference, markup)
    return cleaned


def _is_unsafe_reference(match: re.Match[str]) -> bool:
    hex_digits, decimal = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(decimal)
    if code > 0x10FFFF:
        return False  # names no character: parsers make it U+FFFD
    if 0x80 <= code <= 0x9F:
        # HTML parsers read these as windows-1252 (&#150; is an en dash on old pages).
        return code in (0x81, 0x8D, 0x8F, 0x90, 0x9D)  # the five 1252 leaves undefined
    character = chr(code)
    return clean_text(character) != character


def _drop_unsafe_reference(match: re.Match[str]) -> str:
    return "" if _is_unsafe_reference(match) else match.group(0)


def _mark_unsafe_reference(match: re.Match[str]) -> str:
    return "\ufffd" if _is_unsafe_reference(match) else match.group(0)


def one_line(text: str) -> str:
    """Clean text and fold every run of whitespace (U+00A0 included) into one space."""
    return _SPACES.sub(" ", clean_text(text)).strip()


def for_terminal(text: str) -> str:
    """Clean text for drawing in fixed cells: emoji sequences become their plain parts.

    A row measured by Rich and drawn by a terminal that counts otherwise ends a few columns
    off and pushes the pane border; this keeps the two counts equal.
    """
    return _WIDTH_AMBIGUOUS.sub("", clean_text(text))


def screen_line(text: str) -> str:
    """One line of web text for drawing in fixed cells: one_line after for_terminal."""
    return _SPACES.sub(" ", for_terminal(text)).strip()  # for_terminal has cleaned it
