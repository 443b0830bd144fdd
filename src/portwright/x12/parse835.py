"""Read 835 remittances (005010X221A1) into ``Remittance`` entities.

The parser is a small state machine over one transaction set: header segments fill the
remittance, CLP opens a claim payment, SVC opens a service line, and segments that can
appear at several levels (CAS, DTM, REF) attach to the innermost open level, as the
implementation guide nests them. Balancing is checked afterwards (``balance835``).

Text with no 835 transaction set at all (an empty download, envelopes without an ST) is
an error, not an empty list: "nothing to post" must not look like "all posted". A
remittance that repeats an earlier one (same payer and trace number, ``repeated835``)
says so in its ``format_problems``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from portwright.entities.remittance import (
    CLAIM_STATUS,
    Adjustment,
    Payment,
    ProviderAdjustment,
    Remittance,
    RemittanceParty,
    ServicePayment,
)
from portwright.exceptions import X12Error
from portwright.x12.balance835 import balance_problems
from portwright.x12.interchange import Transaction, parse_interchanges
from portwright.x12.repeated835 import repeated_remittances
from portwright.x12.segments import Segment

__all__ = ["parse_835", "parse_835_transaction"]

IMPLEMENTATION_835 = "005010X221A1"


@dataclass
class _State:
    component: str
    header: dict[str, object] = field(default_factory=dict)
    payer: RemittanceParty | None = None
    payee: RemittanceParty | None = None
    party: str | None = None
    payments: list[Payment] = field(default_factory=list)
    claim: dict[str, object] | None = None
    lines: list[dict[str, object]] = field(default_factory=list)
    line: dict[str, object] | None = None
    plb: list[ProviderAdjustment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    index: int = 0
    payer_contact: bool = False

    def money(self, seg: Segment, pos: int, *, required: bool = True) -> Decimal | None:
        raw = seg.get(pos)
        if not raw:
            if required:
                self.problems.append(f"{seg.tag}{pos:02d} is missing (segment {self.index})")
            return Decimal(0) if required else None
        try:
            return Decimal(raw)
        except InvalidOperation:
            self.problems.append(f"{seg.tag}{pos:02d} {raw!r} is not a number "
                                 f"(segment {self.index})")
            return Decimal(0) if required else None

    def day(self, seg: Segment, pos: int) -> date | None:
        raw = seg.get(pos)
        if not raw:
            return None
        try:
            return datetime.strptime(raw, "%Y%m%d").date()
        except ValueError:
            self.problems.append(f"{seg.tag}{pos:02d} {raw!r} is not a valid date "
                                 f"(segment {self.index})")
            return None


def _bpr(seg: Segment, st: _State) -> None:
    st.header.update(handling_code=seg.get(1), payment_amount=st.money(seg, 2),
                     credit_debit=seg.get(3) or None, payment_method=seg.get(4) or None,
                     payment_date=st.day(seg, 16))


def _trn(seg: Segment, st: _State) -> None:
    st.header["trace_number"] = seg.get(2)


def _n1(seg: Segment, st: _State) -> None:
    if st.claim is not None:
        return
    party = RemittanceParty(name=seg.get(2) or "?", id_qualifier=seg.get(3) or None,
                            identifier=seg.get(4) or None)
    st.party = seg.get(1)
    if st.party == "PR":
        st.payer = party
    elif st.party == "PE":
        st.payee = party


def _ref(seg: Segment, st: _State) -> None:
    if st.line is not None and seg.get(1) == "6R":
        st.line["line_control_number"] = seg.get(2)
    elif st.claim is None and st.party == "PR" and seg.get(1) == "2U" and st.payer:
        st.payer = st.payer.model_copy(update={"id_qualifier": "2U",
                                               "identifier": seg.get(2)})


def _dtm(seg: Segment, st: _State) -> None:
    qualifier = seg.get(1)
    if st.line is not None and qualifier in ("472", "150"):
        st.line["service_date"] = st.day(seg, 2)
    elif st.line is not None and qualifier == "151":
        st.line["service_date_end"] = st.day(seg, 2)
    elif st.claim is None and qualifier == "405":
        st.header["production_date"] = st.day(seg, 2)


def _close_line(st: _State) -> None:
    if st.line is not None:
        st.lines.append(st.line)
        st.line = None


def _close_claim(st: _State) -> None:
    _close_line(st)
    if st.claim is None:
        return
    lines = [ServicePayment(**values) for values in st.lines]
    st.payments.append(Payment(**st.claim, service_lines=lines))
    st.claim, st.lines = None, []


def _clp(seg: Segment, st: _State) -> None:
    _close_claim(st)
    status = seg.get(2)
    st.claim = {
        "patient_control_number": seg.get(1), "status_code": status,
        "status": CLAIM_STATUS.get(status, f"status {status}"),
        "charge_amount": st.money(seg, 3), "paid_amount": st.money(seg, 4),
        "patient_responsibility": st.money(seg, 5, required=False),
        "claim_filing_code": seg.get(6) or None,
        "payer_claim_control_number": seg.get(7) or None, "adjustments": [],
    }


def _nm1(seg: Segment, st: _State) -> None:
    if st.claim is None or seg.get(1) not in ("QC", "IL"):
        return
    if seg.get(1) == "QC" or "patient_name" not in st.claim:
        name = " ".join(p for p in (seg.get(4), seg.get(3)) if p)
        st.claim["patient_name"] = name or None
    if seg.get(9):
        st.claim.setdefault("member_id", seg.get(9))


def _svc(seg: Segment, st: _State) -> None:
    if st.claim is None:
        st.problems.append(f"SVC outside a claim payment (segment {st.index})")
        return
    _close_line(st)
    parts = seg.composite(1, st.component)
    st.line = {
        "procedure_qualifier": parts[0] if parts else "",
        "procedure_code": parts[1] if len(parts) > 1 else "",
        "modifiers": [p for p in parts[2:6] if p],
        "charge_amount": st.money(seg, 2), "paid_amount": st.money(seg, 3),
        "units": st.money(seg, 5, required=False) if seg.get(5) else Decimal(1),
        "adjustments": [], "remark_codes": [],
    }


def _cas(seg: Segment, st: _State) -> None:
    group = seg.get(1)
    found: list[Adjustment] = []
    for start in range(2, 20, 3):
        reason = seg.get(start)
        if not reason:
            continue
        found.append(Adjustment(group_code=group, reason_code=reason,
                                amount=st.money(seg, start + 1) or Decimal(0),
                                quantity=st.money(seg, start + 2, required=False)))
    target = st.line if st.line is not None else st.claim
    if target is None:
        st.problems.append(f"CAS outside a claim payment (segment {st.index})")
        return
    adjustments = target["adjustments"]
    assert isinstance(adjustments, list)
    adjustments.extend(found)


def _lq(seg: Segment, st: _State) -> None:
    if st.line is not None and seg.get(2):
        remarks = st.line["remark_codes"]
        assert isinstance(remarks, list)
        remarks.append(seg.get(2))


def _plb(seg: Segment, st: _State) -> None:
    _close_claim(st)
    for start in range(3, 15, 2):
        reason = seg.composite(start, st.component)
        if not reason:
            continue
        st.plb.append(ProviderAdjustment(
            provider_id=seg.get(1), fiscal_period_end=st.day(seg, 2), reason_code=reason[0],
            reference=reason[1] if len(reason) > 1 else None,
            amount=st.money(seg, start + 1) or Decimal(0)))


def _per(seg: Segment, st: _State) -> None:
    if st.claim is None and st.party == "PR" and seg.get(1) == "BL":
        st.payer_contact = True


_HANDLERS: dict[str, Callable[[Segment, _State], None]] = {
    "BPR": _bpr, "TRN": _trn, "N1": _n1, "REF": _ref, "DTM": _dtm, "CLP": _clp,
    "NM1": _nm1, "SVC": _svc, "CAS": _cas, "LQ": _lq, "PLB": _plb,
    "PER": _per,
}

#: Segments of an 835 (005010X221A1) that carry nothing a ``Remittance`` holds: read past
#: in silence. Any other tag (a misspelt ``CAZ``, a lower-case ``dtm``) is a format
#: problem, since what it held (an adjustment, a date) would otherwise vanish unnoticed.
_READ_PAST = frozenset({"LX", "CUR", "N3", "N4", "RDM", "TS3", "TS2", "MIA", "MOA", "AMT", "QTY"})


def parse_835_transaction(transaction: Transaction, component: str) -> Remittance:
    """One ST*835 … SE as a ``Remittance`` (with its balance and format problems)."""
    if transaction.kind != "835":
        raise X12Error(f"transaction set {transaction.kind} is not an 835",
                       segment_index=transaction.start_index)
    st = _State(component)
    for offset, seg in enumerate(transaction.body, start=1):
        st.index = transaction.start_index + offset
        handler = _HANDLERS.get(seg.tag)
        if handler is not None:
            handler(seg, st)
        elif seg.tag not in _READ_PAST:
            st.problems.append(f"{seg.tag} is not an 835 segment (segment {st.index}); "
                               "it was ignored")
    _close_claim(st)
    if "payment_amount" not in st.header:
        raise X12Error("835 without BPR", segment_index=transaction.start_index)
    if not st.payer_contact:
        st.problems.append("PER*BL (payer technical contact, loop 1000A) is missing")
    st.problems.extend(transaction.problems())
    remittance = Remittance(
        trace_number=str(st.header.get("trace_number") or ""),
        payer=st.payer or RemittanceParty(name="?"),
        payee=st.payee or RemittanceParty(name="?"),
        payments=st.payments, provider_adjustments=st.plb, format_problems=st.problems,
        **{k: v for k, v in st.header.items() if k != "trace_number"},
    )
    remittance.balance_problems = balance_problems(remittance)
    return remittance


def parse_835(text: str) -> list[Remittance]:
    """Every 835 transaction set in every interchange of ``text`` (X12Error when there is
    none)."""
    out: list[Remittance] = []
    for interchange in parse_interchanges(text):
        first_of_interchange = len(out)
        for group in interchange.groups:
            version = group.gs.get(8)
            first_of_group = len(out)
            for transaction in group.transactions:
                remittance = parse_835_transaction(transaction,
                                                   interchange.delimiters.component)
                if version != IMPLEMENTATION_835:
                    remittance.format_problems.append(
                        f"GS08 is {version!r}, expected {IMPLEMENTATION_835}")
                out.append(remittance)
            # A GE or IEA mismatch goes to the last remittance of its own group or
            # interchange; each transaction set's SE problems stay with that set.
            if len(out) > first_of_group:
                out[-1].format_problems.extend(group.own_problems())
        if len(out) > first_of_interchange:
            out[-1].format_problems.extend(interchange.own_problems())
    if not out:
        raise X12Error("no 835 transaction sets in it (" + (
            "envelopes without ST*835" if text.strip() else "it is empty") + ")")
    for repeat in repeated_remittances(out):
        out[repeat.index].format_problems.append(str(repeat))
    return out
