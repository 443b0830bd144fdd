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
    parts: list[str] = []
    for seg in segments:
        parts.append(seg.tag)
        for value in seg.elements:
            parts.append(element)
            parts.append(value)
        parts.append(terminator)
        parts.append(seg.trailer if line_break is None else line_break)
    return "".join(parts)
