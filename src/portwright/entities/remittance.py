"""Remittances (835 ERA): what a payer paid, for which claims and lines, and why not more.

One ``Remittance`` per 835 transaction (one check or EFT). Each ``Payment`` is a CLP claim
loop; each ``ServicePayment`` an SVC line. ``Adjustment``s are CAS entries (group code +
CARC reason code + amount). ``ProviderAdjustment``s are PLB entries that move money at
the provider level (interest, forward balances). ``balanceProblems`` lists every place
where the amounts do not add up and ``formatProblems`` every value that could not be
read (a bad date, a broken envelope), so a malformed or tampered ERA is never posted
silently.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from portwright.entities.base import EntityModel
from portwright.entities.phi import Phi

__all__ = [
    "Adjustment",
    "Payment",
    "ProviderAdjustment",
    "Remittance",
    "RemittanceParty",
    "ServicePayment",
]

#: CLP02 claim status codes (005010X221A1).
CLAIM_STATUS: dict[str, str] = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, forwarded to additional payer(s)",
    "20": "processed as secondary, forwarded to additional payer(s)",
    "21": "processed as tertiary, forwarded to additional payer(s)",
    "22": "reversal of previous payment",
    "23": "not our claim, forwarded to additional payer(s)",
    "25": "predetermination pricing only - no payment",
}


class Adjustment(EntityModel):
    """One CAS triplet: ``groupCode`` (CO contractual, PR patient responsibility, OA other,
    PI payer initiated, CR correction) and a CARC ``reasonCode``."""

    group_code: str
    reason_code: str
    amount: Decimal
    quantity: Decimal | None = None


class ServicePayment(EntityModel):
    """One SVC line of a claim payment."""

    procedure_qualifier: str = "HC"
    procedure_code: str
    modifiers: list[str] = Field(default_factory=list)
    charge_amount: Decimal
    paid_amount: Decimal
    units: Decimal | None = None
    service_date: date | None = None
    service_date_end: date | None = None
    line_control_number: str | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    remark_codes: list[str] = Field(default_factory=list)


class Payment(EntityModel):
    """One CLP loop: the payer's decision on one claim."""

    patient_control_number: str
    status_code: str
    status: str
    charge_amount: Decimal
    paid_amount: Decimal
    patient_responsibility: Decimal | None = None
    claim_filing_code: str | None = None
    payer_claim_control_number: str | None = None
    patient_name: Annotated[str | None, Phi("full_name")] = None
    member_id: Annotated[str | None, Phi("member_id")] = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    service_lines: list[ServicePayment] = Field(default_factory=list)

    def all_adjustments(self) -> list[Adjustment]:
        """Claim-level and line-level adjustments together."""
        out = list(self.adjustments)
        for line in self.service_lines:
            out.extend(line.adjustments)
        return out


class ProviderAdjustment(EntityModel):
    """One PLB adjustment (reason code such as L6 interest, WO overpayment recovery)."""

    provider_id: str
    fiscal_period_end: date | None = None
    reason_code: str
    reference: str | None = None
    amount: Decimal


class RemittanceParty(EntityModel):
    """The payer (1000A) or payee (1000B) of a remittance."""

    name: str
    id_qualifier: str | None = None
    identifier: str | None = None


class Remittance(EntityModel):
    """One 835 transaction set."""

    trace_number: str
    handling_code: str
    payment_amount: Decimal
    credit_debit: str | None = None
    payment_method: str | None = None
    payment_date: date | None = None
    production_date: date | None = None
    payer: RemittanceParty
    payee: RemittanceParty
    payments: list[Payment] = Field(default_factory=list)
    provider_adjustments: list[ProviderAdjustment] = Field(default_factory=list)
    balance_problems: list[str] = Field(default_factory=list)
    format_problems: list[str] = Field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """True when every total adds up (see ``balanceProblems``)."""
        return not self.balance_problems
