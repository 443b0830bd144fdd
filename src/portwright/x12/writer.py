"""Segments back to text: the exact inverse of the tokenizer."""

from __future__ import annotations

from collections.abc import Iterable

from portwright.x12.delimiters import Delimiters
from portwright.x12.segments import Segment

__all__ = ["write_segments"]


def write_segments(segments: Iterable[Segment], delimiters: Delimiters,
                   *, line_break: str | None = None) -> str:
    """X12 text. ``line_break`` (e.g. ``"\\n"``) overrides each segment's own trailer."""
    element = delimiters.element
    terminator = delimiters.segment
    if line_break is not None:
        end = terminator + line_break
        return "".join([element.join((seg.tag, *seg.elements)) + end for seg in segments])
    return "".join([element.join((seg.tag, *seg.elements)) + terminator + seg.trailer
                    for seg in segments])
