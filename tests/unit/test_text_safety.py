"""Web text is cleaned of control, escape and bidi characters; bytes decode by the right charset."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsterm.text.charset import choose_charset, decode_body
from newsterm.text.sanitize import clean_text, one_line

UKRAINIAN = "Росія використовує нові технології, щоб впливати на вибори в Європі — Каллас"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain \x1b[2Jtitle", "plain [2Jtitle"),
        ("osc \x1b]0;pwned\x07 end", "osc ]0;pwned end"),
        ("link \x1b]8;;https://evil\x1b\\Bank\x1b]8;;\x1b\\", "link ]8;;https://evil\\Bank]8;;\\"),
        ("c1 \x9b31m red", "c1 31m red"),
        ("bidi \u202etxt.exe\u202c and \u2066iso\u2069", "bidi txt.exe and iso"),
        ("keeps\ttabs\nand lines", "keeps\ttabs\nand lines"),
        ("crlf\r\nline\rend", "crlf\nline\nend"),
        ("nul\x00 del\x7f", "nul del"),
        ("[bold]markup[/bold] stays", "[bold]markup[/bold] stays"),
        ("emoji ⚛️ 👩‍👩‍👧 e\u0301 日本 עברית", "emoji ⚛️ 👩‍👩‍👧 e\u0301 日本 עברית"),
        # Invisible format characters hide text: zero-width space, word joiner, BOM, marks.
        ("zero\u200bwidth\u2060join\ufeffbom\u200e\u200fmarks", "zerowidthjoinbommarks"),
        ("ZWNJ stays: می\u200cخواهم", "ZWNJ stays: می\u200cخواهم"),
    ],
)
def test_clean_text_removes_only_what_can_hurt_a_terminal(raw, expected):
    assert clean_text(raw) == expected


def test_one_line_folds_whitespace_including_no_break_space():
    assert one_line("  a\u00a0\u00a0b\n\tc  ") == "a b c"


@given(st.text())
def test_cleaned_text_never_contains_escape_c1_or_bidi_overrides(text):
    cleaned = one_line(text) + clean_text(text)
    assert not any(
        ord(ch) < 0x20
        and ch not in "\n\t"
        or 0x7F <= ord(ch) <= 0x9F
        or 0x202A <= ord(ch) <= 0x202E
        or 0x2066 <= ord(ch) <= 0x2069
        for ch in cleaned
    )


def test_cp1251_with_charset_only_in_meta():
    body = f'<html><head><meta charset="windows-1251"></head><p>{UKRAINIAN}</p>'.encode("cp1251")
    assert choose_charset(body) == "cp1251"
    assert UKRAINIAN in decode_body(body)


def test_cp1251_with_charset_only_in_the_header():
    body = f"<p>{UKRAINIAN}</p>".encode("cp1251")
    assert UKRAINIAN in decode_body(body, "text/html; charset=windows-1251")


def test_cp1251_with_no_charset_anywhere_is_detected():
    body = f"<html><body><p>{UKRAINIAN}</p><p>{UKRAINIAN}</p></body></html>".encode("cp1251")
    assert UKRAINIAN in decode_body(body)


def test_header_claiming_utf8_over_a_cp1251_body_is_redetected():
    body = f"<p>{UKRAINIAN}</p><p>{UKRAINIAN}</p>".encode("cp1251")
    assert UKRAINIAN in decode_body(body, "text/html; charset=utf-8")


def test_http_header_wins_over_the_document_declaration():
    body = '<meta charset="windows-1251"><p>café</p>'.encode("latin-1")
    assert "café" in decode_body(body, "text/html; charset=iso-8859-1")


def test_bom_wins_over_the_header():
    body = codecs.BOM_UTF8 + "<p>Київ</p>".encode()
    assert decode_body(body, "text/html; charset=windows-1251") == "<p>Київ</p>"


def test_xml_declaration_is_read():
    body = '<?xml version="1.0" encoding="windows-1251"?><rss><title>Київ</title></rss>'
    assert "Київ" in decode_body(body.encode("cp1251"))


def test_invalid_utf8_becomes_replacement_characters():
    text = decode_body(b'<meta charset="utf-8"><p>ok \xff\xfe bad</p>')
    assert "ok" in text and "\ufffd" in text


def test_unknown_charset_label_falls_back_to_detection():
    assert decode_body(b"<p>plain</p>", "text/html; charset=x-no-such") == "<p>plain</p>"


@given(st.binary(max_size=2000), st.one_of(st.none(), st.text(max_size=40)))
def test_decode_never_raises(body, content_type):
    assert isinstance(decode_body(body, content_type), str)


def test_mostly_utf8_with_stray_bytes_stays_utf8():
    body = "<p>Київ — ok</p>".encode() + b"\xff" + "<p>Львів</p>".encode()
    text = decode_body(body, "text/html; charset=utf-8")
    assert "Київ" in text and "Львів" in text and "\ufffd" in text
