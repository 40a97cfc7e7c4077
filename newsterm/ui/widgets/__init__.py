"""The TUI's widgets, one class per module."""
