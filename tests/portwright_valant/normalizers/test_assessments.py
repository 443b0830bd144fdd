"""Assessment item answers as the portal gives them: bare lists in the instrument's own
question order, and answers that are not a score flagged instead of guessed."""

from __future__ import annotations

from typing import Any

import pytest

from portwright.entities import AssessmentResult
from portwright.instruments import get_instrument
from portwright_valant.adapter import ValantAdapter
from portwright_valant.normalizers.assessments import (
    normalize_answers,
    normalize_assessment_result,
)

NORMALIZE = ValantAdapter.normalizers


def result(instrument: str, answers: list[Any]) -> AssessmentResult:
    entity = NORMALIZE["AssessmentResult"]({
        "assessment_result_id": "asr_1", "patient_id": "pt_1", "instrument": instrument,
        "completed_on": "2026-01-18T16:31:22Z", "collected_via": "patient_portal",
        "provider_id": "prv_1", "answers": answers})
    assert isinstance(entity, AssessmentResult)
    return entity


def test_a_bare_cssrs_list_puts_the_7th_answer_on_the_past_3_months_question() -> None:
    # C-SSRS in its item order (docs/entities.md): q1..q6, then "within the past 3
    # months?". Behavior in the past 3 months is high risk (instruments.md).
    scored = result("C-SSRS", [0, 0, 0, 0, 0, 1, 1])
    assert [a.question_id for a in scored.answers][-1] == "cssrs_q6_past_3_months"
    assert scored.severity == "high"
    assert "immediate_evaluation" in scored.flags
    assert "unknown_question" not in scored.flags


@pytest.mark.parametrize("name", ["PHQ-9", "PHQ-A", "PHQ-8", "GAD-7", "PCL-5", "AUDIT-C",
                                  "C-SSRS", "PHQ-2", "GAD-2"])
def test_a_full_bare_list_uses_every_instrument_s_own_question_ids(name: str) -> None:
    ids = get_instrument(name).question_ids
    answers = normalize_answers(name, [0] * len(ids))
    assert tuple(a["questionId"] for a in answers) == ids


def test_answers_beyond_the_instrument_s_questions_are_reported_not_dropped() -> None:
    scored = result("C-SSRS", [0, 0, 0, 0, 0, 0, 0, 0])
    assert scored.answers[-1].question_id == "cssrs_q8"
    assert "unknown_question" in scored.flags


FULL_WIDTH_2 = "\uff12"  # what an IME types for 2; int() reads it, a score it is not


@pytest.mark.parametrize("corrupt", ["2.5", "3/3", 2.5, FULL_WIDTH_2, "Not at all", "2 - 3"])
def test_an_answer_that_is_not_a_whole_score_means_no_total(corrupt: Any) -> None:
    # docs/entities.md: a wrongly typed answer is corrupt data: no total, no prorating,
    # out_of_range_answer. "2.5" must not quietly become 2 (nor "3/3" become 3).
    scored = result("PHQ-9", [corrupt, 1, 1, 1, 1, 1, 1, 1, 0])
    assert scored.score_total is None and scored.severity is None
    assert "out_of_range_answer" in scored.flags
    assert "prorated" not in scored.flags


def test_a_corrupt_safety_item_is_risk_unknown() -> None:
    scored = result("PHQ-9", [1, 1, 1, 1, 1, 1, 1, 1, "0.5"])
    assert "safety_item_unanswered" in scored.flags and scored.score_total is None


@pytest.mark.parametrize(("shown", "value"), [
    ("2", 2), (" 3 ", 3), ("2 — More than half the days", 2), (2.0, 2), ("Yes", True),
    ("no", False), ("", None), (None, None),
])
def test_whole_numbers_labels_and_yes_no_are_read(shown: Any, value: Any) -> None:
    assert normalize_answers("PHQ-9", [shown])[0]["value"] == value


def test_a_corrupt_answer_is_not_echoed_in_an_error() -> None:
    # The whole result still comes through (flagged), so no message ever quotes the
    # patient's answer.
    scored = result("C-SSRS", ["Maybe, sometimes", False, None, None, None, False])
    assert "out_of_range_answer" in scored.flags


def test_a_result_whose_page_shows_no_version_has_none_not_an_invented_one() -> None:
    """The instrument version is what the portal shows: a page without one gives null
    (the entity allows it), never a made-up "1.0" an integrator would take as read."""
    result = normalize_assessment_result({
        "id": "ar-1", "patient_id": "p-1", "instrument": "PHQ-9",
        "answers": [0, 1, 2, 0, 1, 0, 0, 1, 0], "completed_on": "2026-03-02T14:05:00Z",
    })
    assert result.version is None
    assert normalize_assessment_result({
        "id": "ar-2", "patient_id": "p-1", "instrument": "PHQ-9", "version": "2.1",
        "answers": [0] * 9, "completed_on": "2026-03-02T14:05:00Z",
    }).version == "2.1"
