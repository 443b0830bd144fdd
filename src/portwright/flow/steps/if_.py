"""``if``: run ``then`` or ``else`` depending on a condition."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from portwright.flow.steps.base import StepBase, problem

if TYPE_CHECKING:
    from portwright.flow.steps.base import Step


class IfStep(StepBase):
    """``condition`` is a template expression (``inputs.mrn is defined``); ``visible`` is a
    logical name checked immediately (no waiting); give exactly one.
    """

    action: Literal["if"]
    condition: str | None = None
    visible: str | None = None
    then: list[Step] = Field(default_factory=list)
    else_: list[Step] = Field(default_factory=list, alias="else")

    @model_validator(mode="after")
    def _one_condition(self) -> IfStep:
        if (self.condition is None) == (self.visible is None):
            raise problem(
                "if needs exactly one condition",
                "exactly one of 'condition' or 'visible'",
            )
        return self

    def children(self) -> Iterator[tuple[str, Sequence[StepBase]]]:
        yield "then", self.then
        yield "else", self.else_

    def selector_names(self) -> Iterator[str]:
        if self.visible:
            yield self.visible
