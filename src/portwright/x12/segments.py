"""One X12 segment as data: its tag, its elements, and the text that followed it.

Elements are kept as the raw strings of the file (composites unsplit) so that writing a
parsed file back gives the same bytes; ``composite()`` splits on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Segment"]


@dataclass(slots=True)
class Segment:
    """``elements[0]`` is element 01 (the tag is not an element).

    ``trailer`` holds whatever the file had after the segment terminator (a newline in
    many files), so re-emitting is lossless.
    """

    tag: str
    elements: list[str] = field(default_factory=list)
    trailer: str = ""

    def get(self, position: int, default: str = "") -> str:
        """Element by its 1-based X12 position (``seg.get(1)`` is ``CLP01``)."""
        if 1 <= position <= len(self.elements):
            return self.elements[position - 1]
        return default

    def composite(self, position: int, separator: str) -> list[str]:
        """A composite element split into its components (``HC:90834:95`` → 3 parts)."""
        value = self.get(position)
        return value.split(separator) if value else []

    @classmethod
    def of(cls, tag: str, *elements: str) -> Segment:
        """Build a segment, dropping trailing empty elements as X12 requires."""
        if elements and not elements[-1]:
            end = len(elements) - 1
            while end and not elements[end - 1]:
                end -= 1
            return cls(tag, list(elements[:end]))
        return cls(tag, list(elements))
