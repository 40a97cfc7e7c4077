"""URLs are read as browsers read them (WHATWG), once, and come out safe to show and fetch."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsterm.text.urls import UrlRefused, check_url, clean_url


# Expected values are what a browser's URL parser gives (checked with Node's WHATWG `new URL`,
# which follows the same standard as Chrome and Firefox), not what this module printed.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://evil.example\\@bank.example/", "http://evil.example/@bank.example/"),
        (
            '  http://EX%61mple.COM:80/a/./b/../c d?q="x y"#f g',
            "http://example.com/a/c%20d?q=%22x%20y%22#f%20g",
        ),
        ("HTTP://0x7f.1:8080", "http://127.0.0.1:8080/"),
        ("http://0300.0250.0.1/x", "http://192.168.0.1/x"),
        ("http://192.168.257/", "http://192.168.1.1/"),
        ("http://2130706433/", "http://127.0.0.1/"),
        ("https://a.b/%2e%2E/c", "https://a.b/c"),
        ("https://a.b/a/%2e%2E", "https://a.b/"),
        ("http:\\\\h\\p?a\\b#c\\d", "http://h/p?a\\b#c\\d"),
        ("http:/h/x", "http://h/x"),
        ("http:///h/x", "http://h/x"),
        ("http://h/{x}`y`<z>", "http://h/%7Bx%7D%60y%60%3Cz%3E"),
        ("http://user:pa:ss@h/", "http://user:pa%3Ass@h/"),
        ("http://u@v@h/", "http://u%40v@h/"),
        ("https://h:443/", "https://h/"),
        ("http://[0:0::1]:8080/", "http://[::1]:8080/"),
        ("https://Пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/путь"),
        ("http://h/\u00a0x", "http://h/%C2%A0x"),
        ("http://exa\nmple.com/a\tb", "http://example.com/ab"),
    ],
)
def test_urls_are_read_as_a_browser_reads_them(raw, expected):
    assert clean_url(raw) == expected


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("../../etc/passwd", "http://h/a/b/c", "http://h/etc/passwd"),
        ("//other/x", "https://h/", "https://other/x"),
        ("\\\\other\\x", "https://h/", "https://other/x"),
        ("?q", "http://h/p?x#y", "http://h/p?q"),
        ("#frag", "http://h/p?x#y", "http://h/p?x#frag"),
        ("http:foo", "http://h/a/b", "http://h/a/foo"),
        ("https:foo", "http://h/a/b", "https://foo/"),
        (
            "x",
            "http://evil.example\\@bank.example/dir/page",
            "http://evil.example/@bank.example/dir/x",
        ),
    ],
)
def test_relative_links_resolve_as_in_a_browser(href, base, expected):
    assert clean_url(href, base) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "ftp://h/",
        "http://",
        "http://1.2.3.4.5/",
        "http://h:99999/",
        "http://h:8o/",
        "http://[::1/",
        "http://a b/",
        "http://a%2fb/",
        "www.example.com/no-scheme",
        "",
        None,
        "http://h/" + "a" * 5000,
    ],
)
def test_what_no_browser_would_fetch_as_http_is_refused(raw):
    assert clean_url(raw) is None
    with pytest.raises(UrlRefused) as refused:
        check_url(raw)
    assert "\n" not in str(refused.value) and str(refused.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://h/\x9b31m\x1b[2Jx", "http://h/31m[2Jx"),  # C1 CSI, ESC: gone, as from titles
        ("http://h/\u202egnp.exe", "http://h/gnp.exe"),
        ("http://127.0.0.1\u2066\u2069:99/g", "http://127.0.0.1:99/g"),
        ("http://h/a\u200bb\u2060c\ufeffd\u200ee", "http://h/abcde"),
        ("http://\u009bh\u00ad/", "http://h/"),
        ("\x1b]0;title\x07http://h/", None),  # what is left is not an http URL
    ],
)
def test_controls_and_invisible_characters_never_stay_in_a_url(raw, expected):
    assert clean_url(raw) == expected


def _unseen(char: str) -> bool:
    code = ord(char)
    return (
        code <= 0x20
        or 0x7F <= code <= 0x9F
        or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Cn", "Cs")
    )


_URLISH = st.one_of(
    st.text(),
    st.builds(
        "".join,
        st.lists(
            st.sampled_from(
                [
                    "http:",
                    "https:",
                    "//",
                    "/",
                    "\\",
                    "@",
                    ":",
                    "80",
                    "h",
                    "0x7f",
                    ".",
                    "%2e",
                    "?",
                    "#",
                    "[::1]",
                    " ",
                    "\t",
                    "\x1b",
                    "\x9b",
                    "\u202e",
                    "\u200b",
                    "й",
                    "\ufeff",
                    "xn--",
                    "%41",
                    "..",
                    "1",
                ]
            ),  # fmt: skip
            max_size=12,
        ),
    ),
)


@given(_URLISH, st.sampled_from([None, "http://h/a/b", "https://[::1]:8/x?y#z"]))
def test_a_clean_url_is_stable_visible_and_names_the_host_that_is_fetched(raw, base):
    url = clean_url(raw, base)
    if url is None:
        return
    assert clean_url(url) == url  # a second pass changes nothing: cleaned once is enough
    assert not any(_unseen(char) for char in url)
    shown = urlsplit(url)
    fetched = httpx.URL(url)
    assert shown.scheme in ("http", "https") and shown.hostname
    assert fetched.raw_host.decode("ascii") == shown.hostname  # shown is what is fetched
    assert (fetched.port or {"http": 80, "https": 443}[fetched.scheme]) == (
        shown.port or {"http": 80, "https": 443}[shown.scheme]
    )
