"""PHQ-9 (Kroenke, Spitzer, Williams 2001): depression severity, with the item-9 safety flag.

Nine items scored 0-3, total 0-27; bands 0-4 minimal ("none/minimal"), 5-9 mild,
10-14 moderate, 15-19 moderately severe, 20-27 severe. Item 10 (difficulty) is not scored.
Item 9 (thoughts of being better off dead or of self-harm) at 1 or more requires a
same-day follow-up whatever the total; an unanswered item 9 is flagged too, because a
missing answer is not a clearance. The APA measure prorates 1-2 missing items.
"""

from __future__ import annotations

from portwright.instruments import flags
from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import ItemReading, Scale, band

__all__ = ["PHQ9", "PHQ_BANDS", "Phq9", "PhqFamily", "item9_flags", "phq2_subscore"]

PHQ_BANDS: tuple[tuple[int, str], ...] = (
    (0, "minimal"),
    (5, "mild"),
    (10, "moderate"),
    (15, "moderately_severe"),
    (20, "severe"),
)


def item9_flags(reading: ItemReading, item9: str) -> list[str]:
    """Safety flags from item 9: positive at ≥ 1, and unanswered/invalid is not 0."""
    value = reading.values.get(item9)
    if value is None:
        return [flags.SAFETY_ITEM_UNANSWERED]
    if value >= 1:
        return [flags.ITEM9_POSITIVE, flags.SAFETY_FOLLOWUP]
    return []


def phq2_subscore(reading: ItemReading, item1: str, item2: str) -> dict[str, int]:
    """PHQ-2 (items 1 + 2) when both are validly answered."""
    if item1 in reading.values and item2 in reading.values:
        return {"phq2": reading.values[item1] + reading.values[item2]}
    return {}


class PhqFamily:
    """What the PHQ-9 and its variants share: 0-3 items, the PHQ bands, the PHQ-2 subscore.

    A variant sets ``name``, ``aliases`` and ``scale``, and adds its own safety rules in
    ``safety_flags``; scoring itself is written once, here.
    """

    name: str = ""
    aliases: tuple[str, ...] = ()
    scale: Scale
    severities: tuple[str, ...] = tuple(label for _, label in PHQ_BANDS)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scale.question_ids

    @property
    def max_total(self) -> int | None:
        return self.scale.max_total

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return band(total, PHQ_BANDS)

    def safety_flags(self, answers: Answers, reading: ItemReading) -> list[str]:
        """Flags that need a clinician whatever the total (none by default)."""
        return []

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        total = self.scale.total(answers)
        found = [*total.flags, *self.safety_flags(answers, total.reading)]
        severity = None if total.value is None else band(total.value, PHQ_BANDS)
        subscores = phq2_subscore(total.reading, self.scale.item(1), self.scale.item(2))
        return Score(total.value, severity, tuple(dict.fromkeys(found)), subscores)


class Phq9(PhqFamily):
    """The PHQ-9."""

    name: str = "PHQ-9"
    aliases: tuple[str, ...] = ("PHQ9", "Patient Health Questionnaire-9")
    scale = Scale("phq9", items=9, item_max=3, prorate_up_to=2, unscored=("phq9_q10",))

    def safety_flags(self, answers: Answers, reading: ItemReading) -> list[str]:
        return item9_flags(reading, self.scale.item(9))


PHQ9 = Phq9()
