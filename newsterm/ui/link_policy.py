"""Which links the TUI will hand to a web browser: absolute http(s) URLs and nothing else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsterm.text.sanitize import for_terminal

_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_browsable(url: str) -> bool:
    """Whether `url` is safe to pass to the browser: http(s), a host, no spaces or controls.

    file:, javascript:, data: and the rest are refused, and so is anything with a space
    or a control character, which a browser command line could split or misread.
    """
    if not url or _UNSAFE_CHARACTERS.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    # The reader draws hosts through for_terminal(); one it would change (an emoji
    # sequence) could open somewhere other than the host the reader shows.
    return for_terminal(parts.hostname) == parts.hostname
