"""Writes articles to self-contained files (Markdown, HTML or JSON) with safe, unique names."""

from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from pathlib import Path

from newsterm.store import StoredArticle

MAX_NAME_LENGTH = 80
MAX_NAME_BYTES = 200
"""File systems allow 255 bytes a name (not characters); room is left for "-2.html"."""
FORMATS = {"md": ".md", "html": ".html", "json": ".json"}
# Names Windows refuses even with an extension; exported folders get copied around.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def safe_file_stem(title: str, fallback: str = "article") -> str:
    """A file name stem from a title: no path separators, dots-only names or control characters."""
    text = unicodedata.normalize("NFKC", title)
    text = re.sub(r"[^\w\s-]", " ", text)  # drops / \ . : and every other special character
    text = re.sub(r"[\s_]+", "-", text).strip("-").lower()
    text = text[:MAX_NAME_LENGTH]
    # 80 characters of a 4-byte script are 320 bytes: cut at a character boundary.
    text = text.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip("-")
    if not text or text in _RESERVED:
        text = fallback
    return text


def export_articles(articles: list[StoredArticle], directory: Path, fmt: str) -> list[Path]:
    """Write one file per article into `directory`; existing files are never overwritten."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt} (use md, html or json)")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for stored in articles:
        content = _render(stored, fmt)
        stem = safe_file_stem(stored.article.title)
        written.append(_write_new_file(directory, stem, FORMATS[fmt], content))
    return written


def _write_new_file(directory: Path, stem: str, suffix: str, content: str) -> Path:
    """Create a file that did not exist before (O_EXCL), adding -2, -3… to the name if needed."""
    for attempt in range(1, 10_000):
        name = f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}"
        path = directory / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        return path
    raise ValueError(f"too many files named {stem}{suffix} in {directory}")


def _render(stored: StoredArticle, fmt: str) -> str:
    article = stored.article
    published = article.published.isoformat() if article.published else None
    if fmt == "json":
        from newsterm.formats.article_json import article_to_json

        return json.dumps(article_to_json(article), ensure_ascii=False, indent=2) + "\n"
    meta = [f"Source: {article.url}"]
    if published:
        meta.append(f"Published: {published}")
    if article.byline:
        meta.append(f"By: {article.byline}")
    if fmt == "md":
        lead = f"{article.lead}\n\n" if article.lead else ""
        lines = "  \n".join(meta)
        return f"# {article.title}\n\n{lines}\n\n{lead}{article.markdown or article.text}\n"
    # HTML: every piece of text is escaped; the body is the plain text in paragraphs, so no
    # markup from the original page can come back to life in the exported file.
    paragraphs = "\n".join(
        f"<p>{html.escape(p)}</p>" for p in (article.text or "").split("\n\n") if p.strip()
    )
    meta_html = "<br>\n".join(html.escape(m) for m in meta)
    lead = f"<p><strong>{html.escape(article.lead)}</strong></p>\n" if article.lead else ""
    title = html.escape(article.title)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        f"<title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<p>{meta_html}</p>\n"
        f"{lead}{paragraphs}\n</body></html>\n"
    )
