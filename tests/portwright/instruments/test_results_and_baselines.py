"""Scoring stored results: the portal's total is checked, never trusted; baselines/deltas."""

from __future__ import annotations

from typing import Any

import pytest

from portwright.entities import AssessmentResult, validate
from portwright.exceptions import PortwrightError
from portwright.instruments import (
    UnknownInstrumentError,
    apply_baselines,
    baseline_of,
    canonical_name,
    find_instrument,
    flags,
    get_instrument,
    score_result,
    score_results,
)


def result(
    result_id: str,
    completed_on: str,
    items: list[int | None] | None,
    *,
    instrument: str = "PHQ-9",
    prefix: str = "phq9",
    reported: int | None = None,
    patient: str = "pt_1",
) -> AssessmentResult:
    data: dict[str, Any] = {
        "assessmentResultId": result_id, "patientId": patient, "instrument": instrument,
        "version": "1.0", "completedOn": completed_on, "collectedVia": "patient_portal",
        "reportedScoreTotal": reported,
        "answers": [{"questionId": f"{prefix}_q{n}", "value": v}
                    for n, v in enumerate(items or [], start=1)],
    }
    return validate(AssessmentResult, data)


ITEMS_12 = [2, 1, 2, 1, 2, 1, 2, 1, 0]   # sums to 12
ITEMS_16 = [2, 2, 2, 2, 2, 2, 2, 2, 0]   # 16
ITEMS_9 = [1, 1, 1, 1, 1, 1, 1, 1, 1]    # 9, item 9 positive


def test_a_matching_portal_total_is_confirmed() -> None:
    scored = score_result(result("a", "2026-01-18T16:31:22Z", ITEMS_12, reported=12))
    assert (scored.score_total, scored.severity, scored.reported_score_total) == (
        12, "moderate", 12
    )
    assert scored.flags == []


def test_a_disagreeing_portal_total_is_flagged_and_the_items_win() -> None:
    scored = score_result(result("a", "2026-01-18T16:31:22Z", ITEMS_12, reported=15))
    assert scored.score_total == 12 and scored.severity == "moderate"
    assert scored.reported_score_total == 15
    assert flags.TOTAL_MISMATCH in scored.flags


def test_an_unprorated_portal_sum_disagrees_with_the_prorated_total() -> None:
    # One item missing; the portal summed 8 items to 4, the APA rule gives 4.5 → 5.
    scored = score_result(result("a", "2026-01-18T16:31:22Z",
                                 [1, 1, 1, 1, 0, 0, 0, 0, None], reported=4))
    assert scored.score_total == 5 and scored.severity == "mild"
    assert {flags.PRORATED, flags.TOTAL_MISMATCH, flags.SAFETY_ITEM_UNANSWERED} <= set(
        scored.flags
    )


def test_a_total_without_items_is_kept_but_marked_unverified() -> None:
    scored = score_result(result("a", "2026-01-18T16:31:22Z", None, reported=16))
    assert (scored.score_total, scored.severity) == (16, "moderately_severe")
    assert flags.TOTAL_UNVERIFIED in scored.flags
    assert flags.SAFETY_ITEM_UNANSWERED in scored.flags   # item 9 is unknown
    assert flags.INCOMPLETE not in scored.flags


@pytest.mark.parametrize(("instrument", "prefix", "reported"), [
    ("PHQ-9", "phq9", 40), ("GAD-7", "gad7", 22), ("PHQ-9", "phq9", -3),
    ("C-SSRS", "cssrs", 3),     # a triage: the reference gives it no total at all
])
def test_a_total_the_instrument_cannot_have_is_not_taken_as_its_score(
        instrument: str, prefix: str, reported: int) -> None:
    scored = score_result(result("a", "2026-01-18T16:31:22Z", None, instrument=instrument,
                                 prefix=prefix, reported=reported))
    assert (scored.score_total, scored.severity) == (None, None)
    assert scored.reported_score_total == reported
    assert flags.IMPOSSIBLE_TOTAL in scored.flags and flags.TOTAL_UNVERIFIED not in scored.flags
    # what is emitted must still be a valid entity
    assert AssessmentResult.model_validate_json(scored.model_dump_json()) == scored


def test_an_unknown_instrument_with_a_negative_total_still_gives_a_valid_entity() -> None:
    scored = score_result(result("a", "2026-01-18T16:31:22Z", [1], instrument="ASRS-v1.1",
                                 prefix="asrs", reported=-3))
    assert scored.score_total is None and scored.reported_score_total == -3
    assert flags.IMPOSSIBLE_TOTAL in scored.flags
    assert AssessmentResult.model_validate_json(scored.model_dump_json()) == scored


def test_too_few_items_drop_the_portal_total() -> None:
    scored = score_result(result("a", "2026-01-18T16:31:22Z",
                                 [3, 3, 3, 3, 3, 3, None, None, None], reported=18))
    assert (scored.score_total, scored.severity) == (None, None)
    assert scored.reported_score_total == 18 and flags.INCOMPLETE in scored.flags


@pytest.mark.parametrize("items", [ITEMS_9, [1, 1, 1, 1, 0, 0, 0, 0, None]])
def test_rescoring_without_a_portal_total_invents_none(items: list[int | None]) -> None:
    once = score_result(result("a", "2026-01-18T16:31:22Z", items))
    assert once.reported_score_total is None and once.score_total is not None
    assert score_result(once) == once


