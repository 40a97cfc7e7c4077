"""One helper for drawing with a widget's component classes in a theme's colours."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """A component class's own style, with its colours resolved against the background.

    Textual's partial style keeps only what the rule sets but drops the alpha blending of
    colours such as $text-muted (so they come out as the bare foreground); the full style
    blends them but also carries the inherited background. This takes what the rule sets,
    with the blended colours.
    """
    partial = widget.get_component_rich_style(name, partial=True)
    full = widget.get_component_rich_style(name)
    return partial + Style(
        color=full.color if partial.color else None,
        bgcolor=full.bgcolor if partial.bgcolor else None,
    )
