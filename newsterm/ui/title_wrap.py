"""Splits a headline into at most two lines of a given cell width, at a space where it can."""

from __future__ import annotations

from rich.cells import cell_len

MIN_WRAP_CELLS = 12
"""Narrower than this, a second line would hold a word or two: the title is cut instead."""


def fit_cells(text: str, cells: int) -> int:
    """How many characters of `text` fit in `cells` terminal cells (wide characters count 2)."""
    if cell_len(text) <= cells:
        return len(text)
    used = 0
    for index, character in enumerate(text):
        used += cell_len(character)
        if used > cells:
            return index
    return len(text)


def split_title(title: str, cells: int) -> tuple[str, str]:
    """The title's first line and the rest ("" when it fits on one line of `cells`).

    The break goes at the last space that fits, so that no word is cut in two; a title
    with no space there (a long word, or a script written without spaces) is broken at
    the last character that fits. The rest may still be too long: it is cut when drawn.
    """
    if cells < MIN_WRAP_CELLS or cell_len(title) <= cells:
        return title, ""
    end = fit_cells(title, cells)
    space = title.rfind(" ", 0, end + 1)
    if space > 0 and space >= end // 3:
        return title[:space], title[space + 1 :].lstrip()
    return title[:end], title[end:].lstrip()
