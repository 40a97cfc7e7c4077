"""Article extraction: a web page's bytes and URL in, a cleaned Article out."""

# The version of the extraction rules, stamped on every Article. Bump it when a change
# alters what is extracted: cached articles of an older version are extracted again
# from their stored raw page. Defined before the imports below, which read it.
EXTRACTOR_VERSION = 2

from newsterm.extract.article_json import article_from_json, article_to_json  # noqa: E402
from newsterm.extract.pipeline import ExtractionError, extract_article  # noqa: E402

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractionError",
    "article_from_json",
    "article_to_json",
    "extract_article",
]
