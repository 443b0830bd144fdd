"""Match remittance payments back to the claims that were sent, and say what happened.

Claims are matched by CLM01 = CLP01 (the patient control number, in any letter case),
service lines by REF*6R (line control number, preferring the case it was sent in) and
otherwise by procedure code and date. Each claim ends
in one status:

- ``matched``: settled: paid, and the rest is only contractual write-off (group CO)
- ``partially_paid``: paid, but part is left to the patient (PR) or otherwise reduced
  (OA, PI) or unexplained; the adjustments say why
- ``denied``: status 4, or nothing paid and nothing left to the patient (a charge applied
  to the deductible is ``partially_paid``: the patient owes it)
- ``reversed``: the payer took a previous payment back (status 22) and no corrected
  payment stands in its place. A reversal cancels the payment it reverses, so a
  corrected payment that follows is judged (and its lines matched) on its own
- ``overpaid``: more was paid than billed: a payment counted twice, or the payer paid
  too much; either way a person must look before anything is posted
- ``unmatched``: no payment for the claim in these remittances

Payments that match no claim are listed too: they are someone else's claim, or one
this system never sent, and both need a person. A remittance that repeats an earlier
one (same payer and trace number, ``repeated835``) is counted once when identical and
listed in ``repeated_remittances`` either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import Field

from portwright.entities.base import EntityModel
from portwright.entities.claim import Claim, ServiceLine
from portwright.entities.remittance import Adjustment, Payment, Remittance, ServicePayment
from portwright.x12.carc import describe_adjustment
from portwright.x12.repeated835 import repeated_remittances

__all__ = ["ClaimReconciliation", "LineReconciliation", "ReconciliationReport", "reconcile"]

ReconciliationStatus = Literal["matched", "partially_paid", "denied", "reversed", "overpaid",
                              "unmatched"]


class LineReconciliation(EntityModel):
    """One billed line and what the payer did with it."""

    line_number: int
    service_code: str
    line_control_number: str | None = None
    charged: Decimal
    paid: Decimal | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    remark_codes: list[str] = Field(default_factory=list)


class ClaimReconciliation(EntityModel):
    """One claim's outcome across the given remittances."""

    patient_control_number: str
    status: ReconciliationStatus
    charged: Decimal
    paid: Decimal = Decimal(0)
    patient_responsibility: Decimal = Decimal(0)
    payer_claim_control_number: str | None = None
    remittance_trace_numbers: list[str] = Field(default_factory=list)
    adjustments: list[Adjustment] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    lines: list[LineReconciliation] = Field(default_factory=list)


class ReconciliationReport(EntityModel):
    """Every claim's outcome, payments nobody claimed, remittances that do not balance
    and remittances that repeat another."""

    claims: list[ClaimReconciliation]
    unmatched_payments: list[Payment] = Field(default_factory=list)
    unbalanced_remittances: list[str] = Field(default_factory=list)
    repeated_remittances: list[str] = Field(default_factory=list)

    def by_status(self, status: ReconciliationStatus) -> list[ClaimReconciliation]:
        return [c for c in self.claims if c.status == status]


def _standing(payments: list[Payment]) -> list[Payment]:
    """The payments a reversal (status 22) has not taken back, in order.

    A reversal cancels one earlier adjudication of the claim: the one with its payer claim
    number and the negated amounts, else the one with its payer claim number, else the one
    with the negated amounts. A reversal of a payment outside the given remittances
    cancels nothing here. Without this, a reversed payment's lines were matched to the
    billed lines instead of the corrected payment's."""
    standing = [p for p in payments if p.status_code != "22"]
    for reversal in (p for p in payments if p.status_code == "22"):
        icn = reversal.payer_claim_control_number

        def negates(p: Payment, reversal: Payment = reversal) -> bool:
            return (p.charge_amount == -reversal.charge_amount
                    and p.paid_amount == -reversal.paid_amount)

        candidates = (
            [p for p in standing if icn and p.payer_claim_control_number == icn and negates(p)]
            or [p for p in standing if icn and p.payer_claim_control_number == icn]
            or [p for p in standing if negates(p)])
        if candidates:
            standing = [p for p in standing if p is not candidates[0]]
    return standing


def _status(standing: list[Payment], charged: Decimal, paid: Decimal,
            adjustments: list[Adjustment]) -> ReconciliationStatus:
    """The outcome of the payments still standing (``paid`` and ``adjustments`` are
    theirs)."""
    if not standing:
        return "reversed"
    owed = sum((a.amount for a in adjustments if a.group_code == "PR"), Decimal(0))
    if standing[-1].status_code == "4" or (paid <= 0 and owed <= 0):
        return "denied"
    if paid > charged:
        return "overpaid"
    written_off = sum((a.amount for a in adjustments if a.group_code == "CO"), Decimal(0))
    # Nothing paid but the charge applied to the deductible is no denial: the patient owes it.
    return "matched" if paid > 0 and paid + written_off >= charged else "partially_paid"


