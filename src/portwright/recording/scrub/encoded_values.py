"""Learning and scrubbing inside encoded values: base64 tokens anywhere in a string, and
compressed bodies stored as text.

The audit decodes every base64 token of a recording's text (JSON or plain text inside,
``audit_scan``) and every gzip/deflate body stored as text (``audit_containers``); a
value the scrubber never decoded is then refused after the fact and the recording lost.
So the scrubber decodes the same tokens with the same rules (``encoded_json``,
``base64_text``, ``stored_compression``), learns from what is inside, and scrubs it with
the one value table of the recording (a name in a base64 header gets the pseudonym it has
in the JSON next to it and in the golden output), then encodes it back the same way.

A token whose inside has nothing to scrub is kept exactly as it was, so session ids,
hashes and signatures that happen to decode are never touched; and a token that is itself
a learned value (a session cookie's value seen again in a page) is left to the value
table, which turns it into its placeholder as before.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, quote_plus, urlencode

from portwright.recording.scrub.base64_text import base64_text, tokens
from portwright.recording.scrub.encoded_json import decode_token
from portwright.recording.scrub.stored_compression import stored_compressed

if TYPE_CHECKING:
    from portwright.recording.scrub.scrubber import Scrubber

__all__ = ["learn_encoded", "rescrub_stored", "scrub_encoded", "stored_text"]

#: ``name=value&...`` as a form body or a query string writes it (no spaces, no lines)
_FORM = re.compile(r"[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*")
#: what a compressed body that does not decompress raises
_DECOMPRESS_ERRORS = (OSError, EOFError, ValueError, zlib.error)


def _sniffed_mime(text: str) -> str:
    """What decoded text is, for learning: a form, or text (JSON is decoded as such by
    ``encoded_json`` before a token is taken as text)."""
    return "application/x-www-form-urlencoded" if _FORM.fullmatch(text) else "text/plain"


def learn_encoded(scrubber: Scrubber, text: str) -> None:
    """Learn from the JSON or the text inside every base64 token of ``text``."""
    for match in tokens(text):
        token = match.group(0)
        if (encoded := decode_token(token)) is not None:
            scrubber.learn_json(encoded.data)
        elif (decoded := base64_text(token)) is not None:
            scrubber.learn_text(decoded.text, _sniffed_mime(decoded.text))


def _scrub_decoded(scrubber: Scrubber, text: str) -> str:
    """Decoded text scrubbed once: as a form (field names count: a password field becomes
    its placeholder), else as text, base64 inside it included."""
    if _FORM.fullmatch(text):
        pairs = parse_qsl(text, keep_blank_values=True)
        scrubbed = [(name, scrubber.scrub_keyed(name, value)) for name, value in pairs]
        if scrubbed != pairs:  # spaces written as the form wrote them ("+" or "%20")
            return urlencode(scrubbed, quote_via=quote_plus if "+" in text else quote)
    return scrub_encoded(scrubber, text)


def _rescrubbed_token(scrubber: Scrubber, token: str) -> str:
    """``token`` with the JSON or text inside it scrubbed and encoded back; the token
    itself when nothing inside changes, when it is no token, or when it is a learned
    value as a whole (the value table replaces it)."""
    encoded = decode_token(token)
    if encoded is not None:
        if scrubber.table.apply(token) != token:
            return token
        data = scrubber.scrub_json(encoded.data)
        return token if data == encoded.data else encoded.encode(data)
    decoded = base64_text(token)
    if decoded is None or scrubber.table.apply(token) != token:
        return token
    scrubbed = _scrub_decoded(scrubber, decoded.text)
    return token if scrubbed == decoded.text else decoded.encode(scrubbed)


def scrub_encoded(scrubber: Scrubber, text: str) -> str:
    """``text`` through the value table, each base64 token whose inside has something to
    scrub replaced by its scrubbed token instead; every character is scrubbed once."""
    pieces: list[str] = []
    last = 0
    for match in tokens(text):
        token = match.group(0)
        rescrubbed = _rescrubbed_token(scrubber, token)
        if rescrubbed != token:
            pieces += [scrubber.table.apply_between(text, last, match.start()), rescrubbed]
            last = match.end()
    if not pieces:
        return scrubber.table.apply(text)
    pieces.append(scrubber.table.apply_between(text, last, len(text)))
    return "".join(pieces)


def stored_text(text: str) -> str:
    """The text a body stored as text holds: a gzip or deflate body decompressed (when
    it holds UTF-8 text), any other body as it is. For learning."""
    try:
        stored = stored_compressed(text)
        return text if stored is None else stored.data.decode("utf-8")
    except (*_DECOMPRESS_ERRORS, UnicodeDecodeError):
        return text


def rescrub_stored(text: str, scrub: Callable[[str], str]) -> str:
    """A body stored as text, scrubbed with ``scrub``: a gzip or deflate body
    decompressed, scrubbed and compressed back the same way (kept as it was when
    scrubbing changes nothing); any other body, or one that does not decompress to
    UTF-8 text, scrubbed as it is."""
    try:
        stored = stored_compressed(text)
        plain = None if stored is None else stored.data.decode("utf-8")
    except (*_DECOMPRESS_ERRORS, UnicodeDecodeError):
        stored = plain = None
    if stored is None or plain is None:
        return scrub(text)
    scrubbed = scrub(plain)
    return text if scrubbed == plain else stored.encode(scrubbed.encode("utf-8"))
