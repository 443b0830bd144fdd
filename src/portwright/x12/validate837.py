"""Check an existing 837P file: envelopes plus the billing rules pyx12 does not check.

Files built here are validated before they exist; this is for files from elsewhere (or
edited by hand): counts and control numbers, the fixed-width ISA (every element its exact
width, so an id cut or overrun shows) and the GS ids (2 to 15 characters), the
005010X222A1 version, NPI check digits
(NM1*85/82), billable ICD-10-CM codes in HI, CPT and modifier tables in SV1, POS codes,
diagnosis pointers within the claim's HI codes, CLM02 equal to the sum of its SV102, and
real dates in DTP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from portwright.codes import (
    is_billable_icd10,
    is_valid_cpt,
    is_valid_npi,
    is_valid_pos,
    modifier_problems,
)
from portwright.exceptions import X12Error
from portwright.x12.interchange import Interchange, Transaction, parse_interchanges
from portwright.x12.segments import Segment

__all__ = ["File837Problem", "validate_837_text"]

_ICD10_QUALIFIERS = {"ABK", "ABF", "ABJ", "ABN"}
_ICD10_START = "20151001"

#: The width of every ISA element (ISA01 … ISA16): the segment is fixed-length.
_ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
_GS_IDS = {2: "application sender", 3: "application receiver"}


@dataclass(frozen=True)
class File837Problem:
    """One problem, located by segment number (1-based, ISA = 1) and element."""

    segment: int
    element: str
    message: str

    def __str__(self) -> str:
        return f"segment {self.segment} {self.element}: {self.message}"


@dataclass
class _Claim:
    number: str
    segment: int
    charge: Decimal
    diagnoses: int = 0
    lines: Decimal = Decimal(0)
    icd9_segment: int | None = None
    last_service: str = ""


@dataclass
class _State:
    component: str
    problems: list[File837Problem] = field(default_factory=list)
    claim: _Claim | None = None
    index: int = 0

    def add(self, element: str, message: str) -> None:
        self.problems.append(File837Problem(self.index, element, message))

    def close(self) -> None:
        c = self.claim
        if c is not None and c.charge != c.lines:
            self.problems.append(File837Problem(
                c.segment, "CLM02", f"claim {c.number} charges {c.charge} but its lines "
                f"sum to {c.lines}"))
        if c is not None and c.icd9_segment is not None and c.last_service >= _ICD10_START:
            self.problems.append(File837Problem(
                c.icd9_segment, "HI", f"claim {c.number} uses ICD-9 qualifiers (BK/BF) for "
                f"a service on {c.last_service}; since 2015-10-01 use ICD-10-CM (ABK/ABF)"))
        self.claim = None


def _money(value: str, st: _State, element: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        st.add(element, f"{value!r} is not an amount")
        return Decimal(0)


def _nm1(seg: Segment, st: _State) -> None:
    npi_roles = ("85", "82", "DN", "DK", "DQ", "77")
    if seg.get(1) in npi_roles and seg.get(8) == "XX" and not is_valid_npi(seg.get(9)):
        st.add("NM109", f"NPI {seg.get(9)!r} fails the check digit (NM1*{seg.get(1)})")


def _clm(seg: Segment, st: _State) -> None:
    st.close()
    st.claim = _Claim(seg.get(1), st.index, _money(seg.get(2), st, "CLM02"))
    parts = seg.composite(5, st.component)
    if not parts or not is_valid_pos(parts[0]):
        st.add("CLM05-1", f"{parts[0] if parts else ''!r} is not a place of service")
    if len(parts) < 3 or parts[2] not in ("1", "7", "8"):
        st.add("CLM05-3", "claim frequency must be 1, 7 or 8")


def _hi(seg: Segment, st: _State) -> None:
    for n, value in enumerate(seg.elements, start=1):
        parts = value.split(st.component)
        if len(parts) < 2:
            continue
        if parts[0] in _ICD10_QUALIFIERS:
            if st.claim is not None:
                st.claim.diagnoses += 1
            if not is_billable_icd10(parts[1]):
                st.add(f"HI{n:02d}", f"{parts[1]!r} is not a billable ICD-10-CM code")
        elif parts[0] in ("BK", "BF") and st.claim is not None:
            st.claim.diagnoses += 1
            st.claim.icd9_segment = st.index


def _sv1(seg: Segment, st: _State) -> None:
    parts = seg.composite(1, st.component)
    code = parts[1] if len(parts) > 1 else ""
    if not is_valid_cpt(code):
        st.add("SV101-2", f"{code!r} is not a CPT/HCPCS code")
    for message in modifier_problems(parts[2:]):
        st.add("SV101-3", message)
    amount = _money(seg.get(2), st, "SV102")
    if seg.get(5) and not is_valid_pos(seg.get(5)):
        st.add("SV105", f"{seg.get(5)!r} is not a place of service")
    if st.claim is None:
        st.add("SV1", "service line outside a claim")
        return
    st.claim.lines += amount
    for ptr in seg.composite(7, st.component):
        if not ptr.isdigit() or not 1 <= int(ptr) <= st.claim.diagnoses:
            st.add("SV107", f"pointer {ptr!r} is outside the claim's "
                   f"{st.claim.diagnoses} diagnosis codes")


def _dtp(seg: Segment, st: _State) -> None:
    fmt, value = seg.get(2), seg.get(3)
    days = value.split("-") if fmt == "RD8" else [value]
    if seg.get(1) == "472" and st.claim is not None:
        st.claim.last_service = max(st.claim.last_service, days[-1])
    for day in days:
        try:
            datetime.strptime(day, "%Y%m%d")
        except ValueError:
            st.add("DTP03", f"{value!r} is not a valid date")
            return


_HANDLERS: dict[str, Callable[[Segment, _State], None]] = {
    "NM1": _nm1, "CLM": _clm, "HI": _hi, "SV1": _sv1, "DTP": _dtp,
}


def _transaction(t: Transaction, version: str, component: str) -> list[File837Problem]:
    st = _State(component)
    st.index = t.start_index + 1
    if t.kind != "837":
        st.add("ST01", f"transaction set {t.kind} is not an 837")
        return st.problems
    if t.st.get(3) != "005010X222A1" or version != "005010X222A1":
        st.add("ST03", f"implementation {t.st.get(3) or version!r}, expected 005010X222A1")
    for offset, seg in enumerate(t.body, start=2):
        st.index = t.start_index + offset
        handler = _HANDLERS.get(seg.tag)
        if handler is not None:
            handler(seg, st)
    st.close()
    return st.problems


def _envelope_ids(inter: Interchange, first: int) -> list[File837Problem]:
    """ISA widths, ISA13 and GS06 digits, GS02/GS03 lengths (``first``: ISA's number)."""
    out: list[File837Problem] = []
    for n, (value, width) in enumerate(zip(inter.isa.elements, _ISA_WIDTHS, strict=False),
                                       start=1):
        if len(value) != width:
            out.append(File837Problem(first, f"ISA{n:02d}", f"{value!r} is {len(value)} "
                                      f"characters; the fixed-width ISA needs {width}"))
    if not inter.isa.get(13).isdigit():
        out.append(File837Problem(first, "ISA13", f"{inter.isa.get(13)!r} is not a "
                                  "9-digit control number"))
    for offset, seg in enumerate(inter.segments):
        if seg.tag != "GS":
            continue
        for n, what in _GS_IDS.items():
            if not 2 <= len(seg.get(n)) <= 15:
                out.append(File837Problem(first + offset, f"GS{n:02d}", f"{what} code "
                           f"{seg.get(n)!r} is {len(seg.get(n))} characters; 2 to 15 fit"))
        if not (seg.get(6).isdigit() and len(seg.get(6)) <= 9):
            out.append(File837Problem(first + offset, "GS06", f"{seg.get(6)!r} is not a "
                                      "control number of 1 to 9 digits"))
    return out


def validate_837_text(text: str) -> list[File837Problem]:
    """Every problem found (empty list: the file passes these checks). X12Error when
    the text is not a readable interchange at all, or holds no transaction set (an empty
    file, envelopes without an ST): "nothing to bill" must not pass as "OK"."""
    problems: list[File837Problem] = []
    first = 1
    transactions = 0
    for inter in parse_interchanges(text):
        problems.extend(File837Problem(0, "envelope", p) for p in inter.problems())
        problems.extend(_envelope_ids(inter, first))
        first += len(inter.segments)
        for group in inter.groups:
            for t in group.transactions:
                transactions += 1
                problems.extend(_transaction(t, group.gs.get(8), inter.delimiters.component))
    if not transactions:
        raise X12Error("no 837 transaction sets in it (" + (
            "envelopes without ST*837" if text.strip() else "it is empty") + ")")
    return problems
