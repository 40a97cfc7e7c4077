"""Article extraction: a web page's bytes and URL in, a cleaned Article out."""

from newsterm.extract.article_json import article_from_json, article_to_json
from newsterm.extract.pipeline import EXTRACTOR_VERSION, ExtractionError, extract_article

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractionError",
    "article_from_json",
    "article_to_json",
    "extract_article",
]
