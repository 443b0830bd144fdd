"""Claims as integrators send them (``POST /claims``) and as an 837P needs them.

The top-level names follow the reference request (``payerId``, ``billingProvider``,
``patient``, ``serviceLines`` with ``serviceCode``/``modifiers``/``diagnosisPointers``/
``units``/``placeOfService``/``chargeAmount``, ``referenceId``). The 837P needs more than
that request carries (names, dates of birth, addresses, diagnosis codes, dates of
service, a tax id), so those are added as optional fields here; whether a claim has
enough to be billed is decided by :mod:`portwright.x12.validate_claim`, which reports
every missing or wrong field at once instead of failing on the first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from portwright.entities.base import EntityModel
from portwright.entities.phi import OfOrganisation, Phi

__all__ = [
    "BillingProvider",
    "Claim",
    "ClaimAddress",
    "ClaimFrequency",
    "ClaimPatient",
    "ClaimPayer",
    "RenderingProvider",
    "ServiceLine",
    "Submitter",
    "Subscriber",
]

#: CLM05-3: 1 original, 7 replacement of a prior claim, 8 void/cancel of a prior claim.
ClaimFrequency = Literal["1", "7", "8"]
Sex = Literal["male", "female", "unknown", "M", "F", "U"]


class ClaimAddress(EntityModel):
    """A postal address (``region`` is the two-letter state)."""

    line1: Annotated[str, Phi("address")]
    line2: Annotated[str | None, Phi("address")] = None
    city: Annotated[str, Phi("city")]
    region: str
    postal_code: Annotated[str, Phi("zip")]


class BillingProvider(EntityModel):
    """Loop 2010AA: who bills and gets paid. ``taxonomy`` is free text in the reference
    shape; the 837 PRV segment uses ``taxonomyCode`` (e.g. ``103T00000X``)."""

    npi: str
    name: str
    taxonomy: str | None = None
    taxonomy_code: str | None = None
    tax_id: str | None = None
    billing_address: Annotated[ClaimAddress | None, OfOrganisation()] = None
    contact_name: str | None = None
    contact_phone: str | None = None


class RenderingProvider(EntityModel):
    """Loop 2310B: the clinician who saw the patient (a person, with an NPI)."""

    provider_id: str | None = None
    npi: str
    first_name: str
    last_name: str
    taxonomy_code: str | None = None


class Subscriber(EntityModel):
    """Loop 2010BA when the insured is not the patient (e.g. a parent's plan)."""

    member_id: Annotated[str, Phi("member_id")]
    first_name: Annotated[str, Phi("name")]
    last_name: Annotated[str, Phi("name")]
    dob: Annotated[date | None, Phi("date")] = None
    sex: Sex | None = None
    address: ClaimAddress | None = None


class ClaimPatient(EntityModel):
    """The patient; the insured too unless ``relationshipToSubscriber`` is not ``18``.

    ``relationshipToSubscriber`` uses the PAT01 codes: 18 self, 01 spouse, 19 child,
    20 employee, 21 unknown, 39 organ donor, 40 cadaver donor, 53 life partner,
    G8 other.
    """

    patient_id: str | None = None
    member_id: Annotated[str | None, Phi("member_id")] = None
    first_name: Annotated[str | None, Phi("name")] = None
    last_name: Annotated[str | None, Phi("name")] = None
    dob: Annotated[date | None, Phi("date")] = None
    sex: Sex | None = None
    address: ClaimAddress | None = None
    group_number: str | None = None
    relationship_to_subscriber: Literal[
        "18", "01", "19", "20", "21", "39", "40", "53", "G8"
    ] = "18"
    subscriber: Subscriber | None = None


class ClaimPayer(EntityModel):
    """Loop 2010BB details beyond the ``payerId`` the request carries."""

    name: str
    address: Annotated[ClaimAddress | None, OfOrganisation()] = None


class Submitter(EntityModel):
    """Loops 1000A/1000B and the envelope ids: who sends the file and who receives it."""

    name: str
    submitter_id: str
    contact_name: str
    contact_phone: str
    receiver_name: str
    receiver_id: str


class ServiceLine(EntityModel):
    """One SV1 line. ``diagnosisPointers`` are 1-based positions in ``diagnosisCodes``."""

    appointment_id: str | None = None
    service_code: str
    modifiers: list[str] = Field(default_factory=list)
    diagnosis_pointers: list[str] = Field(default_factory=lambda: ["1"])
    units: Decimal = Decimal(1)
    place_of_service: str | None = None
    rendering_provider_id: str | None = None
    charge_amount: Decimal
    service_date: date | None = None
    service_date_end: date | None = None
    line_control_number: str | None = None

    def control_number(self) -> str | None:
        """REF*6R for this line: the caller's number, else the appointment it bills."""
        return self.line_control_number or self.appointment_id


class Claim(EntityModel):
    """One professional claim (one CLM loop of an 837P)."""

    claim_type: Literal["837P"] = "837P"
    claim_id: str | None = None
    patient_control_number: str | None = None
    payer_id: str
    payer: ClaimPayer | None = None
    claim_filing_code: str = "CI"
    billing_provider: BillingProvider
    rendering_provider: RenderingProvider | None = None
    patient: ClaimPatient
    diagnosis_codes: list[str] = Field(default_factory=list)
    service_lines: list[ServiceLine]
    place_of_service: str | None = None
    charge_amount: Decimal | None = None
    frequency_code: ClaimFrequency = "1"
    original_claim_number: str | None = None
    prior_authorization: str | None = None
    submission_channel: str | None = None
    reference_id: str | None = None

    def control_number(self) -> str | None:
        """CLM01 (the patient control number the 835 echoes back in CLP01)."""
        return self.patient_control_number or self.claim_id or self.reference_id

    def total_charge(self) -> Decimal:
        """The sum of the line charges (what CLM02 must equal)."""
        return sum((line.charge_amount for line in self.service_lines), Decimal(0))

    def claim_place_of_service(self) -> str | None:
        """CLM05-1: the claim's POS, else the first line's."""
        if self.place_of_service:
            return self.place_of_service
        return next((ln.place_of_service for ln in self.service_lines if ln.place_of_service),
                    None)
