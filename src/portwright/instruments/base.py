"""What every instrument provides, and the result of scoring one administration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from portwright.entities.assessment import AnswerValue

__all__ = ["Answers", "Instrument", "Score", "ScoringOptions"]

Answers = Mapping[str, AnswerValue]
"""Item answers by question id (``phq9_q1`` → 2); ``None`` or absent = unanswered."""

DEFAULT_PCL5_CUTOFF = 33


@dataclass(frozen=True)
class ScoringOptions:
    """Facts scoring needs beyond the answers.

    ``sex`` picks the AUDIT-C cut point (``"male"``/``"female"``; anything else uses the
    lower one). ``pcl5_cutoff`` is a setting because the literature gives 31-33 (older
    guidance 38).
    """

    sex: str | None = None
    pcl5_cutoff: int = DEFAULT_PCL5_CUTOFF

    def __post_init__(self) -> None:
        if not 0 < self.pcl5_cutoff <= 80:
            raise ValueError("pcl5_cutoff must be between 1 and 80 (PCL-5 totals are 0-80)")


@dataclass(frozen=True)
class Score:
    """Scoring outcome: ``total``/``severity`` are ``None`` when not determinable."""

    total: int | None
    severity: str | None
    flags: tuple[str, ...] = ()
    subscores: Mapping[str, int] = field(default_factory=dict)


class Instrument(Protocol):
    """One outcome measure: its name, its questions, and how to score them."""

    @property
    def name(self) -> str:
        """Canonical name, as results carry it (``PHQ-9``)."""
        ...

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other spellings portals use (``PHQ9``, ``Patient Health Questionnaire-9``)."""
        ...

    @property
    def question_ids(self) -> tuple[str, ...]:
        """Every question id the instrument knows, scored or not."""
        ...

    @property
    def severities(self) -> tuple[str, ...]:
        """The severity labels it can return, lowest first."""
        ...

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        """Score one administration from its item answers."""
        ...

    @property
    def max_total(self) -> int | None:
        """The highest total the items can sum to; ``None`` when there is no total
        (C-SSRS). A portal total outside ``0..max_total`` is impossible data."""
        ...

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        """The severity a total means, used when only the portal's total is known."""
        ...
