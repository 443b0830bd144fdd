"""C-SSRS screener triage (instruments.md): highest item endorsed, skip logic, no total."""

from __future__ import annotations

import pytest

from portwright.entities.assessment import AnswerValue
from portwright.instruments import ScoringOptions, flags, get_instrument

CSSRS = get_instrument("C-SSRS")


def screen(**answers: AnswerValue) -> dict[str, AnswerValue]:
    return {f"cssrs_{key}": value for key, value in answers.items()}


NO_TO_ALL = screen(q1=False, q2=False, q6=False)  # 3-5 skipped because q2 is "no"


@pytest.mark.parametrize(
    ("answers", "severity"),
    [
        (NO_TO_ALL, "none"),
        (screen(q1=True, q2=False, q6=False), "low"),
        (screen(q1=True, q2=True, q3=False, q4=False, q5=False, q6=False), "low"),
        (screen(q1=True, q2=True, q3=True, q4=False, q5=False, q6=False), "moderate"),
        (screen(q1=False, q2=False, q6=True, q6_past_3_months=False), "moderate"),
        (screen(q1=True, q2=True, q3=True, q4=True, q5=False, q6=False), "high"),
        (screen(q1=True, q2=True, q3=True, q4=False, q5=True, q6=False), "high"),
        (screen(q1=False, q2=False, q6=True, q6_past_3_months=True), "high"),
    ],
)
def test_triage_by_highest_item(answers: dict[str, AnswerValue], severity: str) -> None:
    score = CSSRS.score(answers, ScoringOptions())
    assert score.severity == severity
    assert score.total is None  # the C-SSRS has no total score
    assert (flags.IMMEDIATE_EVALUATION in score.flags) == (severity == "high")
    assert (flags.SAFETY_FOLLOWUP in score.flags) == (severity != "none")


def test_yes_no_may_be_given_as_one_and_zero() -> None:
    score = CSSRS.score(screen(q1=1, q2=0, q6=0), ScoringOptions())
    assert score.severity == "low"


def test_answers_beyond_a_no_to_question_2_are_used_and_flagged() -> None:
    score = CSSRS.score(screen(q1=False, q2=False, q4=True, q6=False), ScoringOptions())
    assert score.severity == "high"
    assert flags.SKIP_LOGIC_VIOLATION in score.flags


@pytest.mark.parametrize(
    "answers",
    [
        screen(q2=False, q6=False),                           # q1 unanswered
        screen(q1=True, q2=True, q6=False),                   # q3-5 asked but unanswered
        screen(q1=False, q2=False, q6=True),                  # when was the behavior?
        screen(q1=False, q2=False),                           # q6 unanswered
    ],
)
def test_an_undecidable_level_is_not_guessed(answers: dict[str, AnswerValue]) -> None:
    score = CSSRS.score(answers, ScoringOptions())
    assert score.severity is None
    assert flags.INCOMPLETE in score.flags


def test_a_high_answer_settles_the_level_even_if_others_are_missing() -> None:
    score = CSSRS.score(screen(q4=True), ScoringOptions())
    assert score.severity == "high" and flags.IMMEDIATE_EVALUATION in score.flags


def test_non_yes_no_answers_are_flagged() -> None:
    score = CSSRS.score(screen(q1=2, q2=False, q6=False), ScoringOptions())
    assert flags.OUT_OF_RANGE_ANSWER in score.flags and score.severity is None


def test_recent_behavior_after_a_no_to_question_6_is_high_and_flagged() -> None:
    # instruments.md: "High risk: ... or behavior in the past 3 months" → immediate
    # evaluation. "Yes, within the past 3 months" contradicts "no" to the lifetime
    # question; the follow-up is only asked after a "yes", so the skip logic was broken.
    # On the side of safety the report of recent behavior is believed.
    score = CSSRS.score(screen(q1=False, q2=False, q6=False, q6_past_3_months=True),
                        ScoringOptions())
    assert score.severity == "high"
    assert flags.IMMEDIATE_EVALUATION in score.flags
    assert flags.SAFETY_FOLLOWUP in score.flags
    assert flags.SKIP_LOGIC_VIOLATION in score.flags


def test_recent_behavior_settles_high_even_if_question_6_is_unanswered() -> None:
    score = CSSRS.score(screen(q1=False, q2=False, q6_past_3_months=1), ScoringOptions())
    assert score.severity == "high" and flags.IMMEDIATE_EVALUATION in score.flags
    assert flags.SKIP_LOGIC_VIOLATION not in score.flags  # nothing contradicts it


def test_a_no_to_the_follow_up_after_a_no_to_question_6_changes_nothing() -> None:
    score = CSSRS.score(screen(q1=False, q2=False, q6=False, q6_past_3_months=False),
                        ScoringOptions())
    assert score.severity == "none" and score.flags == ()
