"""Finding a planted value however a page, a URL or a JSON body happens to spell it.

The audit's search for the sandbox's known values (patient names, MRNs, passwords) used
to look for them verbatim, plus their JSON escape. A recording spells the same name in
more ways than that: ``Shawn%20Thorne`` and ``Shawn+Thorne`` in a query string or a form
body, ``Shawn&nbsp;Thorne`` in HTML, ``SHAWN THORNE`` in a report heading, ``\\u00a0``
in a JSON string. A leak in any of those notations is still a leak, so each planted value
is turned into a pattern that accepts every notation of each of its characters, case
ignored.

Searching 1,500 patterns through every file with a regular expression each would be slow;
a cheap lower-cased substring test on the value's longest alphanumeric run (which every
notation keeps as it is, case aside) decides first whether the pattern is worth running.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from portwright.recording.hooks import PlantedValue

__all__ = ["PlantedPattern", "find_planted", "planted_patterns"]

#: what may stand for a space: any whitespace (a no-break space too), URL and form
#: encodings, HTML entities and JSON escapes of a space or a no-break space
_SPACE = (r"(?:\s|\+|%20|%C2%A0|%A0|&nbsp;|&#160;|&#x0*a0;|&#32;|&#x0*20;"
          r"|\\u00a0|\\u0020)+")
#: a notation's escape that may end right before a value (``%20Shawn``): not a word char
_ESCAPE_BEFORE = re.compile(r"(?:%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|&#?\w+;)$")
_ALNUM_RUN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class PlantedPattern:
    """One planted value, its label, the pattern of its notations and its prefilter."""

    label: str
    pattern: re.Pattern[str]
    needle: str


def _char_pattern(char: str) -> str:
    if char.isspace():
        return _SPACE
    if char.isalnum():
        return re.escape(char)
    code = ord(char)
    notations = {re.escape(char), f"%{code:02X}", f"&#{code};", f"&#x0*{code:x};",
                 re.escape(f"\\u{code:04x}"), re.escape(json.dumps(char)[1:-1]),
                 re.escape(html.escape(char))}
    return "(?:" + "|".join(sorted(notations)) + ")"


@lru_cache(maxsize=4096)
def _compile(value: str) -> tuple[re.Pattern[str], str]:
    parts: list[str] = []
    for char in value:
        part = _char_pattern(char)
        if part == _SPACE and parts and parts[-1] == _SPACE:
            continue  # "A  B" and "A B" are one notation apart
        parts.append(part)
    runs = _ALNUM_RUN.findall(value)
    needle = max(runs, key=len).lower() if runs else ""
    return re.compile("".join(parts), re.IGNORECASE), needle


def planted_patterns(planted: Iterable[PlantedValue]) -> list[PlantedPattern]:
    """The patterns of each planted value. An audit asks once per file, HAR body, YAML
    value and token with the same values, so they are compiled once and kept."""
    return list(_patterns_of(tuple(planted)))


@lru_cache(maxsize=8)
def _patterns_of(planted: tuple[PlantedValue, ...]) -> tuple[PlantedPattern, ...]:
    patterns = []
    for item in planted:
        if item.value.strip():
            pattern, needle = _compile(item.value)
            patterns.append(PlantedPattern(item.label, pattern, needle))
    return tuple(patterns)


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether a match stands alone: MRN-1000 is not a hit inside MRN-10001, but
    ``%20Shawn`` is a hit even though ``0`` is alphanumeric."""
    left = start == 0 or not text[start - 1].isalnum() or bool(
        _ESCAPE_BEFORE.search(text, max(0, start - 8), start))
    right = end == len(text) or not text[end].isalnum()
    return left and right


def find_planted(text: str, patterns: Iterable[PlantedPattern]
                 ) -> Iterator[tuple[int, str, str]]:
    """``(offset, label, matched text)`` of every planted value in ``text``."""
    lowered = text.lower()
    for planted in patterns:
        if planted.needle and planted.needle not in lowered:
            continue
        for match in planted.pattern.finditer(text):
            if _bounded(text, match.start(), match.end()):
                yield match.start(), planted.label, match.group(0)
