"""Normalized entities every portal's output conforms to (pydantic v2, camelCase JSON).

Shapes follow the reference API examples; field types normalize and check what a billing
team relies on (E.164 phones, ISO dates, UTC timestamps, billable ICD-10-CM, CPT, POS,
NPI). Use :func:`validate` to build an entity and get a clear
:class:`~portwright.exceptions.EntityValidationError` instead of pydantic's error.
"""

from __future__ import annotations

from portwright.entities.appointment import (
    Appointment,
    AppointmentRequest,
    Reminders,
    Telehealth,
)
from portwright.entities.assessment import Answer, AssessmentResult
from portwright.entities.base import EntityModel
from portwright.entities.contact import Address, Contact
from portwright.entities.insurance import InsurancePolicy, Payer
from portwright.entities.location import Location
from portwright.entities.patient import Patient, PortalEnrollment
from portwright.entities.provider import Provider
from portwright.entities.validation import CrossFieldError, field_problems, validate

__all__ = [
    "Address",
    "Answer",
    "Appointment",
    "AppointmentRequest",
    "AssessmentResult",
    "Contact",
    "CrossFieldError",
    "EntityModel",
    "InsurancePolicy",
    "Location",
    "Patient",
    "Payer",
    "PortalEnrollment",
    "Provider",
    "Reminders",
    "Telehealth",
    "field_problems",
    "validate",
]
