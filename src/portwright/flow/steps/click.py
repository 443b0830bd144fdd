"""``click``: click one element named by a logical selector name."""

from __future__ import annotations

from typing import ClassVar, Literal

from portwright.flow.steps.base import TargetedStep


class ClickStep(TargetedStep):
    """Click ``target``; ``double`` for a double click, ``force`` skips actionability."""

    action: Literal["click"]
    double: bool = False
    force: bool = False
    may_mutate: ClassVar[bool] = True
