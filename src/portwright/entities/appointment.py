"""Appointments: who, when, where, what is billed, and how the patient is reminded.

``AppointmentRequest`` is the create/update shape of ``POST /appointments``;
``Appointment`` is the full record the portal holds afterwards (id, status, timestamps,
telehealth link). Both share the billing rules, so a request that would become an
unbillable appointment is refused before anything is submitted.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from portwright.codes import code_combination_problems, cpt_info
from portwright.entities.base import EntityModel
from portwright.entities.types import (
    CptCode,
    EntityId,
    Icd10Code,
    NonEmptyStr,
    PosCode,
    UtcTimestamp,
)
from portwright.entities.validation import CrossFieldError

__all__ = [
    "MAX_DIAGNOSIS_CODES",
    "Appointment",
    "AppointmentRequest",
    "AppointmentStatus",
    "Reminders",
    "Telehealth",
]

#: An 837P HI segment holds at most 12 diagnosis codes.
MAX_DIAGNOSIS_CODES = 12

AppointmentStatus = Literal[
    "scheduled", "confirmed", "checked_in", "completed", "no_show", "cancelled"
]

_LINK = re.compile(r"^https?://\S+$")


class Telehealth(EntityModel):
    """Whether the visit is virtual; ``link`` is the join URL the portal issues."""

    enabled: bool = False
    link: str | None = None

    @model_validator(mode="after")
    def _link(self) -> Telehealth:
        if self.link is not None:
            if not _LINK.match(self.link):
                raise CrossFieldError("link", "expected an http(s) URL")
            if not self.enabled:
                raise CrossFieldError("link", "a join link on a visit that is not telehealth")
        return self


class Reminders(EntityModel):
    """Which reminder channels the patient receives for this appointment."""

    email: bool = False
    sms: bool = False


class _Scheduled(EntityModel):
    """Fields and billing rules shared by the request and the stored appointment."""

    patient_id: EntityId
    provider_id: EntityId
    location_id: EntityId | None = None
    appointment_type: NonEmptyStr
    service_code: CptCode | None = Field(
        default=None, description="Primary CPT/HCPCS code of the visit."
    )
    add_on_codes: list[CptCode] = Field(
        default_factory=list,
        description="Add-on codes billed with serviceCode (e.g. 90833 with 99213).",
    )
    diagnosis_codes: list[Icd10Code] = Field(
        default_factory=list, max_length=MAX_DIAGNOSIS_CODES
    )
    start_time: UtcTimestamp
    end_time: UtcTimestamp
    place_of_service: PosCode | None = None
    telehealth: Telehealth = Field(default_factory=Telehealth)
    reminders: Reminders = Field(default_factory=Reminders)
    notes: str | None = None
    reference_id: NonEmptyStr | None = Field(
        default=None, description="The caller's key; creating twice with it is idempotent."
    )

    @model_validator(mode="after")
    def _rules(self) -> _Scheduled:
        if self.end_time <= self.start_time:
            raise CrossFieldError("endTime", "must be after startTime")
        for index, code in enumerate(self.diagnosis_codes):
            if code in self.diagnosis_codes[:index]:
                raise CrossFieldError(f"diagnosisCodes[{index}]", f"{code} is listed twice")
        self._check_codes()
        return self

    def _check_codes(self) -> None:
        if self.service_code is None:
            if self.add_on_codes:
                raise CrossFieldError("addOnCodes", "add-on codes need a primary serviceCode")
            return
        primary = cpt_info(self.service_code)
        if primary is not None and primary.add_on:
            raise CrossFieldError(
                "serviceCode",
                f"{self.service_code} is an add-on code; put the primary code in "
                f"serviceCode and {self.service_code} in addOnCodes",
            )
        for index, code in enumerate(self.add_on_codes):
            info = cpt_info(code)
            if info is None or not info.add_on:
                raise CrossFieldError(
                    f"addOnCodes[{index}]", f"{code} is not a behavioral-health add-on code"
                )
        problems = code_combination_problems([self.service_code, *self.add_on_codes])
        if problems:
            raise CrossFieldError("addOnCodes", "; ".join(problems))


class AppointmentRequest(_Scheduled):
    """Create (no ``appointmentId``) or update (with it) an appointment."""

    appointment_id: EntityId | None = None


class Appointment(_Scheduled):
    """An appointment as the portal holds it."""

    appointment_id: EntityId
    status: AppointmentStatus
    cancel_reason: str | None = None
    created_at: UtcTimestamp | None = None
    updated_at: UtcTimestamp | None = None
