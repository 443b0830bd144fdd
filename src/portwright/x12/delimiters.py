"""The four X12 separators, read from (or written into) the fixed-width ISA segment.

Senders choose their own separators; the ISA announces them by position, so a reader
must take them from there rather than assume ``*``, ``:`` and ``~``.
"""

from __future__ import annotations

from dataclasses import dataclass

from portwright.exceptions import X12Error

__all__ = ["ISA_LENGTH", "Delimiters"]

#: The ISA segment is always 106 characters including its terminator.
ISA_LENGTH = 106


@dataclass(frozen=True)
class Delimiters:
    """Element, component (ISA16), repetition (ISA11) and segment separators."""

    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"

    def __post_init__(self) -> None:
        chars = (self.element, self.component, self.repetition, self.segment)
        if any(len(c) != 1 for c in chars):
            raise ValueError("each X12 delimiter is exactly one character")
        if len(set(chars)) != 4:
            raise ValueError("X12 delimiters must be four different characters")
        if any(c.isalnum() or c in " .-" for c in chars):
            raise ValueError("X12 delimiters may not be letters, digits, spaces, '.' or '-' "
                             "(amounts and date ranges use those)")

    @classmethod
    def from_isa(cls, text: str) -> Delimiters:
        """Read the separators from an interchange that starts with its ISA segment."""
        if text.startswith("\ufeff") and text[1:].startswith("ISA"):
            # an editor's "UTF-8 with BOM": the interchange is fine, the file's first
            # character is not (X12 allows nothing before ISA, and payers refuse it too)
            raise X12Error("the file starts with a byte-order mark (U+FEFF) before its ISA; "
                           "X12 allows nothing before ISA: save it as UTF-8 without a BOM "
                           "(or plain ASCII)", segment_index=0)
        if not text.startswith("ISA") or len(text) < ISA_LENGTH:
            raise X12Error("not an X12 interchange: it must start with a 106-character ISA",
                           segment_index=0)
        element = text[3]
        fields = text[:ISA_LENGTH].split(element)
        if len(fields) != 17:
            raise X12Error(f"ISA has {len(fields) - 1} elements, expected 16", segment_index=0)
        try:
            return cls(element=element, component=text[104], repetition=text[82],
                       segment=text[105])
        except ValueError as exc:
            raise X12Error(f"ISA declares unusable delimiters: {exc}", segment_index=0) from exc
