"""GAD-7 (Spitzer, Kroenke, Williams, Löwe 2006): anxiety severity.

Seven items 0-3, total 0-21; bands 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe
(there is no "moderately severe" band for the GAD-7, whatever some pages print). Item 8
(difficulty) is not scored. No prorating: a missing item means no total.
"""

from __future__ import annotations

from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import Scale, band

__all__ = ["GAD7", "GAD_BANDS", "Gad7"]

GAD_BANDS: tuple[tuple[int, str], ...] = (
    (0, "minimal"),
    (5, "mild"),
    (10, "moderate"),
    (15, "severe"),
)


class Gad7:
    """The GAD-7."""

    name: str = "GAD-7"
    aliases: tuple[str, ...] = ("GAD7", "Generalized Anxiety Disorder-7")
    scale = Scale("gad7", items=7, item_max=3, unscored=("gad7_q8",))
    severities: tuple[str, ...] = tuple(label for _, label in GAD_BANDS)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scale.question_ids

    @property
    def max_total(self) -> int | None:
        return self.scale.max_total

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return band(total, GAD_BANDS)

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        total = self.scale.total(answers)
        severity = None if total.value is None else band(total.value, GAD_BANDS)
        reading = total.reading
        first, second = self.scale.item(1), self.scale.item(2)
        subscores = (
            {"gad2": reading.values[first] + reading.values[second]}
            if first in reading.values and second in reading.values
            else {}
        )
        return Score(total.value, severity, total.flags, subscores)


GAD7 = Gad7()
