"""Outcome-measure scoring (PHQ-9, GAD-7, PCL-5) as published by the instruments' authors.

Totals are plain sums of item scores; severity bands use the original cut points
(PHQ-9 5/10/15/20, GAD-7 5/10/15; PCL-5 provisional cutoff 33).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["INSTRUMENTS", "PCL5_CUTOFF", "Instrument"]

PCL5_CUTOFF = 33  # top of the 31-33 provisional range; a setting in the real product


@dataclass(frozen=True)
class Instrument:
    """One questionnaire: item count, item range, question ids and severity bands."""

    name: str
    items: int
    max_item: int
    question_prefix: str
    #: (lowest total of the band, band label), ascending
    bands: tuple[tuple[int, str], ...]
    version: str = "1.0"

    def question_ids(self) -> list[str]:
        return [f"{self.question_prefix}_q{i}" for i in range(1, self.items + 1)]

    def severity(self, total: int) -> str:
        label = self.bands[0][1]
        for low, name in self.bands:
            if total >= low:
                label = name
        return label

    def score(self, answers: Sequence[int]) -> tuple[int, str]:
        """Total and severity for a complete set of item answers."""
        if len(answers) != self.items:
            raise ValueError(f"{self.name} needs {self.items} answers, got {len(answers)}")
        if any(a < 0 or a > self.max_item for a in answers):
            raise ValueError(f"{self.name} answers must be 0..{self.max_item}")
        total = sum(answers)
        return total, self.severity(total)


INSTRUMENTS: dict[str, Instrument] = {
    i.name: i
    for i in (
        Instrument(
            "PHQ-9",
            9,
            3,
            "phq9",
            ((0, "none-minimal"), (5, "mild"), (10, "moderate"),
             (15, "moderately severe"), (20, "severe")),
        ),
        Instrument(
            "GAD-7", 7, 3, "gad7", ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"))
        ),
        Instrument(
            "PCL-5", 20, 4, "pcl5", ((0, "below threshold"), (PCL5_CUTOFF, "probable PTSD"))
        ),
    )
}
