"""Split X12 text into segments, losing nothing.

Only the ISA's separators are trusted. Whitespace after a terminator (``\\n``, ``\\r\\n``)
is kept on the segment so the writer can reproduce the file byte for byte.
"""

from __future__ import annotations

from portwright.exceptions import X12Error
from portwright.x12.delimiters import Delimiters
from portwright.x12.segments import Segment

__all__ = ["tokenize"]

_LINE_BREAKS = "\r\n"


def tokenize(text: str, delimiters: Delimiters | None = None) -> tuple[Delimiters, list[Segment]]:
    """Segments of ``text`` and the delimiters they use (read from the ISA unless given)."""
    start = len(text) - len(text.lstrip(_LINE_BREAKS))
    if start:
        raise X12Error("X12 text must start with ISA, found leading line breaks",
                       segment_index=0)
    found = delimiters or Delimiters.from_isa(text)
    segments: list[Segment] = []
    position = 0
    length = len(text)
    while position < length:
        end = text.find(found.segment, position)
        if end < 0:
            rest = text[position:]
            if rest.strip():
                raise X12Error(f"text after the last segment terminator: {rest[:20]!r}",
                               segment_index=len(segments))
            if segments:
                segments[-1].trailer += rest
            break
        body = text[position:end]
        position = end + 1
        trailer_end = position
        while trailer_end < length and text[trailer_end] in _LINE_BREAKS:
            trailer_end += 1
        trailer = text[position:trailer_end]
        position = trailer_end
        parts = body.split(found.element)
        tag = parts[0]
        if not tag or not tag.isalnum() or len(tag) > 3:
            raise X12Error(f"bad segment tag {tag[:10]!r}", segment_index=len(segments))
        segments.append(Segment(tag, parts[1:], trailer))
    return found, segments