def _line_match(rank: int, line: ServiceLine, control: str | None, svc: ServicePayment
                ) -> bool:
    """Whether ``svc`` pays ``line`` by the test of this ``rank`` (see ``_match_line``)."""
    if rank == 1:
        return control is not None and svc.line_control_number == control
    if rank == 2:
        return control is not None and svc.line_control_number is not None and (
            svc.line_control_number.upper() == control.upper())
    return (svc.line_control_number is None and svc.procedure_code == line.service_code
            and svc.service_date in (None, line.service_date))


def _match_line(number: int, line: ServiceLine, services: list[ServicePayment],
                used: set[int]) -> LineReconciliation:
    control = line.control_number()
    found: ServicePayment | None = None
    # The REF*6R as sent, else as a payer that upper-cases it echoes it, else (no REF*6R
    # echoed) the same code on the same date.
    for rank in (1, 2, 3):
        i = next((i for i, svc in enumerate(services)
                  if i not in used and _line_match(rank, line, control, svc)), None)
        if i is not None:
            found = services[i]
            used.add(i)
            break
    return LineReconciliation(
        line_number=number, service_code=line.service_code, line_control_number=control,
        charged=line.charge_amount, paid=found.paid_amount if found else None,
        adjustments=list(found.adjustments) if found else [],
        remark_codes=list(found.remark_codes) if found else [])


def _claim(claim: Claim, payments: list[tuple[str, Payment]]) -> ClaimReconciliation:
    number = claim.control_number() or ""
    charged = claim.charge_amount if claim.charge_amount is not None else claim.total_charge()
    if not payments:
        return ClaimReconciliation(
            patient_control_number=number, status="unmatched", charged=charged,
            lines=[LineReconciliation(line_number=n, service_code=ln.service_code,
                                      line_control_number=ln.control_number(),
                                      charged=ln.charge_amount)
                   for n, ln in enumerate(claim.service_lines, start=1)])
    found = [p for _, p in payments]
    net = sum((p.paid_amount for p in found), Decimal(0))  # the money these remittances move
    standing = _standing(found)
    standing_paid = sum((p.paid_amount for p in standing), Decimal(0))
    adjustments = [a for p in (standing or found) for a in p.all_adjustments()]
    notes: list[str] = []
    for p in standing:
        if p.charge_amount != charged:
            notes.append(f"payer shows {p.charge_amount} charged, the claim billed {charged}")
    if standing and net != standing_paid:
        notes.append(f"the standing payment is {standing_paid}, but these remittances move "
                     f"{net}: a reversal takes back {standing_paid - net} paid in a "
                     "remittance not given here")
    services = [s for p in standing for s in p.service_lines]
    used: set[int] = set()
    lines = [_match_line(n, ln, services, used)
             for n, ln in enumerate(claim.service_lines, start=1)]
    if services and len(used) < len(services):
        notes.append(f"{len(services) - len(used)} paid line(s) match no billed line")
    status = _status(standing, charged, standing_paid, adjustments)
    if status == "overpaid":
        notes.append(f"paid {standing_paid} in {len(standing)} payment(s) for a charge of "
                     f"{charged}: more than was billed")
    reasons: list[str] = []
    for a in adjustments:
        text = describe_adjustment(a.group_code, a.reason_code)
        if text not in reasons:
            reasons.append(text)
    return ClaimReconciliation(
        patient_control_number=number, status=status,
        charged=charged,
        paid=net,
        patient_responsibility=sum((a.amount for p in standing for a in p.all_adjustments()
                                    if a.group_code == "PR"), Decimal(0)),
        payer_claim_control_number=(standing or found)[-1].payer_claim_control_number,
        remittance_trace_numbers=sorted({trace for trace, _ in payments}),
        adjustments=adjustments, reasons=reasons, notes=notes, lines=lines)


def reconcile(claims: Sequence[Claim], remittances: Sequence[Remittance]
              ) -> ReconciliationReport:
    """Each claim's outcome in ``remittances``, plus the payments no claim explains.

    An identical repeat of an earlier remittance is left out (its payments would count
    twice); every repeat is listed in ``repeated_remittances``."""
    repeats = repeated_remittances(remittances)
    skipped = {r.index for r in repeats if r.identical}
    remittances = [r for i, r in enumerate(remittances) if i not in skipped]
    # CLP01 as the claim's CLM01 regardless of letter case: payers may echo it upper-cased,
    # and CLM01s differing only in case are refused when the 837P is built.
    by_number: dict[str, list[tuple[str, Payment]]] = {}
    for remittance in remittances:
        for payment in remittance.payments:
            by_number.setdefault(payment.patient_control_number.upper(), []).append(
                (remittance.trace_number, payment))
    results = [_claim(c, by_number.get((c.control_number() or "").upper(), []))
               for c in claims]
    known = {(c.control_number() or "").upper() for c in claims}
    unmatched = [p for number, found in by_number.items() if number not in known
                 for _, p in found]
    unbalanced = [f"{r.trace_number}: {problem}" for r in remittances
                  for problem in r.balance_problems]
    return ReconciliationReport(claims=results, unmatched_payments=unmatched,
                                unbalanced_remittances=unbalanced,
                                repeated_remittances=[str(r) for r in repeats])
