"""PHQ-A (PHQ-9 modified for adolescents 11-17; Johnson et al. 2002).

Same nine 0-3 items, total and bands as the PHQ-9, and the same item-9 rule. Unscored
extras: difficulty, dysthymia ("in the past year..."), and two suicide questions (serious
thoughts of ending your life in the past month; ever attempted) whose "yes" must be
followed up like item 9. Missing items follow the APA adapted measure: 1-2 missing are
prorated ``round(raw_sum * 9 / n_answered)``, 3 or more mean no total.
"""

from __future__ import annotations

from portwright.instruments import flags
from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import Scale, as_yes_no, band
from portwright.instruments.phq9 import PHQ_BANDS, item9_flags, phq2_subscore

__all__ = ["PHQA", "PHQA_SUICIDE_QUESTIONS", "PhqA"]

#: The two yes/no suicide questions added to the PHQ-A.
PHQA_SUICIDE_QUESTIONS: tuple[str, ...] = (
    "phqa_suicidal_thoughts_past_month",
    "phqa_suicide_attempt_ever",
)
_OTHER_UNSCORED = ("phqa_difficulty", "phqa_dysthymia")


class PhqA:
    """The PHQ-A."""

    name: str = "PHQ-A"
    aliases: tuple[str, ...] = ("PHQA", "PHQ-9A", "PHQ-9 Modified for Adolescents")
    scale = Scale(
        "phqa", items=9, item_max=3, prorate_up_to=2,
        unscored=_OTHER_UNSCORED + PHQA_SUICIDE_QUESTIONS,
    )
    severities: tuple[str, ...] = tuple(label for _, label in PHQ_BANDS)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scale.question_ids

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return band(total, PHQ_BANDS)

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        total = self.scale.total(answers)
        found = [*total.flags, *item9_flags(total.reading, self.scale.item(9))]
        for question in PHQA_SUICIDE_QUESTIONS:
            try:
                said_yes = as_yes_no(answers.get(question))
            except ValueError:
                found.append(flags.OUT_OF_RANGE_ANSWER)
                continue
            if said_yes:
                found += [flags.SUICIDE_ITEM_POSITIVE, flags.SAFETY_FOLLOWUP]
        severity = None if total.value is None else band(total.value, PHQ_BANDS)
        subscores = phq2_subscore(total.reading, self.scale.item(1), self.scale.item(2))
        return Score(total.value, severity, tuple(dict.fromkeys(found)), subscores)


PHQA = PhqA()
