"""Decodes web page bytes to text: BOM, HTTP charset, the document's declaration, detection."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)["']""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Only the head of a document is searched for its declaration, as browsers do (1024 bytes
# in the HTML spec; a little more here because some CMSs put long comments first).
_DECLARATION_WINDOW = 4096
_DETECTION_WINDOW = 65536


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if it names a codec Python knows."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _known_codec(match.group(1)) if match else None


def declared_charset(body: bytes) -> str | None:
    """The encoding a document declares in its head (`<meta charset>` or `<?xml encoding>`)."""
    head = body[:_DECLARATION_WINDOW]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            codec = _known_codec(match.group(1).decode("ascii", "replace"))
            if codec:
                return codec
    return None


def detect_charset(body: bytes) -> str:
    """Choose an encoding for bytes that declare none: UTF-8 if valid, else chardet's guess."""
    sample = body[:_DETECTION_WINDOW]
    if _is_utf8(sample):
        return "utf-8"
    import chardet  # deferred: only undeclared, non-UTF-8 pages pay for it

    guess = chardet.detect(sample).get("encoding")
    return _known_codec(guess) or "windows-1252"


def choose_charset(body: bytes, content_type: str | None = None) -> str:
    """The encoding to decode `body` with, by precedence: BOM, HTTP header, declaration, detection.

    A BOM wins over the header, as in the WHATWG encoding standard. A declared UTF-8 body
    with no valid multi-byte sequences but many invalid bytes is re-detected, because
    servers often default the header to UTF-8 while the page is in a legacy charset; UTF-8
    with a few stray bad bytes stays UTF-8 (they become U+FFFD).
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec
    codec = charset_from_content_type(content_type) or declared_charset(body)
    if codec == "utf-8" and _mostly_not_utf8(body[:_DETECTION_WINDOW]):
        return detect_charset(body)
    return codec or detect_charset(body)


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode web bytes to text; undecodable bytes become U+FFFD, never an exception."""
    if isinstance(body, str):
        return body
    codec = choose_charset(body, content_type)
    text = body.decode(codec, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    # Browsers treat these labels as windows-1252 / UTF-8 (WHATWG); so do we.
    name = {
        "iso-8859-1": "windows-1252",
        "latin1": "windows-1252",
        "ascii": "windows-1252",
        "us-ascii": "windows-1252",
        "utf8": "utf-8",
        "unicode": "utf-8",
    }.get(name, name)
    try:
        return codecs.lookup(name).name.replace("_", "-") if name else None
    except LookupError:
        return None


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_LEGACY_MIN_BYTES = 16


def _mostly_not_utf8(sample: bytes) -> bool:
    """Whether high bytes are mostly outside valid UTF-8 sequences (a legacy charset)."""
    if _is_utf8(sample):
        return False
    valid = _UTF8_MULTIBYTE.findall(sample)
    valid_bytes = sum(len(sequence) for sequence in valid)
    invalid_bytes = len(_HIGH_BYTE.findall(sample)) - valid_bytes
    # A handful of bad bytes is damage, not a different charset: keep them as U+FFFD.
    return invalid_bytes > max(valid_bytes, _LEGACY_MIN_BYTES)


def _is_utf8(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is not an error.
        return error.start >= len(sample) - 3 and error.reason == "unexpected end of data"
    return True
