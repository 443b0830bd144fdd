"""Score an assessment result from its items, and never silently trust the portal's total.

:func:`score_result` recomputes ``scoreTotal``, ``severity``, ``subscores`` and ``flags``
from the answers. The portal's own total is kept in ``reportedScoreTotal``; when it
differs from the computed one the result is flagged ``total_mismatch`` and the computed
total wins. When the portal gave a total but no item answers at all, the total is kept
and flagged ``total_unverified``. Scoring is idempotent: rescoring a scored result gives
the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from portwright.entities.assessment import AssessmentResult
from portwright.instruments import flags
from portwright.instruments.base import ScoringOptions
from portwright.instruments.baseline import apply_baselines
from portwright.instruments.registry import find_instrument

__all__ = ["score_result", "score_results"]


def score_result(
    result: AssessmentResult, options: ScoringOptions | None = None
) -> AssessmentResult:
    """A copy of ``result`` with scores, severity and flags computed from its answers.

    Baselines are a property of the patient's series; see :func:`score_results`.
    """
    options = options or ScoringOptions()
    reported = (
        result.reported_score_total
        if result.reported_score_total is not None
        else result.score_total
    )
    instrument = find_instrument(result.instrument)
    if instrument is None:
        return result.model_copy(update={
            "reported_score_total": reported,
            "score_total": reported,
            "flags": [flags.UNSCORED_INSTRUMENT],
        })
    answers = result.answer_map()
    score = instrument.score(answers, options)
    found = list(score.flags)
    total, severity = score.total, score.severity
    has_answers = any(value is not None for value in answers.values())
    if not has_answers and reported is not None:
        total = reported
        severity = instrument.severity_for_total(reported, options)
        found = [f for f in found if f != flags.INCOMPLETE] + [flags.TOTAL_UNVERIFIED]
    elif total is not None and reported is not None and total != reported:
        found.append(flags.TOTAL_MISMATCH)
    return result.model_copy(update={
        "instrument": instrument.name,
        "reported_score_total": reported,
        "score_total": total,
        "severity": severity,
        "subscores": dict(score.subscores),
        "flags": list(dict.fromkeys(found)),
        "baseline_score": None,
        "delta_from_baseline": None,
    })


def score_results(
    results: Iterable[AssessmentResult],
    *,
    sex_by_patient: Mapping[str, str] | None = None,
    options: ScoringOptions | None = None,
) -> list[AssessmentResult]:
    """Score every result and set each patient's baseline and delta, keeping the order.

    ``sex_by_patient`` (patient id → ``male``/``female``/...) feeds the AUDIT-C cut point.
    """
    base = options or ScoringOptions()
    sexes = sex_by_patient or {}
    scored = [
        score_result(
            result,
            ScoringOptions(sex=sexes.get(result.patient_id, base.sex),
                           pcl5_cutoff=base.pcl5_cutoff),
        )
        for result in results
    ]
    return apply_baselines(scored)
