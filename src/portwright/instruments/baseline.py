"""Baseline and change: where a patient started on an instrument and how far they moved.

The baseline is the patient's first result for that instrument (by ``completedOn``) that
has a total; a first administration with no usable total (too many items missing) cannot
anchor a change score, so the next scored one does. ``deltaFromBaseline`` is
``scoreTotal - baselineScore``: negative means fewer symptoms on every instrument here.
Results before the baseline, and results without a total, get no delta.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from portwright.entities.assessment import AssessmentResult
from portwright.instruments.registry import instrument_key

__all__ = ["apply_baselines", "baseline_of", "series_key"]


def series_key(result: AssessmentResult) -> tuple[str, str]:
    """Which series a result belongs to: (patient, instrument in any spelling)."""
    return result.patient_id, instrument_key(result.instrument)


def _chronological(results: Iterable[AssessmentResult]) -> list[AssessmentResult]:
    return sorted(results, key=lambda r: (r.completed_on, r.assessment_result_id))


def baseline_of(series: Iterable[AssessmentResult]) -> AssessmentResult | None:
    """The baseline result of one patient's series for one instrument, if any."""
    return next((r for r in _chronological(series) if r.score_total is not None), None)


def apply_baselines(results: Sequence[AssessmentResult]) -> list[AssessmentResult]:
    """Copies of ``results`` (same order) with ``baselineScore``/``deltaFromBaseline`` set."""
    groups: dict[tuple[str, str], list[AssessmentResult]] = defaultdict(list)
    for result in results:
        groups[series_key(result)].append(result)
    updates: dict[int, AssessmentResult] = {}
    for series in groups.values():
        baseline = baseline_of(series)
        for result in series:
            score, delta = None, None
            if baseline is not None and (result.completed_on, result.assessment_result_id) >= (
                baseline.completed_on, baseline.assessment_result_id
            ):
                score = baseline.score_total
                if result.score_total is not None and score is not None:
                    delta = result.score_total - score
            updates[id(result)] = result.model_copy(
                update={"baseline_score": score, "delta_from_baseline": delta}
            )
    return [updates[id(result)] for result in results]
