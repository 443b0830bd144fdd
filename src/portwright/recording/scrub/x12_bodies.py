"""X12 bodies (an 835 the portal lets you download, an 837 in an export): learn the
patient's and subscriber's identity from their segments, and replace values element by
element.

Why X12 needs its own walk: its values sit between ``*`` and ``~``, which the value
table's "stands alone" rule does not know, so a short name ("LOGAN") learned from the
golden output would stay in the file; and a file the flow only saves (no golden field
shows the name) would teach the table nothing. The segments say exactly what is whom:
``NM1*QC``/``NM1*IL`` name the patient and the insured (last, first, middle, member id),
the ``N3``/``N4``/``DMG`` after them their address and date of birth.

Replacing whole elements keeps the interchange valid: segment and element counts never
change, and the fixed-width ISA header holds no personal value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portwright.recording.scrub.kinds import Kind, PhiKind
from portwright.recording.scrub.values import ValueTable

__all__ = ["X12Delimiters", "learn_x12", "looks_like_x12", "scrub_x12"]

#: NM101 entity codes of people whose identity is PHI: patient, insured/subscriber
_PERSON_ENTITIES = frozenset({"QC", "IL"})
#: segments that start another party or claim (an N3/N4/DMG after them is not the person's)
_LOOP_STARTS = frozenset({"NM1", "N1", "CLP", "LX", "HL", "CLM", "SBR", "LQ", "SVC", "SV1"})


@dataclass(frozen=True)
class X12Delimiters:
    """The separators an interchange declares in its ISA header."""

    element: str
    component: str
    segment: str

    @classmethod
    def of(cls, text: str) -> X12Delimiters | None:
        body = text.lstrip()
        if not body.startswith("ISA") or len(body) < 106:
            return None
        return cls(element=body[3], component=body[104], segment=body[105])


def looks_like_x12(text: str) -> bool:
    """Whether ``text`` is an X12 interchange (starts with a well-formed ISA header)."""
    return X12Delimiters.of(text) is not None


def _segments(text: str, sep: X12Delimiters) -> list[list[str]]:
    return [segment.strip().split(sep.element) for segment in text.split(sep.segment)
            if segment.strip()]


def _element(segment: list[str], index: int) -> str:
    return segment[index].strip() if len(segment) > index else ""


def learn_x12(text: str, learn: Callable[[Kind, str], None],
              learn_name_pair: Callable[[str, str], None]) -> None:
    """Learn the patient's and insured's names, member ids, addresses and birth dates."""
    sep = X12Delimiters.of(text)
    if sep is None:
        return
    in_person = False
    for segment in _segments(text, sep):
        tag = segment[0].strip()
        if tag == "NM1":
            in_person = _element(segment, 1) in _PERSON_ENTITIES
            if in_person and _element(segment, 2) == "1":  # a person, not an organization
                first, last = _element(segment, 4), _element(segment, 3)
                if first and last:
                    learn_name_pair(first, last)
                elif last:
                    learn(PhiKind.NAME, last)
                if middle := _element(segment, 5):
                    learn(PhiKind.NAME, middle)
            if in_person and _element(segment, 8) == "MI" and _element(segment, 9):
                learn(PhiKind.MEMBER_ID, _element(segment, 9))
        elif tag in _LOOP_STARTS:
            in_person = False
        elif in_person and tag == "N3":
            for index in (1, 2):
                if value := _element(segment, index):
                    learn(PhiKind.ADDRESS, value)
        elif in_person and tag == "N4":
            if city := _element(segment, 1):
                learn(PhiKind.CITY, city)
            if postal := _element(segment, 3):
                learn(PhiKind.ZIP, postal)
        elif in_person and tag == "DMG" and _element(segment, 1) == "D8" and _element(
                segment, 2):
            learn(PhiKind.DATE, _element(segment, 2))


def scrub_x12(text: str, table: ValueTable) -> str:
    """``text`` with each element (or component) replaced whole when it is a learned
    value, else with the table applied inside it (a value within longer free text)."""
    sep = X12Delimiters.of(text)
    if sep is None:
        return table.apply(text)
    header_end = len(text) - len(text.lstrip()) + 106  # ISA: fixed width, nobody's data
    head, rest = text[:header_end], text[header_end:]

    def element(value: str) -> str:
        if sep.component in value:
            return sep.component.join(element(part) for part in value.split(sep.component))
        whole = table.whole(value)
        return whole if whole is not None else table.apply(value)

    out = []
    for segment in rest.split(sep.segment):
        tag, *elements = segment.split(sep.element)
        out.append(sep.element.join([tag, *(element(e) for e in elements)]))
    return head + sep.segment.join(out)
