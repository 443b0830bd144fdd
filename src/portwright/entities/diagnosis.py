"""Diagnoses on a patient's problem list, as billable ICD-10-CM codes."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from portwright.entities.base import EntityModel
from portwright.entities.types import EntityId, Icd10Code, IsoDate, UtcTimestamp
from portwright.entities.validation import CrossFieldError

__all__ = ["Diagnosis", "DiagnosisStatus"]

DiagnosisStatus = Literal["active", "resolved", "inactive", "ruled_out"]


class Diagnosis(EntityModel):
    """One diagnosis. ``code`` must be billable (a leaf: ``F41.1``, never ``F41``)."""

    diagnosis_id: EntityId | None = None
    patient_id: EntityId
    code: Icd10Code
    description: str | None = None
    primary: bool = False
    status: DiagnosisStatus = "active"
    onset_date: IsoDate | None = None
    resolved_date: IsoDate | None = None
    provider_id: EntityId | None = None
    recorded_at: UtcTimestamp | None = None

    @model_validator(mode="after")
    def _dates(self) -> Diagnosis:
        if (
            self.onset_date is not None
            and self.resolved_date is not None
            and self.resolved_date < self.onset_date
        ):
            raise CrossFieldError("resolvedDate", "resolved before its onset")
        if self.resolved_date is not None and self.status == "active":
            raise CrossFieldError("status", "an active diagnosis has no resolvedDate")
        return self
