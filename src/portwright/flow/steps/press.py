"""``press``: press a key (``Enter``, ``Control+A``...) on an element or the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Literal

from portwright.flow.steps.base import StepBase


class PressStep(StepBase):
    """Press ``key`` on ``target``, or on the focused element when no target is given."""

    action: Literal["press"]
    key: str
    target: str | None = None
    may_mutate: ClassVar[bool] = True

    def selector_names(self) -> Iterator[str]:
        if self.target:
            yield self.target
