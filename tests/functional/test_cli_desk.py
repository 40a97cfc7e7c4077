"""The news desk through the installed command: stories, watch and mute over loopback feeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from tests.functional.test_cli import run
from tests.support.loopback import Reply

NOON = datetime(2025, 5, 16, 12, 0, tzinfo=UTC)
# Unrelated headlines, so that word weights mean something (an IDF over three says little).
FILLER = [f"Council approves budget for park number {n}" for n in range(12)]


def feed(base: str, name: str, items: list[tuple[str, str, int]]) -> Reply:
    """An RSS feed of (title, path, minutes after noon) items, served as a feed."""
    body = "".join(
        f"<item><title>{escape(title)}</title><link>{base}{path}</link>"
        f"<pubDate>{format_datetime(NOON + timedelta(minutes=minutes))}</pubDate></item>"
        for title, path, minutes in items
    )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>{base}/</link>{body}</channel></rss>"
    )
    return Reply(rss.encode(), content_type="application/rss+xml; charset=utf-8")


def two_feeds(loopback) -> tuple[str, str]:
    base = loopback.url
    first = [
        ("Storm closes Riverton bridge for repairs", "/one/bridge", 0),
        ("КИЇВ оголосив повітряну тривогу", "/one/kyiv", 1),
        *[(title, f"/one/park/{n}", 2 + n) for n, title in enumerate(FILLER)],
    ]
    second = [
        ("Riverton bridge shut by storm damage", "/two/bridge", 5),
        ("Лісабонський оркестр у Києві: новий диригент", "/two/orchestra", 6),
        ("Un café à Lviv ouvre ses portes", "/two/cafe", 7),
    ]
    later = [("Storm damage forces Riverton bridge closure", "/two/bridge-2", 40), *second]
    one = loopback.sequence("/one.xml", feed(base, "One", first))
    two = loopback.sequence("/two.xml", feed(base, "Two", second), feed(base, "Two", later))
    return one, two


def headlines(data_dir, *flags: str) -> list[dict]:
    return json.loads(run(data_dir, "headlines", "--json", "--offline", *flags).stdout)


def test_stories_group_across_sources_and_a_refresh_adds_to_them(tmp_path, loopback):
    one, two = two_feeds(loopback)
    items = json.loads(
        run(tmp_path, "headlines", "--json", "--source", one, "--source", two).stdout
    )
    by_url = {item["url"].removeprefix(loopback.url): item for item in items}
    assert len(by_url) == 17 and all(type(item["story"]) is int for item in items)
    bridge = by_url["/one/bridge"]["story"]
    assert by_url["/two/bridge"]["story"] == bridge
    others = [item["story"] for path, item in by_url.items() if "bridge" not in path]
    assert bridge not in others and len(set(others)) == len(others)
    assert all(item["watch"] == [] and item["muted"] is False for item in items)
    # The next refresh brings one more outlet's headline: it joins the stored story,
    # whose id does not change.
    run(tmp_path, "refresh")
    after = {item["url"].removeprefix(loopback.url): item["story"] for item in headlines(tmp_path)}
    assert after["/two/bridge-2"] == bridge
    assert {path: after[path] for path in by_url} == {
        path: item["story"] for path, item in by_url.items()
    }


def test_watch_words_in_ukrainian_and_with_accents(tmp_path, loopback):
    one, two = two_feeds(loopback)
    run(tmp_path, "refresh", "--source", one, "--source", two)
    added = run(tmp_path, "watch", "add", "київ")
    assert "watching: київ" in added.stderr
    run(tmp_path, "watch", "add", "CAFE")
    listed = run(tmp_path, "watch", "list").stdout.splitlines()
    assert listed == ["київ", "CAFE"]
    items = headlines(tmp_path)
    watched = {item["title"]: item["watch"] for item in items if item["watch"]}
    # "Києві" is another word than "київ": whole words only.
    assert watched == {
        "КИЇВ оголосив повітряну тривогу": ["київ"],
        "Un café à Lviv ouvre ses portes": ["CAFE"],
    }
    only = headlines(tmp_path, "--watched", "--limit", "1")
    assert [item["title"] for item in only] == ["Un café à Lviv ouvre ses portes"]
    text = run(tmp_path, "headlines", "--offline", "--watched").stdout
    rows = text.splitlines()[1:]
    assert len(rows) == 2 and all("» " in row for row in rows)
    assert rows[1].endswith("КИЇВ оголосив повітряну тривогу")
    run(tmp_path, "watch", "remove", "Café")
    assert run(tmp_path, "watch", "list").stdout.splitlines() == ["київ"]


def test_mute_hides_from_listings_and_all_shows_them_again(tmp_path, loopback):
    one, two = two_feeds(loopback)
    run(tmp_path, "refresh", "--source", one, "--source", two)
    host_and_path = two.removeprefix("http://")
    out = run(tmp_path, "mute", "add", f"source:{host_and_path}")
    assert "3 cached headlines muted" in out.stderr
    run(tmp_path, "mute", "add", "PARK")  # the filler, whatever its case
    shown = headlines(tmp_path, "--limit", "0")
    assert [item["title"] for item in shown] == [
        "КИЇВ оголосив повітряну тривогу",
        "Storm closes Riverton bridge for repairs",
    ]
    everything = headlines(tmp_path, "--all", "--limit", "0")
    assert len(everything) == 17 and sum(item["muted"] for item in everything) == 15
    text = run(tmp_path, "headlines", "--offline")
    assert "15 muted (--all shows them)" in text.stderr
    # Muted headlines are still cached: a later refresh brings nothing back.
    run(tmp_path, "refresh")
    assert len(headlines(tmp_path)) == 2
    run(tmp_path, "mute", "remove", f"source:{host_and_path}")
    assert len(headlines(tmp_path, "--limit", "0")) == 6


def test_rules_from_the_config_merge_with_stored_ones(tmp_path, loopback):
    one, two = two_feeds(loopback)
    config = tmp_path / "config.toml"
    config.write_text('watch = ["Riverton"]\nmute = ["label:Sport", "park"]\n', encoding="utf-8")
    run(tmp_path, "refresh", "--source", one, "--source", two, "--config", str(config))
    run(tmp_path, "watch", "add", "orchestra", "--config", str(config))
    listed = run(tmp_path, "watch", "list", "--json", "--config", str(config)).stdout
    assert json.loads(listed) == [
        {"rule": "Riverton", "kind": "words", "from_config": True},
        {"rule": "orchestra", "kind": "words", "from_config": False},
    ]
    items = headlines(tmp_path, "--config", str(config))
    assert len(items) == 5  # the twelve park headlines are muted by the config
    assert sum(bool(item["watch"]) for item in items) == 2
    # The config changes: its mute goes, and the next run shows the park headlines again.
    config.write_text('watch = ["Riverton"]\n', encoding="utf-8")
    assert len(headlines(tmp_path, "--config", str(config), "--limit", "0")) == 17
    refused = run(tmp_path, "watch", "remove", "riverton", "--config", str(config), check=False)
    assert refused.returncode != 0 and "config file" in refused.stderr


def test_rule_errors_are_one_line_and_exit_non_zero(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('mute = ["ok", "  ?! "]\n', encoding="utf-8")
    cases = [
        (("watch", "add", "?!"), "no words"),
        (("watch", "remove", "never"), "not watched"),
        (("mute", "add", "label:?!"), "label needs words"),
        (("headlines", "--offline", "--config", str(config)), "mute[1]"),
    ]
    run(tmp_path, "mute", "add", "Київ")
    cases.append((("mute", "add", "КИЇВ"), "already muted"))
    for args, message in cases:
        result = run(tmp_path, *args, check=False)
        assert result.returncode != 0, args
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)
