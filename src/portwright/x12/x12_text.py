"""Reading an X12 file from disk as the text the parsers take.

X12 is ASCII; a byte outside it becomes U+FFFD so the parsers can name the segment that
holds it instead of failing to decode the whole file. The one exception is a UTF-8
byte-order mark, which editors add on "save as UTF-8": it is kept as U+FEFF so that
:meth:`Delimiters.from_isa` can say what is wrong (three replacement characters before
ISA would only say the file does not start with ISA, which it seems to).
"""

from __future__ import annotations

import codecs
from pathlib import Path

__all__ = ["read_x12_text"]


def read_x12_text(path: Path) -> str:
    """The interchange text of the file at ``path``."""
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        return "\ufeff" + raw[len(codecs.BOM_UTF8):].decode("ascii", errors="replace")
    return raw.decode("ascii", errors="replace")
