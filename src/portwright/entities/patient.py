"""Patients: demographics, contact, coverage and portal enrollment (GET /patients)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from portwright.entities.base import EntityModel
from portwright.entities.contact import Address, Contact
from portwright.entities.insurance import InsurancePolicy
from portwright.entities.phi import Phi
from portwright.entities.types import EntityId, NonEmptyStr, PastDate, UtcTimestamp
from portwright.entities.validation import CrossFieldError

__all__ = ["Patient", "PatientStatus", "PortalEnrollment", "PortalStatus", "Sex"]

Sex = Literal["female", "male", "other", "unknown"]
PatientStatus = Literal["active", "inactive", "discharged"]
PortalStatus = Literal["not_invited", "invited", "enrolled"]


class PortalEnrollment(EntityModel):
    """Whether the patient uses the portal. ``invitedOn`` is a UTC timestamp despite its
    name (kept as the reference API spells it)."""

    status: PortalStatus
    invited_on: UtcTimestamp | None = None

    @model_validator(mode="after")
    def _invited(self) -> PortalEnrollment:
        if self.status == "not_invited" and self.invited_on is not None:
            raise CrossFieldError("invitedOn", "set, but the patient was never invited")
        return self


class Patient(EntityModel):
    """A patient as the practice knows them.

    ``insurance`` lists current and past coverage; two policies of the same rank may not
    cover the same day (that is a coordination-of-benefits error a payer rejects).
    ``sex``, ``status`` and ``updatedAt`` are null when the portal does not show them
    (never guessed).
    """

    patient_id: EntityId
    mrn: Annotated[NonEmptyStr, Phi("mrn")]
    first_name: Annotated[NonEmptyStr, Phi("name")]
    last_name: Annotated[NonEmptyStr, Phi("name")]
    dob: Annotated[PastDate, Phi("date")]
    sex: Sex | None = None
    contact: Contact = Field(default_factory=Contact)
    address: Address | None = None
    insurance: list[InsurancePolicy] = Field(default_factory=list)
    primary_provider_id: EntityId | None = None
    portal_enrollment: PortalEnrollment = Field(
        default_factory=lambda: PortalEnrollment(status="not_invited")
    )
    status: PatientStatus | None = None
    updated_at: UtcTimestamp | None = None

    @model_validator(mode="after")
    def _no_overlapping_rank(self) -> Patient:
        for index, policy in enumerate(self.insurance):
            for earlier in self.insurance[:index]:
                if earlier.type == policy.type and _overlap(earlier, policy):
                    raise CrossFieldError(
                        f"insurance[{index}].type",
                        f"overlaps another {policy.type} policy's coverage period",
                    )
        return self


def _overlap(a: InsurancePolicy, b: InsurancePolicy) -> bool:
    """Two coverage periods share a day (an open end runs forever)."""
    a_end = a.effective_end or date.max
    b_end = b.effective_end or date.max
    return a.effective_start <= b_end and b.effective_start <= a_end
