"""PHQ-2 and GAD-2: two-item screens (items 1 and 2 of PHQ-9 / GAD-7, 0-6); a total of
3 or more is a positive screen. No prorating: with two items, one missing is no screen."""

from __future__ import annotations

from dataclasses import dataclass

from portwright.instruments import flags
from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import Scale

__all__ = ["GAD2", "PHQ2", "SCREEN_CUTOFF", "TwoItemScreen"]

#: Positive screen at a total of 3 or more (PHQ-2: Kroenke 2003; GAD-2: Spitzer 2006).
SCREEN_CUTOFF = 3


@dataclass(frozen=True)
class TwoItemScreen:
    """A two-item screen with the ≥ 3 cut point."""

    name: str
    aliases: tuple[str, ...]
    scale: Scale
    severities: tuple[str, ...] = ("negative", "positive")

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scale.question_ids

    @property
    def max_total(self) -> int | None:
        return self.scale.max_total

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return "positive" if total >= SCREEN_CUTOFF else "negative"

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        total = self.scale.total(answers)
        if total.value is None:
            return Score(None, None, total.flags)
        severity = self.severity_for_total(total.value, options)
        found = total.flags + ((flags.POSITIVE_SCREEN,) if severity == "positive" else ())
        return Score(total.value, severity, found)


PHQ2 = TwoItemScreen("PHQ-2", ("PHQ2",), Scale("phq2", items=2, item_max=3))
GAD2 = TwoItemScreen("GAD-2", ("GAD2",), Scale("gad2", items=2, item_max=3))
