"""The TUI's remembered choices (theme, breaking line, layout) in a small JSON file."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

STATE_FILE = "state.json"
"""Beside the cache in the data folder: one place for everything the app keeps."""
MAX_STATE_BYTES = 64 * 1024
"""A state file larger than this is not ours (or is damaged): it is ignored."""
LAYOUTS = ("auto", "split", "headlines")
"""auto: headlines first below SPLIT_WIDTH columns, both panes above; split: both panes
always; headlines: the ticker alone, the reader opening over it."""


@dataclass
class UiState:
    """What the user chose in the app, kept across starts."""

    theme: str = ""
    """The theme picked in the palette; empty for the one the config names."""
    breaking: bool = True
    """Whether the one-line breaking ticker is shown."""
    layout: str = "auto"
    """One of LAYOUTS."""


def state_path(data_dir: Path) -> Path:
    """Where the state file of this data folder lives."""
    return data_dir / STATE_FILE


def read_state(path: Path) -> UiState:
    """The remembered state; defaults for anything missing, unreadable or of the wrong type.

    The file is ours but lives on a disk anything can write to: a damaged one must never
    stop the app from starting.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_STATE_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_STATE_BYTES else None
    except (OSError, ValueError):
        data = None
    state = UiState()
    if not isinstance(data, dict):
        return state
    for field in fields(UiState):
        value = data.get(field.name)
        if isinstance(value, type(getattr(state, field.name))):
            setattr(state, field.name, value)
    if state.layout not in LAYOUTS:
        state.layout = "auto"
    return state


def write_state(path: Path, state: UiState) -> bool:
    """Write the state atomically (a whole new file or the old one); False if it failed.

    A failed write loses a preference, not data: the caller says so and goes on.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(asdict(state), out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
