"""First run with no network: one notice saying nothing is cached, which source, how to retry."""

from __future__ import annotations

from newsterm.ui.app import make_app
from newsterm.ui.widgets.headline_ticker import HeadlineTicker
from tests.support.app import make_settings, screen_text
from tests.support.loopback import unused_port


async def test_first_run_offline_says_what_happened_once(tmp_path):
    url = f"http://127.0.0.1:{unused_port()}/news"  # nothing listens: connection refused
    app = make_app(make_settings(tmp_path, url))
    async with app.run_test(size=(100, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        notices = [n.message for n in app._notifications]
        assert len(notices) == 1
        assert notices[0].startswith("Nothing is cached yet: could not reach Espreso Global (")
        assert notices[0].endswith("press r to retry.")
        assert "from never" not in text and "never updated" not in text
        assert "offline — nothing cached yet" in text
        ticker = app.screen.query_one(HeadlineTicker)
        assert ticker.entries == []
        pane = " ".join("".join(s.text for s in ticker.render_line(y)).strip() for y in range(4))
        assert "Check the connection, then press r to retry." in pane  # wrapped, whole
