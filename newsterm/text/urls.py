"""Reads URLs from the web as browsers do (WHATWG URL standard), in a form safe to show."""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from urllib.parse import unquote

from newsterm.text.sanitize import clean_text

MAX_URL_CHARS = 4096
"""Longer URLs are refused: no news link needs more, and each is stored and shown."""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# WHATWG: leading and trailing C0 controls and spaces are stripped, tabs and newlines
# anywhere are removed (a link split over two lines of HTML still works).
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
# Code points a host can never hold (WHATWG's forbidden domain code points).
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|]")
# Printable ASCII that browsers percent-encode in each part (the standard's encode sets,
# less the ones every server reads alike either way).
_PATH_ENCODED = frozenset(' "<>`{}')
_QUERY_ENCODED = frozenset(' "<>`')
_FRAGMENT_ENCODED = frozenset(' "<>`')
_USERINFO_ENCODED = frozenset(' "<>`{}/:;=@[\\]^|')
# Invisible characters that are not format characters by category but show as nothing:
# fillers, the combining grapheme joiner, variation selectors.
_INVISIBLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)


class UrlRefused(ValueError):
    """A URL that cannot be fetched or shown safely; the message says why, in one line."""


def clean_url(text: str | None, base: str | None = None) -> str | None:
    """`text`, resolved against `base`, as a browser reads it; None unless it is http(s).

    Every URL taken from the web or a user goes through here once, where it enters, so the
    host that is shown is the host that is fetched and the host a browser opens:
    - a backslash is a slash before the query (`http://evil\\@bank/` is host evil, path
      `/@bank/`), leading/trailing controls and spaces go, tabs and newlines anywhere go;
    - the host is decoded, lower-cased, IDNA-encoded (xn--) and IPv4 forms are written as
      dotted quads (`0x7f.1` is 127.0.0.1); a default port is dropped;
    - `.` and `..` path segments are resolved;
    - control, escape, bidi and invisible format characters are removed (as sanitize does
      for titles), other invisible or space characters and `" < > \\``` are percent-encoded.
    The result is unchanged by a second pass.
    """
    try:
        return check_url(text, base)
    except UrlRefused:
        return None


def check_url(text: str | None, base: str | None = None) -> str:
    """clean_url(), raising UrlRefused with the reason instead of returning None."""
    if not isinstance(text, str):
        raise UrlRefused("not a URL")
    if len(text) > MAX_URL_CHARS:
        raise UrlRefused(f"URL longer than {MAX_URL_CHARS} characters")
    text = _remove_unsafe(text).strip(_C0_AND_SPACE)
    text = _TAB_OR_NEWLINE.sub("", text)
    if not text:
        raise UrlRefused("empty URL")
    base_url = _clean_base(base) if base else None
    scheme_match = _SCHEME.match(text)
    if scheme_match:
        scheme = scheme_match.group(0)[:-1].lower()
        rest = _slashes_for_backslashes(text[scheme_match.end() :])
        if scheme not in _DEFAULT_PORTS:
            raise UrlRefused(f"not an http(s) URL ({scheme}: links are not fetched or opened)")
        if base_url and base_url.startswith(scheme + ":") and not rest.startswith("//"):
            # "http:page" on an http page is relative to it, as in browsers.
            return _resolve(base_url, rest)
        return _absolute(scheme, rest.lstrip("/"))
    if base_url is None:
        raise UrlRefused("not an http(s) URL (it needs http:// or https://)")
    rest = _slashes_for_backslashes(text)
    if rest.startswith("//"):
        return _absolute(base_url.split(":", 1)[0], rest.lstrip("/"))
    return _resolve(base_url, rest)


@functools.lru_cache(maxsize=64)
def _clean_base(base: str) -> str | None:
    # A page resolves all its links against one base: read it once, not once a link.
    return clean_url(base)


def _remove_unsafe(text: str) -> str:
    text = clean_text(text)  # C0 but tab/newline, DEL, C1, bidi and zero-width format
    if text.isascii():
        return text  # the common case: ASCII holds no format or invisible character
    return "".join(
        char for char in text if unicodedata.category(char) != "Cf" and not _INVISIBLE.match(char)
    )


def _slashes_for_backslashes(rest: str) -> str:
    """In http(s), a backslash before the query or fragment is a slash (WHATWG)."""
    end = len(rest)
    for mark in "?#":
        found = rest.find(mark)
        if 0 <= found < end:
            end = found
    return rest[:end].replace("\\", "/") + rest[end:]


def _split_tail(rest: str) -> tuple[str, str | None, str | None]:
    """(path, query, fragment) of what follows the authority; None where the mark is absent."""
    fragment = query = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    if "?" in rest:
        rest, query = rest.split("?", 1)
    return rest, query, fragment


def _absolute(scheme: str, rest: str) -> str:
    end = len(rest)
    for mark in "/?#":
        found = rest.find(mark)
        if 0 <= found < end:
            end = found
    authority, tail = rest[:end], rest[end:]
    userinfo = ""
    if "@" in authority:
        # The last "@" ends the credentials, as in browsers; any other is part of them.
        credentials, authority = authority.rsplit("@", 1)
        user, colon, password = credentials.partition(":")
        userinfo = _encode(user, _USERINFO_ENCODED) + colon + _encode(password, _USERINFO_ENCODED)
        userinfo = f"{userinfo}@" if user or password else ""
    host, port = _host_and_port(scheme, authority)
    path, query, fragment = _split_tail(tail)
    return _assemble(f"{scheme}://{userinfo}{host}{port}", _path(path, []), query, fragment)


