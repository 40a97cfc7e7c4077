"""SearchScreen: full-text search over the cache; enter opens the chosen result."""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from newsterm.library import MATCH_END, MATCH_START
from newsterm.text.sanitize import for_terminal, screen_line
from newsterm.text.time_format import date_time_text

if TYPE_CHECKING:
    from newsterm.library import Library, SearchHit


_SPACES = re.compile(r"\s+")


def snippet_text(snippet: str) -> Text:
    """A search snippet as Text, the matched words bold (the markers themselves removed)."""
    text = Text()
    bold = False
    for part in _split_markers(snippet):
        if part == MATCH_START:
            bold = True
        elif part == MATCH_END:
            bold = False
        else:
            # Folded but not stripped: the spaces around a matched word are part of the text.
            text.append(_SPACES.sub(" ", for_terminal(part)), "bold reverse" if bold else None)
    text.rstrip()
    return text


def query_words(query: str) -> list[str]:
    """The words of a search query, as they may appear in a title (no operators, no quotes)."""
    words = re.findall(r"\w+", query)
    return [word for word in words if word.upper() not in ("AND", "OR", "NOT", "NEAR")]


def untitled(url: str) -> str:
    """What stands for an article with no title: its site, never the raw link."""
    host = urlsplit(url).hostname or ""
    return f"Untitled article · {screen_line(host)}" if host else "Untitled article"


def _split_markers(snippet: str) -> list[str]:
    parts: list[str] = []
    current = ""
    for character in snippet:
        if character in (MATCH_START, MATCH_END):
            parts.extend((current, character))
            current = ""
        else:
            current += character
    parts.append(current)
    return [part for part in parts if part]


class SearchScreen(ModalScreen[str | None]):
    """Type to search; results update as you type; enter opens one, escape goes back."""

    CSS_PATH = "modal.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close_search"),
        Binding("down", "focus_results", "Results", show=False),
    ]

    def __init__(self, library: Library, zone: tzinfo | None, query: str = "") -> None:
        super().__init__()
        self.library = library
        self.zone = zone
        self.query_text = query
        self.hits: list[SearchHit] = []
        self._words: list[str] = []

    def compose(self) -> ComposeResult:
        """A search box, a count line and the results."""
        with Vertical(id="search-box") as box:
            box.border_title = "Search the cache"
            yield Input(value=self.query_text, placeholder="words to find…", id="search-input")
            yield Static("", id="search-count")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        """Search for the initial query, if any."""
        self._search(self.query_text)

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        # FTS5 answers in milliseconds, so searching on every keystroke keeps results live.
        hits = self.library.search(query) if query.strip() else []
        # One row per article: a cached article and its headline are the same thing to read.
        seen: set[str] = set()
        self.hits = [hit for hit in hits if not (hit.url in seen or seen.add(hit.url))]
        self._words = query_words(query)
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(self._option(hit) for hit in self.hits)
        if self.hits:
            results.highlighted = 0
        count = len(self.hits)
        message = "" if not query.strip() else f"{count} result{'s' if count != 1 else ''}"
        self.query_one("#search-count", Static).update(Text(message))

    def _option(self, hit: SearchHit) -> Option:
        prompt = Text()
        if hit.cached:
            title = Text(screen_line(hit.title) or untitled(hit.url), "bold")
            # The hit's words lit in the title too, not only in the snippet below it.
            title.highlight_words(self._words, "reverse", case_sensitive=False)
            prompt.append_text(title)
        else:
            # A headline hit's snippet is its title with the matched words marked.
            title = snippet_text(hit.snippet) if hit.snippet else Text(screen_line(hit.title))
            title.stylize("bold")
            prompt.append_text(title)
            prompt.append("  (headline only)", "dim")
        if hit.published:
            prompt.append("\n")
            prompt.append(date_time_text(hit.published, self.zone), "dim")
        if hit.cached and hit.snippet:
            prompt.append("\n")
            prompt.append_text(snippet_text(hit.snippet))
        return Option(prompt)

    @on(Input.Submitted, "#search-input")
    def _open_highlighted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        index = results.highlighted
        if index is not None and 0 <= index < len(self.hits):
            self.dismiss(self.hits[index].url)

    @on(OptionList.OptionSelected, "#search-results")
    def _open_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[event.option_index].url)

    def action_focus_results(self) -> None:
        """Move from the search box down into the results."""
        if self.hits:
            self.query_one("#search-results", OptionList).focus()

    def action_close(self) -> None:
        """Go back without opening anything."""
        self.dismiss(None)
