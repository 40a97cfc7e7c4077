"""Past-tense messages the TUI's workers and widgets post: one class per module."""