def _resolve(base: str, rest: str) -> str:
    """A relative reference against a clean absolute http(s) URL."""
    scheme_end = base.index("://") + 3
    slash = base.find("/", scheme_end)
    origin = base[:slash]
    base_path, base_query, _ = _split_tail(base[slash:])
    path, query, fragment = _split_tail(rest)
    if path.startswith("/"):
        return _assemble(origin, _path(path, []), query, fragment)
    if not path:
        if query is None:
            query = base_query
        return _assemble(origin, base_path, query, fragment)
    directory = base_path.split("/")[1:-1]  # the base's segments less its last
    return _assemble(origin, _path(path, directory), query, fragment)


def _assemble(origin: str, path: str, query: str | None, fragment: str | None) -> str:
    url = origin + path
    if query is not None:
        url += "?" + _encode(query, _QUERY_ENCODED)
    if fragment is not None:
        url += "#" + _encode(fragment, _FRAGMENT_ENCODED)
    return url


def _path(path: str, segments: list[str]) -> str:
    """`path` appended to `segments` with "." and ".." resolved (%2e counts as a dot)."""
    segments = list(segments)
    parts = (path[1:] if path.startswith("/") else path).split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        dots = part.lower().replace("%2e", ".")
        if dots == "..":
            if segments:
                segments.pop()
            if last:
                segments.append("")
        elif dots == ".":
            if last:
                segments.append("")
        else:
            segments.append(_encode(part, _PATH_ENCODED))
    return "/" + "/".join(segments)


@functools.lru_cache(maxsize=512)  # a feed's links share a host: checked once, not per link
def _host_and_port(scheme: str, authority: str) -> tuple[str, str]:
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            raise UrlRefused("invalid URL: an IPv6 host without its closing bracket")
        raw_host, after = authority[: close + 1], authority[close + 1 :]
        if after and not after.startswith(":"):
            raise UrlRefused("invalid URL: text after the IPv6 host")
        raw_port = after[1:]
    else:
        raw_host, _, raw_port = authority.partition(":")
    host = _host(raw_host)
    if not raw_port:
        return host, ""
    if not raw_port.isascii() or not raw_port.isdigit() or int(raw_port) > 65535:
        raise UrlRefused("invalid URL: the port is not a number from 0 to 65535")
    port = int(raw_port)
    return host, "" if port == _DEFAULT_PORTS[scheme] else f":{port}"


def _host(raw: str) -> str:
    if not raw:
        raise UrlRefused("invalid URL: no host")
    if raw.startswith("["):
        try:
            return f"[{ipaddress.IPv6Address(raw[1:-1]).compressed}]"
        except ValueError:
            raise UrlRefused("invalid URL: a bad IPv6 address") from None
    # Percent-escapes in a host are decoded (ex%61mple is example), and what they decode
    # to is checked like the rest of it.
    host = _remove_unsafe(unquote(raw, errors="replace"))
    if not host.isascii():
        host = _to_ascii_domain(host)
    host = host.lower()
    if not host or _FORBIDDEN_IN_HOST.search(host):
        raise UrlRefused("invalid URL: the host has characters no host name can have")
    if _ends_in_a_number(host):
        return _ipv4(host)
    return host


def _to_ascii_domain(host: str) -> str:
    import idna

    try:
        return idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        raise UrlRefused("invalid URL: the host is not a valid international name") from None


def _ends_in_a_number(host: str) -> bool:
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if last.isdigit():
        return True
    return last[:2] == "0x" and all(c in "0123456789abcdef" for c in last[2:])


def _ipv4(host: str) -> str:
    """WHATWG's IPv4 reading: 1 to 4 parts, each decimal, 0x hex or 0-led octal."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        raise UrlRefused("invalid URL: an IPv4 address of more than four parts")
    numbers = [_ipv4_number(part) for part in parts]
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise UrlRefused("invalid URL: an IPv4 address out of range")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number * 256 ** (3 - index)
    return str(ipaddress.IPv4Address(value))


def _ipv4_number(part: str) -> int:
    try:
        if part[:2] in ("0x", "0X"):
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10)
    except ValueError:
        raise UrlRefused("invalid URL: a host ending in a number is not an IPv4 address") from None


def _encode(text: str, encoded: frozenset[str]) -> str:
    """Percent-encode what browsers encode in this part, and any remaining invisible character.

    Existing escapes are kept as they are; a "%" not followed by two hex digits stays too,
    as in browsers.
    """
    if text.isascii() and not encoded.intersection(text):
        return text
    out = []
    for char in text:
        if char in encoded or (not char.isascii() and _is_unseen(char)):
            # A lone surrogate cannot be encoded; browsers send U+FFFD in its place.
            data = ("\ufffd" if unicodedata.category(char) == "Cs" else char).encode("utf-8")
            out.append("".join(f"%{byte:02X}" for byte in data))
        else:
            out.append(char)
    return "".join(out)


def _is_unseen(char: str) -> bool:
    """Spaces, separators, private-use, unassigned and surrogate code points: not seen as text."""
    return unicodedata.category(char) in ("Zs", "Zl", "Zp", "Co", "Cn", "Cs")
