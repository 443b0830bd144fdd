"""Recorded bodies as bytes and what kind they are: the codecs the scrubber, the audit and
the replayer share.

A HAR stores a body as text or base64, sometimes still gzip/deflate-compressed; an export
may be a ZIP of text files. These helpers turn each into something the scrubber can read,
and say which bodies are text (scrubbed), which binary kinds are harmless to keep (images,
fonts) and which must be dropped because they could hold PHI nobody can scrub (PDFs).
"""

from __future__ import annotations

import base64
import gzip
import io
import zipfile
import zlib

__all__ = ["BINARY_DROPPED", "KEEP_BINARY", "decode_body", "is_text_mime", "member_mime",
           "zip_members"]

_TEXT_MIMES = ("text/", "json", "javascript", "xml", "x-www-form-urlencoded", "html", "csv",
               "x12")
KEEP_BINARY = ("image/", "font/", "audio/", "video/", "application/font", "application/wasm")
BINARY_DROPPED = "portwright: binary body dropped by the scrubber (may hold PHI)"


def zip_members(raw: bytes) -> list[tuple[str, bytes]] | None:
    """The members of a ZIP body, or ``None`` if it is not one."""
    if raw[:2] != b"PK":
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return [(info.filename, archive.read(info)) for info in archive.infolist()
                    if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        return None


def member_mime(name: str) -> str | None:
    """The text kind of a ZIP member by its extension (``None``: not text)."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {"json": "application/json", "txt": "text/plain", "csv": "text/csv",
            "html": "text/html", "htm": "text/html", "xml": "text/xml", "md": "text/plain",
            "x12": "application/edi-x12", "edi": "application/edi-x12",
            "835": "application/edi-x12", "837": "application/edi-x12"}.get(suffix)


def is_text_mime(mime: str) -> bool:
    """Whether a body of this MIME type is text the scrubber reads (and must scrub)."""
    return any(marker in mime.lower() for marker in _TEXT_MIMES)


def decode_body(text: str, encoding: str | None) -> bytes:
    """A HAR body as bytes: base64-decoded, then decompressed if it is gzip/deflate."""
    raw = base64.b64decode(text) if encoding == "base64" else text.encode("utf-8")
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    if raw[:1] == b"\x78":
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return raw
    return raw
