"""The state file: choices kept across starts, written whole, never a reason not to start."""

from __future__ import annotations

import json

from newsterm.ui.ui_state import UiState, read_state, state_path, write_state


def test_written_state_reads_back(tmp_path):
    path = state_path(tmp_path)
    assert write_state(path, UiState(theme="nord", breaking=False, layout="split"))
    assert read_state(path) == UiState(theme="nord", breaking=False, layout="split")
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary left


def test_missing_damaged_or_foreign_state_gives_the_defaults(tmp_path):
    path = state_path(tmp_path)
    assert read_state(path) == UiState()
    for junk in (b"\x00\xff not json", b"[1, 2]", b'{"theme": 3, "layout": "sideways"}'):
        path.write_bytes(junk)
        assert read_state(path) == UiState()
    path.write_text(json.dumps({"breaking": False, "theme": "x" * 10, "extra": 1}))
    assert read_state(path) == UiState(theme="x" * 10, breaking=False)
    path.write_text(json.dumps({"theme": "y" * 100_000}))  # larger than a state file can be
    assert read_state(path) == UiState()


def test_a_state_file_that_cannot_be_written_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not write_state(blocker / "state.json", UiState())
