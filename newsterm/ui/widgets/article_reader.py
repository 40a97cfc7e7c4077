"""ArticleReader: the scrollable reader pane; shows an article, a loading line or an error."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from newsterm.text.sanitize import screen_line
from newsterm.ui.component_style import component_style

if TYPE_CHECKING:
    from newsterm.library import ArticleResult
    from newsterm.models import Article

# Each kind of text in the document: (component class giving its colour, text style).
# Five colour classes serve twelve kinds; Textual restyles every component class of a
# widget whenever its styles change, so fewer of them make start-up and focus cheaper.
_STYLES = {
    "title": ("primary", Style(bold=True)),
    "heading": ("primary", Style(bold=True)),
    "bullet": ("primary", Style()),
    "quote_bar": ("primary", Style()),
    "meta": ("muted", Style()),
    "muted": ("muted", Style()),
    "url": ("muted", Style()),
    "lead": (None, Style(bold=True, italic=True)),
    "quote": (None, Style(italic=True)),
    "code": ("code", Style()),
    "note": ("note", Style(italic=True)),
    "error": ("error", Style(bold=True)),
}
_COLOUR_CLASSES = ("primary", "muted", "code", "note", "error")


class ArticleReader(VerticalScroll, can_focus=True):
    """The reader: title, date/byline/host, reading time, then the body, all as plain Text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", show=False, id="down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"article-reader--{name}" for name in _COLOUR_CLASSES}

    DEFAULT_CSS = """
    ArticleReader {
        padding: 0 2;
        /* A comfortable measure: on a wide screen the text is a centred column. */
        align-horizontal: center;
        & > .article-reader--primary { color: $primary; }
        & > .article-reader--muted { color: $text-muted; }
        & > .article-reader--code { color: $text-accent; }
        & > .article-reader--note { color: $warning; }
        & > .article-reader--error { color: $error; }
        & > #article-document { width: 1fr; max-width: 90; }
    }
    """

    def __init__(
        self,
        zone: tzinfo | None,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.zone = zone
        self.url: str | None = None
        """The article shown (or being loaded), if any."""
        self.title = ""
        self.article: Article | None = None
        self.saved = False
        self.revision_count = 0
        self.state = "empty"
        """One of "empty", "loading", "article", "error"."""
        self._notes: tuple[str, ...] = ()
        self._message: tuple[str, str, str] = (
            "No article open",
            "Choose a headline and press enter.",
            "note",
        )
        self._plain = ""

    def compose(self) -> ComposeResult:
        """One Static holds the whole document; the container scrolls it."""
        yield Static(id="article-document")

    def on_mount(self) -> None:
        """Draw the empty state."""
        self._draw()

    @property
    def document_text(self) -> str:
        """What the reader shows, as plain text."""
        return self._plain

    def show_loading(self, url: str, title: str) -> None:
        """Show the headline while its article loads."""
        self.url, self.title, self.article, self.state = url, title, None, "loading"
        self._message = (title or url, "Loading…", "note")
        self._draw()
        self.scroll_home(animate=False)

    def show_result(self, result: ArticleResult, also: tuple[str, ...] = ()) -> None:
        """Show what opening an article gave: the article, or the reason there is none;
        `also` names the other sources that report its story."""
        self.url = result.url
        stored = result.stored
        if stored is None and result.error is None and result.notice:
            # Nothing to show and nothing wrong (a headline without a link): say so, calmly.
            self.article, self.state = None, "note"
            self._message = (self.title or "Untitled headline", result.notice, "note")
        elif stored is None:
            self.article, self.state = None, "error"
            self._message = (self.title or result.url, result.error or "Not available.", "error")
        else:
            self.article, self.state = stored.article, "article"
            self.title = stored.article.title or self.title
            self.saved = stored.saved
            self.revision_count = stored.revision_count
            notes = [result.notice] if result.notice else []
            if also:
                notes.append("Also reported by " + ", ".join(also))
            self._notes = tuple(notes)
        self._draw()
        self.scroll_home(animate=False)

    def show_message(self, title: str, message: str, kind: str = "note") -> None:
        """Show a title and one line (kind "note" or "error") instead of an article."""
        self.url, self.article, self.state = None, None, "empty"
        self._message = (title, message, kind)
        self._draw()

    def set_saved(self, url: str, saved: bool) -> None:
        """Update the "saved" mark when the shown article was saved or unsaved."""
        if url == self.url and self.article is not None:
            self.saved = saved
            self._draw()

    def notify_style_update(self) -> None:
        """A new theme: redraw with its colours."""
        super().notify_style_update()
        if self.is_mounted:
            self._draw()

    def _styles(self) -> dict[str, Style]:
        colours = {
            name: component_style(self, f"article-reader--{name}") for name in _COLOUR_CLASSES
        }
        return {
            kind: (colours[colour] if colour else Style()) + text_style
            for kind, (colour, text_style) in _STYLES.items()
        }

    def _draw(self) -> None:
        styles = self._styles()
        if self.article is None:
            renderable = self._message_text(styles)
        else:
            # The document renderer loads with the first article, not at start-up.
            from newsterm.ui.article_document import (
                article_blocks,
                blocks_plain,
                blocks_renderable,
            )

            notes = list(self._notes)
            if self.saved:
                notes.insert(0, "★ Saved")
            if self.revision_count:
                plural = "s" if self.revision_count > 1 else ""
                notes.append(f"{self.revision_count} earlier version{plural} (press R)")
            blocks = article_blocks(self.article, self.zone, styles, notes=tuple(notes))
            self._plain = blocks_plain(blocks)
            renderable = blocks_renderable(blocks, styles)
        # Before compose there is no document to update; on_mount draws again.
        for document in self.query("#article-document").results(Static):
            document.update(renderable)

    def _message_text(self, styles: dict[str, Style]) -> Text:
        """A title and a line (and a hint after an error), in place of an article."""
        title, message, kind = self._message
        parts = [(screen_line(title), styles["title"]), (screen_line(message), styles.get(kind))]
        if kind == "error":
            hint = "Press enter on the headline to try again, or o to open it in a browser."
            parts.append((hint, styles["muted"]))
        text = Text()
        for index, (part, style) in enumerate(parts):
            if index:
                text.append("\n\n")
            text.append(part, style)
        self._plain = text.plain
        return text
