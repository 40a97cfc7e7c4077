"""The TUI's screens: the main two-pane screen, help, search, saved articles and revisions."""
