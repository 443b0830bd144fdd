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

A planted date (a seeded date of birth) is not one string but many: ``2019-03-07``,
``03/07/2019``, ``3/7/2019``, ``03-07-2019``, ``2019/03/07``, ``Mar 7, 2019``,
``7 Mar 2019`` (all that ``parse_date`` reads, which is what the portal and the scrubber
use) and X12's ``D8`` ``20190307`` in a ``DMG`` segment. Rather than a pattern per date
and notation, one pass finds every date-shaped token, reads it as a date and looks it up
among the planted ones. A token stands alone: a digit or a letter next to it means a
longer number or word (``120190307``, an id), not a date; an escape right before it
(``%2220190307``) does not count, as for names. Only planted dates are reported, so an
appointment date or a pseudonym is never a finding: date pseudonyms are kept off the
planted dates (``Pseudonymizer.fake_day``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from portwright.recording.hooks import PlantedValue

__all__ = ["PlantedPattern", "find_planted", "find_planted_dates", "planted_dates",
           "planted_patterns"]

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
        if item.value.strip() and not item.is_date:  # dates: find_planted_dates
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


# -- dates ---------------------------------------------------------------------------------
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NUMBER = {name[:3]: number for number, name in enumerate(_MONTHS, 1)}
_MONTH = "(?:" + "|".join(sorted({*_MONTHS, *(m[:3] for m in _MONTHS)}, key=len,
                                 reverse=True)) + ")"
#: a slash as a URL, a JSON or an HTML text may write it
_SLASH = r"(?:/|%2F|\\/|&#47;|&#x0*2f;)"
_COMMA = r"(?:,|%2C|&#44;|&#x0*2c;)"
#: left edge: no letter or digit before, unless it ends an escape (``%22``, ``\u0022``)
_LEFT = r"(?:(?<![0-9A-Za-z])|(?<=%[0-9A-Fa-f]{2})|(?<=\\u[0-9A-Fa-f]{4}))"
_RIGHT = r"(?![0-9A-Za-z])"
_DATE_TOKEN = re.compile(
    _LEFT + r"(?:"
    # YYYY-MM-DD (also with a time: 2019-03-07T10:00:00Z), YYYY/MM/DD
    r"(?P<iy>\d{4})(?P<isep>-|" + _SLASH + r")(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    # MM/DD/YYYY, MM-DD-YYYY, unpadded or not
    r"|(?P<um>\d{1,2})(?P<usep>-|" + _SLASH + r")(?P<ud>\d{1,2})(?P=usep)(?P<uy>\d{4})"
    # X12 D8: CCYYMMDD, eight digits standing alone
    r"|(?P<d8>\d{8})"
    # Mar 7, 2019 / March 07, 2019
    r"|(?P<nm>" + _MONTH + r")\.?" + _SPACE + r"(?P<nd>\d{1,2})" + _COMMA + r"?" + _SPACE
    + r"(?P<ny>\d{4})"
    # 7 Mar 2019
    r"|(?P<rd>\d{1,2})" + _SPACE + r"(?P<rm>" + _MONTH + r")\.?" + _SPACE + r"(?P<ry>\d{4})"
    r")" + _RIGHT, re.IGNORECASE)


def _pad(digits: str, letter: str) -> str:
    return letter if len(digits) == 1 else letter * 2


def _slash_or(separator: str) -> str:
    return "-" if separator == "-" else "/"


def _read(match: re.Match[str]) -> tuple[int, int, int, str] | None:
    """``(year, month, day, notation)`` of a date token, the notation as a user reads it
    (``M/D/YYYY``, ``X12 D8 CCYYMMDD``)."""
    g = match.group
    if g("iy"):
        sep = _slash_or(g("isep"))
        notation = f"YYYY{sep}{_pad(g('im'), 'M')}{sep}{_pad(g('id'), 'D')}"
        return int(g("iy")), int(g("im")), int(g("id")), notation
    if g("uy"):
        sep = _slash_or(g("usep"))
        notation = f"{_pad(g('um'), 'M')}{sep}{_pad(g('ud'), 'D')}{sep}YYYY"
        return int(g("uy")), int(g("um")), int(g("ud")), notation
    if g("d8"):
        digits = g("d8")
        return int(digits[:4]), int(digits[4:6]), int(digits[6:]), "X12 D8 CCYYMMDD"
    if g("ny"):
        return (int(g("ny")), _MONTH_NUMBER[g("nm")[:3].lower()], int(g("nd")),
                "month name, day, year")
    if g("ry"):
        return (int(g("ry")), _MONTH_NUMBER[g("rm")[:3].lower()], int(g("rd")),
                "day, month name, year")
    return None  # pragma: no cover - every alternative has a year group


def planted_dates(planted: Iterable[PlantedValue]) -> dict[date, str]:
    """Planted date → its label (the first one given), from the values marked
    ``is_date``."""
    return dict(_dates_of(tuple(planted)))


@lru_cache(maxsize=8)
def _dates_of(planted: tuple[PlantedValue, ...]) -> tuple[tuple[date, str], ...]:
    found: dict[date, str] = {}
    for item in planted:
        day = item.day()
        if day is not None:
            found.setdefault(day, item.label)
    return tuple(found.items())


def find_planted_dates(text: str, dates: Mapping[date, str]
                       ) -> Iterator[tuple[int, str, str]]:
    """``(offset, "label as notation", matched text)`` of every planted date in
    ``text``, in any notation ``parse_date`` reads and as X12's D8."""
    if not dates:
        return
    for match in _DATE_TOKEN.finditer(text):
        read = _read(match)
        if read is None:  # pragma: no cover
            continue
        year, month, day, notation = read
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        label = dates.get(found)
        if label is not None:
            yield match.start(), f"{label} as {notation}", match.group(0)
