"""Body blocks: what the extractor makes of a page, and their JSON through the cache and back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import fragment_fromstring

from newsterm.extract.blocks import blocks_from_element, body_blocks
from newsterm.formats.article_json import article_from_json, article_to_json
from newsterm.models import Article, BodyBlock, ListItem, Span
from newsterm.store import open_store
from newsterm.store.blocks_json import (
    MAX_JSON_CHARS,
    blocks_from_json,
    blocks_to_json,
    decode_blocks,
    encode_blocks,
)

BASE = "https://news.example/story"


def body_of(markup: str) -> list[BodyBlock]:
    element = fragment_fromstring(f"<div>{markup}</div>")
    return body_blocks(blocks_from_element(element, BASE)[0])


def test_a_paragraph_keeps_its_links_and_marks_as_spans():
    [block] = body_of(
        "<p>Read <a href='/report'>the <b>full</b> report</a>, <em>then</em> run"
        " <code>make *all*</code>.<br> Next   line.</p>"
    )
    link = "https://news.example/report"
    assert block.kind == "paragraph"
    assert block.spans == (
        Span("Read "),
        Span("the ", link),
        Span("full", link, "b"),
        Span(" report", link),
        Span(", "),
        Span("then", marks="i"),
        Span(" run "),
        Span("make *all*", marks="c"),
        Span(".\nNext line."),
    )


def test_spans_join_to_the_blocks_plain_text():
    markup = (
        "<h2> A <i>tilted</i>  heading </h2><p>  <a href='x'> spaced </a>  <b> out </b> text</p>"
    )
    element = fragment_fromstring(f"<div>{markup}</div>")
    blocks = blocks_from_element(element, BASE)[0]
    for block, body in zip(blocks, body_blocks(blocks), strict=True):
        assert "".join(span.text for span in body.spans) == block.text
    assert [b.spans[0].text for b in body_blocks(blocks)] == ["A ", "spaced"]


def test_only_web_links_become_link_spans():
    [block] = body_of(
        "<p><a href='mailto:a@news.example'>write</a> <a href='javascript:x()'>run</a>"
        " <a href='#top'>top</a> <a href='ftp://news.example/f'>file</a></p>"
    )
    assert block.spans == (Span("write run top file"),)


def test_lists_keep_items_markers_and_nesting_and_tables_their_rows():
    blocks = body_of(
        "<ol><li>one <a href='https://a.example/'>link</a><ul><li>inner</li></ul></li>"
        "<li>two</li></ol><table><tr><th>Item</th><th>Cost</th></tr>"
        "<tr><td>*Roads*</td><td>40</td></tr></table><pre>a\n  # b</pre>"
        "<blockquote><p>said</p><ul><li>quoted item</li></ul></blockquote>"
    )
    assert [block.kind for block in blocks] == ["list", "table", "code", "paragraph", "list"]
    assert blocks[0].items == (
        ListItem("1.", (Span("one "), Span("link", "https://a.example/"))),
        ListItem("•", (Span("inner"),), depth=1),
        ListItem("2.", (Span("two"),)),
    )
    assert blocks[1].rows == (("Item", "Cost"), ("*Roads*", "40"))
    assert blocks[2].lines == ("a", "  # b")
    assert [block.quote for block in blocks] == [0, 0, 0, 1, 1]


SAMPLE = [
    BodyBlock("heading", (Span("A *heading*"),), level=2),
    BodyBlock(
        "paragraph",
        (Span("See "), Span("this", "https://a.example/x"), Span(" now", None, "bi")),
        quote=1,
    ),
    BodyBlock("list", items=(ListItem("1.", (Span("one"),)), ListItem("•", (), depth=2))),
    BodyBlock("code", lines=("x = 1", "")),
    BodyBlock("table", rows=(("a", "b"), ("c",))),
]


def test_blocks_round_trip_through_json():
    data = blocks_to_json(SAMPLE)
    assert data["version"] == 1
    assert data["blocks"][1]["spans"] == [
        ["See "],
        ["this", "https://a.example/x"],
        [" now", None, "bi"],
    ]
    assert blocks_from_json(json.loads(json.dumps(data))) == SAMPLE
    assert decode_blocks(encode_blocks(SAMPLE)) == SAMPLE
    assert encode_blocks([]) == ""


def test_blocks_round_trip_through_the_store_and_its_revisions(tmp_path):
    url = "http://127.0.0.1:9/a/1"
    with open_store(tmp_path / "cache.sqlite3") as store:
        store.put_article(Article(url, "T", "one", "one", blocks=SAMPLE))
        assert store.get_article(url).article.blocks == SAMPLE
        store.set_saved(url, True)
        assert store.saved()[0].article.blocks == SAMPLE
        store.put_article(Article(url, "T", "two", "two", blocks=SAMPLE[:1]))
        assert store.get_article(url).article.blocks == SAMPLE[:1]
        [revision] = store.revisions(url)
        assert revision.text == "one" and revision.blocks == SAMPLE


def test_the_size_of_an_article_counts_its_blocks(tmp_path):
    url = "http://127.0.0.1:9/a/1"
    path = tmp_path / "cache.sqlite3"
    with open_store(path) as store:
        store.put_article(Article(url, "T", "one", "one", blocks=SAMPLE))
    with sqlite3.connect(path) as db:
        size, blocks = db.execute("SELECT size, blocks FROM articles").fetchone()
    assert size == len(b"one") * 2 + len(blocks.encode())


def test_blocks_round_trip_through_article_json():
    article = Article("https://a.example/", "T", "x", "x", blocks=SAMPLE)
    data = json.loads(json.dumps(article_to_json(article)))
    assert article_from_json(data).blocks == SAMPLE
    data["blocks"] = {"version": 1, "blocks": [{"kind": "paragraph", "spans": "no"}]}
    assert article_from_json(data).blocks == []


def test_blocks_too_big_to_keep_are_not_kept():
    huge = [BodyBlock("code", lines=("x" * (MAX_JSON_CHARS + 1),))]
    assert encode_blocks(huge) == ""


def test_a_link_a_reader_may_not_follow_reads_back_as_plain_text():
    data = {"version": 1, "blocks": [{"kind": "paragraph", "spans": [["x", "javascript:y"]]}]}
    assert blocks_from_json(data) == [BodyBlock("paragraph", (Span("x"),))]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)
block_like = st.fixed_dictionaries(
    {"kind": st.sampled_from(["paragraph", "heading", "list", "code", "table", "x"]) | json_values},
    optional={
        "spans": json_values,
        "level": json_values,
        "quote": json_values,
        "items": json_values,
        "lines": json_values,
        "rows": json_values,
    },
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries({"version": st.just(1), "blocks": st.lists(block_like, max_size=4)}),
    )
)
def test_any_json_reads_as_valid_blocks_or_none(data):
    blocks = blocks_from_json(data)
    assert blocks is None or all(isinstance(block, BodyBlock) for block in blocks)
    assert decode_blocks(json.dumps(data)) == (blocks or [])


async def test_an_article_cached_before_blocks_gains_them_when_opened(tmp_path):
    from newsterm.config import Settings
    from newsterm.library import Library

    url = "http://127.0.0.1:9/a/older"
    page = (Path(__file__).parents[1] / "fixtures" / "site" / "article.html").read_bytes()
    library = Library.open(Settings(data_dir=tmp_path, sources=[], offline=True))
    try:
        old = Article(url, "Old", "Old text.", "Old *text*.", extractor_version=2)
        library.store.put_article(old, raw_html=page)
        assert library.store.get_article(url).article.blocks == []
        result = await library.open_article(url)
        blocks = result.article.blocks
        assert blocks and blocks == library.store.get_article(url).article.blocks
        assert "Politico reported the information." in [
            "".join(span.text for span in block.spans) for block in blocks
        ]
    finally:
        await library.aclose()


def test_a_list_nested_past_the_cap_keeps_its_blocks_at_the_deepest_depth():
    nested = "<ul><li>level" * 12 + "</li></ul>" * 12
    [block] = body_of(nested)
    assert [item.depth for item in block.items] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8]
    assert decode_blocks(encode_blocks([block])) == [block]


def test_blocks_past_a_cap_are_not_kept_so_the_reader_shows_plain_text():
    wide = BodyBlock("table", rows=(tuple(str(n) for n in range(100)),))
    assert encode_blocks([wide]) == ""


def test_a_list_longer_than_the_read_cap_is_kept_whole_as_consecutive_lists():
    items = tuple(ListItem(f"{n}.", (Span(f"Entry {n}"),)) for n in range(1, 4501))
    before = BodyBlock("paragraph", (Span("Contents"),))
    blocks = decode_blocks(encode_blocks([before, BodyBlock("list", items=items)]))
    assert blocks[0] == before
    assert [len(block.items) for block in blocks[1:]] == [2000, 2000, 500]
    assert tuple(item for block in blocks[1:] for item in block.items) == items


def test_a_saved_article_whose_cached_blocks_are_any_json_reads_back_with_its_text(tmp_path):
    url = "http://127.0.0.1:9/a/saved"
    with open_store(tmp_path / "newsterm.sqlite3") as store:
        store.put_article(Article(url, "Saved", "Its text.", "Its text."))
        store.set_saved(url, True)
    db = sqlite3.connect(tmp_path / "newsterm.sqlite3")
    for kind in ("[]", "{}", '{"a": 1}', "[[1]]"):
        with db:
            db.execute(
                "UPDATE articles SET blocks = ? WHERE url = ?",
                (f'{{"version": 1, "blocks": [{{"kind": {kind}}}]}}', url),
            )
        with open_store(tmp_path / "newsterm.sqlite3") as store:
            stored = store.get_article(url)
            assert stored.article.text == "Its text." and stored.article.blocks == []
            assert [s.article.url for s in store.saved()] == [url]
    db.close()
