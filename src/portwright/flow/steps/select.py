"""``select``: choose an option of a ``<select>`` by value or by visible label."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import model_validator

from portwright.flow.steps.base import TargetedStep, problem


class SelectStep(TargetedStep):
    """Select the option whose value is ``value`` or whose text is ``label``."""

    action: Literal["select"]
    value: str | int | None = None
    label: str | None = None
    may_mutate: ClassVar[bool] = True

    @model_validator(mode="after")
    def _one_of(self) -> SelectStep:
        if (self.value is None) == (self.label is None):
            raise problem(
                "select needs exactly one of 'value' or 'label'",
                "exactly one of 'value' or 'label'",
            )
        return self
