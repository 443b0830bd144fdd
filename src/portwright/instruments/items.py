"""Reading item answers and summing a scale, shared by the summed instruments.

The rules come from the reference: items are integers on a fixed scale; a missing item
is missing (never 0); only the APA PHQ-9/PHQ-A measure prorates, and only for 1-2
missing items: ``round(raw_sum * 9 / n_answered)``. An out-of-range answer is not a
missing one: it is corrupt data, so no total is computed from it (prorating over it
would silently trust the rest of a record we know is wrong).
"""

from __future__ import annotations

from dataclasses import dataclass

from portwright.entities.assessment import AnswerValue
from portwright.instruments import flags
from portwright.instruments.base import Answers

__all__ = [
    "ItemReading",
    "Scale",
    "Total",
    "as_yes_no",
    "band",
    "read_items",
    "round_half_up",
]


def _valid_item(value: AnswerValue, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def as_yes_no(value: AnswerValue) -> bool | None:
    """A yes/no answer: ``True``/``1`` yes, ``False``/``0`` no; ``None`` if unanswered.

    Raises ValueError for anything else (the caller flags it as out of range).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return value == 1
    raise ValueError("not a yes/no answer")


@dataclass(frozen=True)
class ItemReading:
    """The scored items of one administration, sorted into valid, missing and invalid."""

    values: dict[str, int]
    missing: tuple[str, ...]
    invalid: tuple[str, ...]
    unknown: tuple[str, ...]


def read_items(
    answers: Answers, scored: tuple[str, ...], low: int, high: int, known: tuple[str, ...]
) -> ItemReading:
    """Sort ``answers`` for the ``scored`` items on a ``low``-``high`` scale."""
    values: dict[str, int] = {}
    missing: list[str] = []
    invalid: list[str] = []
    for question in scored:
        value = answers.get(question)
        if value is None:
            missing.append(question)
        elif _valid_item(value, low, high):
            values[question] = int(value)
        else:
            invalid.append(question)
    unknown = tuple(q for q in answers if q not in known)
    return ItemReading(values, tuple(missing), tuple(invalid), unknown)


def round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, halves up (4.5 → 5).

    Python's ``round`` rounds halves to even (4.5 → 4), which is not what a clinician
    computing the APA prorated score by hand would get.
    """
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Total:
    """A scale's total (``None`` when not computable) and the flags explaining it."""

    value: int | None
    reading: ItemReading
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    """A summed scale: ``items`` questions ``<prefix>_q1..qN`` scored ``0..item_max``.

    ``prorate_up_to`` is how many missing items may be prorated (2 for the APA PHQ-9 and
    PHQ-A measure, 0 everywhere else). ``unscored`` lists extra known question ids.
    """

    prefix: str
    items: int
    item_max: int
    prorate_up_to: int = 0
    unscored: tuple[str, ...] = ()

    def item(self, number: int) -> str:
        """The question id of item ``number`` (1-based)."""
        return f"{self.prefix}_q{number}"

    @property
    def scored(self) -> tuple[str, ...]:
        return tuple(self.item(n) for n in range(1, self.items + 1))

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scored + self.unscored

    @property
    def max_total(self) -> int:
        return self.items * self.item_max

    def read(self, answers: Answers) -> ItemReading:
        return read_items(answers, self.scored, 0, self.item_max, self.question_ids)

    def total(self, answers: Answers) -> Total:
        """Sum the items, applying the missing-item and out-of-range rules."""
        reading = self.read(answers)
        found: list[str] = []
        if reading.unknown:
            found.append(flags.UNKNOWN_QUESTION)
        if reading.invalid:
            found.append(flags.OUT_OF_RANGE_ANSWER)
            return Total(None, reading, tuple(found))
        raw = sum(reading.values.values())
        if not reading.missing:
            return Total(raw, reading, tuple(found))
        answered = len(reading.values)
        if answered and len(reading.missing) <= self.prorate_up_to:
            found.append(flags.PRORATED)
            return Total(round_half_up(raw * self.items, answered), reading, tuple(found))
        found.append(flags.INCOMPLETE)
        return Total(None, reading, tuple(found))


def band(total: int, bands: tuple[tuple[int, str], ...]) -> str:
    """The label of the highest band whose lower bound ``total`` reaches."""
    label = bands[0][1]
    for lower, name in bands:
        if total >= lower:
            label = name
    return label
