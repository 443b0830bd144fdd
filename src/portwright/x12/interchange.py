"""The envelope structure of a tokenized file: ISA → GS groups → ST transaction sets.

Readers of 837 and 835 content work on one ``Transaction`` at a time; the envelope
checks (counts and control numbers in SE, GE and IEA) live here once for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portwright.exceptions import X12Error
from portwright.x12.delimiters import Delimiters
from portwright.x12.segments import Segment
from portwright.x12.tokenizer import scan

__all__ = ["FunctionalGroup", "Interchange", "Transaction", "parse_interchanges"]

#: What may follow the last IEA: blanks, and the padding file transfers add (NUL fill
#: from fixed-block transfers, the DOS end-of-file mark Ctrl-Z). pyx12 reads past them.
_PADDING = " \t\r\n\x00\x1a"


@dataclass
class Transaction:
    """ST … SE. ``body`` excludes ST and SE; ``start_index`` is ST's index in the file."""

    st: Segment
    body: list[Segment]
    se: Segment
    start_index: int = 0

    @property
    def kind(self) -> str:
        """ST01: ``837`` or ``835``."""
        return self.st.get(1)

    def problems(self) -> list[str]:
        """Segment count and control-number mismatches between ST and SE."""
        out: list[str] = []
        count = len(self.body) + 2
        if self.se.get(1) != str(count):
            out.append(f"SE01 says {self.se.get(1)} segments for ST02 {self.st.get(2)}, "
                       f"counted {count}")
        if self.se.get(2) != self.st.get(2):
            out.append(f"SE02 {self.se.get(2)} does not match ST02 {self.st.get(2)}")
        return out


@dataclass
class FunctionalGroup:
    """GS … GE."""

    gs: Segment
    transactions: list[Transaction] = field(default_factory=list)
    ge: Segment | None = None

    def problems(self) -> list[str]:
        """The transaction sets' problems and the group's own."""
        return [p for t in self.transactions for p in t.problems()] + self.own_problems()

    def own_problems(self) -> list[str]:
        """GS/GE mismatches only: a reader reporting per transaction set must not pin one
        set's broken SE on another."""
        if self.ge is None:
            return [f"GS06 {self.gs.get(6)} has no GE"]
        out: list[str] = []
        if self.ge.get(1) != str(len(self.transactions)):
            out.append(f"GE01 says {self.ge.get(1)} transaction sets, counted "
                       f"{len(self.transactions)}")
        if self.ge.get(2) != self.gs.get(6):
            out.append(f"GE02 {self.ge.get(2)} does not match GS06 {self.gs.get(6)}")
        return out


@dataclass
class Interchange:
    """ISA … IEA, plus the delimiters it declared and every segment in file order."""

    delimiters: Delimiters
    isa: Segment
    groups: list[FunctionalGroup] = field(default_factory=list)
    iea: Segment | None = None
    segments: list[Segment] = field(default_factory=list)

    def transactions(self) -> list[Transaction]:
        return [t for g in self.groups for t in g.transactions]

    def problems(self) -> list[str]:
        """Every envelope inconsistency (empty for a well-formed interchange)."""
        return [p for g in self.groups for p in g.problems()] + self.own_problems()

    def own_problems(self) -> list[str]:
        """ISA/IEA mismatches only."""
        if self.iea is None:
            return ["ISA has no IEA"]
        out: list[str] = []
        if self.iea.get(1) != str(len(self.groups)):
            out.append(f"IEA01 says {self.iea.get(1)} groups, counted {len(self.groups)}")
        if self.iea.get(2) != self.isa.get(13):
            out.append(f"IEA02 {self.iea.get(2)} does not match ISA13 {self.isa.get(13)}")
        return out


def parse_interchanges(text: str) -> list[Interchange]:
    """All interchanges in ``text``; each may declare its own delimiters in its ISA."""
    out: list[Interchange] = []
    position, index = 0, 0
    while text[position:].strip(_PADDING):
        if out and not text.startswith("ISA", position):
            raise X12Error(f"text after the IEA of interchange {len(out)} is not another "
                           f"interchange: {text[position:position + 20]!r}",
                           segment_index=index)
        delimiters = Delimiters.from_isa(text[position:])
        segments: list[Segment] = []
        for seg, after in scan(text, delimiters, position, index):
            segments.append(seg)
            position = after
            if seg.tag == "IEA":
                break
        if position < len(text) and not text[position:].strip(_PADDING):
            segments[-1].trailer += text[position:]
            position = len(text)
        out.append(_structure(delimiters, segments))
        index += len(segments)
    return out


def _structure(delimiters: Delimiters, segments: list[Segment]) -> Interchange:
    isa = segments[0]
    inter = Interchange(delimiters, isa)
    group: FunctionalGroup | None = None
    st: Segment | None = None
    st_index = 0
    body: list[Segment] = []
    for index, seg in enumerate(segments[1:], start=1):
        tag = seg.tag
        if tag == "ISA":
            raise X12Error("ISA inside an interchange (missing IEA)", segment_index=index)
        if st is not None:
            if tag == "SE":
                if group is None:  # pragma: no cover - st implies a group
                    raise X12Error("SE outside a group", segment_index=index)
                group.transactions.append(Transaction(st, body, seg, st_index))
                st, body = None, []
            elif tag in ("GS", "GE", "IEA", "ST"):
                raise X12Error(f"{tag} before the SE of ST02 {st.get(2)}",
                               segment_index=index)
            else:
                body.append(seg)
            continue
        if tag == "GS":
            if group is not None:
                raise X12Error("GS inside a group (missing GE)", segment_index=index)
            group = FunctionalGroup(seg)
        elif tag == "ST":
            if group is None:
                raise X12Error("ST outside a functional group", segment_index=index)
            st, st_index = seg, index
        elif tag == "GE":
            if group is None:
                raise X12Error("GE without GS", segment_index=index)
            group.ge = seg
            inter.groups.append(group)
            group = None
        elif tag == "IEA":
            if group is not None:
                raise X12Error("IEA before the GE of an open group", segment_index=index)
            if index != len(segments) - 1:  # pragma: no cover - scan stops at IEA
                raise X12Error("segments after IEA", segment_index=index + 1)
            inter.iea = seg
            inter.segments = segments
            return inter
        else:
            raise X12Error(f"segment {tag} outside a transaction set", segment_index=index)
    raise X12Error("interchange ends without IEA", segment_index=len(segments))
