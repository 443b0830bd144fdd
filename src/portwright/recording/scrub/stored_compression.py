"""A gzip or deflate (zlib) body stored as text without base64, decompressed and
compressed back the same way.

A browser's HAR stores a compressed body as base64 (``bodies.decode_body``), but a tool
that is not a browser may store it as text, each byte as one character
(``"\\u001f\\u008b..."`` in JSON, ``"\\x1F\\x8B..."`` in YAML), without a
``Content-Encoding`` header to say so. A name inside is invisible to every search until
the body is decompressed, so the audit decompresses such a body, and the scrubber must do
the same (with this one rule) and compress the scrubbed body back: a consumer that read a
gzip body still gets one, in the same storage.

Compressing back keeps what the stream's header tells (gzip's time stamp and its
fastest/best flag, zlib's level class), so the same body scrubbed twice gives the same
characters; the original bytes are not reproduced (another zlib build may pack the same
data differently), which is why a body with nothing to scrub is kept as it was.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from dataclasses import dataclass

__all__ = ["StoredCompressed", "stored_compressed"]

#: how a zlib stream starts (no preset dictionary), at each compression level class,
#: and the level that writes that header again
_ZLIB_LEVELS = {"\x78\x01": 1, "\x78\x5e": 5, "\x78\x9c": 6, "\x78\xda": 9}
#: gzip's extra-flags byte: 2 for the best compression, 4 for the fastest
_GZIP_LEVELS = {2: 9, 4: 1}


def _stored_bytes(text: str) -> tuple[bytes, bool]:
    """The bytes a body stored as text was read from, and whether it was one character
    per byte (Latin-1) rather than UTF-8 with undecodable bytes kept as lone surrogates
    (``\\udc8b``)."""
    try:
        return text.encode("latin-1"), True
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape"), False


@dataclass(frozen=True)
class StoredCompressed:
    """A decompressed body and how to compress and store a changed one the same way."""

    data: bytes
    is_gzip: bool
    level: int
    mtime: int
    latin1: bool

    def encode(self, data: bytes) -> str:
        """``data`` compressed and stored as text like the original body."""
        packed = (gzip.compress(data, self.level, mtime=self.mtime) if self.is_gzip
                  else zlib.compress(data, self.level))
        return packed.decode("latin-1") if self.latin1 else packed.decode(
            "utf-8", "surrogateescape")


def stored_compressed(text: str) -> StoredCompressed | None:
    """A gzip or zlib body stored as text, decompressed; None when ``text`` is no such
    body. A gzip body that does not decompress raises (``OSError``, ``EOFError``,
    ``zlib.error``: for the audit a finding, since its magic bytes are never text); a
    text that merely starts like a zlib header (``x^``) is text, as
    :func:`~portwright.recording.scrub.bodies.decode_body` takes it."""
    if text.startswith("\x1f\x8b"):
        raw, latin1 = _stored_bytes(text)
        data = gzip.decompress(raw)
        mtime = struct.unpack("<I", raw[4:8])[0] if len(raw) >= 10 else 0
        level = _GZIP_LEVELS.get(raw[8], 6) if len(raw) >= 10 else 6
        return StoredCompressed(data, True, level, mtime, latin1)
    if text[:2] not in _ZLIB_LEVELS:
        return None
    raw, latin1 = _stored_bytes(text)
    try:
        data = zlib.decompress(raw)
    except zlib.error:
        return None
    return StoredCompressed(data, False, _ZLIB_LEVELS[text[:2]], 0, latin1)
