"""FooterKey: one key the footer shows, with the action it runs."""

from __future__ import annotations

from typing import NamedTuple


class FooterKey(NamedTuple):
    """A key shown in the footer and the action it runs (on the screen, or "app.…")."""

    key: str
    description: str
    action: str
