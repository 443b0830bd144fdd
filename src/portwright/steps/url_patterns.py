"""URL patterns in flows: a glob (``**/api/patients*``) or ``re:<regex>``."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["url_pattern"]


@lru_cache(maxsize=256)
def url_pattern(text: str) -> str | re.Pattern[str]:
    """What Playwright's URL-matching APIs accept."""
    return re.compile(text[3:]) if text.startswith("re:") else text


def glob_regex(glob: str) -> re.Pattern[str]:
    """A glob as a regex (``**`` any text, ``*`` any text without '/', ``?`` one char)."""
    out = ""
    i = 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**", i):
            out += ".*"
            i += 2
            continue
        out += {"*": "[^/]*", "?": "."}.get(c, re.escape(c))
        i += 1
    return re.compile("^" + out + "$")


@lru_cache(maxsize=256)
def url_matcher(text: str) -> re.Pattern[str]:
    """A compiled regex for matching response URLs ourselves."""
    return re.compile(text[3:]) if text.startswith("re:") else glob_regex(text)
