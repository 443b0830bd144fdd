"""Ready-made claims for tests, examples and benchmarks (fictional people and numbers).

Every value here is valid for an 837P, so a test changes only the field it is about
(``make_claim(frequency_code="7", original_claim_number="PAYER123")``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from portwright.entities.claim import (
    BillingProvider,
    Claim,
    ClaimAddress,
    ClaimPatient,
    ClaimPayer,
    RenderingProvider,
    ServiceLine,
    Submitter,
)

__all__ = ["make_claim", "make_line", "make_submitter"]


def make_submitter() -> Submitter:
    return Submitter(name="CASCADIA BEHAVIORAL HEALTH", submitter_id="CASC01",
                     contact_name="BILLING OFFICE", contact_phone="2065550100",
                     receiver_name="EXAMPLE CLEARINGHOUSE", receiver_id="CLEARHOUSE01")


def make_line(**overrides: Any) -> ServiceLine:
    values: dict[str, Any] = {
        "appointment_id": "apt_7c2e51", "service_code": "90834", "modifiers": [],
        "diagnosis_pointers": ["1"], "units": Decimal(1), "place_of_service": "11",
        "charge_amount": Decimal("120.00"), "service_date": date(2026, 1, 25),
    }
    values.update(overrides)
    return ServiceLine(**values)


def make_claim(number: str = "CLM-0001", **overrides: Any) -> Claim:
    values: dict[str, Any] = {
        "patient_control_number": number,
        "payer_id": "REGENCE01",
        "payer": ClaimPayer(name="REGENCE BLUESHIELD"),
        "billing_provider": BillingProvider(
            npi="1234567893", name="CASCADIA BEHAVIORAL HEALTH", taxonomy="Behavioral Health",
            taxonomy_code="261QM0801X", tax_id="911234567",
            billing_address=ClaimAddress(line1="200 WELLNESS AVE", city="SEATTLE",
                                         region="WA", postal_code="981091234")),
        "rendering_provider": RenderingProvider(
            provider_id="prv_41cf92", npi="1558598797", first_name="DANA", last_name="RUIZ",
            taxonomy_code="103T00000X"),
        "patient": ClaimPatient(
            patient_id="pt_92c10f", member_id="RGN1234567", first_name="AVERY",
            last_name="NGUYEN", dob=date(1992, 4, 17), sex="female",
            address=ClaimAddress(line1="422 PINE ST", city="SEATTLE", region="WA",
                                 postal_code="98101")),
        "diagnosis_codes": ["F41.1"],
        "service_lines": [make_line()],
    }
    values.update(overrides)
    return Claim(**values)
