"""Outcome-measure instruments: scoring, severity, safety flags, baseline and change.

Rules follow ``shared/reference/instruments.md`` (PHQ-9, PHQ-A, PHQ-8, PHQ-2, GAD-7,
GAD-2, PCL-5, AUDIT-C, C-SSRS screener). Scores are always computed from item answers;
:func:`score_results` scores a batch of :class:`~portwright.entities.AssessmentResult`
and sets each patient's baseline and delta.
"""

from __future__ import annotations

from portwright.instruments import flags
from portwright.instruments.base import Answers, Instrument, Score, ScoringOptions
from portwright.instruments.baseline import apply_baselines, baseline_of
from portwright.instruments.registry import (
    INSTRUMENTS,
    UnknownInstrumentError,
    canonical_name,
    find_instrument,
    get_instrument,
)
from portwright.instruments.scoring import score_result, score_results

__all__ = [
    "INSTRUMENTS",
    "Answers",
    "Instrument",
    "Score",
    "ScoringOptions",
    "UnknownInstrumentError",
    "apply_baselines",
    "baseline_of",
    "canonical_name",
    "find_instrument",
    "flags",
    "get_instrument",
    "score_result",
    "score_results",
]
