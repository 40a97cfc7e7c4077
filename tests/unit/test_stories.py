"""Story grouping: same story across sources, edge cases of titles, links and times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsterm.models import Headline
from newsterm.stories import StoryIndex, cluster, title_words, url_key

NOON = datetime(2025, 5, 16, 12, 0, tzinfo=UTC)


def headline(title: str, url: str, minutes: int = 0) -> Headline:
    return Headline(title=title, url=url, published=NOON + timedelta(minutes=minutes))


# Two stories told by several outlets, plus unrelated filler so that word weights mean
# something (an IDF over three headlines says little).
BRIDGE = [
    headline("Storm closes Riverton bridge for repairs", "https://a.example/bridge", 0),
    headline("Riverton bridge shut by storm damage", "https://b.example/n/1", 5),
    headline("Storm damage forces Riverton bridge closure", "https://c.example/story/77", 9),
]
ORCHESTRA = [
    headline("Kyiv orchestra tours Lisbon with new conductor", "https://a.example/orch", 3),
    headline("New conductor leads Kyiv orchestra on Lisbon tour", "https://d.example/x", 7),
]
FILLER = [
    headline(f"Local council approves budget for park number {n}", f"https://f.example/{n}", n)
    for n in range(12)
]


def same(ids: list, one: int, other: int) -> bool:
    return ids[one] == ids[other]


def test_one_headline_is_its_own_story() -> None:
    ids = cluster([BRIDGE[0]])
    assert len(ids) == 1


def test_nothing_in_nothing_out() -> None:
    assert cluster([]) == []


def test_same_story_from_several_sources_is_grouped_and_kept_apart_from_another() -> None:
    batch = BRIDGE + ORCHESTRA + FILLER
    ids = cluster(batch)
    assert same(ids, 0, 1) and same(ids, 0, 2)
    assert same(ids, 3, 4)
    assert not same(ids, 0, 3)
    assert not same(ids, 0, 5)


def test_identical_titles_days_apart_are_different_stories() -> None:
    monday = headline("Stocks open lower on weak data", "https://a.example/mon", 0)
    thursday = Headline(
        "Stocks open lower on weak data",
        "https://a.example/thu",
        NOON + timedelta(days=3),
    )
    same_day = headline("Stocks open lower on weak data", "https://b.example/mon", 30)
    ids = cluster([monday, thursday, same_day, *FILLER])
    assert ids[0] == ids[2]
    assert ids[0] != ids[1]


def test_wire_prefixes_are_not_words_of_the_story() -> None:
    assert title_words("UPDATE 1-Pizza chain files for bankruptcy") == title_words(
        "Pizza chain files for bankruptcy"
    )
    assert title_words("EXCLUSIVE-Pizza chain files") == ["pizza", "chain", "files"]
    assert title_words("REFILE-UPDATE 2-Pizza chain") == ["pizza", "chain"]
    # A hyphenated word, a heading in capitals with a colon, and "X-ray" are content.
    assert title_words("Mid-term results") == ["mid", "term", "results"]
    assert title_words("TRUE DETECTIVE: finale") == ["true", "detective", "finale"]
    assert title_words("X-ray of a storm")[:2] == ["ray", "of"]


def test_wire_copies_join_the_story() -> None:
    batch = [
        headline("Pizza chain Sbarro files for bankruptcy again", "https://a.example/1", 0),
        headline("UPDATE 1-Pizza chain Sbarro files for bankruptcy", "https://r.example/2", 4),
        *FILLER,
    ]
    ids = cluster(batch)
    assert ids[0] == ids[1]


def test_a_title_cut_with_an_ellipsis_loses_its_cut_word() -> None:
    assert title_words("Snowden tells festival he has no regr...") == [
        "snowden",
        "tells",
        "festival",
        "he",
        "has",
        "no",
    ]
    assert title_words("Snowden tells festival he has no  …")[-1] == "has"
    batch = [
        headline("Snowden tells festival audience he has no regrets", "https://a.example/1"),
        headline("Snowden tells festival audience he has no regr...", "https://b.example/2"),
        *FILLER,
    ]
    ids = cluster(batch)
    assert ids[0] == ids[1]


def test_same_url_is_same_story_whatever_the_titles() -> None:
    batch = [
        headline("Storm closes Riverton bridge", "https://a.example/live?utm_source=x", 0),
        headline("Kyiv orchestra tours Lisbon", "http://www.a.example/live/#top", 600),
        *FILLER,
    ]
    ids = cluster(batch)
    assert ids[0] == ids[1]


def test_url_key_ignores_scheme_www_fragment_tracking_but_not_the_page() -> None:
    assert url_key("https://www.a.example/n/1?utm_source=rss#x") == "a.example/n/1"
    assert url_key("https://a.example/n/1?id=2") != url_key("https://a.example/n/1?id=3")
    # A site's home page is not an article: many headlines may point to it.
    assert url_key("https://a.example/") == ""
    assert url_key("not a url") == ""


def test_empty_and_wordless_titles_stand_alone() -> None:
    batch = [
        headline("", "https://a.example/1"),
        headline("", "https://a.example/2"),
        headline("!!! ...", "https://a.example/3"),
        *BRIDGE,
    ]
    ids = cluster(batch)
    assert len({ids[0], ids[1], ids[2]}) == 3
    assert ids[0] not in ids[3:]


def test_undated_headlines_group_by_words() -> None:
    batch = [
        Headline("Storm closes Riverton bridge for repairs", "https://a.example/1"),
        Headline("Riverton bridge shut by storm damage", "https://b.example/2"),
        *FILLER,
    ]
    ids = cluster(batch)
    assert ids[0] == ids[1]


def test_one_shared_rare_word_is_not_a_story() -> None:
    batch = [
        headline("American Airlines ends partnership with JetBlue", "https://a.example/1"),
        headline("American Eagle names new chief executive", "https://b.example/2"),
        *FILLER,
    ]
    ids = cluster(batch)
    assert ids[0] != ids[1]


def test_ukrainian_and_accented_titles_group() -> None:
    batch = [
        headline("Київ: нічна атака дронів на енергетику", "https://a.example/1"),
        headline("КИЇВ — нічна атака дронів, пошкоджено енергетику", "https://b.example/2"),
        headline("Café de Flore ferme après l'incendie", "https://c.example/3"),
        headline("Le cafe de Flore ferme apres un incendie", "https://d.example/4"),
        *FILLER,
    ]
    ids = cluster(batch)
    assert ids[0] == ids[1]
    assert ids[2] == ids[3]
    assert ids[0] != ids[2]


def test_index_adds_new_headlines_to_stored_stories_without_renaming_them() -> None:
    stored = BRIDGE[:2] + ORCHESTRA[:1] + FILLER
    stored_ids = cluster(stored)
    index = StoryIndex.from_stories(stored, stored_ids)
    later = [
        headline("Riverton bridge to stay closed after storm damage", "https://e.example/9", 60),
        headline("Orchestra from Kyiv arrives in Lisbon for tour", "https://g.example/5", 61),
        headline("Volcano erupts on remote island, flights halted", "https://h.example/3", 62),
    ]
    new_ids = index.add(later)
    assert new_ids[0] == stored_ids[0]
    assert new_ids[1] == stored_ids[2]
    assert new_ids[2] not in stored_ids


def test_index_never_merges_two_stored_stories() -> None:
    stored = [
        headline("Storm closes Riverton bridge", "https://a.example/1"),
        headline("Storm closes Riverton bridge", "https://b.example/2"),
        *FILLER,
    ]
    # The caller decided these are two stories; the index keeps them apart.
    index = StoryIndex.from_stories(stored, ["one", "two", *range(len(FILLER))])
    ids = index.add([headline("Storm closes Riverton bridge again", "https://c.example/3", 5)])
    assert ids[0] in {"one", "two"}
    again = index.add([headline("Storm closes Riverton bridge", "https://b.example/2", 6)])
    assert again == ["two"]


def test_index_known_url_keeps_its_story() -> None:
    index = StoryIndex()
    first = index.add([BRIDGE[0], *FILLER])
    again = index.add([headline("Completely different words now", BRIDGE[0].url, 30)])
    assert again[0] == first[0]


def test_story_ids_are_unique_across_batches() -> None:
    index = StoryIndex()
    first = index.add([headline("Alpha beta gamma delta", "https://a.example/1")])
    second = index.add(
        [Headline("Alpha beta gamma delta", "https://a.example/1", NOON + timedelta(days=9))]
    )
    # Same URL: same story, even days later.
    assert first == second
    third = index.add([headline("Epsilon zeta eta theta", "https://a.example/2")])
    assert third[0] != first[0]


def test_title_words_fold_case_and_accents() -> None:
    assert title_words("Café DÉJÀ vu") == title_words("cafe deja VU")
    assert title_words("КИЇВ") == title_words("київ")
