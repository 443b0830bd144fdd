"""Score an assessment result from its items, and never silently trust the portal's total.

:func:`score_result` recomputes ``scoreTotal``, ``severity``, ``subscores`` and ``flags``
from the answers. The portal's own total is kept in ``reportedScoreTotal``; when it
differs from the computed one the result is flagged ``total_mismatch`` and the computed
total wins. When the portal gave a total but no item answers at all, the total is kept
and flagged ``total_unverified``, unless the instrument cannot have that total (a PHQ-9
of 40, a negative figure, any total for the C-SSRS): then there is no total, and the
result is flagged ``impossible_total``. Scoring is idempotent: rescoring a scored result gives
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
    # Only reportedScoreTotal is the portal's figure: scoreTotal is what scoring computed,
    # and reading it back as "reported" would make a second scoring invent one.
    reported = result.reported_score_total
    instrument = find_instrument(result.instrument)
    if instrument is None:
        possible = reported is None or reported >= 0
        return result.model_copy(update={
            "reported_score_total": reported,
            "score_total": reported if possible else None,
            "flags": [flags.UNSCORED_INSTRUMENT]
            + ([] if possible else [flags.IMPOSSIBLE_TOTAL]),
        })
    answers = result.answer_map()
    score = instrument.score(answers, options)
    found = list(score.flags)
    total, severity = score.total, score.severity
    has_answers = any(value is not None for value in answers.values())
    if not has_answers and reported is not None:
        found = [f for f in found if f != flags.INCOMPLETE]
        if _possible(reported, instrument.max_total):
            total = reported
            severity = instrument.severity_for_total(reported, options)
            found.append(flags.TOTAL_UNVERIFIED)
        else:
            found += [flags.IMPOSSIBLE_TOTAL, flags.INCOMPLETE]
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


def _possible(total: int, max_total: int | None) -> bool:
    """Whether a portal's total can be a sum of the instrument's items at all."""
    return max_total is not None and 0 <= total <= max_total


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
