"""Split X12 text into segments, losing nothing.

Only the ISA's separators are trusted. Whitespace after a terminator (``\\n``, ``\\r\\n``)
is kept on the segment so the writer can reproduce the file byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator

from portwright.exceptions import X12Error
from portwright.x12.delimiters import Delimiters
from portwright.x12.segments import Segment

__all__ = ["scan", "tokenize"]

_LINE_BREAKS = "\r\n"


def scan(text: str, delimiters: Delimiters, start: int = 0, first_index: int = 0
         ) -> Iterator[tuple[Segment, int]]:
    """Each segment from ``start`` on, with the position just after it (and its trailer),
    so a caller can stop at an IEA and read the next interchange with its own ISA."""
    element, terminator = delimiters.element, delimiters.segment
    position, length, index = start, len(text), first_index
    while position < length:
        end = text.find(terminator, position)
        if end < 0:
            rest = text[position:]
            if rest.strip():
                raise X12Error(f"text after the last segment terminator: {rest[:20]!r}",
                               segment_index=index)
            return
        body = text[position:end]
        trailer_end = end + 1
        while trailer_end < length and text[trailer_end] in _LINE_BREAKS:
            trailer_end += 1
        parts = body.split(element)
        tag = parts[0]
        if not tag or not tag.isalnum() or len(tag) > 3:
            raise X12Error(f"bad segment tag {tag[:10]!r}", segment_index=index)
        yield Segment(tag, parts[1:], text[end + 1:trailer_end]), trailer_end
        position = trailer_end
        index += 1


def tokenize(text: str, delimiters: Delimiters | None = None) -> tuple[Delimiters, list[Segment]]:
    """Segments of ``text`` and the delimiters they use (read from the ISA unless given)."""
    if text[:1] in ("\r", "\n"):
        raise X12Error("X12 text must start with ISA, found leading line breaks",
                       segment_index=0)
    found = delimiters or Delimiters.from_isa(text)
    segments = [seg for seg, _ in scan(text, found)]
    consumed = sum(len(s.tag) + sum(1 + len(e) for e in s.elements) + 1 + len(s.trailer)
                   for s in segments)
    if segments and consumed < len(text):  # trailing blank text after the last terminator
        segments[-1].trailer += text[consumed:]
    return found, segments
