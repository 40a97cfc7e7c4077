"""The news desk: one story across sources, watch rules that mark headlines, mute rules."""

# What the library adds to the pure cores (stories.StoryIndex, desk_rules): rules kept in
# the store and in the config, the muted flag kept exact in the store, and new headlines
# put into stories after each refresh. Grouping reads only the recent grouped headlines
# (STORY_CONTEXT) to rebuild the index, never the whole cache, and runs in a thread.

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass

from newsterm.config import Settings
from newsterm.desk_rules import DeskRule, RuleError, matching_rules, parse_rule
from newsterm.models import Headline
from newsterm.store import MUTE_FINGERPRINT, Store, StoreError, TickerRow
from newsterm.stories import STORY_WINDOW, StoryIndex

__all__ = ["DeskEntry", "NewsDesk", "RuleError", "rule_key"]

log = logging.getLogger(__name__)

GROUP_BATCH = 20_000
"""Most ungrouped headlines put into stories at once (the newest). A cache made before
stories existed is grouped this many at a time, newest first, one batch per refresh."""
STORY_CONTEXT = 20_000
"""Most grouped headlines read back to rebuild the index a batch joins."""
MATCHER_VERSION = "1"
"""Part of the mute fingerprint: a change to how rules match recomputes every flag."""
LISTS = {"watch": "watched", "mute": "muted"}


@dataclass(frozen=True, slots=True)
class DeskEntry:
    """A rule of the watch or mute list and where it comes from."""

    rule: DeskRule
    from_config: bool
    """True for a rule of the config file (removed there, not with `remove`)."""


@dataclass(frozen=True, slots=True)
class WatchMark:
    """Where a refresh's headlines begin: the newest row when it started, and the time."""

    row_id: int
    moment: float


def rule_key(rule: DeskRule) -> str:
    """What makes two rules one: their kind and folded terms ("Kyiv" and "KYIV" alike)."""
    return f"{rule.kind}:" + "\t".join(rule.terms)


def as_headline(row: TickerRow) -> Headline:
    """A ticker row as the Headline rules are matched against."""
    return Headline(row.title, row.url, row.published, row.label, source=row.source_url)


