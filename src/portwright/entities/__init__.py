"""Normalized entities every portal's output conforms to (pydantic v2, camelCase JSON).

Shapes follow the reference API examples; field types normalize and check what a billing
team relies on (E.164 phones, ISO dates, UTC timestamps, billable ICD-10-CM, CPT, POS,
NPI). Use :func:`validate` to build an entity and get a clear
:class:`~portwright.exceptions.EntityValidationError` instead of pydantic's error, and
:func:`entity_model` to look an entity up by the name a flow uses.
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
from portwright.entities.claim import Claim, ServiceLine
from portwright.entities.contact import Address, Contact
from portwright.entities.diagnosis import Diagnosis
from portwright.entities.document import Document
from portwright.entities.encounter import ClinicalNote, Encounter, NoteVersion
from portwright.entities.insurance import InsurancePolicy, Payer
from portwright.entities.location import Location
from portwright.entities.patient import Patient, PortalEnrollment
from portwright.entities.phi import OfOrganisation, Phi
from portwright.entities.provider import Provider
from portwright.entities.registry import (
    ENTITY_MODELS,
    UnknownEntityError,
    adapter_entities,
    entity_model,
    entity_names,
)
from portwright.entities.remittance import Adjustment, Payment, Remittance
from portwright.entities.task import Task
from portwright.entities.treatment_plan import CareGoal, TreatmentPlan
from portwright.entities.validation import CrossFieldError, field_problems, validate

__all__ = [
    "ENTITY_MODELS",
    "Address",
    "Adjustment",
    "Answer",
    "Appointment",
    "AppointmentRequest",
    "AssessmentResult",
    "CareGoal",
    "Claim",
    "ClinicalNote",
    "Contact",
    "CrossFieldError",
    "Diagnosis",
    "Document",
    "Encounter",
    "EntityModel",
    "InsurancePolicy",
    "Location",
    "NoteVersion",
    "OfOrganisation",
    "Patient",
    "Payer",
    "Payment",
    "Phi",
    "PortalEnrollment",
    "Provider",
    "Reminders",
    "Remittance",
    "ServiceLine",
    "Task",
    "Telehealth",
    "TreatmentPlan",
    "UnknownEntityError",
    "adapter_entities",
    "entity_model",
    "entity_names",
    "field_problems",
    "validate",
]
