"""Which panes the main screen shows, and how wide: headlines first, or both side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsterm.ui.ui_state import LAYOUTS

if TYPE_CHECKING:
    from newsterm.ui.app import NewstermApp
    from newsterm.ui.widgets.article_reader import ArticleReader
    from newsterm.ui.widgets.headline_ticker import HeadlineTicker

SPLIT_WIDTH = 140
"""From this width both panes fit side by side with whole headlines; below it the layout
"auto" shows the headlines alone and opens the reader over them."""
READER_MIN_WIDTH = 60
"""The reader's share in a split: never narrower than this, whatever the headlines want."""
READER_MAX_WIDTH = 96
"""The reader's measure (90 cells), its padding and borders: more is wasted on it."""
TICKER_MIN_WIDTH = 48


class PaneLayout:
    """The layout half of MainScreen (a mixin): the layout setting applied to the width."""

    app: NewstermApp
    headlines_first: bool | None
    zoomed: str | None

    ticker: HeadlineTicker
    reader: ArticleReader

    def _apply_layout(self) -> None:
        """Headlines first (the reader over them) or both panes, as the layout setting and
        the width say; then give the ticker the width its headlines need."""
        mode = self.app.ui_state.layout
        first = mode == "headlines" or (mode == "auto" and self.size.width < SPLIT_WIDTH)
        if first != self.headlines_first:
            self.headlines_first = first
            if first and self.zoomed is None:
                self._zoom(self.reader if self.focused is self.reader else self.ticker)
            elif not first and self.zoomed is not None:
                self._zoom(None)
        self._fit_panes()

    def _fit_panes(self) -> None:
        """Side by side, the ticker takes the width its titles need and the reader the rest
        (at least READER_MIN_WIDTH); stacked or zoomed, the stylesheet decides."""
        ticker, width = self.ticker, self.size.width
        if self.zoomed is not None or self.has_class("-narrow") or not width:
            ticker.styles.width = None
            return
        # The reader grows towards its 90-cell measure as the screen widens (40% of it).
        reader = max(READER_MIN_WIDTH, min(READER_MAX_WIDTH, width * 2 // 5))
        room = max(width - reader, min(TICKER_MIN_WIDTH, width // 2))
        # Short titles leave the ticker narrow, but never narrower than what the reader's
        # measure leaves over: that space would only be blank on both sides of the article.
        wanted = max(ticker.preferred_width(), width - READER_MAX_WIDTH, TICKER_MIN_WIDTH)
        ticker.styles.width = min(wanted, room)

    def action_next_layout(self) -> None:
        """Switch to the next layout (auto, split, headlines) and remember it."""
        layout = LAYOUTS[(LAYOUTS.index(self.app.ui_state.layout) + 1) % len(LAYOUTS)]
        self.app.remember(layout=layout)
        self.headlines_first = None  # choose again, even if the answer is the same
        self._zoom(None)
        self._apply_layout()
        described = {
            "auto": f"headlines first below {SPLIT_WIDTH} columns, both panes above",
            "split": "both panes",
            "headlines": "headlines first, the article over them",
        }
        self.notify(f"Layout: {described[layout]}", timeout=3, markup=False)
