"""What the main screen offers in its footer and in the command palette."""

from __future__ import annotations

# Help and quit come early: they must fit on an 80-column footer.
FOOTER_KEYS = (
    ("open", "Open", "open_headline"),
    ("read_on", "Read on", "read_on"),
    ("save", "Save", "toggle_saved"),
    ("open_browser", "Browser", "open_in_browser"),
    ("search", "Search", "search"),
    ("help", "Help", "app.help"),
    ("quit", "Quit", "app.quit"),
    ("switch_pane", "Pane", "switch_pane"),
    ("refresh", "Refresh", "refresh"),
    ("saved", "Saved", "saved"),
    ("zoom", "Zoom", "zoom"),
    ("only_source", "One source", "only_source"),
)

# What the command palette offers on this screen: (title, help, action).
PALETTE_ACTIONS = (
    ("Open headline", "Open the headline under the cursor in the reader", "open_headline"),
    ("Switch pane", "Move the keys between the ticker and the reader", "switch_pane"),
    ("Zoom pane", "Give the whole screen to the pane with the keys, or go back", "zoom"),
    ("Save / unsave", "Keep the article for good, or stop keeping it", "toggle_saved"),
    ("Open in browser", "Open the article's link in the web browser", "open_in_browser"),
    ("Copy link", "Copy the article's link to the clipboard", "copy_link"),
    ("Refresh", "Fetch every source now", "refresh"),
    ("Search", "Full-text search over the cache", "search"),
    ("Saved articles", "List the saved articles", "saved"),
    ("Revisions", "Earlier versions of the article", "revisions"),
    ("One source / all", "Show the headline's source alone, or every source again", "only_source"),
    ("Breaking line", "Show or hide the scrolling line of latest headlines", "toggle_breaking"),
    ("Layout", "Headlines first on narrow screens, both panes, or headlines only", "next_layout"),
    ("Read on", "Page the article down; at its end, open the next headline", "read_on"),
    ("Next unread", "Jump to the next unread headline", "next_unread"),
    ("Next watched", "Jump to the next headline a watch rule matches", "next_watched"),
    ("Story's sources", "The headline's story as every source reports it", "story"),
    ("Watch for…", "Add a watch rule: matching headlines are marked and announced", "add_watch"),
    ("Mute…", "Add a mute rule: matching headlines are hidden", "add_mute"),
    (
        "Watch and mute rules",
        "List them (newsterm watch/mute remove … takes one away)",
        "desk_rules",
    ),
    ("Previous day", "Jump to the day before", "previous_day"),
    ("Next day", "Jump to the day after", "next_day"),
    ("Top", "Jump to the newest headline", "top"),
    ("Bottom", "Jump to the oldest cached headline", "bottom"),
)
