"""PHQ-8: the PHQ-9 without item 9 (0-24, same bands). No safety item, no prorating
(the reference defines prorating only for the APA PHQ-9/PHQ-A measure)."""

from __future__ import annotations

from portwright.instruments.items import Scale
from portwright.instruments.phq9 import PhqFamily

__all__ = ["PHQ8", "Phq8"]


class Phq8(PhqFamily):
    """The PHQ-8."""

    name: str = "PHQ-8"
    aliases: tuple[str, ...] = ("PHQ8",)
    scale = Scale("phq8", items=8, item_max=3)


PHQ8 = Phq8()
