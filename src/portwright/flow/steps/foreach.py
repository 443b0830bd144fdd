"""``foreach``: run steps once per item of a list."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from portwright.flow.steps.base import StepBase

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step


class ForeachStep(StepBase):
    """``items`` is a template expression giving a list; each item is bound to ``as``."""

    action: Literal["foreach"]
    items: str
    as_: str = Field(default="item", alias="as", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    steps: list[Step] = Field(min_length=1)

    def children(self) -> Iterator[tuple[str, Sequence[StepBase]]]:
        yield "steps", self.steps
