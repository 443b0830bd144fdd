"""The 835 balancing rules: the amounts in a remittance must add up at every level.

- line:   SVC02 charged - SVC03 paid = sum of line CAS
- claim:  CLP03 charged - CLP04 paid = sum of claim CAS + sum of line CAS
- claim:  CLP04 paid = sum of SVC03 - sum of claim CAS (when the claim has lines)
- total:  BPR02 = sum of CLP04 - sum of PLB amounts, where BPR02 counts as negative
  when BPR03 is ``D`` (a debit: the payer takes money back, recoupments exceeding
  payments; BPR02 itself is never negative)

A remittance that breaks any of them is flagged (never silently posted): a bad ERA
is a payer problem to dispute, not a number to book.
"""

from __future__ import annotations

from decimal import Decimal

from portwright.entities.remittance import Adjustment, Remittance

__all__ = ["balance_problems"]


def _sum(adjustments: list[Adjustment]) -> Decimal:
    return sum((a.amount for a in adjustments), Decimal(0))


def balance_problems(remittance: Remittance) -> list[str]:
    """Every rule the remittance breaks (empty when it balances)."""
    problems: list[str] = []
    for payment in remittance.payments:
        who = f"claim {payment.patient_control_number}"
        for n, line in enumerate(payment.service_lines, start=1):
            gap = line.charge_amount - line.paid_amount
            adjusted = _sum(line.adjustments)
            if gap != adjusted:
                problems.append(
                    f"{who} line {n} ({line.procedure_code}): charged {line.charge_amount} "
                    f"- paid {line.paid_amount} = {gap}, but line adjustments total {adjusted}")
        gap = payment.charge_amount - payment.paid_amount
        adjusted = _sum(payment.all_adjustments())
        if gap != adjusted:
            problems.append(f"{who}: charged {payment.charge_amount} - paid "
                            f"{payment.paid_amount} = {gap}, but adjustments total {adjusted}")
        if payment.service_lines:
            lines_paid = sum((ln.paid_amount for ln in payment.service_lines), Decimal(0))
            expected = lines_paid - _sum(payment.adjustments)
            if expected != payment.paid_amount:
                problems.append(f"{who}: paid {payment.paid_amount}, but its lines paid "
                                f"{lines_paid} less claim adjustments = {expected}")
    claims_paid = sum((p.paid_amount for p in remittance.payments), Decimal(0))
    plb = sum((a.amount for a in remittance.provider_adjustments), Decimal(0))
    expected_total = claims_paid - plb
    debit = remittance.credit_debit == "D"
    total = -remittance.payment_amount if debit else remittance.payment_amount
    if expected_total != total:
        shown = f"{remittance.payment_amount} (debit)" if debit else \
            str(remittance.payment_amount)
        problems.append(f"BPR02 total {shown} does not equal claim "
                        f"payments {claims_paid} less provider adjustments {plb} "
                        f"= {expected_total}")
    return problems
