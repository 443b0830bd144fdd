"""Assessment results: a completed outcome measure (PHQ-9, GAD-7, PCL-5...) with items.

Item-level answers are kept, not only the total: safety rules (PHQ-9 item 9, C-SSRS
triage) and the check of the portal's own total need them. ``scoreTotal``/``severity``
are what portwright computed from the items (see :mod:`portwright.instruments`); the
portal's figure is kept in ``reportedScoreTotal`` and a disagreement is flagged.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from portwright.entities.base import EntityModel
from portwright.entities.types import EntityId, NonEmptyStr, UtcTimestamp
from portwright.entities.validation import CrossFieldError

__all__ = ["Answer", "AnswerValue", "AssessmentResult"]

AnswerValue = int | bool | None
"""An item score (integers), a yes/no item (C-SSRS), or ``None`` when unanswered."""

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def _answer_value(value: object) -> AnswerValue:
    """Keep booleans as booleans (yes/no items) and integers as integers; a whole float
    (``2.0``, as some exports write numbers) becomes ``2``; anything else is refused."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError("expected an integer item score, true/false, or null (unanswered)")


_Value = Annotated[
    int | bool | None,
    BeforeValidator(_answer_value),
    WithJsonSchema({"type": ["integer", "boolean", "null"],
                    "description": "Integer item score, true/false for yes/no items, "
                                   "null if unanswered."}),
]


class Answer(EntityModel):
    """One item's answer, keyed by the instrument's question id (``phq9_q9``)."""

    question_id: NonEmptyStr
    value: _Value


class AssessmentResult(EntityModel):
    """One administration of an instrument to a patient."""

    assessment_result_id: EntityId
    patient_id: EntityId
    instrument: NonEmptyStr = Field(description="Instrument name, e.g. PHQ-9, GAD-7, PCL-5.")
    version: NonEmptyStr | None = Field(
        default=None, description="Version of the instrument form; null if the portal "
                                  "does not show it."
    )
    score_total: int | None = Field(
        default=None, ge=0, description="Total computed from the items; null if not scorable."
    )
    severity: str | None = None
    answers: list[Answer] = Field(default_factory=list)
    baseline_score: int | None = Field(
        default=None, ge=0, description="Total of the patient's first result of this instrument."
    )
    delta_from_baseline: int | None = None
    completed_on: UtcTimestamp
    collected_via: str | None = Field(
        default=None,
        description="How it was collected, snake_case (patient_portal, in_office, ...); "
                    "null if the portal does not show it.",
    )
    provider_id: EntityId | None = None
    appointment_id: EntityId | None = None
    reported_score_total: int | None = Field(
        default=None, description="The total the portal displayed, kept for comparison."
    )
    subscores: dict[str, int] = Field(
        default_factory=dict, description="Named part scores (PHQ-2, PCL-5 clusters B-E)."
    )
    flags: list[str] = Field(
        default_factory=list,
        description="Scoring and safety flags, e.g. total_mismatch, safety_followup.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> AssessmentResult:
        if self.collected_via is not None and not _SNAKE.match(self.collected_via):
            raise CrossFieldError("collectedVia", "expected a snake_case channel name")
        ids = [answer.question_id for answer in self.answers]
        for index, question in enumerate(ids):
            if question in ids[:index]:
                raise CrossFieldError(
                    f"answers[{index}].questionId", f"{question} is answered twice"
                )
        if (
            self.delta_from_baseline is not None
            and self.score_total is not None
            and self.baseline_score is not None
            and self.delta_from_baseline != self.score_total - self.baseline_score
        ):
            raise CrossFieldError(
                "deltaFromBaseline", "must equal scoreTotal - baselineScore"
            )
        if self.delta_from_baseline is not None and (
            self.score_total is None or self.baseline_score is None
        ):
            raise CrossFieldError(
                "deltaFromBaseline", "needs both scoreTotal and baselineScore"
            )
        return self

    def answer_map(self) -> dict[str, int | bool | None]:
        """Answers by question id, for scoring."""
        return {answer.question_id: answer.value for answer in self.answers}
