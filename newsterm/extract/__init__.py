"""Article extraction: a web page's bytes and URL in, a cleaned Article out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The version of the extraction rules, stamped on every Article. Bump it when a change
# alters what is extracted: cached articles of an older version are extracted again
# from their stored raw page.
EXTRACTOR_VERSION = 3

if TYPE_CHECKING:
    from newsterm.extract.pipeline import ExtractionError, extract_article

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractionError",
    "extract_article",
]

# The extractor's modules import lxml and readability: they load when first asked for, so
# reading EXTRACTOR_VERSION (the library does, at start-up) costs nothing.
_LAZY = {
    "ExtractionError": "newsterm.extract.pipeline",
    "extract_article": "newsterm.extract.pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
