"""PCL-5 (PTSD Checklist for DSM-5; Weathers et al. 2013, VA National Center for PTSD).

Twenty items 0-4, total 0-80, past month. Cluster sums: B intrusion (items 1-5),
C avoidance (6-7), D negative cognitions/mood (8-14), E arousal/reactivity (15-20).
A total at or above the cutoff (a setting: 31-33 today, 38 in older guidance) suggests
probable PTSD. The provisional DSM-5 pattern counts an item endorsed at ≥ 2 and needs
≥ 1 B, ≥ 1 C, ≥ 2 D and ≥ 2 E items. No prorating in the reference: a missing item
means no total.
"""

from __future__ import annotations

from types import MappingProxyType

from portwright.instruments import flags
from portwright.instruments.base import Answers, Score, ScoringOptions
from portwright.instruments.items import ItemReading, Scale

__all__ = ["CLUSTERS", "PCL5", "Pcl5", "provisional_ptsd"]

_SCALE = Scale("pcl5", items=20, item_max=4)

#: Cluster → (item numbers, endorsed items the provisional diagnosis needs).
CLUSTERS: MappingProxyType[str, tuple[range, int]] = MappingProxyType({
    "B": (range(1, 6), 1),
    "C": (range(6, 8), 1),
    "D": (range(8, 15), 2),
    "E": (range(15, 21), 2),
})
_ENDORSED_AT = 2


def provisional_ptsd(reading: ItemReading) -> bool:
    """True when the valid answers already meet the DSM-5 cluster pattern."""
    for numbers, needed in CLUSTERS.values():
        endorsed = sum(
            1 for n in numbers if reading.values.get(_SCALE.item(n), 0) >= _ENDORSED_AT
        )
        if endorsed < needed:
            return False
    return True


def _cluster_sums(reading: ItemReading) -> dict[str, int]:
    sums: dict[str, int] = {}
    for cluster, (numbers, _) in CLUSTERS.items():
        ids = [_SCALE.item(n) for n in numbers]
        if all(q in reading.values for q in ids):
            sums[f"cluster_{cluster.lower()}"] = sum(reading.values[q] for q in ids)
    return sums


class Pcl5:
    """The PCL-5."""

    name: str = "PCL-5"
    aliases: tuple[str, ...] = ("PCL5", "PTSD Checklist for DSM-5")
    scale = _SCALE
    severities: tuple[str, ...] = ("below_cutoff", "probable_ptsd")

    @property
    def question_ids(self) -> tuple[str, ...]:
        return self.scale.question_ids

    @property
    def max_total(self) -> int | None:
        return self.scale.max_total

    def severity_for_total(self, total: int, options: ScoringOptions) -> str | None:
        return "probable_ptsd" if total >= options.pcl5_cutoff else "below_cutoff"

    def score(self, answers: Answers, options: ScoringOptions) -> Score:
        total = self.scale.total(answers)
        found = list(total.flags)
        severity = None
        if total.value is not None:
            severity = self.severity_for_total(total.value, options)
            if severity == "probable_ptsd":
                found.append(flags.POSITIVE_SCREEN)
        if provisional_ptsd(total.reading):
            found.append(flags.PROVISIONAL_PTSD)
        return Score(total.value, severity, tuple(found), _cluster_sums(total.reading))


PCL5 = Pcl5()
