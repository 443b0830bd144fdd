"""Valant normalizers: raw portal records → portwright entities, one module per family.

``NORMALIZERS`` maps the entity name an ``emit`` step writes (``entity: Patient``) to the
function that builds it. A raw record is whatever the flow extracted (DOM cells keyed by
the field names in the flow) or captured (the portal's own JSON); each normalizer accepts
both spellings, so one flow can switch paths per UI version without a second entity path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from portwright.entities import EntityModel, entity_model
from portwright_valant.normalizers.appointments import normalize_appointment
from portwright_valant.normalizers.assessments import normalize_assessment_result
from portwright_valant.normalizers.chart_items import normalize_document, normalize_task
from portwright_valant.normalizers.claims import normalize_claim
from portwright_valant.normalizers.clinical import (
    normalize_clinical_note,
    normalize_treatment_plan,
)
from portwright_valant.normalizers.encounter_packets import normalize_encounter_packet
from portwright_valant.normalizers.patients import normalize_patient
from portwright_valant.normalizers.practice import normalize_location, normalize_provider
from portwright_valant.normalizers.remittances import normalize_remittance

__all__ = ["NORMALIZERS"]

Normalize = Callable[[Mapping[str, Any]], Any]


def _passing_entities(entity: str, normalize: Normalize) -> Normalize:
    """Let an already-built entity through unchanged (a flow re-emitting a subflow's
    output), so no entity is ever normalized twice."""
    model = entity_model(entity)

    def run(raw: Mapping[str, Any] | EntityModel) -> Any:
        if isinstance(raw, model):
            return raw
        return normalize(raw)  # type: ignore[arg-type]

    run.__doc__ = normalize.__doc__
    run.__name__ = normalize.__name__
    return run


_BY_ENTITY: dict[str, Normalize] = {
    "Appointment": normalize_appointment,
    "AssessmentResult": normalize_assessment_result,
    "Claim": normalize_claim,
    "ClinicalNote": normalize_clinical_note,
    "Document": normalize_document,
    "Encounter": normalize_encounter_packet,
    "Location": normalize_location,
    "Patient": normalize_patient,
    "Provider": normalize_provider,
    "Remittance": normalize_remittance,
    "Task": normalize_task,
    "TreatmentPlan": normalize_treatment_plan,
}
NORMALIZERS: Mapping[str, Normalize] = MappingProxyType(
    {name: _passing_entities(name, fn) for name, fn in _BY_ENTITY.items()}
)
