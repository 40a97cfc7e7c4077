"""Headlines -> story ids: the same story from many sources grouped by titles, links and times."""

# Pure: no network, no model, no numeric library. Each headline becomes a vector of its title's
# folded words weighted by how rare they are among the headlines seen (IDF), normalised to
# length one; a story is the sum of its members' vectors. Headlines, in time order, join the
# story whose summed vector they are most like (or start one); then stories merge by
# centroid linkage: the most similar pair of groups merges first, and only while the cosine of
# their summed vectors stays above a threshold, so a group joins another only if it resembles
# the group as a whole, not just one member of it (single-link chaining is what makes two
# stories one). Candidates are only groups that share one of a group's heaviest words, and
# groups further apart in time than a story lives are never compared, so the work grows with
# the number of headlines, not with its square. The same URL is always the same story.
#
# `StoryIndex` keeps the state between refreshes (word counts and per-story vectors) so that
# new headlines attach to existing stories without regrouping the cache; `cluster` is one
# batch through an empty index.

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from newsterm.models import Headline
from newsterm.text.words import words

STORY_WINDOW = timedelta(hours=48)
"""Two groups whose headlines are further apart than this are different stories.

A news story keeps getting headlines for a day or two; the same title days later ("Stocks
open lower") is another day's story. A story that keeps getting headlines keeps living,
since the gap is measured to its nearest member.
"""
JOIN_THRESHOLD = 0.2
"""The least cosine between a headline and a story's summed word vector for it to join."""
MERGE_THRESHOLD = 0.08
"""The least cosine between two stories' summed word vectors for them to be one."""
MERGE_SIZE_FACTOR = 0.3
"""How fast the merge threshold rises with the smaller group's size (times its log)."""
MIN_SHARED = 2
"""Words two groups must share to be compared: one shared word is too weak a sign."""
LOOK_AGAIN_GROWTH = 1.25
"""A grown group looks for new partners again once this many times its size when it looked."""
LOOKUP_WORDS = 6
"""How many of a vector's heaviest words are used to find groups to compare it with."""
MAX_POSTING = 500
"""Words held by more groups than this (in the time window) are too common to look candidates
up by: past it, a refresh of many near-identical titles compares every pair."""
_ELLIPSES = ("...", "…")
_MAX_WIRE_PREFIX = 32
# Query parameters that say where a click came from, not which page it is.
_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "ref", "cmp", "ncid")


def title_words(title: str) -> list[str]:
    """The words that say what a title is about: folded, without wire tags or a cut word.

    A wire service's tag ("UPDATE 1-", "EXCLUSIVE-", "REFILE-") says how the item was filed,
    not what it is about. A title cut short with an ellipsis may end in half a word, which
    would match nothing, so its last word is left out. One-letter words (what apostrophes
    leave behind: the "s" of "Egypt's") carry no meaning; numbers are kept.
    """
    title = _strip_wire_prefix(title.strip())
    cut = title.endswith(_ELLIPSES)
    found = words(title.rstrip(".… \t"))
    if cut and found:
        found.pop()
    return [word for word in found if len(word) > 1 or word.isdigit()]


def _strip_wire_prefix(title: str) -> str:
    """Drop leading upper-case tags joined to the title by a hyphen ("UPDATE 3-Pizza…")."""
    while True:
        head, dash, rest = title.partition("-")
        if not dash or not rest or rest[0].isspace() or len(head) > _MAX_WIRE_PREFIX:
            return title
        letters = [char for char in head if char.isalpha()]
        if len(letters) < 2 or not head.isupper() or not head[0].isalpha():
            return title
        title = rest


