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

__all__ = ["CORRUPT_ANSWER", "normalize_answers", "normalize_assessment_result"]

#: An item answer shown as "2", or as "2 — More than half the days" (score, then label).
#: Only ASCII digits: "2.5", "3/3" or a full-width 2 are not a score the patient gave.
_WHOLE_NUMBER = re.compile(r"^(-?[0-9]+)(?:\s*[\u2014\u2013-]\s*[^\W\d_].*)?$")

#: What an answer that is no score at all ("2.5", "3/3", "Not at all") becomes. The entity
#: holds only integers, booleans and null; null would read as "unanswered" (which the
#: PHQ-9 prorates over) and any in-range number would invent an answer, so a value outside
#: every instrument's scale (all start at 0; yes/no is 0/1) carries "corrupt" to scoring,
#: which flags it ``out_of_range_answer`` and computes no total. Raising instead would
#: lose the whole result (the other answers, the portal's total) over one bad cell.
CORRUPT_ANSWER = -1


def _answer_value(value: Any) -> int | bool | None:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):  # a JSON number: 2.0 is 2, as the entity reads it
        return int(value) if value.is_integer() else CORRUPT_ANSWER
    shown = text(value)
    if shown is None:
        return None
    match = _WHOLE_NUMBER.match(shown)
    if match:
        return int(match.group(1))
    lowered = shown.lower()
    if lowered in ("yes", "no"):
        return lowered == "yes"
    return CORRUPT_ANSWER


def _question_ids(instrument: str, count: int) -> list[str]:
    """The question id of each position in a bare answer list, in the instrument's own
    order: ids are not always ``<prefix>_q<n>`` (the C-SSRS's 7th is
    ``cssrs_q6_past_3_months``, the PHQ-A's 10th ``phqa_difficulty``). Positions beyond
    the instrument's questions, or any of an unknown instrument, get ``<prefix>_q<n>``,
    which scoring then reports as ``unknown_question`` rather than dropping silently."""
    known = find_instrument(instrument)
    ordered = known.question_ids if known is not None else ()
    prefix = re.sub(r"[^a-z0-9]", "", instrument.lower())
    return [ordered[index] if index < len(ordered) else f"{prefix}_q{index + 1}"
            for index in range(count)]


def normalize_answers(instrument: str, raw_answers: Any) -> list[dict[str, Any]]:
    """Item answers as ``[{questionId, value}]`` from either a list of rows
    (``question_id``/``value``) or the bare list of item answers in item order.

    An answer that is not a whole number or yes/no is kept as :data:`CORRUPT_ANSWER`.
    """
    items = json_list(raw_answers)
    positions = _question_ids(instrument, len(items))
    answers: list[dict[str, Any]] = []
    for item, position in zip(items, positions, strict=True):
        if isinstance(item, Mapping):
            question = text(first(item, "question_id", "questionId")) or position
            value = _answer_value(item.get("value"))
        else:
            question, value = position, _answer_value(item)
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
        "version": text(raw.get("version")),  # null when the portal shows none
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
