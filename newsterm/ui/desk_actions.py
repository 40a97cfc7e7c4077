"""The main screen's news desk: watched rows, a story's sources, rules added from the palette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsterm.library import StoreError
from newsterm.text.sanitize import screen_line
from newsterm.ui.widgets.headline_ticker import HeadlineTicker

if TYPE_CHECKING:
    from newsterm.ui.app import NewstermApp


class DeskActions:
    """The desk half of MainScreen (a mixin): what `w`, `e` and the desk's palette commands do."""

    app: NewstermApp
    ticker: HeadlineTicker
    _source_names: str | None

    def action_next_watched(self) -> None:
        """Jump to the next headline a watch rule matches."""
        self.ticker.action_next_watched()

    def action_story(self) -> None:
        """The cursor headline's story as every source reports it."""
        self.ticker.action_story()

    def action_add_watch(self) -> None:
        """Ask for a watch rule and add it."""
        self._ask_rule("watch")

    def action_add_mute(self) -> None:
        """Ask for a mute rule and add it."""
        self._ask_rule("mute")

    def _ask_rule(self, list_name: str) -> None:
        from newsterm.ui.screens.rule_screen import RuleScreen

        def add(text: str | None) -> None:
            if not text:
                return
            library = self.app.library
            try:
                rule = library.desk.add(list_name, text)
            except (ValueError, StoreError) as error:  # not a rule, already there, read-only
                self.notify(screen_line(str(error)), severity="error", markup=False)
                return
            verb = "watching" if list_name == "watch" else "muted"
            self.notify(f"{verb}: {screen_line(rule.text)}", title="News desk", markup=False)
            self._source_names = None  # the status line counts the muted again
            self.ticker.reload()
            self._update_status()

        self.app.push_screen(RuleScreen(list_name), add)

    def action_desk_rules(self) -> None:
        """Say which watch and mute rules are in force."""
        desk = self.app.library.desk
        lines = []
        for list_name in ("watch", "mute"):
            texts = [screen_line(entry.rule.text) for entry in desk.rules(list_name)]
            lines.append(f"{list_name}: {', '.join(texts) if texts else 'none'}")
        self.notify("\n".join(lines), title="News desk", timeout=8, markup=False)

    def on_headline_ticker_story_wanted(self, message: HeadlineTicker.StoryWanted) -> None:
        """Show the story of a headline as every source reports it."""
        from newsterm.ui.screens.story_screen import StoryScreen

        library = self.app.library
        row = library.ticker.row(message.headline_id)
        members = library.desk.story_members(row) if row is not None else []
        if row is None or not members:
            self.notify("No other source reports this story.", timeout=3, markup=False)
            return
        self.app.push_screen(StoryScreen([row, *members], self.app.zone), self._open_chosen)

    def _also_reported_by(self, url: str) -> tuple[str, ...]:
        """The other sources whose headlines belong to the story of the open article."""
        entry = next((e for e in self.ticker.entries if e.url == url), None)
        if entry is None or entry.story is None:
            return ()
        library = self.app.library
        try:
            row = library.ticker.row(entry.id)
            members = library.desk.story_members(row) if row is not None else []
        except StoreError:
            return ()
        names = [screen_line(m.source_name) for m in members if m.source_id != entry.source_id]
        return tuple(dict.fromkeys(names))