def test_scoring_is_idempotent_and_canonicalizes_the_name() -> None:
    once = score_result(result("a", "2026-01-18T16:31:22Z", ITEMS_9, instrument="phq9",
                               reported=10))
    twice = score_result(once)
    assert once == twice
    assert once.instrument == "PHQ-9"
    assert once.reported_score_total == 10 and once.score_total == 9
    assert flags.TOTAL_MISMATCH in once.flags and flags.SAFETY_FOLLOWUP in once.flags


def test_unknown_instruments_keep_the_portal_figures_and_say_so() -> None:
    scored = score_result(result("a", "2026-01-18T16:31:22Z", [1, 2], instrument="ASRS-v1.1",
                                 prefix="asrs", reported=3))
    assert scored.score_total == 3 and scored.flags == [flags.UNSCORED_INSTRUMENT]


def test_instrument_names_in_any_spelling() -> None:
    for spelling in ("PHQ-9", "phq9", "Phq 9", "PHQ_9"):
        assert canonical_name(spelling) == "PHQ-9"
    assert canonical_name("gad7") == "GAD-7" and canonical_name("c-ssrs") == "C-SSRS"
    assert canonical_name("pcl5") == "PCL-5" and canonical_name("Audit-C") == "AUDIT-C"
    assert find_instrument("PHQ-99") is None


def test_an_unknown_instrument_name_is_a_portwright_error_listing_the_known_ones() -> None:
    with pytest.raises(UnknownInstrumentError) as caught:
        get_instrument("BDI-II")
    assert isinstance(caught.value, PortwrightError) and isinstance(caught.value, LookupError)
    assert "'BDI-II'" in str(caught.value) and "PHQ-9" in str(caught.value)


def test_baseline_is_the_first_result_and_delta_follows_it() -> None:
    # Given out of order: the first completed (Jan 4) scores 16, the reference's baseline.
    later = result("r2", "2026-01-18T16:31:22Z", ITEMS_12)
    first = result("r1", "2026-01-04T16:00:00Z", ITEMS_16)
    latest = result("r3", "2026-02-01T16:00:00Z", ITEMS_9)
    scored = score_results([later, first, latest])
    assert [r.assessment_result_id for r in scored] == ["r2", "r1", "r3"]  # order kept
    by_id = {r.assessment_result_id: r for r in scored}
    assert (by_id["r1"].baseline_score, by_id["r1"].delta_from_baseline) == (16, 0)
    assert (by_id["r2"].baseline_score, by_id["r2"].delta_from_baseline) == (16, -4)
    assert (by_id["r3"].baseline_score, by_id["r3"].delta_from_baseline) == (16, -7)


def test_an_unscorable_first_result_cannot_be_the_baseline() -> None:
    unscorable = result("r1", "2026-01-04T16:00:00Z", [3, 3, 3, 3, None, None, None, 0, 0])
    second = result("r2", "2026-01-18T16:00:00Z", ITEMS_16)
    third = result("r3", "2026-02-01T16:00:00Z", ITEMS_12)
    by_id = {r.assessment_result_id: r for r in score_results([unscorable, second, third])}
    assert (by_id["r1"].baseline_score, by_id["r1"].delta_from_baseline) == (None, None)
    assert (by_id["r2"].baseline_score, by_id["r2"].delta_from_baseline) == (16, 0)
    assert (by_id["r3"].baseline_score, by_id["r3"].delta_from_baseline) == (16, -4)


def test_series_are_per_patient_and_per_instrument() -> None:
    results = [
        result("a1", "2026-01-04T16:00:00Z", ITEMS_16),
        result("b1", "2026-01-05T16:00:00Z", ITEMS_9, patient="pt_2"),
        result("g1", "2026-01-06T16:00:00Z", [1, 1, 1, 1, 1, 1, 1], instrument="GAD-7",
               prefix="gad7"),
        result("a2", "2026-01-20T16:00:00Z", ITEMS_12, instrument="phq9"),
        result("g2", "2026-01-21T16:00:00Z", [2, 2, 2, 2, 2, 2, 2], instrument="GAD-7",
               prefix="gad7"),
    ]
    by_id = {r.assessment_result_id: r for r in score_results(results)}
    assert by_id["a2"].baseline_score == 16 and by_id["a2"].delta_from_baseline == -4
    assert by_id["b1"].baseline_score == 9 and by_id["b1"].delta_from_baseline == 0
    assert by_id["g2"].baseline_score == 7 and by_id["g2"].delta_from_baseline == 7


def test_baseline_of_a_series() -> None:
    scored = [score_result(r) for r in (result("r2", "2026-01-18T16:31:22Z", ITEMS_12),
                                        result("r1", "2026-01-04T16:00:00Z", ITEMS_16))]
    base = baseline_of(scored)
    assert base is not None and base.assessment_result_id == "r1"
    assert baseline_of([]) is None


def test_apply_baselines_output_validates_as_entities() -> None:
    scored = apply_baselines([score_result(result("r1", "2026-01-04T16:00:00Z", ITEMS_16)),
                              score_result(result("r2", "2026-01-18T16:00:00Z", ITEMS_12))])
    for item in scored:
        assert validate(AssessmentResult, item.to_json_dict()) == item


def test_audit_c_sex_comes_from_the_patient() -> None:
    results = [
        result("m", "2026-01-04T16:00:00Z", [1, 1, 1], instrument="AUDIT-C", prefix="auditc",
               patient="pt_m"),
        result("f", "2026-01-04T16:00:00Z", [1, 1, 1], instrument="AUDIT-C", prefix="auditc",
               patient="pt_f"),
    ]
    by_id = {r.assessment_result_id: r for r in score_results(
        results, sex_by_patient={"pt_m": "male", "pt_f": "female"})}
    assert by_id["m"].severity == "negative" and by_id["f"].severity == "positive"
