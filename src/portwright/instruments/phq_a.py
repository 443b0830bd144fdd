"""PHQ-A (PHQ-9 modified for adolescents 11-17; Johnson et al. 2002).

Same nine 0-3 items, total and bands as the PHQ-9, and the same item-9 rule. Unscored
extras: difficulty, dysthymia ("in the past year..."), and two suicide questions (serious
thoughts of ending your life in the past month; ever attempted) whose "yes" must be
followed up like item 9. Missing items follow the APA adapted measure: 1-2 missing are
prorated ``round(raw_sum * 9 / n_answered)``, 3 or more mean no total.
"""

from __future__ import annotations

from portwright.instruments import flags
from portwright.instruments.base import Answers
from portwright.instruments.items import ItemReading, Scale, as_yes_no
from portwright.instruments.phq9 import PhqFamily, item9_flags

__all__ = ["PHQA", "PHQA_SUICIDE_QUESTIONS", "PhqA"]

#: The two yes/no suicide questions added to the PHQ-A.
PHQA_SUICIDE_QUESTIONS: tuple[str, ...] = (
    "phqa_suicidal_thoughts_past_month",
    "phqa_suicide_attempt_ever",
)
_OTHER_UNSCORED = ("phqa_difficulty", "phqa_dysthymia")


class PhqA(PhqFamily):
    """The PHQ-A."""

    name: str = "PHQ-A"
    aliases: tuple[str, ...] = ("PHQA", "PHQ-9A", "PHQ-9 Modified for Adolescents")
    scale = Scale(
        "phqa", items=9, item_max=3, prorate_up_to=2,
        unscored=_OTHER_UNSCORED + PHQA_SUICIDE_QUESTIONS,
    )

    def safety_flags(self, answers: Answers, reading: ItemReading) -> list[str]:
        found = item9_flags(reading, self.scale.item(9))
        for question in PHQA_SUICIDE_QUESTIONS:
            try:
                said_yes = as_yes_no(answers.get(question))
            except ValueError:
                found.append(flags.OUT_OF_RANGE_ANSWER)
                continue
            if said_yes:
                found += [flags.SUICIDE_ITEM_POSITIVE, flags.SAFETY_FOLLOWUP]
        return found


PHQA = PhqA()
