"""PHQ-9, PHQ-A, PHQ-8, PHQ-2: bands, item-9 safety, APA prorating (instruments.md)."""

from __future__ import annotations

import pytest

from portwright.entities.assessment import AnswerValue
from portwright.instruments import ScoringOptions, flags, get_instrument

OPTIONS = ScoringOptions()


def phq(values: list[AnswerValue], prefix: str = "phq9") -> dict[str, AnswerValue]:
    """Answers for items 1..n in order; ``None`` leaves an item unanswered."""
    return {f"{prefix}_q{n}": v for n, v in enumerate(values, start=1) if v is not None}


# Totals picked at every band edge; items chosen by hand to sum to them (item 9 = 0).
@pytest.mark.parametrize(
    ("items", "total", "severity"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ([2, 2, 2, 2, 1, 0, 0, 0, 0], 9, "mild"),
        ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"),
        ([2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate"),
        ([3, 3, 3, 2, 2, 2, 0, 0, 0], 15, "moderately_severe"),
        ([3, 3, 3, 3, 3, 3, 1, 0, 0], 19, "moderately_severe"),
        ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"),
    ],
)
def test_phq9_bands(items: list[int], total: int, severity: str) -> None:
    score = get_instrument("PHQ-9").score(phq(items), OPTIONS)
    assert (score.total, score.severity) == (total, severity)


def test_item9_positive_flags_a_same_day_follow_up_whatever_the_total() -> None:
    score = get_instrument("PHQ-9").score(phq([0, 0, 0, 0, 0, 0, 0, 0, 1]), OPTIONS)
    assert (score.total, score.severity) == (1, "minimal")
    assert flags.SAFETY_FOLLOWUP in score.flags and flags.ITEM9_POSITIVE in score.flags


def test_item9_zero_raises_no_safety_flag_but_unanswered_does() -> None:
    phq9 = get_instrument("PHQ-9")
    zero = phq9.score(phq([3, 3, 3, 3, 3, 3, 3, 3, 0]), OPTIONS)
    assert zero.total == 24 and zero.severity == "severe"
    assert flags.SAFETY_FOLLOWUP not in zero.flags
    assert flags.SAFETY_ITEM_UNANSWERED not in zero.flags
    # Item 9 missing: a missing answer is not a clearance.
    missing = phq9.score(phq([1, 1, 1, 1, 1, 1, 1, 1, None]), OPTIONS)
    assert flags.SAFETY_ITEM_UNANSWERED in missing.flags
    assert flags.SAFETY_FOLLOWUP not in missing.flags


def test_difficulty_question_is_not_scored() -> None:
    answers = phq([1, 1, 1, 1, 1, 0, 0, 0, 0]) | {"phq9_q10": 3}
    score = get_instrument("PHQ-9").score(answers, OPTIONS)
    assert score.total == 5 and flags.UNKNOWN_QUESTION not in score.flags


def test_phq2_is_reported_as_a_subscore() -> None:
    score = get_instrument("PHQ-9").score(phq([2, 1, 0, 0, 0, 0, 0, 0, 0]), OPTIONS)
    assert score.subscores == {"phq2": 3}


# APA rule: 1-2 missing → round(raw_sum * 9 / n_answered); ≥ 3 missing → no total.
@pytest.mark.parametrize(
    ("items", "total", "severity"),
    [
        # 8 answered, raw 4: 4 * 9 / 8 = 4.5 → 5 (half rounds up, not to even) → mild
        ([1, 1, 1, 1, 0, 0, 0, 0, None], 5, "mild"),
        # 8 answered, raw 9: 81 / 8 = 10.125 → 10, crossing into moderate
        ([2, 2, 2, 2, 1, 0, 0, None, 0], 10, "moderate"),
        # 7 answered, raw 10: 90 / 7 = 12.86 → 13
        ([2, 2, 2, 2, 2, None, None, 0, 0], 13, "moderate"),
        # 7 answered, raw 3: 27 / 7 = 3.86 → 4
        ([None, 1, 1, 1, 0, 0, 0, None, 0], 4, "minimal"),
    ],
)
def test_one_or_two_missing_items_are_prorated(
    items: list[int | None], total: int, severity: str
) -> None:
    score = get_instrument("PHQ-9").score(phq(items), OPTIONS)
    assert (score.total, score.severity) == (total, severity)
    assert flags.PRORATED in score.flags


def test_three_missing_items_mean_no_total() -> None:
    score = get_instrument("PHQ-9").score(phq([3, 3, 3, 3, 3, 3, None, None, None]), OPTIONS)
    assert (score.total, score.severity) == (None, None)
    assert flags.INCOMPLETE in score.flags
    assert flags.SAFETY_ITEM_UNANSWERED in score.flags


def test_explicit_null_counts_as_missing_not_zero() -> None:
    answers: dict[str, AnswerValue] = phq([1, 1, 1, 1, 0, 0, 0, 0]) | {"phq9_q9": None}
    assert get_instrument("PHQ-9").score(answers, OPTIONS).total == 5  # prorated, not 4


@pytest.mark.parametrize("bad", [4, -1, 7, True])
def test_out_of_range_answers_give_no_total(bad: AnswerValue) -> None:
    score = get_instrument("PHQ-9").score(phq([1, 1, 1, bad, 1, 1, 1, 1, 0]), OPTIONS)
    assert (score.total, score.severity) == (None, None)
    assert flags.OUT_OF_RANGE_ANSWER in score.flags
    assert flags.PRORATED not in score.flags


def test_out_of_range_item9_is_not_a_clearance() -> None:
    score = get_instrument("PHQ-9").score(phq([0, 0, 0, 0, 0, 0, 0, 0, 5]), OPTIONS)
    assert flags.SAFETY_ITEM_UNANSWERED in score.flags


def test_unknown_questions_are_flagged() -> None:
    answers = phq([0] * 9) | {"gad7_q1": 2}
    assert flags.UNKNOWN_QUESTION in get_instrument("PHQ-9").score(answers, OPTIONS).flags


def test_phq_a_uses_phq9_bands_and_prorating() -> None:
    phqa = get_instrument("PHQ-A")
    score = phqa.score(phq([3, 3, 3, 3, 3, 0, 0, 0, 0], "phqa"), OPTIONS)
    assert (score.total, score.severity) == (15, "moderately_severe")
    # 8 answered, raw 12: 108 / 8 = 13.5 → 14
    prorated = phqa.score(phq([3, 3, 3, 3, None, 0, 0, 0, 0], "phqa"), OPTIONS)
    assert (prorated.total, prorated.severity) == (14, "moderate")
    incomplete = phqa.score(phq([3, 3, 3, 3, None, None, None, 0, 0], "phqa"), OPTIONS)
    assert incomplete.total is None and flags.INCOMPLETE in incomplete.flags


@pytest.mark.parametrize(
    "question", ["phqa_suicidal_thoughts_past_month", "phqa_suicide_attempt_ever"]
)
def test_phq_a_extra_suicide_questions_need_follow_up(question: str) -> None:
    phqa = get_instrument("PHQ-A")
    answers = phq([0] * 9, "phqa")
    assert flags.SAFETY_FOLLOWUP not in phqa.score(answers | {question: False}, OPTIONS).flags
    score = phqa.score(answers | {question: True}, OPTIONS)
    assert score.total == 0  # unscored: the total is untouched
    assert {flags.SAFETY_FOLLOWUP, flags.SUICIDE_ITEM_POSITIVE} <= set(score.flags)


def test_phq_a_item9_rule() -> None:
    score = get_instrument("PHQ-A").score(phq([0] * 8 + [2], "phqa"), OPTIONS)
    assert flags.ITEM9_POSITIVE in score.flags and flags.SAFETY_FOLLOWUP in score.flags


def test_phq8_same_bands_no_item9_no_prorating() -> None:
    phq8 = get_instrument("PHQ-8")
    score = phq8.score(phq([3, 3, 3, 3, 3, 3, 2, 0], "phq8"), OPTIONS)
    assert (score.total, score.severity) == (20, "severe")
    assert flags.SAFETY_ITEM_UNANSWERED not in score.flags
    assert phq8.score(phq([3, 3, 3, 3, 3, 3, 2, None], "phq8"), OPTIONS).total is None


@pytest.mark.parametrize(("q1", "q2", "severity"), [(1, 1, "negative"), (2, 1, "positive"),
                                                      (3, 3, "positive"), (0, 2, "negative")])
def test_phq2_positive_at_three(q1: int, q2: int, severity: str) -> None:
    score = get_instrument("PHQ-2").score({"phq2_q1": q1, "phq2_q2": q2}, OPTIONS)
    assert (score.total, score.severity) == (q1 + q2, severity)
    assert (flags.POSITIVE_SCREEN in score.flags) == (severity == "positive")
