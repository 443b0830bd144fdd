"""Entity names → models: what an ``emit`` step, the schema export and the standard
entity tests look up.

The name is the model's class name (``Patient``), exactly as a flow writes
``entity: Patient``. Sub-objects (``Contact``, ``Address``, ``Telehealth``...) are part of
their parent's schema and are not emitted on their own, so they are not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from portwright.entities.appointment import Appointment
from portwright.entities.assessment import AssessmentResult
from portwright.entities.base import EntityModel
from portwright.entities.claim import Claim, ServiceLine
from portwright.entities.diagnosis import Diagnosis
from portwright.entities.document import Document
from portwright.entities.encounter import ClinicalNote, Encounter
from portwright.entities.insurance import InsurancePolicy, Payer
from portwright.entities.location import Location
from portwright.entities.patient import Patient
from portwright.entities.provider import Provider
from portwright.entities.remittance import Adjustment, Payment, Remittance
from portwright.entities.task import Task
from portwright.entities.treatment_plan import CareGoal, TreatmentPlan
from portwright.exceptions import UnknownEntityError

__all__ = ["ENTITY_MODELS", "UnknownEntityError", "entity_model", "entity_names"]

_MODELS: tuple[type[EntityModel], ...] = (
    Adjustment,
    Appointment,
    AssessmentResult,
    CareGoal,
    Claim,
    ClinicalNote,
    Diagnosis,
    Document,
    Encounter,
    InsurancePolicy,
    Location,
    Patient,
    Payer,
    Payment,
    Provider,
    Remittance,
    ServiceLine,
    Task,
    TreatmentPlan,
)

#: Every emit-able entity by name, sorted.
ENTITY_MODELS: Mapping[str, type[EntityModel]] = MappingProxyType(
    {model.__name__: model for model in sorted(_MODELS, key=lambda m: m.__name__)}
)


def entity_model(name: str) -> type[EntityModel]:
    """The model for ``name`` (case-sensitive, as in ``entity: Patient``)."""
    try:
        return ENTITY_MODELS[name]
    except KeyError:
        raise UnknownEntityError(name, tuple(ENTITY_MODELS)) from None


def entity_names() -> tuple[str, ...]:
    """All entity names, sorted."""
    return tuple(ENTITY_MODELS)
