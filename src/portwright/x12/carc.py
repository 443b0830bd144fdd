"""Claim adjustment group codes and the common Claim Adjustment Reason Codes (CARC).

Reports show ``CO-45`` to people as "charge exceeds fee schedule"; an unknown code still
prints as its number, so the table only needs the codes a behavioral-health practice
meets most often.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["ADJUSTMENT_GROUPS", "REASON_CODES", "describe_adjustment"]

ADJUSTMENT_GROUPS: MappingProxyType[str, str] = MappingProxyType({
    "CO": "contractual obligation",
    "CR": "correction and reversal",
    "OA": "other adjustment",
    "PI": "payer initiated reduction",
    "PR": "patient responsibility",
})

REASON_CODES: MappingProxyType[str, str] = MappingProxyType({
    "1": "deductible amount",
    "2": "coinsurance amount",
    "3": "co-payment amount",
    "4": "procedure code inconsistent with the modifier used",
    "5": "procedure code/bill type inconsistent with the place of service",
    "11": "diagnosis inconsistent with the procedure",
    "16": "claim/service lacks information or has submission/billing errors",
    "18": "exact duplicate claim/service",
    "22": "care may be covered by another payer per coordination of benefits",
    "23": "impact of prior payer(s) adjudication",
    "27": "expenses incurred after coverage terminated",
    "29": "time limit for filing has expired",
    "45": "charge exceeds fee schedule/maximum allowable",
    "50": "non-covered: not deemed a medical necessity",
    "96": "non-covered charge(s)",
    "97": "benefit included in the payment for another service",
    "109": "claim/service not covered by this payer/contractor",
    "119": "benefit maximum for this time period has been reached",
    "197": "precertification/authorization/notification absent",
    "204": "service not covered under the patient's current benefit plan",
    "242": "services not provided by network/primary care providers",
    "251": "attachment/other documentation was not received or was inadequate",
    "253": "sequestration - reduction in federal payment",
    "A2": "contractual adjustment",
    "A7": "presumptive payment adjustment",
})


def describe_adjustment(group: str, reason: str) -> str:
    """``CO-45 charge exceeds fee schedule/maximum allowable (contractual obligation)``."""
    text = f"{group}-{reason}"
    meaning = REASON_CODES.get(reason)
    if meaning:
        text += f" {meaning}"
    kind = ADJUSTMENT_GROUPS.get(group)
    return f"{text} ({kind})" if kind else text
