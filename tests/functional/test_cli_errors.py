"""Issue 11, case 13: every error a user can cause is one line on stderr and a non-zero exit;
a broken OPML file imports nothing; export names are short enough for any file system."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.test_cli import run

OPML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><body>\n'


def _one_line_failure(result, *words: str) -> None:
    assert result.returncode != 0, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("newsterm: ") and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def _source_urls(data: Path) -> list[str]:
    return [s["url"] for s in json.loads(run(data, "sources", "list", "--json").stdout)]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        # Cut in the middle of the third outline's URL, on line 5 after its 29th character.
        (
            OPML_HEAD + '<outline xmlUrl="http://127.0.0.1:9/a"/>\n'
            '<outline xmlUrl="http://127.0.0.1:9/b"/>\n<outline xmlUrl="http://127.0',
            "line 5, column 30",
        ),
        # Cut after a whole outline: the file ends (line 4, column 1) with <body> still open.
        (OPML_HEAD + '<outline xmlUrl="http://127.0.0.1:9/a"/>\n', "line 4, column 1"),
        ("<html><body><h1>502 Bad Gateway</h1></body></html>", "no <opml> root element"),
        ("", "line 1, column 1"),
    ],
    ids=["cut-in-a-url", "cut-after-an-outline", "an-html-page", "empty"],
)
def test_a_broken_opml_file_says_where_and_imports_nothing(tmp_path, body, where):
    data = tmp_path / "data"
    before = _source_urls(data)
    broken = tmp_path / "subs.opml"
    broken.write_text(body, encoding="utf-8")
    result = run(data, "opml", "import", str(broken), check=False)
    _one_line_failure(result, str(broken), where, "nothing imported")
    assert _source_urls(data) == before


def test_user_errors_with_files_and_folders_are_one_line(tmp_path):
    data = tmp_path / "data"
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    a_folder = tmp_path / "folder"
    a_folder.mkdir()
    cases = [
        (["export", str(a_file)], [str(a_file), "not a folder"]),
        (["export", str(a_file / "inside")], [str(a_file)]),
        (["opml", "export", str(a_folder)], [str(a_folder), "Is a directory"]),
        (["opml", "export", str(tmp_path / "no" / "such" / "x.opml")], ["x.opml"]),
        (["opml", "import", str(a_folder)], [str(a_folder)]),
        (["--data-dir", str(a_file), "headlines", "--offline"], [str(a_file)]),
        (["read", "http://h:99999/"], ["port"]),
        (["save", "http://[::1/x"], ["IPv6"]),
        (["sources", "add", "http://exa mple.com/"], ["host"]),
        (["headlines", "--source", "ftp://h/x", "--offline"], ["http(s)"]),
    ]
    for args, words in cases:
        _one_line_failure(run(data, *args, check=False), *words)


def test_export_shortens_long_and_slash_filled_titles(tmp_path, loopback):
    page = (
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Body text"
        " long enough for the extractor to keep it as the article, and a little more so.</p>"
        "</article></body></html>"
    )
    loopback.route("/wide", page.format(title="\U00020000" * 600))  # 4 bytes a character
    loopback.route("/slashes", page.format(title="/" * 600))
    data = tmp_path / "data"
    for path in ("/wide", "/slashes"):
        run(data, "save", f"{loopback.url}{path}")
    out = tmp_path / "out"
    result = run(data, "export", str(out))
    assert result.stderr.strip() == f"exported 2 articles to {out}"
    names = sorted(path.name for path in out.iterdir())
    assert len(names) == 2
    assert all(len(name.encode("utf-8")) <= 255 for name in names)
    assert "article.md" in names  # nothing of a "/"-only title is left to name it by
