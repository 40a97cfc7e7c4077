"""Watch and mute rules: parse "WORDS", "source:URL" or "label:TEXT", match them to headlines."""

# Pure: the store keeps the rules' text, the ticker and the CLI ask which rules a headline
# matches. Words match as whole words, case- and accent-insensitively, in any script
# ("Київ" matches "КИЇВ" and "київ"; "Zelensky" does not match "Zelenskyy").

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsterm.models import Headline
from newsterm.text.words import fold, words

MAX_RULE_LENGTH = 200
"""Longest rule text accepted: a rule is a few words, not a document."""


class RuleError(ValueError):
    """Rule text that cannot be a rule (empty, too long, no words)."""


@dataclass(frozen=True, slots=True)
class DeskRule:
    """One watch or mute rule: a phrase of words, a source, or a label."""

    kind: str
    """"words", "source" or "label"."""
    text: str
    """The rule as the user wrote it (trimmed), which is also how it is stored and removed."""
    terms: tuple[str, ...]
    """Folded words for "words" and "label"; for "source", the folded host and path."""

    def matches(self, headline: Headline) -> bool:
        """Whether the headline is caught by this rule."""
        if self.kind == "words":
            return _has_phrase(words(headline.title or ""), self.terms)
        if self.kind == "label":
            return bool(headline.label) and tuple(words(headline.label or "")) == self.terms
        # The link, not the url: a headline without a link has an identifier of ours there.
        return _same_source(self.terms, headline.source or "") or _same_source(
            self.terms, headline.link or ""
        )


def parse_rule(text: str) -> DeskRule:
    """A rule from user text: "source:URL-or-host", "label:TEXT", or else words.

    Raises RuleError when the text holds nothing to match.
    """
    text = " ".join(text.split())
    if not text:
        raise RuleError("a rule needs some words")
    if len(text) > MAX_RULE_LENGTH:
        raise RuleError(f"a rule is at most {MAX_RULE_LENGTH} characters")
    prefix, colon, rest = text.partition(":")
    kind = prefix.strip().casefold()
    if colon and kind in ("source", "label") and rest.strip():
        value = rest.strip()
        if kind == "source":
            terms = _source_terms(value)
            if not terms[0]:
                raise RuleError(f"not a source: {value}")
            return DeskRule("source", f"source:{value}", terms)
        label_words = tuple(words(value))
        if not label_words:
            raise RuleError(f"a label needs words: {value}")
        return DeskRule("label", f"label:{value}", label_words)
    phrase = tuple(words(text))
    if not phrase:
        raise RuleError(f"no words to match in: {text}")
    return DeskRule("words", text, phrase)


def matching_rules(headline: Headline, rules: Iterable[DeskRule]) -> list[DeskRule]:
    """The rules that catch this headline, in the order given."""
    title_words: list[str] | None = None
    found = []
    for rule in rules:
        if rule.kind == "words":
            # Fold the title once for all word rules.
            if title_words is None:
                title_words = words(headline.title or "")
            if _has_phrase(title_words, rule.terms):
                found.append(rule)
        elif rule.matches(headline):
            found.append(rule)
    return found


def _has_phrase(title: Sequence[str], phrase: Sequence[str]) -> bool:
    width = len(phrase)
    if not width or width > len(title):
        return False
    first = phrase[0]
    for start in range(len(title) - width + 1):
        if title[start] == first and tuple(title[start : start + width]) == tuple(phrase):
            return True
    return False


def _source_terms(value: str) -> tuple[str, ...]:
    """(host without "www.", path without trailing "/") of a URL or a bare host."""
    candidate = value if "//" in value else f"//{value}"
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return ("", "")
    return (fold(host), parts.path.rstrip("/"))


def _same_source(rule: tuple[str, ...], url: str) -> bool:
    """A URL is from the rule's source: same host or a subdomain, and under its path."""
    if not url:
        return False
    host, path = _source_terms(url)
    want_host, want_path = rule
    if not host or not (host == want_host or host.endswith(f".{want_host}")):
        return False
    return not want_path or path == want_path or path.startswith(f"{want_path}/")
