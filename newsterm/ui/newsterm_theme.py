"""The default "newsterm" theme: Espreso's white page, near-black type and red accents."""

from __future__ import annotations

from textual.theme import Theme

NEWSTERM_THEME = Theme(
    name="newsterm",
    primary="#C8102E",
    secondary="#2B5797",
    accent="#B8860B",
    warning="#C77700",
    error="#B00020",
    success="#1E7B45",
    foreground="#1A1A1A",
    background="#FFFFFF",
    surface="#F5F5F5",
    panel="#E9E9E9",
    dark=False,
    variables={
        "footer-key-foreground": "#C8102E",
        # A near-black cursor, as on the site's dark bands, so the red label chips stay visible.
        "block-cursor-background": "#1A1A1A",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#DDDDDD",
        "border": "#C8102E",
        "border-blurred": "#CCCCCC",
    },
)
"""Registered by the app; any built-in Textual theme can be chosen instead (palette, config)."""
