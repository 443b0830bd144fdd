"""The known secrets of a run, blanked out of a trace's members as whole tokens.

Split from :mod:`portwright.runner.trace_scrub` because it is its own problem: a secret
is known by value (a password, a one-time code, a value found under a secret field name)
and may sit anywhere in the zip, yet blanking it byte-wise would also cut the trace's own
numbers (a code ``123456`` inside a timestamp ``4123456.75``) and leave JSON the trace
viewer cannot open. This module decides *where* a known value counts as data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from portwright.templating import Redactor

__all__ = ["BLANK", "MIN_HARVESTED", "SecretTokens"]

BLANK = "***"

#: the shortest value found under a secret name that is also blanked wherever else it
#: appears: a shorter one ("WA", "1") would blank unrelated text all over the trace
MIN_HARVESTED = 4


#: what may end right before a value and still leave it standing alone: the escape of a
#: URL (``%3D``), a JSON or JavaScript string (``\u0022``, ``\n``) or an HTML entity
#: (``&amp;``, ``&#61;``): a password in a URL inside a URL is ``...%3Dhunter2``
_AFTER_ESCAPE = "|".join(
    (r"(?<=%[0-9A-Fa-f]{2})", r"(?<=\\u[0-9A-Fa-f]{4})", r"(?<=\\[nrtbf])",
     *(rf"(?<=&[#0-9A-Za-z]{{{width}}};)" for width in range(2, 7))))


def _whole(variant: str) -> str:
    """The pattern of ``variant`` as a whole token: an edge that is a letter or a digit
    does not touch another letter or digit (``123456`` is not in ``4123456``, ``pw1`` not
    in ``pw12``), and a digit edge is no part of a decimal number either (``123456`` is
    not in ``0.123456`` nor in ``123456.75``); an edge that is punctuation delimits
    itself."""
    left = right = ""
    first, last = variant[0], variant[-1]
    if first.isascii() and first.isalnum():
        alone = r"(?<![A-Za-z0-9])" + (r"(?<![0-9]\.)" if first.isdigit() else "")
        left = f"(?:{alone}|{_AFTER_ESCAPE})"
    if last.isascii() and last.isalnum():
        right = r"(?![A-Za-z0-9])" + (r"(?!\.[0-9])" if last.isdigit() else "")
    return left + re.escape(variant) + right


@dataclass(frozen=True)
class SecretTokens:
    """The values a trace loses wherever they are data: the run's known secrets (every
    notation of each) and the values found under a secret name (long enough to blank
    wherever else they appear). Each is blanked as a whole token (:func:`_whole`), and
    only where it is data: inside the JSON strings (and object keys) of the trace's own
    logs (``.trace``, ``.network`` and other JSON members), as strings or numbers in a
    JSON resource (a response body), anywhere in other resources (HTML, text). A code
    ``123456`` or a ZIP ``98101`` must not cut the trace's own numbers
    (``"time":4123456.75``): ``4***.75`` is not JSON, and the viewer drops the event (or
    will not open the trace). What a run typed or sent is a string in the logs; the
    logs' numbers are Playwright's own (times, sizes), never blanked."""

    values: frozenset[str]
    #: any notation of any value, a cheap test of whether a member or line is worth parsing
    needle: re.Pattern[bytes]
    pattern: re.Pattern[bytes]
    text: re.Pattern[str]

    @classmethod
    def of(cls, secrets: list[bytes], found: set[str]) -> SecretTokens | None:
        """The known ``secrets`` (each notation of each, as ``Redactor.variants`` gives
        them) and the values ``found`` under a secret name, or ``None`` if there are
        none."""
        redactor = Redactor()
        for value in found:
            if len(value) >= MIN_HARVESTED and value != BLANK:
                redactor.add(value)
        variants = {variant.decode("utf-8", "surrogateescape")
                    for variant in [*secrets, *redactor.variants()]}
        texts = sorted(variants - {"", BLANK}, key=len, reverse=True)
        if not texts:
            return None
        whole = "|".join(map(_whole, texts))
        anywhere = "|".join(map(re.escape, texts))
        return cls(frozenset(texts),
                   re.compile(anywhere.encode("utf-8", "surrogateescape")),
                   re.compile(whole.encode("utf-8", "surrogateescape")),
                   re.compile(whole))

    def member(self, name: str, data: bytes) -> bytes:
        """``data`` of the member ``name`` with every value blanked."""
        if not self.needle.search(data):
            return data
        if name.endswith((".trace", ".network")):
            return b"\n".join(self._json(line, numbers=False)
                              for line in data.split(b"\n"))
        return self._json(data, numbers=name.startswith("resources/"))

    def _json(self, data: bytes, *, numbers: bool) -> bytes:
        """``data`` blanked in its JSON strings (and, with ``numbers``, its numbers equal
        to a value); blanked as plain text if it is not JSON."""
        if not self.needle.search(data):
            return data
        try:
            parsed = json.loads(data)
        except (ValueError, RecursionError):
            return self.pattern.sub(BLANK.encode(), data)
        holder = [parsed]
        if not self._blank(holder, numbers=numbers):
            return data
        return json.dumps(holder[0], separators=(",", ":"), ensure_ascii=False).encode()

    def _blank(self, holder: list[Any], *, numbers: bool) -> bool:
        """Blank the values in the JSON document ``holder[0]``, in place and without
        recursion (a DOM snapshot may nest deeper than Python recurses); whether any was."""
        changed = False
        stack: list[tuple[Any, Any]] = [(holder, 0)]
        while stack:
            container, key = stack.pop()
            value = container[key]
            if isinstance(value, str):
                blanked = self.text.sub(BLANK, value)
                if blanked != value:
                    container[key], changed = blanked, True
            elif isinstance(value, dict):
                keys = {k: self.text.sub(BLANK, k) for k in value}
                if any(k != new for k, new in keys.items()):
                    value = container[key] = {keys[k]: v for k, v in value.items()}
                    changed = True
                stack.extend((value, k) for k in value)
            elif isinstance(value, list):
                stack.extend((value, i) for i in range(len(value)))
            elif numbers and isinstance(value, int | float) and not isinstance(value, bool) \
                    and json.dumps(value) in self.values:
                container[key], changed = BLANK, True
        return changed
