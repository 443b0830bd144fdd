"""PHQ-8: the PHQ-9 without item 9 (0-24, same bands). No safety item, no prorating
(the reference defines prorating only for the APA PHQ-9/PHQ-A measure)."""

from __future__ import annotations

from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import Scale, band
from portwright.instruments.phq9 import PHQ_BANDS, phq2_subscore

__all__ = ["PHQ8", "Phq8"]


class Phq8:
    """The PHQ-8."""

    name: str = "PHQ-8"
    aliases: tuple[str, ...] = ("PHQ8",)
    scale = Scale("phq8", items=8, item_max=3)
    severities: tuple[str, ...] = tuple(label for _, label in PHQ_BANDS)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scale.question_ids

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return band(total, PHQ_BANDS)

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        total = self.scale.total(answers)
        severity = None if total.value is None else band(total.value, PHQ_BANDS)
        subscores = phq2_subscore(total.reading, self.scale.item(1), self.scale.item(2))
        return Score(total.value, severity, total.flags, subscores)


PHQ8 = Phq8()
