"""JSON hidden in base64: paging cursors, state tokens, JWT segments.

Portals hand out opaque tokens that are base64 of JSON (``{"o": 100, "f": "Okafor|..."}``):
a paging cursor that carries the search it belongs to, an OAuth ``state``, a JWT's
payload. Scrubbing the visible text cannot see a name inside one, and the audit's plain
search cannot either, so both decode such tokens: the scrubber scrubs the JSON inside and
encodes it again in the same alphabet and padding (deterministically, so a cursor in a
response and the same cursor in the next request's URL stay equal and replay still
matches), and the audit searches the decoded text.

Only a whole value is taken as a token (a URL parameter, a form field, a JSON string),
and only when it decodes, as UTF-8, to a JSON object or array: a session id or a hash
never does, so it is left alone.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from portwright.recording.scrub.base64_text import encode_like

__all__ = ["EncodedJson", "decode_token", "find_tokens", "rescrub_token"]

#: the shortest token worth decoding: base64 of ``{"a":1}`` has 10 characters
_MIN_LENGTH = 10
_TOKEN = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
#: a token inside a larger text, for the audit (not preceded or followed by token chars;
#: an ``=`` before it is the ``name=`` of a URL or form parameter, the commonest place)
_EMBEDDED = re.compile(rf"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{{{_MIN_LENGTH},}}={{0,2}}"
                       r"(?![A-Za-z0-9+/_=-])")


@dataclass(frozen=True)
class EncodedJson:
    """A decoded token and how to encode a changed one the same way."""

    text: str
    data: Any
    urlsafe: bool
    padded: bool

    def encode(self, data: Any) -> str:
        """``data`` as a token like the original: same separators, alphabet, padding."""
        text = json.dumps(data, ensure_ascii=False, separators=self._separators())
        return encode_like(text.encode("utf-8"), urlsafe=self.urlsafe, padded=self.padded)

    def _separators(self) -> tuple[str, str]:
        for separators in ((", ", ": "), (",", ":")):
            if json.dumps(self.data, ensure_ascii=False, separators=separators) == self.text:
                return separators
        return (",", ":")


def decode_token(value: str) -> EncodedJson | None:
    """The JSON inside ``value`` if the whole value is base64 (either alphabet) of it."""
    if len(value) < _MIN_LENGTH or not _TOKEN.fullmatch(value):
        return None
    urlsafe = "+" not in value and "/" not in value
    if not urlsafe and ("-" in value or "_" in value):
        return None  # both alphabets at once: not base64
    padded = value.endswith("=")
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4),
                               altchars=b"-_" if urlsafe else None, validate=True)
        text = raw.decode("utf-8")
        data = json.loads(text)
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict | list):
        return None
    return EncodedJson(text, data, urlsafe, padded)


def rescrub_token(value: str, scrub: Callable[[Any], Any]) -> str | None:
    """``value`` with ``scrub`` applied to the JSON inside it; None when it is no token.

    A token whose JSON ``scrub`` leaves unchanged is returned exactly as it was.
    """
    token = decode_token(value)
    if token is None:
        return None
    scrubbed = scrub(token.data)
    return value if scrubbed == token.data else token.encode(scrubbed)


def find_tokens(text: str) -> Iterator[tuple[int, EncodedJson]]:
    """Every base64-of-JSON token in a larger text, with its offset (for the audit)."""
    for match in _EMBEDDED.finditer(text):
        token = decode_token(match.group(0))
        if token is not None:
            yield match.start(), token
