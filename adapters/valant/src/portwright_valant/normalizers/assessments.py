"""Assessment results: the outcome-measure list and result detail (items included).

The portal's total and severity are never passed through: scores are recomputed from the
item answers by :mod:`portwright.instruments`, the portal's total is kept as
``reportedScoreTotal``, and a disagreement is flagged ``total_mismatch``. The baseline is
the score of the patient's first result for the instrument; the detail page shows it, and
the delta is computed here from the recomputed total.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from portwright.entities import AssessmentResult, validate
from portwright.instruments import find_instrument, score_result
from portwright_valant.normalizers.portal_values import (
    first,
    json_list,
    portal_timestamp,
    slug,
    text,
)

__all__ = ["normalize_answers", "normalize_assessment_result"]

_PREFIX = {"PHQ-9": "phq9", "GAD-7": "gad7", "PCL-5": "pcl5"}


def _question_prefix(instrument: str) -> str:
    return _PREFIX.get(instrument, re.sub(r"[^a-z0-9]", "", instrument.lower()))


def _answer_value(value: Any) -> int | bool | None:
    if value is None or isinstance(value, bool | int):
        return value
    shown = text(value)
    if shown is None:
        return None
    match = re.match(r"^-?\d+", shown)  # "2 — More than half the days" → 2
    if match:
        return int(match.group(0))
    lowered = shown.lower()
    if lowered in ("yes", "no"):
        return lowered == "yes"
    raise ValueError(f"an item answer must be a number or yes/no, got {shown!r}")


def normalize_answers(instrument: str, raw_answers: Any) -> list[dict[str, Any]]:
    """Item answers as ``[{questionId, value}]`` from either a list of rows
    (``question_id``/``value``) or the bare list of item scores in item order."""
    items = json_list(raw_answers)
    prefix = _question_prefix(instrument)
    answers: list[dict[str, Any]] = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, Mapping):
            question = text(first(item, "question_id", "questionId")) or f"{prefix}_q{index}"
            value = _answer_value(item.get("value"))
        else:
            question, value = f"{prefix}_q{index}", _answer_value(item)
        answers.append({"questionId": question, "value": value})
    return answers


def _int(value: Any) -> int | None:
    shown = text(value)
    return None if shown is None else int(shown)


def normalize_assessment_result(raw: Mapping[str, Any]) -> AssessmentResult:
    """Build and score one result; a portal total that disagrees with the items is flagged."""
    instrument_shown = text(raw.get("instrument")) or ""
    known = find_instrument(instrument_shown)
    instrument = known.name if known is not None else instrument_shown
    result = validate(AssessmentResult, {
        "assessmentResultId": text(first(raw, "assessment_result_id", "assessmentResultId",
                                         "id")),
        "patientId": text(first(raw, "patient_id", "patientId")),
        "instrument": instrument,
        "version": text(raw.get("version")) or "1.0",
        "reportedScoreTotal": _int(first(raw, "score_total", "scoreTotal", "reported_total")),
        "answers": normalize_answers(instrument, raw.get("answers")),
        "completedOn": portal_timestamp(first(raw, "completed_on", "completedOn")),
        "collectedVia": slug(first(raw, "collected_via", "collectedVia")),
        "providerId": text(first(raw, "provider_id", "providerId")),
        "appointmentId": text(first(raw, "appointment_id", "appointmentId")),
    })
    scored = score_result(result)
    baseline = _int(first(raw, "baseline_score", "baselineScore", "baseline"))
    if baseline is None or scored.score_total is None:
        return scored
    return validate(AssessmentResult, scored.model_copy(update={
        "baseline_score": baseline,
        "delta_from_baseline": scored.score_total - baseline,
    }).model_dump(by_alias=True))
