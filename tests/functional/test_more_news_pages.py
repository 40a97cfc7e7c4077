"""When a next page fails: may "More news" ask for it again (SourceStatus.gone)?"""

from __future__ import annotations

import pytest

from newsterm.config import Settings, SourceSettings
from newsterm.library import Library
from tests.support.loopback import SITE_ROOT

PAGE = (SITE_ROOT / "news.html").read_bytes()
FEED = (SITE_ROOT / "feed.xml").read_bytes()


@pytest.mark.parametrize(
    ("reply", "gone"),
    [
        ({"status": 404}, True),
        ({"status": 410}, True),
        ({"body": "<html><body><p>No more stories.</p></body></html>"}, True),
        ({"status": 403}, False),  # bot walls answer 403 for a while
        ({"status": 500}, False),
        ({"body": PAGE, "truncate_to": 2000}, False),  # the connection dropped mid-body
        ({"body": FEED[: len(FEED) // 2], "content_type": "application/rss+xml"}, False),
    ],
    ids=["404", "410", "empty-page", "403", "500", "dropped", "half-feed"],
)
async def test_only_a_page_that_is_not_there_is_gone(tmp_path, loopback, reply, gone):
    source_url = loopback.route("/news", PAGE)
    body = reply.pop("body", b"")
    next_page = loopback.route("/news-page-2", body, **reply)
    library = Library.open(Settings(data_dir=tmp_path, sources=[SourceSettings(source_url)]))
    try:
        [source] = library.sources()
        status = await library.load_more(source, next_page)
    finally:
        await library.aclose()
    assert status.state == "failed"
    assert status.gone is gone, status.message
