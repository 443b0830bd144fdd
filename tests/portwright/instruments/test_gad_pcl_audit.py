"""GAD-7/GAD-2, PCL-5 and AUDIT-C rules from instruments.md."""

from __future__ import annotations

import pytest

from portwright.entities.assessment import AnswerValue
from portwright.instruments import ScoringOptions, flags, get_instrument

OPTIONS = ScoringOptions()


def items(prefix: str, values: list[AnswerValue]) -> dict[str, AnswerValue]:
    return {f"{prefix}_q{n}": v for n, v in enumerate(values, start=1) if v is not None}


@pytest.mark.parametrize(
    ("values", "total", "severity"),
    [
        ([0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        ([2, 2, 2, 2, 1, 0, 0], 9, "mild"),
        ([2, 2, 2, 2, 2, 0, 0], 10, "moderate"),
        ([2, 2, 2, 2, 2, 2, 2], 14, "moderate"),
        ([3, 3, 3, 2, 2, 2, 0], 15, "severe"),   # no "moderately severe" band for GAD-7
        ([3, 3, 3, 3, 3, 3, 3], 21, "severe"),
    ],
)
def test_gad7_bands(values: list[int], total: int, severity: str) -> None:
    score = get_instrument("GAD-7").score(items("gad7", values), OPTIONS)
    assert (score.total, score.severity) == (total, severity)


def test_gad7_does_not_prorate_and_reports_gad2() -> None:
    gad7 = get_instrument("GAD-7")
    score = gad7.score(items("gad7", [3, 3, 3, 3, 3, 3, None]), OPTIONS)
    assert (score.total, score.severity) == (None, None)
    assert flags.INCOMPLETE in score.flags and flags.PRORATED not in score.flags
    assert gad7.score(items("gad7", [2, 1, 0, 0, 0, 0, 0]), OPTIONS).subscores == {"gad2": 3}
    difficulty = gad7.score(items("gad7", [0] * 7) | {"gad7_q8": 2}, OPTIONS)
    assert difficulty.total == 0


def test_gad2_positive_at_three() -> None:
    gad2 = get_instrument("GAD-2")
    assert gad2.score({"gad2_q1": 1, "gad2_q2": 2}, OPTIONS).severity == "positive"
    assert gad2.score({"gad2_q1": 1, "gad2_q2": 1}, OPTIONS).severity == "negative"
    assert gad2.score({"gad2_q1": 3}, OPTIONS).total is None


def pcl(values: list[AnswerValue]) -> dict[str, AnswerValue]:
    assert len(values) == 20
    return items("pcl5", values)


def test_pcl5_total_and_cluster_sums() -> None:
    # B items 1-5, C 6-7, D 8-14, E 15-20.
    values: list[AnswerValue] = [4, 3, 2, 1, 0,  1, 2,  0, 1, 2, 3, 4, 0, 1,  2, 2, 2, 2, 2, 2]
    score = get_instrument("PCL-5").score(pcl(values), OPTIONS)
    assert score.total == 10 + 3 + 11 + 12 == 36
    assert score.subscores == {"cluster_b": 10, "cluster_c": 3, "cluster_d": 11,
                               "cluster_e": 12}
    assert score.severity == "probable_ptsd"
    assert flags.POSITIVE_SCREEN in score.flags


def test_pcl5_cutoff_is_a_setting() -> None:
    pcl5 = get_instrument("PCL-5")
    answers = pcl([2] * 16 + [0] * 4)  # 32
    assert pcl5.score(answers, OPTIONS).severity == "below_cutoff"  # default 33
    assert pcl5.score(answers, ScoringOptions(pcl5_cutoff=31)).severity == "probable_ptsd"
    at_default = pcl([2] * 16 + [1, 0, 0, 0])  # 33
    assert pcl5.score(at_default, OPTIONS).severity == "probable_ptsd"
    assert pcl5.score(at_default, ScoringOptions(pcl5_cutoff=38)).severity == "below_cutoff"
    with pytest.raises(ValueError):
        ScoringOptions(pcl5_cutoff=81)


def test_pcl5_provisional_diagnosis_pattern() -> None:
    pcl5 = get_instrument("PCL-5")
    # Exactly the minimum: one B, one C, two D, two E items at 2 ("moderately").
    minimum: list[AnswerValue] = [2, 0, 0, 0, 0,  0, 2,  2, 2, 0, 0, 0, 0, 0,  0, 0, 0, 0, 2, 2]
    score = pcl5.score(pcl(minimum), OPTIONS)
    assert score.total == 12 and score.severity == "below_cutoff"
    assert flags.PROVISIONAL_PTSD in score.flags
    # Only one E item endorsed; the others at 1 ("a little bit") do not count.
    one_e: list[AnswerValue] = [2, 0, 0, 0, 0,  0, 2,  2, 2, 0, 0, 0, 0, 0,  1, 1, 1, 1, 1, 2]
    assert flags.PROVISIONAL_PTSD not in pcl5.score(pcl(one_e), OPTIONS).flags


def test_pcl5_missing_and_out_of_range() -> None:
    pcl5 = get_instrument("PCL-5")
    missing = pcl5.score(pcl([4] * 19 + [None]), OPTIONS)
    assert missing.total is None and flags.INCOMPLETE in missing.flags
    assert "cluster_e" not in missing.subscores and missing.subscores["cluster_b"] == 20
    bad = pcl5.score(pcl([4] * 19 + [5]), OPTIONS)
    assert bad.total is None and flags.OUT_OF_RANGE_ANSWER in bad.flags


@pytest.mark.parametrize(
    ("sex", "values", "severity"),
    [
        ("male", [1, 1, 1], "negative"),     # 3 < 4
        ("male", [2, 1, 1], "positive"),     # 4
        ("female", [1, 1, 1], "positive"),   # 3
        ("female", [1, 1, 0], "negative"),   # 2
        ("female", [0, 0, 0], "negative"),   # 0: no alcohol use
        ("male", [4, 4, 4], "positive"),     # 12, the maximum
    ],
)
def test_audit_c_cut_points_by_sex(sex: str, values: list[int], severity: str) -> None:
    score = get_instrument("AUDIT-C").score(items("auditc", values), ScoringOptions(sex=sex))
    assert (score.total, score.severity) == (sum(values), severity)
    assert flags.SEX_UNKNOWN not in score.flags


def test_audit_c_unknown_sex_uses_the_lower_cut_point_and_says_so() -> None:
    score = get_instrument("AUDIT-C").score(items("auditc", [1, 1, 1]), ScoringOptions())
    assert score.severity == "positive"
    assert flags.SEX_UNKNOWN in score.flags and flags.POSITIVE_SCREEN in score.flags


def test_audit_c_items_run_to_four_only() -> None:
    score = get_instrument("AUDIT-C").score(items("auditc", [5, 0, 0]), ScoringOptions(sex="male"))
    assert score.total is None and flags.OUT_OF_RANGE_ANSWER in score.flags
