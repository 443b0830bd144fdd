"""X12 bodies (an 835 the portal lets you download, an 837 in an export): learn the
patient's and subscriber's identity from their segments, and replace values element by
element.

Why X12 needs its own walk: its values sit between ``*`` and ``~``, which the value
table's "stands alone" rule does not know, so a short name ("LOGAN") learned from the
golden output would stay in the file; and a file the flow only saves (no golden field
shows the name) would teach the table nothing. The segments say exactly what is whom:
``NM1*QC``/``NM1*IL`` name the patient and the insured (last, first, middle, member id),
the ``N3``/``N4``/``DMG`` after them their address and date of birth.

The file is read and written with ``portwright.x12``'s lossless tokenizer and writer, so
replacing whole elements keeps the interchange valid: segment and element counts never
change, and the ISA header (fixed width, nobody's data) is left as it is. Text that does
not tokenize as X12 is scrubbed as any other text.
"""

from __future__ import annotations

from collections.abc import Callable

from portwright.exceptions import X12Error
from portwright.recording.scrub.kinds import Kind, PhiKind
from portwright.recording.scrub.values import ValueTable
from portwright.x12.delimiters import Delimiters
from portwright.x12.segments import Segment
from portwright.x12.tokenizer import tokenize
from portwright.x12.writer import write_segments

__all__ = ["learn_x12", "looks_like_x12", "scrub_x12"]

#: NM101 entity codes of people whose identity is PHI: patient, insured/subscriber
_PERSON_ENTITIES = frozenset({"QC", "IL"})
#: segments that start another party or claim (an N3/N4/DMG after them is not the person's)
_LOOP_STARTS = frozenset({"NM1", "N1", "CLP", "LX", "HL", "CLM", "SBR", "LQ", "SVC", "SV1"})


def looks_like_x12(text: str) -> bool:
    """Whether ``text`` starts as an X12 interchange (an ISA segment); cheap, no parse."""
    return text.startswith("ISA")


def _interchange(text: str) -> tuple[Delimiters, list[Segment]] | None:
    if not looks_like_x12(text):
        return None
    try:
        return tokenize(text)
    except X12Error:
        return None


def learn_x12(text: str, learn: Callable[[Kind, str], None],
              learn_name_pair: Callable[[str, str], None]) -> None:
    """Learn the patient's and insured's names, member ids, addresses and birth dates."""
    parsed = _interchange(text)
    if parsed is None:
        return
    in_person = False
    for segment in parsed[1]:
        def element(position: int, seg: Segment = segment) -> str:
            return seg.get(position).strip()

        if segment.tag == "NM1":
            in_person = element(1) in _PERSON_ENTITIES
            if in_person and element(2) == "1":  # a person, not an organization
                first, last = element(4), element(3)
                if first and last:
                    learn_name_pair(first, last)
                elif last:
                    learn(PhiKind.NAME, last)
                if middle := element(5):
                    learn(PhiKind.NAME, middle)
            if in_person and element(8) == "MI" and element(9):
                learn(PhiKind.MEMBER_ID, element(9))
        elif segment.tag in _LOOP_STARTS:
            in_person = False
        elif in_person and segment.tag == "N3":
            for value in (element(1), element(2)):
                if value:
                    learn(PhiKind.ADDRESS, value)
        elif in_person and segment.tag == "N4":
            if city := element(1):
                learn(PhiKind.CITY, city)
            if postal := element(3):
                learn(PhiKind.ZIP, postal)
        elif in_person and segment.tag == "DMG" and element(1) == "D8" and element(2):
            learn(PhiKind.DATE, element(2))


def scrub_x12(text: str, table: ValueTable) -> str:
    """``text`` with each element (or component) replaced whole when it is a learned
    value, else with the table applied inside it (a value within longer free text)."""
    parsed = _interchange(text)
    if parsed is None:
        return table.apply(text)
    delimiters, segments = parsed

    def scrubbed(value: str) -> str:
        if delimiters.component in value:
            return delimiters.component.join(
                scrubbed(part) for part in value.split(delimiters.component))
        whole = table.whole(value)
        return whole if whole is not None else table.apply(value)

    for segment in segments:
        if segment.tag != "ISA":
            segment.elements = [scrubbed(value) for value in segment.elements]
    return write_segments(segments, delimiters)
