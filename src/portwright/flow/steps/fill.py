"""``fill``: type a (templated) value into a field, replacing what was there."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from portwright.flow.steps.base import TargetedStep


class FillStep(TargetedStep):
    """Fill ``target`` with ``value``; secrets are resolved only at this moment."""

    action: Literal["fill"]
    value: str | int | float = Field(description="Templated text, e.g. '{{ inputs.mrn }}'.")
    may_mutate: ClassVar[bool] = True
