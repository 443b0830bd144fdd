"""Text hidden in plain base64: which tokens are base64 of text, and how to encode a
changed text the same way.

A header value, a cookie, a URL parameter or a whole body may be base64 of text
(``cGFzc3dvcmQ9...`` for ``password=...``, a name in an export reference). Neither the
value table nor a text search sees inside, so the audit decodes such tokens and the
scrubber must too, with the same rule, or a recording the scrubber passed is refused
afterwards. The rule: a run of base64 characters standing alone, at least 8 long, with an
upper-case letter and a lower-case letter or digit (base64 of text nearly always has
both), in one alphabet only, decoding to mostly printable ASCII (the rest may be the
UTF-8 of an accented name). An ordinary word, a hash, a session id or a signature decodes
to binary noise and is left alone.

The scrubber also wants the decoded bytes to be valid UTF-8: it rewrites what it decodes,
and only text it can encode back exactly may be rewritten. A token is encoded back in its
own alphabet and padding; a token that shows neither (no ``+/-_`` in it) is taken as
standard base64, padded when its length allows padding to show, URL-safe and unpadded
otherwise (as JWT-style producers leave it).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["BASE64_TOKEN", "Base64Text", "base64_text", "encode_like", "lenient_base64_text",
           "looks_encoded", "tokens"]

#: a run of base64 characters (either alphabet) standing alone, padding included
BASE64_TOKEN = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{6,}={0,2}"
                          r"(?![A-Za-z0-9+/_=-])")
#: base64 of text mixes cases: "cGFzc3dvcmQ=" does, "patients" or "/api/list" does not
#: (two plain searches: one pattern for both orders would backtrack on a long token)
_UPPER = re.compile(r"[A-Z]")
_LOWER_OR_DIGIT = re.compile(r"[a-z0-9]")
#: base64 of the shortest planted value (4 characters) is 8 characters long, padded
_MIN_TOKEN = 8
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"
#: share of a decoded token that must be printable ASCII for it to count as text
_TEXT_SHARE = 0.9


def looks_encoded(token: str) -> bool:
    """Whether ``token`` is worth decoding: long enough, and mixing cases as base64 of
    text does. A cheap test before the decoding."""
    return len(token) >= _MIN_TOKEN and _UPPER.search(token) is not None \
        and _LOWER_OR_DIGIT.search(token) is not None


def _text_bytes(token: str) -> tuple[bytes, bool] | None:
    """``(decoded bytes, whether URL-safe)`` when ``token`` is base64 of mostly
    printable text, else None."""
    body = token.rstrip("=")
    urlsafe = "-" in body or "_" in body
    if (urlsafe and ("+" in body or "/" in body)) or len(body) % 4 == 1:
        return None  # both alphabets at once, or a length no base64 has
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4),
                               altchars=b"-_" if urlsafe else None, validate=True)
    except binascii.Error:
        return None
    if len(raw.translate(None, _TEXT_BYTES)) > len(raw) * (1 - _TEXT_SHARE):
        return None
    return raw, urlsafe


def lenient_base64_text(token: str) -> str | None:
    """The text ``token`` is base64 of, undecodable bytes replaced, or None: for the
    audit, which only reads what it decodes."""
    if not looks_encoded(token):
        return None
    found = _text_bytes(token)
    return None if found is None else found[0].decode("utf-8", "replace")


@dataclass(frozen=True)
class Base64Text:
    """A token's decoded text and how to encode a changed text the same way."""

    text: str
    urlsafe: bool
    padded: bool

    def encode(self, text: str) -> str:
        """``text`` as a token like the original: same alphabet, same padding style."""
        return encode_like(text.encode("utf-8"), urlsafe=self.urlsafe, padded=self.padded)


def encode_like(raw: bytes, *, urlsafe: bool, padded: bool) -> str:
    """``raw`` as base64 in the given alphabet (URL-safe or standard), padded or not: how
    a rewritten token keeps the form of the one it replaces."""
    token = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)
             ).decode("ascii")
    return token if padded else token.rstrip("=")


def base64_text(token: str) -> Base64Text | None:
    """The UTF-8 text ``token`` is base64 of (by the audit's rule), or None."""
    if not looks_encoded(token):
        return None
    found = _text_bytes(token)
    if found is None:
        return None
    raw, urlsafe = found
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    body = token.rstrip("=")
    if token != body:
        padded = True
    elif urlsafe or "+" in body or "/" in body:
        padded = False  # the alphabet shows, and no padding came with it
    elif len(body) % 4 == 0:
        padded = True  # standard base64 whose padding had nothing to show
    else:
        urlsafe, padded = True, False  # unpadded base64 of either alphabet: URL-safe
    return Base64Text(text, urlsafe, padded)


def tokens(text: str) -> Iterator[re.Match[str]]:
    """Every run of base64 characters in ``text`` worth decoding."""
    for match in BASE64_TOKEN.finditer(text):
        if looks_encoded(match.group(0)):
            yield match
