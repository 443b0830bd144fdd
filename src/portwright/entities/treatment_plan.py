"""Treatment plans and their care goals (measurement-based care targets included)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from portwright.entities.base import EntityModel
from portwright.entities.types import (
    EntityId,
    Icd10Code,
    IsoDate,
    NonEmptyStr,
    UtcTimestamp,
)
from portwright.entities.validation import CrossFieldError

__all__ = ["CareGoal", "CareGoalStatus", "TreatmentPlan", "TreatmentPlanStatus"]

CareGoalStatus = Literal["not_started", "in_progress", "met", "not_met", "discontinued"]
TreatmentPlanStatus = Literal["draft", "active", "completed", "discontinued"]


class CareGoal(EntityModel):
    """One goal of a plan. A measurable goal names an instrument and the score to reach,
    e.g. PHQ-9 below 10 (``instrument`` "PHQ-9", ``targetScore`` 9)."""

    goal_id: EntityId | None = None
    description: NonEmptyStr
    objectives: list[str] = Field(default_factory=list)
    status: CareGoalStatus = "in_progress"
    target_date: IsoDate | None = None
    instrument: str | None = None
    target_score: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _measure(self) -> CareGoal:
        if (self.instrument is None) != (self.target_score is None):
            raise CrossFieldError(
                "targetScore" if self.target_score is None else "instrument",
                "a measurable goal needs both instrument and targetScore",
            )
        return self


class TreatmentPlan(EntityModel):
    """A versioned treatment plan; each signed version is a separate record."""

    treatment_plan_id: EntityId
    patient_id: EntityId
    provider_id: EntityId
    version: int = Field(default=1, ge=1)
    status: TreatmentPlanStatus | None = None
    problem: NonEmptyStr
    diagnosis_codes: list[Icd10Code] = Field(default_factory=list)
    goals: list[CareGoal] = Field(default_factory=list)
    interventions: list[str] = Field(default_factory=list)
    start_date: IsoDate | None = None
    review_date: IsoDate | None = None
    signed: bool = False
    signed_at: UtcTimestamp | None = None
    created_at: UtcTimestamp | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TreatmentPlan:
        if self.signed and self.signed_at is None:
            raise CrossFieldError("signedAt", "a signed plan needs signedAt")
        if not self.signed and self.signed_at is not None:
            raise CrossFieldError("signed", "signedAt set on an unsigned plan")
        if (
            self.start_date is not None
            and self.review_date is not None
            and self.review_date < self.start_date
        ):
            raise CrossFieldError("reviewDate", "review is due before the plan starts")
        return self
