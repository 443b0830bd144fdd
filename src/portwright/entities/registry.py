"""Entity names → models: what an ``emit`` step, the schema export and the standard
entity tests look up.

The name is the model's class name (``Patient``), exactly as a flow writes
``entity: Patient``. Sub-objects (``Contact``, ``Address``, ``Telehealth``...) are part of
their parent's schema and are not emitted on their own, so they are not listed.

The engine's entities are fixed here; a portal's records the engine has no entity for (a
"Member", a "Note") are the adapter's own entities, declared on its class
(``entities = (Member,)``) and looked up with ``entity_model(name,
adapter_entities(adapter))``: a new portal needs no change to the engine, and one
adapter's entities never become another's.
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
from portwright.exceptions import AdapterNotFound, UnknownEntityError

__all__ = ["ENTITY_MODELS", "UnknownEntityError", "adapter_entities", "entity_model",
           "entity_names"]

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


_NONE: Mapping[str, type[EntityModel]] = MappingProxyType({})


def entity_model(name: str, own: Mapping[str, type[EntityModel]] = _NONE
                 ) -> type[EntityModel]:
    """The model for ``name`` (case-sensitive, as in ``entity: Patient``): an engine
    entity, or one of ``own`` (an adapter's own entities, :func:`adapter_entities`)."""
    model = ENTITY_MODELS.get(name) or own.get(name)
    if model is None:
        raise UnknownEntityError(name, sorted({*ENTITY_MODELS, *own}))
    return model


def adapter_entities(adapter: object) -> Mapping[str, type[EntityModel]]:
    """The entities ``adapter`` declares as its own, by name: the ``EntityModel``
    subclasses its class lists in ``entities``; none when it lists nothing.

    An own entity may not take an engine entity's name: integrators read ``Patient`` as
    one shape whatever the portal, so a portal with more to say about patients adds the
    fields to the engine's entity, or emits an entity of another name. A declaration
    that breaks this is ``AdapterNotFound`` (the adapter cannot be used as it is).
    """
    label = getattr(adapter, "name", "") or type(adapter).__name__
    own: dict[str, type[EntityModel]] = {}
    for model in getattr(type(adapter), "entities", ()):
        if not (isinstance(model, type) and issubclass(model, EntityModel)):
            raise AdapterNotFound(
                f"adapter '{label}' lists {model!r} in 'entities', which is not an entity "
                "model", hint="list classes deriving from portwright.entities.EntityModel")
        name = model.__name__
        if name in ENTITY_MODELS:
            raise AdapterNotFound(
                f"adapter '{label}' declares its own entity '{name}', the name of an "
                "engine entity", hint=f"emit the engine's {name}, or give the adapter's "
                                      "model a name of its own")
        if own.get(name, model) is not model:
            raise AdapterNotFound(f"adapter '{label}' declares two entities named '{name}'",
                                  hint="give each model a name of its own")
        own[name] = model
    return MappingProxyType(dict(sorted(own.items())))


def entity_names() -> tuple[str, ...]:
    """All entity names, sorted."""
    return tuple(ENTITY_MODELS)