def url_key(url: str) -> str:
    """The part of a URL that says which page it is: no scheme, "www.", fragment or tracking.

    A URL whose path is empty or "/" names a site, not an article, and gives "".
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    if not host or not path:
        return ""
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith(_TRACKING_PREFIXES)
    ]
    key = f"{host}{path}"
    return f"{key}?{urlencode(sorted(query))}" if query else key


@dataclass(slots=True, eq=False)
class _Group:
    """A story being built: its summed word vector, time span and founding headline."""

    vector: dict[str, float] = field(default_factory=dict)
    norm_squared: float = 0.0
    first: datetime | None = None
    last: datetime | None = None
    story: Hashable | None = None
    """The id given to it; None until named. Named groups never merge with each other."""
    founder: tuple[datetime | None, str] | None = None
    """(time, URL) of the earliest headline of this batch, which names a new story."""
    merged_into: _Group | None = None
    size: int = 0
    """How many headlines it holds."""
    version: int = 0

    @property
    def norm(self) -> float:
        return math.sqrt(self.norm_squared)

    def root(self) -> _Group:
        group = self
        while group.merged_into is not None:
            group = group.merged_into
        return group

    def take(self, vector: dict[str, float], dot: float, size: int = 1) -> None:
        """Add `size` headlines' summed vector, whose dot product with this one's is `dot`."""
        self.size += size
        own = self.vector
        self.norm_squared += 2 * dot + sum(weight * weight for weight in vector.values())
        for word, weight in vector.items():
            own[word] = own.get(word, 0.0) + weight

    def take_time(self, first: datetime | None, last: datetime | None) -> None:
        if first is not None and (self.first is None or first < self.first):
            self.first = first
        if last is not None and (self.last is None or last > self.last):
            self.last = last

    def take_founder(self, founder: tuple[datetime | None, str] | None) -> None:
        if founder is None:
            return
        if self.founder is None or _founds_earlier(founder, self.founder):
            self.founder = founder


class StoryIndex:
    """Stories seen so far, so that new headlines join them without regrouping everything.

    What it keeps is small: how many headlines hold each word (for the IDF weights), each
    story's summed word vector and time span, and each URL's story. It can be rebuilt from
    stored headlines and their story ids (`from_stories`) in one pass with no comparisons,
    so the store needs to keep only the story id of each headline.
    """

    def __init__(
        self,
        *,
        window: timedelta = STORY_WINDOW,
        join_threshold: float = JOIN_THRESHOLD,
        merge_threshold: float = MERGE_THRESHOLD,
    ) -> None:
        self.window = window
        self.join_threshold = join_threshold
        self.merge_threshold = merge_threshold
        self._document_count = 0
        self._word_counts: dict[str, int] = {}
        self._stories: dict[Hashable, _Group] = {}
        self._url_groups: dict[str, _Group] = {}
        # word -> time bucket (None: undated) -> groups with a headline holding the word then.
        # Merged groups stay listed and are followed to the group they joined.
        self._postings: dict[str, dict[int | None, set[_Group]]] = {}

    @classmethod
    def from_stories(
        cls,
        headlines: Sequence[Headline],
        stories: Sequence[Hashable],
        **settings: Any,
    ) -> StoryIndex:
        """An index holding already-grouped headlines under the story ids given."""
        if len(headlines) != len(stories):
            raise ValueError("one story id per headline")
        index = cls(**settings)
        word_lists = index._count_words(headlines)
        for headline, story, found in zip(headlines, stories, word_lists, strict=True):
            group = index._stories.get(story)
            if group is None:
                group = index._stories[story] = _Group(story=story)
            vector = index._unit_vector(found)
            group.take(vector, _dot(vector, group.vector))
            group.take_time(headline.published, headline.published)
            index._post(group, vector, headline.published)
            key = url_key(headline.url)
            if key:
                index._url_groups[key] = group
        return index

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, headlines: Sequence[Headline]) -> list[Hashable]:
        """Give each new headline a story id: an existing story's, or a new one's.

        Headlines are taken in time order, as a live reader receives them: each joins the
        story it is most similar to, if similar enough, or starts one. Then the stories this
        batch started or grew merge with each other or with stored ones while they are
        similar as wholes. Stored stories keep their ids and never merge with each other,
        so ids the store has saved stay valid; a new story's id is its earliest headline's
        URL.
        """
        word_lists = self._count_words(headlines)
        order = sorted(range(len(headlines)), key=lambda position: _time_key(headlines[position]))
        owners: list[_Group | None] = [None] * len(headlines)
        touched: dict[_Group, None] = {}
        for position in order:
            headline = headlines[position]
            vector = self._unit_vector(word_lists[position])
            key = url_key(headline.url)
            group = self._url_groups.get(key) if key else None
            dot = 0.0
            if group is not None:
                group = group.root()
                dot = _dot(vector, group.vector)
            else:
                group, dot = self._best_group(vector, headline.published)
            if group is None:
                group = _Group()
            group.take(vector, _dot(vector, group.vector))
            group.take_time(headline.published, headline.published)
            if group.story is None and headline.url:
                group.take_founder((headline.published, headline.url))
            self._post(group, vector, headline.published)
            if key:
                self._url_groups[key] = group
            owners[position] = group
            touched[group] = None
        self._merge(list(touched))
        return self._name(owners)

    def prune(self, before: datetime) -> None:
        """Forget stories whose last headline is before `before`: they take no new ones.

        Word counts are kept, so weights stay as they were.
        """
        gone = {
            group
            for group in self._stories.values()
            if group.last is not None and group.last < before
        }
        self._stories = {story: g for story, g in self._stories.items() if g not in gone}
        self._url_groups = {key: g for key, g in self._url_groups.items() if g not in gone}
        for buckets in self._postings.values():
            for members in buckets.values():
                members.difference_update([member for member in members if member.root() in gone])

    # -- weights ------------------------------------------------------------------------------

    def _count_words(self, headlines: Iterable[Headline]) -> list[list[str]]:
        word_lists = []
        counts = self._word_counts
        for headline in headlines:
            found = list(dict.fromkeys(title_words(headline.title or "")))
            for word in found:
                counts[word] = counts.get(word, 0) + 1
            word_lists.append(found)
            self._document_count += 1
        return word_lists

    def _unit_vector(self, found: list[str]) -> dict[str, float]:
        """IDF weights of a headline's words, scaled to length one (empty if no weight)."""
        total = self._document_count
        counts = self._word_counts
        weights = {}
        for word in found:
            weight = math.log(total / counts[word])
            if weight > 0:
                weights[word] = weight
        length = math.sqrt(sum(weight * weight for weight in weights.values()))
        return {word: weight / length for word, weight in weights.items()} if length else {}

    def _bucket(self, moment: datetime | None) -> int | None:
        if moment is None:
            return None
        return int(moment.timestamp() // self.window.total_seconds())

    def _post(self, group: _Group, vector: dict[str, float], moment: datetime | None) -> None:
        postings = self._postings
        bucket = self._bucket(moment)
        for word in vector:
            buckets = postings.get(word)
            if buckets is None:
                postings[word] = {bucket: {group}}
            elif bucket in buckets:
                buckets[bucket].add(group)
            else:
                buckets[bucket] = {group}

    # -- grouping -----------------------------------------------------------------------------

    def _candidates(
        self,
        vector: dict[str, float],
        first: datetime | None,
        last: datetime | None,
        exclude: _Group | None = None,
    ) -> set[_Group]:
        """Groups near in time holding one of the vector's heaviest words (not common ones)."""
        found: set[_Group] = set()
        postings = self._postings
        low, high = self._bucket(first), self._bucket(last)
        for word in heapq.nlargest(LOOKUP_WORDS, vector, key=vector.__getitem__):
            buckets = postings.get(word)
            if not buckets:
                continue
            if low is None or high is None:
                nearby = list(buckets.values())
            else:
                nearby = [buckets[key] for key in range(low - 1, high + 2) if key in buckets]
                if None in buckets:
                    nearby.append(buckets[None])
            if sum(len(members) for members in nearby) > MAX_POSTING:
                continue
            for members in nearby:
                found.update(members)
        roots = {group.root() for group in found}
        roots.discard(exclude)  # type: ignore[arg-type]
        return roots

    def _best_group(
        self, vector: dict[str, float], moment: datetime | None
    ) -> tuple[_Group | None, float]:
        """The group a headline's vector is most similar to, if similar enough, and the dot."""
        best: _Group | None = None
        best_similarity = self.join_threshold
        best_dot = 0.0
        for group in self._candidates(vector, moment, moment):
            if not self._close_in_time(group, moment, moment):
                continue
            dot, shared = _overlap(vector, group.vector)
            if shared < MIN_SHARED or not group.norm_squared:
                continue
            similarity = dot / group.norm
            if similarity >= best_similarity:
                best, best_similarity, best_dot = group, similarity, dot
        return best, best_dot

    def _merge(self, active: list[_Group]) -> None:
        """Merge the most similar pair of groups while similar enough (centroid linkage).

        A pair whose groups changed since it was scored is scored again when it comes up,
        and a grown group looks for new partners only when it has grown by a quarter since
        it last looked: its heaviest words, which find partners, rarely change before that.
        """
        heap: list[tuple[float, int, _Group, _Group, int, int]] = []
        looked_at_size: dict[_Group, int] = {}
        tiebreak = 0

        def push(group: _Group, other: _Group) -> None:
            nonlocal tiebreak
            similarity = self._group_similarity(group, other)
            if similarity is not None:
                tiebreak += 1
                entry = (-similarity, tiebreak, group, other, group.version, other.version)
                heapq.heappush(heap, entry)

        def push_pairs(group: _Group) -> None:
            looked_at_size[group] = group.size
            for other in self._candidates(group.vector, group.first, group.last, group):
                push(group, other)

        for group in active:
            push_pairs(group)
        while heap:
            _, _, keep, drop, keep_version, drop_version = heapq.heappop(heap)
            if keep.merged_into is not None or drop.merged_into is not None:
                continue
            if keep.version != keep_version or drop.version != drop_version:
                push(keep, drop)
                continue
            if drop.story is not None or (keep.story is None and drop.size > keep.size):
                keep, drop = drop, keep
            keep.take(drop.vector, _dot(drop.vector, keep.vector), drop.size)
            keep.take_time(drop.first, drop.last)
            keep.take_founder(drop.founder)
            drop.merged_into = keep
            keep.version += 1
            if keep.size >= LOOK_AGAIN_GROWTH * looked_at_size.get(keep, 0):
                push_pairs(keep)

    def _group_similarity(self, group: _Group, other: _Group) -> float | None:
        """Two groups' similarity if they may merge and are similar enough, else None.

        Bigger groups must be more alike: their summed vectors are steadier, so a low
        cosine between two big groups is a sign of two stories sharing a few words, not
        of one story told in different words.
        """
        if group.story is not None and other.story is not None:
            return None
        if not group.norm_squared or not other.norm_squared:
            return None
        if not self._close_in_time(other, group.first, group.last):
            return None
        dot, shared = _overlap(group.vector, other.vector)
        if shared < MIN_SHARED:
            return None
        similarity = dot / (group.norm * other.norm)
        smaller = min(group.size, other.size)
        if similarity < self.merge_threshold * (1 + MERGE_SIZE_FACTOR * math.log(smaller)):
            return None
        return similarity

    def _close_in_time(self, group: _Group, first: datetime | None, last: datetime | None) -> bool:
        if group.first is None or first is None:
            return True
        assert group.last is not None and last is not None
        return max(group.first - last, first - group.last) <= self.window

    def _name(self, owners: list[_Group | None]) -> list[Hashable]:
        """Each headline's story id; groups new in this batch get their founder's URL."""
        result: list[Hashable] = []
        for owner in owners:
            assert owner is not None
            group = owner.root()
            if group.story is None:
                story: Hashable = group.founder[1] if group.founder else "story"
                while story in self._stories:
                    story = f"{story}#"
                group.story = story
                self._stories[story] = group
            result.append(group.story)
        for key, group in list(self._url_groups.items()):
            if group.merged_into is not None:
                self._url_groups[key] = group.root()
        return result


def cluster(headlines: Sequence[Headline], **settings: Any) -> list[Hashable]:
    """A story id for each headline: the same id for headlines that report the same story."""
    return StoryIndex(**settings).add(headlines)


def _overlap(one: dict[str, float], other: dict[str, float]) -> tuple[float, int]:
    """The dot product of two word vectors without their one largest term, and words shared.

    Leaving out the largest term means one shared word, however rare, never makes two
    groups similar by itself ("American" in an airline story and a retailer's).
    """
    shared = one.keys() & other.keys()
    if len(shared) < MIN_SHARED:
        return 0.0, len(shared)
    parts = [one[word] * other[word] for word in shared]
    return sum(parts) - max(parts), len(shared)


def _dot(one: dict[str, float], other: dict[str, float]) -> float:
    if len(one) > len(other):
        one, other = other, one
    return sum(weight * other.get(word, 0.0) for word, weight in one.items())


def _time_key(headline: Headline) -> tuple[bool, float]:
    """Sort key: dated headlines oldest first, then undated ones in the order given."""
    if headline.published is None:
        return (True, 0.0)
    return (False, headline.published.timestamp())


def _founds_earlier(one: tuple[datetime | None, str], other: tuple[datetime | None, str]) -> bool:
    if one[0] is None or other[0] is None:
        return False
    return one[0] < other[0]