class NewsDesk:
    """Watch and mute lists, and stories, for one store and its settings."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self._config = {
            "watch": _parsed(settings.watch),
            "mute": _parsed(settings.mute),
        }
        self._lists: dict[str, list[DeskEntry]] = {}
        store.mute_matcher = self._is_muted_in

    # -- rules ------------------------------------------------------------------------------

    def rules(self, list_name: str) -> list[DeskEntry]:
        """The rules of "watch" or "mute": the config's first, then the stored ones."""
        if list_name not in self._lists:
            entries = []
            seen = set()
            for rule in self._config[list_name]:
                if rule_key(rule) not in seen:
                    seen.add(rule_key(rule))
                    entries.append(DeskEntry(rule, True))
            for key, text in self.store.desk_rules(list_name):
                try:
                    rule = parse_rule(text)
                except RuleError:
                    continue  # a row an older release or a hand edit left: skip, never crash
                if rule_key(rule) == key and key not in seen:
                    seen.add(key)
                    entries.append(DeskEntry(rule, False))
            self._lists[list_name] = entries
        return self._lists[list_name]

    def add(self, list_name: str, text: str) -> DeskRule:
        """Add a rule to a list; RuleError if it is no rule or the list already has it."""
        rule = parse_rule(text)
        key = rule_key(rule)
        if any(rule_key(entry.rule) == key for entry in self.rules(list_name)):
            raise RuleError(f"already {LISTS[list_name]}: {rule.text}")
        self.store.add_desk_rule(list_name, key, rule.text)
        self._changed(list_name)
        return rule

    def remove(self, list_name: str, text: str) -> DeskRule:
        """Remove a stored rule (as written, or any spelling that folds alike)."""
        rule = parse_rule(text)
        key = rule_key(rule)
        entry = next((e for e in self.rules(list_name) if rule_key(e.rule) == key), None)
        if entry is None:
            raise RuleError(f"not {LISTS[list_name]}: {rule.text}")
        if entry.from_config:
            raise RuleError(f"{entry.rule.text} is in the config file: remove it there")
        self.store.remove_desk_rule(list_name, key)
        self._changed(list_name)
        return entry.rule

    def _changed(self, list_name: str) -> None:
        self._lists.pop(list_name, None)
        if list_name == "mute":
            self.sync_mute()

    # -- matching ---------------------------------------------------------------------------

    def watch_matches(self, item: Headline | TickerRow) -> list[DeskRule]:
        """The watch rules a headline (or ticker row) matches."""
        return self._matches("watch", item)

    def mute_matches(self, item: Headline | TickerRow) -> list[DeskRule]:
        """The mute rules a headline (or ticker row) matches."""
        return self._matches("mute", item)

    def is_muted(self, headline: Headline) -> bool:
        """Whether a mute rule hides this headline."""
        return bool(self.mute_matches(headline))

    def _is_muted_in(self, headline: Headline, source_url: str) -> bool:
        # Called for every headline a refresh stores: with no mute rule (the usual case) it
        # costs no copy of the headline.
        if not self.rules("mute"):
            return False
        return self.is_muted(dataclasses.replace(headline, source=source_url))

    def _matches(self, list_name: str, item: Headline | TickerRow) -> list[DeskRule]:
        entries = self.rules(list_name)
        if not entries:
            return []
        headline = as_headline(item) if isinstance(item, TickerRow) else item
        return matching_rules(headline, [entry.rule for entry in entries])

    def watched(self, rows: Iterable[TickerRow]) -> Iterator[TickerRow]:
        """The rows a watch rule matches, in the order given (read lazily)."""
        if not self.rules("watch"):
            return
        for row in rows:
            if self.watch_matches(row):
                yield row

    def watch_mark(self, now: float) -> WatchMark:
        """Where the headlines stored from `now` on begin: give it to `new_watch_matches`."""
        return WatchMark(self.store.newest_row_id(), now)

    def new_watch_matches(
        self, mark: WatchMark, now: float, limit: int = 100
    ) -> list[tuple[TickerRow, list[DeskRule]]]:
        """Shown headlines stored since `watch_mark` gave `mark`, until `now`, that a watch
        rule matches, newest first, with the rules: what a notification announces."""
        if not self.rules("watch"):
            return []
        found = []
        for row in self.store.rows_added_since(mark.row_id, mark.moment, now):
            rules = self.watch_matches(row)
            if rules:
                found.append((row, rules))
                if len(found) >= limit:
                    break
        return found

    # -- mute -------------------------------------------------------------------------------

    def mute_fingerprint(self) -> str:
        """The mute rules in force as one string: when it changes, the flags are redone."""
        keys = sorted({rule_key(entry.rule) for entry in self.rules("mute")})
        return "\n".join([MATCHER_VERSION, *keys])

    def sync_mute(self, *, quiet: bool = False) -> int:
        """Bring every headline's muted flag in line with the rules in force (config and
        stored), unless they are the ones it was last computed with; how many changed.

        One pass over the cache, only when the rules changed (a rule added or removed, the
        config edited); a read-only cache keeps the flags it has. With `quiet`, a cache that
        cannot be written now (busy, full) is left as it is, to be synced next time.
        """
        try:
            fingerprint = self.mute_fingerprint()
            if self.store.read_only or self.store.desk_state(MUTE_FINGERPRINT) == fingerprint:
                return 0
            matcher = self.is_muted if self.rules("mute") else None
            return self.store.apply_mute(matcher, fingerprint)
        except StoreError as error:
            if not quiet:
                raise
            log.debug("muting by the new rules failed: %s", error)
            return 0

    def muted_count(self, source_ids: list[int] | None = None) -> int:
        """How many cached headlines of these sources are hidden by a mute rule."""
        return self.store.muted_count(source_ids)

    # -- stories ----------------------------------------------------------------------------

    async def attach_new(self) -> int:
        """Put headlines stored since the last call into stories, in a thread; how many.

        A failure to write leaves them ungrouped for the next refresh, never an error.
        """
        try:
            return await asyncio.to_thread(self.attach_stories)
        except StoreError as error:
            log.debug("grouping new headlines failed: %s", error)
            return 0

    def attach_stories(self, now: float | None = None) -> int:
        """Give each ungrouped headline a story: one of the recent stories, or a new one.

        The index is rebuilt from the grouped headlines of the story window before the
        oldest new one (no comparisons: from_stories), then the new ones are added: the
        cost grows with the new headlines and the recent ones, not with the cache.
        """
        if self.store.read_only:
            return 0
        ungrouped = self.store.ungrouped_headlines(GROUP_BATCH)
        if not ungrouped:
            return 0
        now = time.time() if now is None else now
        moments = [h.published.timestamp() for _, h in ungrouped if h.published is not None]
        since = min([*moments, now]) - STORY_WINDOW.total_seconds()
        context = self.store.grouped_headlines(since, STORY_CONTEXT)
        stored = {story for _, story in context}
        index = StoryIndex.from_stories([h for h, _ in context], [s for _, s in context])
        stories = index.add([headline for _, headline in ungrouped])
        # The index names a new story by text (its first URL); the store numbers it by its
        # first headline's row id, so here a story is either a stored number or new.
        joined: list[tuple[int, int]] = []
        started: dict[Hashable, list[int]] = {}
        for (row_id, _), story in zip(ungrouped, stories, strict=True):
            if isinstance(story, int) and story in stored:
                joined.append((row_id, story))
            else:
                started.setdefault(story, []).append(row_id)
        return self.store.assign_stories(joined, started.values())

    def story_members(self, row: TickerRow, *, include_muted: bool = False) -> list[TickerRow]:
        """The other headlines of a row's story ("also reported by …"), newest first."""
        if row.story is None:
            return []
        members = self.store.story_rows(row.story, include_muted=include_muted)
        return [member for member in members if member.id != row.id]

    def story_source_counts(self, rows: Iterable[TickerRow]) -> dict[int, int]:
        """For the rows' stories: how many sources list each ("+N sources" is this − 1)."""
        return self.store.story_source_counts(row.story for row in rows if row.story is not None)


def _parsed(texts: Iterable[str]) -> list[DeskRule]:
    rules = []
    for text in texts:
        try:
            rules.append(parse_rule(text))
        except RuleError:
            continue  # the config is checked when read; settings made in code may hold anything
    return rules
