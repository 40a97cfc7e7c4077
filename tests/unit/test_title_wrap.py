"""Titles split onto two lines at a space, by terminal cells (wide characters count two)."""

from __future__ import annotations

from rich.cells import cell_len

from newsterm.ui.title_wrap import fit_cells, split_title


def test_a_title_that_fits_stays_on_one_line():
    assert split_title("Short headline", 40) == ("Short headline", "")


def test_a_long_title_breaks_at_the_last_space_that_fits():
    title = "Zelenskyy, four European leaders hold phone call with Trump after Istanbul talks"
    first, rest = split_title(title, 40)
    assert first == "Zelenskyy, four European leaders hold"
    assert rest == "phone call with Trump after Istanbul talks"
    assert f"{first} {rest}" == title


def test_wide_characters_count_two_cells_and_a_spaceless_title_breaks_anywhere():
    title = "東京で大規模な抗議デモが行われ参加者は数千人に達した"
    first, rest = split_title(title, 20)
    assert cell_len(first) <= 20 and first + rest == title
    assert fit_cells(title, 5) == 2  # two wide characters are four cells; a third is six


def test_too_narrow_a_pane_does_not_wrap():
    assert split_title("A headline far too long for a tiny pane", 8)[1] == ""
