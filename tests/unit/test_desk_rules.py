"""Watch and mute rules: parsing user text and whole-word, Unicode-aware matching."""

from __future__ import annotations

import pytest

from newsterm.desk_rules import RuleError, matching_rules, parse_rule
from newsterm.models import Headline


def news(title: str, url: str = "https://news.example/a/1", **extra: str) -> Headline:
    return Headline(title=title, url=url, **extra)


def caught(rule_text: str, headline: Headline) -> bool:
    return parse_rule(rule_text).matches(headline)


def test_words_match_whole_words_only() -> None:
    assert caught("Zelensky", news("Zelensky meets allies in Paris"))
    assert not caught("Zelensky", news("Zelenskyy meets allies in Paris"))
    assert not caught("war", news("Warsaw summit opens"))
    assert caught("war", news("War, again: what we know"))


def test_words_are_a_phrase_in_order() -> None:
    assert caught("energy grid", news("Attack on the energy grid near Lviv"))
    assert not caught("energy grid", news("Grid of energy projects"))
    assert not caught("energy grid", news("Energy prices and the power grid"))


def test_case_and_accents_do_not_matter() -> None:
    assert caught("Київ", news("КИЇВ: нічна атака"))
    assert caught("київ", news("Атака на Київ вночі"))
    assert caught("КИЇВ", news("атака на київ"))
    assert caught("cafe", news("Le Café de Flore ferme"))
    assert caught("Café", news("cafe society returns"))
    assert caught("Straße", news("STRASSE closed for repairs"))


def test_ukrainian_whole_words_and_apostrophes() -> None:
    assert not caught("Київ", news("Київщина: новини області"))
    assert caught("п'ятниця", news("У п’ятницю та п'ятниця — різні слова"))


def test_source_rule_matches_host_subdomain_and_path() -> None:
    rule = parse_rule("source:https://www.espreso.tv/news")
    assert rule.kind == "source"
    assert rule.matches(news("x", "https://espreso.tv/news/2025/1"))
    assert rule.matches(news("x", "https://global.espreso.tv/news/1"))
    assert not rule.matches(news("x", "https://espreso.tv/sport/1"))
    assert not rule.matches(news("x", "https://notespreso.tv/news/1"))
    host_only = parse_rule("source:espreso.tv")
    assert host_only.matches(news("x", "https://espreso.tv/anything"))
    # The headline's source (the feed it came from) counts as well as its own URL.
    via_feed = news("x", "https://cdn.other.example/1", source="https://espreso.tv/rss")
    assert host_only.matches(via_feed)


def test_label_rule_matches_the_whole_label_folded() -> None:
    rule = parse_rule("label:Opinion")
    assert rule.matches(news("x", label="OPINION"))
    assert not rule.matches(news("x", label="Opinion poll"))
    assert not rule.matches(news("Opinion: x"))


def test_parse_keeps_the_text_to_remove_it_by() -> None:
    assert parse_rule("  energy   grid ").text == "energy grid"
    assert parse_rule("LABEL: Exclusive").kind == "label"
    # A colon in ordinary words is not a qualifier.
    assert parse_rule("Breaking: Kyiv").kind == "words"
    assert parse_rule("source:").kind == "words"


@pytest.mark.parametrize("text", ["", "   ", "!!!", "label:!!", "x" * 500])
def test_rules_that_cannot_match_anything_are_refused(text: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(text)


def test_matching_rules_returns_all_that_catch_in_order() -> None:
    rules = [parse_rule(text) for text in ("kyiv", "label:exclusive", "lviv", "grid")]
    headline = news("Kyiv grid repaired", label="Exclusive")
    assert [rule.text for rule in matching_rules(headline, rules)] == [
        "kyiv",
        "label:exclusive",
        "grid",
    ]
    assert matching_rules(news(""), rules) == []
