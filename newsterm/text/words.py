"""Unicode word folding shared by story grouping and watch/mute rules: one notion of "a word"."""

from __future__ import annotations

import re
import unicodedata

# A word is a run of letters, marks and digits (Unicode-aware \w without the underscore).
# Apostrophes split words on purpose: the same word splits the same way on both sides, in
# any language (English "Egypt's" -> egypt + s, Ukrainian "п'ять" -> п + ять).
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of text: compatibility forms, no marks, casefolded.

    "Київ", "КИЇВ" and "киів" fold alike; "Café" and "cafe" too. Ligatures and full-width
    letters become their plain letters (NFKD), so look-alike spellings compare equal.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.casefold()


def words(text: str) -> list[str]:
    """The folded words of text, in order."""
    return _WORD.findall(fold(text))
